"""The IR's plain base class (flowgen/ir/base.py) keeps the value semantics and JSON the pydantic
models had, and pydantic (flowgen/ir/pydantic_models.py) still validates IR read from outside."""

from __future__ import annotations

import copy
import json
import math
import pickle

import pydantic
import pytest

from flowgen.ir.constraints import Constraint
from flowgen.ir.model import (
    DictBinding,
    FailureHandler,
    InputRef,
    Interface,
    LiteralBinding,
    MapNode,
    NodeOutputRef,
    Param,
    Program,
    SourceSpan,
    TaskNode,
    WorkflowSpec,
)
from flowgen.ir.pydantic_models import json_schema, validate, validate_json
from flowgen.ir.types import DictType, EnumType, ListType, PrimitiveType, UnionType, primitive


def _workflow(**extra: object) -> WorkflowSpec:
    node = TaskNode(id="n0", task="m.t", inputs={"x": LiteralBinding(type=primitive("int"), value=1)})
    return WorkflowSpec(name="m.w", function="m:w", interface=Interface(), nodes=(node,), outputs={},
                        **extra)  # type: ignore[arg-type]


def test_construction_refuses_unknown_and_missing_fields_by_name() -> None:
    with pytest.raises(TypeError, match=r"Param: unknown field\(s\): colour"):
        Param(name="x", type=primitive("int"), colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"Param: missing field\(s\): type"):
        Param(name="x")  # type: ignore[call-arg]


def test_construction_converts_as_pydantic_did() -> None:
    interface = Interface(inputs=[Param(name="x", type=primitive("int"))])  # type: ignore[arg-type]
    assert type(interface.inputs) is tuple
    node = MapNode(id="n0", task="m.t", inputs={}, mapped=["x"], min_success_ratio=1)  # type: ignore[arg-type]
    assert node.mapped == ("x",) and type(node.min_success_ratio) is float
    assert json.loads(node.model_dump_json())["min_success_ratio"] == 1.0


def test_objects_are_frozen_values() -> None:
    spec = ListType(item=primitive("int"))
    with pytest.raises(AttributeError, match="frozen"):
        spec.item = primitive("str")  # type: ignore[misc]
    same = ListType(item=PrimitiveType(name="int"))
    assert spec == same and hash(spec) == hash(same) and spec is not same
    assert spec != ListType(item=primitive("str"))
    assert NodeOutputRef(node="n0", output="o0") != LiteralBinding(type=primitive("str"), value="n0")
    assert repr(primitive("int")) == "PrimitiveType(constraints=(), kind='primitive', name='int')"
    assert str(DictType(value=ListType(item=primitive("int")))) == "dict[str, list[int]]"


def test_copy_pickle_and_model_copy() -> None:
    workflow = _workflow()
    for again in (copy.deepcopy(workflow), pickle.loads(pickle.dumps(workflow)), copy.copy(workflow)):
        assert again == workflow and again.model_dump_json() == workflow.model_dump_json()
    moved = workflow.model_copy(update={"name": "m.v"})
    assert moved.name == "m.v" and workflow.name == "m.w" and moved.nodes is workflow.nodes


def test_json_leaves_defaults_out_where_the_ir_always_did() -> None:
    assert DictType(value=primitive("int")).model_dump(mode="json") == {
        "kind": "dict", "value": {"kind": "primitive", "name": "int"}}
    keyed = DictType(value=primitive("int"), key=primitive("int"))
    assert keyed.model_dump(mode="json")["key"] == {"kind": "primitive", "name": "int"}
    bounded = PrimitiveType(name="int", constraints=(Constraint(kind="ge", value=0),))
    assert bounded.model_dump(mode="json")["constraints"] == [{"kind": "ge", "value": 0}]
    plain = json.loads(_workflow().model_dump_json())
    assert "on_failure" not in plain and "failure_policy" not in plain
    handler = FailureHandler(node=TaskNode(id="on_failure", task="m.h", inputs={}))
    full = json.loads(_workflow(on_failure=handler, failure_policy="fail_after_executable_nodes_complete")
                      .model_dump_json())
    assert full["failure_policy"] == "fail_after_executable_nodes_complete"
    assert full["on_failure"]["node"]["kind"] == "task"
    # python mode keeps tuples; JSON mode writes lists, non-finite floats as null (as pydantic does)
    assert bounded.model_dump()["constraints"] == ({"kind": "ge", "value": 0},)
    bound = json.loads(PrimitiveType(name="float", constraints=(Constraint(kind="le", value=math.inf),))
                       .model_dump_json())
    assert bound["constraints"] == [{"kind": "le", "value": None}]


