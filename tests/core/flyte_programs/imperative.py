import typing
from datetime import timedelta

from flytekit import TaskMetadata, Workflow, create_node, task, workflow


@task
def t1(a: str) -> str:
    return a + " world"


@task
def t2():
    print("side effect")


@task
def t3(a: typing.List[str]) -> typing.Dict[str, int]:
    return {x: len(x) for x in a}


class Pair(typing.NamedTuple):
    low: int
    high: int


@task
def bounds(xs: typing.List[int]) -> Pair:
    return Pair(low=min(xs), high=max(xs))


@task
def span(low: int, high: int) -> int:
    return high - low


wf = Workflow(name="my.imperative.workflow.example")
wf.add_workflow_input("in1", str)
node_t1 = wf.add_entity(t1, a=wf.inputs["in1"])
wf.add_workflow_output("from_n0t1", node_t1.outputs["o0"])
node_t2 = wf.add_entity(t2)
node_t3 = wf.add_entity(t3, a=[wf.inputs["in1"], node_t1.outputs["o0"]])
wf.add_workflow_output("from_n2t3", node_t3.outputs["o0"], typing.Dict[str, int])


@workflow
def with_nodes(xs: typing.List[int]) -> int:
    b = create_node(bounds, xs=xs)
    side = create_node(t2)
    s = create_node(span, low=b.low, high=b.outputs["high"])
    side >> s
    return s.o0


sub = Workflow(name="single.output")
sub.add_workflow_input("xs", typing.List[int])
n = sub.add_entity(bounds, xs=sub.inputs["xs"])
sub.add_workflow_output("low", n.outputs["low"])


@workflow
def nests(xs: typing.List[int]) -> int:
    return sub(xs=xs)


@task(metadata=TaskMetadata(retries=2, timeout=timedelta(seconds=30), cache=True, cache_version="1"))
def with_metadata(x: int) -> int:
    return x * 2


@workflow
def uses_metadata(x: int) -> int:
    return with_metadata(x=x)


CASES = [
    ("wf", {"in1": "hello"}, ("hello world", {"hello": 5, "hello world": 11})),
    ("with_nodes", {"xs": [3, 9, 4]}, 6),
    ("sub", {"xs": [3, 9, 4]}, 3),
    ("nests", {"xs": [5, 2]}, 2),
    ("uses_metadata", {"x": 4}, 8),
]
FAILS = [
    ("wf", {"in1": 3}, "input 'in1'"),
]
