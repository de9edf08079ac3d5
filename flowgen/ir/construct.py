"""Building trusted IR objects fast.

The tracing front end creates one node, one output reference and often one literal per
task call; a large @dynamic makes tens of thousands. Their fields are already valid
(they come from flowgen itself), so nothing is checked: :func:`construct` fills the class's
default table (:class:`flowgen.ir.base.IRModel`) and :func:`construct_exact` takes a field dict
as it is. Only for flowgen's own, already-validated values.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flowgen.ir.base import IRModel

__all__ = ["construct", "construct_exact"]

M = TypeVar("M", bound=IRModel)
_set_attr = object.__setattr__


def construct(cls: type[M], **values: Any) -> M:
    """An instance of ``cls`` from trusted values (missing fields take their defaults); for
    anything unusual (a default factory, a field left unset) :meth:`IRModel.model_construct`."""
    if cls._factories:
        return cls.model_construct(**values)
    for name in cls._required:
        if name not in values:
            return cls.model_construct(**values)  # which names the missing field
    obj = cls.__new__(cls)
    fields = cls._template.copy()  # keeps declaration order; update() only overwrites values
    fields.update(values)
    if len(fields) != len(cls._template):
        return cls.model_construct(**values)  # which names the unknown field
    _set_attr(obj, "__dict__", fields)
    return obj


def construct_exact(cls: type[M], fields: dict[str, Any]) -> M:
    """:func:`construct` for a hot caller that already has every field, in declaration order
    (exactly what ``construct(cls, **fields)`` would build, with no copy)."""
    obj = cls.__new__(cls)
    _set_attr(obj, "__dict__", fields)
    return obj
