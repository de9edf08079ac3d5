"""How task functions travel to worker processes and Dask workers.

The IR names a task's function by reference (``module:qualname``), and the
object found there is the ``@task`` entity, not the function, so plain pickle
cannot send the function itself by reference. A :class:`ShippedFunction` picks
one of two ways:

==============================================  =====================================
the task's function                             travels as
==============================================  =====================================
module-level, in an imported module             its reference; the worker imports the
                                                module and takes the entity's ``fn``
in ``__main__``, or local to a function         its ``cloudpickle`` payload (by value),
                                                made once per function in the driver
==============================================  =====================================

By reference is the default because it is what plain Dask does for plain
functions, costs nothing to send, and works for functions whose module holds
unpicklable state (locks, clients). Local workers inherit the driver's
``sys.path``, so a workflow file run as ``flowgen run path/wf.py:wf`` imports
there too. A worker unpickles a given by-value payload once and keeps the
function (keyed by the payload bytes, so a redefined function is never
confused with an old one).
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any

import cloudpickle

from flowgen.ir import refs

__all__ = ["ShippedFunction"]

_lock = threading.Lock()
_payloads: weakref.WeakKeyDictionary[Any, bytes] = weakref.WeakKeyDictionary()
_arrived: dict[bytes, Callable[..., Any]] = {}


class ShippedFunction:
    """A task function plus its reference; pickles as a once-per-worker cloudpickle payload."""

    __slots__ = ("ref", "fn")

    def __init__(self, ref: str, fn: Callable[..., Any]) -> None:
        self.ref = ref
        self.fn = fn

    def __repr__(self) -> str:
        return f"<ShippedFunction {self.ref}>"

    def __reduce__(self) -> tuple[Any, ...]:
        if _importable(self.ref, self.fn):
            return (_import, (self.ref,))
        return (_arrive, (self.ref, _payload(self.fn)))


def _importable(ref: str, fn: Callable[..., Any]) -> bool:
    module, _, qualname = ref.partition(":")
    if "<locals>" in qualname or getattr(fn, "__module__", "__main__") == "__main__":
        return False
    loaded = sys.modules.get(module)
    return loaded is not None and getattr(loaded, "__file__", None) is not None


def _import(ref: str) -> ShippedFunction:
    entity = refs.resolve(ref)
    return ShippedFunction(ref, getattr(entity, "fn", entity))


def _payload(fn: Callable[..., Any]) -> bytes:
    with _lock:
        try:
            payload = _payloads.get(fn)
        except TypeError:  # not weak-referenceable (a builtin): pickle each time
            return cloudpickle.dumps(fn)
        if payload is None:
            payload = cloudpickle.dumps(fn)
            _payloads[fn] = payload
        return payload


def _arrive(ref: str, payload: bytes) -> ShippedFunction:
    fn = _arrived.get(payload)
    if fn is None:
        fn = cloudpickle.loads(payload)
        with _lock:
            _arrived[payload] = fn
    return ShippedFunction(ref, fn)
