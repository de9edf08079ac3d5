"""mypy with the plugin gives the same results however flowgen is installed.

Three fresh virtual environments, each with this mypy from pip (pip's cache makes that
quick) and flowgen from a copy of this checkout:

- ``editable``: ``pip install -e COPY`` (the README's way; setup.py's ``PathEditable``);
- ``wheel``: ``pip install COPY`` (a regular install: flowgen and flowgen-stubs);
- ``checkout``: nothing installed; ``MYPYPATH=COPY/stubs:COPY`` for mypy and
  ``PYTHONPATH=COPY`` for the plugin's import.

mypy runs in a project outside the checkout whose whole configuration is ``plugins =
flowgen.mypy_plugin``, over the examples and the misuse corpus: the three outputs and
this test environment's own output must be identical, with no error in the examples.
A last case hides flowgen from mypy (``--no-site-packages``): one ``flowgen-install``
error that says how to fix it, and no crash.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import mypy.version
import pydantic
import pytest

from tests.mypy.harness import HERE, ROOT

PROJECT_FILES = [*sorted((ROOT / "examples").glob("*.py")), *sorted((HERE / "corpus").glob("*.py"))]
SOURCES = ("flowgen", "stubs", "setup.py", "pyproject.toml", "README.md")


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _venv(path: Path) -> Path:
    """A fresh venv with this mypy and pydantic (examples/rich_types.py uses it), installed by
    this environment's pip (no ensurepip). flowgen goes in with ``--no-deps``: its runtime
    dependencies play no part in type checking, and this environment (the README's
    install, with every dependency) is the reference the three must equal."""
    _run([sys.executable, "-m", "venv", "--without-pip", str(path)])
    python = path / "bin" / "python"
    _pip(python, "install", f"mypy=={mypy.version.__version__.split('+')[0]}", f"pydantic=={pydantic.VERSION}",
         f"pandas-stubs=={importlib.metadata.version('pandas-stubs')}")  # the data-plane corpus uses pandas
    return python


def _pip(python: Path, *args: str) -> None:
    _run([sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check", "-q", *args])


def _mypy(python: Path, project: Path, *extra: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [
            str(python),
            "-m",
            "mypy",
            "--no-incremental",
            "--no-error-summary",
            *extra,
            *sorted(p.name for p in project.glob("*.py")),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode in (0, 1) and not done.stderr.strip(), done.stdout + done.stderr
    assert "INTERNAL ERROR" not in done.stdout
    return done.stdout


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("checkout")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, copy / name)
    return copy


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("project")
    for path in PROJECT_FILES:
        shutil.copy2(path, directory / path.name)
    (directory / "mypy.ini").write_text("[mypy]\nplugins = flowgen.mypy_plugin\n")
    return directory


@pytest.fixture(scope="module")
def reference(project: Path) -> str:
    """This test environment's own result (an editable install, see setup.py)."""
    return _mypy(Path(sys.executable), project)


@pytest.mark.slow
@pytest.mark.parametrize("install", ["editable", "wheel", "checkout"])
def test_every_install_gives_the_same_results(
    install: str, checkout: Path, project: Path, reference: str, tmp_path: Path
) -> None:
    python = _venv(tmp_path / "venv")
    env: dict[str, str] = {}
    if install == "editable":
        _pip(python, "install", "--no-deps", "-e", str(checkout))
    elif install == "wheel":
        _pip(python, "install", "--no-deps", str(checkout))
    else:
        env = {"MYPYPATH": os.pathsep.join([str(checkout / "stubs"), str(checkout)]), "PYTHONPATH": str(checkout)}
    output = _mypy(python, project, env=env)
    assert output == reference
    flagged = {line.split(":")[0] for line in output.splitlines() if ": error:" in line}
    assert not flagged & {p.name for p in PROJECT_FILES if p.parent.name == "examples"}, output
    assert {p.name for p in PROJECT_FILES if p.parent.name == "corpus"} <= flagged  # the checks ran


def test_the_reference_finds_the_corpus_errors(project: Path, reference: str) -> None:
    corpus = {p.name for p in PROJECT_FILES if p.parent.name == "corpus"}
    assert corpus <= {line.split(":")[0] for line in reference.splitlines() if ": error:" in line}, reference


def test_flowgen_hidden_from_mypy_is_one_error_and_no_crash(project: Path) -> None:
    output = _mypy(Path(sys.executable), project, "--no-site-packages")
    install = [line for line in output.splitlines() if line.endswith("[flowgen-install]")]
    assert len(install) == 1, output
    assert "pip install -e ." in install[0] and "mypy_path" in install[0]
    assert not [line for line in output.splitlines() if "[flowgen-" in line and line not in install]
