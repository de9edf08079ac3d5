import datetime as dt
import enum
from typing import Any

__all__ = [
    "CLUSTER_ONLY_OPTIONS",
    "ClusterConfigWarning",
    "CronSchedule",
    "Email",
    "FixedRate",
    "PagerDuty",
    "PodTemplate",
    "Slack",
    "WorkflowExecutionPhase",
    "WorkflowFailurePolicy",
    "WorkflowMetadata",
    "check_cluster_options",
]

CLUSTER_ONLY_OPTIONS: frozenset[str]

class ClusterConfigWarning(UserWarning): ...

class WorkflowFailurePolicy(enum.Enum):
    FAIL_IMMEDIATELY = "FAIL_IMMEDIATELY"
    FAIL_AFTER_EXECUTABLE_NODES_COMPLETE = "FAIL_AFTER_EXECUTABLE_NODES_COMPLETE"

class WorkflowMetadata:
    on_failure: WorkflowFailurePolicy
    def __init__(self, on_failure: WorkflowFailurePolicy = ...) -> None: ...

class PodTemplate:
    pod_spec: Any
    primary_container_name: str
    labels: dict[str, str] | None
    annotations: dict[str, str] | None
    def __init__(
        self,
        pod_spec: Any = None,
        primary_container_name: str = "primary",
        labels: dict[str, str] | None = None,
        annotations: dict[str, str] | None = None,
    ) -> None: ...

class WorkflowExecutionPhase:
    UNDEFINED: int
    QUEUED: int
    RUNNING: int
    SUCCEEDING: int
    SUCCEEDED: int
    FAILING: int
    FAILED: int
    ABORTED: int
    TIMED_OUT: int
    ABORTING: int

class _Notification:
    phases: list[int]
    recipients_email: list[str]
    def __init__(self, phases: list[int] = ..., recipients_email: list[str] = ...) -> None: ...

class Email(_Notification): ...
class Slack(_Notification): ...
class PagerDuty(_Notification): ...

class CronSchedule:
    schedule: str | None
    kickoff_time_input_arg: str | None
    cron_expression: str | None
    offset: str | None
    def __init__(
        self,
        schedule: str | None = None,
        kickoff_time_input_arg: str | None = None,
        cron_expression: str | None = None,
        offset: str | None = None,
    ) -> None: ...

class FixedRate:
    duration: dt.timedelta
    kickoff_time_input_arg: str | None
    def __init__(self, duration: dt.timedelta, kickoff_time_input_arg: str | None = None) -> None: ...

def check_cluster_options(options: dict[str, Any], what: str, location: Any) -> None: ...
