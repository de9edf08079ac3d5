"""``Secret(group, key)`` for ``@task(secret_requests=[...])``, as flytekit spells it.

A local run reads a requested secret where flytekit does (the environment variable
``_FSEC_<GROUP>_<KEY>``, else the file ``$FLYTE_SECRETS_DEFAULT_DIR/<group>/<key>``;
see :mod:`flowgen.runtime.task_context`); ``mount_requirement`` says how a cluster would
mount it and changes nothing locally. A task whose requested secret is missing fails
before its body runs, naming the secret.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from flowgen.errors import DefinitionError, SourceLocation
from flowgen.runtime.task_context import SecretRequest

__all__ = ["Secret", "secret_requests"]


@dataclass(frozen=True)
class Secret:
    """A secret a task needs: ``group`` (required), ``key``, ``group_version``, ``mount_requirement``."""

    class MountType(enum.Enum):
        ANY = 0
        ENV_VAR = 1
        FILE = 2

    group: str | None = None
    key: str | None = None
    group_version: str | None = None
    mount_requirement: Secret.MountType = MountType.ANY
    env_var: str | None = None

    def __repr__(self) -> str:  # never a value: a Secret only names one
        return f"Secret(group={self.group!r}, key={self.key!r})"


def secret_requests(requests: Any, what: str, where: SourceLocation | None) -> tuple[SecretRequest, ...]:
    """The runtime's view of ``@task(secret_requests=...)``; anything but a list of Secret is a DefinitionError."""
    if requests is None:
        return ()
    if not isinstance(requests, (list, tuple)):
        raise DefinitionError(f"{what}: secret_requests must be a list of Secret, not {requests!r}", location=where)
    out = []
    for r in requests:
        if not isinstance(r, Secret):
            raise DefinitionError(f"{what}: secret_requests holds {r!r}, not a Secret(group=..., key=...)",
                                  location=where)
        if not r.group:
            raise DefinitionError(f"{what}: {r!r} needs a group", location=where)
        out.append(SecretRequest(r.group, r.key, r.group_version))
    return tuple(out)
