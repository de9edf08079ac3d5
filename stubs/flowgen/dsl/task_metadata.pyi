import datetime as dt
from dataclasses import dataclass
from typing import Any

from flowgen.errors import SourceLocation

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

def apply_metadata(metadata: Any, options: dict[str, Any], what: str, where: SourceLocation | None) -> dict[str, Any]: ...
