"""flowgen: Flyte-style workflows, type-checked before they run.

Public API (``from flowgen import ...``): the decorators ``task``, ``workflow``,
``dynamic``; ``Promise``; Flyte's ``map_task``, ``conditional``, ``LaunchPlan``, ``Echo``
and ``Cache``; ``run(wf, executor=..., **inputs)`` to run on threads, processes or Dask;
and the error hierarchy rooted at ``FlowgenError`` (see :mod:`flowgen.errors`).

Names are imported on first use (PEP 562), so ``import flowgen.mypy_plugin`` or
``flowgen --help`` do not pay for the whole runtime.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowgen.data import (
        FlyteDirectory,
        FlyteFile,
        HashMethod,
        StructuredDataset,
        StructuredDatasetType,
        kwtypes,
    )
    from flowgen.dsl.cluster_config import (
        ClusterConfigWarning,
        CronSchedule,
        Email,
        FixedRate,
        PagerDuty,
        PodTemplate,
        Slack,
        WorkflowExecutionPhase,
        WorkflowFailurePolicy,
        WorkflowMetadata,
    )
    from flowgen.dsl.conditional import conditional
    from flowgen.dsl.context import current_context
    from flowgen.dsl.deck import Deck
    from flowgen.dsl.decorators import dynamic, task, workflow
    from flowgen.dsl.eager import eager
    from flowgen.dsl.echo import Echo
    from flowgen.dsl.entities import Dynamic, Task, Workflow
    from flowgen.dsl.imperative import create_node
    from flowgen.dsl.launch_plan import LaunchPlan
    from flowgen.dsl.map_task import map_task
    from flowgen.dsl.options import Cache, ImageSpec, Resources
    from flowgen.dsl.secrets import Secret
    from flowgen.dsl.task_metadata import TaskMetadata
    from flowgen.errors import (
        CompileError,
        ConditionalFailure,
        DefinitionError,
        FlowgenError,
        InputValidationError,
        MapTaskError,
        OutputValidationError,
        PromiseError,
        TaskError,
        TaskTimeoutError,
        ValidationError,
        WiringError,
        WorkflowFailuresError,
    )
    from flowgen.runtime.api import run
    from flowgen.tracing.promise import Promise
    from flowgen.types.error import FlyteError

__version__ = "0.1.0"

_WHERE = {
    "conditional": "flowgen.dsl.conditional",
    "current_context": "flowgen.dsl.context",
    "Deck": "flowgen.dsl.deck",
    "Secret": "flowgen.dsl.secrets",
    "TaskMetadata": "flowgen.dsl.task_metadata",
    "create_node": "flowgen.dsl.imperative",
    "dynamic": "flowgen.dsl.decorators",
    "eager": "flowgen.dsl.eager",
    "task": "flowgen.dsl.decorators",
    "workflow": "flowgen.dsl.decorators",
    "Echo": "flowgen.dsl.echo",
    "Dynamic": "flowgen.dsl.entities",
    "Task": "flowgen.dsl.entities",
    "Workflow": "flowgen.dsl.entities",
    "LaunchPlan": "flowgen.dsl.launch_plan",
    "map_task": "flowgen.dsl.map_task",
    "Cache": "flowgen.dsl.options",
    "ImageSpec": "flowgen.dsl.options",
    "Resources": "flowgen.dsl.options",
    "Promise": "flowgen.tracing.promise",
    "FlyteError": "flowgen.types.error",
    **{name: "flowgen.dsl.cluster_config" for name in (
        "ClusterConfigWarning", "CronSchedule", "Email", "FixedRate", "PagerDuty", "PodTemplate", "Slack",
        "WorkflowExecutionPhase", "WorkflowFailurePolicy", "WorkflowMetadata",
    )},
    **{name: "flowgen.data" for name in (
        "FlyteDirectory", "FlyteFile", "HashMethod", "StructuredDataset", "StructuredDatasetType", "kwtypes",
    )},
    "run": "flowgen.runtime.api",
    **{name: "flowgen.errors" for name in (
        "CompileError", "ConditionalFailure", "DefinitionError", "FlowgenError", "InputValidationError",
        "MapTaskError", "OutputValidationError", "PromiseError", "TaskError", "TaskTimeoutError",
        "ValidationError", "WiringError", "WorkflowFailuresError",
    )},
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'flowgen' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))




__all__ = [
    "Cache",
    "ClusterConfigWarning",
    "CompileError",
    "ConditionalFailure",
    "CronSchedule",
    "Deck",
    "DefinitionError",
    "Dynamic",
    "Echo",
    "Email",
    "FixedRate",
    "FlowgenError",
    "FlyteDirectory",
    "FlyteError",
    "FlyteFile",
    "HashMethod",
    "ImageSpec",
    "InputValidationError",
    "LaunchPlan",
    "MapTaskError",
    "OutputValidationError",
    "PagerDuty",
    "PodTemplate",
    "Promise",
    "PromiseError",
    "Resources",
    "Secret",
    "Slack",
    "StructuredDataset",
    "StructuredDatasetType",
    "Task",
    "TaskError",
    "TaskMetadata",
    "TaskTimeoutError",
    "ValidationError",
    "WiringError",
    "Workflow",
    "WorkflowExecutionPhase",
    "WorkflowFailurePolicy",
    "WorkflowFailuresError",
    "WorkflowMetadata",
    "conditional",
    "create_node",
    "current_context",
    "dynamic",
    "eager",
    "kwtypes",
    "map_task",
    "run",
    "task",
    "workflow",
]
