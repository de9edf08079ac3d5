"""Every example workflow in every format: Mermaid and DOT pinned by golden files, SVG parsed
and holding every node, PNG a PNG, HTML holding every node.

Golden files live in ``tests/render/golden/<module>.<workflow>.{mmd,dot}``; after an
intended change, regenerate them with ``FLOWGEN_UPDATE_GOLDEN=1 pytest tests/render``.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest

from flowgen.render import build_display_graph, render, render_graph
from flowgen.render.svg import dot_program
from tests.render.examples_index import example_workflows, load_workflow

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
UPDATE = bool(os.environ.get("FLOWGEN_UPDATE_GOLDEN"))
WORKFLOWS = example_workflows()
IDS = [f"{m}.{w}" for m, w in WORKFLOWS]
SVG_NS = "{http://www.w3.org/2000/svg}"


def needs_graphviz() -> None:
    if dot_program() is None:
        if os.environ.get("FLOWGEN_REQUIRE_TOOLS"):
            pytest.fail("Graphviz `dot` is required here (apt-get install -y graphviz)")
        pytest.skip("Graphviz `dot` is not installed (apt-get install -y graphviz)")


def check_golden(name: str, text: str, *, may_update: bool = True) -> None:
    path = os.path.join(GOLDEN, name)
    if UPDATE and may_update:
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return
    assert os.path.exists(path), f"no golden file {name}; create it with FLOWGEN_UPDATE_GOLDEN=1"
    with open(path, encoding="utf-8") as f:
        expected = f.read()
    assert text == expected, f"{name} changed; rerun with FLOWGEN_UPDATE_GOLDEN=1 if intended"


def test_the_examples_are_found() -> None:
    modules = {m for m, _ in WORKFLOWS}
    assert {"dynamic_workflows", "subworkflows", "nested_dynamic", "conditionals", "map_tasks"} <= modules


@pytest.mark.parametrize(("module", "name"), WORKFLOWS, ids=IDS)
def test_mermaid_golden(module: str, name: str) -> None:
    text = render(load_workflow(module, name).compile_program(), "mermaid")
    assert isinstance(text, str)
    check_golden(f"{module}.{name}.mmd", text)


@pytest.mark.parametrize(("module", "name"), WORKFLOWS, ids=IDS)
def test_dot_golden(module: str, name: str) -> None:
    text = render(load_workflow(module, name).compile_program(), "dot")
    assert isinstance(text, str)
    check_golden(f"{module}.{name}.dot", text)


@pytest.mark.parametrize(("module", "name"), WORKFLOWS, ids=IDS)
def test_the_static_front_end_draws_the_same_picture(module: str, name: str) -> None:
    from flowgen.static import compile_static
    from tests.render.examples_index import example_path

    program = compile_static(example_path(module), name)
    # The goldens are written from traced IR only; static IR must match them as they are.
    check_golden(f"{module}.{name}.mmd", render(program, "mermaid"), may_update=False)  # type: ignore[arg-type]
    check_golden(f"{module}.{name}.dot", render(program, "dot"), may_update=False)  # type: ignore[arg-type]


def test_no_stale_golden_files() -> None:
    expected = {f"{m}.{w}.{ext}" for m, w in WORKFLOWS for ext in ("mmd", "dot")}
    stale = sorted(set(os.listdir(GOLDEN)) - expected)
    assert not stale, f"golden files without an example workflow: {stale}"


@pytest.mark.parametrize(("module", "name"), WORKFLOWS, ids=IDS)
def test_svg_contains_every_node(module: str, name: str) -> None:
    needs_graphviz()
    graph = build_display_graph(load_workflow(module, name).compile_program())
    svg = render_graph(graph, "svg")
    assert isinstance(svg, str)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    titles = [g.findtext(f"{SVG_NS}title") for g in root.iter(f"{SVG_NS}g") if g.get("class") == "node"]
    assert sorted(titles) == sorted(graph.node_ids())  # Graphviz titles each node group with its id
    clusters = [g.findtext(f"{SVG_NS}title") for g in root.iter(f"{SVG_NS}g") if g.get("class") == "cluster"]
    assert sorted(clusters) == sorted("cluster_" + c.id for c in graph.clusters)


@pytest.mark.parametrize(("module", "name"), WORKFLOWS, ids=IDS)
def test_png_is_a_png(module: str, name: str) -> None:
    needs_graphviz()
    png = render(load_workflow(module, name).compile_program(), "png")
    assert isinstance(png, bytes)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000


@pytest.mark.parametrize(("module", "name"), WORKFLOWS, ids=IDS)
def test_html_contains_every_node_and_no_network(module: str, name: str) -> None:
    graph = build_display_graph(load_workflow(module, name).compile_program())
    page = render_graph(graph, "html")
    assert isinstance(page, str)
    for node in graph.nodes:
        assert f'data-id="{node.id}"' in page
    assert page.count('class="fg-node ') == len(graph.nodes)
    for reference in ("http://", "https://", "src=", "@import", "url(http"):
        if reference == "http://":  # the SVG namespace is the one allowed URL; it is never fetched
            assert page.count("http://") == page.count('xmlns="http://www.w3.org/2000/svg"')
        else:
            assert reference not in page
