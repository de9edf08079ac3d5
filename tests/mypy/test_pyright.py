"""Pyright (and so Pylance) users without the LSP: the stubs give it the task signatures.

pyright from PyPI (the dev extra; it runs on node, which CI installs from Debian) checks a
project outside this checkout, against this environment's install: a wrong keyword and a
wrong constant type in a task call are reported, a correct workflow is not.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

WORKFLOWS = """from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@task
def label(n: int, prefix: str = "n=") -> str:
    return prefix + str(n)


@workflow
def good(n: int) -> str:
    return label(n=double(x=n), prefix="#")


@workflow
def bad(n: int) -> int:
    a = double(y=n)
    b = label(n="three")
    return double(x=n)
"""


def _pyright() -> str:
    found = shutil.which("pyright", path=os.path.dirname(sys.executable)) or shutil.which("pyright")
    assert found is not None, "pyright is part of the dev extra: pip install -e '.[dev]'"
    assert shutil.which("node") is not None, "pyright needs node: apt-get install nodejs"
    return found


def test_pyright_sees_task_signatures(tmp_path: Path) -> None:
    (tmp_path / "flows.py").write_text(WORKFLOWS)
    done = subprocess.run(
        [_pyright(), "--outputjson", "--pythonpath", sys.executable, "flows.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(done.stdout)
    found = sorted(
        (d["range"]["start"]["line"] + 1, d["rule"]) for d in report["generalDiagnostics"] if d["severity"] == "error"
    )
    assert found == [(21, "reportCallIssue"), (21, "reportCallIssue"), (22, "reportArgumentType")], done.stdout
    messages = " ".join(d["message"] for d in report["generalDiagnostics"])
    assert 'No parameter named "y"' in messages and '"x"' in messages and '"n"' in messages
