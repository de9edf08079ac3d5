"""Flyte's launch plans: a workflow with some inputs defaulted or fixed.

``LaunchPlan[P, R]`` is called like its workflow. The plugin removes fixed inputs
from ``P`` and makes defaulted ones optional when the dicts are written literally.
"""

from typing import Any, ClassVar, Generic, ParamSpec, TypeVar

from flowgen.dsl.entities import Workflow

__all__ = ["LaunchPlan"]

_P = ParamSpec("_P")
_R_co = TypeVar("_R_co", covariant=True)
_P2 = ParamSpec("_P2")
_R2 = TypeVar("_R2")

class LaunchPlan(Generic[_P, _R_co]):
    kind: ClassVar[str]
    launch_plan_name: str
    workflow: Workflow[_P, _R_co]
    name: str
    workflow_name: str
    default_inputs: dict[str, Any]
    fixed_inputs: dict[str, Any]
    interface: Any
    def __init__(
        self,
        name: str,
        workflow: Workflow[_P, _R_co],
        default_inputs: dict[str, Any] | None,
        fixed_inputs: dict[str, Any] | None,
    ) -> None: ...
    @classmethod
    def get_or_create(
        cls,
        workflow: Workflow[_P2, _R2],
        name: str | None = None,
        default_inputs: dict[str, Any] | None = None,
        fixed_inputs: dict[str, Any] | None = None,
        **_flyte: Any,
    ) -> LaunchPlan[_P2, _R2]: ...
    @classmethod
    def create(
        cls,
        name: str,
        workflow: Workflow[_P2, _R2],
        default_inputs: dict[str, Any] | None = None,
        fixed_inputs: dict[str, Any] | None = None,
        **_flyte: Any,
    ) -> LaunchPlan[_P2, _R2]: ...
    @classmethod
    def get_default_launch_plan(cls, _ctx: Any, workflow: Workflow[_P2, _R2]) -> LaunchPlan[_P2, _R2]: ...
    def compile_program(self) -> Any: ...
    def extra_bindings(self, given: set[str]) -> dict[str, Any]: ...
    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R_co: ...
