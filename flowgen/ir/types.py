"""The literal type language of flowgen.

Every value that crosses a node boundary has a :data:`TypeSpec`. Type specs are
plain data (frozen pydantic models, JSON round-trippable) so both front ends can
produce them: the tracing front end from live annotations
(:mod:`flowgen.ir.annotations`), the static front end from source text.

User-defined classes (enums, dataclasses, pydantic models, NamedTuples) are
referred to by ``ref`` = ``"module:QualName"`` and compared by identity of that
ref, never structurally.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

__all__ = [
    "PRIMITIVE_NAMES",
    "DictType",
    "EnumType",
    "FieldSpec",
    "ListType",
    "LiteralType",
    "PrimitiveType",
    "RecordType",
    "TupleType",
    "TypeSpec",
    "UnionType",
    "optional",
    "primitive",
    "render_type",
]

PRIMITIVE_NAMES = ("int", "float", "str", "bool", "bytes", "none", "datetime", "date", "timedelta")
PrimitiveName = Literal["int", "float", "str", "bool", "bytes", "none", "datetime", "date", "timedelta"]
LiteralValue = StrictBool | StrictInt | StrictStr | None


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def __str__(self) -> str:
        return render_type(self)  # type: ignore[arg-type]


class PrimitiveType(_Spec):
    kind: Literal["primitive"] = "primitive"
    name: PrimitiveName


class ListType(_Spec):
    kind: Literal["list"] = "list"
    item: TypeSpec


class DictType(_Spec):
    """``dict[str, value]``: keys are always strings."""

    kind: Literal["dict"] = "dict"
    value: TypeSpec


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
    values: tuple[Annotated[LiteralValue, Field(union_mode="left_to_right")], ...]


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


TypeSpec = Annotated[
    PrimitiveType | ListType | DictType | TupleType | UnionType | LiteralType | EnumType | RecordType,
    Field(discriminator="kind"),
]

for _model in (ListType, DictType, TupleType, UnionType, FieldSpec, RecordType):
    _model.model_rebuild()

_PRIMITIVES = {name: PrimitiveType(name=name) for name in PRIMITIVE_NAMES}  # type: ignore[arg-type]


def primitive(name: str) -> PrimitiveType:
    """The shared instance of a primitive type (``primitive("int")``)."""
    return _PRIMITIVES[name]


def optional(spec: TypeSpec) -> UnionType:
    return UnionType(variants=(spec, _PRIMITIVES["none"]))


def render_type(spec: TypeSpec) -> str:
    """Python-like spelling of a type, for messages: ``list[int]``, ``str | None``."""
    if isinstance(spec, PrimitiveType):
        return "None" if spec.name == "none" else spec.name
    if isinstance(spec, ListType):
        return f"list[{render_type(spec.item)}]"
    if isinstance(spec, DictType):
        return f"dict[str, {render_type(spec.value)}]"
    if isinstance(spec, TupleType):
        return f"tuple[{', '.join(render_type(i) for i in spec.items)}]"
    if isinstance(spec, UnionType):
        return " | ".join(render_type(v) for v in spec.variants)
    if isinstance(spec, LiteralType):
        return f"Literal[{', '.join(repr(v) for v in spec.values)}]"
    return spec.ref.rpartition(":")[2]
