"""``conditional(...)...then(x)``: typed as the branches' common type, as at run time.

The stub threads the type so far through ``ConditionalSection[T]``; each ``then(x)``
(``x`` a value or a Promise of one) replaces the stub's union with the runtime's
common type (compat.common_type: the first branch type all others fit, so ``int``
and ``float`` branches give ``float``; else a union). ``.else_().then(x)`` and
``.else_().fail(msg)`` give ``Promise[T]``.
"""

from __future__ import annotations

from mypy.plugin import MethodContext
from mypy.types import Instance, LiteralType, Type, get_proper_type

from flowgen.mypy_plugin.compat import common_type
from flowgen.mypy_plugin.types_util import promised


def _value_type(typ: Type) -> Type:
    inner = promised(typ)
    if inner is not None:
        return inner
    proper = get_proper_type(typ)
    return proper.fallback if isinstance(proper, LiteralType) else typ


def then_call(ctx: MethodContext) -> Type:
    result = get_proper_type(ctx.default_return_type)
    section = get_proper_type(ctx.type)
    if not isinstance(result, Instance) or len(result.args) != 1 or not isinstance(section, Instance):
        return ctx.default_return_type
    if not section.args or not ctx.arg_types or not ctx.arg_types[0]:
        return ctx.default_return_type
    so_far = section.args[0]
    branch = _value_type(ctx.arg_types[0][0])
    return result.copy_modified(args=[common_type([so_far, branch])])
