"""What the interpreter tells an observer (progress bars, run reports, summaries)."""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["Observer"]


class Observer(Protocol):
    def node_started(self, path: str, node: Any) -> None: ...

    def node_finished(
        self, path: str, node: Any, status: str, duration: float, *, error: BaseException | None = None,
        cached: bool = False, attempts: int = 1,
    ) -> None: ...

    def nodes_added(self, parent: str, count: int) -> None: ...