def test_dump_json_matches_json_dumps_of_dump_and_indents() -> None:
    workflow = _workflow()
    text = workflow.model_dump_json()
    assert text == json.dumps(workflow.model_dump(mode="json"), separators=(",", ":"))
    assert json.loads(workflow.model_dump_json(indent=2)) == json.loads(text)
    assert workflow.model_dump(exclude={"nodes"}).keys() == workflow.model_dump().keys() - {"nodes"}


def test_validation_round_trips_and_refuses_bad_ir_by_field() -> None:
    program = Program(entry="m.w", workflows={"m.w": _workflow()}, tasks={})
    again = validate_json(Program, program.model_dump_json())
    assert again == program and type(again.root.nodes[0]) is TaskNode
    assert validate(Program, program) is program
    for copied in (pickle.loads(pickle.dumps(again)), copy.deepcopy(again), copy.copy(again)):  # as executors do
        assert copied == again and copied.model_dump_json() == again.model_dump_json()
    with pytest.raises(pydantic.ValidationError, match=r"for Program\ntasks.`m.t`.interface.inputs.0.type") as bad_kind:
        validate_json(Program, json.dumps({"entry": "m.w", "workflows": {}, "tasks": {"m.t": {
            "name": "m.t", "function": "m:t", "interface": {
                "inputs": [{"name": "x", "type": {"kind": "complex"}}]}}}}))
    assert "Input tag 'complex' found using 'kind'" in str(bad_kind.value)
    with pytest.raises(pydantic.ValidationError, match="extra"):
        validate(PrimitiveType, {"kind": "primitive", "name": "int", "colour": "red"})
    with pytest.raises(pydantic.ValidationError):
        validate(UnionType, {"kind": "union", "variants": "int"})


def test_the_schema_discriminates_unions_by_kind() -> None:
    schema = json_schema(Param)
    type_schema = schema["properties"]["type"]
    assert type_schema["discriminator"]["propertyName"] == "kind"
    assert set(type_schema["discriminator"]["mapping"]) >= {"primitive", "list", "dict", "record", "table"}


def test_model_construct_construct_and_model_copy_refuse_unknown_and_missing_fields() -> None:
    from flowgen.ir.construct import construct

    with pytest.raises(TypeError, match=r"PrimitiveType: unknown field\(s\): bogus"):
        PrimitiveType.model_construct(name="int", bogus=1)
    with pytest.raises(TypeError, match=r"SourceSpan: missing field\(s\): line"):
        SourceSpan.model_construct(file="f.py")
    with pytest.raises(TypeError, match=r"unknown field\(s\): nmae"):
        primitive("int").model_copy(update={"nmae": "str"})
    with pytest.raises(TypeError, match=r"SourceSpan: missing field\(s\): line"):
        construct(SourceSpan, file="f.py", column=3)
    with pytest.raises(TypeError, match=r"unknown field\(s\): bogus"):
        construct(SourceSpan, file="f.py", line=1, bogus=2)
    # a class with a default factory gets its default made, not a placeholder
    assert construct(DictType, value=primitive("int")) == DictType(value=primitive("int"))


def test_tuple_fields_take_any_iterable_and_nested_lists_as_pydantic_did() -> None:
    binding = DictBinding(items=[["a", InputRef(name="x")]])  # type: ignore[list-item]
    assert binding == DictBinding(items=(("a", InputRef(name="x")),)) and hash(binding) == hash(binding)
    assert Interface(inputs=(p for p in [Param(name="x", type=primitive("int"))])).inputs[0].name == "x"
    assert EnumType(ref="m:E", members=["A", "B"]).members == ("A", "B")  # type: ignore[arg-type]


def test_floats_are_written_as_python_writes_them_and_read_back_equal() -> None:
    # Not byte-for-byte pydantic's spelling (which wrote 0.00001 and 1e-6): the same values.
    bound = Constraint(kind="ge", value=1e-05)
    assert bound.model_dump_json() == '{"kind":"ge","value":1e-05}'
    assert validate_json(Constraint, bound.model_dump_json()) == bound
