"""``current_context()``: what a running task can ask of its run, under flytekit's names.

=========================  ===============================================================
``execution_id``           ``.name`` / ``.project`` / ``.domain`` of the run (one per run,
                           the same in every task and on every executor)
``execution_date``         when the run started (UTC)
``task_id``                ``.name`` (the task), ``.project``, ``.domain``, ``.version``
``working_directory``      a fresh folder for this attempt, removed after the task
``raw_output_prefix``      the run's raw-data store (``--raw-data-prefix``)
``logging``                a :mod:`logging` logger
``secrets``                ``.get(group, key)``: see :mod:`flowgen.runtime.task_context`
``checkpoint``             ``.read()`` / ``.write(bytes)``: survives a retry of the task
=========================  ===============================================================

Outside a task (a workflow body, plain Python) the values are the run's, with no task:
``checkpoint`` is then None and ``working_directory`` a folder of the process.
"""

from __future__ import annotations

import datetime as dt
import logging as _logging
import tempfile
from dataclasses import dataclass
from typing import Any

from flowgen.runtime.task_context import Checkpoint, SecretsManager, current_execution, current_frame

__all__ = ["ExecutionParameters", "Identifier", "WorkflowExecutionIdentifier", "current_context"]

_logger = _logging.getLogger("flowgen.task")


@dataclass(frozen=True)
class WorkflowExecutionIdentifier:
    """Flyte's execution id: ``project``, ``domain``, ``name``."""

    project: str
    domain: str
    name: str

    def __str__(self) -> str:
        return f"ex:{self.project}:{self.domain}:{self.name}"


@dataclass(frozen=True)
class Identifier:
    """Flyte's task id: ``project``, ``domain``, ``name``, ``version``."""

    project: str
    domain: str
    name: str
    version: str = "local"


class ExecutionParameters:
    """What ``current_context()`` returns (flytekit's ``ExecutionParameters``)."""

    def __init__(self) -> None:
        execution = current_execution()
        frame = current_frame()
        self._frame = frame
        self.execution_id = WorkflowExecutionIdentifier(execution.project, execution.domain, execution.name)
        self.execution_date: dt.datetime = execution.date
        self.task_id: Identifier | None = (
            Identifier(execution.project, execution.domain, frame.task) if frame is not None else None
        )
        self.logging: _logging.Logger = _logger
        self.secrets: SecretsManager = frame.secrets if frame is not None else SecretsManager()
        self.checkpoint: Checkpoint | None = frame.checkpoint if frame is not None else None

    @property
    def working_directory(self) -> str:
        if self._frame is not None:
            return self._frame.working_directory
        return tempfile.gettempdir()

    @property
    def raw_output_prefix(self) -> str:
        from flowgen.data.store import configured_prefix

        return configured_prefix()

    @property
    def attempt(self) -> int:
        """Which attempt of the task this is (1, then 2 after a retry ...)."""
        return self._frame.attempt if self._frame is not None else 1

    @property
    def decks(self) -> list[Any]:
        return self._frame.decks if self._frame is not None else []

    def __repr__(self) -> str:
        task = self.task_id.name if self.task_id else None
        return f"ExecutionParameters(execution_id={self.execution_id}, task={task})"


def current_context() -> ExecutionParameters:
    """The running task's context (flytekit's ``flytekit.current_context()``)."""
    return ExecutionParameters()
