"""Annotation source -> TypeSpec, without importing anything.

The meaning of each annotation is the one :mod:`flowgen.ir.annotations` gives
the live object (that module is the reference); this module reads the same
thing from source: ``typing.List[int]``, ``list[int]``, ``Optional[X]``,
``X | None``, ``Literal[...]``, ``Annotated[T, ...]``, string annotations, and
user classes resolved across the project (enums, dataclasses, pydantic models,
NamedTuples) as ``module:QualName`` references with their fields in
declaration order.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Literal

import libcst as cst

from flowgen.ir.constraints import MARKERS, constrained
from flowgen.ir.failure_handlers import FLYTE_ERROR_TYPE
from flowgen.ir.types import (
    DictType,
    DirectoryType,
    EnumType,
    FieldSpec,
    FileType,
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
from flowgen.static.summary import DecoratorInfo
from flowgen.static.symbols import ClassRef, ConstantRef, ExternalRef, Project, Ref

__all__ = ["ClassKind", "TypeResolver", "UnsupportedType", "expr_code", "literal_value"]

_PRIMITIVES = {
    "builtins.int": "int",
    "builtins.float": "float",
    "builtins.str": "str",
    "builtins.bool": "bool",
    "builtins.bytes": "bytes",
    "datetime.datetime": "datetime",
    "datetime.date": "date",
    "datetime.timedelta": "timedelta",
    "types.NoneType": "none",
}
_LISTS = {"builtins.list", "typing.List"}
_DICTS = {"builtins.dict", "typing.Dict"}
_TUPLES = {"builtins.tuple", "typing.Tuple"}
_ENUM_BASES = {"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"}


def _spellings(name: str, *modules: str) -> set[str]:
    return {f"{m}.{name}" for m in ("flowgen", "flowgen.data", *modules)}


_FILES = _spellings("FlyteFile", "flowgen.data.files", "flowgen.types.file")
_DIRECTORIES = _spellings("FlyteDirectory", "flowgen.data.files", "flowgen.types.directory")
_STRUCTURED = _spellings("StructuredDataset", "flowgen.data.tables", "flowgen.types.structured",
                         "flowgen.types.structured.structured_dataset")
_TABLES = {"pandas.DataFrame": "pandas", "pandas.core.frame.DataFrame": "pandas",
           "pyarrow.Table": "arrow", "pyarrow.lib.Table": "arrow"}
_KWTYPES = _spellings("kwtypes", "flowgen.data.tables")
_FLYTE_ERRORS = {"flowgen.FlyteError", "flowgen.types.error.FlyteError"}
_NOT_OPAQUE_MODULES = ("builtins", "typing", "types", "collections", "datetime", "enum", "abc", "dataclasses")

ClassKind = Literal["enum", "dataclass", "pydantic", "namedtuple", "other"]

_EMPTY = cst.Module(body=[])


class UnsupportedType(Exception):
    """An annotation outside flowgen's type language (the message says which part)."""


