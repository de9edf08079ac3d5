"""``flowgen.Deck("name", html)``: HTML a task shows in the run report, under its node (Flyte's Deck).

Inside a running task, ``Deck("Summary", "<b>ok</b>")`` (and ``deck.append(html)``) is kept
with the task's attempt; when the task succeeds its decks are written next to the cache
(``<cache dir>/decks/<execution>/<node>/``), where the run report of that execution finds
them, whichever worker ran the task. ``@task(enable_deck=True)`` is accepted, as in Flyte.
Outside a task a Deck is a plain object.
"""

from __future__ import annotations

from flowgen.runtime.task_context import current_frame

__all__ = ["Deck"]


class Deck:
    """A named piece of HTML for the run report."""

    def __init__(self, name: str, html: str = "") -> None:
        if not isinstance(name, str) or not name:
            raise TypeError(f"a Deck needs a name, not {name!r}")
        self.name = name
        self._html = str(html or "")
        frame = current_frame()
        if frame is not None:
            frame.decks.append(self)

    @property
    def html(self) -> str:
        return self._html

    def append(self, html: str) -> Deck:
        self._html += str(html)
        return self

    def __repr__(self) -> str:
        return f"Deck({self.name!r}, {len(self._html)} characters)"
