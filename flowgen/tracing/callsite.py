"""Finding the user's line: the first frame outside flowgen, and what it was doing there."""

from __future__ import annotations

import dis
import linecache
import os
import sys
import sysconfig
from types import CodeType, FrameType

from flowgen.errors import SourceLocation
from flowgen.ir.model import SourceSpan

__all__ = ["Site", "construct_at", "expression_at", "instruction_at", "site_span", "sites_of", "user_frame",
           "user_frame_from", "user_location", "user_span", "user_span_from"]

_FLOWGEN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
# Caches are keyed by the code object's *identity*: code objects compare equal across files
# when their bytecode is the same (equality ignores co_filename). Each entry keeps its code
# object alive, so an id is never reused while its entry exists.
_positions: dict[int, tuple[CodeType, list[tuple[int | None, int | None, int | None, int | None]]]] = {}
_opnames: dict[int, tuple[CodeType, dict[int, tuple[str, int | None]]]] = {}


_STDLIB_DIR = os.path.join(sysconfig.get_paths()["stdlib"], "")


def _is_internal(filename: str) -> bool:
    """flowgen's own code, and the standard library's (a Promise misused inside ``json.dumps``
    is the user's mistake on the user's line)."""
    return filename.startswith((_FLOWGEN_DIR, "<frozen ", _STDLIB_DIR)) and "site-packages" not in filename


_internal_code: dict[int, tuple[CodeType, bool]] = {}


def user_frame(depth: int = 1) -> FrameType | None:
    """The innermost frame whose code is neither flowgen's nor the standard library's.

    ``depth`` is accepted for compatibility and ignored: the walk always starts at the
    innermost frame, because skipping a fixed number of frames can skip past the user's
    own frame into whatever called it (click, pytest).
    """
    return user_frame_from(sys._getframe(1))


def _positions_of(code: CodeType) -> list[tuple[int | None, int | None, int | None, int | None]]:
    """``code.co_positions()`` as a list, made once per code object."""
    hit = _positions.get(id(code))
    if hit is not None and hit[0] is code:
        return hit[1]
    positions = list(code.co_positions())
    _positions[id(code)] = (code, positions)
    return positions


def _position(frame: FrameType) -> tuple[int, int]:
    positions = _positions_of(frame.f_code)
    index = frame.f_lasti // 2
    line, _, col, _ = positions[index] if 0 <= index < len(positions) else (None, None, None, None)
    return (line if line is not None else frame.f_lineno), (col or 0)


_spans: dict[tuple[int, int], tuple[CodeType, SourceSpan]] = {}


def user_span(depth: int = 2) -> SourceSpan | None:
    """The user's call site as IR data; one shared object per (code, instruction)."""
    frame = user_frame(depth)
    return None if frame is None else _span(frame)


def user_span_from(frame: FrameType | None) -> SourceSpan | None:
    """:func:`user_span` when the caller knows a frame at or inside the user's: the walk outwards
    starts there (a task call traced from user code: no frame to skip at all)."""
    found = user_frame_from(frame)
    return None if found is None else _span(found)


def _span(frame: FrameType) -> SourceSpan:
    code = frame.f_code
    key = (id(code), frame.f_lasti)
    hit = _spans.get(key)
    if hit is not None and hit[0] is code:
        return hit[1]
    line, col = _position(frame)
    span = SourceSpan.model_construct(file=os.path.abspath(code.co_filename), line=line, column=col)
    if len(_spans) < 100_000:
        _spans[key] = (code, span)
    return span


def user_location(depth: int = 2) -> SourceLocation | None:
    frame = user_frame(depth)
    if frame is None:
        return None
    line, col = _position(frame)
    return SourceLocation(os.path.abspath(frame.f_code.co_filename), line, col)


def _ops(code: CodeType) -> dict[int, tuple[str, int | None]]:
    hit = _opnames.get(id(code))
    if hit is not None and hit[0] is code:
        return hit[1]
    ops = {i.offset: (i.opname, i.arg) for i in dis.get_instructions(code)}
    _opnames[id(code)] = (code, ops)
    return ops


def instruction_at(frame: FrameType) -> tuple[str, int | None]:
    """The opcode name and argument the frame is executing (``("", None)`` when unknown)."""
    return _ops(frame.f_code).get(frame.f_lasti, ("", None))


