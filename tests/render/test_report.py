"""The run report: what the recorder keeps, the executed graph, grouping, and the HTML page."""

from __future__ import annotations

from collections import Counter

from click.testing import CliRunner

from flowgen.cli.main import cli
from flowgen.render.model import build_display_graph
from flowgen.report import build_report_html
from flowgen.report.facts import combine_statuses, compute_facts
from flowgen.report.grouping import group_repeated
from tests.render.examples_index import example_path, load_workflow
from tests.render.fixtures import report_workflows as rw
from tests.render.report_helpers import PageElements, record_run

REFERENCE = load_workflow("dynamic_workflows", "wf")


def test_the_recorder_keeps_every_node_run_of_the_reference_example() -> None:
    recorder = record_run(REFERENCE, s1="Pear", s2="Earth")
    records = recorder.records
    assert len(records) == 1 + 9 + 9 + 1  # the dynamic, 9 return_index, 9 update_list, derive_count
    assert recorder.status == "succeeded" and recorder.error is None
    assert {r.status for r in records.values()} == {"succeeded"}
    assert records["n0"].kind == "dynamic" and records["n0.n18"].name.endswith("derive_count")
    for record in records.values():
        assert record.end is not None and record.duration is not None and record.start <= record.end
    inner = [r for p, r in records.items() if p.startswith("n0.")]
    assert all(records["n0"].start <= r.start and r.end <= records["n0"].end for r in inner)  # type: ignore[operator]
    assert recorder.expanded_counts == {"n0": 19}


def test_the_executed_graph_expands_the_dynamic() -> None:
    recorder = record_run(REFERENCE, s1="Pear", s2="Earth")
    graph = build_display_graph(recorder.picture_program(), expand_dynamic=recorder.expansion)
    assert [(c.id, c.kind) for c in graph.clusters] == [("n0", "dynamic")]
    inner = [n for n in graph.nodes if n.parent == "n0"]
    assert Counter(n.title for n in inner) == {"return_index": 9, "update_list": 9, "derive_count": 1}
    assert ("input:s1", "n0", "s1: str") in {(e.source, e.target, e.label) for e in graph.edges}
    assert ("n0", "output:o0", "o0: int") in {(e.source, e.target, e.label) for e in graph.edges}
    assert ("n0.n0", "n0.n1") in {(e.source, e.target) for e in graph.edges}  # index -> update_list


def test_a_failed_run_records_the_error_attempts_and_what_did_not_run() -> None:
    recorder = record_run(rw.fan_wf, n=4, fail_at=2)
    assert recorder.status == "failed"
    assert recorder.error is not None and "boom at 2" in recorder.error
    failed = recorder.records["n0.n2"]
    assert failed.status == "failed" and failed.attempts == 2  # retries=1
    assert failed.error is not None and "ValueError: boom at 2" in failed.error
    assert recorder.records["n0"].status == "failed" and recorder.records["n0"].attempts == 1
    graph = build_display_graph(recorder.picture_program(), expand_dynamic=recorder.expansion)
    facts = compute_facts(graph, recorder.records)
    assert facts["n0.n0"].status == "succeeded"
    assert facts["n0.n2"].status == "failed"
    assert facts["n1"].status == "not-run"  # after the dynamic, never reached
    assert facts["n0"].status == "failed"


def test_statuses_combine() -> None:
    assert combine_statuses(["succeeded", "failed", "not-run"]) == "failed"
    assert combine_statuses(["cached", "cached"]) == "cached"
    assert combine_statuses(["cached", "succeeded"]) == "succeeded"
    assert combine_statuses(["succeeded", "not-run"]) == "mixed"
    assert combine_statuses([]) == "not-run"


def test_repeated_nodes_are_grouped_past_the_threshold() -> None:
    recorder = record_run(REFERENCE, s1="Pear", s2="Earth")
    graph = build_display_graph(recorder.picture_program(), expand_dynamic=recorder.expansion)
    facts = compute_facts(graph, recorder.records)
    assert group_repeated(graph, facts, threshold=9).group_of == {}  # 9 of each: not more than 9
    grouped = group_repeated(graph, facts, threshold=8)
    groups = [n for n in grouped.graph.nodes if n.kind == "group"]
    assert sorted(n.title for n in groups) == ["return_index ×9", "update_list ×9"]
    assert all(n.parent == "n0" for n in groups)
    update = next(n for n in groups if n.title.startswith("update_list"))
    assert grouped.facts[update.id].counts == {"succeeded": 9}
    assert len(grouped.facts[update.id].members) == 9
    edges = {(e.source, e.target): e.label for e in grouped.graph.edges}
    index = next(n.id for n in groups if n.title.startswith("return_index"))
    assert edges[(index, update.id)] == "list_index: int ×9"
    assert (update.id, update.id) not in edges  # the chain inside the group is not drawn
    assert edges[(update.id, "n0.n18")] == "freq1: list[int], freq2: list[int]"


