"""Running a workflow with a RunRecorder, and reading a report page back (stdlib HTML parser)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

from flowgen.dsl.entities import Workflow
from flowgen.errors import FlowgenError
from flowgen.report import RunRecorder
from flowgen.runtime.boundary import prepare_inputs
from flowgen.runtime.gc_policy import run_scope
from flowgen.runtime.interpreter import Interpreter


def record_run(workflow: Workflow, **inputs: Any) -> RunRecorder:
    """Run ``workflow`` with a recorder; a failed run is recorded, not raised."""
    program = workflow.compile_program()
    recorder = RunRecorder(program)
    values = prepare_inputs(workflow.interface, inputs, what="test", workflow=workflow.name)
    try:
        with run_scope():
            Interpreter(program, recorder).run_workflow(program.entry, values)
    except FlowgenError as exc:
        recorder.run_finished(exc)
    else:
        recorder.run_finished()
    return recorder


class PageElements(HTMLParser):
    """Every element's tag and attributes, in document order, plus the embedded JSON data."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self._in_data = False
        self._data: list[str] = []
        self.feed(page)
        self.data: Any = json.loads("".join(self._data)) if self._data else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.elements.append((tag, found))
        self._in_data = tag == "script" and found.get("id") == "fg-data"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self._data.append(data)

    def with_class(self, cls: str) -> list[dict[str, str]]:
        return [attrs for _, attrs in self.elements if cls in attrs.get("class", "").split()]

    def by_id(self, element_id: str) -> dict[str, str] | None:
        return next((attrs for _, attrs in self.elements if attrs.get("id") == element_id), None)
