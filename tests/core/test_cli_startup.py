"""The ``flowgen`` command's shape: every command listed, ``run --help`` without a target,
``graph -o`` with an unknown extension, Dask as an extra, and what ``flowgen run`` imports.

Start-up *time* is measured by ``bench/bench_startup.py``; here the test pins what makes it
fast: the modules ``flowgen run`` does not load.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from flowgen.cli.main import COMMANDS, cli
from tests.conftest import ROOT


def flowgen(*args: str, cwd: str = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "flowgen", *args], capture_output=True, text=True, cwd=cwd)


def test_help_lists_every_command_with_a_line_of_help() -> None:
    out = flowgen("--help")
    assert out.returncode == 0, out.stderr
    listed = out.stdout.split("Commands:")[1]
    registered = {"run", "check", "compile", "build", "graph", "test", "cache", "lsp"}
    assert set(COMMANDS) == registered
    for name in registered:
        assert f"\n  {name} " in listed, name
    for name, (module, attribute, _) in COMMANDS.items():  # the table names real commands
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None and command.name == name, (module, attribute)


@pytest.mark.parametrize("args", [["run", "--help"], ["run", "-h"]])
def test_run_help_without_a_target_lists_its_options(args: list[str]) -> None:
    out = flowgen(*args)
    assert out.returncode == 0, out.stderr
    for option in ("--inputs FILE", "--json", "--executor [inprocess|threads|processes|dask]",
                   "--max-parallelism", "--dask-address", "--cache-dir", "--no-cache", "--report FILE",
                   "--raw-data-prefix", "--no-progress", "--INPUT VALUE"):
        assert option in out.stdout, option


def test_run_without_anything_shows_help_and_fails() -> None:
    out = flowgen("run")
    assert out.returncode == 2
    assert "--executor" in out.stdout


def test_every_command_has_help() -> None:
    for name in COMMANDS:
        out = flowgen(name, "--help")
        assert out.returncode == 0, (name, out.stderr)
        assert "Usage: flowgen" in out.stdout


def test_graph_to_an_unknown_extension_names_the_formats(tmp_path: Path) -> None:
    target = tmp_path / "x.jpg"
    out = flowgen("graph", "examples/dynamic_workflows.py:wf", "-o", str(target))
    assert out.returncode == 2
    assert "cannot write .jpg files" in out.stderr
    assert "mermaid, dot, svg, png, html" in out.stderr and ".mmd" in out.stderr
    assert not target.exists()
    named = flowgen("graph", "examples/dynamic_workflows.py:wf", "-o", str(tmp_path / "g.mmd"))
    assert named.returncode == 0, named.stderr
    assert (tmp_path / "g.mmd").read_text().startswith(("flowchart", "graph", "%%"))


def _without_dask(*args: str) -> subprocess.CompletedProcess[str]:
    """``flowgen ARGS`` in a Python where ``import distributed`` fails, as without the extra."""
    code = ("import sys; sys.modules['distributed'] = None; sys.modules['dask'] = None\n"
            f"sys.argv = ['flowgen', *{list(args)!r}]\n"
            "from flowgen.cli.main import main\nmain()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def test_the_dask_executor_without_the_extra_is_one_clear_error() -> None:
    out = _without_dask("run", "examples/dynamic_workflows.py:wf", "--s1", "Pear", "--s2", "Earth",
                        "--executor", "dask")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "--executor dask needs Dask" in out.stderr and "pip install 'flowgen[dask]'" in out.stderr
    assert "Traceback" not in out.stderr and out.stderr.count("error:") == 1
    ok = _without_dask("run", "examples/dynamic_workflows.py:wf", "--s1", "Pear", "--s2", "Earth",
                       "--executor", "threads")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "3"


def test_the_dask_extra_is_declared_and_in_dev() -> None:
    import tomllib

    project = tomllib.loads((Path(ROOT) / "pyproject.toml").read_text())["project"]
    assert not any(d.startswith(("dask", "distributed")) for d in project["dependencies"])
    extras = project["optional-dependencies"]
    assert any(d.startswith("dask[distributed]") for d in extras["dask"])
    assert any(d.startswith("dask[distributed]") for d in extras["dev"])


def test_flowgen_run_imports_only_what_it_needs() -> None:
    probe = ("import sys\n"
             "sys.argv = ['flowgen', 'run', 'examples/dynamic_workflows.py:wf', '--s1', 'Pear', '--s2', 'Earth']\n"
             "from flowgen.cli.main import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "3", out.stderr
    loaded = set(out.stderr.split())
    assert "flowgen.cli.run" in loaded and "flowgen.runtime.interpreter" in loaded
    never = ["dask", "distributed", "rich", "libcst", "flowgen.static", "flowgen.codegen", "flowgen.render",
             "flowgen.report", "flowgen.lsp", "flowgen.cli.build", "flowgen.cli.graph", "flowgen.cli.check",
             "flowgen.runtime.executors.threads", "flowgen.runtime.executors.processes", "multiprocessing",
             "asyncio"]
    assert not [m for m in never if m in loaded]
