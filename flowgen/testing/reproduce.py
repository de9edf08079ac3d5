"""The ``flowgen run FILE.py:WF --x ...`` command line that reproduces a run with given inputs.

Each value is spelled as ``flowgen run`` parses it (:mod:`flowgen.cli.inputs`): strings as
written, numbers, ``true``/``false``, ``null``, enum member names, ISO dates, timedeltas in
seconds, JSON for containers and records, a file or folder as its path in a JSON string;
then shell-quoted. A value the command line
cannot carry exactly (a string ``flowgen run`` would read as another variant of a union,
bytes that are not UTF-8) makes the command use ``--inputs`` with a JSON file's content
shown inline instead.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import shlex
from typing import Any

from flowgen.ir.types import DirectoryType, FileType, LiteralType, PrimitiveType, TypeSpec, UnionType

__all__ = ["format_inputs", "input_text", "reproducer"]


def format_inputs(values: dict[str, Any]) -> str:
    """``x=52, name='a'`` for messages."""
    return ", ".join(f"{k}={v!r}" for k, v in values.items()) or "(none)"


def input_text(value: Any, spec: TypeSpec) -> str:
    """The command-line text ``flowgen run`` parses back to ``value`` for ``spec``; ValueError if none."""
    from flowgen.cli.inputs import parse_text
    from flowgen.ir.codec import to_json

    local = getattr(value, "_path", None)
    if isinstance(spec, (FileType, DirectoryType)) and isinstance(local, str) and local \
            and getattr(value, "_remote_source", None) is None:
        return json.dumps(local)  # flowgen run reads a file or folder input as a JSON string: its path
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, enum.Enum):
        text = value.name
    elif isinstance(value, str) and not isinstance(spec, LiteralType):
        text = value
    elif isinstance(value, (int, float)) and not isinstance(spec, LiteralType):
        text = repr(value)
    elif isinstance(value, bytes):
        text = value.decode("utf-8")  # UnicodeDecodeError is a ValueError
    elif isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()
    elif isinstance(value, dt.timedelta):
        text = repr(value.total_seconds())
    elif isinstance(spec, LiteralType):
        text = str(value)
    else:
        text = json.dumps(to_json(value, spec))
    if not _round_trips(parse_text, text, value, spec):
        raise ValueError(f"{value!r} does not survive the command line as {text!r}")
    return text


def _round_trips(parse: Any, text: str, value: Any, spec: TypeSpec) -> bool:
    try:
        back = parse(text, spec)
    except ValueError:
        return False
    if isinstance(spec, (PrimitiveType, UnionType)) and type(back) is not type(value):
        return False
    try:
        return bool(back == value)
    except Exception:
        return False


def _target(workflow: Any) -> str:
    path = workflow.source.file if workflow.source else "FILE.py"
    rel = os.path.relpath(path)
    shown = rel if not rel.startswith("..") else path
    return f"{shown}:{workflow.function.rpartition(':')[2]}"


def reproducer(workflow: Any, values: dict[str, Any]) -> str:
    """``flowgen run FILE.py:WF --x 52 ...`` for ``workflow`` run with ``values`` (all its inputs)."""
    from flowgen.ir.codec import to_json

    words = ["flowgen", "run", _target(workflow)]
    as_json: dict[str, Any] = {}
    for param in workflow.interface.inputs:
        if param.name not in values:
            continue
        value = values[param.name]
        try:
            words += [f"--{param.name}", input_text(value, param.type)]
        except (ValueError, TypeError):
            as_json[param.name] = value
    command = shlex.join(words)
    if as_json:
        data = {k: to_json(v, workflow.interface.input(k).type) for k, v in as_json.items()}
        command = (f"echo {shlex.quote(json.dumps(data))} > inputs.json && {command} --inputs inputs.json")
    return command
