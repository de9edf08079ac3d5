"""The type language: annotations -> specs, the compatibility rule, validation, the JSON codec."""

import datetime as dt
import enum
import typing
from dataclasses import dataclass
from typing import Literal, NamedTuple, Optional, Union

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from flowgen.ir.annotations import UnsupportedType, interface_of, type_spec
from flowgen.ir.codec import from_json, to_json
from flowgen.ir.compat import is_assignable
from flowgen.ir.types import (
    DictType,
    EnumType,
    JsonType,
    ListType,
    LiteralType,
    OpaqueType,
    RecordType,
    TupleType,
    UnionType,
    optional,
    primitive,
)
from flowgen.ir.values import TypeMismatch, checker

INT, FLOAT, STR, BOOL, NONE = (primitive(n) for n in ("int", "float", "str", "bool", "none"))


class Color(enum.Enum):
    RED = 1
    BLUE = 2


@dataclass
class Box:
    label: str
    sizes: list[int]
    color: Optional[Color] = None


class Model(BaseModel):
    name: str
    tags: dict[str, float] = {}


class Pair(NamedTuple):
    left: int
    right: str


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (int, INT),
        (typing.List[int], ListType(item=INT)),
        (list[list[str]], ListType(item=ListType(item=STR))),
        (typing.Dict[str, float], DictType(value=FLOAT)),
        (Optional[int], UnionType(variants=(INT, NONE))),
        (int | None, UnionType(variants=(INT, NONE))),
        (Union[int, Union[str, None]], UnionType(variants=(INT, STR, NONE))),
        (Literal["a", 1, True], LiteralType(values=("a", 1, True))),
        (tuple[int, str], TupleType(items=(INT, STR))),
        (dt.datetime, primitive("datetime")),
        (dt.date, primitive("date")),
        (dt.timedelta, primitive("timedelta")),
        (bytes, primitive("bytes")),
    ],
)
def test_annotations(annotation: object, expected: object) -> None:
    assert type_spec(annotation) == expected


def test_user_classes_by_reference() -> None:
    e = type_spec(Color)
    assert isinstance(e, EnumType) and e.members == ("RED", "BLUE") and e.ref.endswith(":Color")
    box = type_spec(Box)
    assert isinstance(box, RecordType) and box.flavor == "dataclass"
    assert [(f.name, f.has_default) for f in box.fields] == [("label", False), ("sizes", False), ("color", True)]
    model = type_spec(Model)
    assert isinstance(model, RecordType) and model.flavor == "pydantic"
    pair = type_spec(Pair)
    assert isinstance(pair, RecordType) and pair.flavor == "namedtuple"


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (dict[int, str], DictType(key=INT, value=STR)),
        (typing.Dict[bool, int], DictType(key=primitive("bool"), value=INT)),
        (typing.Any, OpaqueType()),
        (list, JsonType(container="list")),
        (typing.List, JsonType(container="list")),
        (dict, JsonType(container="dict")),
        (typing.Dict, JsonType(container="dict")),
    ],
)
def test_loosely_typed_annotations(annotation: object, expected: object) -> None:
    assert type_spec(annotation) == expected


def test_arbitrary_classes_are_opaque_only_in_interfaces() -> None:
    class Thing:
        pass

    with pytest.raises(UnsupportedType):
        type_spec(Thing)
    spec = type_spec(list[Thing], opaque=True)
    assert isinstance(spec, ListType) and isinstance(spec.item, OpaqueType) and spec.item.ref.endswith("Thing")


def test_non_str_dict_keys_round_trip_through_json() -> None:
    spec = type_spec(dict[int, str])
    assert to_json({1: "a", 20: "b"}, spec) == {"1": "a", "20": "b"}
    assert from_json({"1": "a", "20": "b"}, spec) == {1: "a", 20: "b"}
    colors = type_spec(dict[Color, int])
    assert from_json(to_json({Color.RED: 1}, colors), colors) == {Color.RED: 1}
    with pytest.raises(TypeMismatch):
        from_json({"x": "a"}, spec)
    with pytest.raises(TypeMismatch):
        checker(spec)({"1": "a"})


@pytest.mark.parametrize("annotation", [set[int], tuple[int, ...], object, dict[list[int], int]])
def test_unsupported(annotation: object) -> None:
    with pytest.raises(UnsupportedType):
        type_spec(annotation)


def test_interfaces_of_output_forms() -> None:
    def single(a: int, b: str = "x") -> float: ...
    def none(a: int) -> None: ...
    def tup(a: int) -> tuple[int, str]: ...
    def flyte_tuple(a: int) -> (int, str): ...  # type: ignore[syntax]
    def named(a: int) -> Pair: ...

    s = interface_of(single, "task")
    assert s.output_form == "single" and [o.name for o in s.outputs] == ["o0"]
    assert s.inputs[1].has_default and s.inputs[1].default == "x"
    assert interface_of(none, "task").output_form == "none"
    assert [o.name for o in interface_of(tup, "task").outputs] == ["o0", "o1"]
    assert interface_of(flyte_tuple, "task").output_form == "tuple"
    n = interface_of(named, "task")
    assert n.output_form == "namedtuple" and [o.name for o in n.outputs] == ["left", "right"]


