"""The common task call of a traced @dynamic body, compiled once per task.

Most calls in a @dynamic body (the reference workload: 4n+1 of them in a loop) pass every
input by keyword, and each value is either an exact JSON scalar (``character=s1[i]``) or the
Promise of an earlier call of the same body, of the very type the input declares
(``freq_list=freq1``). For such a call the record path
(:meth:`flowgen.tracing.records.Recorder.add_call`) needs no argument binding, no literal
handling and no type compatibility check, so each task gets a small function, generated
from its interface once (:func:`record_maker`), that does just that with straight-line
code: unpack the keywords by name, check each value's exact class, count the readers, read
the call site, make the record.

It answers None -- *having changed nothing* -- for any call it does not handle (a
positional argument, a missing or unknown keyword, any other value: a list literal, ``p[0]``,
a Promise of another type or graph, an int for a float input, a bool for an int input), and
the recorder then takes its general path, which makes the same record or the same error as
before. So the generated code only ever makes records the general path would have made,
field for field (tests/core/test_record_calls.py compares the two).

The generated code reads no module of the front end: the record class and its helpers are
handed to :func:`record_maker` (``flowgen.tracing.records`` imports this module).
"""

from __future__ import annotations

import linecache
import os
from collections.abc import Callable
from sys import _getframe
from typing import Any

__all__ = ["record_maker"]

_HERE = os.path.dirname(os.path.abspath(__file__))

# Call depth from a maker to the user's frame: maker <- Recorder.add_call <- Task.__call__ <- user.
CALLER_DEPTH = 3


def record_maker(info: Any, record_type: type, handle: Callable[[str, Any], Any]) -> Callable[..., Any]:
    """The record maker of one task: ``maker(kwargs, scope, hot, records)`` -> the call's
    record (or node handle), or None when the general path must bind the call.

    ``info`` is the task's RecordInfo: ``params`` as ``(name, type, exact)``, ``single``;
    ``hot`` is the recorder's call-site cache (``frame``, ``code``, ``sites``, ``site(frame)``:
    see ``flowgen.tracing.records._Hot``)."""
    names = [name for name, _, _ in info.params]
    values = [f"v{i}" for i in range(len(names))]
    lines = [
        "def maker(kwargs, scope, hot, records):",
        f"    if len(kwargs) != {len(names)}:",
        "        return None",
    ]
    if names:
        lines.append("    try:")
        lines += [f"        {v} = kwargs[{name!r}]" for v, name in zip(values, names)]
        lines += ["    except KeyError:", "        return None"]
    namespace: dict[str, Any] = {"RP": record_type, "INFO": info, "new": object.__new__, "getframe": _getframe,
                                 "handle": handle}
    counted = []
    for i, (v, (_, target, exact)) in enumerate(zip(values, info.params)):
        namespace[f"T{i}"] = target
        promise = f"type({v}) is not RP or {v}._scope is not scope or {v}._info.out_type is not T{i}"
        if exact is None:
            lines += [f"    if {promise}:", "        return None"]
            counted.append(f"    {v}._readers += 1")
        else:
            namespace[f"E{i}"] = exact
            lines += [f"    if type({v}) is not E{i} and ({promise}):", "        return None"]
            counted.append(f"    if type({v}) is RP:\n        {v}._readers += 1")
    lines += counted  # only once the call is known to be handled here: None changes nothing
    lines += [
        f"    frame = getframe({CALLER_DEPTH})",
        "    if frame is hot.frame:",
        "        site = hot.sites.get(frame.f_lasti)",
        "        if site is None:",
        "            site = hot.site(frame)",
        "    elif frame.f_code is hot.code:",
        "        hot.frame = frame",
        "        site = hot.sites.get(frame.f_lasti)",
        "        if site is None:",
        "            site = hot.site(frame)",
        "    else:",
        "        site = hot.site(frame)",
        "    record = new(RP)",
        "    record._info = INFO",
        f"    record._args = ({', '.join(values)}{',' if len(values) == 1 else ''})",
        "    record._site = site",
        "    record._index = index = len(records)",
        "    record._scope = scope",
        "    record._readers = 0",
        "    records.append(record)",
        "    return record" if info.single else "    return handle(f'n{index}', scope)",
    ]
    source = "\n".join(lines) + "\n"
    # A name inside flowgen's directory: call-site walks and task tracebacks skip it as flowgen's own.
    filename = os.path.join(_HERE, f"<record maker of {info.spec.name}>")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    maker: Callable[..., Any] = namespace["maker"]
    maker.__qualname__ = f"record_maker[{info.spec.name}]"
    return maker