def expression_at(frame: FrameType, limit: int = 60) -> str | None:
    """The source text of the expression the frame is evaluating, when it fits on one line.

    Taken from the instruction's column positions (PEP 657), so ``print(p)`` names the call
    that asked a Promise for its ``str()``.
    """
    code = frame.f_code
    hit = _positions.get(id(code))
    if hit is not None and hit[0] is code:
        positions = hit[1]
    else:
        positions = list(code.co_positions())
        _positions[id(code)] = (code, positions)
    index = frame.f_lasti // 2
    if not 0 <= index < len(positions):
        return None
    line, end_line, col, end_col = positions[index]
    if line is None or line != end_line or col is None or end_col is None:
        return None
    text = linecache.getline(code.co_filename, line).encode()[col:end_col].decode(errors="replace").strip()
    if not text or len(text) > limit:
        return None
    return text


def construct_at(frame: FrameType) -> str:
    """What made Python ask for a truth value here: ``if``, ``while``, ``and``/``or``, ``not``, ``assert``, ``bool()``."""
    ops = _ops(frame.f_code)
    op = ops.get(frame.f_lasti, ("", None))[0]
    following = ops.get(frame.f_lasti + 2, ("", None))[0]
    code = frame.f_code
    line = linecache.getline(code.co_filename, frame.f_lineno).strip()
    if op == "UNARY_NOT" or following == "UNARY_NOT":
        return "`not`"
    if "OR_POP" in op or "OR_POP" in following:
        return "`and`/`or`"
    if op.startswith("CALL") or op.startswith("PRECALL"):
        expression = expression_at(frame)
        if expression is None or expression.startswith("bool("):
            return "bool()"
        return f"`{expression}` (a call that compares or tests values)"
    if op == "CONTAINS_OP":
        expression = expression_at(frame)
        return f"`{expression}` (`in` compares with ==)" if expression else "`in` (it compares with ==)"
    for keyword in ("if", "elif", "while", "assert"):
        if line.startswith(keyword + " ") or line.startswith(keyword + "("):
            if " and " in line or " or " in line:
                return f"`and`/`or` in a Python `{keyword}`"
            return f"a Python `{keyword}`"
    if " and " in line or " or " in line:
        return "`and`/`or`"
    if " if " in line:
        return "a conditional expression (`x if cond else y`)"
    return "truth-value testing"


# -- call sites recorded cheaply (the lean record path, flowgen.tracing.records) ----------------
# A site is ``(code, offset)``: one shared tuple per call instruction, made from the user's frame at
# the cost of two attribute reads and a dict lookup; it becomes a SourceSpan only when an error, a
# report or the IR needs one (:func:`site_span`, the same span ``user_span_from`` gives that frame).
Site = tuple[CodeType, int]
_sites: dict[int, tuple[CodeType, dict[int, Site]]] = {}


def sites_of(code: CodeType) -> dict[int, Site]:
    """The shared sites of one code object, by instruction offset (filled by the caller)."""
    hit = _sites.get(id(code))
    if hit is not None and hit[0] is code:
        return hit[1]
    table: dict[int, Site] = {}
    _sites[id(code)] = (code, table)
    return table


def user_frame_from(frame: FrameType | None) -> FrameType | None:
    """The first frame at or outside ``frame`` whose code is the user's (see :func:`user_frame`)."""
    while frame is not None:
        code = frame.f_code
        hit = _internal_code.get(id(code))
        if hit is not None and hit[0] is code:
            internal = hit[1]
        else:
            internal = _is_internal(code.co_filename)
            _internal_code[id(code)] = (code, internal)
        if not internal:
            return frame
        frame = frame.f_back
    return None


def _line_at(code: CodeType, offset: int) -> int | None:
    """What ``frame.f_lineno`` is while the frame executes the instruction at ``offset``."""
    for start, end, line in code.co_lines():
        if start <= offset < end:
            return line
    return None


def site_span(site: Site | None) -> SourceSpan | None:
    """The SourceSpan of a recorded site: equal to what :func:`user_span_from` gave at the call."""
    if site is None:
        return None
    code, offset = site
    key = (id(code), offset)
    hit = _spans.get(key)
    if hit is not None and hit[0] is code:
        return hit[1]
    positions = _positions_of(code)
    index = offset // 2
    line, _, col, _ = positions[index] if 0 <= index < len(positions) else (None, None, None, None)
    if line is None:
        line = _line_at(code, offset) or code.co_firstlineno
    span = SourceSpan(file=os.path.abspath(code.co_filename), line=line, column=col or 0)
    if len(_spans) < 100_000:
        _spans[key] = (code, span)
    return span
