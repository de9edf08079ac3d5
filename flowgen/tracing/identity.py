"""``p is None`` on a Promise in a workflow body: found by reading the body's bytecode once.

A Promise has no value while a workflow is traced, so ``if p is None:`` (or ``is not``,
or ``p is q``) tests the placeholder's identity and silently takes one branch. No dunder
method sees an identity test, so the tracer reads the body's bytecode once (cached per
code object): when it has identity tests on locals, the body runs under an opcode
trace that stops at those instructions only and raises :class:`PromiseError` when the
tested local holds a Promise. Bodies without such tests run untraced, at full speed.
"""

from __future__ import annotations

import dis
import os
import sys
from collections.abc import Callable
from types import CodeType, FrameType
from typing import Any

from flowgen.errors import PromiseError, SourceLocation

__all__ = ["identity_sites", "run_checking_identity"]

_TESTS = frozenset({"IS_OP", "POP_JUMP_IF_NONE", "POP_JUMP_IF_NOT_NONE", "POP_JUMP_FORWARD_IF_NONE",
                    "POP_JUMP_FORWARD_IF_NOT_NONE", "POP_JUMP_BACKWARD_IF_NONE", "POP_JUMP_BACKWARD_IF_NOT_NONE"})
_LOADS = frozenset({"LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_DEREF", "LOAD_NAME", "LOAD_GLOBAL"})

_sites: dict[CodeType, dict[int, tuple[tuple[str, ...], int | None]]] = {}


def identity_sites(code: CodeType) -> dict[int, tuple[tuple[str, ...], int | None]]:
    """Offset of each identity test -> (the names it may test, its line); cached per code object."""
    found = _sites.get(code)
    if found is None:
        found = {}
        instructions = list(dis.get_instructions(code))
        for k, ins in enumerate(instructions):
            if ins.opname not in _TESTS:
                continue
            window = instructions[max(0, k - 2):k] if ins.opname == "IS_OP" else instructions[max(0, k - 1):k]
            names = tuple(str(j.argval) for j in window if j.opname in _LOADS)
            if names:
                line = ins.positions.lineno if ins.positions is not None else None
                found[ins.offset] = (names, line)
        _sites[code] = found
    return found


def run_checking_identity(fn: Callable[..., Any], code: CodeType | None, is_promise: Callable[[Any], bool],
                          kwargs: dict[str, Any]) -> Any:
    """``fn(**kwargs)``, raising PromiseError where the body tests a Promise's identity."""
    sites = identity_sites(code) if code is not None else {}
    if not sites:
        return fn(**kwargs)

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "opcode":
            site = sites.get(frame.f_lasti)
            if site is not None:
                names, line = site
                for name in names:
                    value = frame.f_locals.get(name, frame.f_globals.get(name))
                    if is_promise(value):
                        raise PromiseError(
                            f"`{name} is ...` compares the identity of a Promise placeholder, not its value; "
                            "it is always the same while the workflow is compiled",
                            location=SourceLocation(os.path.abspath(code.co_filename), line or 0),
                            hint="use p.is_none() inside conditional(), or test the value in a task",
                        )
        return local

    def call(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "call" and frame.f_code is code:
            frame.f_trace_opcodes = True
            frame.f_trace_lines = False
            return local
        return None

    previous = sys.gettrace()
    sys.settrace(call)
    try:
        return fn(**kwargs)
    finally:
        sys.settrace(previous)
