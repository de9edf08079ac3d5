"""What a running task can ask of its run: Flyte's ``current_context()`` values, secrets, checkpoints.

One **execution** per run (the outermost ``run_scope``): its name, project, domain and
date are made once by the driver and travel to worker processes and Dask workers with
each task step (``CacheSettings``), so a task sees the same values on every executor.

One **frame** per task attempt, set on the thread that runs the body (the timeout thread
included): the task's name, its node, the attempt, a fresh working directory, and the
:class:`Checkpoint` the attempt reads from (what the previous attempt wrote) and writes
to (what the next attempt will read), so a checkpoint survives a retry, as in Flyte.

Secrets follow flytekit's local conventions (``flytekit.core.context_manager.SecretsManager``):
the environment variable ``_FSEC_<GROUP>[_<GROUP_VERSION>]_<KEY>`` (upper case; the prefix
is ``FLYTE_SECRETS_ENV_PREFIX``), else the file
``$FLYTE_SECRETS_DEFAULT_DIR/<group>[/<group_version>]/<FLYTE_SECRETS_FILE_PREFIX><key>``
(lower case; the directory defaults to ``/etc/secrets``). A task that requests a secret
that is in neither place fails before it runs. Secret values are kept out of every
error flowgen raises for the task (:func:`redact`).

A task's body is run through :func:`in_frame` only when it may use any of this (it
requests secrets or decks, or its code names ``current_context`` or ``Deck``:
:func:`uses_context`); other tasks keep the executors' fast paths. ``shutil`` and ``tempfile``
are imported by the functions that use them: ``flowgen run`` of a workflow whose tasks use none
of this never loads them (start-up, issue 15).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import types
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Checkpoint",
    "Execution",
    "Frame",
    "SecretRequest",
    "SecretsManager",
    "current_execution",
    "current_frame",
    "in_frame",
    "missing_secrets",
    "redact",
    "uses_context",
]

_CONTEXT_NAMES = frozenset({"current_context", "Deck"})


@dataclass(frozen=True)
class Execution:
    """One run: Flyte's ``execution_id`` (name, project, domain) and ``execution_date``."""

    name: str
    project: str = "flowgen"
    domain: str = "local"
    date: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @staticmethod
    def new() -> Execution:
        return Execution(name="f" + uuid.uuid4().hex[:19])


_lock = threading.Lock()
_execution: Execution | None = None
_depth = 0


def current_execution() -> Execution:
    """The execution of the run in progress (a task called on its own is a run of its own)."""
    global _execution
    with _lock:
        if _execution is None:
            _execution = Execution.new()
        return _execution


def begin_run() -> None:
    """The outermost run begins: a new execution (nested runs share it)."""
    global _execution, _depth
    with _lock:
        if _depth == 0:
            _execution = Execution.new()
        _depth += 1


def end_run() -> None:
    global _depth
    with _lock:
        _depth = max(0, _depth - 1)


def adopt_execution(execution: Execution | None, secrets_env: tuple[tuple[str, str], ...] = ()) -> None:
    """In a worker: take the driver's execution, and its secrets' environment variables (as a
    cluster mounts secrets into a task's pod), for the steps that follow."""
    global _execution
    if execution is not None:
        with _lock:
            _execution = execution
    for name, value in secrets_env:
        if os.environ.get(name) != value:
            os.environ[name] = value


def secrets_environment() -> tuple[tuple[str, str], ...]:
    """The driver's secret variables and secret settings, for workers that do not share its environment."""
    prefix = os.environ.get("FLYTE_SECRETS_ENV_PREFIX", "_FSEC_")
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith((prefix, "FLYTE_SECRETS_"))))


# -- secrets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SecretRequest:
    """A requested secret as the runtime keeps it (the user's ``Secret`` object stays in the DSL)."""

    group: str
    key: str | None = None
    group_version: str | None = None

    def describe(self) -> str:
        parts = [f"group {self.group!r}"]
        if self.group_version:
            parts.append(f"version {self.group_version!r}")
        if self.key:
            parts.append(f"key {self.key!r}")
        return "secret " + ", ".join(parts)


