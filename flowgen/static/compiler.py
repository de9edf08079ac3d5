"""The static compiler: run a workflow body in the abstract and record the graph.

A ``@workflow`` body is plain Python that the tracer runs once with Promise
inputs. This module runs the same body from its CST with the values of
:mod:`flowgen.static.values`: constants are real Python values, inputs and
node outputs are Promise placeholders, and every call of a task, dynamic,
sub-workflow, ``map_task`` or ``conditional`` appends the node the tracer
would append, with the same id, bindings and call site. ``for`` loops over
constants unroll, ``if`` on constants takes its branch, and everything the
tracer would reject is reported at its expression instead of raised.

The static subset
-----------------
=====================================  ============================================
followed                               reported (FG401 warning: not compiled)
=====================================  ============================================
assignments, unpacking, ``+=``         ``try``/``with``/``match``, nested ``def``,
``for``/``while``/``if`` on constants  ``lambda``, ``global``, class definitions,
comprehensions over constants          calls into plain functions of the project or
calls of flowgen entities, partial,    of other libraries (``os.environ[...]``),
``map_task``, ``conditional``, ``>>``  values computed by such calls
builtins on constants (``len``, ...)
=====================================  ============================================

A ``@dynamic`` body runs at run time with real inputs, so it is not compiled;
it is still run here, in "dynamic" mode, with its inputs as :class:`Opaque`
values of their declared types, to find Promise misuse and wiring mistakes.
Loops over unknown values run their body twice, ``if`` on unknown values runs
both branches.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import datetime as dt
import operator
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from flowgen.ir.branches import branch_arity
from flowgen.ir.compat import common_type, is_assignable, variant_of, wiring_hint
from flowgen.ir.model import (
    AttrStep,
    Binding,
    Branch,
    Case,
    ConditionalNode,
    DictBinding,
    DynamicNode,
    IndexStep,
    InputRef,
    Interface,
    ListBinding,
    MapNode,
    NodeOutputRef,
    Output,
    Param,
    Program,
    SourceSpan,
    TaskNode,
    UnaryCheck,
    WorkflowNode,
    WorkflowSpec,
)
from flowgen.ir.overrides import override_problems
from flowgen.ir.types import (
    DictType,
    ListType,
    PrimitiveType,
    RecordType,
    TupleType,
    TypeSpec,
    UnionType,
    optional,
    primitive,
    render_type,
)
from flowgen.static.annotations import TypeResolver, UnsupportedType, expr_code
from flowgen.static.checks import (
    BAD_INDEX,
    COMPARISON_AS_BOOL,
    CONDITIONAL_WITHOUT_ELSE,
    DUPLICATE_INPUT,
    INVALID_OPTION,
    LOOP_ON_PROMISE,
    MAP_TASK_NON_LIST,
    MISSING_INPUT,
    NO_OUTPUTS,
    OUTSIDE_SUBSET,
    PROMISE_AS_INDEX,
    PROMISE_BOOLEAN_OPERATOR,
    PROMISE_FORMATTING,
    PROMISE_ITERATION,
    PROMISE_TRUTHINESS,
    PROMISE_VALUE_NEEDED,
    RAISES,
    RECURSIVE_WORKFLOW,
    RETURN_MISMATCH,
    TYPE_MISMATCH,
    UNKNOWN_ATTRIBUTE,
    UNKNOWN_INPUT,
    UNPACK_COUNT,
    UNSUPPORTED_TYPE,
    Check,
)
from flowgen.static.diagnostics import Diagnostic
from flowgen.static.flyte_objects import LaunchPlanValue, PlanError, PlanRegistry, echo_entity
from flowgen.static.graph import Graph
from flowgen.static.literals import LiteralMismatch, literal_binding, type_of
from flowgen.static.loader import ParsedModule
from flowgen.static.specs import FLYTE_ONLY_OPTIONS, TASK_OPTIONS, CacheOption, Entity, NotConstant, SpecBuilder
from flowgen.static.summary import dotted_name as summary_dotted
from flowgen.static.symbols import (
    ClassRef,
    ConstantRef,
    ExternalRef,
    FunctionRef,
    ModuleRef,
    Project,
    Ref,
    UnresolvedRef,
    canonical,
)
from flowgen.static.type_text import render_pair
from flowgen.static.values import (
    ConditionValue,
    EnumMember,
    HandleValue,
    Indeterminate,
    Misuse,
    NamedOutputs,
    Opaque,
    PromiseValue,
    contains_placeholder,
)

__all__ = ["ProgramCompiler"]

STEP_BUDGET = 200_000  # statements + comprehension items per body
SIZE_LIMIT = 100_000  # longest sequence constant arithmetic may build



def _fstring_text(source: str, prefix: str, quote: str) -> str:
    """The characters a literal part of an f-string stands for: escapes decoded (unless raw),
    ``{{``/``}}`` halved."""
    text = source.replace("{{", "{").replace("}}", "}")
    if "r" in prefix.lower():
        return text
    try:
        value = ast.literal_eval(f"{quote}{text}{quote}")
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text

class OutsideSubset(Exception):
    def __init__(self, message: str, node: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


class _Return(Exception):
    def __init__(self, value: Any, node: cst.CSTNode) -> None:
        self.value = value
        self.node = node


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


# ----------------------------------------------------------------------------- callable values


@dataclass(frozen=True)
class EntityValue:
    entity: Entity


@dataclass(frozen=True)
class PlainFunction:
    ref: FunctionRef


@dataclass(frozen=True)
class ClassValue:
    ref: ClassRef


@dataclass(frozen=True)
class ModuleValue:
    ref: ModuleRef


@dataclass(frozen=True)
class ExternalValue:
    qualname: str


@dataclass
class PartialValue:
    func: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@dataclass
class MapTaskValue:
    entity: Entity
    fixed: dict[str, Any]
    concurrency: int | None
    min_success_ratio: float
    mapped: tuple[str, ...]
    interface: Interface


@dataclass
class BoundMethod:
    receiver: Any
    name: str


@dataclass
class _Branch:
    graph: Graph
    condition: ConditionValue | None


@dataclass
class Section:
    """``conditional(name)`` while its chain is being built."""

    name: str
    parent: Graph
    id: str
    call_site: SourceSpan | None
    node: cst.CSTNode
    cases: list[tuple[ConditionValue, Graph, tuple[Any, ...]]] = field(default_factory=list)
    open: _Branch | None = None
    closed: bool = False
    stage: str = "start"  # start | case | else
    reported: bool = False  # a located error was already given: no "has no else_()" on top


class CallOutputs(tuple):  # type: ignore[type-arg]
    """The tuple a call with several outputs returns (a plain tuple to user code)."""

    what: str

    def __new__(cls, values: tuple[Any, ...], what: str) -> CallOutputs:
        self = super().__new__(cls, values)
        self.what = what
        return self


class NamedCallOutputs(NamedOutputs):
    what: str


_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    cst.Add: operator.add, cst.Subtract: operator.sub, cst.Multiply: operator.mul, cst.Divide: operator.truediv,
    cst.FloorDivide: operator.floordiv, cst.Modulo: operator.mod, cst.Power: operator.pow,
    cst.LeftShift: operator.lshift, cst.RightShift: operator.rshift, cst.BitOr: operator.or_,
    cst.BitAnd: operator.and_, cst.BitXor: operator.xor, cst.MatrixMultiply: operator.matmul,
}
_AUGOPS: dict[type, type] = {
    cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide, cst.FloorDivideAssign: cst.FloorDivide, cst.ModuloAssign: cst.Modulo,
    cst.PowerAssign: cst.Power, cst.LeftShiftAssign: cst.LeftShift, cst.RightShiftAssign: cst.RightShift,
    cst.BitOrAssign: cst.BitOr, cst.BitAndAssign: cst.BitAnd, cst.BitXorAssign: cst.BitXor,
    cst.MatrixMultiplyAssign: cst.MatrixMultiply,
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    cst.Equal: operator.eq, cst.NotEqual: operator.ne, cst.LessThan: operator.lt, cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt, cst.GreaterThanEqual: operator.ge,
}

# Builtins run on constants (never anything that touches the outside world).
_SAFE_BUILTINS: dict[str, Callable[..., Any]] = {
    name: getattr(__builtins__, name) if not isinstance(__builtins__, dict) else __builtins__[name]
    for name in ("len", "int", "float", "str", "bool", "range", "abs", "round", "min", "max", "chr", "ord",
                 "hex", "oct", "bin", "divmod", "list", "tuple", "set", "frozenset", "sorted", "reversed",
                 "enumerate", "zip", "sum", "any", "all", "dict", "repr", "format", "bytes")
}
_VALUE_NEEDED = {"len", "int", "float", "complex", "range", "abs", "round", "min", "max", "chr", "ord", "hex", "oct", "bin",
                 "divmod", "bytes", "print", "pow", "hash"}
_ITERATING = {"list", "tuple", "set", "frozenset", "sorted", "reversed", "enumerate", "zip", "sum", "any", "all",
              "dict", "iter", "next"}
_RESULT_TYPES = {"len": "int", "int": "int", "float": "float", "str": "str", "bool": "bool", "repr": "str",
                 "format": "str", "ord": "int", "chr": "str", "hex": "str", "oct": "str", "bin": "str"}

_METHODS: dict[type, frozenset[str]] = {
    str: frozenset({"upper", "lower", "strip", "lstrip", "rstrip", "split", "rsplit", "join", "replace",
                    "startswith", "endswith", "format", "title", "capitalize", "casefold", "splitlines",
                    "partition", "rpartition", "find", "rfind", "index", "rindex", "count", "isdigit", "isalpha",
                    "isalnum", "islower", "isupper", "isspace", "removeprefix", "removesuffix", "encode"}),
    list: frozenset({"append", "extend", "insert", "pop", "remove", "index", "count", "copy", "reverse", "sort",
                     "clear"}),
    dict: frozenset({"get", "keys", "values", "items", "copy", "update", "pop", "setdefault", "clear"}),
    tuple: frozenset({"index", "count"}),
    set: frozenset({"add", "update", "discard", "remove", "union", "intersection", "difference", "copy"}),
    bytes: frozenset({"decode", "hex"}),
    int: frozenset({"bit_length"}),
    float: frozenset({"is_integer"}),
}
# Calls whose arguments the compiler reads from the CST (an Echo's input types are annotations).
_FLYTE_BUILDERS: dict[str, tuple[str, ...]] = {
    "flowgen.Echo": ("name", "inputs"),
    "flowgen.LaunchPlan.get_or_create": ("workflow", "name", "default_inputs", "fixed_inputs"),
    "flowgen.LaunchPlan.create": ("name", "workflow", "default_inputs", "fixed_inputs"),
    "flowgen.LaunchPlan.get_default_launch_plan": ("ctx", "workflow"),
}
_STORING_METHODS = frozenset({"append", "extend", "insert", "update", "setdefault", "add"})


def _find_function(stmt: cst.CSTNode, name: str) -> cst.FunctionDef | None:
    if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
        return stmt
    found: list[cst.FunctionDef] = []

    class Finder(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            if node.name.value == name and not found:
                found.append(node)
            return False

    stmt.visit(Finder())
    return found[0] if found else None


_PYTHON_CONTAINERS: dict[type, type] = {ListType: list, DictType: dict, TupleType: tuple}


def _may_be_bool(spec: TypeSpec) -> bool:
    """Whether ``bool`` is the type or one of its variants (``Optional[bool]``)."""
    variants = spec.variants if isinstance(spec, UnionType) else (spec,)
    return any(isinstance(v, PrimitiveType) and v.name == "bool" for v in variants)


def _strip_optional(spec: TypeSpec) -> TypeSpec:
    if isinstance(spec, UnionType):
        rest = [v for v in spec.variants if not (isinstance(v, PrimitiveType) and v.name == "none")]
        if len(rest) == 1:
            return rest[0]
    return spec




def _contains_opaque(value: Any, depth: int = 0) -> Opaque | None:
    if isinstance(value, Opaque):
        return value
    if depth > 50:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            found = _contains_opaque(v, depth + 1)
            if found is not None:
                return found
    if isinstance(value, dict):
        for v in value.values():
            found = _contains_opaque(v, depth + 1)
            if found is not None:
                return found
    return None


def _size(value: Any) -> int:
    try:
        return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0
    except Exception:
        return 0


def _guard_binop(op: type, left: Any, right: Any) -> None:
    """Refuse constant arithmetic that would take unbounded time or memory."""
    if op is cst.Multiply:
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int) and _size(seq) * max(n, 0) > SIZE_LIMIT:
                raise OutsideSubset("constant sequence repetition too large to evaluate statically")
    if (op is cst.Power and isinstance(left, int) and isinstance(right, int) and not isinstance(right, bool)
            and abs(right) > 64 and abs(left) > 1):
        raise OutsideSubset("constant power too large to evaluate statically")
    if op is cst.LeftShift and isinstance(right, int) and right > 4096:
        raise OutsideSubset("constant shift too large to evaluate statically")
    if isinstance(left, int) and isinstance(right, int) and max(left.bit_length(), right.bit_length()) > 100_000:
        raise OutsideSubset("constant integer too large to evaluate statically")


# ----------------------------------------------------------------------------- the program compiler


class ProgramCompiler:
    """Compiles workflows and checks dynamics of one project, caching per workflow."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.types = TypeResolver(project)
        self.specs = SpecBuilder(project, self.types, self.constant)
        self.diagnostics: list[Diagnostic] = []
        self._programs: dict[str, Program | None] = {}
        self._active: list[str] = []
        self._constants: dict[tuple[str, str], Any] = {}
        self._evaluating: set[tuple[str, str]] = set()
        self.plans = PlanRegistry()

    # -- module-level values ------------------------------------------------------------------
    def constant(self, expr: cst.BaseExpression, module: str, stmt: cst.CSTNode | None = None,
                 entities: bool = False) -> Any:
        """The value of a constant expression at a module's top level (in statement ``stmt``); raises NotConstant.

        With ``entities``, flowgen objects built by calls (``Echo(...)``, launch plans) are values too.
        """
        body = BodyCompiler(self, module=module, mode="constant", stmt=stmt)
        try:
            value = body.ev(expr)
        except (Misuse, OutsideSubset, Indeterminate) as exc:
            raise NotConstant(getattr(exc, "message", str(exc))) from None
        except (RecursionError, MemoryError):
            raise NotConstant("nested too deeply") from None
        if contains_placeholder(value) or _contains_opaque(value) is not None:
            raise NotConstant(f"{expr_code(expr)} is not a constant")
        if entities and isinstance(value, (EntityValue, LaunchPlanValue)):
            return value
        if isinstance(value, (EntityValue, PlainFunction, ModuleValue, BoundMethod, PartialValue, MapTaskValue,
                              LaunchPlanValue)):
            raise NotConstant(f"{expr_code(expr)} is not a value")
        return value

    def value_of(self, ref: Ref) -> Any:
        """A module-level symbol as a value of the abstract interpreter."""
        if isinstance(ref, FunctionRef):
            entity = self.specs.entity(ref)
            return EntityValue(entity) if entity is not None else PlainFunction(ref)
        if isinstance(ref, ClassRef):
            return ClassValue(ref)
        if isinstance(ref, ModuleRef):
            return ModuleValue(ref)
        if isinstance(ref, ExternalRef):
            return ExternalValue(ref.qualname)
        if isinstance(ref, ConstantRef):
            key = (ref.module, ref.name)
            if key not in self._constants:
                if ref.info.value is None or key in self._evaluating:
                    self._constants[key] = Opaque(None, f"module variable {ref.name!r}")
                else:
                    self._evaluating.add(key)
                    try:
                        self._constants[key] = self.constant(ref.info.value, ref.module, self._statement(ref),
                                                             entities=True)
                    except NotConstant:
                        self._constants[key] = Opaque(None, f"module variable {ref.name!r}")
                    finally:
                        self._evaluating.discard(key)
            value = self._constants[key]
            return value if isinstance(value, (Opaque, EntityValue, LaunchPlanValue)) else copy.deepcopy(value)
        raise Misuse(RAISES, f"name {ref.name!r} is not defined", "NameError when the workflow is compiled")

    def _statement(self, ref: ConstantRef) -> cst.CSTNode | None:
        parsed = self.project.parsed_module(ref.module)
        body = parsed.module.body if parsed is not None else ()
        return body[ref.info.index] if 0 <= ref.info.index < len(body) else None

    # -- entities -----------------------------------------------------------------------------
    def entity_parsed(self, entity: Entity) -> tuple[ParsedModule, cst.FunctionDef, cst.CSTNode] | None:
        parsed = self.project.parsed_module(entity.ref.module)
        if parsed is None:
            return None
        stmt = parsed.module.body[entity.ref.info.index]
        fn = _find_function(stmt, entity.ref.info.name)
        if fn is None:
            return None
        return parsed, fn, stmt

    def compile_workflow(self, entity: Entity) -> Program | None:
        """The Program of a workflow, or None when it has errors (reported as diagnostics)."""
        if entity.name in self._programs:
            return self._programs[entity.name]
        located = self.entity_parsed(entity)
        if located is None or entity.interface is None or entity.problems:
            self._programs[entity.name] = None
            return None
        parsed, fn, stmt = located
        self._active.append(entity.name)
        try:
            tasks: dict[str, Any] = {}
            workflows: dict[str, WorkflowSpec] = {}
            graph = Graph("workflow", entity.name, tasks, workflows)
            body = BodyCompiler(self, module=entity.ref.module, mode="workflow", parsed=parsed, stmt=stmt,
                                entity=entity, graph=graph)
            outputs = body.run(fn)
            if body.failed or outputs is None:
                program = None
            else:
                workflows[entity.name] = WorkflowSpec(
                    name=entity.name, function=entity.function, interface=entity.interface,
                    nodes=tuple(graph.nodes), outputs=outputs, source=entity.source)
                program = Program(entry=entity.name, workflows=workflows, tasks=tasks)
        finally:
            self._active.pop()
        self._programs[entity.name] = program
        return program

    def check_dynamic(self, entity: Entity) -> None:
        located = self.entity_parsed(entity)
        if located is None or entity.interface is None:
            return
        parsed, fn, stmt = located
        graph = Graph("dynamic", entity.name, {}, {})
        BodyCompiler(self, module=entity.ref.module, mode="dynamic", parsed=parsed, stmt=stmt, entity=entity,
                     graph=graph).run(fn)


