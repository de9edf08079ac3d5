"""The static tools never run a line of the user's program: ``check``, ``graph``,
``compile --static``, ``build`` and ``build --check``.

A project plants a side effect in every place Python runs code: module bodies, a
package ``__init__``, decorators, default values, metaclasses, class bodies,
``__set_name__``, an import hook installed at import time, a ``.pth`` file and
``sitecustomize``/``usercustomize`` next to the sources, and a module whose import
never ends. Each side effect writes a marker file; every command runs as a real
subprocess (as CI runs it) and the marker directory must stay empty. One workflow is
outside the static subset, so ``build`` must emit a run-time compile hook for it
(the case that used to import the module). Running the generated module afterwards
*does* import the sources (that is run time), and gives the interpreter's result.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FLOWGEN = [str(Path(sys.executable).with_name("flowgen"))]

MARK = "open(os.path.join(os.environ['FG_MARKERS'], {name!r}), 'w').close()"


def _mark(name: str) -> str:
    return MARK.format(name=name)


def _project(root: Path) -> Path:
    pkg = root / "proj" / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(f"import os\n{_mark('package_init')}\n")
    (pkg / "hooks.py").write_text(f'''import os
import sys

{_mark("hooks_module_body")}


class _Finder:
    def find_spec(self, name, path=None, target=None):
        {_mark("import_hook")}
        return None


sys.meta_path.insert(0, _Finder())


def traced(fn):
    {_mark("decorator")}
    return fn


class Meta(type):
    def __new__(mcls, name, bases, ns):
        {_mark("metaclass")}
        return super().__new__(mcls, name, bases, ns)


class Named:
    def __set_name__(self, owner, name):
        {_mark("set_name")}
''')
    (pkg / "forever.py").write_text("while True:\n    pass\n")
    (pkg / "flows.py").write_text(f'''import os

from flowgen import task, workflow

from pkg import forever  # noqa: F401  (importing it never returns)
from pkg.hooks import Meta, Named, traced

{_mark("module_body")}


def _default():
    {_mark("default_value")}
    return 3


class Config(metaclass=Meta):
    {_mark("class_body")}
    field = Named()


@task
def double(x: int) -> int:
    return 2 * x


@traced
def add_one(x, bump=_default()):
    return double(x=x)


@workflow
def static_wf(x: int = 2) -> int:
    return double(x=x)


@workflow
def via_helper(x: int = 5) -> int:
    return add_one(x)
''')
    (root / "proj" / "evil.pth").write_text(f"import os; {_mark('pth_file')}\n")
    (root / "proj" / "sitecustomize.py").write_text(f"import os\n{_mark('sitecustomize')}\n")
    (root / "proj" / "usercustomize.py").write_text(f"import os\n{_mark('usercustomize')}\n")
    return root / "proj"


def _run(args: list[str], cwd: Path, markers: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["FG_MARKERS"] = str(markers)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    markers = tmp_path / "markers"
    markers.mkdir()
    return _project(tmp_path), markers


def test_no_static_command_runs_user_code(planted: tuple[Path, Path]) -> None:
    project, markers = planted
    flows = str(project / "pkg" / "flows.py")
    commands = {
        "check": [*FLOWGEN, "check", "pkg", "--jobs", "1"],
        "check (parallel)": [*FLOWGEN, "check", "pkg", "--jobs", "2"],
        "graph": [*FLOWGEN, "graph", f"{flows}:static_wf", "--format", "dot"],
        "compile --static": [*FLOWGEN, "compile", "--static", f"{flows}:static_wf"],
        "build": [*FLOWGEN, "build", "pkg", "--out", "out"],
        "build --check": [*FLOWGEN, "build", "pkg", "--out", "out", "--check"],
    }
    outcomes = {}
    for what, args in commands.items():
        done = _run(args, project, markers)  # a command that imported forever.py would time out here
        outcomes[what] = done
        assert sorted(p.name for p in markers.iterdir()) == [], f"{what} ran user code: {done.stderr}"
    assert "Traceback" not in "".join(o.stderr for o in outcomes.values())
    assert outcomes["compile --static"].returncode == 0, outcomes["compile --static"].stderr
    assert '"entry": "pkg.flows.static_wf"' in outcomes["compile --static"].stdout
    assert outcomes["build"].returncode == 0, outcomes["build"].stderr
    assert outcomes["build --check"].returncode == 0, outcomes["build --check"].stderr
    # build says, once per deferred workflow, why it is traced at run time
    lines = [line for line in outcomes["build"].stderr.splitlines() if line.startswith("deferred:")]
    assert len(lines) == 1 and "pkg.flows.via_helper" in lines[0] and "FG401" in lines[0], outcomes["build"].stderr
    generated = (project / "out" / "pkg" / "flows_flowgen.py").read_text()
    assert "deferred_workflow(" in generated and "def via_helper(x: int = 5) -> int:" in generated


def test_the_deferred_workflow_runs_from_the_generated_module(tmp_path: Path) -> None:
    """The run-time compile hook traces the workflow when the module runs: same result as the interpreter."""
    project = tmp_path / "proj"
    (project / "pkg").mkdir(parents=True)
    (project / "pkg" / "__init__.py").write_text("")
    (project / "pkg" / "flows.py").write_text('''from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@task
def add(a: int, b: int) -> int:
    return a + b


def twice(x):
    return double(x=double(x=x))


@workflow
def via_helper(x: int = 5) -> int:
    return add(a=twice(x), b=x)


@workflow
def calls_deferred(x: int) -> int:
    return double(x=via_helper(x=x))
''')
    markers = tmp_path / "m"
    markers.mkdir()
    built = _run([*FLOWGEN, "build", "pkg", "--out", "out"], project, markers)
    assert built.returncode == 0, built.stderr
    deferred = sorted(line.split()[1] for line in built.stderr.splitlines() if line.startswith("deferred:"))
    assert deferred == ["pkg.flows.calls_deferred", "pkg.flows.via_helper"]
    script = str(project / "out" / "pkg" / "flows_flowgen.py")
    for name, args, expected in [("via_helper", [], "25"), ("via_helper", ["--x", "2"], "10"),
                                 ("calls_deferred", ["--x", "1"], "10")]:
        generated = _run([sys.executable, script, name, *args], project, markers)
        assert generated.returncode == 0, generated.stderr
        assert generated.stdout.strip() == expected
        interpreted = _run([*FLOWGEN, "run", f"pkg/flows.py:{name}", *args], project, markers)
        assert interpreted.stdout.strip() == expected, interpreted.stderr
    threads = _run([sys.executable, script, "via_helper", "--x", "2", "--executor", "threads"], project, markers)
    assert threads.stdout.strip() == "10", threads.stderr
    bad = _run([sys.executable, script, "via_helper", "--x", "zz"], project, markers)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr


def test_a_workflow_with_errors_fails_the_build_without_importing(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    markers = tmp_path / "m"
    markers.mkdir()
    (project / "flows.py").write_text(f'''import os

from flowgen import task, workflow

{_mark("module_body")}


@task
def double(x: int) -> int:
    return 2 * x


@workflow
def wf(x: str) -> int:
    return double(x=x)
''')
    done = _run([*FLOWGEN, "build", "flows.py", "--out", "out"], project, markers)
    assert done.returncode == 1
    assert "FG201" in done.stderr and "Traceback" not in done.stderr
    assert list(markers.iterdir()) == []
    assert not (project / "out").exists()
