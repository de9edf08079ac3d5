"""Runtime validation of values against type specs, with value semantics.

``checker(spec)`` compiles a spec once into a function ``value -> value`` that
either returns a *validated copy* of the value (mutable containers and records
are copied, immutable values are returned as they are; ``int`` widens to
``float``) or raises :class:`TypeMismatch` naming the path inside the value
that is wrong.  Every node boundary (workflow inputs, task inputs and outputs,
in the interpreter and in generated code alike) goes through these functions,
which is what gives flowgen value semantics: a task that mutates its input
never changes what another node sees.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

from flowgen.ir import data_kinds, refs
from flowgen.ir.constraints import describe, violation
from flowgen.ir.types import (
    DictType,
    DirectoryType,
    EnumType,
    FileType,
    JsonType,
    ListType,
    LiteralType,
    OpaqueType,
    PrimitiveType,
    RecordType,
    TableType,
    TupleType,
    TypeSpec,
    UnionType,
    primitive,
    render_type,
)

__all__ = ["Checker", "TypeMismatch", "checker", "deliver_value", "describe_value", "has_data", "has_opaque", "input_checker"]

Checker = Callable[[Any], Any]


class TypeMismatch(Exception):
    """A value does not match a type; ``path`` locates the offending part (``[3].name``)."""

    def __init__(self, expected: str, value: Any, path: str = "") -> None:
        self.expected = expected
        self.value = value
        self.path = path
        super().__init__(self.describe())

    def describe(self) -> str:
        where = f" at {self.path}" if self.path else ""
        return f"expected {self.expected}{where}, got {self.describe_got(self.value)}"

    @staticmethod
    def describe_got(value: Any) -> str:
        """How the offending value is named in the message (subclasses may name it otherwise)."""
        return describe_value(value)

    def within(self, step: str) -> TypeMismatch:
        return type(self)(self.expected, self.value, step + self.path)


def describe_value(value: Any, limit: int = 80, kind: str | None = None) -> str:
    """``type repr`` of a value, the repr cut at ``limit``; ``kind`` replaces the type's name."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{kind or type(value).__name__} {text}"


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _primitive(name: str) -> Checker:
    def fail(v: Any) -> Any:
        raise TypeMismatch(name if name != "none" else "None", v)

    if name == "int":
        return lambda v: v if type(v) is int or _is_int(v) else fail(v)
    if name == "float":
        return lambda v: v if type(v) is float else (float(v) if _is_int(v) or isinstance(v, float) else fail(v))
    if name == "str":
        return lambda v: v if isinstance(v, str) else fail(v)
    if name == "bool":
        return lambda v: v if isinstance(v, bool) else fail(v)
    if name == "bytes":
        return lambda v: bytes(v) if isinstance(v, (bytes, bytearray)) else fail(v)
    if name == "none":
        return lambda v: v if v is None else fail(v)
    if name == "datetime":
        return lambda v: v if isinstance(v, dt.datetime) else fail(v)
    if name == "date":
        return lambda v: v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else fail(v)
    if name == "timedelta":
        return lambda v: v if isinstance(v, dt.timedelta) else fail(v)
    raise ValueError(f"unknown primitive {name!r}")


def _list(spec: ListType) -> Checker:
    item = checker(spec.item)
    expected = render_type(spec)
    exact = {"int": int, "str": str, "float": float, "bool": bool}.get(
        spec.item.name if isinstance(spec.item, PrimitiveType) and not spec.item.constraints else ""
    )

    def check(v: Any) -> Any:
        if not isinstance(v, list):
            raise TypeMismatch(expected, v)
        if exact is not None:
            for x in v:
                if type(x) is not exact:
                    break
            else:
                return v.copy()
        out = []
        for i, x in enumerate(v):
            try:
                out.append(item(x))
            except TypeMismatch as e:
                raise e.within(f"[{i}]") from None
        return out

    return check


def _dict(spec: DictType) -> Checker:
    value = checker(spec.value)
    key = checker(spec.key)
    str_keys = spec.key == primitive("str")
    key_name = f"{render_type(spec.key)} key"
    expected = render_type(spec)

    def check(v: Any) -> Any:
        if not isinstance(v, dict):
            raise TypeMismatch(expected, v)
        out = {}
        for k, x in v.items():
            if str_keys:
                if not isinstance(k, str):
                    raise TypeMismatch(key_name, k, f"[{k!r}]")
            else:
                try:
                    k = key(k)
                except TypeMismatch:
                    raise TypeMismatch(key_name, k, f"[{k!r}]") from None
            try:
                out[k] = value(x)
            except TypeMismatch as e:
                raise e.within(f"[{k!r}]") from None
        return out

    return check


