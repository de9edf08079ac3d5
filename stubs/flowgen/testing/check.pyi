from dataclasses import dataclass

@dataclass
class CheckResult:
    workflow: str
    examples: int = 0
    runs: list[str] = ...
    front_end: str | None = None
