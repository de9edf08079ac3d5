"""Live Python annotations -> type specs and interfaces (used by the tracing front end).

The static front end builds the same specs from source text; this module is the
reference for what each annotation means.

Specs and interfaces are made with ``model_construct``: every value here is flowgen's own,
already of the field's type, and validating them would build pydantic's validators for the
whole type union on every ``@task`` decoration -- a third of ``flowgen run``'s start-up.
The tests that compare these specs with the static front end's (validated, from JSON) keep
them honest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import inspect
import sys
import types
import typing
from collections.abc import Callable
from typing import Any

from flowgen.errors import DefinitionError
from flowgen.ir import refs
from flowgen.ir.codec import to_json
from flowgen.ir.constraints import constrained
from flowgen.ir.model import Interface, Output, Param
from flowgen.ir.types import (
    DictType,
    EnumType,
    FieldSpec,
    JsonType,
    ListType,
    LiteralType,
    OpaqueType,
    RecordType,
    TableType,
    TupleType,
    TypeSpec,
    UnionType,
    is_key_type,
    primitive,
)
from flowgen.ir.values import TypeMismatch, checker

__all__ = ["interface_of", "is_namedtuple_class", "type_spec"]

_PRIMITIVE_CLASSES: dict[Any, str] = {
    int: "int",
    float: "float",
    str: "str",
    bool: "bool",
    bytes: "bytes",
    None: "none",
    type(None): "none",
    dt.datetime: "datetime",
    dt.date: "date",
    dt.timedelta: "timedelta",
}


class UnsupportedType(Exception):
    """An annotation outside flowgen's type language (message says which part)."""


def is_namedtuple_class(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, tuple) and hasattr(obj, "_fields")


def _is_pydantic_model(obj: Any) -> bool:
    # A class is a pydantic model only if pydantic was imported (by the user's module): start-up
    # of ``flowgen run`` does not import it for annotations that cannot be one.
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(obj, type) and issubclass(obj, pydantic.BaseModel)


_TABLE_CLASSES = {("pandas", "DataFrame"): "pandas", ("pyarrow", "Table"): "arrow"}


def _table_flavor(annotation: Any) -> str | None:
    """``"pandas"`` / ``"arrow"`` for ``pandas.DataFrame`` / ``pyarrow.Table``, found by name so that
    neither library is imported here."""
    if not isinstance(annotation, type):
        return None
    top = annotation.__module__.partition(".")[0]
    return _TABLE_CLASSES.get((top, annotation.__name__))


