"""``flowgen lsp`` driven as an editor drives it, over stdio.

initialize, didOpen, didChange with a misuse, publishDiagnostics, hover, definition,
codeAction (applied as an edit), shutdown. The diagnostics must equal what
``flowgen check --format json`` prints for the same text, saved to the same file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flowgen.lsp.diagnostics import to_flowgen_json
from tests.lsp.client import LspClient

TASKS = """from flowgen import task


@task
def count(text: str) -> int:
    return len(text)


@task
def shout(text: str) -> str:
    return text.upper()
"""

FLOW = """from flowgen import workflow

from tasks_mod import count, shout


@workflow
def wf(text: str) -> str:
    n = count(text=text)
    return shout(text=text)
"""

MISUSE = """from flowgen import workflow

from tasks_mod import count, shout


@workflow
def wf(text: str) -> str:
    n = count(text=text)
    if n > 3:
        pass
    return shout(text=n)
"""


def _check_json(project: Path, path: Path) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "flowgen", "check", "--format", "json", str(path)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr
    found = json.loads(done.stdout)["diagnostics"]
    for d in found:
        d["path"] = str((project / d["path"]).resolve())
    return found


def _position(text: str, needle: str, occurrence: int = 0, offset: int = 0) -> dict[str, int]:
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    before = text[: index + offset]
    return {"line": before.count("\n"), "character": len(before) - (before.rfind("\n") + 1)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "tasks_mod.py").write_text(TASKS)
    (tmp_path / "flow.py").write_text(FLOW)
    return tmp_path


@pytest.fixture
def client(project: Path) -> Any:
    lsp = LspClient([sys.executable, "-m", "flowgen", "lsp"], cwd=str(project))
    yield lsp
    if lsp.process.poll() is None:
        lsp.process.kill()
        lsp.process.wait()


def test_an_editor_session(project: Path, client: LspClient) -> None:
    flow = project / "flow.py"
    uri = flow.resolve().as_uri()
    result = client.request("initialize", {"processId": None, "rootUri": project.as_uri(), "capabilities": {}})
    capabilities = result["capabilities"]
    assert capabilities["hoverProvider"] and capabilities["definitionProvider"] and capabilities["codeActionProvider"]
    client.notify("initialized", {})

    client.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": FLOW}}
    )
    opened = client.next_notification("textDocument/publishDiagnostics")
    assert opened["uri"] == uri and opened["diagnostics"] == []
    hover = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": _position(FLOW, "n = count")}
    )
    text = hover["contents"]["value"]  # the node id from the compiled IR
    assert "n: Promise[int]" in text and "task `tasks_mod.count` (node n0)" in text, text

    # The user types a misuse; nothing is saved: the server checks the buffer.
    client.notify(
        "textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": MISUSE}]}
    )
    published = client.next_notification("textDocument/publishDiagnostics")
    assert flow.read_text() == FLOW  # still the saved text on disk
    got = [to_flowgen_json(d, str(flow.resolve())) for d in published["diagnostics"]]
    assert {d["code"] for d in got} == {"FG102", "FG201"}, got
    flow.write_text(MISUSE)
    assert got == _check_json(project, flow)  # identical to `flowgen check --format json`

    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": _position(MISUSE, "n > 3")})
    text = hover["contents"]["value"]
    assert "n: Promise[int]" in text and "tasks_mod.count" in text and "node n0 by call order" in text, text
    param = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": _position(MISUSE, "text=text", offset=5)}
    )
    assert "text: Promise[str]" in param["contents"]["value"]

    location = client.request(
        "textDocument/definition",
        {"textDocument": {"uri": uri}, "position": _position(MISUSE, "shout(text=n)", offset=2)},
    )
    assert location["uri"] == (project / "tasks_mod.py").resolve().as_uri()
    assert location["range"]["start"] == {"line": 9, "character": 4}  # `def shout`

    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": published["diagnostics"][0]["range"],
            "context": {"diagnostics": published["diagnostics"]},
        },
    )
    by_code = {a["diagnostics"][0]["code"]: a for a in actions}
    edit = by_code["FG102"]["edit"]["changes"][uri][0]
    assert edit["newText"] == "  # flowgen: ignore[FG102]"
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 3},
            "contentChanges": [{"range": edit["range"], "text": edit["newText"]}],
        },
    )
    after = client.next_notification("textDocument/publishDiagnostics")
    assert [d["code"] for d in after["diagnostics"]] == ["FG201"]

    assert client.close() == 0
