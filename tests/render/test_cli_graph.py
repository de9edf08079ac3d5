"""``flowgen graph``: formats, -o, format from the extension, and the Graphviz-missing message."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from flowgen.cli.main import cli
from tests.render.examples_index import example_path
from tests.render.test_formats import GOLDEN, needs_graphviz

TARGET = example_path("subworkflows") + ":pipeline"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def golden(name: str) -> str:
    with open(os.path.join(GOLDEN, name), encoding="utf-8") as f:
        return f.read()


def test_mermaid_is_the_default_and_matches_the_golden_file() -> None:
    code, out, _ = invoke("graph", TARGET)
    assert code == 0
    assert out == golden("subworkflows.pipeline.mmd")


def test_dot_to_stdout() -> None:
    code, out, _ = invoke("graph", TARGET, "--format", "dot")
    assert code == 0
    assert out == golden("subworkflows.pipeline.dot")


@pytest.mark.parametrize(("suffix", "start"), [(".html", b"<!DOCTYPE html>"), (".mmd", b"%% flowgen graph"),
                                               (".dot", b"// flowgen graph")])
def test_format_follows_the_output_extension(tmp_path, suffix: str, start: bytes) -> None:
    out = tmp_path / f"pipeline{suffix}"
    code, _, err = invoke("graph", TARGET, "-o", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(start)
    assert f"wrote {out}" in err


def test_svg_and_png_files(tmp_path) -> None:
    needs_graphviz()
    svg, png = tmp_path / "p.svg", tmp_path / "p.png"
    assert invoke("graph", TARGET, "-o", str(svg))[0] == 0
    assert invoke("graph", TARGET, "-o", str(png))[0] == 0
    assert b"<svg" in svg.read_bytes() and b"n1.n0" in svg.read_bytes()
    assert png.read_bytes().startswith(b"\x89PNG")


def test_without_graphviz_svg_says_what_to_install_and_text_formats_still_work(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere
    code, out, err = invoke("graph", TARGET, "--format", "svg")
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Graphviz" in lines[0] and "apt-get install graphviz" in lines[0]
    for fmt in ("mermaid", "dot", "html"):
        code, out, err = invoke("graph", TARGET, "--format", fmt)
        assert code == 0, err
        assert "n1.n0" in out


def test_an_unknown_workflow_is_a_clear_error() -> None:
    code, _, err = invoke("graph", example_path("subworkflows") + ":nope")
    assert code == 1
    assert "'nope'" in err and "pipeline" in err
    assert "Traceback" not in err


def test_an_unknown_format_is_rejected_by_the_option() -> None:
    code, _, err = invoke("graph", TARGET, "--format", "jpeg")
    assert code == 2
    assert "jpeg" in err


def test_the_graph_comes_from_source_without_importing_it(tmp_path) -> None:
    module = tmp_path / "never_imported.py"
    module.write_text(
        "from flowgen import task, workflow\n"
        "raise RuntimeError('this module must not be imported')\n"
        "@task\ndef one(x: int) -> int:\n    return x\n"
        "@workflow\ndef wf(x: int) -> int:\n    return one(x=one(x=x))\n",
        encoding="utf-8",
    )
    code, out, err = invoke("graph", f"{module}:wf")
    assert code == 0, err
    assert 'n1["one<br/>n1"]:::task' in out
    assert "n0 -->|\"x: int\"| n1" in out
    code, _, err = invoke("graph", f"{module}:wf", "--traced")  # --traced does import it
    assert code == 1 and "must not be imported" in err


def test_a_module_target_needs_traced() -> None:
    code, _, err = invoke("graph", "subworkflows:pipeline")
    assert code == 2 and "--traced" in err
    code, out, _ = invoke("graph", "subworkflows:pipeline", "--traced")
    assert code == 0
    assert out == golden("subworkflows.pipeline.mmd")
