"""inputs() / strategy_for(): every drawn value passes the workflow's own input validation."""

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Annotated, Any, Dict, List, Literal, NamedTuple, Optional, Tuple, Union

import pydantic
import pytest
from annotated_types import Ge, Gt, Interval, Le, Len, Lt, MaxLen, MinLen, MultipleOf
from hypothesis import given, settings
from hypothesis import strategies as st

from flowgen import task
from flowgen.errors import InputValidationError
from flowgen.ir.annotations import type_spec
from flowgen.ir.base import IRModel
from flowgen.ir.pydantic_models import validate
from flowgen.ir.types import FieldSpec, ListType, OpaqueType, PrimitiveType, TableType
from flowgen.ir.values import checker
from flowgen.runtime.boundary import prepare_inputs
from flowgen.testing import NoStrategy, inputs, strategy_for
from tests.testing.programs import shapes


class Size(enum.Enum):
    S = 1
    M = 2


@dataclass
class Box:
    w: Annotated[int, Ge(1)]
    label: Optional[str] = None


class Span(NamedTuple):
    start: dt.date
    length: dt.timedelta


class Model(pydantic.BaseModel):
    name: Annotated[str, MaxLen(4)]
    sizes: List[Size]
    score: float = pydantic.Field(ge=0, le=1)


SHAPES: list[Any] = [
    int, float, str, bool, bytes, dt.datetime, dt.date, dt.timedelta,
    List[int], Dict[str, float], Dict[int, str], Tuple[int, str], Optional[int], Union[int, str, None],
    Literal["a", "b", 3], Size, Box, Span, Model, List[Box], Dict[str, List[Optional[Size]]],
    dict, list, Any,
    Annotated[int, Ge(-3), Le(3)], Annotated[int, Gt(0), Lt(10), MultipleOf(3)], Annotated[int, MultipleOf(7)],
    Annotated[float, Ge(0.5), Lt(0.75)], Annotated[float, Interval(gt=-1, le=1)], Annotated[str, MinLen(2), MaxLen(3)],
    Annotated[bytes, Len(1, 2)], Annotated[List[int], MinLen(9)], Annotated[List[Annotated[int, Ge(0)]], MaxLen(2)],
    Optional[Annotated[int, Le(-100)]],
]


def make_task(annotations: list[Any]) -> Any:
    namespace = {f"T{i}": a for i, a in enumerate(annotations)}
    params = ", ".join(f"a{i}: T{i}" for i in range(len(annotations)))
    namespace["__name__"] = __name__
    exec(f"def generated_task({params}) -> int:\n    return 0\n", namespace)
    return task(namespace["generated_task"])


@settings(max_examples=60)
@given(st.lists(st.sampled_from(SHAPES), min_size=1, max_size=4), st.data())
def test_inputs_are_always_valid_inputs(annotations, data):
    t = make_task(annotations)
    values = data.draw(inputs(t))
    assert set(values) == {f"a{i}" for i in range(len(annotations))}
    prepare_inputs(t.interface, values, what="test task")  # raises InputValidationError when invalid
    assert t(**values) == 0


@pytest.mark.parametrize("annotation", SHAPES, ids=repr)
@settings(max_examples=25)
@given(data=st.data())
def test_strategy_for_each_shape(annotation, data):
    spec = type_spec(annotation, opaque=True)
    value = data.draw(strategy_for(spec))
    checker(spec)(value)
    checker(spec)(data.draw(strategy_for(annotation)))  # annotations are accepted as well as specs


@settings(max_examples=40)
@given(inputs(shapes.constrained))
def test_constrained_inputs_respect_every_bound(values):
    assert 0 <= values["n"] < 1000 and values["n"] % 5 == 0
    assert 0.0 < values["factor"] <= 2.0
    assert 1 <= len(values["names"]) <= 3


def test_constraints_are_enforced_at_the_node_boundary():
    with pytest.raises(InputValidationError, match=r"input 'n': expected int >= 0, < 1000, a multiple of 5, got int 7"):
        shapes.constrained(n=7, factor=1.0, names=["a"])
    with pytest.raises(InputValidationError, match=r"expected list\[str\] length >= 1, length <= 3, got list \[\]"):
        shapes.constrained(n=5, factor=1.0, names=[])
    with pytest.raises(InputValidationError, match=r"expected int >= 1, <= 100 at .quantity, got int 0"):
        shapes.records(point=shapes.Point(x=1, y=2.0), pair=shapes.Pair("a", None), color=shapes.Color.RED,
                       order=shapes.Order.model_construct(item="x", quantity=0), tags=[], mode="a")


def test_constraints_on_list_items_are_checked():
    from flowgen.ir.values import TypeMismatch

    with pytest.raises(TypeMismatch, match=r"expected int >= 0 at \[1\], got int -1"):
        checker(type_spec(List[Annotated[int, Ge(0)]]))([0, -1])


def test_constraints_survive_the_ir_json_and_stay_out_of_it_when_absent():
    spec = type_spec(Annotated[int, Ge(0)])
    assert spec.model_dump(mode="json") == {"kind": "primitive", "name": "int",
                                            "constraints": [{"kind": "ge", "value": 0}]}
    assert type_spec(int).model_dump(mode="json") == {"kind": "primitive", "name": "int"}
    assert validate(type(spec), spec.model_dump(mode="json")) == spec


def test_a_constraint_on_the_wrong_type_is_a_located_definition_error():
    from flowgen.errors import DefinitionError

    def bad(x: Annotated[int, MinLen(2)]) -> int:
        return x

    with pytest.raises(DefinitionError, match=r"input 'x' of task .*bad: constraint length >= 2 \(min_len\) does not "
                                              r"apply to int"):
        task(bad)


@given(inputs(shapes.add_two, x=st.integers(0, 3), y=10))
def test_fixed_inputs_and_strategies_for_one_input(values):
    assert 0 <= values["x"] <= 3 and values["y"] == 10


def test_unknown_fixed_inputs_are_named():
    with pytest.raises(TypeError, match=r"has no input\(s\) 'z'; its inputs are x, y"):
        inputs(shapes.add_two, z=1)


@given(inputs(shapes.lp))
def test_launch_plans_draw_only_their_free_inputs(values):
    assert set(values) == {"x"}


class Mystery(IRModel):
    """A type kind flowgen.testing does not know (as a new IR kind would be)."""

    kind: Literal["mystery"] = "mystery"


def test_types_without_a_strategy_say_which_input_and_type():
    class Opaque:
        pass

    with pytest.raises(NoStrategy, match=r"class .*Opaque.*pass one for that input"):
        strategy_for(OpaqueType(ref=f"{__name__}:Opaque"))
    nested = TableType(flavor="pandas", columns=(FieldSpec(name="xs", type=ListType(item=PrimitiveType(name="int"))),))
    with pytest.raises(NoStrategy, match=r"table column 'xs' of type list\[int\]"):
        strategy_for(nested)
    with pytest.raises(NoStrategy, match=r"no strategy for type kind 'mystery'"):
        strategy_for(Mystery())


def test_the_static_front_end_reads_the_same_constraints_as_the_tracer():
    from flowgen.static import compile_file

    result = compile_file(shapes.__file__)
    assert result.programs, result
    for name, program in result.programs.items():
        traced = getattr(shapes, name.rpartition(".")[2]).compile_program()
        assert program == traced, name
    spec = result.programs["constrained"].workflows[
        "tests.testing.programs.shapes.constrained"].interface.inputs[0].type
    assert [str(c) for c in spec.constraints] == [">= 0", "< 1000", "a multiple of 5"]
