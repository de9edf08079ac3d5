"""Task options: caching, retries, timeouts, and the Flyte options that mean nothing locally."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flowgen.errors import DefinitionError, SourceLocation
from flowgen.ir.model import CacheConfig

__all__ = ["FLYTE_ONLY_OPTIONS", "Cache", "cache_config", "check_flyte_options", "timeout_seconds"]

# Accepted for compatibility with Flyte code and ignored: they configure a cluster, not a local run.
FLYTE_ONLY_OPTIONS = frozenset({
    "requests", "limits", "resources", "container_image", "environment", "secret_requests", "enable_deck",
    "deck_fields", "interruptible", "docs", "pod_template", "pod_template_name", "task_config", "accelerator",
    "execution_mode", "node_dependency_hints", "task_resolver", "disable_deck", "cache_serialize",
    "shared_memory", "labels", "annotations", "failure_policy", "on_failure", "max_parallelism",
})


@dataclass(frozen=True)
class Cache:
    """Flyte's ``Cache(version=..., ignored_inputs=...)`` form of ``@task(cache=...)``."""

    version: str | None = None
    ignored_inputs: tuple[str, ...] | str = ()
    serialize: bool = False


@dataclass(frozen=True)
class Resources:
    """Flyte's resource request (``@task(requests=Resources(cpu="2", mem="1Gi"))``); recorded, not enforced."""

    cpu: str | int | float | None = None
    mem: str | None = None
    gpu: str | int | None = None
    ephemeral_storage: str | None = None


class ImageSpec:
    """Flyte's container image spec (``@task(container_image=ImageSpec(...))``); local runs ignore it."""

    def __init__(self, name: str = "flowgen", **options: Any) -> None:
        self.name = name
        self.options = options

    def __repr__(self) -> str:
        return f"ImageSpec(name={self.name!r})"


def check_flyte_options(options: dict[str, Any], what: str, location: SourceLocation | None) -> None:
    unknown = sorted(set(options) - FLYTE_ONLY_OPTIONS)
    if unknown:
        raise DefinitionError(f"{what}: unknown option(s) {', '.join(unknown)}", location=location)
    if not options:  # the usual decorator: nothing to check, and no import of the cluster options
        return
    from flowgen.dsl.cluster_config import check_cluster_options

    check_cluster_options(options, what, location)


def cache_config(
    cache: bool | Cache, cache_version: str, ignored: Iterable[str], inputs: Iterable[str], what: str,
    location: SourceLocation | None,
) -> CacheConfig | None:
    if isinstance(cache, Cache):
        version = cache.version if cache.version is not None else cache_version
        names = (cache.ignored_inputs,) if isinstance(cache.ignored_inputs, str) else tuple(cache.ignored_inputs)
        ignored = (*ignored, *names)
    elif cache is True:
        version = cache_version
    elif cache is False or cache is None:
        return None
    else:
        raise DefinitionError(f"{what}: cache must be True, False or Cache(...), not {cache!r}", location=location)
    unknown = sorted(set(ignored) - set(inputs))
    if unknown:
        raise DefinitionError(f"{what}: ignored cache input(s) {', '.join(unknown)} are not inputs",
                              location=location)
    return CacheConfig(version=version or "", ignored_inputs=tuple(sorted(set(ignored))))


def timeout_seconds(timeout: Any, what: str, location: SourceLocation | None) -> float | None:
    if timeout is None:
        return None
    if isinstance(timeout, dt.timedelta):
        seconds = timeout.total_seconds()
    elif isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        seconds = float(timeout)
    else:
        raise DefinitionError(f"{what}: timeout must be seconds or a timedelta, not {timeout!r}", location=location)
    if seconds <= 0:
        raise DefinitionError(f"{what}: timeout must be positive, not {timeout!r}", location=location)
    return seconds