# ----------------------------------------------------------------------------- the body compiler


class BodyCompiler:
    """Runs one body (or one module-level expression, in "constant" mode) in the abstract."""

    def __init__(self, compiler: ProgramCompiler, *, module: str, mode: str, parsed: ParsedModule | None = None,
                 stmt: cst.CSTNode | None = None, entity: Entity | None = None, graph: Graph | None = None) -> None:
        self.compiler = compiler
        self.project = compiler.project
        self.module = module
        self.mode = mode
        self.parsed = parsed
        self.stmt = stmt
        self.entity = entity
        self.graph = graph
        self.env: dict[str, Any] = {}
        self.failed = False
        self.steps = 0
        self.what = f"@{mode} {entity.name}" if entity is not None else "module"
        self._current: cst.CSTNode | None = None

    # -- reporting ----------------------------------------------------------------------------
    def span(self, node: cst.CSTNode | None) -> tuple[int, int, int, int]:
        if self.parsed is not None and node is not None:
            span = self.parsed.positions.span(node, self.stmt)
            if span is not None:
                return span.line, span.column, span.end_line, span.end_column
        if self.parsed is not None and self._current is not None and node is not self._current:
            return self.span(self._current)
        line = self.entity.source.line if self.entity is not None else 1
        return line, 0, line, 0

    def site(self, node: cst.CSTNode) -> SourceSpan | None:
        if self.parsed is None:
            return None
        start = self.parsed.positions.call_start(node, self.stmt) if isinstance(node, cst.Call) else None
        if start is not None:
            return SourceSpan(file=os.path.abspath(self.parsed.path), line=start[0], column=start[1])
        line, column, _, _ = self.span(node)
        return SourceSpan(file=os.path.abspath(self.parsed.path), line=line, column=column)

    def report(self, check: Check, message: str, node: cst.CSTNode | None, hint: str | None = None) -> None:
        if check.severity == "error" or check is OUTSIDE_SUBSET:
            self.failed = True
        if self.parsed is None:
            return
        line, column, end_line, end_column = self.span(node)
        self.compiler.diagnostics.append(Diagnostic(
            os.path.abspath(self.parsed.path), line, column, end_line, end_column, check.code, check.severity,
            f"{message} (in {self.what})" if self.entity is not None else message,
            hint if hint is not None else check.hint))

    def code(self, node: cst.CSTNode) -> str:
        try:
            text = " ".join(expr_code(node).split())
        except RecursionError:
            return "<a deeply nested expression>"
        return text if len(text) <= 60 else text[:57] + "..."

    # -- entry --------------------------------------------------------------------------------
    def run(self, fn: cst.FunctionDef) -> dict[str, Binding] | None:
        entity = self.entity
        assert entity is not None and entity.interface is not None and self.graph is not None
        for p in entity.interface.inputs:
            if self.mode == "workflow":
                self.env[p.name] = PromiseValue(InputRef(name=p.name), p.type, f"workflow input {p.name!r}", None,
                                                self.graph)
            else:
                self.env[p.name] = Opaque(p.type, f"input {p.name!r}", real=True)
        returned: Any = None
        return_node: cst.CSTNode = fn.name
        try:
            self.block(fn.body)
        except _Return as r:
            returned, return_node = r.value, r.node
        except (_Break, _Continue):
            pass
        except RecursionError:
            self.report(OUTSIDE_SUBSET, "the body is nested too deeply to follow statically", fn.name)
            return None
        outputs = self.bind_outputs(returned, entity.interface, f"{entity.kind} {entity.name}", return_node)
        for section in self.graph.open_sections:
            if not section.closed and not section.reported:
                self.report(CONDITIONAL_WITHOUT_ELSE, f"conditional {section.name!r} has no else_()", section.node)
        return outputs

    # -- statements ---------------------------------------------------------------------------
    def block(self, suite: cst.BaseSuite | cst.CSTNode) -> None:
        if isinstance(suite, cst.IndentedBlock):
            for stmt in suite.body:
                self.statement(stmt)
        elif isinstance(suite, cst.SimpleStatementSuite):
            for small in suite.body:
                self.guarded(small)
        elif isinstance(suite, cst.Else):
            self.block(suite.body)

    def statement(self, stmt: cst.CSTNode) -> None:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.guarded(small)
        else:
            self.guarded(stmt)

    def tick(self, node: cst.CSTNode) -> None:
        self.steps += 1
        if self.steps > STEP_BUDGET:
            raise OutsideSubset("the body runs too many steps to unroll statically (loops too long)", node)

    def guarded(self, stmt: cst.CSTNode) -> None:
        """Run one statement; a finding is reported and the statement's targets become poisoned."""
        previous, self._current = self._current, stmt
        try:
            self.tick(stmt)
            self.exec(stmt)
        except Misuse as m:
            self.report(m.check, m.message, m.node if m.node is not None else stmt, m.hint)
            self.poison_targets(stmt)
            self.poison_return(stmt)
        except OutsideSubset as o:
            self.report(OUTSIDE_SUBSET, o.message, o.node if o.node is not None else stmt)
            self.poison_targets(stmt)
            if "too many steps" in o.message:
                raise _Return(Opaque(None, "unfinished body", poisoned=True), stmt) from None
            self.poison_return(stmt)
        except Indeterminate:
            self.poison_targets(stmt)
            self.poison_return(stmt, real=True)
        except RecursionError:
            self.report(OUTSIDE_SUBSET, "expression nested too deeply to follow statically", stmt)
            self.poison_targets(stmt)
            self.poison_return(stmt)
        finally:
            self._current = previous

    def poison_return(self, stmt: cst.CSTNode, real: bool = False) -> None:
        if isinstance(stmt, cst.Return):
            value = Opaque(None, "the return value", real=real, poisoned=not real)
            raise _Return(value, stmt.value if stmt.value is not None else stmt)

    def poison_targets(self, stmt: cst.CSTNode) -> None:
        poison = Opaque(None, "the result of a reported error", poisoned=True)
        for name in _assigned_names(stmt):
            self.env[name] = poison

    def exec(self, stmt: cst.CSTNode) -> None:
        if isinstance(stmt, cst.Expr):
            self.ev(stmt.value)
        elif isinstance(stmt, cst.Assign):
            value = self.ev(stmt.value)
            for target in stmt.targets:
                self.assign(target.target, value, stmt.value)
        elif isinstance(stmt, cst.AnnAssign):
            if stmt.value is not None:
                self.assign(stmt.target, self.ev(stmt.value), stmt.value)
        elif isinstance(stmt, cst.AugAssign):
            self.augassign(stmt)
        elif isinstance(stmt, cst.Return):
            raise _Return(self.ev(stmt.value) if stmt.value is not None else None,
                          stmt.value if stmt.value is not None else stmt)
        elif isinstance(stmt, cst.If):
            self.if_(stmt)
        elif isinstance(stmt, cst.For):
            self.for_(stmt)
        elif isinstance(stmt, cst.While):
            self.while_(stmt)
        elif isinstance(stmt, (cst.Pass, cst.Import, cst.ImportFrom)):
            if not isinstance(stmt, cst.Pass):
                raise OutsideSubset("imports inside a workflow body are not followed statically; import at the "
                                    "top of the module", stmt)
        elif isinstance(stmt, cst.Break):
            raise _Break()
        elif isinstance(stmt, cst.Continue):
            raise _Continue()
        elif isinstance(stmt, cst.Assert):
            test = self.ev(stmt.test)
            if not self.truth(test, "`assert`", stmt.test):
                raise Misuse(RAISES, "assertion fails when the workflow is compiled", None, stmt)
        elif isinstance(stmt, cst.Del):
            for name in _names_in(stmt.target):
                self.env.pop(name, None)
        elif isinstance(stmt, cst.Raise):
            raise Misuse(RAISES, "the body raises when the workflow is compiled", None, stmt)
        else:
            construct = type(stmt).__name__.lower()
            raise OutsideSubset(f"`{construct}` statements are outside the static subset", stmt)

    def augassign(self, stmt: cst.AugAssign) -> None:
        current = self.ev(stmt.target)
        value = self.ev(stmt.value)
        op = _AUGOPS[type(stmt.operator)]
        if isinstance(current, list) and op is cst.Add:
            try:
                current += value  # in place, like Python's list.__iadd__
            except TypeError:
                raise Misuse(RAISES, f"`{self.code(stmt)}` raises TypeError", None, stmt) from None
            except Misuse as m:
                m.node = m.node or stmt
                raise
            return
        result = self.binop(op, current, value, stmt)
        self.assign(stmt.target, result, stmt)

    def if_(self, stmt: cst.If) -> None:
        test = self.ev(stmt.test)
        try:
            taken = self.truth(test, "a Python `if`" if self.mode != "constant" else "`if`", stmt.test)
        except (Misuse, Indeterminate) as exc:
            if isinstance(exc, Misuse):
                self.report(exc.check, exc.message, exc.node or stmt.test, exc.hint)
            self.block(stmt.body)
            if stmt.orelse is not None:
                self.orelse(stmt.orelse)
            return
        if taken:
            self.block(stmt.body)
        elif stmt.orelse is not None:
            self.orelse(stmt.orelse)

    def orelse(self, orelse: cst.If | cst.Else) -> None:
        if isinstance(orelse, cst.If):
            self.guarded(orelse)
        else:
            self.block(orelse.body)

    def for_(self, stmt: cst.For) -> None:
        if stmt.asynchronous is not None:
            raise OutsideSubset("`async for` is outside the static subset", stmt)
        try:
            iterable = self.ev(stmt.iter)
            if isinstance(iterable, PromiseValue):
                iterable.__iter__()
        except Misuse as m:
            self.loop_misuse(m, stmt.iter)
            self.run_unknown_loop(stmt, Opaque(None, "loop item", poisoned=True))
            return
        if isinstance(iterable, Opaque):
            if not iterable.real and not iterable.poisoned:
                raise OutsideSubset(f"loop over `{self.code(stmt.iter)}`, which cannot be computed statically",
                                    stmt.iter)
            self.run_unknown_loop(stmt, Opaque(_item_type(iterable.type), "loop item", real=iterable.real,
                                               poisoned=iterable.poisoned))
            return
        items = self.iterate(iterable, stmt.iter)
        broke = False
        for item in items:
            self.assign(stmt.target, item, stmt.iter)
            try:
                self.block(stmt.body)
            except _Break:
                broke = True
                break
            except _Continue:
                continue
        if not broke and stmt.orelse is not None:
            self.block(stmt.orelse.body)

    def loop_misuse(self, m: Misuse, node: cst.CSTNode) -> None:
        if self.mode == "workflow":
            self.report(LOOP_ON_PROMISE, f"loop over `{self.code(node)}` depends on a value known only when the "
                        f"workflow runs: {m.message}", node)
        else:
            self.report(m.check if m.check is not PROMISE_VALUE_NEEDED else PROMISE_ITERATION,
                        m.message, m.node or node, m.hint)

    def run_unknown_loop(self, stmt: cst.For, item: Opaque) -> None:
        for _ in range(2):  # twice: values carried from one iteration into the next are checked too
            self.assign(stmt.target, item, stmt.iter)
            with contextlib.suppress(_Break, _Continue):
                self.block(stmt.body)
        if stmt.orelse is not None:
            self.block(stmt.orelse.body)

    def while_(self, stmt: cst.While) -> None:
        while True:
            self.tick(stmt)
            test = self.ev(stmt.test)
            try:
                go = self.truth(test, "a Python `while`", stmt.test)
            except (Misuse, Indeterminate) as exc:
                if isinstance(exc, Misuse):
                    self.report(exc.check, exc.message, exc.node or stmt.test, exc.hint)
                with contextlib.suppress(_Break, _Continue):
                    self.block(stmt.body)
                return
            if not go:
                if stmt.orelse is not None:
                    self.block(stmt.orelse.body)
                return
            try:
                self.block(stmt.body)
            except _Break:
                return
            except _Continue:
                continue

    def iterate(self, iterable: Any, node: cst.CSTNode) -> list[Any]:
        if isinstance(iterable, (EntityValue, ModuleValue, ExternalValue, ClassValue, PlainFunction)):
            raise Misuse(RAISES, f"`{self.code(node)}` is not iterable", None, node)
        try:
            if isinstance(iterable, range) and len(iterable) > SIZE_LIMIT:
                raise OutsideSubset("loop too long to unroll statically", node)
            items = []
            for item in iterable:
                items.append(item)
                if len(items) > SIZE_LIMIT:
                    raise OutsideSubset("loop too long to unroll statically", node)
            return items
        except TypeError as exc:
            raise Misuse(RAISES, f"`{self.code(node)}` raises TypeError: {exc}", None, node) from None

    def assign(self, target: cst.BaseExpression, value: Any, value_node: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self.env[target.value] = value
            return
        if isinstance(target, (cst.Tuple, cst.List)):
            self.unpack(target, value, value_node)
            return
        if isinstance(target, cst.Subscript):
            container = self.ev(target.value)
            key = self.subscript_key(target)
            if isinstance(container, (list, dict)) and not isinstance(key, (PromiseValue, Opaque)):
                try:
                    container[key] = value
                except (IndexError, KeyError, TypeError) as exc:
                    raise Misuse(RAISES, f"assignment to `{self.code(target)}` raises {type(exc).__name__}",
                                 None, target) from None
                return
            if isinstance(container, PromiseValue):
                raise Misuse(RAISES, f"`{self.code(target.value)}` is a Promise; it does not support item "
                             "assignment", None, target)
            if isinstance(container, Opaque) or isinstance(key, Opaque):
                return
            if isinstance(key, PromiseValue):
                raise Misuse(PROMISE_AS_INDEX, f"indexing with a Promise as the index: {key.describe()}", None,
                             target)
        raise OutsideSubset(f"assignment to `{self.code(target)}` is outside the static subset", target)

    def unpack(self, target: cst.Tuple | cst.List, value: Any, value_node: cst.CSTNode) -> None:
        elements = list(target.elements)
        if isinstance(value, PromiseValue):
            hint = ("index it with constants (p[0], p[1]), or make this a @dynamic"
                    if isinstance(_strip_optional(value.type), (ListType, TupleType))
                    else "it is one value: assign it to one name (only a call with several outputs unpacks)")
            raise Misuse(PROMISE_ITERATION, f"unpacking a Promise into {len(elements)} names "
                         f"(`{self.code(target)}`): {value.describe()}", hint, value_node)
        if isinstance(value, Opaque):
            for e in elements:
                self.assign(e.value.value if isinstance(e.value, cst.StarredElement) else e.value,
                            Opaque(None, "unpacked item", real=value.real, poisoned=value.poisoned), value_node)
            return
        items = self.iterate(value, value_node)
        starred = [i for i, e in enumerate(elements) if isinstance(e.value, cst.StarredElement)]
        if (not starred and len(items) != len(elements)) or (starred and len(items) < len(elements) - 1):
            if isinstance(value, CallOutputs | NamedOutputs):
                what = getattr(value, "what", "the call")
                raise Misuse(UNPACK_COUNT, f"{what} has {len(items)} outputs, unpacked into {len(elements)} names",
                             None, target)
            raise Misuse(RAISES, f"cannot unpack {len(items)} values into {len(elements)} names", None, target)
        if starred:
            s = starred[0]
            after = len(elements) - s - 1
            parts = [*items[:s], list(items[s:len(items) - after]), *items[len(items) - after:]]
        else:
            parts = items
        for e, v in zip(elements, parts):
            node = e.value.value if isinstance(e.value, cst.StarredElement) else e.value
            self.assign(node, v, value_node)

    # -- truth ----------------------------------------------------------------------------------
    def truth(self, value: Any, construct: str, node: cst.CSTNode) -> bool:
        if isinstance(value, PromiseValue):
            check = PROMISE_BOOLEAN_OPERATOR if construct in ("`not`", "`and`/`or`") else PROMISE_TRUTHINESS
            raise Misuse(check, f"{construct} on `{self.code(node)}`: {value.describe()}, which has no value "
                         "until the workflow runs", None, node)
        if isinstance(value, ConditionValue):
            raise Misuse(COMPARISON_AS_BOOL, f"{construct} on `{self.code(node)}`, a comparison of Promises: its "
                         "value is known only when the workflow runs", None, node)
        if isinstance(value, Opaque):
            if not value.real and not value.poisoned and self.mode == "workflow":
                raise OutsideSubset(f"{construct} on `{self.code(node)}`, which cannot be computed statically", node)
            raise Indeterminate(value.origin)
        if isinstance(value, (Section, HandleValue, EntityValue)):
            return True
        try:
            return bool(value)
        except Misuse as m:
            m.node = m.node or node
            raise

    # -- expressions ----------------------------------------------------------------------------
    def ev(self, node: cst.BaseExpression) -> Any:
        method = getattr(self, "ev_" + type(node).__name__, None)
        if method is None:
            raise OutsideSubset(f"`{self.code(node)}` ({type(node).__name__}) is outside the static subset", node)
        try:
            return method(node)
        except Misuse as m:
            if m.node is None:
                m.node = node
            raise

    def ev_Integer(self, node: cst.Integer) -> Any:
        return node.evaluated_value

    def ev_Float(self, node: cst.Float) -> Any:
        return node.evaluated_value

    def ev_Imaginary(self, node: cst.Imaginary) -> Any:
        return node.evaluated_value

    def ev_SimpleString(self, node: cst.SimpleString) -> Any:
        return node.evaluated_value

    def ev_ConcatenatedString(self, node: cst.ConcatenatedString) -> Any:
        left, right = self.ev(node.left), self.ev(node.right)
        if isinstance(left, Opaque) or isinstance(right, Opaque):
            return Opaque(primitive("str"), "string")
        return left + right

    def ev_FormattedString(self, node: cst.FormattedString) -> Any:
        parts: list[str] = []
        unknown = False
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(_fstring_text(part.value, node.prefix, node.quote))
                continue
            assert isinstance(part, cst.FormattedStringExpression)
            value = self.ev(part.expression)
            conversion = part.conversion
            if isinstance(value, (PromiseValue, ConditionValue)) and conversion != "r":
                raise Misuse(PROMISE_FORMATTING, f"formatting `{self.code(part.expression)}` in an f-string: "
                             f"{_describe(value)}", None, part.expression)
            if isinstance(value, Opaque) or _contains_opaque(value) is not None:
                unknown = True
                continue
            spec = ""
            if part.format_spec:
                spec_value = self.ev_FormattedString(cst.FormattedString(parts=part.format_spec))
                if isinstance(spec_value, Opaque):
                    unknown = True
                    continue
                spec = spec_value
            if conversion == "r":
                value = repr(value)
            elif conversion == "s":
                value = str(value)
            elif conversion == "a":
                value = ascii(value)
            try:
                parts.append(format(value, spec))
            except (ValueError, TypeError) as exc:
                raise Misuse(RAISES, f"f-string raises {type(exc).__name__}: {exc}", None, part) from None
        if unknown:
            return Opaque(primitive("str"), "f-string", real=self.mode == "dynamic")
        return "".join(parts)

    def ev_Name(self, node: cst.Name) -> Any:
        name = node.value
        if name in self.env:
            return self.env[name]
        if name == "None":
            return None
        if name == "True":
            return True
        if name == "False":
            return False
        ref = self.project.resolve(self.module, name)
        if isinstance(ref, UnresolvedRef):
            raise Misuse(RAISES, f"name {name!r} is not defined", "NameError when the workflow is compiled", node)
        return self.compiler.value_of(ref)

    def ev_Ellipsis(self, node: cst.Ellipsis) -> Any:
        return Ellipsis

    def ev_Tuple(self, node: cst.Tuple) -> Any:
        return tuple(self.elements(node.elements))

    def ev_List(self, node: cst.List) -> Any:
        return self.elements(node.elements)

    def ev_Set(self, node: cst.Set) -> Any:
        items = self.elements(node.elements)
        try:
            return set(items)
        except TypeError as exc:
            raise Misuse(RAISES, f"set raises TypeError: {exc}", None, node) from None

    def elements(self, elements: Any) -> list[Any]:
        out: list[Any] = []
        for e in elements:
            if isinstance(e, cst.StarredElement):
                value = self.ev(e.value)
                if isinstance(value, PromiseValue):
                    raise Misuse(PROMISE_ITERATION, f"unpacking `*{self.code(e.value)}`: {value.describe()}", None, e)
                if isinstance(value, Opaque):
                    out.append(Opaque(None, "starred items", real=value.real, poisoned=value.poisoned))
                    continue
                out.extend(self.iterate(value, e.value))
            else:
                out.append(self.ev(e.value))
        return out

    def ev_Dict(self, node: cst.Dict) -> Any:
        out: dict[Any, Any] = {}
        for e in node.elements:
            if isinstance(e, cst.StarredDictElement):
                value = self.ev(e.value)
                if isinstance(value, dict):
                    out.update(value)
                    continue
                if isinstance(value, PromiseValue):
                    raise Misuse(PROMISE_ITERATION, f"converting a Promise to a dict (`**{self.code(e.value)}`): "
                                 f"{value.describe()}", "pass it to a task", e)
                raise OutsideSubset(f"`**{self.code(e.value)}` cannot be computed statically", e)
            assert isinstance(e, cst.DictElement)
            key = self.ev(e.key)
            if isinstance(key, (PromiseValue, ConditionValue)):
                raise Misuse(PROMISE_AS_INDEX, f"a Promise as a dict key: {_describe(key)}", None, e.key)
            if isinstance(key, Opaque):
                raise OutsideSubset(f"dict key `{self.code(e.key)}` cannot be computed statically", e.key)
            try:
                out[key] = self.ev(e.value)
            except TypeError as exc:
                raise Misuse(RAISES, f"dict key raises TypeError: {exc}", None, e.key) from None
        return out

    def ev_Attribute(self, node: cst.Attribute) -> Any:
        value = self.ev(node.value)
        return self.attribute(value, node.attr.value, node)

    def attribute(self, value: Any, attr: str, node: cst.CSTNode) -> Any:
        if isinstance(value, PromiseValue):
            if attr in ("is_true", "is_false", "is_none", "with_overrides"):
                return BoundMethod(value, attr)
            if attr == "ref":
                return Opaque(None, "Promise.ref")
            record = _strip_optional(value.type)
            if isinstance(record, RecordType):
                f = record.field(attr)
                if f is not None:
                    return self.step(value, AttrStep(name=attr), f.type, f".{attr}")
            python_type = _PYTHON_CONTAINERS.get(type(record))
            if python_type is not None and hasattr(python_type, attr):
                raise Misuse(UNKNOWN_ATTRIBUTE, f"`.{attr}` (a method of the value) on a Promise "
                             f"(`{self.code(node)}`): {value.describe()}",
                             "values exist only when the workflow runs: call it inside a task", node)
            hint = (f"{render_type(record)} has fields: {', '.join(f.name for f in record.fields)}"
                    if isinstance(record, RecordType) else None)
            raise Misuse(UNKNOWN_ATTRIBUTE, f"{value.origin} has type {render_type(value.type)}, which has no "
                         f"attribute {attr!r}", hint, node)
        if isinstance(value, NamedOutputs):
            if attr in value.fields:
                return value.field(attr)
            name = value.ref.rpartition(":")[2]
            owner = f"the outputs of {value.what}" if isinstance(value, NamedCallOutputs) else "the value"
            raise Misuse(UNKNOWN_ATTRIBUTE, f"{owner} are a {name}, which has no field {attr!r}",
                         f"{name} has fields: {', '.join(value.fields)}", node)
        if isinstance(value, ModuleValue):
            return self.compiler.value_of(self.project.attribute(value.ref, attr))
        if isinstance(value, ExternalValue):
            return ExternalValue(canonical(f"{value.qualname}.{attr}"))
        if isinstance(value, ClassValue):
            kind = self.compiler.types.class_kind(value.ref)
            if kind == "enum":
                members = self.compiler.types.enum_members(value.ref)
                if attr in members:
                    return EnumMember(value.ref.ref, attr, members)
            raise OutsideSubset(f"`{self.code(node)}` is outside the static subset", node)
        if isinstance(value, EnumMember):
            if attr == "name":
                return value.name
            return Opaque(None, f"{value!r}.{attr}")
        if isinstance(value, Section):
            if attr in ("if_", "elif_", "else_"):
                return BoundMethod(value, attr)
            raise Misuse(RAISES, f"conditional has no attribute {attr!r}", None, node)
        if isinstance(value, _ThenStep):
            if attr == "then" or (attr == "fail" and value.is_else):
                return BoundMethod(value, attr)
            raise Misuse(RAISES, f"{attr!r} cannot follow this step of conditional {value.section.name!r}", None,
                         node)
        if isinstance(value, Opaque):
            stripped = _strip_optional(value.type) if value.type is not None else None
            found = stripped.field(attr) if isinstance(stripped, RecordType) else None
            if found is not None:
                return Opaque(found.type, f"{value.origin}.{attr}", real=value.real, poisoned=value.poisoned)
            return Opaque(None, f"{value.origin}.{attr}", real=value.real, poisoned=value.poisoned)
        allowed = _METHODS.get(type(value))
        if allowed is not None and attr in allowed:
            return BoundMethod(value, attr)
        if isinstance(value, (int, float, str, bytes, list, dict, tuple, set, bool, type(None))):
            if isinstance(value, (int, float, complex)) and attr in ("real", "imag", "numerator", "denominator"):
                return getattr(value, attr)
            raise Misuse(RAISES, f"{type(value).__name__} has no attribute {attr!r} usable here", None, node)
        raise OutsideSubset(f"`{self.code(node)}` is outside the static subset", node)

    def step(self, promise: PromiseValue, step: Any, type_: TypeSpec, text: str) -> PromiseValue:
        b = promise.binding
        binding = b.model_copy(update={"path": (*b.path, step)})
        return PromiseValue(binding, type_, promise.origin + text, promise.node_id, promise.graph)

    def subscript_key(self, node: cst.Subscript) -> Any:
        if len(node.slice) != 1:
            return tuple(self.slice_element(e) for e in node.slice)
        return self.slice_element(node.slice[0])

    def slice_element(self, element: cst.SubscriptElement) -> Any:
        s = element.slice
        if isinstance(s, cst.Index):
            return self.ev(s.value)
        assert isinstance(s, cst.Slice)
        parts = [self.ev(p) if p is not None else None for p in (s.lower, s.upper, s.step)]
        for p in parts:
            if isinstance(p, PromiseValue):
                raise Misuse(PROMISE_AS_INDEX, f"a Promise in a slice: {p.describe()}", None, element)
        return slice(*parts)

    def ev_Subscript(self, node: cst.Subscript) -> Any:
        value = self.ev(node.value)
        key = self.subscript_key(node)
        if isinstance(key, (PromiseValue, ConditionValue)):
            raise Misuse(PROMISE_AS_INDEX, f"indexing `{self.code(node.value)}` with a Promise as the index: "
                         f"{_describe(key)}", None, node)
        if isinstance(value, PromiseValue):
            return self.promise_index(value, key, node)
        if isinstance(value, Opaque) or isinstance(key, Opaque):
            base = value if isinstance(value, Opaque) else key
            item = _item_type(value.type) if isinstance(value, Opaque) else None
            return Opaque(item, f"{base.origin}[...]", real=base.real, poisoned=base.poisoned)
        if isinstance(value, (ExternalValue, ClassValue)):
            return Opaque(None, f"`{self.code(node)}`")
        if not isinstance(value, (list, tuple, dict, str, bytes, range)):
            raise Misuse(RAISES, f"`{self.code(node.value)}` is not subscriptable", None, node)
        try:
            return value[key]
        except (IndexError, KeyError, TypeError) as exc:
            raise Misuse(RAISES, f"`{self.code(node)}` raises {type(exc).__name__}: {exc}", None, node) from None

    def promise_index(self, promise: PromiseValue, key: Any, node: cst.CSTNode) -> PromiseValue:
        if isinstance(key, slice):
            raise Misuse(BAD_INDEX, f"slicing a Promise (`{self.code(node)}`): {promise.describe()}",
                         "pass it to a task that slices it; constant int indexes (p[0]) work", node)
        container = _strip_optional(promise.type)
        is_int = isinstance(key, int) and not isinstance(key, bool)
        if isinstance(container, ListType) and is_int:
            return self.step(promise, IndexStep(key=key), container.item, f"[{key}]")
        if isinstance(container, TupleType) and is_int and -len(container.items) <= key < len(container.items):
            return self.step(promise, IndexStep(key=key), container.items[key], f"[{key}]")
        if isinstance(container, DictType) and isinstance(key, str):
            return self.step(promise, IndexStep(key=key), container.value, f"[{key!r}]")
        if (isinstance(container, RecordType) and container.flavor == "namedtuple" and is_int
                and -len(container.fields) <= key < len(container.fields)):
            f = container.fields[key]
            return self.step(promise, AttrStep(name=f.name), f.type, f".{f.name}")
        raise Misuse(BAD_INDEX, f"cannot index {promise.origin} of type {render_type(promise.type)} with {key!r}",
                     None, node)

    def ev_UnaryOperation(self, node: cst.UnaryOperation) -> Any:
        value = self.ev(node.expression)
        op = node.operator
        if isinstance(op, cst.Not):
            if isinstance(value, Opaque):
                return Opaque(primitive("bool"), "not", real=value.real, poisoned=value.poisoned)
            return not self.truth(value, "`not`", node.expression)
        unary: dict[type, Callable[[Any], Any]] = {cst.Minus: operator.neg, cst.Plus: operator.pos,
                                                   cst.BitInvert: operator.invert}
        fn = unary[type(op)]
        try:
            return fn(value)
        except Misuse as m:
            m.node = m.node or node
            raise
        except TypeError as exc:
            raise Misuse(RAISES, f"`{self.code(node)}` raises TypeError: {exc}", None, node) from None

    def ev_BinaryOperation(self, node: cst.BinaryOperation) -> Any:
        left = self.ev(node.left)
        right = self.ev(node.right)
        return self.binop(type(node.operator), left, right, node)

    def binop(self, op: type, left: Any, right: Any, node: cst.CSTNode) -> Any:
        if op is cst.RightShift and isinstance(left, (PromiseValue, HandleValue)):
            return left.__rshift__(right)
        for side in (left, right):
            if isinstance(side, Opaque):
                return Opaque(None, "arithmetic", real=side.real, poisoned=side.poisoned)
        _guard_binop(op, left, right)
        try:
            return _BINOPS[op](left, right)
        except Misuse as m:
            m.node = m.node or node
            raise
        except Indeterminate:
            raise
        except (TypeError, ValueError, ZeroDivisionError, OverflowError) as exc:
            if isinstance(left, (Section, _ThenStep)) or isinstance(right, (Section, _ThenStep)):
                raise Misuse(RAISES, f"`{self.code(node)}` raises {type(exc).__name__}", None, node) from None
            if isinstance(left, (HandleValue, ConditionValue, tuple)) and op is cst.RightShift:
                raise Misuse(NO_OUTPUTS, "`>>` orders two task calls; both sides must be outputs of calls in this "
                             "workflow", None, node) from None
            raise Misuse(RAISES, f"`{self.code(node)}` raises {type(exc).__name__}: {exc}", None, node) from None

    def ev_BooleanOperation(self, node: cst.BooleanOperation) -> Any:
        left = self.ev(node.left)
        if isinstance(left, Opaque):
            self.ev(node.right)
            return Opaque(None, "boolean operation", real=left.real, poisoned=left.poisoned)
        value = self.truth(left, "`and`/`or`", node.left)
        if isinstance(node.operator, cst.And):
            return self.ev(node.right) if value else left
        return left if value else self.ev(node.right)

    def ev_Comparison(self, node: cst.Comparison) -> Any:
        left = self.ev(node.left)
        result: Any = True
        left_node: cst.CSTNode = node.left
        for i, target in enumerate(node.comparisons):
            right = self.ev(target.comparator)
            result = self.compare(target.operator, left, right, node)
            if i < len(node.comparisons) - 1:
                if isinstance(result, ConditionValue):
                    raise Misuse(COMPARISON_AS_BOOL, f"chained comparison `{self.code(node)}` needs the truth value "
                                 "of a comparison of Promises", "write (a < p) & (p < b) inside conditional()",
                                 node)
                if isinstance(result, Opaque):
                    return result
                if not self.truth(result, "a chained comparison", left_node):
                    return result
            left, left_node = right, target.comparator
        return result

    def compare(self, op: cst.BaseCompOp, left: Any, right: Any, node: cst.CSTNode) -> Any:
        if isinstance(op, (cst.Is, cst.IsNot)):
            for side in (left, right):
                if isinstance(side, PromiseValue):
                    raise Misuse(COMPARISON_AS_BOOL, f"`{self.code(node)}` compares the identity of a Promise "
                                 f"placeholder, not its value ({side.describe()}); it is always "
                                 f"{not isinstance(op, cst.Is)}", "use p.is_none() inside conditional()", node)
            if isinstance(left, Opaque) or isinstance(right, Opaque):
                return Opaque(primitive("bool"), "identity")
            same = left is right or (isinstance(left, EnumMember) and left == right)
            return same if isinstance(op, cst.Is) else not same
        if isinstance(op, (cst.In, cst.NotIn)):
            if isinstance(right, PromiseValue):
                raise Misuse(PROMISE_ITERATION, f"`in` on a Promise: {right.describe()}", None, node)
            if isinstance(left, Opaque) or isinstance(right, Opaque):
                return Opaque(primitive("bool"), "membership")
            try:
                found = left in right
            except TypeError as exc:
                raise Misuse(RAISES, f"`{self.code(node)}` raises TypeError: {exc}", None, node) from None
            return found if isinstance(op, cst.In) else not found
        fn = _COMPARE[type(op)]
        if isinstance(left, Opaque) or isinstance(right, Opaque):
            if isinstance(left, PromiseValue) or isinstance(right, PromiseValue):
                return Opaque(primitive("bool"), "comparison", poisoned=True)
            return Opaque(primitive("bool"), "comparison")
        try:
            return fn(left, right)
        except TypeError as exc:
            raise Misuse(RAISES, f"`{self.code(node)}` raises TypeError: {exc}", None, node) from None

    def ev_IfExp(self, node: cst.IfExp) -> Any:
        test = self.ev(node.test)
        try:
            taken = self.truth(test, "a conditional expression (`x if cond else y`)", node.test)
        except Indeterminate:
            body, orelse = self.ev(node.body), self.ev(node.orelse)
            return body if not isinstance(body, Opaque) else orelse
        return self.ev(node.body) if taken else self.ev(node.orelse)

    def ev_NamedExpr(self, node: cst.NamedExpr) -> Any:
        value = self.ev(node.value)
        self.assign(node.target, value, node.value)
        return value

    def ev_Lambda(self, node: cst.Lambda) -> Any:
        raise OutsideSubset("`lambda` is outside the static subset", node)

    # -- comprehensions -------------------------------------------------------------------------
    def ev_ListComp(self, node: cst.ListComp) -> Any:
        return [v for _, v in self.comprehension(node.for_in, lambda: self.ev(node.elt))]

    def ev_SetComp(self, node: cst.SetComp) -> Any:
        return set(v for _, v in self.comprehension(node.for_in, lambda: self.ev(node.elt)))

    def ev_GeneratorExp(self, node: cst.GeneratorExp) -> Any:
        return [v for _, v in self.comprehension(node.for_in, lambda: self.ev(node.elt))]

    def ev_DictComp(self, node: cst.DictComp) -> Any:
        return dict(self.comprehension(node.for_in, lambda: (self.ev(node.key), self.ev(node.value)), pairs=True))

    def comprehension(self, for_in: cst.CompFor, element: Callable[[], Any], pairs: bool = False) -> list[Any]:
        saved = dict(self.env)
        out: list[Any] = []
        try:
            self._comp(for_in, element, out, pairs)
        finally:
            self.env = saved
        return out

    def _comp(self, for_in: cst.CompFor, element: Callable[[], Any], out: list[Any], pairs: bool) -> None:
        try:
            iterable = self.ev(for_in.iter)
            if isinstance(iterable, PromiseValue):
                iterable.__iter__()
        except Misuse as m:
            if self.mode == "workflow":
                raise Misuse(LOOP_ON_PROMISE, f"comprehension over `{self.code(for_in.iter)}` depends on a value "
                             f"known only when the workflow runs: {m.message}", None, for_in.iter) from None
            raise
        if isinstance(iterable, Opaque):
            if self.mode == "workflow" and not iterable.poisoned:
                raise OutsideSubset(f"comprehension over `{self.code(for_in.iter)}`, which cannot be computed "
                                    "statically", for_in.iter)
            items: list[Any] = [Opaque(_item_type(iterable.type), "item", real=iterable.real,
                                       poisoned=iterable.poisoned)]
        else:
            items = self.iterate(iterable, for_in.iter)
        for item in items:
            self.tick(for_in)
            self.assign(for_in.target, item, for_in.iter)
            keep = True
            for cond in for_in.ifs:
                test = self.ev(cond.test)
                try:
                    if not self.truth(test, "a comprehension `if`", cond.test):
                        keep = False
                        break
                except Indeterminate:
                    continue
            if not keep:
                continue
            if for_in.inner_for_in is not None:
                self._comp(for_in.inner_for_in, element, out, pairs)
            else:
                value = element()
                out.append(value if pairs else (None, value))
        return

    # -- calls ----------------------------------------------------------------------------------
    def ev_Call(self, node: cst.Call) -> Any:
        func = self.ev(node.func)
        if isinstance(func, ExternalValue) and func.qualname in _FLYTE_BUILDERS:  # arguments read from the CST
            if func.qualname == "flowgen.Echo":
                return self.make_echo(node)
            return self.make_launch_plan(func.qualname, node)
        try:
            args, kwargs, arg_nodes = self.arguments(node)
        except (Misuse, OutsideSubset):
            receiver = func.receiver if isinstance(func, BoundMethod) else None
            if isinstance(receiver, _ThenStep):
                receiver = receiver.section
            if isinstance(receiver, Section):
                receiver.reported = True  # an error inside if_(...)/then(...): the chain was never followed
            raise
        return self.call(func, tuple(args), kwargs, node, arg_nodes)

    def arguments(self, node: cst.Call) -> tuple[list[Any], dict[str, Any], dict[Any, cst.CSTNode]]:
        """The evaluated arguments of a call, and the node each came from (by position or keyword)."""
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        arg_nodes: dict[Any, cst.CSTNode] = {}
        for arg in node.args:
            if arg.star == "*":
                value = self.ev(arg.value)
                if isinstance(value, PromiseValue):
                    raise Misuse(PROMISE_ITERATION, f"unpacking `*{self.code(arg.value)}`: {value.describe()}",
                                 None, arg)
                if isinstance(value, Opaque):
                    raise OutsideSubset(f"`*{self.code(arg.value)}` cannot be computed statically", arg)
                args.extend(self.iterate(value, arg.value))
            elif arg.star == "**":
                value = self.ev(arg.value)
                if isinstance(value, PromiseValue):
                    raise Misuse(PROMISE_ITERATION, f"converting a Promise to a dict (`**{self.code(arg.value)}`): "
                                 f"{value.describe()}", "pass it to a task", arg)
                if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
                    raise OutsideSubset(f"`**{self.code(arg.value)}` cannot be computed statically", arg)
                for k, v in value.items():
                    if k in kwargs:
                        raise Misuse(DUPLICATE_INPUT, f"keyword argument {k!r} given twice", None, arg)
                    kwargs[k] = v
            elif arg.keyword is not None:
                key = arg.keyword.value
                if key in kwargs:
                    raise Misuse(DUPLICATE_INPUT, f"keyword argument {key!r} given twice", None, arg)
                kwargs[key] = self.ev(arg.value)
                arg_nodes[key] = arg.value
            else:
                arg_nodes[len(args)] = arg.value
                args.append(self.ev(arg.value))
        return args, kwargs, arg_nodes

    def call(self, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call,
             arg_nodes: dict[Any, cst.CSTNode]) -> Any:
        if isinstance(func, EntityValue):
            return self.call_entity(func.entity, args, kwargs, node, arg_nodes)
        if isinstance(func, PartialValue):
            shifted = {k + len(func.args) if isinstance(k, int) else k: v for k, v in arg_nodes.items()}
            return self.call(func.func, (*func.args, *args), {**func.kwargs, **kwargs}, node, shifted)
        if isinstance(func, MapTaskValue):
            return self.call_map(func, args, kwargs, node, arg_nodes)
        if isinstance(func, LaunchPlanValue):
            return self.call_launch_plan(func, args, kwargs, node, arg_nodes)
        if isinstance(func, BoundMethod):
            return self.call_method(func, args, kwargs, node, arg_nodes)
        if isinstance(func, ExternalValue):
            return self.call_external(func.qualname, args, kwargs, node)
        if isinstance(func, PlainFunction):
            self.reject_placeholders(args, kwargs, node, f"{func.ref.info.name}()")
            raise OutsideSubset(f"call of the plain function {func.ref.info.name}(); the static compiler does not "
                                "follow calls into plain Python functions", node)
        if isinstance(func, ClassValue):
            if self.compiler.types.class_kind(func.ref) == "namedtuple":
                return self.construct_namedtuple(func.ref, args, kwargs, node)
            raise OutsideSubset(f"constructing {func.ref.info.name}(...) in a workflow body is outside the static "
                                "subset", node)
        if isinstance(func, (PromiseValue, ConditionValue)):
            raise Misuse(PROMISE_VALUE_NEEDED, f"calling a Promise: {_describe(func)}",
                         "Promises are values; pass it to a task", node)
        if isinstance(func, Opaque):
            return Opaque(None, f"result of {self.code(node.func)}()", real=func.real, poisoned=func.poisoned)
        raise Misuse(RAISES, f"`{self.code(node.func)}` is not callable", None, node)

    def construct_namedtuple(self, ref: ClassRef, args: tuple[Any, ...], kwargs: dict[str, Any],
                             node: cst.Call) -> NamedOutputs:
        """``Point(x=p, y=1)`` for a NamedTuple: a tuple of its fields, as the tracer holds it."""
        fields = self.compiler.types.record_fields(ref, "namedtuple")
        names = [f[1] for f in fields]
        if len(args) > len(names):
            raise Misuse(RAISES, f"{ref.info.name}() takes {len(names)} fields but {len(args)} were given", None,
                         node)
        values: dict[str, Any] = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names or key in values:
                raise Misuse(RAISES, f"{ref.info.name}() got an unexpected or repeated field {key!r}", None, node)
            values[key] = value
        defaults = {f.name: f.default for f in ref.info.fields if f.default is not None}
        for name in names:
            if name not in values:
                if name not in defaults:
                    raise Misuse(RAISES, f"{ref.info.name}() is missing field {name!r}", None, node)
                try:
                    values[name] = self.compiler.constant(defaults[name], ref.module)
                except NotConstant as exc:
                    raise OutsideSubset(f"default of {ref.info.name}.{name} cannot be computed statically ({exc})",
                                        node) from None
        return NamedOutputs(tuple(values[n] for n in names), tuple(names), ref.ref)

    def reject_placeholders(self, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.CSTNode,
                            what: str) -> None:
        for value in (*args, *kwargs.values()):
            if contains_placeholder(value) and self.mode != "constant":
                raise OutsideSubset(f"{what} receives a Promise; the static compiler cannot tell what it does with "
                                    "it", node)

    def call_external(self, qualname: str, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call) -> Any:
        if qualname.startswith("builtins."):
            return self.call_builtin(qualname[len("builtins."):], args, kwargs, node)
        if qualname == "flowgen.map_task":
            return self.make_map_task(args, kwargs, node)
        if qualname == "flowgen.conditional":
            return self.make_section(args, kwargs, node)
        if qualname == "functools.partial":
            if not args:
                raise Misuse(RAISES, "partial() needs a function", None, node)
            return PartialValue(args[0], tuple(args[1:]), dict(kwargs))
        if qualname == "flowgen.Cache":
            return CacheOption(**kwargs) if not args else CacheOption(*args, **kwargs)
        if qualname == "flowgen.Resources":  # read by with_overrides() (flowgen.ir.overrides)
            return {**dict(zip(("cpu", "mem", "gpu", "ephemeral_storage"), args)), **kwargs}
        if qualname in ("datetime.timedelta", "datetime.date", "datetime.datetime") and not (
            contains_placeholder(args) or contains_placeholder(kwargs)
        ):
            cls = {"datetime.timedelta": dt.timedelta, "datetime.date": dt.date,
                   "datetime.datetime": dt.datetime}[qualname]
            if all(isinstance(v, (int, float)) for v in (*args, *kwargs.values())):
                try:
                    return cls(*args, **kwargs)
                except (TypeError, ValueError, OverflowError) as exc:
                    raise Misuse(RAISES, f"{qualname}(...) raises {type(exc).__name__}: {exc}", None, node) from None
        if qualname == "typing.cast" and len(args) == 2:
            return args[1]
        if _needs_values(qualname):
            direct = next((v for v in (*args, *kwargs.values()) if isinstance(v, (PromiseValue, ConditionValue))),
                          None)
            if direct is not None:
                raise Misuse(PROMISE_VALUE_NEEDED, f"`{qualname}()` needs the value of a Promise: "
                             f"{_describe(direct)}", "pass it to a task that does this", node)
        self.reject_placeholders(args, kwargs, node, f"{qualname.rpartition('.')[2]}()")
        if self.mode == "constant":
            raise OutsideSubset(f"{qualname}() cannot be evaluated statically", node)
        return Opaque(None, f"the result of {qualname}()", real=self.mode == "dynamic")

    def call_builtin(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call) -> Any:
        values = (*args, *kwargs.values())
        direct = next((v for v in values if isinstance(v, (PromiseValue, ConditionValue))), None)
        if direct is not None:
            if name in ("str", "format", "ascii"):
                raise Misuse(PROMISE_FORMATTING, f"`{name}()` of a Promise: {_describe(direct)}", None, node)
            if name == "repr" and isinstance(direct, PromiseValue):
                return repr(direct)
            if name == "dict" and args and isinstance(args[0], PromiseValue):
                raise Misuse(PROMISE_ITERATION, f"converting a Promise to a dict (`{self.code(node)}`): "
                             f"{args[0].describe()}", "pass it to a task", node)
            if name == "bool":
                raise Misuse(PROMISE_TRUTHINESS, f"`bool()` of a Promise: {_describe(direct)}", None, node)
            if name in _ITERATING:
                raise Misuse(PROMISE_ITERATION, f"`{name}()` iterates over a Promise: {_describe(direct)}",
                             "use map_task() to run a task per item, or make this a @dynamic", node)
            if name in _VALUE_NEEDED:
                raise Misuse(PROMISE_VALUE_NEEDED, f"`{name}()` needs the value of a Promise: {_describe(direct)}",
                             None, node)
            raise OutsideSubset(f"`{name}()` of a Promise is outside the static subset", node)
        if name == "print":
            if any(contains_placeholder(v) for v in values):
                raise Misuse(PROMISE_FORMATTING, "`print()` formats a Promise", None, node)
            return None
        opaque = next((v for v in values if isinstance(v, Opaque)), None)
        if opaque is not None or any(_contains_opaque(v) is not None for v in values):
            base = opaque if opaque is not None else _contains_opaque(values)
            assert base is not None
            result = _RESULT_TYPES.get(name)
            type_: TypeSpec | None = primitive(result) if result else None
            if name == "range":
                type_ = ListType(item=primitive("int"))
            elif name in ("list", "sorted", "tuple") and args and isinstance(args[0], Opaque):
                type_ = args[0].type
            return Opaque(type_, f"{name}(...)", real=base.real, poisoned=base.poisoned)
        fn = _SAFE_BUILTINS.get(name)
        if fn is None:
            if name == "isinstance":
                raise OutsideSubset("isinstance() in a workflow body is outside the static subset", node)
            raise OutsideSubset(f"`{name}()` is not evaluated statically", node)
        if name == "range":
            try:
                r = range(*args, **kwargs)
            except TypeError as exc:
                raise Misuse(RAISES, f"range() raises TypeError: {exc}", None, node) from None
            if len(r) > SIZE_LIMIT:
                raise OutsideSubset("range too long to unroll statically", node)
            return r
        if name in ("str", "repr", "format") and any(contains_placeholder(v) for v in values):
            raise Misuse(PROMISE_FORMATTING, f"`{name}()` of a value holding Promises", None, node)
        for v in values:
            if isinstance(v, (range,)) and len(v) > SIZE_LIMIT:
                raise OutsideSubset(f"{name}() over a range too long to evaluate statically", node)
        try:
            result = fn(*args, **kwargs)
        except Misuse as m:
            m.node = m.node or node
            raise
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, KeyError, IndexError) as exc:
            raise Misuse(RAISES, f"`{name}()` raises {type(exc).__name__}: {exc}", None, node) from None
        if name in ("enumerate", "zip", "reversed"):
            return list(result)
        return result

    def check_overrides(self, options: dict[str, Any], node: cst.Call) -> None:
        """``with_overrides(...)``: the tracer's rule (:mod:`flowgen.ir.overrides`) on the known values."""
        def known(value: Any) -> bool:
            return not isinstance(value, Opaque)

        given = {k: ({f: x for f, x in v.items() if known(x)} if isinstance(v, dict) else v)
                 for k, v in options.items() if known(v)}
        problems = override_problems(given, is_promise=lambda v: isinstance(v, (PromiseValue, ConditionValue)))
        if problems:
            raise Misuse(INVALID_OPTION, "with_overrides(): " + "; ".join(m for _, m in problems),
                         "overrides take constants: Resources(cpu=\"1\", mem=\"512Mi\"), retries=2, timeout=60",
                         node)

    def call_method(self, method: BoundMethod, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call,
                    arg_nodes: dict[Any, cst.CSTNode]) -> Any:
        receiver, name = method.receiver, method.name
        if isinstance(receiver, PromiseValue):
            if name == "with_overrides":
                self.check_overrides(kwargs, node)
                return receiver
            if name in ("is_true", "is_false") and not _may_be_bool(receiver.type):
                # is_true/is_false test identity with True/False: on anything but a bool they never hold.
                raise Misuse(TYPE_MISMATCH, f"{receiver.origin}.{name}(): {receiver.origin} is "
                             f"{render_type(receiver.type)}, not bool",
                             "compare it instead (p > 0, p == \"x\"), or return a bool from a task", node)
            return ConditionValue(UnaryCheck(check=name, operand=receiver.binding))  # type: ignore[arg-type]
        if isinstance(receiver, Section):
            return self.section_step(receiver, name, args, kwargs, node)
        if isinstance(receiver, _ThenStep):
            return self.then(receiver, name, args, kwargs, node)
        values = (*args, *kwargs.values())
        if name not in _STORING_METHODS or not isinstance(receiver, (list, dict, set)):
            for v in values:
                if isinstance(v, (PromiseValue, ConditionValue)):
                    check = PROMISE_FORMATTING if isinstance(receiver, str) else PROMISE_VALUE_NEEDED
                    raise Misuse(check, f"`.{name}()` needs the value of a Promise: {_describe(v)}", None, node)
                if isinstance(receiver, str) and contains_placeholder(v):
                    raise Misuse(PROMISE_FORMATTING, f"`.{name}()` formats a Promise", None, node)
        if any(isinstance(v, Opaque) for v in values):
            return Opaque(None, f".{name}()", real=self.mode == "dynamic")
        try:
            result = getattr(receiver, name)(*args, **kwargs)
        except Misuse as m:
            m.node = m.node or node
            raise
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, UnicodeError) as exc:
            raise Misuse(RAISES, f"`.{name}()` raises {type(exc).__name__}: {exc}", None, node) from None
        if isinstance(result, (type({}.keys()), type({}.values()), type({}.items()))):
            return list(result)
        if _size(result) > SIZE_LIMIT:
            raise OutsideSubset("constant too large to evaluate statically", node)
        return result

    # -- flowgen entities -----------------------------------------------------------------------
    def bind_arguments(self, interface: Interface, kind: str, name: str, args: tuple[Any, ...],
                       kwargs: dict[str, Any], node: cst.Call, arg_nodes: dict[Any, cst.CSTNode]) -> dict[str, Any]:
        params = interface.inputs
        bound: dict[str, Any] = {}
        if len(args) > len(params):
            self.report(DUPLICATE_INPUT, f"{kind} {name} takes {len(params)} input(s) but {len(args)} positional "
                        "argument(s) were given", node)
        for i, (p, a) in enumerate(zip(params, args)):
            bound[p.name] = a
            if i in arg_nodes:
                arg_nodes[p.name] = arg_nodes[i]
        for key, value in kwargs.items():
            if key in bound:
                self.report(DUPLICATE_INPUT, f"input {key!r} of {kind} {name} is given twice (by position and by "
                            "keyword)", arg_nodes.get(key, node))
                continue
            if interface.input(key) is None:
                known = ", ".join(p.name for p in params) or "none"
                self.report(UNKNOWN_INPUT, f"{kind} {name} has no input {key!r} (inputs: {known})",
                            arg_nodes.get(key, node))
                continue
            bound[key] = value
        missing = [p.name for p in params if p.name not in bound and not p.has_default]
        if missing and len(bound) == len(args) + len(kwargs):  # else the misnamed argument is the mistake
            self.report(MISSING_INPUT, f"{kind} {name} is missing input(s) {', '.join(repr(m) for m in missing)}",
                        node)
        return bound

    def bind_value(self, value: Any, target: TypeSpec, what: str, node: cst.CSTNode,
                   check: Check = TYPE_MISMATCH) -> Binding | None:
        if isinstance(value, PromiseValue):
            if not is_assignable(value.type, target):
                expected, actual = render_pair(target, value.type)
                self.report(check, f"{what} expects {expected}, but {value.origin} is {actual}", node,
                            wiring_hint(value.type, target))
                return None
            return value.binding
        if isinstance(value, ConditionValue):
            self.report(COMPARISON_AS_BOOL, f"{what} got a comparison of Promises; its value is known only when "
                        "the workflow runs", node, "compute it in a task, or branch on it with conditional()")
            return None
        if isinstance(value, (Section, _ThenStep)):
            section = value if isinstance(value, Section) else value.section
            section.reported = True
            self.report(CONDITIONAL_WITHOUT_ELSE, f"{what} got conditional {section.name!r} without an else_()",
                        node, "finish it with .else_().then(...) or .else_().fail(...)")
            return None
        if isinstance(value, HandleValue):
            self.report(NO_OUTPUTS, f"{what} got the result of node {value.node_id}, which has no outputs", node)
            return None
        if isinstance(value, Opaque):
            return self.bind_opaque(value, target, what, node, check)
        if isinstance(value, (list, dict, tuple)) and contains_placeholder(value):
            return self.bind_container(value, target, what, node, check)
        inner = _contains_opaque(value)
        if inner is not None:
            return self.bind_opaque(inner, target, what, node, check, typed=False)
        if isinstance(value, (EntityValue, PlainFunction, ModuleValue, ExternalValue, ClassValue, BoundMethod,
                              PartialValue, MapTaskValue, LaunchPlanValue)):
            self.report(check, f"{what}: expected {render_type(target)}, got `{self.code(node)}`", node)
            return None
        try:
            return literal_binding(value, target)
        except LiteralMismatch as exc:
            self.report(check, f"{what}: {exc.describe()}", node)
            return None

    def bind_opaque(self, value: Opaque, target: TypeSpec, what: str, node: cst.CSTNode, check: Check,
                    typed: bool = True) -> Binding | None:
        """Nothing to bind (the value is unknown); reports what must be reported about it."""
        if value.poisoned:
            self.failed = True
            return None
        if not value.real:
            self.report(OUTSIDE_SUBSET, f"{what}: the value of `{self.code(node)}` cannot be computed statically",
                        node)
            return None
        if typed and value.type is not None and not is_assignable(value.type, target):
            expected, actual = render_pair(target, value.type)
            self.report(check, f"{what} expects {expected}, but {value.origin} is {actual}", node,
                        wiring_hint(value.type, target))
        return None

    def bind_container(self, value: Any, target: TypeSpec, what: str, node: cst.CSTNode,
                       check: Check) -> Binding | None:
        element_nodes: list[cst.CSTNode] = []
        if isinstance(node, (cst.List, cst.Tuple)) and all(isinstance(e, cst.Element) for e in node.elements):
            element_nodes = [e.value for e in node.elements]
        if isinstance(value, (list, tuple)):
            list_type = variant_of(target, ListType)
            if list_type is None:
                self.report(check, f"{what}: expected {render_type(target)}, got {type(value).__name__}", node)
                return None
            items = []
            for i, v in enumerate(value):
                item_node = element_nodes[i] if len(element_nodes) == len(value) else node
                b = self.bind_value(v, list_type.item, f"{what} item [{i}]", item_node, check)
                if b is None:
                    return None
                items.append(b)
            return ListBinding(items=tuple(items))
        dict_type = variant_of(target, DictType)
        if dict_type is None or not all(isinstance(k, str) for k in value):
            self.report(check, f"{what}: expected {render_type(target)}, got {type(value).__name__}", node)
            return None
        pairs = []
        value_nodes: dict[str, cst.CSTNode] = {}
        if isinstance(node, cst.Dict):
            for e in node.elements:
                if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString):
                    key = e.key.evaluated_value
                    if isinstance(key, str):
                        value_nodes[key] = e.value
        for k, v in value.items():
            b = self.bind_value(v, dict_type.value, f"{what} item [{k!r}]", value_nodes.get(k, node), check)
            if b is None:
                return None
            pairs.append((k, b))
        return DictBinding(items=tuple(pairs))

    def outputs_of(self, node_id: str, interface: Interface, what: str) -> Any:
        assert self.graph is not None
        graph = self.graph

        def promise(name: str, type_: TypeSpec) -> PromiseValue:
            return PromiseValue(NodeOutputRef(node=node_id, output=name), type_,
                                f"output {name!r} of {what} (node {node_id})", node_id, graph)

        form = interface.output_form
        if form == "none":
            return HandleValue(node_id, graph)
        if form == "single":
            out = interface.outputs[0]
            return promise(out.name, out.type)
        promises = tuple(promise(o.name, o.type) for o in interface.outputs)
        if form == "namedtuple" and interface.output_ref is not None:
            named = NamedCallOutputs(promises, tuple(o.name for o in interface.outputs), interface.output_ref)
            named.what = what
            return named
        return CallOutputs(promises, what)

    def callee_ok(self, entity: Entity, node: cst.CSTNode) -> bool:
        if entity.ok:
            return True
        self.failed = True
        if self.parsed is not None and entity.ref.module != self.module:
            problem = entity.problems[0] if entity.problems else None
            detail = f": {problem.message}" if problem is not None else ""
            self.report(OUTSIDE_SUBSET, f"{entity.kind} {entity.name} cannot be used: its definition has "
                        f"errors{detail}", node)
        return False

    def call_entity(self, entity: Entity, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call,
                    arg_nodes: dict[Any, cst.CSTNode]) -> Any:
        if self.mode == "constant" or self.graph is None:
            raise OutsideSubset(f"{entity.kind} {entity.name} called outside a workflow body", node)
        if not self.callee_ok(entity, node):
            return Opaque(None, f"the result of {entity.name}", poisoned=True)
        assert entity.interface is not None
        inputs = self.bind_inputs(entity.interface, entity.kind, entity.name, args, kwargs, node, arg_nodes)
        return self.add_node(entity, entity.interface, inputs, node)

    def bind_inputs(self, interface: Interface, kind: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                    node: cst.Call, arg_nodes: dict[Any, cst.CSTNode]) -> dict[str, Binding]:
        bound = self.bind_arguments(interface, kind, name, args, kwargs, node, arg_nodes)
        inputs: dict[str, Binding] = {}
        for param in interface.inputs:
            if param.name in bound:
                b = self.bind_value(bound[param.name], param.type, f"input {param.name!r} of {kind} {name}",
                                    arg_nodes.get(param.name, node))
                if b is not None:
                    inputs[param.name] = b
        return inputs

    def add_node(self, entity: Entity, interface: Interface, inputs: dict[str, Binding], node: cst.Call,
                 launch_plan: str | None = None) -> Any:
        """The node calling ``entity`` (through launch plan ``launch_plan``), as the tracer's ``add_call`` adds it."""
        assert self.graph is not None
        graph = self.graph
        node_id = graph.next_id()
        call_site = self.site(node)
        if entity.kind == "workflow":
            if entity.name in self.compiler._active:
                cycle = " -> ".join([*self.compiler._active[self.compiler._active.index(entity.name):], entity.name])
                self.report(RECURSIVE_WORKFLOW, f"workflow {entity.name} calls itself ({cycle}); recursive "
                            "workflows are not supported", node)
            else:
                program = self.compiler.compile_workflow(entity)
                if program is None:
                    self.failed = True
                else:
                    graph.workflows.update(program.workflows)
                    graph.tasks.update(program.tasks)
            graph.append(WorkflowNode(id=node_id, call_site=call_site, workflow=entity.name, inputs=inputs,
                                      launch_plan=launch_plan))
        else:
            assert entity.spec is not None
            graph.tasks[entity.name] = entity.spec
            cls = DynamicNode if entity.kind == "dynamic" else TaskNode
            graph.append(cls(id=node_id, call_site=call_site, task=entity.name, inputs=inputs))
        return self.outputs_of(node_id, interface, f"{entity.kind} {entity.name}")

    # -- Echo and LaunchPlan (see flowgen.static.flyte_objects) ----------------------------------
    def construction_site(self, node: cst.Call) -> SourceSpan | None:
        """Where ``node`` starts, also for a module-level constant (what the tracer's ``user_span`` records)."""
        parsed = self.parsed or self.project.parsed_module(self.module)
        if parsed is None:
            return None
        start = parsed.positions.call_start(node, self.stmt)
        if start is None:
            span = parsed.positions.span(node, self.stmt)
            if span is None:
                return None
            start = (span.line, span.column)
        return SourceSpan(file=os.path.abspath(parsed.path), line=start[0], column=start[1])

    def cst_arguments(self, node: cst.Call, names: tuple[str, ...],
                      what: str) -> tuple[dict[str, cst.BaseExpression], dict[str, cst.BaseExpression]]:
        """The argument expressions of a call by parameter name, and the other keywords (unevaluated)."""
        given: dict[str, cst.BaseExpression] = {}
        extra: dict[str, cst.BaseExpression] = {}
        for i, arg in enumerate(node.args):
            if arg.star:
                raise OutsideSubset(f"`{arg.star}` arguments of {what} are outside the static subset", arg)
            if arg.keyword is None:
                if i >= len(names):
                    raise Misuse(RAISES, f"{what} takes at most {len(names)} positional argument(s)", None, node)
                key = names[i]
            else:
                key = arg.keyword.value
            if key in given or key in extra:
                raise Misuse(RAISES, f"{what} got argument {key!r} twice", None, arg)
            (given if key in names else extra)[key] = arg.value
        return given, extra

    def make_echo(self, node: cst.Call) -> EntityValue:
        given, extra = self.cst_arguments(node, ("name", "inputs"), "Echo()")
        name = self.ev(given["name"]) if "name" in given else None
        if not isinstance(name, str):
            raise Misuse(RAISES, "Echo() takes a constant str name", None, given.get("name", node))
        params: list[Param] = []
        inputs = given.get("inputs")
        if inputs is not None and not (isinstance(inputs, cst.Name) and inputs.value == "None"):
            if not isinstance(inputs, cst.Dict):
                raise OutsideSubset(f"Echo {name!r}: inputs are followed statically as a dict literal "
                                    "{\"name\": type, ...}", inputs)
            for e in inputs.elements:
                if not isinstance(e, cst.DictElement):
                    raise OutsideSubset(f"Echo {name!r}: `**` in inputs is outside the static subset", e)
                key = self.ev(e.key)
                if not isinstance(key, str):
                    raise Misuse(RAISES, f"Echo {name!r}: input names are str, not {key!r}", None, e.key)
                try:
                    spec = self.compiler.types.spec(e.value, self.module)
                except UnsupportedType as exc:
                    raise Misuse(UNSUPPORTED_TYPE, f"Echo {name!r}: input {key!r}: {exc}", None, e.value) from None
                params = [p for p in params if p.name != key] + [Param(name=key, type=spec)]
        options: dict[str, Any] = {}
        for key, expr in extra.items():
            if key in FLYTE_ONLY_OPTIONS:
                continue
            if key not in TASK_OPTIONS or key == "name":
                raise Misuse(INVALID_OPTION, f"Echo {name!r}: unknown option(s) {key}",
                             f"known options: {', '.join(sorted(TASK_OPTIONS - {'name'}))}", expr)
            options[key] = self.ev(expr)
        site = self.construction_site(node)
        entity = echo_entity(self.module, name, params, site, site.line if site is not None else 1)
        entity.spec = self.compiler.specs.task_spec(entity, options, 0)
        if entity.problems:
            problem = entity.problems[0]
            raise Misuse(problem.check, problem.message, problem.hint, node)
        return EntityValue(entity)

    def make_launch_plan(self, qualname: str, node: cst.Call) -> LaunchPlanValue:
        method = qualname.rpartition(".")[2]
        what = f"LaunchPlan.{method}()"
        given, _ = self.cst_arguments(node, _FLYTE_BUILDERS[qualname], what)  # other keywords: Flyte's, ignored
        values = {k: self.ev(v) for k, v in given.items() if k != "ctx"}
        for key, value in values.items():
            if contains_placeholder(value) or _contains_opaque(value) is not None:
                raise OutsideSubset(f"{what}: {key} cannot be computed statically", given[key])
        workflow = values.get("workflow")
        if not isinstance(workflow, EntityValue) or workflow.entity.kind != "workflow":
            raise Misuse(RAISES, f"{what} needs a @workflow", None, given.get("workflow", node))
        entity = workflow.entity
        if not entity.ok:
            raise OutsideSubset(f"{what} of workflow {entity.name}, whose definition has errors", node)
        plans = self.compiler.plans
        try:
            if method == "create":
                return plans.create(values.get("name"), entity, values.get("default_inputs"),
                                    values.get("fixed_inputs"))
            if method == "get_or_create":
                return plans.get_or_create(entity, values.get("name"), values.get("default_inputs"),
                                           values.get("fixed_inputs"))
            return plans.get_or_create(entity, None, None, None)
        except PlanError as exc:
            raise Misuse(RAISES, str(exc), None, node) from None

    def call_launch_plan(self, plan: LaunchPlanValue, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call,
                         arg_nodes: dict[Any, cst.CSTNode]) -> Any:
        if self.mode == "constant" or self.graph is None:
            raise OutsideSubset(f"launch plan {plan.name!r} called outside a workflow body", node)
        fixed_given = sorted(set(kwargs) & set(plan.fixed))
        if fixed_given:
            self.report(UNKNOWN_INPUT, f"launch plan {plan.name!r}: input(s) {', '.join(fixed_given)} are fixed",
                        arg_nodes.get(fixed_given[0], node), "a fixed input of a launch plan cannot be given")
            kwargs = {k: v for k, v in kwargs.items() if k not in plan.fixed}
        entity = plan.workflow
        if not self.callee_ok(entity, node):
            return Opaque(None, f"the result of launch plan {plan.name!r}", poisoned=True)
        inputs = self.bind_inputs(plan.interface, entity.kind, entity.name, args, kwargs, node, arg_nodes)
        inputs.update(plan.extra_bindings(set(inputs)))
        return self.add_node(entity, plan.interface, inputs, node, launch_plan=plan.name)

    def make_map_task(self, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call) -> MapTaskValue:
        target = args[0] if args else kwargs.get("target")
        concurrency = args[1] if len(args) > 1 else kwargs.get("concurrency")
        ratio = args[2] if len(args) > 2 else kwargs.get("min_success_ratio", 1.0)
        if ratio is None:  # Flyte's way of saying "the default"
            ratio = 1.0
        fixed: dict[str, Any] = {}
        if isinstance(target, PartialValue):
            if target.args:
                raise Misuse(INVALID_OPTION, "map_task: fix inputs of a partial by keyword, not by position",
                             None, node)
            fixed = dict(target.kwargs)
            target = target.func
        if not isinstance(target, EntityValue) or target.entity.kind != "task":
            raise Misuse(MAP_TASK_NON_LIST, f"map_task maps a @task, not `{self.code(node.args[0].value)}`"
                         if node.args else "map_task needs a @task", None, node)
        entity = target.entity
        if not self.callee_ok(entity, node):
            raise OutsideSubset(f"map_task over {entity.name}, whose definition has errors", node)
        interface = entity.interface
        assert interface is not None
        if len(interface.outputs) > 1:
            raise Misuse(MAP_TASK_NON_LIST, f"map_task: {entity.name} has {len(interface.outputs)} outputs; a mapped "
                         "task has at most one", None, node)
        if not isinstance(ratio, (int, float)) or isinstance(ratio, bool) or not 0.0 <= ratio <= 1.0:
            raise Misuse(INVALID_OPTION, f"map_task: min_success_ratio must be in [0, 1], not {ratio!r}", None, node)
        if concurrency is not None and (not isinstance(concurrency, int) or concurrency < 1):
            raise Misuse(INVALID_OPTION, f"map_task: concurrency must be a positive int, not {concurrency!r}",
                         None, node)
        unknown = sorted(set(fixed) - {p.name for p in interface.inputs})
        if unknown:
            raise Misuse(UNKNOWN_INPUT, f"map_task: {entity.name} has no input(s) {', '.join(unknown)}", None, node)
        mapped = tuple(p.name for p in interface.inputs if p.name not in fixed)
        outputs: tuple[Output, ...] = ()
        if interface.outputs:
            item = interface.outputs[0].type
            outputs = (Output(name="o0", type=ListType(item=optional(item) if ratio < 1 else item)),)
        map_interface = Interface(
            inputs=tuple(Param(name=p.name, type=ListType(item=p.type)) if p.name in mapped else p
                         for p in interface.inputs if p.name not in fixed),
            outputs=outputs, output_form="single" if outputs else "none")
        return MapTaskValue(entity, fixed, concurrency, float(ratio), mapped, map_interface)

    def call_map(self, value: MapTaskValue, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call,
                 arg_nodes: dict[Any, cst.CSTNode]) -> Any:
        if self.graph is None:
            raise OutsideSubset("map_task called outside a workflow body", node)
        entity = value.entity
        bound = self.bind_arguments(value.interface, "map_task over", entity.name, args, kwargs, node, arg_nodes)
        inputs: dict[str, Binding] = {}
        assert entity.interface is not None
        for param in entity.interface.inputs:
            if param.name in value.fixed:
                item, target, what, check = value.fixed[param.name], param.type, f"fixed input {param.name!r}", \
                    TYPE_MISMATCH
                where: cst.CSTNode = node
            elif param.name in bound:
                item, target, what = bound[param.name], ListType(item=param.type), f"mapped input {param.name!r}"
                check = MAP_TASK_NON_LIST
                where = arg_nodes.get(param.name, node)
            else:
                continue
            b = self.bind_value(item, target, f"{what} of map_task over {entity.name}", where, check)
            if b is not None:
                inputs[param.name] = b
        assert entity.spec is not None
        self.graph.tasks[entity.name] = entity.spec
        node_id = self.graph.next_id()
        self.graph.append(MapNode(id=node_id, call_site=self.site(node), task=entity.name, inputs=inputs,
                                  mapped=tuple(m for m in value.mapped if m in bound), concurrency=value.concurrency,
                                  min_success_ratio=value.min_success_ratio, outputs=value.interface.outputs))
        return self.outputs_of(node_id, value.interface, f"map_task({entity.name})")

    # -- conditional ----------------------------------------------------------------------------
    def make_section(self, args: tuple[Any, ...], kwargs: dict[str, Any], node: cst.Call) -> Section:
        if self.graph is None:
            raise OutsideSubset("conditional() outside a workflow body", node)
        name = args[0] if args else kwargs.get("name")
        if not isinstance(name, str):
            raise Misuse(RAISES, "conditional() takes a constant name", None, node)
        section = Section(name=name, parent=self.graph, id=self.graph.next_id(), call_site=self.site(node), node=node)
        self.graph.open_sections.append(section)
        return section

    def section_step(self, section: Section, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                     node: cst.Call) -> Any:
        try:
            return self._section_step(section, name, args, kwargs, node)
        except (Misuse, OutsideSubset):
            section.reported = True  # the rest of its chain was never followed
            raise

    def _section_step(self, section: Section, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                      node: cst.Call) -> Any:
        if name == "else_":
            if not section.cases or section.open is not None:
                raise Misuse(RAISES, f"conditional {section.name!r}: else_ follows if_(...).then(...)", None, node)
            self.open_branch(section, None)
            return _ThenStep(section, is_else=True)
        if (name == "if_" and (section.cases or section.open is not None)) or (
                name == "elif_" and (not section.cases or section.open is not None)):
            order = "if_ comes first, once; use elif_" if name == "if_" else "elif_ follows if_(...).then(...)"
            raise Misuse(RAISES, f"conditional {section.name!r}: {order}", None, node)
        condition = args[0] if args else kwargs.get("condition")
        if isinstance(condition, bool):
            raise Misuse(COMPARISON_AS_BOOL, f"conditional {section.name!r} got a Python bool ({condition}); its value "
                         "was decided at compile time",
                         "build the condition from Promises: p > 3, p.is_true(), combined with & and |", node)
        if isinstance(condition, PromiseValue):
            raise Misuse(COMPARISON_AS_BOOL, f"conditional {section.name!r}: a Promise is not a condition by itself",
                         "use promise.is_true(), promise.is_false() or promise.is_none(), or compare it", node)
        if isinstance(condition, Opaque):
            if not condition.poisoned:
                raise OutsideSubset(f"conditional {section.name!r}: the condition cannot be computed statically", node)
            self.failed = True
            condition = None
        elif not isinstance(condition, ConditionValue):
            raise Misuse(COMPARISON_AS_BOOL, f"conditional {section.name!r}: {condition!r} is not a condition",
                         "compare Promises (p > 3) or use p.is_true(); combine with & and |", node)
        self.open_branch(section, condition)
        return _ThenStep(section, is_else=False)

    def open_branch(self, section: Section, condition: ConditionValue | None) -> None:
        index = len(section.cases)
        parent = section.parent
        branch = Graph(parent.kind, parent.owner, parent.tasks, parent.workflows,
                       prefix=f"{section.id}.b{index}.", parent=parent)
        section.open = _Branch(branch, condition)
        self.graph = branch

    def close_branch(self, section: Section, value: Any, node: cst.CSTNode) -> tuple[_Branch, tuple[Any, ...]]:
        opened = section.open
        assert opened is not None
        for inner in opened.graph.open_sections:
            if not inner.closed and not inner.reported:
                self.report(CONDITIONAL_WITHOUT_ELSE, f"conditional {inner.name!r} has no else_()", inner.node)
        self.graph = section.parent
        section.open = None
        if isinstance(value, HandleValue) or value is None:
            values: tuple[Any, ...] = ()
        elif isinstance(value, tuple):
            values = tuple(value)
        else:
            values = (value,)
        return opened, values

    def then(self, step: _ThenStep, name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
             node: cst.Call) -> Any:
        section = step.section
        if section.open is None or step.used:
            raise Misuse(RAISES, f"conditional {section.name!r}: {name}() used twice", None, node)
        step.used = True
        value = args[0] if args else kwargs.get("value", kwargs.get("message"))
        if not step.is_else:
            opened, values = self.close_branch(section, value, node)
            condition = opened.condition
            if condition is None:  # an unknown condition, already reported
                condition = ConditionValue(UnaryCheck(check="is_true", operand=InputRef(name="?")))
            section.cases.append((condition, opened.graph, values))
            return section
        fail_message = None
        if name == "fail":
            fail_message = str(value) if not isinstance(value, (PromiseValue, Opaque)) else None
            if fail_message is None:
                raise Misuse(RAISES, "fail() takes a constant message", None, node)
            value = None
        opened, else_values = self.close_branch(section, value, node)
        return self.finish(section, opened, else_values, fail_message, node)

    def finish(self, section: Section, opened: _Branch, else_values: tuple[Any, ...], fail_message: str | None,
               node: cst.CSTNode) -> Any:
        results = [vals for _, _, vals in section.cases] + ([] if fail_message is not None else [else_values])
        section.closed = True
        section.parent.open_sections.remove(section)
        arity = branch_arity([len(v) for v in results])
        types: list[TypeSpec] = []
        for i in range(arity):
            item_types = []
            for vals in results:
                if isinstance(vals[i], Opaque) and (vals[i].poisoned or not vals[i].real):
                    if vals[i].poisoned:
                        self.failed = True
                        return Opaque(None, f"conditional {section.name!r}", poisoned=True)
                    raise OutsideSubset(f"conditional {section.name!r}: a branch result cannot be computed "
                                        "statically", node)
                t = vals[i].type if isinstance(vals[i], (PromiseValue, Opaque)) else type_of(vals[i])
                if t is None:
                    raise Misuse(TYPE_MISMATCH, f"conditional {section.name!r}: cannot use {vals[i]!r} as a branch "
                                 "result", None, node)
                item_types.append(t)
            types.append(common_type(item_types))
        outputs = tuple(Output(name=f"o{i}", type=t) for i, t in enumerate(types))

        def bind(values: tuple[Any, ...]) -> dict[str, Binding]:
            bound = {}
            for o, v in zip(outputs, values):
                b = self.bind_value(v, o.type, f"branch result {o.name} of conditional {section.name!r}", node)
                if b is not None:
                    bound[o.name] = b
            return bound

        cases = tuple(
            Case(condition=cond.condition, branch=Branch(nodes=tuple(graph.nodes), outputs=bind(vals)))
            for cond, graph, vals in section.cases
        )
        else_branch = Branch(nodes=tuple(opened.graph.nodes),
                             outputs={} if fail_message is not None else bind(else_values), fail_message=fail_message)
        section.parent.append(ConditionalNode(id=section.id, call_site=section.call_site, name=section.name,
                                              cases=cases, else_branch=else_branch, outputs=outputs))
        form = "none" if arity == 0 else ("single" if arity == 1 else "tuple")
        saved, self.graph = self.graph, section.parent
        try:
            return self.outputs_of(section.id, Interface(outputs=outputs, output_form=form),  # type: ignore[arg-type]
                                   f"conditional {section.name!r}")
        finally:
            self.graph = saved

    # -- outputs --------------------------------------------------------------------------------
    def bind_outputs(self, returned: Any, interface: Interface, what: str,
                     node: cst.CSTNode) -> dict[str, Binding] | None:
        outputs = interface.outputs
        form = interface.output_form
        if isinstance(returned, Opaque) and returned.poisoned:
            self.failed = True
            return None
        if form == "none":
            if returned is not None and not isinstance(returned, HandleValue):
                self.report(RETURN_MISMATCH, f"{what} declares no outputs (-> None) but returns "
                            f"`{self.code(node)}`", node, "add a return annotation")
                return None
            return {}
        if form == "single":
            b = self.bind_value(returned, outputs[0].type, f"the return value of {what}", node, RETURN_MISMATCH)
            return {outputs[0].name: b} if b is not None else None
        if not isinstance(returned, tuple) or len(returned) != len(outputs):
            count = len(returned) if isinstance(returned, tuple) else (0 if returned is None else 1)
            self.report(RETURN_MISMATCH, f"{what} declares {len(outputs)} outputs but returns {count} value(s)", node)
            return None
        element_nodes: list[cst.CSTNode] = []
        if isinstance(node, cst.Tuple) and len(node.elements) == len(outputs):
            element_nodes = [e.value for e in node.elements]
        bound: dict[str, Binding] = {}
        for i, (o, v) in enumerate(zip(outputs, returned)):
            b = self.bind_value(v, o.type, f"output {o.name!r} of {what}",
                                element_nodes[i] if element_nodes else node, RETURN_MISMATCH)
            if b is None:
                return None
            bound[o.name] = b
        return bound


