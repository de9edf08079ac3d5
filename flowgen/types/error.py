"""``flytekit.types.error``'s ``FlyteError``: what a workflow's failure handler is told.

A handler given by ``@workflow(on_failure=handler)`` may take, beside the workflow's inputs,
``err: Optional[FlyteError] = None``; after a failure the run fills it with the error's message
and the id of the node that failed (``n3``, or ``n3.n0`` inside a sub-workflow or ``@dynamic``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FlyteError"]


@dataclass
class FlyteError:
    """The failure a workflow's ``on_failure`` handler runs after."""

    message: str
    failed_node_id: str
