"""flowgen.ir.decode: IR from flowgen's own JSON without pydantic gives exactly what pydantic's
validation gives, and JSON flowgen did not write is handed to pydantic for a located error."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys

import pydantic
import pytest

from flowgen.ir.decode import decode, decode_json
from flowgen.ir.model import FailureHandler, Interface, Program, TaskNode, WorkflowSpec
from flowgen.ir.pydantic_models import validate_json
from flowgen.ir.types import DictType, ListType, PrimitiveType, primitive
from flowgen.static import compile_file
from tests.conftest import ROOT

SOURCES = sorted({*glob.glob(os.path.join(ROOT, "examples", "*.py")),
                  *glob.glob(os.path.join(ROOT, "tests", "**", "programs*", "*.py"), recursive=True),
                  *glob.glob(os.path.join(ROOT, "tests", "**", "programs*.py"), recursive=True)})


def _programs() -> list[Program]:
    found = []
    for path in SOURCES:
        found.extend(compile_file(path).programs.values())
    return found


def test_every_statically_compiled_program_decodes_as_pydantic_validates_it() -> None:
    programs = _programs()
    assert len(programs) > 30  # the corpus: every example and test program the static front end compiles
    for program in programs:
        text = program.model_dump_json()
        decoded = decode_json(Program, text)
        assert decoded == program == validate_json(Program, text)
        assert decoded.model_dump_json() == text


def test_fields_left_out_of_the_json_take_their_defaults() -> None:
    spec = DictType(value=ListType(item=primitive("int")))
    assert decode_json(DictType, '{"kind":"dict","value":{"kind":"list","item":{"kind":"primitive","name":"int"}}}') == spec
    assert decode_json(DictType, spec.model_dump_json()).key == primitive("str")
    handler = FailureHandler(node=TaskNode(id="on_failure", task="m.h", inputs={}))
    workflow = WorkflowSpec(name="m.w", function="m:w", interface=Interface(), nodes=(), outputs={},
                            on_failure=handler, failure_policy="fail_after_executable_nodes_complete")
    assert decode(WorkflowSpec, json.loads(workflow.model_dump_json())) == workflow
    plain = workflow.model_copy(update={"on_failure": None, "failure_policy": "fail_immediately"})
    assert decode_json(WorkflowSpec, plain.model_dump_json()) == plain


@pytest.mark.parametrize("text", [
    '{"kind":"primitive","name":"int","colour":"red"}',  # a field flowgen never writes
    '{"kind":"primitive"}',  # a missing field
    '[1, 2]',  # not an object
])
def test_json_flowgen_did_not_write_gets_pydantics_located_error(text: str) -> None:
    with pytest.raises(pydantic.ValidationError, match="PrimitiveType"):
        decode_json(PrimitiveType, text)


def test_an_unknown_kind_is_pydantics_error_naming_the_field() -> None:
    text = json.dumps({"inputs": [{"name": "x", "type": {"kind": "complex"}}]})
    with pytest.raises(pydantic.ValidationError, match=r"inputs.0.type"):
        decode_json(Interface, text)


def test_a_generated_module_runs_without_importing_pydantic(tmp_path) -> None:
    out = tmp_path / "out"
    built = subprocess.run([sys.executable, "-m", "flowgen", "build", "examples/dynamic_workflows.py", "--out",
                            str(out)], capture_output=True, text=True, cwd=ROOT)
    assert built.returncode == 0, built.stderr
    probe = ("import sys\n"
             f"sys.path.insert(0, {str(out)!r})\n"
             "import dynamic_workflows_flowgen as generated\n"
             "print(generated.wf(s1='Pear', s2='Earth'))\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["3", "[]"]


def test_null_where_the_ir_has_no_none_is_not_flowgens_json() -> None:
    with pytest.raises(pydantic.ValidationError, match="item"):
        decode_json(ListType, '{"kind":"list","item":null}')


def test_a_whole_number_in_a_float_field_is_a_float() -> None:
    from flowgen.ir.model import MapNode

    node = decode_json(MapNode, '{"id":"n0","task":"m.t","inputs":{},"mapped":["x"],"min_success_ratio":1}')
    assert type(node.min_success_ratio) is float


def test_decoders_built_by_many_threads_at_once_are_complete() -> None:
    """The first decode of each class builds its decoder; threads that meet it half-built must
    wait, not use it (they got objects without their default fields)."""
    probe = (
        "import sys, threading\n"
        "sys.setswitchinterval(1e-6)  # threads switch as often as they can: the half-built window shows\n"
        "from flowgen.ir.decode import decode_json\n"
        "from flowgen.ir.model import Interface, TaskNode, WorkflowSpec, LiteralBinding\n"
        "from flowgen.ir.types import primitive\n"
        "node = TaskNode(id='n0', task='m.t', inputs={'x': LiteralBinding(type=primitive('int'), value=1)})\n"
        "spec = WorkflowSpec(name='m.w', function='m:w', interface=Interface(), nodes=(node,), outputs={})\n"
        "text = spec.model_dump_json()\n"
        "start = threading.Barrier(16)\n"
        "got = []\n"
        "def decode():\n"
        "    start.wait()\n"
        "    got.append(decode_json(WorkflowSpec, text))\n"
        "threads = [threading.Thread(target=decode) for _ in range(16)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "import sys\n"
        "print(len(got), all(g == spec for g in got), 'pydantic' in sys.modules)\n"
    )
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["16", "True", "False"]  # and no fallback to pydantic
