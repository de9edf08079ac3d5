"""The plugin, ``flowgen check`` and ``flowgen lsp`` flag the same lines of a shared misuse corpus.

In corpus/, a line ending in ``# flag`` must be reported by all three, and no other
line by any: mypy under its default settings (only ``plugins = flowgen.mypy_plugin``),
``flowgen check --format json``, and the LSP server (each file opened as an editor
would). The codes differ (mypy's ``flowgen-*`` versus ``FG1xx``/``FG2xx``); the lines
are what users see in their editor and CI.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from tests.lsp.client import LspClient
from tests.mypy.harness import DEFAULT_CONFIG, HERE, ROOT, messages_by_file, run_mypy

CORPUS = sorted((HERE / "corpus").glob("*.py"))


def _marked() -> dict[Path, set[int]]:
    marked: dict[Path, set[int]] = {}
    for path in CORPUS:
        lines = path.read_text().splitlines()
        marked[path.resolve()] = {n for n, text in enumerate(lines, start=1) if text.rstrip().endswith("# flag")}
    return marked


def _flowgen_check() -> dict[Path, set[int]]:
    done = subprocess.run(
        [sys.executable, "-m", "flowgen", "check", "--format", "json", *map(str, CORPUS)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    if done.returncode not in (0, 1):
        pytest.fail(f"`flowgen check --format json` did not run (exit {done.returncode}):\n{done.stderr}")
    flagged: dict[Path, set[int]] = defaultdict(set)
    for diagnostic in json.loads(done.stdout)["diagnostics"]:
        if diagnostic["severity"] == "error":
            flagged[(ROOT / diagnostic["path"]).resolve()].add(diagnostic["line"])
    return flagged


def _mypy(cache: Path) -> dict[Path, set[int]]:
    _, output = run_mypy(CORPUS, cache, config=DEFAULT_CONFIG)
    found = messages_by_file(output)
    return {
        path: {line for line, messages in by_line.items() if any(m.startswith("error:") for m in messages)}
        for path, by_line in found.items()
    }


def _lsp() -> dict[Path, set[int]]:
    client = LspClient([sys.executable, "-m", "flowgen", "lsp"], cwd=str(ROOT))
    flagged: dict[Path, set[int]] = defaultdict(set)
    try:
        client.request("initialize", {"processId": None, "rootUri": ROOT.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        for path in CORPUS:
            uri = path.resolve().as_uri()
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "python", "version": 1, "text": path.read_text()}})
            published = client.next_notification("textDocument/publishDiagnostics")
            assert published["uri"] == uri
            flagged[path.resolve()] = {d["range"]["start"]["line"] + 1 for d in published["diagnostics"]
                                       if d["severity"] == 1}
        assert client.close() == 0
    finally:
        if client.process.poll() is None:
            client.process.kill()
    return flagged


def test_corpus_marks_cases() -> None:
    assert sum(len(lines) for lines in _marked().values()) >= 10


def test_plugin_flowgen_check_and_lsp_flag_the_same_lines(tmp_path: Path) -> None:
    marked = _marked()
    tools = {"mypy plugin (default settings)": _mypy(tmp_path), "flowgen check": _flowgen_check(),
             "flowgen lsp": _lsp()}
    problems = []
    for path, expected in marked.items():
        for tool, found in tools.items():
            flagged = found.get(path, set())
            if flagged != expected:
                problems.append(
                    f"{path.name}: {tool} missed {sorted(expected - flagged)}, extra {sorted(flagged - expected)}"
                )
    assert not problems, "\n".join(problems)
