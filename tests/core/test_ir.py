"""The IR: golden file of the reference workflow, JSON round trips, the published schema."""

import json
import os

import basics
import dynamic_workflows as ref
import jsonschema
import multiple_outputs
import nested_dynamic
import rich_types
import subworkflows

from flowgen.ir.model import Program
from flowgen.ir.pydantic_models import validate_json
from flowgen.ir.schema import program_schema
from tests.conftest import ROOT

GOLDEN = os.path.join(os.path.dirname(__file__), "golden", "reference_wf.ir.json")
UPDATE = bool(os.environ.get("FLOWGEN_UPDATE_GOLDEN"))
ALL_WORKFLOWS = [ref.wf, nested_dynamic.nested, multiple_outputs.fit_and_predict, multiple_outputs.words,
                 subworkflows.pipeline, basics.basics, rich_types.bill]


def normalized(program: Program) -> str:
    return program.model_dump_json(indent=2).replace(ROOT, "<root>")


def test_reference_ir_matches_golden() -> None:
    text = normalized(ref.wf.compile_program())
    if UPDATE:
        with open(GOLDEN, "w") as f:
            f.write(text + "\n")
    with open(GOLDEN) as f:
        assert text == f.read().rstrip("\n"), "IR changed; rerun with FLOWGEN_UPDATE_GOLDEN=1 if intended"


def test_json_round_trip_of_every_example() -> None:
    for wf in ALL_WORKFLOWS:
        program = wf.compile_program()
        again = validate_json(Program, program.model_dump_json())
        assert again == program
        assert again.model_dump_json() == program.model_dump_json()


def test_every_example_validates_against_the_published_schema() -> None:
    with open(os.path.join(ROOT, "schema", "program.schema.json")) as f:
        published = json.load(f)
    assert published == json.loads(json.dumps(program_schema())), (
        "schema/program.schema.json is stale: python -m flowgen.ir.schema > schema/program.schema.json"
    )
    for wf in ALL_WORKFLOWS:
        jsonschema.validate(json.loads(wf.compile_program().model_dump_json()), published)


def test_node_ids_are_deterministic_and_in_call_order() -> None:
    program = subworkflows.pipeline.compile_program()
    root = program.root
    assert [n.id for n in root.nodes] == ["n0", "n1", "n2", "n3"]
    assert [n.kind for n in root.nodes] == ["task", "workflow", "task", "task"]
    assert root.nodes[2].upstream == ("n0",)
    # compiled again from scratch: identical
    from flowgen.tracing.compiler import compile_workflow

    wf = subworkflows.pipeline
    again = compile_workflow(wf.name, wf.function, wf.fn, wf.interface, wf.source)
    assert again == program


def test_call_sites_point_at_the_calls() -> None:
    program = ref.wf.compile_program()
    node = program.root.nodes[0]
    assert node.call_site is not None
    with open(node.call_site.file) as f:
        line = f.read().splitlines()[node.call_site.line - 1]
    assert line[node.call_site.column:].startswith("count_characters(")