class SecretsManager:
    """``current_context().secrets``: ``get(group, key)``, read from the environment, then from files."""

    def __init__(self, requested: tuple[SecretRequest, ...] = ()) -> None:
        self._requested = requested

    @staticmethod
    def _env_prefix() -> str:
        return os.environ.get("FLYTE_SECRETS_ENV_PREFIX", "_FSEC_")

    @staticmethod
    def _base_dir() -> str:
        return os.environ.get("FLYTE_SECRETS_DEFAULT_DIR", os.path.join(os.sep, "etc", "secrets"))

    def get_secrets_env_var(self, group: str, key: str | None = None, group_version: str | None = None) -> str:
        _check_group(group)
        return self._env_prefix() + "_".join(p.upper() for p in (group, group_version, key) if p)

    def get_secrets_file(self, group: str, key: str | None = None, group_version: str | None = None) -> str:
        _check_group(group)
        parts = [p.lower() for p in (group, group_version, key) if p]
        parts[-1] = os.environ.get("FLYTE_SECRETS_FILE_PREFIX", "") + parts[-1]
        return os.path.join(self._base_dir(), *parts)

    def find(self, group: str, key: str | None = None, group_version: str | None = None) -> str | None:
        value = os.environ.get(self.get_secrets_env_var(group, key, group_version))
        if value is not None:
            return value.strip()
        path = self.get_secrets_file(group, key, group_version)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                return f.read().strip()
        return None

    def get(self, group: str, key: str | None = None, group_version: str | None = None) -> str:
        """The secret's value; a secret found nowhere is a ``ValueError`` naming where it was looked for."""
        value = self.find(group, key, group_version)
        if value is None:
            raise ValueError(
                f"{SecretRequest(group, key, group_version).describe()} not found: set the environment variable "
                f"{self.get_secrets_env_var(group, key, group_version)} or write the file "
                f"{self.get_secrets_file(group, key, group_version)} (and request it with "
                f"@task(secret_requests=[Secret(group=..., key=...)]))"
            )
        return value

    def __getattr__(self, group: str) -> Any:
        """``secrets.group.key``, as flytekit allows."""
        if group.startswith("_"):
            raise AttributeError(group)
        manager = self

        class _Group:
            def __getattr__(self, key: str) -> str:
                return manager.get(group, key)

        return _Group()


def _check_group(group: str | None) -> None:
    if not group:
        raise ValueError("secrets group is a mandatory field")


def missing_secrets(requested: tuple[SecretRequest, ...]) -> list[str]:
    """Descriptions of the requested secrets found neither in the environment nor in files."""
    manager = SecretsManager(requested)
    missing = []
    for r in requested:
        if manager.find(r.group, r.key, r.group_version) is None:
            env = manager.get_secrets_env_var(r.group, r.key, r.group_version)
            path = manager.get_secrets_file(r.group, r.key, r.group_version)
            missing.append(f"{r.describe()} (environment variable {env}, file {path})")
    return missing


def secret_values(requested: tuple[SecretRequest, ...]) -> list[str]:
    manager = SecretsManager(requested)
    values = (manager.find(r.group, r.key, r.group_version) for r in requested)
    return [v for v in values if v]


def redact(text: str, values: list[str]) -> str:
    """``text`` with every secret value replaced by ``***``."""
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "***")
    return text


# -- checkpoints --------------------------------------------------------------------------------


