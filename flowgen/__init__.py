"""flowgen: Flyte-style workflows, type-checked before they run.

Public API (``from flowgen import ...``): the decorators ``task``, ``workflow``,
``dynamic``; ``Promise``; Flyte's ``map_task``, ``conditional``, ``LaunchPlan``, ``Echo``
and ``Cache``; and the error hierarchy rooted at ``FlowgenError`` (see :mod:`flowgen.errors`).
"""

from flowgen.dsl.conditional import conditional
from flowgen.dsl.decorators import dynamic, task, workflow
from flowgen.dsl.echo import Echo
from flowgen.dsl.entities import Dynamic, Task, Workflow
from flowgen.dsl.launch_plan import LaunchPlan
from flowgen.dsl.map_task import map_task
from flowgen.dsl.options import Cache, ImageSpec, Resources
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
)
from flowgen.tracing.promise import Promise

__version__ = "0.1.0"

__all__ = [
    "Cache",
    "CompileError",
    "ConditionalFailure",
    "DefinitionError",
    "Dynamic",
    "Echo",
    "FlowgenError",
    "ImageSpec",
    "InputValidationError",
    "LaunchPlan",
    "MapTaskError",
    "OutputValidationError",
    "Promise",
    "PromiseError",
    "Resources",
    "Task",
    "TaskError",
    "TaskTimeoutError",
    "ValidationError",
    "WiringError",
    "Workflow",
    "conditional",
    "dynamic",
    "map_task",
    "task",
    "workflow",
]
