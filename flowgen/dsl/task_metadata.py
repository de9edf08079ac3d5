"""flytekit's ``TaskMetadata``: a task's ``cache``, ``cache_version``, ``retries`` and ``timeout`` in one object.

``@task(metadata=TaskMetadata(retries=2, cache=True, cache_version="1"))`` (and a task class
built with ``metadata=``) reads them as flytekit does: each is the same as the ``@task``
option of that name. ``interruptible``, ``deprecated`` and the rest configure a cluster and
are kept but mean nothing locally.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flowgen.errors import DefinitionError, SourceLocation

__all__ = ["TaskMetadata", "apply_metadata"]


@dataclass(frozen=True)
class TaskMetadata:
    cache: bool = False
    cache_serialize: bool = False
    cache_version: str = ""
    cache_ignore_input_vars: tuple[str, ...] = ()
    interruptible: bool | None = None
    deprecated: str = ""
    retries: int = 0
    timeout: dt.timedelta | int | None = None
    pod_template_name: str | None = None
    generates_deck: bool = False
    is_eager: bool = False


def apply_metadata(metadata: Any, options: dict[str, Any], what: str, where: SourceLocation | None) -> dict[str, Any]:
    """The task options ``metadata`` stands for; an option also given directly is a DefinitionError."""
    if metadata is None:
        return {}
    if not isinstance(metadata, TaskMetadata):
        raise DefinitionError(f"{what}: metadata must be a TaskMetadata, not {metadata!r}", location=where)
    given = {
        "cache": metadata.cache,
        "cache_version": metadata.cache_version,
        "cache_ignore_input_vars": tuple(metadata.cache_ignore_input_vars),
        "retries": metadata.retries,
        "timeout": metadata.timeout,
    }
    both = sorted(k for k in given if k in options)
    if both:
        raise DefinitionError(f"{what}: {', '.join(both)} given both directly and in metadata=TaskMetadata(...)",
                              location=where)
    return given
