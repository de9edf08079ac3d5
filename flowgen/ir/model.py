"""The IR: frozen records (:mod:`flowgen.ir.base`) for interfaces, tasks, workflows, nodes and bindings.

Both front ends (tracing, static) produce a :class:`Program`; both back ends
(interpreter, code generator) consume one. Everything is plain data with a JSON
round trip (``validate_json(Program, p.model_dump_json()) == p``, :mod:`flowgen.ir.pydantic_models`) and a
published schema (:func:`flowgen.ir.schema.program_schema`).

Conventions
-----------
* Node ids are ``n0, n1, ...`` in call order within one graph. Nodes nested in a
  ``conditional`` branch are ``<cond id>.b<i>.n<j>`` (``else`` is branch
  ``len(cases)``); at run time, nodes a ``@dynamic`` or sub-workflow expands to
  are reported with the parent id as prefix (``n3.n0``).
* Nodes are listed in a topological order (a binding only names earlier nodes).
* A single output is named ``o0``; ``tuple[...]`` outputs are ``o0, o1, ...``;
  NamedTuple outputs keep their field names.
* Literal values are stored JSON-encoded by the type of the input they feed
  (:mod:`flowgen.ir.codec`).
* Bindings reference tasks and workflows by name; the program's ``tasks`` and
  ``workflows`` tables hold their specs, keyed by ``module.qualname``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from flowgen.ir.base import IRModel, field
from flowgen.ir.types import TypeSpec

if TYPE_CHECKING:  # the annotations' pydantic names (flowgen.ir.pydantic_models resolves them)
    from pydantic import Field, StrictInt, StrictStr

__all__ = [
    "IR_VERSION",
    "AttrStep",
    "Binding",
    "BoolOp",
    "Branch",
    "CacheConfig",
    "Case",
    "Comparison",
    "Condition",
    "ConditionalNode",
    "DictBinding",
    "DynamicNode",
    "FailureHandler",
    "FailurePolicy",
    "IndexStep",
    "InputRef",
    "Interface",
    "ListBinding",
    "LiteralBinding",
    "MapNode",
    "Node",
    "NodeOutputRef",
    "Output",
    "Param",
    "PathStep",
    "Program",
    "SourceSpan",
    "TaskNode",
    "TaskSpec",
    "UnaryCheck",
    "WorkflowNode",
    "WorkflowSpec",
    "binding_sources",
]

IR_VERSION = 1


class _IR(IRModel):
    """Unions of IR classes (``Binding``, ``Node``, ...) are validated as discriminated by ``kind``."""


class SourceSpan(_IR):
    """Where something is in user source: 1-based line, 0-based column."""

    file: str
    line: int
    column: int = 0


# ----------------------------------------------------------------------------- interfaces


class Param(_IR):
    name: str
    type: TypeSpec
    has_default: bool = False
    default: Any = None  # JSON-encoded by ``type`` when ``has_default``


class Output(_IR):
    name: str
    type: TypeSpec


class Interface(_IR):
    inputs: tuple[Param, ...] = ()
    outputs: tuple[Output, ...] = ()
    output_form: Literal["none", "single", "tuple", "namedtuple"] = "none"
    output_ref: str | None = None  # the NamedTuple class, for ``namedtuple`` outputs

    def input(self, name: str) -> Param | None:
        for p in self.inputs:
            if p.name == name:
                return p
        return None

    def output(self, name: str) -> Output | None:
        for o in self.outputs:
            if o.name == name:
                return o
        return None


# ----------------------------------------------------------------------------- bindings


class AttrStep(_IR):
    kind: Literal["attr"] = "attr"
    name: str


class IndexStep(_IR):
    """``[i]`` on a list or tuple, ``["k"]`` on a dict."""

    kind: Literal["index"] = "index"
    key: Annotated[StrictInt | StrictStr, Field(union_mode="left_to_right")]


PathStep = AttrStep | IndexStep


class InputRef(_IR):
    kind: Literal["input"] = "input"
    name: str
    path: tuple[PathStep, ...] = ()


class NodeOutputRef(_IR):
    kind: Literal["output"] = "output"
    node: str
    output: str
    path: tuple[PathStep, ...] = ()


class LiteralBinding(_IR):
    kind: Literal["literal"] = "literal"
    type: TypeSpec
    value: Any  # JSON-encoded by ``type``


class ListBinding(_IR):
    kind: Literal["list"] = "list"
    items: tuple[Binding, ...]


class DictBinding(_IR):
    kind: Literal["dict"] = "dict"
    items: tuple[tuple[str, Binding], ...]


Binding = InputRef | NodeOutputRef | LiteralBinding | ListBinding | DictBinding


def binding_sources(binding: Binding) -> list[str]:
    """Ids of the nodes a binding reads."""
    if isinstance(binding, NodeOutputRef):
        return [binding.node]
    if isinstance(binding, ListBinding):
        return [n for b in binding.items for n in binding_sources(b)]
    if isinstance(binding, DictBinding):
        return [n for _, b in binding.items for n in binding_sources(b)]
    return []


# ----------------------------------------------------------------------------- conditions


class Comparison(_IR):
    kind: Literal["compare"] = "compare"
    op: Literal["==", "!=", "<", "<=", ">", ">="]
    left: Binding
    right: Binding


class BoolOp(_IR):
    kind: Literal["boolop"] = "boolop"
    op: Literal["and", "or"]
    left: Condition
    right: Condition


class UnaryCheck(_IR):
    kind: Literal["check"] = "check"
    check: Literal["is_true", "is_false", "is_none"]
    operand: Binding


Condition = Comparison | BoolOp | UnaryCheck

# ----------------------------------------------------------------------------- nodes


class _NodeBase(_IR):
    id: str
    call_site: SourceSpan | None = None
    upstream: tuple[str, ...] = ()  # explicit ordering without data (``a >> b``)


class TaskNode(_NodeBase):
    kind: Literal["task"] = "task"
    task: str
    inputs: dict[str, Binding]


class DynamicNode(_NodeBase):
    """A ``@dynamic``: its sub-DAG is compiled at run time from materialized inputs."""

    kind: Literal["dynamic"] = "dynamic"
    task: str
    inputs: dict[str, Binding]


class WorkflowNode(_NodeBase):
    """A sub-workflow (or a launch plan of one; fixed/default inputs already bound)."""

    kind: Literal["workflow"] = "workflow"
    workflow: str
    inputs: dict[str, Binding]
    launch_plan: str | None = None


class MapNode(_NodeBase):
    """``map_task``: runs ``task`` once per item of the ``mapped`` list inputs (zipped)."""

    kind: Literal["map"] = "map"
    task: str
    inputs: dict[str, Binding]
    mapped: tuple[str, ...]
    concurrency: int | None = None
    min_success_ratio: float = 1.0
    outputs: tuple[Output, ...] = ()


class Branch(_IR):
    nodes: tuple[Node, ...] = ()
    outputs: dict[str, Binding] = field(default_factory=dict)
    fail_message: str | None = None  # ``else_().fail(message)``


class Case(_IR):
    condition: Condition
    branch: Branch


class ConditionalNode(_NodeBase):
    kind: Literal["conditional"] = "conditional"
    name: str
    cases: tuple[Case, ...]
    else_branch: Branch
    outputs: tuple[Output, ...] = ()


Node = TaskNode | DynamicNode | WorkflowNode | MapNode | ConditionalNode

# ----------------------------------------------------------------------------- specs


class CacheConfig(_IR):
    version: str = ""
    ignored_inputs: tuple[str, ...] = ()


class TaskSpec(_IR):
    name: str
    kind: Literal["task", "dynamic"] = "task"
    function: str  # ``module:qualname`` of the Python function
    interface: Interface
    cache: CacheConfig | None = None
    retries: int = 0
    timeout_seconds: float | None = None
    source: SourceSpan | None = None


FailurePolicy = Literal["fail_immediately", "fail_after_executable_nodes_complete"]


HandlerNode = TaskNode | WorkflowNode


class FailureHandler(_IR):
    """``@workflow(on_failure=handler)``: a node run after the workflow failed.

    ``node`` (id ``on_failure``) is a task or sub-workflow node whose inputs bind the workflow's
    inputs by name; ``error_input`` names the handler's ``err: Optional[FlyteError]`` input, which
    the run fills with the failure (flowgen.types.error.FlyteError), or is None.
    """

    node: HandlerNode
    error_input: str | None = None


class WorkflowSpec(_IR):
    """A workflow's graph. ``failure_policy`` is flytekit's WorkflowFailurePolicy: on
    ``fail_after_executable_nodes_complete`` every node not downstream of a failure still runs and
    the run then fails with every error. Both failure fields are left out of the JSON at their
    defaults, so graphs without failure handling serialize as they always have."""

    name: str
    function: str
    interface: Interface
    nodes: tuple[Node, ...]
    outputs: dict[str, Binding]
    source: SourceSpan | None = None
    on_failure: FailureHandler | None = None
    failure_policy: FailurePolicy = "fail_immediately"
    _omit_at_default = ("on_failure", "failure_policy")


class Program(_IR):
    """A compiled workflow with everything it references (the unit both back ends consume)."""

    ir_version: int = IR_VERSION
    entry: str
    workflows: dict[str, WorkflowSpec]
    tasks: dict[str, TaskSpec]

    @property
    def root(self) -> WorkflowSpec:
        return self.workflows[self.entry]