def expr_code(expr: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(expr)


def literal_value(expr: cst.BaseExpression) -> object:
    """The value of a literal expression (numbers, strings, None, True/False, containers)."""
    return ast.literal_eval(expr_code(expr).strip())


def _slice_items(node: cst.Subscript) -> tuple[cst.BaseExpression, ...]:
    items: list[cst.BaseExpression] = []
    for element in node.slice:
        if isinstance(element.slice, cst.Index):
            value = element.slice.value
            if isinstance(value, cst.Tuple) and len(node.slice) == 1:
                items.extend(e.value for e in value.elements)
            else:
                items.append(value)
        else:
            raise UnsupportedType("slices are not types")
    return tuple(items)


class TypeResolver:
    """Resolves annotations of one project; class specs are cached by reference."""

    def __init__(self, project: Project) -> None:
        self.project = project
        # Task and workflow interfaces take classes outside the type language as opaque values.
        self.opaque_classes = True
        self._classes: dict[str, TypeSpec] = {}
        self._kinds: dict[str, ClassKind] = {}

    # -- annotations --------------------------------------------------------------------------
    def spec(self, expr: cst.BaseExpression, module: str, seen: tuple[str, ...] = ()) -> TypeSpec:
        if isinstance(expr, cst.Name) and expr.value == "None":
            return primitive("none")
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            text = expr.evaluated_value
            if not isinstance(text, str):
                raise UnsupportedType("a string annotation must be text")
            try:
                parsed = cst.parse_expression(text.strip())
            except cst.ParserSyntaxError:
                raise UnsupportedType(f"cannot parse the string annotation {text!r}") from None
            return self.spec(parsed, module, seen)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            return self._union([expr.left, expr.right], module, seen)
        if isinstance(expr, cst.Subscript):
            return self._generic(expr, module, seen)
        if isinstance(expr, (cst.Name, cst.Attribute)):
            ref = self.project.resolve_expr(module, expr)
            return self._named(ref, expr, module, seen)
        raise UnsupportedType(f"unsupported type {expr_code(expr)}")

    def _named(self, ref: Ref, expr: cst.BaseExpression, module: str, seen: tuple[str, ...]) -> TypeSpec:
        if isinstance(ref, ExternalRef):
            qualname = ref.qualname
            name = _PRIMITIVES.get(qualname)
            if name is not None:
                return primitive(name)
            if qualname == "typing.Any":
                return OpaqueType()
            if qualname in _LISTS:  # bare list / typing.List: JSON values
                return JsonType(container="list")
            if qualname in _DICTS:
                return JsonType(container="dict")
            if qualname in _TUPLES:
                raise UnsupportedType("tuple needs fixed item types: tuple[A, B]")
            data = _data_type(qualname, "")
            if data is not None:
                return data
            module_name, _, last = qualname.rpartition(".")
            if module_name and last[:1].isupper() and module_name.partition(".")[0] not in _NOT_OPAQUE_MODULES:
                return OpaqueType(ref=f"{module_name}:{last}")  # a class of another library: opaque, as traced
            raise UnsupportedType(f"unsupported type {qualname.removeprefix('builtins.')}")
        if isinstance(ref, ClassRef):
            if self.class_kind(ref) == "other" and self.opaque_classes:
                return OpaqueType(ref=ref.ref)
            return self.class_spec(ref, seen)
        if isinstance(ref, ConstantRef) and ref.info.value is not None:  # a type alias
            key = f"{ref.module}:{ref.name}"
            if key in seen:
                raise UnsupportedType(f"recursive type alias {ref.name} is not supported")
            functional = self.functional_namedtuple(ref.info.value, ref.module, (*seen, key))
            if functional is not None:
                return functional
            return self.spec(ref.info.value, ref.module, (*seen, key))
        raise UnsupportedType(f"unsupported type {expr_code(expr)}")

    def functional_namedtuple(self, value: cst.BaseExpression, module: str,
                              seen: tuple[str, ...] = ()) -> RecordType | None:
        """``NamedTuple("Name", [("a", int), ...])`` (or ``NamedTuple("Name", a=int)``): a record whose
        reference is ``module:Name``, as the class the call makes is named; None for any other value."""
        if not isinstance(value, cst.Call):
            return None
        callee = self.project.resolve_expr(module, value.func)
        if not (isinstance(callee, ExternalRef) and callee.qualname == "typing.NamedTuple"):
            return None
        positional = [a for a in value.args if a.keyword is None]
        if not positional or not isinstance(positional[0].value, (cst.SimpleString, cst.ConcatenatedString)):
            raise UnsupportedType("NamedTuple(...) needs its name as a string first")
        name = positional[0].value.evaluated_value
        pairs: list[tuple[str, cst.BaseExpression]] = []
        if len(positional) > 1:
            items = positional[1].value
            if not isinstance(items, (cst.List, cst.Tuple)):
                raise UnsupportedType("NamedTuple fields are a list of (name, type) pairs")
            for element in items.elements:
                pair = element.value
                if not (isinstance(pair, cst.Tuple) and len(pair.elements) == 2
                        and isinstance(pair.elements[0].value, cst.SimpleString)):
                    raise UnsupportedType("NamedTuple fields are a list of (name, type) pairs")
                field_name = pair.elements[0].value.evaluated_value
                pairs.append((str(field_name), pair.elements[1].value))
        pairs.extend((a.keyword.value, a.value) for a in value.args if a.keyword is not None)
        fields = []
        for field_name, annotation in pairs:
            try:
                fields.append(FieldSpec(name=field_name, type=self.spec(annotation, module, seen)))
            except UnsupportedType as exc:
                raise UnsupportedType(f"field {name}.{field_name}: {exc}") from None
        return RecordType(flavor="namedtuple", ref=f"{module}:{name}", fields=tuple(fields))

    def _generic(self, expr: cst.Subscript, module: str, seen: tuple[str, ...]) -> TypeSpec:
        ref = self.project.resolve_expr(module, expr.value)
        name = ref.qualname if isinstance(ref, ExternalRef) else None
        args = _slice_items(expr)
        if name in _LISTS:
            if len(args) != 1:
                raise UnsupportedType("list needs an item type: list[T]")
            return ListType(item=self.spec(args[0], module, seen))
        if name in _DICTS:
            if len(args) != 2:
                raise UnsupportedType("dict needs key and value types: dict[K, V]")
            key = self.spec(args[0], module, seen)
            if not is_key_type(key):
                raise UnsupportedType(f"dict keys must be str, int, float, bool, a date, a Literal or an Enum, "
                                      f"not {expr_code(args[0])}")
            return DictType(key=key, value=self.spec(args[1], module, seen))
        if name is not None and (name in _FILES or name in _DIRECTORIES):
            if len(args) != 1:
                raise UnsupportedType(f"{name.rpartition('.')[2]}[...] takes one format")
            data = _data_type(name, self._format(args[0], module))
            assert data is not None
            return data
        if name in _TUPLES:
            if not args or (len(args) == 2 and isinstance(args[1], cst.Ellipsis)):
                raise UnsupportedType("tuple needs fixed item types: tuple[A, B]")
            return TupleType(items=tuple(self.spec(a, module, seen) for a in args))
        if name == "typing.Optional":
            if len(args) != 1:
                raise UnsupportedType("Optional takes one type")
            return self._union([args[0], cst.Name("None")], module, seen)
        if name == "typing.Union":
            return self._union(list(args), module, seen)
        if name == "typing.Literal":
            values: list[bool | int | str | None] = []
            for a in args:
                try:
                    v = literal_value(a)
                except (ValueError, SyntaxError):
                    raise UnsupportedType(f"Literal values must be str, int, bool or None, not {expr_code(a)}") from None
                if not isinstance(v, (bool, int, str)) and v is not None:
                    raise UnsupportedType(f"Literal values must be str, int, bool or None, not {v!r}")
                if not any(type(v) is type(seen_v) and v == seen_v for seen_v in values):
                    values.append(v)
            return LiteralType(values=tuple(values))
        if name == "typing.Annotated":
            base = self._constrained(self.spec(args[0], module, seen), args[1:], module)
            if isinstance(base, TableType):
                for meta in args[1:]:
                    columns = self._columns(meta, module)
                    if columns is not None:
                        base = base.model_copy(update={"columns": columns})
            return base
        raise UnsupportedType(f"unsupported type {expr_code(expr)}")

    def _constrained(self, base: TypeSpec, metadata: Sequence[cst.BaseExpression], module: str) -> TypeSpec:
        """``Annotated[T, Ge(0), MaxLen(5)]``: the annotated-types markers with literal arguments, as traced
        (:mod:`flowgen.ir.constraints`); other metadata is not the static front end's business."""
        import annotated_types

        markers = []
        for meta in metadata:
            callee = self.project.resolve_expr(module, meta.func) if isinstance(meta, cst.Call) else None
            if isinstance(callee, ExternalRef) and callee.qualname in {f"annotated_types.{m}" for m in MARKERS}:
                assert isinstance(meta, cst.Call)
                try:
                    args = [literal_value(a.value) for a in meta.args if a.keyword is None]
                    kwargs = {a.keyword.value: literal_value(a.value) for a in meta.args if a.keyword is not None}
                    markers.append(getattr(annotated_types, callee.qualname.rpartition(".")[2])(*args, **kwargs))
                except (ValueError, SyntaxError, TypeError):
                    raise UnsupportedType(f"constraint {expr_code(meta)}: its bounds must be literal numbers") from None
        try:
            return constrained(base, markers)  # type: ignore[no-any-return]
        except ValueError as exc:
            raise UnsupportedType(str(exc)) from None

    def _format(self, expr: cst.BaseExpression, module: str) -> str:
        """The format of ``FlyteFile["csv"]`` / ``FlyteFile[TypeVar("csv")]`` (also through an alias)."""
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            text = expr.evaluated_value
            return text.strip().lstrip("~").lstrip(".") if isinstance(text, str) else ""
        if isinstance(expr, cst.Call):
            callee = self.project.resolve_expr(module, expr.func)
            if isinstance(callee, ExternalRef) and callee.qualname == "typing.TypeVar" and expr.args:
                return self._format(expr.args[0].value, module)
        if isinstance(expr, (cst.Name, cst.Attribute)):
            ref = self.project.resolve_expr(module, expr)
            if isinstance(ref, ConstantRef) and ref.info.value is not None:
                return self._format(ref.info.value, ref.module)
        raise UnsupportedType(f"a file or folder format is a string or TypeVar(\"name\"), not {expr_code(expr)}")

    def _columns(self, expr: cst.BaseExpression, module: str, depth: int = 0) -> tuple[FieldSpec, ...] | None:
        """The columns of ``kwtypes(a=int, ...)`` (or a name bound to it) in ``Annotated[table, ...]``."""
        if isinstance(expr, (cst.Name, cst.Attribute)) and depth < 10:
            ref = self.project.resolve_expr(module, expr)
            if isinstance(ref, ConstantRef) and ref.info.value is not None:
                return self._columns(ref.info.value, ref.module, depth + 1)
            return None
        if isinstance(expr, cst.Call):
            callee = self.project.resolve_expr(module, expr.func)
            if isinstance(callee, ExternalRef) and callee.qualname in _KWTYPES:
                columns = []
                for arg in expr.args:
                    if arg.keyword is None:
                        raise UnsupportedType("kwtypes takes columns as keywords: kwtypes(a=int)")
                    columns.append(self._column(arg.keyword.value, arg.value, module))
                return tuple(columns) or None  # kwtypes() declares nothing: the table stays untyped
        if isinstance(expr, cst.Dict) and expr.elements:  # {"a": int}: a dict is columns, as traced
            columns = []
            for element in expr.elements:
                key = element.key if isinstance(element, cst.DictElement) else None
                name = key.evaluated_value if isinstance(key, (cst.SimpleString, cst.ConcatenatedString)) else None
                if not isinstance(name, str):
                    raise UnsupportedType("columns are given as {\"name\": type, ...} or kwtypes(name=type)")
                assert isinstance(element, cst.DictElement)
                columns.append(self._column(name, element.value, module))
            return tuple(columns)
        return None

    def _column(self, name: str, annotation: cst.BaseExpression, module: str) -> FieldSpec:
        try:
            return FieldSpec(name=name, type=self.spec(annotation, module))
        except UnsupportedType as exc:
            raise UnsupportedType(f"column {name!r}: {exc}") from None

    def _union(self, members: Sequence[cst.BaseExpression], module: str, seen: tuple[str, ...]) -> TypeSpec:
        variants: list[TypeSpec] = []
        for m in members:
            spec = self.spec(m, module, seen)
            for v in spec.variants if isinstance(spec, UnionType) else (spec,):
                if v not in variants:
                    variants.append(v)
        if len(variants) == 1:  # typing collapses Union[X, X] to X
            return variants[0]
        return UnionType(variants=tuple(variants))

    # -- classes ------------------------------------------------------------------------------
    def _decorated_dataclass(self, decorators: tuple[DecoratorInfo, ...], module: str) -> bool:
        for d in decorators:
            ref = self.project.resolve_expr(module, d.target)
            if isinstance(ref, ExternalRef) and ref.qualname in ("dataclasses.dataclass", "pydantic.dataclasses.dataclass"):
                return True
        return False

    def class_kind(self, ref: ClassRef, depth: int = 0) -> ClassKind:
        cached = self._kinds.get(ref.ref)
        if cached is not None:
            return cached
        kind: ClassKind = "other"
        if self._decorated_dataclass(ref.info.decorators, ref.module):
            kind = "dataclass"
        else:
            for base in ref.info.bases:
                resolved = self.project.resolve_expr(ref.module, base)
                if isinstance(resolved, ExternalRef):
                    if resolved.qualname in _ENUM_BASES:
                        kind = "enum"
                    elif resolved.qualname == "pydantic.BaseModel":
                        kind = "pydantic"
                    elif resolved.qualname == "typing.NamedTuple":
                        kind = "namedtuple"
                elif isinstance(resolved, ClassRef) and depth < 20:
                    base_kind = self.class_kind(resolved, depth + 1)
                    if base_kind in ("enum", "pydantic"):
                        kind = base_kind
                if kind != "other":
                    break
        self._kinds[ref.ref] = kind
        return kind

    def class_spec(self, ref: ClassRef, seen: tuple[str, ...] = ()) -> TypeSpec:
        key = ref.ref
        cached = self._classes.get(key)
        if cached is not None:
            return cached
        if key in seen:
            raise UnsupportedType(f"recursive type {ref.info.name} is not supported")
        kind = self.class_kind(ref)
        inner = (*seen, key)
        spec: TypeSpec
        if kind == "enum":
            spec = EnumType(ref=key, members=self.enum_members(ref))
        elif kind in ("dataclass", "pydantic", "namedtuple"):
            fields = tuple(
                FieldSpec(name=name, type=self._field_type(ref, owner, name, annotation, inner), has_default=default)
                for owner, name, annotation, default in self.record_fields(ref, kind)
            )
            spec = RecordType(flavor=kind, ref=key, fields=fields)  # type: ignore[arg-type]
        else:
            raise UnsupportedType(f"unsupported type {ref.info.name}")
        self._classes[key] = spec
        return spec

    def _field_type(self, ref: ClassRef, owner: ClassRef, name: str, annotation: cst.BaseExpression,
                    seen: tuple[str, ...]) -> TypeSpec:
        try:
            return self.spec(annotation, owner.module, seen)
        except UnsupportedType as exc:
            raise UnsupportedType(f"field {ref.info.name}.{name}: {exc}") from None

    def enum_members(self, ref: ClassRef) -> tuple[str, ...]:
        names: list[str] = []
        values: list[object] = []
        for name, value in ref.info.members:
            if name.startswith("_") or name in names:
                continue
            try:
                literal = literal_value(value)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                literal = object()  # auto() and friends: a value of its own
            if any(type(v) is type(literal) and v == literal for v in values):
                continue  # an alias of an earlier member, which iteration skips
            names.append(name)
            values.append(literal)
        return tuple(names)

    def record_fields(
        self, ref: ClassRef, kind: ClassKind, depth: int = 0
    ) -> list[tuple[ClassRef, str, cst.BaseExpression, bool]]:
        """(owner, name, annotation, has_default) in declaration order, inherited fields first."""
        fields: dict[str, tuple[ClassRef, str, cst.BaseExpression, bool]] = {}
        if kind in ("dataclass", "pydantic") and depth < 20:
            for base in reversed(ref.info.bases):
                resolved = self.project.resolve_expr(ref.module, base)
                if isinstance(resolved, ClassRef) and self.class_kind(resolved) == kind:
                    for inherited in self.record_fields(resolved, kind, depth + 1):
                        fields[inherited[1]] = inherited
        for f in ref.info.fields:
            if _is_classvar(f.annotation, self.project, ref.module):
                continue
            if kind == "pydantic" and f.name.startswith("_"):
                continue
            if kind == "dataclass" and _is_kw_only_marker(f.annotation, self.project, ref.module):
                continue
            fields[f.name] = (ref, f.name, f.annotation, self._has_default(f.default, kind, ref.module))
        return list(fields.values())

    def _has_default(self, default: cst.BaseExpression | None, kind: ClassKind, module: str) -> bool:
        if default is None:
            return False
        if isinstance(default, cst.Call):
            callee = self.project.resolve_expr(module, default.func)
            if isinstance(callee, ExternalRef) and callee.qualname in ("dataclasses.field", "pydantic.Field",
                                                                       "pydantic.fields.Field"):
                for arg in default.args:
                    keyword = arg.keyword.value if arg.keyword is not None else None
                    if keyword in ("default", "default_factory"):
                        return True
                    if keyword is None and kind == "pydantic":
                        return not isinstance(arg.value, cst.Ellipsis)
                return False
        return True


def _data_type(qualname: str, fmt: str) -> TypeSpec | None:
    if qualname in _FLYTE_ERRORS:  # a workflow failure handler's ``err`` (flowgen.ir.failure_handlers)
        return FLYTE_ERROR_TYPE
    if qualname in _FILES:
        return FileType(format=fmt)
    if qualname in _DIRECTORIES:
        return DirectoryType(format=fmt)
    if qualname in _STRUCTURED:
        return TableType(flavor="structured")
    flavor = _TABLES.get(qualname)
    if flavor is not None:
        return TableType(flavor=flavor)  # type: ignore[arg-type]
    return None


def _is_classvar(annotation: cst.BaseExpression, project: Project, module: str) -> bool:
    target = annotation.value if isinstance(annotation, cst.Subscript) else annotation
    ref = project.resolve_expr(module, target)
    return isinstance(ref, ExternalRef) and ref.qualname in ("typing.ClassVar", "dataclasses.InitVar")


def _is_kw_only_marker(annotation: cst.BaseExpression, project: Project, module: str) -> bool:
    ref = project.resolve_expr(module, annotation)
    return isinstance(ref, ExternalRef) and ref.qualname == "dataclasses.KW_ONLY"
