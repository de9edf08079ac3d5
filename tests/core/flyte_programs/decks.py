import typing

from flytekit import Deck, task, workflow


@task(enable_deck=True)
def summarize(xs: typing.List[int]) -> int:
    deck = Deck("Summary", f"<h2>{len(xs)} values</h2>")
    deck.append("<p>total: " + str(sum(xs)) + "</p>")
    return sum(xs)


@task
def plain(x: int) -> int:
    return x + 1


@workflow
def report_wf(xs: typing.List[int]) -> int:
    return plain(x=summarize(xs=xs))


CASES = [("report_wf", {"xs": [1, 2, 3]}, 7)]
FAILS: list = []