_JSON_SCALARS = (str, int, float, bool, type(None))


def _json_copy(v: Any, path: str = "") -> Any:
    """A copy of a JSON-compatible value; :class:`TypeMismatch` at the first part that is not."""
    if isinstance(v, _JSON_SCALARS):
        return v
    if isinstance(v, list):
        return [_json_copy(x, f"{path}[{i}]") for i, x in enumerate(v)]
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if not isinstance(k, str):
                raise TypeMismatch("a JSON object key (str)", k, f"{path}[{k!r}]")
            out[k] = _json_copy(x, f"{path}[{k!r}]")
        return out
    raise TypeMismatch("a JSON-compatible value (str, int, float, bool, None, list, dict)", v, path)


def _json(spec: JsonType) -> Checker:
    container = dict if spec.container == "dict" else list

    def check(v: Any) -> Any:
        if not isinstance(v, container):
            raise TypeMismatch(f"{spec.container} (of JSON-compatible values)", v)
        return _json_copy(v)

    return check


def _opaque(spec: OpaqueType) -> Checker:
    expected = render_type(spec)

    def check(v: Any) -> Any:
        if spec.ref and not isinstance(v, refs.resolve(spec.ref)):
            raise TypeMismatch(_qualified(expected, v), v)
        try:
            return copy.deepcopy(v)
        except Exception as exc:  # a value Python cannot copy (a lock, a generator, an open socket)
            raise TypeMismatch(f"a value that can be copied ({type(exc).__name__}: {exc})", v) from None

    return check


def _data(spec: FileType | DirectoryType | TableType) -> Checker:
    # Files, folders and tables are validated and moved through the run's raw-data store by
    # flowgen.data (see flowgen.ir.data_kinds).
    return data_kinds.plane().checker(spec)


def _tuple(spec: TupleType) -> Checker:
    items = [checker(i) for i in spec.items]
    expected = render_type(spec)

    def check(v: Any) -> Any:
        if not isinstance(v, tuple) or len(v) != len(items):
            raise TypeMismatch(expected, v)
        out = []
        for i, (c, x) in enumerate(zip(items, v)):
            try:
                out.append(c(x))
            except TypeMismatch as e:
                raise e.within(f"[{i}]") from None
        return tuple(out)

    return check


def _union(spec: UnionType) -> Checker:
    variants = [checker(v) for v in spec.variants]
    expected = render_type(spec)

    def check(v: Any) -> Any:
        for c in variants:
            try:
                return c(v)
            except TypeMismatch:
                continue
        raise TypeMismatch(expected, v)

    return check


def _literal(spec: LiteralType) -> Checker:
    allowed = spec.values
    expected = render_type(spec)

    def check(v: Any) -> Any:
        for a in allowed:
            if type(v) is type(a) and v == a:
                return v
        raise TypeMismatch(expected, v)

    return check


def _enum(spec: EnumType) -> Checker:
    expected = render_type(spec)

    def check(v: Any) -> Any:
        if not isinstance(v, refs.resolve(spec.ref)):
            raise TypeMismatch(_qualified(expected, v), v)
        return v

    return check


def _record(spec: RecordType) -> Checker:
    fields = [(f.name, checker(f.type)) for f in spec.fields]
    expected = render_type(spec)
    # Fields holding files or tables take their validated (stored) values into the copy.
    stored = [f.name for f in spec.fields if has_data(f.type)]

    def check(v: Any) -> Any:
        cls = refs.resolve(spec.ref)
        if not isinstance(v, cls):
            raise TypeMismatch(_qualified(expected, v), v)
        values = {}
        for name, c in fields:
            try:
                values[name] = c(getattr(v, name))
            except TypeMismatch as e:
                raise e.within(f".{name}") from None
        if spec.flavor == "namedtuple":
            return cls(**values)
        out = copy.deepcopy(v)
        for name in stored:
            object.__setattr__(out, name, values[name])
        return out

    return check


_DATA_KINDS = (FileType, DirectoryType, TableType)


@cache
def _has_kind(spec: TypeSpec, kinds: tuple[type, ...]) -> bool:
    if isinstance(spec, kinds):
        return True
    if isinstance(spec, ListType):
        return _has_kind(spec.item, kinds)
    if isinstance(spec, DictType):
        return _has_kind(spec.value, kinds)
    if isinstance(spec, TupleType):
        return any(_has_kind(i, kinds) for i in spec.items)
    if isinstance(spec, UnionType):
        return any(_has_kind(v, kinds) for v in spec.variants)
    if isinstance(spec, RecordType):
        return any(_has_kind(f.type, kinds) for f in spec.fields)
    return False


