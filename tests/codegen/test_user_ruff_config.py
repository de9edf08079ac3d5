"""``flowgen build`` formats with the project's own ruff configuration, so ``ruff format --check`` passes there."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from flowgen.codegen.formatting import find_ruff_config
from flowgen.errors import TaskError
from flowgen.runtime import generated as runtime

from .helpers import load

RUFF = os.path.join(os.path.dirname(sys.executable), "ruff")

SOURCE = '''
from flowgen import task, workflow


@task
def add(a: int, b: int) -> int:
    if a == 99:
        raise ValueError("no 99")
    return a + b


@workflow
def chain(start: int) -> int:
    first = add(a=start, b=1)
    second = add(a=first, b=98)
    return add(a=second, b=first)
'''


def _project(tmp_path: object, config_name: str, config: str) -> str:
    root = str(tmp_path)
    with open(os.path.join(root, config_name), "w") as f:
        f.write(textwrap.dedent(config))
    os.makedirs(os.path.join(root, "src"))
    with open(os.path.join(root, "src", "pipeline.py"), "w") as f:
        f.write(SOURCE)
    return root


def _build(root: str) -> str:
    done = subprocess.run([sys.executable, "-m", "flowgen", "build", "src", "--out", "build"], cwd=root,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return os.path.join(root, "build", "pipeline_flowgen.py")


@pytest.mark.parametrize(("config_name", "config"), [
    ("pyproject.toml", """
        [project]
        name = "p"

        [tool.ruff]
        line-length = 60

        [tool.ruff.format]
        quote-style = "single"
        """),
    ("ruff.toml", """
        line-length = 70
        indent-width = 2
        """),
], ids=["pyproject", "ruff.toml"])
def test_build_formats_with_the_projects_ruff_config(tmp_path: object, config_name: str, config: str) -> None:
    root = _project(tmp_path, config_name, config)
    out = _build(root)
    assert find_ruff_config(out) == os.path.join(root, config_name)
    ours = subprocess.run([RUFF, "format", "--check", "--no-cache", "build"], cwd=root, capture_output=True, text=True)
    assert ours.returncode == 0, ours.stdout + ours.stderr  # as the project's own CI would run it
    isolated = subprocess.run([RUFF, "format", "--check", "--no-cache", "--isolated", "build"], cwd=root,
                              capture_output=True, text=True)
    assert isolated.returncode == 1  # so the project's settings did apply (flowgen's own differ)
    with open(out) as f:
        text = f.read()
    # the line table follows the formatted lines: a failure still names its node, checked or fast
    sys.path.insert(0, os.path.join(root, "src"))
    try:
        module = load(out)
        assert module.chain(start=1) == 102
        for validate in (True, False):
            with runtime.validation(validate), pytest.raises(TaskError) as failed:
                module.chain(start=98)
            assert failed.value.node == "n1", text
    finally:
        sys.path.remove(os.path.join(root, "src"))
        sys.modules.pop("pipeline", None)


def test_without_a_project_config_flowgen_uses_its_own_settings(tmp_path: object) -> None:
    root = str(tmp_path)
    with open(os.path.join(root, "pyproject.toml"), "w") as f:
        f.write("[project]\nname = 'p'\n")  # a pyproject.toml without [tool.ruff] is not a ruff config
    assert find_ruff_config(os.path.join(root, "build", "x_flowgen.py")) is None