def test_repeated_clusters_are_grouped_with_everything_inside() -> None:
    nested = load_workflow("nested_dynamic", "nested")
    recorder = record_run(nested, n=6)
    graph = build_display_graph(recorder.picture_program(), expand_dynamic=recorder.expansion)
    grouped = group_repeated(graph, compute_facts(graph, recorder.records), threshold=3)
    (group,) = [n for n in grouped.graph.nodes if n.kind == "group"]
    assert group.title == "sum_of_squares ×6"
    inside = [p for p in recorder.records if p.startswith("n0.n") and p.split(".")[1] in {f"n{i}" for i in range(6)}]
    assert sorted(grouped.facts[group.id].members) == sorted(inside)
    assert not any(c.id.startswith("n0.n0") for c in grouped.graph.clusters)


def test_the_page_holds_graph_timeline_and_every_node_run() -> None:
    recorder = record_run(REFERENCE, s1="Pear", s2="Earth")
    page = PageElements(build_report_html(recorder))
    nodes = page.with_class("fg-node")
    assert len(nodes) == 2 + 19 + 1  # inputs, the nodes the dynamic ran, output
    assert Counter(n["data-status"] for n in nodes) == {"succeeded": 19, "": 3}
    assert [c["data-id"] for c in page.with_class("fg-cluster")] == ["n0"]
    lanes = page.with_class("fg-lane")
    assert len(lanes) == 20 and {lane["data-status"] for lane in lanes} == {"succeeded"}
    assert len(page.data["records"]) == 20
    assert page.by_id("fg-run-status") is not None and page.by_id("fg-error") is None


def test_a_failed_run_page_shows_the_error() -> None:
    recorder = record_run(rw.fan_wf, n=4, fail_at=2)
    html = build_report_html(recorder)
    page = PageElements(html)
    assert page.by_id("fg-error") is not None
    assert "boom at 2" in html
    statuses = {n["data-id"]: n["data-status"] for n in page.with_class("fg-node")}
    assert statuses["n0.n2"] == "failed" and statuses["n1"] == "not-run" and statuses["n0.n0"] == "succeeded"
    record = next(r for r in page.data["records"] if r[0] == "n0.n2")
    assert record[3] == "failed" and record[6] == 2 and "boom at 2" in record[8]


def test_ten_thousand_nodes_stay_a_small_picture() -> None:
    recorder = record_run(rw.fan_wf, n=10_000)
    assert len(recorder.records) == 10_000 + 3
    html = build_report_html(recorder)
    page = PageElements(html)
    assert len(page.data["records"]) == 10_003
    nodes = page.with_class("fg-node")
    assert len(nodes) <= 10  # inputs, the inc group, add_all, inc, output
    (group,) = [n for n in nodes if n["data-kind"] == "group"]
    assert group["data-status"] == "succeeded"
    assert len(page.with_class("fg-lane")) <= 6
    assert len(page.with_class("bar")) < 2_000  # bars merge at the drawing's resolution
    assert len(html) < 3_000_000


def test_flowgen_run_report_option(tmp_path) -> None:
    out = tmp_path / "run.html"
    result = CliRunner().invoke(cli, ["run", example_path("dynamic_workflows") + ":wf", "--s1", "Pear", "--s2",
                                      "Earth", "--report", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "3"
    assert f"wrote run report {out}" in result.stderr
    page = PageElements(out.read_text(encoding="utf-8"))
    assert len(page.data["records"]) == 20


def test_flowgen_run_report_is_written_when_the_run_fails(tmp_path) -> None:
    out = tmp_path / "failed.html"
    target = rw.__file__ + ":fan_wf"
    result = CliRunner().invoke(cli, ["run", target, "--n", "3", "--fail_at", "1", "--report", str(out)])
    assert result.exit_code == 1
    assert "boom at 1" in result.stderr
    page = PageElements(out.read_text(encoding="utf-8"))
    assert page.data["status"] == "failed"
    assert page.by_id("fg-error") is not None


def test_an_unwritable_report_path_is_a_clear_error(tmp_path) -> None:
    out = tmp_path / "missing-dir" / "run.html"
    result = CliRunner().invoke(cli, ["run", example_path("basics") + ":basics", "--start", "1", "--report", str(out)])
    assert result.exit_code == 1
    assert "cannot write the run report" in result.stderr and "Traceback" not in result.stderr


def test_a_report_of_a_run_on_threads_has_the_same_picture(tmp_path) -> None:
    target = example_path("nested_dynamic") + ":nested"
    pages = {}
    for executor in ("inprocess", "threads"):
        out = tmp_path / f"{executor}.html"
        result = CliRunner().invoke(cli, ["run", target, "--n", "4", "--executor", executor, "--no-progress",
                                          "--report", str(out)])
        assert result.exit_code == 0, result.output
        pages[executor] = PageElements(out.read_text(encoding="utf-8"))
    for page in pages.values():
        assert len(page.data["records"]) == 19
        assert {r[3] for r in page.data["records"]} == {"succeeded"}

    def picture(page: PageElements) -> list[tuple[str, str, str]]:
        return sorted((e["data-source"], e["data-target"], e.get("class", "")) for e in page.with_class("fg-edge"))

    assert picture(pages["threads"]) == picture(pages["inprocess"])
    assert len(pages["threads"].with_class("fg-node")) == 15
