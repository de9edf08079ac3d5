"""flowgen.Deck (issue 12, item 6): a task's decks appear in the run report under its node, on every executor."""

from types import ModuleType

import pytest

import flowgen
from flowgen.report import RunRecorder, build_report_html
from tests.core.test_flyte_api_semantics import load_flyte_program


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return load_flyte_program("decks", str(tmp_path_factory.mktemp("programs")))


@pytest.mark.parametrize("executor", ["inprocess", "threads", "processes"])
def test_decks_appear_in_the_report_under_their_node(program: ModuleType, executor: str) -> None:
    recorder = RunRecorder(program.report_wf.compile_program())
    assert flowgen.run(program.report_wf, executor=executor, observer=recorder, xs=[1, 2, 3]) == 7
    page = build_report_html(recorder)
    assert 'id="fg-decks-section"' in page
    assert 'data-node="n0"' in page and "Summary" in page
    assert "&lt;h2&gt;3 values&lt;/h2&gt;&lt;p&gt;total: 6&lt;/p&gt;" in page  # the deck's HTML, in a sandboxed frame
    assert 'data-node="n1"' not in page  # a task without decks has none


def test_a_deck_outside_a_task_is_a_plain_object() -> None:
    deck = flowgen.Deck("notes", "<p>a</p>").append("<p>b</p>")
    assert deck.html == "<p>a</p><p>b</p>" and deck.name == "notes"
    with pytest.raises(TypeError):
        flowgen.Deck("")


def test_a_run_without_decks_has_no_deck_section(program: ModuleType) -> None:
    @flowgen.workflow
    def only_plain(x: int) -> int:
        return program.plain(x=x)

    recorder = RunRecorder(only_plain.compile_program())
    flowgen.run(only_plain, observer=recorder, x=1)
    assert "fg-decks-section" not in build_report_html(recorder)
