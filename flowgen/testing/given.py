"""``@given_inputs(wf)``: ``hypothesis.given`` with a workflow's generated inputs.

::

    @given_inputs(pipeline, n=st.integers(0, 10))
    def test_pipeline_never_shrinks(values):
        assert pipeline(**values) >= values["n"]

The input dict goes to the test's last parameter (as ``hypothesis.given`` passes a positional
strategy), so pytest fixtures before it keep working. Keywords fix inputs or give them their
own strategies, as in :func:`flowgen.testing.inputs`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["given_inputs"]


def given_inputs(entity: Any, /, **fixed: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    from hypothesis import given

    from flowgen.testing.strategies import inputs

    return given(inputs(entity, **fixed))