@dataclass
class _ThenStep:
    section: Section
    is_else: bool
    used: bool = False


# Standard-library functions that compute on their arguments' values: a Promise passed
# to one raises at trace time (TypeError), so it is reported as FG107, not as "cannot tell".
_VALUE_MODULES = ("math.", "cmath.", "statistics.", "operator.")
_VALUE_FUNCTIONS = frozenset({"json.dumps", "json.dump", "decimal.Decimal", "fractions.Fraction"})


def _needs_values(qualname: str) -> bool:
    return qualname in _VALUE_FUNCTIONS or qualname.startswith(_VALUE_MODULES)


def _describe(value: Any) -> str:
    if isinstance(value, PromiseValue):
        return value.describe()
    if isinstance(value, ConditionValue):
        return "it is a comparison of Promises"
    return repr(value)


def _item_type(spec: TypeSpec | None) -> TypeSpec | None:
    if spec is None:
        return None
    spec = _strip_optional(spec)
    if isinstance(spec, ListType):
        return spec.item
    if isinstance(spec, DictType):
        return primitive("str")
    if isinstance(spec, PrimitiveType) and spec.name == "str":
        return primitive("str")
    return None


def _assigned_names(stmt: cst.CSTNode) -> set[str]:
    """Every name a statement (with everything nested in it) may bind."""
    names: set[str] = set()

    class Collector(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            names.update(_names_in(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            names.update(_names_in(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            names.update(_names_in(node.target))

        def visit_For(self, node: cst.For) -> None:
            names.update(_names_in(node.target))

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            names.update(_names_in(node.target))

        def visit_AsName(self, node: cst.AsName) -> None:
            names.update(_names_in(node.name))

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            names.add(node.name.value)
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            names.add(node.name.value)
            return False

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            if node.asname is None:
                names.add((summary_dotted(node.name) or "").split(".")[0])

        def visit_CompFor(self, node: cst.CompFor) -> bool:
            return False

    stmt.visit(Collector())
    names.discard("")
    return names


def _names_in(target: cst.CSTNode) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for e in target.elements:
            yield from _names_in(e.value)
    elif isinstance(target, cst.StarredElement):
        yield from _names_in(target.value)
    elif isinstance(target, cst.Del):
        yield from _names_in(target.target)