class Checkpoint:
    """Flyte's intra-task checkpoint: ``read()`` gives what the previous attempt wrote (or None),
    ``write(data)`` keeps data for the next attempt; ``prev_exists``, ``restore``, ``save`` as in
    flytekit's ``SyncCheckpoint``."""

    def __init__(self, previous: str | None, current: str) -> None:
        self._previous = previous
        self._current = current

    def prev_exists(self) -> bool:
        return self._previous is not None and os.path.isdir(self._previous) and bool(os.listdir(self._previous))

    def read(self) -> bytes | None:
        if not self.prev_exists():
            return None
        assert self._previous is not None
        path = os.path.join(self._previous, "_checkpoint")
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def write(self, data: bytes) -> None:
        if not isinstance(data, bytes):
            raise TypeError(f"a checkpoint is bytes, not {type(data).__name__}")
        os.makedirs(self._current, exist_ok=True)
        with open(os.path.join(self._current, "_checkpoint"), "wb") as f:
            f.write(data)

    def restore(self, path: str | None = None) -> str | None:
        """Copy the previous attempt's checkpoint folder to ``path`` (default: a new folder); None if none."""
        import shutil
        import tempfile
        if not self.prev_exists():
            return None
        assert self._previous is not None
        target = path or tempfile.mkdtemp(prefix="flowgen-restore-")
        shutil.copytree(self._previous, target, dirs_exist_ok=True)
        return target

    def save(self, source: str | bytes) -> None:
        """Keep a file, a folder or bytes for the next attempt."""
        import shutil
        if isinstance(source, bytes):
            self.write(source)
        elif os.path.isdir(source):
            shutil.copytree(source, self._current, dirs_exist_ok=True)
        else:
            os.makedirs(self._current, exist_ok=True)
            shutil.copy(source, self._current)


# -- frames -------------------------------------------------------------------------------------


@dataclass
class Frame:
    """One attempt of one task, as its body sees it."""

    execution: Execution
    task: str
    node: str
    attempt: int
    working_directory: str
    checkpoint: Checkpoint
    secrets: SecretsManager
    decks: list[Any] = field(default_factory=list)


_local = threading.local()


def current_frame() -> Frame | None:
    return getattr(_local, "frame", None)


def uses_context(fn: Callable[..., Any]) -> bool:
    """Whether a task body may call ``current_context()`` or ``Deck(...)`` (its code, nested
    functions included, names them) or asked for secrets or decks at decoration."""
    if getattr(fn, "__flowgen_context__", False):
        return True
    code = getattr(fn, "__code__", None)
    return code is not None and _names_context(code)


def _names_context(code: types.CodeType) -> bool:
    if not _CONTEXT_NAMES.isdisjoint(code.co_names):
        return True
    return any(isinstance(c, types.CodeType) and _names_context(c) for c in code.co_consts)


@contextmanager
def task_attempts(task: str, node: str, requested: tuple[SecretRequest, ...]) -> Iterator[Callable[..., Any]]:
    """A factory of per-attempt frames for one task call; the call's folders are removed at the end."""
    import shutil
    import tempfile
    root = tempfile.mkdtemp(prefix="flowgen-task-")
    execution = current_execution()
    secrets = SecretsManager(requested)
    state: dict[str, Any] = {"attempt": 0, "decks": []}

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def attempt(**kwargs: Any) -> Any:
            state["attempt"] += 1
            n = state["attempt"]
            earlier = (os.path.join(root, f"checkpoint-{k}") for k in range(n - 1, 0, -1))
            previous = next((d for d in earlier if os.path.isdir(d)), None)
            workdir = os.path.join(root, f"work-{n}")
            os.makedirs(workdir, exist_ok=True)
            frame = Frame(execution, task, node, n, workdir, Checkpoint(previous, os.path.join(root, f"checkpoint-{n}")),
                          secrets)
            with in_frame(frame):
                result = fn(**kwargs)
            state["decks"] = frame.decks
            return result

        attempt.state = state  # type: ignore[attr-defined]
        return attempt

    try:
        yield wrap
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def in_frame(frame: Frame) -> Iterator[Frame]:
    before = getattr(_local, "frame", None)
    _local.frame = frame
    try:
        yield frame
    finally:
        _local.frame = before
