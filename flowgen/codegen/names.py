"""Names in generated modules: every name the generator makes is allocated here.

User names (workflow functions, workflow inputs, keyword names of task calls) are
kept exactly; every other name (the helper module, user-module aliases, node
variables, node helpers, bodies) is derived from a readable base and allocated so
that it cannot equal a user name or another generated name, compared the way Python
compares identifiers (NFKC-normalized), and is never a keyword (CPython's
``dataclasses`` prefixes its names for the same reason).
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata

__all__ = ["BUILTIN_NAMES", "NameTable", "is_identifier", "sanitize"]

BUILTIN_NAMES = frozenset(dir(builtins))


def _norm(name: str) -> str:
    return unicodedata.normalize("NFKC", name)


def is_identifier(name: str) -> bool:
    """A name usable as a Python variable or keyword argument."""
    return isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(_norm(name))


def sanitize(text: str) -> str:
    """An ASCII identifier fragment for ``text`` (``"my task!"`` -> ``my_task_``)."""
    fragment = re.sub(r"[^A-Za-z0-9_]", "_", text)
    if not fragment or fragment[0].isdigit():
        fragment = "_" + fragment
    return fragment


class NameTable:
    """Allocates unique names in one scope, avoiding everything ``reserve``d (and a parent's names)."""

    def __init__(self, parent: NameTable | None = None) -> None:
        self.parent = parent
        self._taken: set[str] = set()

    def reserve(self, name: str) -> None:
        self._taken.add(_norm(name))

    def taken(self, name: str) -> bool:
        n = _norm(name)
        return n in self._taken or (self.parent is not None and self.parent.taken(n))

    def new(self, base: str) -> str:
        """A fresh name from ``base`` (sanitized; ``_2``, ``_3``... appended on collision)."""
        base = sanitize(base)
        if keyword.iskeyword(base):
            base += "_"
        name, i = base, 1
        while self.taken(name):
            i += 1
            name = f"{base}_{i}"
        self.reserve(name)
        return name
