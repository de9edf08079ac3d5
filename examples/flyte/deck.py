"""Decks: HTML a task adds to the run report, under its node.

    flowgen run examples/flyte/deck.py:report_wf --xs '[1, 2, 3]' --report report.html
"""

import typing

from flowgen import Deck, task, workflow


@task(enable_deck=True)
def summarize(xs: typing.List[int]) -> int:
    Deck("Summary", f"<h2>{len(xs)} values</h2><p>total: {sum(xs)}</p>")
    return sum(xs)


@workflow
def report_wf(xs: typing.List[int]) -> int:
    return summarize(xs=xs)


if __name__ == "__main__":
    print(report_wf(xs=[1, 2, 3]))  # 6
