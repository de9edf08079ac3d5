"""Flyte's objects that configure a cluster, not a run: accepted so Flyte programs run unchanged.

``PodTemplate``, ``WorkflowMetadata``, ``WorkflowFailurePolicy``, the notifications (``Email``,
``Slack``, ``PagerDuty``, ``WorkflowExecutionPhase``) and the schedules (``CronSchedule``,
``FixedRate``) are plain records here. A definition that uses cluster-only configuration
(resources, pod templates, images, accelerators, schedules, notifications) runs locally as if
it had none, and says so once, with a :class:`ClusterConfigWarning` naming the definition and
what it ignores. Requests, limits and images are still validated (:mod:`flowgen.ir.overrides`).
"""

from __future__ import annotations

import datetime as dt
import enum
import warnings
from dataclasses import dataclass, field
from typing import Any

from flowgen.errors import DefinitionError, SourceLocation
from flowgen.ir.overrides import override_problems

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

CLUSTER_ONLY_OPTIONS = frozenset({
    "requests", "limits", "resources", "container_image", "pod_template", "pod_template_name", "accelerator",
    "interruptible", "shared_memory", "environment", "task_config", "execution_mode", "schedule",
    "notifications", "labels", "annotations", "max_parallelism", "security_context", "raw_output_data_config",
    "overwrite_cache", "auth_role", "trigger", "failure_policy", "on_failure",
})


class ClusterConfigWarning(UserWarning):
    """A definition's cluster-only configuration is ignored by local runs."""


class WorkflowFailurePolicy(enum.Enum):
    """What a failed node does to the rest of a workflow on a Flyte cluster."""

    FAIL_IMMEDIATELY = "FAIL_IMMEDIATELY"
    FAIL_AFTER_EXECUTABLE_NODES_COMPLETE = "FAIL_AFTER_EXECUTABLE_NODES_COMPLETE"


@dataclass(frozen=True)
class WorkflowMetadata:
    on_failure: WorkflowFailurePolicy = WorkflowFailurePolicy.FAIL_IMMEDIATELY


@dataclass
class PodTemplate:
    pod_spec: Any = None
    primary_container_name: str = "primary"
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None


class WorkflowExecutionPhase:
    """The phases a notification can fire on (Flyte's names)."""

    UNDEFINED = 0
    QUEUED = 1
    RUNNING = 2
    SUCCEEDING = 3
    SUCCEEDED = 4
    FAILING = 5
    FAILED = 6
    ABORTED = 7
    TIMED_OUT = 8
    ABORTING = 9


@dataclass(frozen=True)
class _Notification:
    phases: list[int] = field(default_factory=list)
    recipients_email: list[str] = field(default_factory=list)


class Email(_Notification):
    """Email on these phases (on a cluster)."""


class Slack(_Notification):
    """A Slack message on these phases (on a cluster)."""


class PagerDuty(_Notification):
    """A PagerDuty alert on these phases (on a cluster)."""


@dataclass(frozen=True)
class CronSchedule:
    schedule: str | None = None
    kickoff_time_input_arg: str | None = None
    cron_expression: str | None = None
    offset: str | None = None


@dataclass(frozen=True)
class FixedRate:
    duration: dt.timedelta
    kickoff_time_input_arg: str | None = None


_warned: set[str] = set()


def check_cluster_options(options: dict[str, Any], what: str, location: SourceLocation | None) -> None:
    """Validate what can be wrong locally (resources, images) and warn once about what is ignored."""
    resources = {k: options[k] for k in ("requests", "limits", "container_image") if options.get(k) is not None}
    problems = override_problems(resources)
    if problems:
        raise DefinitionError(f"{what}: " + "; ".join(m for _, m in problems), location=location)
    ignored = sorted(k for k, v in options.items() if k in CLUSTER_ONLY_OPTIONS and v not in (None, False, [], {}))
    key = f"{what}@{location}"
    if ignored and key not in _warned:
        _warned.add(key)
        message = f"{what}: {', '.join(ignored)} configure(s) a Flyte cluster; local runs ignore it"
        if location is None:
            warnings.warn(message, ClusterConfigWarning, stacklevel=4)
        else:  # shown at the definition, not inside flowgen
            warnings.warn_explicit(message, ClusterConfigWarning, location.file, location.line)
