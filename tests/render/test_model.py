"""What the display graph shows for each IR construct (DESIGN: one picture for every renderer)."""

from __future__ import annotations

from flowgen.render.model import DisplayGraph, build_display_graph
from flowgen.render.tree import build_tree
from tests.render.examples_index import load_workflow


def graph_of(module: str, name: str) -> DisplayGraph:
    return build_display_graph(load_workflow(module, name).compile_program())


def edges(graph: DisplayGraph) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.label) for e in graph.edges}


def test_tasks_are_boxes_labelled_with_task_and_node_id() -> None:
    graph = graph_of("basics", "basics")
    tasks = [n for n in graph.nodes if n.kind == "task"]
    assert [(n.title, n.subtitle) for n in tasks] == [("add", "n0"), ("add", "n1"), ("add", "n2"), ("add", "n3"),
                                                      ("scale", "n4")]
    assert tasks[0].task == "basics.add"


def test_inputs_and_outputs_with_types_and_defaults() -> None:
    graph = graph_of("basics", "basics")
    described = {n.id: (n.kind, n.title, n.subtitle) for n in graph.nodes if n.kind in ("input", "output")}
    assert described == {
        "input:start": ("input", "start", "int"),
        "input:factor": ("input", "factor", "float = 2.0"),
        "output:o0": ("output", "o0", "float"),
    }


def test_edges_carry_the_input_name_and_the_value_type() -> None:
    graph = graph_of("basics", "basics")
    assert ("input:start", "n0", "a: int") in edges(graph)
    assert ("n3", "n4", "x: int") in edges(graph)  # the int output widens into a float input: the value is an int
    assert ("input:factor", "n4", "factor: float") in edges(graph)
    assert ("n4", "output:o0", "o0: float") in edges(graph)


def test_attribute_access_types_the_edge_by_field() -> None:
    graph = graph_of("rich_types", "bill")
    assert ("input:order", "n2", "color: Color") in edges(graph)
    assert ("input:order", "n2", "note: str | None") in edges(graph)
    multiple = graph_of("multiple_outputs", "fit_and_predict")
    assert ("n0", "n1", "slope: float") in edges(multiple)


def test_list_bindings_name_their_items() -> None:
    graph = graph_of("nested_dynamic", "square_plus_one")
    assert ("n0", "n1", "values[0]: int") in edges(graph)


def test_sub_workflows_are_clusters_and_edges_look_through_them() -> None:
    graph = graph_of("subworkflows", "pipeline")
    assert [(c.id, c.kind, c.title) for c in graph.clusters] == [("n1", "workflow", "quadruple")]
    tree = build_tree(graph)
    assert tree.descendant_nodes("n1") == ["n1.n0", "n1.n1"]
    assert ("input:x", "n1.n0", "x: int") in edges(graph)  # into the sub-workflow, onto the node reading it
    assert ("n1.n1", "n3", "x: int") in edges(graph)  # out of it, from the node computing it
    assert [(e.source, e.target, e.kind) for e in graph.edges if e.kind == "order"] == [("n0", "n2", "order")]


def test_launch_plans_are_clusters_named_after_the_plan() -> None:
    graph = graph_of("launch_plans", "loud_greeting")
    assert [(c.title, c.subtitle) for c in graph.clusters] == [("excited", "launch plan · n0")]


def test_dynamic_nodes_are_marked_as_expanding_at_run_time() -> None:
    graph = graph_of("dynamic_workflows", "wf")
    (dynamic,) = [n for n in graph.nodes if n.kind == "dynamic"]
    assert (dynamic.id, dynamic.title) == ("n0", "count_characters")
    assert "expands at run time" in dynamic.note


