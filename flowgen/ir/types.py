"""The literal type language of flowgen.

Every value that crosses a node boundary has a :data:`TypeSpec`. Type specs are
plain data (frozen IR records, :mod:`flowgen.ir.base`, JSON round-trippable) so both front ends can
produce them: the tracing front end from live annotations
(:mod:`flowgen.ir.annotations`), the static front end from source text.

User-defined classes (enums, dataclasses, pydantic models, NamedTuples) are
referred to by ``ref`` = ``"module:QualName"`` and compared by identity of that
ref, never structurally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from flowgen.ir.base import IRModel, field
from flowgen.ir.constraints import Constraint

if TYPE_CHECKING:  # the annotations' pydantic names (flowgen.ir.pydantic_models resolves them)
    from pydantic import Field, StrictBool, StrictInt, StrictStr

__all__ = [
    "PRIMITIVE_NAMES",
    "DictType",
    "DirectoryType",
    "EnumType",
    "FieldSpec",
    "FileType",
    "JsonType",
    "ListType",
    "LiteralType",
    "OpaqueType",
    "PrimitiveType",
    "RecordType",
    "TableType",
    "TupleType",
    "TypeSpec",
    "UnionType",
    "is_key_type",
    "optional",
    "primitive",
    "render_type",
]

PRIMITIVE_NAMES = ("int", "float", "str", "bool", "bytes", "none", "datetime", "date", "timedelta")
PrimitiveName = Literal["int", "float", "str", "bool", "bytes", "none", "datetime", "date", "timedelta"]


class _Spec(IRModel):
    def __str__(self) -> str:
        return render_type(self)  # type: ignore[arg-type]


class _Constrained(_Spec):
    """A spec that may carry ``Annotated`` constraints (:mod:`flowgen.ir.constraints`); none is
    the rule, and the IR spells them only when there are some."""

    constraints: tuple[Constraint, ...] = ()
    _omit_at_default = ("constraints",)


class PrimitiveType(_Constrained):
    kind: Literal["primitive"] = "primitive"
    name: PrimitiveName


class ListType(_Constrained):
    kind: Literal["list"] = "list"
    item: TypeSpec


class DictType(_Spec):
    """``dict[key, value]``; ``key`` is ``str`` unless declared otherwise (``dict[int, str]``).

    Keys other than ``str`` are primitives, literals or enums; in JSON they are spelled as
    strings (see :mod:`flowgen.ir.codec`).
    """

    kind: Literal["dict"] = "dict"
    value: TypeSpec
    key: TypeSpec = field(default_factory=lambda: primitive("str"))
    _omit_at_default = ("key",)  # ``str`` keys are the rule: the IR spells them only when they are not


class TupleType(_Spec):
    """A fixed-length ``tuple[A, B, ...]`` used as a value (not as multiple outputs)."""

    kind: Literal["tuple"] = "tuple"
    items: tuple[TypeSpec, ...]


class UnionType(_Spec):
    """``A | B``; ``Optional[T]`` is ``T | none``. Variants are flattened and unique."""

    kind: Literal["union"] = "union"
    variants: tuple[TypeSpec, ...]


class LiteralType(_Spec):
    kind: Literal["literal"] = "literal"
    values: tuple[Annotated[StrictBool | StrictInt | StrictStr | None, Field(union_mode="left_to_right")], ...]


class EnumType(_Spec):
    kind: Literal["enum"] = "enum"
    ref: str
    members: tuple[str, ...]


class FieldSpec(_Spec):
    name: str
    type: TypeSpec
    has_default: bool = False


class RecordType(_Spec):
    """A dataclass, pydantic model or NamedTuple, identified by ``ref``."""

    kind: Literal["record"] = "record"
    flavor: Literal["dataclass", "pydantic", "namedtuple"]
    ref: str
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


class FileType(_Spec):
    """``FlyteFile`` / ``FlyteFile["csv"]``: a file whose bytes live in the run's raw-data store.

    ``format`` is ``""`` for an untyped file, which fits any format and takes any.
    """

    kind: Literal["file"] = "file"
    format: str = ""


class DirectoryType(_Spec):
    """``FlyteDirectory`` / ``FlyteDirectory["csv"]``: a folder of files in the raw-data store."""

    kind: Literal["directory"] = "directory"
    format: str = ""


class TableType(_Spec):
    """A table stored as Parquet: a ``StructuredDataset`` (``flavor="structured"``), a
    ``pandas.DataFrame`` (``"pandas"``) or a ``pyarrow.Table`` (``"arrow"``).

    ``columns`` is ``None`` for an untyped table (fits any), else the declared columns
    (``Annotated[StructuredDataset, kwtypes(a=int)]``) in order.
    """

    kind: Literal["table"] = "table"
    flavor: Literal["structured", "pandas", "arrow"]
    columns: tuple[FieldSpec, ...] | None = None
    format: str = "parquet"


class JsonType(_Spec):
    """A bare ``dict`` / ``typing.Dict`` / ``list`` / ``typing.List``: any JSON-compatible value
    of that container (string keys; str, int, float, bool, None, lists and dicts inside)."""

    kind: Literal["json"] = "json"
    container: Literal["dict", "list"]


class OpaqueType(_Spec):
    """A value flowgen neither checks nor encodes: ``typing.Any`` or an untyped parameter
    (``ref=""``), or an arbitrary class (``ref="module:QualName"``, checked by ``isinstance``).

    Deep-copied within one process, pickled (cloudpickle) across processes and the store; never
    served from the cache, since the cache never unpickles.
    """

    kind: Literal["opaque"] = "opaque"
    ref: str = ""


#: any type spec; validated as a union discriminated by ``kind`` (flowgen.ir.pydantic_models)
TypeSpec = (
    PrimitiveType
    | ListType
    | DictType
    | TupleType
    | UnionType
    | LiteralType
    | EnumType
    | RecordType
    | FileType
    | DirectoryType
    | TableType
    | JsonType
    | OpaqueType
)

# The shared primitives are made on first use (their fields are given here).
_PRIMITIVES: dict[str, PrimitiveType] = {}


def primitive(name: str) -> PrimitiveType:
    """The shared instance of a primitive type (``primitive("int")``); KeyError for another name."""
    found = _PRIMITIVES.get(name)
    if found is None:
        if name not in PRIMITIVE_NAMES:
            raise KeyError(name)
        found = _PRIMITIVES[name] = PrimitiveType.model_construct(name=name)
    return found


def optional(spec: TypeSpec) -> UnionType:
    return UnionType(variants=(spec, primitive("none")))


def render_type(spec: TypeSpec) -> str:
    """Python-like spelling of a type, for messages: ``list[int]``, ``str | None``."""
    if isinstance(spec, PrimitiveType):
        return "None" if spec.name == "none" else spec.name
    if isinstance(spec, ListType):
        return f"list[{render_type(spec.item)}]"
    if isinstance(spec, DictType):
        return f"dict[{render_type(spec.key)}, {render_type(spec.value)}]"
    if isinstance(spec, TupleType):
        return f"tuple[{', '.join(render_type(i) for i in spec.items)}]"
    if isinstance(spec, UnionType):
        return " | ".join(render_type(v) for v in spec.variants)
    if isinstance(spec, LiteralType):
        return f"Literal[{', '.join(repr(v) for v in spec.values)}]"
    if isinstance(spec, (FileType, DirectoryType)):
        name = "FlyteFile" if isinstance(spec, FileType) else "FlyteDirectory"
        return f"{name}[{spec.format!r}]" if spec.format else name
    if isinstance(spec, TableType):
        name = {"structured": "StructuredDataset", "pandas": "DataFrame", "arrow": "pyarrow.Table"}[spec.flavor]
        if spec.columns is None:
            return name
        cols = ", ".join(f"{c.name}={render_type(c.type)}" for c in spec.columns)
        return f"{name}[{cols}]"
    if isinstance(spec, JsonType):
        return spec.container
    if isinstance(spec, OpaqueType):
        return spec.ref.rpartition(":")[2] if spec.ref else "Any"
    return spec.ref.rpartition(":")[2]


def is_key_type(spec: TypeSpec) -> bool:
    """Whether ``spec`` may key a dict: str, int, float, bool, dates, a Literal, an Enum (or a union of them)."""
    if isinstance(spec, UnionType):
        return all(is_key_type(v) for v in spec.variants)
    if isinstance(spec, PrimitiveType):
        return spec.name not in ("bytes", "none")
    return isinstance(spec, (LiteralType, EnumType))
