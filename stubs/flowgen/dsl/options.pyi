import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias

from flowgen.errors import SourceLocation

__all__ = ["FLYTE_ONLY_OPTIONS", "Cache", "cache_config", "check_flyte_options", "timeout_seconds"]

FLYTE_ONLY_OPTIONS: frozenset[str]

@dataclass(frozen=True)
class Cache:
    version: str | None = None
    ignored_inputs: tuple[str, ...] | str = ()
    serialize: bool = False

@dataclass(frozen=True)
class Resources:
    cpu: str | int | float | None = None
    mem: str | None = None
    gpu: str | int | None = None
    ephemeral_storage: str | None = None

class ImageSpec:
    name: str
    options: dict[str, Any]
    def __init__(self, name: str = "flowgen", **options: Any) -> None: ...

_Timeout: TypeAlias = datetime.timedelta | int | float | None

def check_flyte_options(options: dict[str, Any], what: str, location: SourceLocation | None) -> None: ...
def cache_config(
    cache: bool | Cache,
    cache_version: str,
    ignored: Iterable[str],
    inputs: Iterable[str],
    what: str,
    location: SourceLocation | None,
) -> Any: ...
def timeout_seconds(timeout: Any, what: str, location: SourceLocation | None) -> float | None: ...