def test_map_tasks_are_marked_with_what_they_map_over() -> None:
    graph = graph_of("map_tasks", "shifted")
    (mapped,) = [n for n in graph.nodes if n.kind == "map"]
    assert mapped.title == "shift"
    assert mapped.note == "map_task over x (concurrency 4)"
    assert ("n0", "n1", "by: int") in edges(graph)
    tolerant = graph_of("map_tasks", "tolerant_mean")
    assert "min_success_ratio 0.5" in next(n for n in tolerant.nodes if n.kind == "map").note


def test_conditionals_show_a_decision_and_a_cluster_per_branch() -> None:
    graph = graph_of("conditionals", "classify")
    decisions = {n.id: n.title for n in graph.nodes if n.kind == "conditional"}
    assert decisions == {"n0": "size", "n0.b1.n0": "parity"}
    branches = {c.id: (c.title, c.parent) for c in graph.clusters}
    assert branches == {
        "n0.b0": ("if (n > 0.0) and (n < 10.0)", None),
        "n0.b1": ("elif n >= 10.0", None),
        "n0.b1.n0.b0": ("if is_true(n0.b1.n1)", "n0.b1"),
        "n0.b1.n0.b1": ("else", "n0.b1"),
    }
    fail = next(n for n in graph.nodes if n.id == "n0.b2")
    assert (fail.kind, fail.title, fail.note) == ("branch", "else", "fail: n must be positive")
    branch_edges = {(e.source, e.target, e.label) for e in graph.edges if e.kind == "branch"}
    assert ("n0", "n0.b0.n0", "if (n > 0.0) and (n < 10.0)") in branch_edges
    assert ("n0", "n0.b2", "else") in branch_edges
    # The conditional's output comes from whichever branch ran: an edge from each.
    into_square = {e.source for e in graph.edges if e.target == "n1"}
    assert into_square == {"n0.b0.n0", "n0.b1.n0.b0.n0", "n0.b1.n0.b1.n0"}


def test_ids_are_unique_and_every_edge_end_exists() -> None:
    from tests.render.examples_index import example_workflows

    for module, name in example_workflows():
        graph = graph_of(module, name)
        ids = [n.id for n in graph.nodes] + [c.id for c in graph.clusters]
        assert len(ids) == len(set(ids)), (module, name)
        for edge in graph.edges:
            assert edge.source in ids and edge.target in ids, (module, name, edge)


def test_empty_sub_workflows_are_single_nodes_and_edges_pass_through() -> None:
    from tests.render.fixtures import degenerate

    graph = build_display_graph(degenerate.outer.compile_program())
    kinds = {n.id: n.kind for n in graph.nodes}
    assert kinds == {"input:x": "input", "n0": "workflow", "n1": "dynamic", "n2": "task", "output:o0": "output"}
    assert graph.clusters == ()
    assert ("n0", "n1", "x: int") in edges(graph)


def test_executed_graphs_with_cluster_edges_and_empty_clusters_draw_in_every_format() -> None:
    from flowgen.render import render_graph
    from flowgen.render.svg import dot_program
    from tests.render.fixtures import degenerate
    from tests.render.report_helpers import record_run

    for workflow, inputs in ((degenerate.outer, {"x": 3}), (load_workflow("dynamic_workflows", "wf"),
                                                            {"s1": "ab", "s2": "b"})):
        recorder = record_run(workflow, **inputs)
        graph = build_display_graph(recorder.picture_program(), expand_dynamic=recorder.expansion)
        dynamic = next(c for c in graph.clusters if c.kind == "dynamic")
        assert any(e.target == dynamic.id for e in graph.edges)  # inputs of an expanded dynamic reach its cluster
        dot = render_graph(graph, "dot")
        assert f'lhead="cluster_{dynamic.id}"' in dot  # type: ignore[operator]
        assert "subgraph n" in render_graph(graph, "mermaid")  # type: ignore[operator]
        assert f'data-id="{dynamic.id}"' in render_graph(graph, "html")  # type: ignore[operator]
        if dot_program() is not None:
            assert "<svg" in render_graph(graph, "svg")  # type: ignore[operator]
