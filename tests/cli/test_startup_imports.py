"""What start-up loads: the help screens and ``import flowgen`` stay off the IR, pydantic and
the runtime; a workflow run stays off pydantic, which the IR loads when it validates.

Start-up *time* is measured by ``bench/bench_startup.py`` (a table, no assertion); these tests
pin the structure that makes it fast, so a stray top-level import cannot undo it unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# Loaded by a workflow run, never by a help screen.
HEAVY = ["pydantic", "pydantic_core", "flowgen.ir", "flowgen.ir.types", "flowgen.ir.model", "flowgen.ir.codec",
         "flowgen.dsl", "flowgen.dsl.entities", "flowgen.tracing", "flowgen.runtime.interpreter",
         "flowgen.runtime.cache", "flowgen.cli.inputs", "flowgen.cli.output", "rich", "libcst", "dask",
         "importlib.metadata", "sqlite3"]


def loaded_by(argv: list[str] | None, code: str = "") -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``flowgen ARGV`` (or ``code`` when ``argv`` is None) in a fresh interpreter; its output and
    the modules it had loaded when it ended."""
    probe = ("import sys\n"
             + (f"sys.argv = ['flowgen', *{argv!r}]\nfrom flowgen.cli.main import main\n"
                "try:\n    main()\nexcept SystemExit:\n    pass\n" if argv is not None else code)
             + "print('\\n' + ' '.join(sorted(sys.modules)), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    return done, set(done.stderr.rsplit("\n", 2)[-2].split())


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["run", "-h"], ["run"], ["--version"]])
def test_help_screens_load_no_ir_pydantic_or_runtime(argv: list[str]) -> None:
    done, loaded = loaded_by(argv)
    assert "Usage: flowgen" in done.stdout or "flowgen, version" in done.stdout, done.stderr
    assert "flowgen.cli.main" in loaded
    assert [m for m in HEAVY if m in loaded] == []
    if argv[:1] == ["run"]:  # the options are listed all the same
        assert "--executor [inprocess|threads|processes|dask]" in done.stdout and "--INPUT VALUE" in done.stdout


def test_import_flowgen_loads_no_submodule_until_a_name_is_used() -> None:
    _, loaded = loaded_by(None, "import flowgen\n")
    assert sorted(m for m in loaded if m.startswith("flowgen.")) == []
    assert "pydantic" not in loaded and "click" not in loaded


def test_a_workflow_run_does_not_import_pydantic() -> None:
    """The README's run defines the IR classes and builds IR objects without pydantic (start-up,
    issue 15); pydantic is the IR's validator and schema, loaded when something is validated."""
    done, loaded = loaded_by(["run", "examples/dynamic_workflows.py:wf", "--s1", "Pear", "--s2", "Earth"])
    assert done.stdout.strip() == "3", done.stderr
    assert {"flowgen.ir.model", "flowgen.dsl.entities", "flowgen.runtime.interpreter"} <= loaded
    assert sorted(m for m in loaded if m.split(".")[0] in ("pydantic", "pydantic_core", "annotated_types")) == []
    assert "flowgen.ir.pydantic_models" not in loaded


def test_ir_validation_loads_pydantic_on_first_use() -> None:
    """Importing the IR leaves pydantic out; the first validation builds the IR's pydantic models
    and validates exactly as they always did (an unknown primitive is refused, defaults fill in)."""
    code = (
        "import sys\n"
        "from flowgen.ir import model, types\n"
        "before = 'pydantic' in sys.modules\n"
        "from flowgen.ir.pydantic_models import validate, validate_json\n"
        "import pydantic\n"
        "spec = types.ListType(item=types.primitive('int'))\n"
        "try:\n"
        "    validate(types.PrimitiveType, {'kind': 'primitive', 'name': 'complex'})\n"
        "    refused = False\n"
        "except pydantic.ValidationError:\n"
        "    refused = True\n"
        "program = model.Program(entry='w', workflows={'w': model.WorkflowSpec(\n"
        "    name='w', function='m:w', interface=model.Interface(inputs=(model.Param(name='x', type=spec),)),\n"
        "    nodes=(), outputs={})}, tasks={})\n"
        "p = validate_json(model.Program, program.model_dump_json())\n"
        "import json\n"
        "print(json.dumps({'before': before, 'refused': refused, 'equal': p == program,\n"
        "                  'param': p.root.interface.inputs[0].type.model_dump(), 'same': types.primitive('int') is\n"
        "                  types.primitive('int')}))\n"
    )
    done, _ = loaded_by(None, code)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["before"] is False  # the IR alone does not import pydantic
    assert result["refused"] is True
    assert result["equal"] is True
    assert result["param"] == {"kind": "list", "item": {"kind": "primitive", "name": "int"}}
    assert result["same"] is True  # primitive() hands out one shared instance per name


GC_PROBE = '''
import gc
from flowgen import task, workflow


@task
def collector_on() -> bool:
    return gc.isenabled()


@workflow
def wf() -> bool:
    return collector_on()
'''


@pytest.mark.parametrize("user_turned_it_off", [False, True])
def test_start_up_pauses_the_collector_but_tasks_run_with_it_on(tmp_path, user_turned_it_off: bool) -> None:
    """``flowgen`` pauses the cyclic collector while its modules load (start-up time) and gives it
    back before any task runs and at exit; a collector the user turned off stays off."""
    (tmp_path / "gc_probe.py").write_text(GC_PROBE)
    code = ("import gc, sys\n"
            + ("gc.disable()\n" if user_turned_it_off else "")
            + f"sys.argv = ['flowgen', 'run', {str(tmp_path / 'gc_probe.py')!r} + ':wf']\n"
            "from flowgen.cli import startup\n"
            "from flowgen.cli.main import main\n"
            "seen = []\n"
            "real_resume = startup.resume\n"
            "def resume():\n"
            "    seen.append(gc.isenabled())\n"
            "    real_resume()\n"
            "startup.resume = resume\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('paused-before-resume', seen[0], 'at-exit', gc.isenabled())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    result, probe = done.stdout.strip().splitlines()
    assert result == str(not user_turned_it_off)  # what the task saw
    assert probe == f"paused-before-resume False at-exit {not user_turned_it_off}"