def type_spec(annotation: Any, _seen: tuple[type, ...] = (), *, opaque: bool = False) -> TypeSpec:
    """The type spec of an annotation; raises :class:`UnsupportedType`.

    ``typing.Any`` is always opaque; with ``opaque=True`` (task and workflow interfaces) so is
    any other class outside the type language, as Flyte pickles it.
    """
    try:
        name = _PRIMITIVE_CLASSES.get(annotation)
    except TypeError:  # unhashable, e.g. Annotated[T, {"a": int}]
        name = None
    if name is not None:
        return primitive(name)
    if annotation is typing.Any:
        return OpaqueType.model_construct()
    flowgen_spec = getattr(annotation, "__flowgen_spec__", None)
    if callable(flowgen_spec):  # FlyteFile, FlyteDirectory, StructuredDataset and their formats
        return flowgen_spec()  # type: ignore[no-any-return]
    flavor = _table_flavor(annotation)
    if flavor is not None:
        return TableType.model_construct(flavor=flavor)  # type: ignore[arg-type]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is dict or annotation is list or (origin in (dict, list) and not args):
        return JsonType.model_construct(container="dict" if (origin or annotation) is dict else "list")
    if origin is list:
        if len(args) != 1:
            raise UnsupportedType("list needs an item type: list[T]")
        return ListType.model_construct(item=type_spec(args[0], _seen, opaque=opaque))
    if origin is dict:
        if len(args) != 2:
            raise UnsupportedType("dict needs key and value types: dict[K, V]")
        key = type_spec(args[0], _seen)
        if not is_key_type(key):
            raise UnsupportedType(
                f"dict keys must be str, int, float, bool, a date, a Literal or an Enum, not {_name(args[0])}"
            )
        return DictType.model_construct(key=key, value=type_spec(args[1], _seen, opaque=opaque))
    if origin is tuple:
        if not args or (len(args) == 2 and args[1] is Ellipsis):
            raise UnsupportedType("tuple needs fixed item types: tuple[A, B]")
        return TupleType.model_construct(items=tuple(type_spec(a, _seen, opaque=opaque) for a in args))
    if origin is typing.Union or origin is types.UnionType:
        variants: list[TypeSpec] = []
        for a in args:
            spec = type_spec(a, _seen, opaque=opaque)
            for v in spec.variants if isinstance(spec, UnionType) else (spec,):
                if v not in variants:
                    variants.append(v)
        return UnionType.model_construct(variants=tuple(variants))
    if origin is typing.Literal:
        for a in args:
            if not isinstance(a, (bool, int, str)) and a is not None:
                raise UnsupportedType(f"Literal values must be str, int, bool or None, not {a!r}")
        return LiteralType.model_construct(values=tuple(args))
    if origin is typing.Annotated:
        return _annotated(type_spec(args[0], _seen, opaque=opaque), args[1:])
    if isinstance(annotation, type):
        if annotation in _seen:
            raise UnsupportedType(f"recursive type {annotation.__qualname__} is not supported")
        if issubclass(annotation, enum.Enum):
            return EnumType.model_construct(ref=refs.ref_of(annotation), members=tuple(m.name for m in annotation))
        if is_namedtuple_class(annotation):
            hints = typing.get_type_hints(annotation)
            defaults = getattr(annotation, "_field_defaults", {})
            return RecordType.model_construct(
                flavor="namedtuple",
                ref=refs.ref_of(annotation),
                fields=tuple(
                    FieldSpec.model_construct(
                        name=f, type=_field(annotation, f, hints, _seen, opaque), has_default=f in defaults
                    )
                    for f in annotation._fields
                ),
            )
        if dataclasses.is_dataclass(annotation):
            hints = typing.get_type_hints(annotation)
            return RecordType.model_construct(
                flavor="dataclass",
                ref=refs.ref_of(annotation),
                fields=tuple(
                    FieldSpec.model_construct(
                        name=f.name,
                        type=_field(annotation, f.name, hints, _seen, opaque),
                        has_default=f.default is not dataclasses.MISSING
                        or f.default_factory is not dataclasses.MISSING,
                    )
                    for f in dataclasses.fields(annotation)
                ),
            )
        if _is_pydantic_model(annotation):
            model_fields = annotation.model_fields  # type: ignore[attr-defined]
            return RecordType.model_construct(
                flavor="pydantic",
                ref=refs.ref_of(annotation),
                fields=tuple(
                    FieldSpec.model_construct(
                        name=name,
                        type=_pydantic_field(annotation, name, info, _seen, opaque),
                        has_default=not info.is_required(),
                    )
                    for name, info in model_fields.items()
                ),
            )
        if opaque:
            return OpaqueType.model_construct(ref=refs.ref_of(annotation))
    raise UnsupportedType(f"unsupported type {_name(annotation)}")


def _annotated(spec: TypeSpec, metadata: tuple[Any, ...]) -> TypeSpec:
    """``Annotated[T, ...]``: column subsets of tables (``kwtypes(a=int)``) narrow the spec;
    ``annotated-types`` constraints (``Ge(0)``, ``MaxLen(5)``) are kept on it
    (:func:`with_constraints`); other metadata (``HashMethod``) is the runtime's business."""
    spec = with_constraints(spec, metadata)
    for meta in metadata:
        if isinstance(spec, TableType) and isinstance(meta, dict) and meta:
            try:
                columns = tuple(FieldSpec.model_construct(name=str(k), type=type_spec(v)) for k, v in meta.items())
            except UnsupportedType as exc:
                raise UnsupportedType(f"column type: {exc}") from None
            spec = spec.model_copy(update={"columns": columns})
    return spec


def with_constraints(spec: TypeSpec, metadata: Any) -> TypeSpec:
    """``spec`` with the ``annotated-types`` constraints among ``metadata``; raises :class:`UnsupportedType`."""
    try:
        return constrained(spec, metadata)
    except ValueError as exc:
        raise UnsupportedType(str(exc)) from None


def _field(cls: type, name: str, hints: dict[str, Any], seen: tuple[type, ...], opaque: bool) -> TypeSpec:
    return _annot_spec(cls, name, hints[name], seen, opaque)


