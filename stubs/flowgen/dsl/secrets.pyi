import enum
from dataclasses import dataclass
from typing import Any

from flowgen.errors import SourceLocation

__all__ = ["Secret", "secret_requests"]

@dataclass(frozen=True)
class Secret:
    class MountType(enum.Enum):
        ANY = 0
        ENV_VAR = 1
        FILE = 2

    group: str | None = None
    key: str | None = None
    group_version: str | None = None
    mount_requirement: Secret.MountType = ...
    env_var: str | None = None

def secret_requests(requests: Any, what: str, where: SourceLocation | None) -> tuple[Any, ...]: ...
