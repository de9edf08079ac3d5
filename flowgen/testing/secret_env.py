"""Secrets for tests: ``with flowgen.testing.secrets({"api": {"token": "t"}}): ...`` (the secrets as environment variables).

A task reads a secret with ``current_context().secrets.get(group, key)``, which follows
flytekit's local conventions (:mod:`flowgen.runtime.task_context`): the environment variable
``_FSEC_<GROUP>[_<VERSION>]_<KEY>``, else a file under ``$FLYTE_SECRETS_DEFAULT_DIR``. This
context manager sets those variables for its duration and restores them afterwards, so the
secrets are seen wherever a task runs: the interpreter, a module ``flowgen build`` made, and
worker processes or Dask workers (the runtime hands them the driver's secret variables, as a
cluster mounts secrets into a pod).

``isolated=True`` (the default) hides every other secret for the duration (other ``_FSEC_``
variables are unset, and the secrets directory is an empty temporary one), so a test passes or
fails the same on a laptop with real secrets in ``/etc/secrets`` and on CI without them.

The secrets are the process's environment: a test that runs workflows on several threads at
once sees one set of secrets, as a real process does. ``SecretsManager`` (flytekit's name, as
``flytekit.testing`` exports it) reads them like a task does.

Accepted spellings of the mapping::

    {"api": {"token": "t"}}                     # group -> key -> value
    {("api", "token"): "t"}                     # (group, key) -> value
    {("api", "token", "v1"): "t"}               # (group, key, group_version) -> value
    {"api": "t"}                                # a group without key
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from typing import Any

from flowgen.runtime.task_context import SecretsManager

__all__ = ["SecretsManager", "normalise", "secrets"]

SecretKey = tuple[str, "str | None", "str | None"]  # group, key, group_version


def normalise(mapping: Mapping[Any, Any]) -> dict[SecretKey, str]:
    """``{(group, key, group_version): value}`` from any accepted spelling; TypeError/ValueError naming the entry."""
    out: dict[SecretKey, str] = {}
    for name, value in mapping.items():
        if isinstance(name, tuple):
            if not 1 <= len(name) <= 3 or not all(isinstance(p, str) or p is None for p in name):
                raise TypeError(f"secrets: {name!r} is not (group, key) or (group, key, group_version)")
            group, key, version = (*name, None, None)[:3]
            out[(group, key, version)] = _value(name, value)
        elif isinstance(name, str) and isinstance(value, Mapping):
            for key, inner in value.items():
                if not isinstance(key, str):
                    raise TypeError(f"secrets: group {name!r} has a key {key!r} that is not a str")
                out[(name, key, None)] = _value((name, key), inner)
        elif isinstance(name, str):
            out[(name, None, None)] = _value(name, value)
        else:
            raise TypeError(f"secrets: {name!r} is not a group name or a (group, key) tuple")
        if not (name[0] if isinstance(name, tuple) else name):
            raise ValueError("secrets: a group name is required (it is empty)")
    return out


def _value(name: Any, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"secrets: the value of {name!r} is a {type(value).__name__}; a secret is a str")
    return value


@contextlib.contextmanager
def secrets(mapping: Mapping[Any, Any] | None = None, /, *, isolated: bool = True,
            **groups: Any) -> Iterator[SecretsManager]:
    """Make these secrets the ones tasks see, for the duration; yields a :class:`SecretsManager`.

    Keywords are groups (``secrets(api={"token": "t"})``). With ``isolated`` (the default) no
    other secret is visible meanwhile.
    """
    given = normalise({**(mapping or {}), **groups})
    manager = SecretsManager()
    prefix = manager.get_secrets_env_var("x")[: -len("X")]
    set_names = {manager.get_secrets_env_var(g, k, v): value for (g, k, v), value in given.items()}
    touched = set(set_names) | {"FLYTE_SECRETS_DEFAULT_DIR"}
    if isolated:
        touched |= {n for n in os.environ if n.startswith(prefix)}
    saved = {n: os.environ.get(n) for n in touched}
    empty_dir = None
    try:
        if isolated:
            for name in touched:
                os.environ.pop(name, None)
            empty_dir = tempfile.mkdtemp(prefix="flowgen-secrets-")
            os.environ["FLYTE_SECRETS_DEFAULT_DIR"] = empty_dir
        os.environ.update(set_names)
        yield manager
    finally:
        for name, before in saved.items():
            if before is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = before
        if empty_dir is not None:
            shutil.rmtree(empty_dir, ignore_errors=True)