def _pydantic_field(cls: type, name: str, info: Any, seen: tuple[type, ...], opaque: bool) -> TypeSpec:
    spec = _annot_spec(cls, name, info.annotation, seen, opaque)
    try:
        return with_constraints(spec, info.metadata)  # pydantic moves Annotated[...]'s markers here
    except UnsupportedType as exc:
        raise UnsupportedType(f"field {cls.__qualname__}.{name}: {exc}") from None


def _annot_spec(cls: type, name: str, annotation: Any, seen: tuple[type, ...], opaque: bool) -> TypeSpec:
    try:
        return type_spec(annotation, (*seen, cls), opaque=opaque)
    except UnsupportedType as exc:
        raise UnsupportedType(f"field {cls.__qualname__}.{name}: {exc}") from None


def _name(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__qualname__
    return repr(annotation).replace("typing.", "")


def interface_of(fn: Callable[..., Any], kind: str) -> Interface:
    """The interface of a task or workflow function: every parameter and the return annotated."""
    qualname = getattr(fn, "__qualname__", repr(fn))
    location = _location(fn)
    try:
        annotations = inspect.get_annotations(fn, eval_str=True)
    except Exception as exc:
        raise DefinitionError(
            f"cannot evaluate the annotations of {kind} {qualname}: {exc}", location=location
        ) from exc
    signature = inspect.signature(fn)
    inputs = []
    for p in signature.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise DefinitionError(
                f"{kind} {qualname} takes *{p.name}; tasks and workflows need named parameters",
                location=location,
                input=p.name,
            )
        if p.name not in annotations:
            spec: TypeSpec = OpaqueType.model_construct()  # untyped, as Flyte takes it: an opaque value
        else:
            spec = _spec_or_error(annotations[p.name], f"input {p.name!r} of {kind} {qualname}", location)
        if p.default is inspect.Parameter.empty:
            inputs.append(Param.model_construct(name=p.name, type=spec))
        else:
            try:
                default = to_json(checker(spec)(p.default), spec)
            except TypeMismatch as exc:
                raise DefinitionError(
                    f"default of input {p.name!r} of {kind} {qualname}: {exc.describe()}",
                    location=location,
                    input=p.name,
                ) from None
            inputs.append(Param.model_construct(name=p.name, type=spec, has_default=True, default=default))
    ret = annotations.get("return")  # no return annotation: no outputs, as in Flyte
    what = f"return type of {kind} {qualname}"
    if ret is None or ret is type(None):
        return Interface.model_construct(inputs=tuple(inputs))
    if is_namedtuple_class(ret):
        hints = typing.get_type_hints(ret)
        outputs = tuple(
            Output.model_construct(name=f, type=_spec_or_error(hints[f], f"{what}, field {f!r}", location))
            for f in ret._fields
        )
        return Interface.model_construct(
            inputs=tuple(inputs), outputs=outputs, output_form="namedtuple", output_ref=refs.ref_of(ret)
        )
    items: tuple[Any, ...] | None = None
    if isinstance(ret, tuple):  # Flyte's ``-> (int, str)``
        items = ret
    elif typing.get_origin(ret) is tuple:
        args = typing.get_args(ret)
        if args and not (len(args) == 2 and args[1] is Ellipsis):
            items = args
    if items is not None:
        outputs = tuple(
            Output.model_construct(name=f"o{i}", type=_spec_or_error(a, f"{what}, item {i}", location))
            for i, a in enumerate(items)
        )
        return Interface.model_construct(inputs=tuple(inputs), outputs=outputs, output_form="tuple")
    return Interface.model_construct(
        inputs=tuple(inputs),
        outputs=(Output.model_construct(name="o0", type=_spec_or_error(ret, what, location)),),
        output_form="single",
    )


def _spec_or_error(annotation: Any, what: str, location: Any) -> TypeSpec:
    try:
        return type_spec(annotation, opaque=True)
    except UnsupportedType as exc:
        raise DefinitionError(
            f"{what}: {exc}",
            location=location,
            hint="use int, float, str, bool, bytes, datetime, date, timedelta, list[T], dict[str, T], "
            "Optional/Union, Literal, an Enum, a dataclass, a pydantic model or a NamedTuple",
        ) from None


def _location(fn: Callable[..., Any]) -> Any:
    from flowgen.errors import SourceLocation

    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    return SourceLocation(code.co_filename, code.co_firstlineno)
