"""Reporting: every plugin error goes through here, with its code and a flowgen hint."""

from __future__ import annotations

from mypy.errorcodes import ErrorCode
from mypy.messages import format_type
from mypy.nodes import Context
from mypy.plugin import CheckerPluginInterface
from mypy.types import Type


def show(api: CheckerPluginInterface, typ: Type) -> str:
    return format_type(typ, api.options)


def show_pair(api: CheckerPluginInterface, expected: Type, actual: Type, actual_inner: Type) -> tuple[str, str]:
    """``expected`` and ``actual`` for a message; both fully qualified when ``expected`` and
    ``actual_inner`` (what ``actual`` carries) read the same but are different types:
    "expects "Point", but gets "Promise[Point]"" would explain nothing."""
    if show(api, expected) != show(api, actual_inner):
        return show(api, expected), show(api, actual)
    qualified = format_type(actual_inner, api.options, verbosity=2)
    got = qualified if actual is actual_inner else f'"Promise[{qualified.strip(chr(34))}]"'
    return format_type(expected, api.options, verbosity=2), got


def report(api: CheckerPluginInterface, message: str, context: Context, code: ErrorCode, hint: str = "") -> None:
    text = f"{message}; {hint}" if hint else message
    api.fail(text, context, code=code)


def report_operator(
    api: CheckerPluginInterface, message: str, context: Context, code: ErrorCode, hint: str = ""
) -> None:
    """Report from an operator's hook, past the error filter mypy tries operators under.

    mypy checks ``a == b`` and ``a + b`` by trying ``a.__eq__(b)``, then ``b.__eq__(a)``,
    each with its errors filtered, and keeps the first that gives no error: a report from
    ``Promise.__eq__`` would make mypy settle on ``int.__eq__(object)`` and drop it, and a
    report from ``Promise.__radd__`` would end as "Unsupported operand types". Use only
    for what is wrong whichever way mypy reads the operator; mypy reports an identical
    message on one line once, so a speculative second try does not show twice.
    """
    errors = getattr(getattr(api, "msg", None), "errors", None)
    watchers = getattr(errors, "_watchers", None)
    if not isinstance(watchers, list):  # pragma: no cover - another mypy
        report(api, message, context, code, hint)
        return
    saved = watchers[:]
    watchers.clear()
    try:
        report(api, message, context, code, hint)
    finally:
        watchers[:] = saved
