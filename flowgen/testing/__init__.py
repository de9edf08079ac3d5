"""Property-based testing of your workflows, built on hypothesis.

* :func:`inputs` / :func:`strategy_for` -- hypothesis strategies from a workflow's typed interface
  (:mod:`flowgen.testing.strategies`)
* :func:`check_workflow` -- a property test in one call: the interpreter, the module ``flowgen build``
  makes and any executors named must agree, and every output must fit its type
  (:mod:`flowgen.testing.check`)
* :func:`task_mock` / :func:`patch` -- replace a task everywhere with a ``MagicMock`` whose return value is
  validated against the task's declared outputs (:mod:`flowgen.testing.mocks`)
* :func:`given_inputs` -- ``hypothesis.given`` with a workflow's generated inputs
* :func:`domain` -- the inputs (and secrets) a workflow is meant for, registered from outside its
  source; ``flowgen_domains.py`` files hold them (:mod:`flowgen.testing.domains`)
* :func:`secrets` / :class:`SecretsManager` -- the secrets tasks see, for a test
  (:mod:`flowgen.testing.secret_env`)

Names are imported on first use, so ``import flowgen.testing`` stays cheap (the pytest plugin
imports it in every pytest run).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowgen.testing.check import WorkflowCheckFailure, check_workflow
    from flowgen.testing.domains import domain
    from flowgen.testing.given import given_inputs
    from flowgen.testing.mocks import MockReturnError, patch, task_mock
    from flowgen.testing.secret_env import SecretsManager, secrets
    from flowgen.testing.strategies import NoStrategy, inputs, strategy_for

_WHERE = {
    "check_workflow": "flowgen.testing.check",
    "WorkflowCheckFailure": "flowgen.testing.check",
    "given_inputs": "flowgen.testing.given",
    "domain": "flowgen.testing.domains",
    "SecretsManager": "flowgen.testing.secret_env",
    "secrets": "flowgen.testing.secret_env",
    "MockReturnError": "flowgen.testing.mocks",
    "patch": "flowgen.testing.mocks",
    "task_mock": "flowgen.testing.mocks",
    "NoStrategy": "flowgen.testing.strategies",
    "inputs": "flowgen.testing.strategies",
    "strategy_for": "flowgen.testing.strategies",
}

__all__ = [
    "MockReturnError",
    "NoStrategy",
    "SecretsManager",
    "WorkflowCheckFailure",
    "check_workflow",
    "domain",
    "given_inputs",
    "inputs",
    "patch",
    "secrets",
    "strategy_for",
    "task_mock",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'flowgen.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
