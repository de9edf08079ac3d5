"""The user-facing DSL: ``@task``, ``@workflow``, ``@dynamic`` and the objects they make."""
