"""Testing a workflow with flowgen.testing: every feature once (runs in CI as part of the suite).

    pytest examples/testing/                          # these tests
    pytest --flowgen examples/testing/                # plus one property test per workflow
    flowgen test examples/testing/pricing.py          # the same property test from the CLI
    flowgen test examples/                            # every example, with flowgen_domains.py
"""

import os
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "flyte"))

import context_and_secrets
import pricing

from flowgen.testing import (
    MockReturnError,
    check_workflow,
    given_inputs,
    inputs,
    patch,
    secrets,
    strategy_for,
    task_mock,
)


def test_the_whole_pipeline_in_one_call():
    # Generated inputs; the interpreter and the module `flowgen build` makes must agree,
    # outputs must fit their types, and nothing may fail. A failure is shrunk and comes with
    # the `flowgen run ...` command line that reproduces it.
    check_workflow(pricing.average_discounted, max_examples=30)


@given(inputs(pricing.average_discounted))
def test_a_discount_never_raises_the_average(values):
    prices = values["prices"]
    assert pricing.average_discounted(**values) <= max(prices) + 1e-6 * max(prices)


@given(strategy_for(pricing.Percent))
def test_strategy_for_an_annotation_respects_its_bounds(percent):
    assert 0 <= percent <= 100


@given_inputs(pricing.average_discounted, percent=0)
def test_no_discount_is_the_mean(values):
    prices = values["prices"]
    assert pricing.average_discounted(**values) == pytest.approx(sum(prices) / len(prices))


def test_task_mock_replaces_a_task_everywhere():
    with task_mock(pricing.mean) as mock:
        mock.return_value = 50.0
        assert pricing.average_discounted(prices=[1.0, 2.0], percent=50) == 25.0
    mock.assert_called_once_with(xs=[1.0, 2.0])


def test_a_wrong_mock_fails_loudly():
    with task_mock(pricing.discount) as mock:
        mock.return_value = -1.0  # the declared output is Annotated[float, Ge(0)]
        with pytest.raises(MockReturnError, match=r"expected float >= 0"):
            pricing.discount(price=1.0, percent=0)


@patch(pricing.clean)
def test_patch_is_the_decorator_form(mock_clean):
    mock_clean.return_value = [10.0]
    assert pricing.average_discounted(prices=[3.0, 1.0], percent=0) == 10.0


@pytest.mark.flowgen(executors=["inprocess", "threads"])
def test_flowgen_run_compares_executors(flowgen_run):
    assert flowgen_run(pricing.average_discounted, prices=[2.0, 4.0], percent=50) == 1.5


@pytest.mark.flowgen(max_examples=10)
@given_inputs(pricing.average_discounted, prices=st.just([8.0]))
def test_the_marker_sets_the_number_of_examples(values):
    assert pricing.average_discounted(**values) == pytest.approx(8.0 * (100 - values["percent"]) / 100)


def test_secrets_are_what_tasks_see():
    # current_context().secrets.get("api", "token") in the task reads this; no other secret is
    # visible meanwhile, and the environment is restored afterwards
    with secrets({"api": {"token": "abc"}}):
        assert context_and_secrets.wf(n=2).endswith(": called 2 times with a 3-character token")


# Input domains for workflows whose source you cannot or should not change (and the secrets
# their checks need) live in flowgen_domains.py, next to this file: `flowgen test examples/` uses it.
