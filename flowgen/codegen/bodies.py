"""One body of one workflow, emitted: ``_<wf>_checked`` or ``_<wf>_fast``, one line per node.

The checked body calls each node's shape helper with the node's id
(``n0_add: int = _n_basics_add(_p, "n0", a=start)``): validation and copies at every node
boundary, as the interpreter. The fast body calls the task functions directly
(``n0_add: int = _f_add(a=start, b=1)``) inside one ``try`` whose handler names the failing
node from the body's line table. A fan-out run (:func:`flowgen.codegen.dataflow.fan_runs`)
is one line in both, bound to a list that its readers index or unpack.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Protocol

from flowgen.codegen.annotations import GenerationError, annotation
from flowgen.codegen.context import ModuleContext, attr_chain
from flowgen.codegen.dataflow import FanRun, binding_reads, fan_runs, node_reads
from flowgen.codegen.literals import literal_expr
from flowgen.codegen.names import NameTable, is_identifier, sanitize
from flowgen.codegen.pyast import COMPARE_OPS, assign, assign_many, call, const, load, store, subscript
from flowgen.codegen.validate import function_parts, node_outputs
from flowgen.codegen.wiring import NodeLine, Wiring, site_key
from flowgen.ir.model import (
    AttrStep,
    Binding,
    BoolOp,
    Branch,
    Comparison,
    Condition,
    ConditionalNode,
    DictBinding,
    DynamicNode,
    InputRef,
    Interface,
    ListBinding,
    LiteralBinding,
    MapNode,
    Node,
    NodeOutputRef,
    PathStep,
    Program,
    TaskNode,
    TaskSpec,
    UnaryCheck,
    WorkflowNode,
    WorkflowSpec,
)

__all__ = ["RELEASE_FROM_NODES", "Body", "Emitting"]

# Bodies with this many top-level nodes or more ``del`` each value after its last reader.
RELEASE_FROM_NODES = 8


class Emitting(Protocol):
    """What a body needs from the module being emitted."""

    program: Program
    ctx: ModuleContext
    wiring: Wiring
    workflow_short: dict[str, str]
    body_names: dict[str, tuple[str, str]]

    def line_table_name(self, wf: WorkflowSpec) -> str: ...

    def reads(self, wf: WorkflowSpec) -> set[tuple[str, str]]: ...

    def interface_const(self, interface: Interface) -> ast.expr: ...

    def outputs_const(self, node: ConditionalNode) -> ast.expr: ...

    def dynamic_plan(self, spec: TaskSpec) -> str | None: ...


class Body:
    """Emits one body (checked or fast) of one workflow."""

    def __init__(self, emitter: Emitting, wf: WorkflowSpec, fast: bool) -> None:
        self.e = emitter
        self.ctx = emitter.ctx
        self.wf = wf
        self.fast = fast
        self.scope = NameTable(parent=emitter.ctx.scope)
        for p in wf.interface.inputs:
            self.scope.reserve(p.name)
        self.prefix = self.scope.new("_p")
        self.values: dict[tuple[str, str], str] = {}
        self.run_index: dict[tuple[str, str], int] = {}  # an output of a fan-out run -> its index in the list
        self.run_keys: dict[str, list[tuple[str, str]]] = {}  # a run's list variable -> its outputs, in order
        self.lines: list[NodeLine] = []
        self.short = emitter.workflow_short[wf.name]
        self.read = emitter.reads(wf)

    # -- bindings -----------------------------------------------------------------------------
    def _path(self, value: ast.expr, path: tuple[PathStep, ...], what: Callable[[list[ast.expr]], ast.expr]) -> ast.expr:
        if not path:
            return value
        if self.fast:
            for step in path:
                if isinstance(step, AttrStep) and is_identifier(step.name):
                    value = ast.Attribute(value=value, attr=step.name, ctx=ast.Load())
                elif isinstance(step, AttrStep):
                    value = call(self.ctx.builtin("getattr"), [value, const(step.name)])
                else:
                    value = ast.Subscript(value=value, slice=const(step.key), ctx=ast.Load())
            return value
        steps: list[ast.expr] = [
            ast.Tuple(elts=[const("attr" if isinstance(s, AttrStep) else "index"),
                            const(s.name if isinstance(s, AttrStep) else s.key)], ctx=ast.Load())
            for s in path
        ]
        return what([value, *steps])

    def _output(self, key: tuple[str, str]) -> ast.expr:
        var = load(self.values[key])
        index = self.run_index.get(key)
        return var if index is None else ast.Subscript(value=var, slice=const(index), ctx=ast.Load())

    def _whole_run(self, items: tuple[Binding, ...], at: int) -> str | None:
        """The run variable whose every output ``items[at:]`` starts with, in order, if any."""
        item = items[at]
        if not isinstance(item, NodeOutputRef) or item.path or self.run_index.get((item.node, item.output)) != 0:
            return None
        var = self.values[(item.node, item.output)]
        keys = self.run_keys[var]
        window = items[at:at + len(keys)]
        if len(window) == len(keys) and all(
                isinstance(b, NodeOutputRef) and not b.path and (b.node, b.output) == k for b, k in zip(window, keys)):
            return var
        return None

    def binding(self, b: Binding, what: Callable[[list[ast.expr]], ast.expr], context: str) -> ast.expr:
        if isinstance(b, InputRef):
            return self._path(load(b.name), b.path, what)
        if isinstance(b, NodeOutputRef):
            return self._path(self._output((b.node, b.output)), b.path, what)
        if isinstance(b, LiteralBinding):
            return literal_expr(self.ctx, b.value, b.type, self.e.wiring.type_const, context)
        if isinstance(b, ListBinding):
            elts: list[ast.expr] = []
            at = 0
            while at < len(b.items):
                run = self._whole_run(b.items, at) if self.run_keys else None
                if run is not None:  # a fan-in of a whole run: its list, unpacked
                    elts.append(ast.Starred(value=load(run), ctx=ast.Load()))
                    at += len(self.run_keys[run])
                else:
                    elts.append(self.binding(b.items[at], what, context))
                    at += 1
            return ast.List(elts=elts, ctx=ast.Load())
        if isinstance(b, DictBinding):
            return ast.Dict(keys=[const(k) for k, _ in b.items],
                            values=[self.binding(v, what, context) for _, v in b.items])
        raise GenerationError(f"unknown binding {b!r}")

    def _take_for(self, text: str) -> Callable[[list[ast.expr]], ast.expr]:
        def what(args: list[ast.expr]) -> ast.expr:
            return call(self.ctx.helper_attr("take"), [args[0], const(text), *args[1:]])
        return what

    def node_inputs(self, node: Node, interface: Interface) -> list[tuple[str, ast.expr]]:
        """Keyword arguments of a node, in the callee's input order (fresh defaults when fast)."""
        assert not isinstance(node, ConditionalNode)
        what = self._take_for(f"node {node.id} of {self.wf.name}")
        args: list[tuple[str, ast.expr]] = []
        for param in interface.inputs:
            if param.name in node.inputs:
                args.append((param.name, self.binding(node.inputs[param.name], what,
                                                      f"node {node.id} of {self.wf.name}, input {param.name!r}")))
            elif self.fast and isinstance(node, TaskNode):
                args.append((param.name, literal_expr(self.ctx, param.default, param.type, self.e.wiring.type_const,
                                                      f"default of input {param.name!r}")))
        return args

    # -- node variables -----------------------------------------------------------------------
    def _unused(self, node: Node, output: str) -> str:  # an output nothing reads is named like a dummy
        return "" if (node.id, output) in self.read else "_"

    def _targets(self, node: Node, label: str) -> tuple[list[str], ast.expr | None]:
        outputs, _ = node_outputs(self.e.program, node)
        base = sanitize(node.id.replace(".", "_")) + "_" + label
        if len(outputs) == 1:
            var = self.scope.new(self._unused(node, outputs[0].name) + base)
            self.values[(node.id, outputs[0].name)] = var
            return [var], annotation(self.ctx, outputs[0].type)
        names = []
        for o in outputs:
            var = self.scope.new(f"{self._unused(node, o.name)}{base}_{o.name}")
            self.values[(node.id, o.name)] = var
            names.append(var)
        return names, None

    def _bind(self, targets: list[str], ann: ast.expr | None, value: ast.expr) -> ast.stmt:
        if not targets:
            return ast.Expr(value=value)
        if len(targets) == 1:
            return assign(targets[0], value, ann)
        return assign_many(targets, value)

    # -- nodes --------------------------------------------------------------------------------
    def _helper(self, node: TaskNode | DynamicNode | MapNode) -> str:
        """The shape helper of a task, dynamic or map node (shared by both bodies)."""
        w = self.e.wiring
        spec = self.e.program.tasks[node.task]
        label = function_parts(spec.function, f"task {spec.name}")[1][-1]
        mapped = (node.mapped, node.min_success_ratio) if isinstance(node, MapNode) else None
        key = (self.wf.name, node.kind, spec.name, site_key(node.call_site), mapped)

        def make() -> ast.expr:
            args = [load(w.spec(spec)), load(w.function(spec)), const(self.wf.name), w.site(node.call_site)]
            if isinstance(node, MapNode):
                return call(self.ctx.helper_attr("MapNode"),
                            [*args, ast.Tuple(elts=[const(m) for m in node.mapped], ctx=ast.Load()),
                             const(node.min_success_ratio)])
            if isinstance(node, DynamicNode):
                plan = self.e.dynamic_plan(spec)
                return call(self.ctx.helper_attr("DynamicNode"), args,
                            [("plan", load(plan))] if plan is not None else None)
            return call(self.ctx.helper_attr("TaskNode"), args)

        return w.shape_helper(key, f"_n_{self.short}_{sanitize(label)}", make)

    def _direct(self, node: Node) -> bool:
        """Whether the fast body calls the task function itself (no policy to apply)."""
        if not (self.fast and isinstance(node, TaskNode)):
            return False
        spec = self.e.program.tasks[node.task]
        if spec.interface.output_form == "namedtuple" and len(spec.interface.outputs) == 1:
            return False  # the function may return the field bare or the NamedTuple: the helper unwraps it
        return spec.cache is None and spec.retries == 0 and spec.timeout_seconds is None

    def node(self, node: Node) -> list[ast.stmt]:
        if isinstance(node, ConditionalNode):
            return self.conditional(node)
        program = self.e.program
        w = self.e.wiring
        prefix = load(self.prefix)
        if isinstance(node, WorkflowNode):
            sub = program.workflows[node.workflow]
            targets, ann = self._targets(node, self.e.workflow_short[sub.name])
            helper = w.shape_helper(
                (self.wf.name, "workflow", sub.name, site_key(node.call_site)),
                f"_n_{self.short}_{self.e.workflow_short[sub.name]}",
                lambda: call(self.ctx.helper_attr("WorkflowNode"),
                             [self.e.interface_const(sub.interface), const(sub.name), const(self.wf.name),
                              w.site(node.call_site)]))
            body = self.e.body_names[sub.name][1 if self.fast else 0]
            func = attr_chain(helper, "fast") if self.fast else load(helper)
            stmt = self._bind(targets, ann, call(func, [prefix, const(node.id), load(body)],
                                                 self.node_inputs(node, sub.interface)))
            self.lines.append(NodeLine(stmt, node.id, helper))
            return [stmt]
        spec = program.tasks[node.task]
        label = function_parts(spec.function, f"task {spec.name}")[1][-1]
        targets, ann = self._targets(node, label)
        helper = self._helper(node)
        if self._direct(node):
            value: ast.expr = call(load(w.function(spec)), [], self.node_inputs(node, spec.interface))
        else:
            value = call(load(helper), [prefix, const(node.id)], self.node_inputs(node, spec.interface))
        stmt = self._bind(targets, ann, value)
        self.lines.append(NodeLine(stmt, node.id, helper))
        return [stmt]

    def fan(self, run: FanRun) -> list[ast.stmt]:
        """A fan-out run: one line, bound to the list of its nodes' outputs."""
        nodes = self.wf.nodes[run.start:run.start + run.count]
        head, last = nodes[0], nodes[-1]
        assert isinstance(head, TaskNode)
        spec = self.e.program.tasks[head.task]
        label = function_parts(spec.function, f"task {spec.name}")[1][-1]
        (output,), _ = node_outputs(self.e.program, head)
        keys = [(n.id, output.name) for n in nodes]
        unused = "" if any(k in self.read for k in keys) else "_"
        var = self.scope.new(f"{unused}{sanitize(head.id)}_{sanitize(last.id)}_{label}")
        for index, key in enumerate(keys):
            self.values[key] = var
            self.run_index[key] = index
        self.run_keys[var] = keys
        helper = self._helper(head)
        inputs = self.node_inputs(head, spec.interface)
        if self._direct(head):
            value = call(self.ctx.helper_attr("fan"), [load(self.e.wiring.function(spec)), const(run.count)], inputs)
        else:
            value = call(attr_chain(helper, "fan"),
                         [load(self.prefix), const(run.ids), const(run.first), const(run.count)], inputs)
        stmt = assign(var, value, subscript(self.ctx.builtin("list"), [annotation(self.ctx, output.type)]))
        self.lines.append(NodeLine(stmt, (run.ids, run.first, run.count), helper))
        return [stmt]

    def conditional(self, node: ConditionalNode) -> list[ast.stmt]:
        w = self.e.wiring
        helper = w.shape_helper((self.wf.name, "conditional", node.id),
                                f"_n_{self.short}_{sanitize(node.id.replace('.', '_'))}",
                                lambda: call(self.ctx.helper_attr("ConditionalNode"), [
                                    const(node.name), const(node.id), const(self.wf.name),
                                    w.site(node.call_site), self.e.outputs_const(node)]))
        targets, _ann = self._targets(node, sanitize(node.name))
        stmts: list[ast.stmt] = []
        for target, o in zip(targets, node.outputs):
            stmts.append(ast.AnnAssign(target=store(target), annotation=annotation(self.ctx, o.type), value=None,
                                       simple=1))

        def take(args: list[ast.expr]) -> ast.expr:
            return call(attr_chain(helper, "take"), [load(self.prefix), *args])

        def branch(b: Branch) -> list[ast.stmt]:
            out: list[ast.stmt] = []
            for inner in b.nodes:
                out += self.node(inner)
            if b.fail_message is not None:
                out.append(ast.Expr(value=call(attr_chain(helper, "fail"), [load(self.prefix),
                                                                             const(b.fail_message)])))
                return out
            for target, o in zip(targets, node.outputs):
                out.append(assign(target, self.binding(b.outputs[o.name], take,
                                                       f"conditional {node.name!r}, output {o.name!r}")))
            return out or [ast.Pass()]

        def condition(c: Condition) -> ast.expr:
            if isinstance(c, Comparison):
                left = self.binding(c.left, take, f"conditional {node.name!r}")
                right = self.binding(c.right, take, f"conditional {node.name!r}")
                if self.fast:
                    return ast.Compare(left=left, ops=[COMPARE_OPS[c.op]], comparators=[right])
                return call(attr_chain(helper, "compare"), [load(self.prefix), left, const(c.op), right])
            if isinstance(c, BoolOp):
                op: ast.boolop = ast.And() if c.op == "and" else ast.Or()
                return ast.BoolOp(op=op, values=[condition(c.left), condition(c.right)])
            if isinstance(c, UnaryCheck):
                operand = self.binding(c.operand, take, f"conditional {node.name!r}")
                wanted = {"is_true": True, "is_false": False, "is_none": None}[c.check]
                return ast.Compare(left=operand, ops=[ast.Is()], comparators=[const(wanted)])
            raise GenerationError(f"unknown condition {c!r}")

        chain: list[ast.stmt] = branch(node.else_branch)
        for case in reversed(node.cases):
            chain = [ast.If(test=condition(case.condition), body=branch(case.branch), orelse=chain)]
        stmts += chain
        if not self.fast and targets:
            check = call(attr_chain(helper, "checked"), [load(self.prefix)],
                         [(o.name, load(t)) for t, o in zip(targets, node.outputs)])
            stmts.append(self._bind(targets, None, check))
        return stmts

    # -- releases -----------------------------------------------------------------------------
    def _releases(self) -> list[list[str]]:
        """Per top-level node, the variables to ``del`` after it: those it is the last reader of.

        As the interpreter's plan releases a node's outputs after their last consumer, a long
        body does not hold every intermediate value until it returns:

        * only bodies of :data:`RELEASE_FROM_NODES` top-level nodes or more: a short body
          returns soon anyway and stays one statement per node for its reader;
        * only variables bound at the top level, after the top-level statement (a whole
          ``conditional``, a whole fan-out run) that reads them last; variables of a branch
          live in the branch;
        * not after the last node (the return that follows frees everything), not the
          workflow's outputs, and not an output nothing reads (a ``_``-named local, left to
          the return as the interpreter leaves it in its value table).
        """
        if len(self.wf.nodes) < RELEASE_FROM_NODES:
            return [[] for _ in self.wf.nodes]
        ids = {n.id for n in self.wf.nodes}
        top = {key: var for key, var in self.values.items() if key[0] in ids}
        kept = {top[r] for b in self.wf.outputs.values() for r in binding_reads(b) if r in top}
        last: dict[str, int] = {}
        for i, node in enumerate(self.wf.nodes):
            for read in node_reads(node):
                if read in top:
                    last[top[read]] = i
        releases: list[list[str]] = [[] for _ in self.wf.nodes]
        for var, i in last.items():
            if var not in kept and i < len(self.wf.nodes) - 1:
                releases[i].append(var)
        return releases

    # -- the function -------------------------------------------------------------------------
    def function(self, name: str) -> ast.FunctionDef:
        runs = fan_runs(self.e.program, self.wf.nodes)
        groups: list[tuple[int, int, list[ast.stmt]]] = []  # (first node index, node count, statements)
        i = 0
        while i < len(self.wf.nodes):
            run = runs.get(i)
            if run is not None:
                groups.append((i, run.count, self.fan(run)))
                i += run.count
            else:
                groups.append((i, 1, self.node(self.wf.nodes[i])))
                i += 1
        releases = self._releases()
        stmts: list[ast.stmt] = []
        for first, count, group in groups:
            stmts += group
            released = list(dict.fromkeys(v for r in releases[first:first + count] for v in r))
            if released:
                stmts.append(ast.Delete(targets=[store(v) for v in released]))
        what = {o: self._take_for(f"output {o!r} of {self.wf.name}") for o in self.wf.outputs}
        result = ast.Dict(keys=[const(k) for k in self.wf.outputs],
                          values=[self.binding(b, what[k], f"output {k!r} of {self.wf.name}")
                                  for k, b in self.wf.outputs.items()])
        stmts.append(ast.Return(value=result))
        kind = "fast (validation off)" if self.fast else "checked (validation on)"
        doc = ast.Expr(value=const(f"Body of workflow {self.wf.name}: {kind}."))
        if self.fast:
            err = self.scope.new("_e")
            handler = ast.ExceptHandler(
                type=self.ctx.helper_attr("TASK_EXCEPTIONS"), name=err,
                body=[ast.Expr(value=call(self.ctx.helper_attr("fast_failure"), [
                    load(err), load(self.prefix), const(self.wf.name), load(self.e.line_table_name(self.wf))]))],
            )
            stmts = [ast.Try(body=stmts, handlers=[handler], orelse=[], finalbody=[])]
        args = [ast.arg(arg=self.prefix, annotation=self.ctx.builtin("str"))]
        args += [ast.arg(arg=p.name, annotation=annotation(self.ctx, p.type)) for p in self.wf.interface.inputs]
        returns = subscript(self.ctx.builtin("dict"), [self.ctx.builtin("str"),
                                                       attr_chain(self.ctx.module("typing"), "Any")])
        return ast.FunctionDef(
            name=name, args=ast.arguments(posonlyargs=[], args=args, vararg=None, kwonlyargs=[], kw_defaults=[],
                                          kwarg=None, defaults=[]),
            body=[doc, *stmts], decorator_list=[], returns=returns, type_comment=None, lineno=0,
        )