# -- compatibility (DESIGN.md's rules) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "dst", "ok"),
    [
        (INT, FLOAT, True),
        (FLOAT, INT, False),
        (BOOL, INT, False),
        (INT, BOOL, False),
        (INT, optional(INT), True),
        (optional(INT), INT, False),
        (ListType(item=INT), ListType(item=FLOAT), True),
        (ListType(item=FLOAT), ListType(item=INT), False),
        (DictType(value=ListType(item=INT)), DictType(value=ListType(item=optional(INT))), True),
        (UnionType(variants=(INT, STR)), UnionType(variants=(STR, INT, NONE)), True),
        (UnionType(variants=(INT, STR)), INT, False),
        (LiteralType(values=("a", "b")), STR, True),
        (LiteralType(values=("a",)), LiteralType(values=("a", "b")), True),
        (LiteralType(values=("c",)), LiteralType(values=("a", "b")), False),
        (STR, LiteralType(values=("a",)), False),
        (TupleType(items=(INT,)), TupleType(items=(FLOAT,)), True),
    ],
)
def test_compatibility(src: object, dst: object, ok: bool) -> None:
    assert is_assignable(src, dst) is ok


def test_user_types_compare_by_identity() -> None:
    @dataclass
    class Other:
        label: str
        sizes: list[int]
        color: Optional[Color] = None

    assert is_assignable(type_spec(Box), type_spec(Box))
    assert not is_assignable(type_spec(Other), type_spec(Box))


# -- validation -----------------------------------------------------------------------------------


def test_validation_is_exact_and_widens_int_to_float() -> None:
    assert checker(INT)(3) == 3
    with pytest.raises(TypeMismatch):
        checker(INT)(True)
    with pytest.raises(TypeMismatch):
        checker(INT)(3.0)
    assert checker(FLOAT)(3) == 3.0 and type(checker(FLOAT)(3)) is float
    with pytest.raises(TypeMismatch):
        checker(FLOAT)(True)
    with pytest.raises(TypeMismatch):
        checker(primitive("date"))(dt.datetime(2024, 1, 1))


def test_validation_copies_and_locates_errors() -> None:
    spec = type_spec(dict[str, list[int]])
    value = {"a": [1, 2]}
    copy = checker(spec)(value)
    assert copy == value and copy["a"] is not value["a"]
    with pytest.raises(TypeMismatch) as info:
        checker(spec)({"a": [1, "x"]})
    assert info.value.path == "['a'][1]" and "expected int" in info.value.describe()
    box = Box("b", [1])
    copied = checker(type_spec(Box))(box)
    assert copied == box and copied is not box and copied.sizes is not box.sizes
    with pytest.raises(TypeMismatch) as info:
        checker(type_spec(Box))(Box("b", ["no"]))  # type: ignore[list-item]
    assert info.value.path == ".sizes[0]"


# -- codec ----------------------------------------------------------------------------------------

json_scalars = st.one_of(st.integers(), st.text(), st.booleans())


@given(st.lists(st.dictionaries(st.text(), st.one_of(st.none(), st.integers()))))
def test_codec_round_trip_nested(value: list) -> None:
    spec = type_spec(list[dict[str, Optional[int]]])
    assert from_json(to_json(value, spec), spec) == value


@given(st.datetimes(), st.binary(), st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3)))
def test_codec_round_trip_primitives(when: dt.datetime, blob: bytes, delta: dt.timedelta) -> None:
    for value, annotation in ((when, dt.datetime), (blob, bytes), (when.date(), dt.date)):
        spec = type_spec(annotation)
        assert from_json(to_json(value, spec), spec) == value
    spec = type_spec(dt.timedelta)
    assert abs(from_json(to_json(delta, spec), spec) - delta) < dt.timedelta(microseconds=2)


def test_codec_records_and_enums() -> None:
    box = Box("b", [1, 2], Color.BLUE)
    spec = type_spec(Box)
    data = to_json(box, spec)
    assert data == {"label": "b", "sizes": [1, 2], "color": "BLUE"}
    assert from_json(data, spec) == box
    assert from_json({"label": "b", "sizes": []}, spec) == Box("b", [])
    with pytest.raises(TypeMismatch):
        from_json({"label": "b", "sizes": [], "extra": 1}, spec)
    with pytest.raises(TypeMismatch):
        from_json({"sizes": []}, spec)
    model = Model(name="m", tags={"a": 1.5})
    assert from_json(to_json(model, type_spec(Model)), type_spec(Model)) == model
    assert from_json(to_json(Pair(1, "x"), type_spec(Pair)), type_spec(Pair)) == Pair(1, "x")
    assert from_json(2, type_spec(Color)) is Color.BLUE  # by value too
