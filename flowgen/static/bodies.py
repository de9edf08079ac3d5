"""The static compiler: run a workflow body in the abstract and record the graph.

A ``@workflow`` body is plain Python that the tracer runs once with Promise
inputs. This package runs the same body from its CST with the values of
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

:class:`BodyCompiler` is assembled from one mixin per construct, each in its own module:

=========================  =====================================================
module                     owns
=========================  =====================================================
``body_base``              state of a body, locating and reporting findings
``statements``             statements, assignment, ``if``/``for``/``while``
``expressions``            constants, names, containers, operators, comprehensions
``promise_exprs``          truth, attributes, indexing and comparison of Promises
``calls``                  calls: dispatch, builtins, methods, external functions
``binding``                binding values to interfaces; task/workflow nodes
``launch_plans``           ``Echo`` and ``LaunchPlan`` objects and their calls
``map_tasks``              ``map_task``
``conditionals``           ``conditional(...)`` chains
``compiler``               module-level objects, the per-workflow cache
=========================  =====================================================

This module holds the entry of a workflow or ``@dynamic`` body: its inputs
become Promises (workflow) or real :class:`Opaque` values (``@dynamic``), and
what it returns is bound to its outputs.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from flowgen.ir.model import Binding, InputRef
from flowgen.static.abstract_values import BreakSignal, ContinueSignal, ReturnSignal
from flowgen.static.binding import BindingMixin
from flowgen.static.calls import CallsMixin
from flowgen.static.checks import CONDITIONAL_WITHOUT_ELSE, OUTSIDE_SUBSET
from flowgen.static.conditionals import ConditionalsMixin
from flowgen.static.expressions import ExpressionsMixin
from flowgen.static.launch_plans import LaunchPlansMixin
from flowgen.static.map_tasks import MapTasksMixin
from flowgen.static.promise_exprs import PromiseExpressionsMixin
from flowgen.static.statements import StatementsMixin
from flowgen.static.values import Opaque, PromiseValue

__all__ = ["BodyCompiler"]


class BodyCompiler(StatementsMixin, ExpressionsMixin, PromiseExpressionsMixin, CallsMixin, BindingMixin,
                   LaunchPlansMixin, MapTasksMixin, ConditionalsMixin):
    """Runs one body (or one module-level expression, in \"constant\" mode) in the abstract."""

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
        except ReturnSignal as r:
            returned, return_node = r.value, r.node
        except (BreakSignal, ContinueSignal):
            pass
        except RecursionError:
            self.report(OUTSIDE_SUBSET, "the body is nested too deeply to follow statically", fn.name)
            return None
        outputs = self.bind_outputs(returned, entity.interface, f"{entity.kind} {entity.name}", return_node)
        for section in self.graph.open_sections:
            if not section.closed and not section.reported:
                self.report(CONDITIONAL_WITHOUT_ELSE, f"conditional {section.name!r} has no else_()", section.node)
        return outputs
