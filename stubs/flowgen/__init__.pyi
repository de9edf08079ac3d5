"""flowgen's public typing surface (the mypy plugin is ``flowgen.mypy_plugin``)."""

from typing import Any, TypeVar

from flowgen.data.files import FlyteDirectory as FlyteDirectory
from flowgen.data.files import FlyteFile as FlyteFile
from flowgen.data.hashing import HashMethod as HashMethod
from flowgen.data.tables import StructuredDataset as StructuredDataset
from flowgen.data.tables import StructuredDatasetType as StructuredDatasetType
from flowgen.data.tables import kwtypes as kwtypes
from flowgen.dsl.cluster_config import ClusterConfigWarning as ClusterConfigWarning
from flowgen.dsl.cluster_config import CronSchedule as CronSchedule
from flowgen.dsl.cluster_config import Email as Email
from flowgen.dsl.cluster_config import FixedRate as FixedRate
from flowgen.dsl.cluster_config import PagerDuty as PagerDuty
from flowgen.dsl.cluster_config import PodTemplate as PodTemplate
from flowgen.dsl.cluster_config import Slack as Slack
from flowgen.dsl.cluster_config import WorkflowExecutionPhase as WorkflowExecutionPhase
from flowgen.dsl.cluster_config import WorkflowFailurePolicy as WorkflowFailurePolicy
from flowgen.dsl.cluster_config import WorkflowMetadata as WorkflowMetadata
from flowgen.dsl.conditional import conditional as conditional
from flowgen.dsl.context import current_context as current_context
from flowgen.dsl.deck import Deck as Deck
from flowgen.dsl.decorators import dynamic as dynamic
from flowgen.dsl.decorators import task as task
from flowgen.dsl.decorators import workflow as workflow
from flowgen.dsl.eager import eager as eager
from flowgen.dsl.echo import Echo as Echo
from flowgen.dsl.entities import Dynamic as Dynamic
from flowgen.dsl.entities import Task as Task
from flowgen.dsl.entities import Workflow as Workflow
from flowgen.dsl.imperative import create_node as create_node
from flowgen.dsl.launch_plan import LaunchPlan as LaunchPlan
from flowgen.dsl.map_task import map_task as map_task
from flowgen.dsl.options import Cache as Cache
from flowgen.dsl.options import ImageSpec as ImageSpec
from flowgen.dsl.options import Resources as Resources
from flowgen.dsl.secrets import Secret as Secret
from flowgen.dsl.task_metadata import TaskMetadata as TaskMetadata
from flowgen.errors import (
    CompileError as CompileError,
)
from flowgen.errors import (
    ConditionalFailure as ConditionalFailure,
)
from flowgen.errors import (
    DefinitionError as DefinitionError,
)
from flowgen.errors import (
    FlowgenError as FlowgenError,
)
from flowgen.errors import (
    InputValidationError as InputValidationError,
)
from flowgen.errors import (
    MapTaskError as MapTaskError,
)
from flowgen.errors import (
    OutputValidationError as OutputValidationError,
)
from flowgen.errors import (
    PromiseError as PromiseError,
)
from flowgen.errors import (
    TaskError as TaskError,
)
from flowgen.errors import (
    TaskTimeoutError as TaskTimeoutError,
)
from flowgen.errors import (
    ValidationError as ValidationError,
)
from flowgen.errors import (
    WiringError as WiringError,
)
from flowgen.errors import (
    WorkflowFailuresError as WorkflowFailuresError,
)
from flowgen.types.error import FlyteError as FlyteError
from flowgen.tracing.promise import Promise as Promise

__version__: str

_R = TypeVar("_R")

def run(
    workflow: Workflow[..., _R],
    /,
    *,
    executor: Any = ...,
    max_parallelism: int | None = ...,
    dask_address: str | None = ...,
    raw_data_prefix: str | None = ...,
    observer: Any = ...,
    **inputs: Any,
) -> _R: ...

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
    "WorkflowFailuresError",
    "Workflow",
    "WorkflowExecutionPhase",
    "WorkflowFailurePolicy",
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
