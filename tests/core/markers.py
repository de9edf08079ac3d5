"""Find the line of a marker comment in a test's own source, for asserting error locations."""

import inspect
from typing import Any


def line_of(obj: Any, marker: str) -> int:
    lines, start = inspect.getsourcelines(obj)
    for offset, text in enumerate(lines):
        if marker in text:
            return start + offset
    raise AssertionError(f"marker {marker!r} not found")
