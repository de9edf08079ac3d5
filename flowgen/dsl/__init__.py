"""The user-facing DSL: ``@task``, ``@workflow``, ``@dynamic`` and the objects they make."""

from flowgen.dsl import imperative as _imperative  # registers Workflow(name=...) (flowgen.dsl.entities)

del _imperative
