"""What a generated module carries, decoded: task specs, call sites, its sources' hashes, its IR.

* :func:`task_spec`, :func:`interface`, :func:`type_spec`, :func:`decode`: IR pieces the
  generator embedded as JSON (one per task, interface or type, shared by every node).
* :class:`Site`: a call site relative to the source root, resolved once per module.
* :func:`check_sources`: refuses to run a module whose sources changed since it was built.
* :class:`EmbeddedProgram` (``_PROGRAM``): the workflows' IR for runs on a parallel executor
  and for observed runs. It is decoded on first use only, so a module that runs in-process
  never pays for it. A large one is embedded compressed (:func:`packed`: zlib, then base85,
  one string constant): repeated node shapes compress to a few bytes per node, so a
  20,000-node workflow's IR stays a small part of the module and costs nothing to import.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
import threading
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from flowgen.errors import FlowgenError, SourceLocation
from flowgen.ir import decode as ir_decode
from flowgen.ir.codec import from_json
from flowgen.ir.model import Interface, Output, Program, TaskSpec, WorkflowSpec
from flowgen.ir.types import TypeSpec

__all__ = [
    "EmbeddedProgram",
    "Packed",
    "Site",
    "StaleSourceError",
    "check_sources",
    "decode",
    "function_of",
    "interface",
    "pack",
    "packed",
    "program",
    "site",
    "source_root",
    "task_spec",
    "type_spec",
]


def _workflow_spec(data: dict[str, Any]) -> WorkflowSpec:
    """A workflow's IR from the generator's JSON (validated by pydantic only if it is not that)."""
    try:
        return ir_decode.decode(WorkflowSpec, data)
    except Exception:
        from flowgen.ir.pydantic_models import validate

        result: WorkflowSpec = validate(WorkflowSpec, data)
        return result


def task_spec(data: str) -> TaskSpec:
    """A task's IR spec, from the JSON the generator embedded."""
    return ir_decode.decode_json(TaskSpec, data)


def interface(data: str) -> Interface:
    return ir_decode.decode_json(Interface, data)


def type_spec(data: str) -> TypeSpec:
    return ir_decode.decode_json(Output, json.dumps({"name": "t", "type": json.loads(data)})).type


def decode(data: Any, spec: TypeSpec) -> Any:
    """A fresh value of a literal that the generator could not spell as Python (``from_json``)."""
    return from_json(data, spec)


def function_of(entity: Any) -> Callable[..., Any]:
    """The plain function behind a task object (``task.fn``), or the object if it is one."""
    fn: Callable[..., Any] = getattr(entity, "fn", entity)
    return fn


class Site:
    """A call site recorded relative to the source root; resolved once per module."""

    __slots__ = ("location",)

    def __init__(self, root: str, file: str, line: int, column: int) -> None:
        self.location = SourceLocation(os.path.normpath(os.path.join(root, file)), line, column)


def site(root: str, file: str, line: int, column: int = 0) -> Site:
    return Site(root, file, line, column)


# ----------------------------------------------------------------------------- compressed constants


class Packed:
    """Text the generator embedded compressed (``_fg.packed("...")``); decompressed when read."""

    __slots__ = ("blob",)

    def __init__(self, blob: str) -> None:
        self.blob = blob

    def text(self) -> str:
        return zlib.decompress(base64.b85decode(self.blob)).decode("utf-8")


def packed(blob: str) -> Packed:
    return Packed(blob)


def pack(text: str) -> str:
    """The blob of :func:`packed` for ``text`` (used by the generator)."""
    return base64.b85encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def unpacked(data: str | Packed) -> str:
    return data.text() if isinstance(data, Packed) else data


# ----------------------------------------------------------------------------- stale sources


class StaleSourceError(FlowgenError):
    """A generated module's source changed (or vanished) after it was generated."""


def _sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_sources(module_file: str, module_name: str, root: str, hashes: dict[str, str]) -> str:
    """Check the sources a generated module came from; returns the absolute source root.

    ``root`` is relative to the generated module's directory; ``hashes`` maps each source
    file (relative to the root) to its sha256 at generation time. The generated module puts
    the root first on ``sys.path`` so that the user's modules import from their sources. A
    module run as a script prints the error and exits 1 instead of raising.
    """
    base = source_root(module_file, root)
    changed = []
    for rel, digest in hashes.items():
        path = os.path.join(base, rel)
        try:
            actual = _sha256(path)
        except OSError:
            changed.append(f"{path} (missing)")
            continue
        if actual != digest:
            changed.append(path)
    if changed:
        err = StaleSourceError(
            f"{module_file} is stale: its source changed since it was generated: {', '.join(changed)}",
            hint="regenerate it with `flowgen build` (CI: `flowgen build --check`)",
        )
        if module_name == "__main__":
            print(f"error: {err}", file=sys.stderr)
            raise SystemExit(1)
        raise err
    return base


def source_root(module_file: str, root: str) -> str:
    """The absolute source root of a generated module (``root`` is relative to its directory)."""
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(module_file)), root))


# ----------------------------------------------------------------------------- the embedded IR


def _rebase_sites(data: Any, rebase: Callable[[str], str]) -> Any:
    """``data`` (IR as JSON data) with the file of every call site and source span rebased."""
    if isinstance(data, list):
        return [_rebase_sites(item, rebase) for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key in ("call_site", "source") and isinstance(value, dict) and isinstance(value.get("file"), str):
            out[key] = {**value, "file": rebase(value["file"])}
        else:
            out[key] = _rebase_sites(value, rebase)
    return out


class EmbeddedProgram:
    """The IR of a generated module's workflows, for runs on a parallel executor.

    Holds the workflow specs as the JSON the generator embedded (call sites relative to
    the source root; compressed when large) and the module's task specs; decoded on first
    use, so a module that only runs in-process never pays for it.
    """

    def __init__(self, root: str, workflows_json: str | Packed, tasks: Mapping[str, TaskSpec]) -> None:
        self.root = root
        self._json = workflows_json
        self.tasks = dict(tasks)
        self._workflows: dict[str, WorkflowSpec] | None = None
        self._handles_failures: bool | None = None  # whether the JSON mentions failure handling at all
        self._lock = threading.Lock()

    @property
    def workflows(self) -> dict[str, WorkflowSpec]:
        with self._lock:
            if self._workflows is None:
                root = self.root
                data = _rebase_sites(json.loads(unpacked(self._json)),
                                     lambda f: os.path.normpath(os.path.join(root, f)))
                self._workflows = {name: _workflow_spec(spec) for name, spec in data.items()}
            return self._workflows

    def program(self, entry: str) -> Program:
        return Program(entry=entry, workflows=self.workflows, tasks=self.tasks)

    def failure_handling(self, name: str) -> WorkflowSpec | None:
        """The spec of workflow ``name`` if it has an ``on_failure`` handler or keeps going after a
        failure (its JSON has those keys only then, so most modules never decode anything here)."""
        if self._handles_failures is None:
            text = unpacked(self._json)
            self._handles_failures = '"on_failure"' in text or '"failure_policy"' in text
        if not self._handles_failures:
            return None
        spec = self.workflows.get(name)
        if spec is None or (spec.on_failure is None and spec.failure_policy == "fail_immediately"):
            return None
        return spec


def program(root: str, workflows_json: str | Packed, tasks: Mapping[str, TaskSpec]) -> EmbeddedProgram:
    """``_PROGRAM = _fg.program(_ROOT, "{...}", {"mod.task": _T_task, ...})`` in a generated module
    (``_fg.packed("...")`` in place of the JSON when it is large)."""
    return EmbeddedProgram(root, workflows_json, tasks)