def has_data(spec: TypeSpec) -> bool:
    """Whether values of ``spec`` hold files, folders or tables (bytes in the raw-data store)."""
    return _has_kind(spec, _DATA_KINDS)


def has_opaque(spec: TypeSpec) -> bool:
    """Whether values of ``spec`` hold opaque values (``Any``, untyped, arbitrary classes)."""
    return _has_kind(spec, (OpaqueType,))


def _needs_reading(spec: TypeSpec) -> bool:
    return _has_kind(spec, (TableType,)) and _reads_frames(spec)


def _reads_frames(spec: TypeSpec) -> bool:
    if isinstance(spec, TableType):
        return spec.flavor != "structured"
    if isinstance(spec, ListType):
        return _reads_frames(spec.item)
    if isinstance(spec, DictType):
        return _reads_frames(spec.value)
    if isinstance(spec, TupleType):
        return any(_reads_frames(i) for i in spec.items)
    if isinstance(spec, UnionType):
        return any(_reads_frames(v) for v in spec.variants)
    if isinstance(spec, RecordType):
        return any(_reads_frames(f.type) for f in spec.fields)
    return False


_inputs_by_id: dict[int, tuple[TypeSpec, Checker]] = {}


def input_checker(spec: TypeSpec) -> Checker:
    """The checker for a value about to be handed to user code (a task's or a ``@dynamic``'s input).

    The same function as :func:`checker`, except for types holding ``pandas.DataFrame`` or
    ``pyarrow.Table`` values: those are read from the store into fresh frames after the check.
    """
    hit = _inputs_by_id.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    fn = checker(spec)
    if _needs_reading(spec):
        fn = data_kinds.plane().delivering(spec, fn)
    if len(_inputs_by_id) < 100_000:
        _inputs_by_id[id(spec)] = (spec, fn)
    return fn


def deliver_value(value: Any, spec: TypeSpec) -> Any:
    """``value`` (already checked) as user code receives it: stored tables read into frames."""
    if not _needs_reading(spec):
        return value
    return data_kinds.plane().delivering(spec, lambda v: v)(value)


def _qualified(expected: str, v: Any) -> str:
    """``expected``, explained when the value's class has the same name but is another class object
    (classes match by identity: a class defined in a script run as ``__main__`` reaches a worker
    process as a copy, and a module loaded twice holds two classes)."""
    if type(v).__name__ == expected:
        return (f"{expected} (the value is an instance of another class object named {expected}, "
                "e.g. a copy of a class defined in a script run as __main__: define it in an importable module)")
    return expected


_by_id: dict[int, tuple[TypeSpec, Checker]] = {}


def checker(spec: TypeSpec) -> Checker:
    """The validate-and-copy function of a type (compiled once per spec).

    Looked up by the spec object's identity first: hashing a frozen IR record walks
    the whole type on every call, and this sits on every node boundary.
    """
    hit = _by_id.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    fn = _checker_by_value(spec)
    if len(_by_id) < 100_000:
        _by_id[id(spec)] = (spec, fn)  # the entry keeps the spec alive, so its id is not reused
    return fn


def _constrained(spec: PrimitiveType | ListType, base: Checker) -> Checker:
    """``base``, then the spec's ``Annotated`` constraints (:mod:`flowgen.ir.constraints`)."""
    first_broken = violation(spec.constraints)
    expected = describe(render_type(spec), spec.constraints)

    def check(v: Any) -> Any:
        out = base(v)
        if first_broken(out) is not None:
            raise TypeMismatch(expected, v)
        return out

    return check


@cache
def _checker_by_value(spec: TypeSpec) -> Checker:
    if isinstance(spec, (PrimitiveType, ListType)) and spec.constraints:
        return _constrained(spec, _checker_by_value(spec.model_copy(update={"constraints": ()})))
    if isinstance(spec, PrimitiveType):
        return _primitive(spec.name)
    if isinstance(spec, ListType):
        return _list(spec)
    if isinstance(spec, DictType):
        return _dict(spec)
    if isinstance(spec, TupleType):
        return _tuple(spec)
    if isinstance(spec, UnionType):
        return _union(spec)
    if isinstance(spec, LiteralType):
        return _literal(spec)
    if isinstance(spec, EnumType):
        return _enum(spec)
    if isinstance(spec, RecordType):
        return _record(spec)
    if isinstance(spec, JsonType):
        return _json(spec)
    if isinstance(spec, OpaqueType):
        return _opaque(spec)
    if isinstance(spec, (FileType, DirectoryType, TableType)):
        return _data(spec)
    raise TypeError(f"not a type spec: {spec!r}")
