"""A workflow built without the decorator (flytekit's imperative Workflow), and create_node.

    python examples/flyte/imperative.py
"""

import typing

from flowgen import Workflow, create_node, task, workflow


@task
def t1(a: str) -> str:
    return a + " world"


@task
def t2(a: typing.List[str]) -> typing.Dict[str, int]:
    return {x: len(x) for x in a}


wf = Workflow(name="my.imperative.workflow.example")
wf.add_workflow_input("in1", str)
node_t1 = wf.add_entity(t1, a=wf.inputs["in1"])
wf.add_workflow_output("from_n0t1", node_t1.outputs["o0"])
node_t2 = wf.add_entity(t2, a=[wf.inputs["in1"], node_t1.outputs["o0"]])
wf.add_workflow_output("from_n1t2", node_t2.outputs["o0"], typing.Dict[str, int])


@workflow
def with_nodes(a: str) -> str:
    first = create_node(t1, a=a)
    second = create_node(t1, a=first.o0)
    return second.o0


if __name__ == "__main__":
    print(wf)
    print(wf(in1="hello"))  # ('hello world', {'hello': 5, 'hello world': 11})
    print(with_nodes(a="hello"))
