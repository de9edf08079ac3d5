"""The IR's pydantic models: validation and JSON schema, built on first use.

Every IR class (:class:`flowgen.ir.base.IRModel`) has a twin here: a frozen ``pydantic.BaseModel``
with the same name, fields, annotations and defaults, made from the annotations written on the
IR class. Untrusted data (JSON from a cache file or a generated module, a dict) is validated by
the twin's core schema with each model's class swapped for the IR class, so pydantic-core
builds the IR's own objects (their ``__slots__`` take its bookkeeping); the published schema
is the twin's.

How the annotations resolve: each IR module (``flowgen.ir.types``, ``flowgen.ir.model``, ...)
gets a namespace module here holding what its annotations name: the IR classes' twins, pydantic's
strict types and ``Field`` (the IR modules import those only for type checkers), and the IR's
union aliases (``TypeSpec``, ``Binding``, ``Node``, ...) as unions of twins discriminated by
their ``kind`` field. One rule covers them all: a union whose members are all IR classes is
tagged by ``kind``.

Nothing here is imported by ``flowgen run`` unless something is validated (issue 15: start-up).
"""

from __future__ import annotations

import sys
import threading
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)
from pydantic_core import SchemaValidator

from flowgen.ir.base import IRModel

__all__ = ["json_schema", "twin_of", "validate", "validate_json"]

_PYDANTIC_NAMES = {"Annotated": Annotated, "Any": Any, "Literal": Literal, "Field": Field,
                   "StrictBool": StrictBool, "StrictFloat": StrictFloat, "StrictInt": StrictInt,
                   "StrictStr": StrictStr}
_CONFIG = ConfigDict(frozen=True, extra="forbid", defer_build=True)

_twins: dict[type[IRModel], type[BaseModel]] = {}
_ir_classes: dict[type[BaseModel], type[IRModel]] = {}
_validators: dict[type[IRModel], SchemaValidator] = {}
_lock = threading.RLock()


def _is_ir_union(value: Any) -> bool:
    if get_origin(value) not in (Union, types.UnionType):
        return False
    members = get_args(value)
    return all(isinstance(m, type) and issubclass(m, IRModel) for m in members)


def _tagged(union: Any, twins: dict[type[IRModel], type[BaseModel]]) -> Any:
    """A union of IR classes as the union of their twins, discriminated by ``kind``."""
    members = tuple(twins[m] for m in get_args(union))
    return Annotated[Union[members], Field(discriminator="kind")]  # noqa: UP007 - built at run time


def _namespace_for(module_name: str) -> types.ModuleType:
    """This module's stand-in for IR module ``module_name``: its names, minus IR classes and unions."""
    name = f"{__name__}.{module_name.rpartition('.')[2]}"
    namespace = sys.modules.get(name)
    if namespace is None:
        namespace = types.ModuleType(name)
        for key, value in vars(sys.modules[module_name]).items():
            if key.startswith("__") or _is_ir_union(value):
                continue
            if isinstance(value, type) and issubclass(value, IRModel):
                continue
            namespace.__dict__[key] = value
        namespace.__dict__.update(_PYDANTIC_NAMES)
        sys.modules[name] = namespace
    return namespace


def _make_twin(cls: type[IRModel]) -> type[BaseModel]:
    namespace = _namespace_for(cls.__module__)
    body: dict[str, Any] = {"__module__": namespace.__name__, "__qualname__": cls.__qualname__,
                            "__doc__": cls.__doc__, "model_config": _CONFIG, "__annotations__": {}}
    for name, info in cls.model_fields.items():
        body["__annotations__"][name] = info.annotation
        if info.default_factory is not None:  # an IR object: kept as it is (defaults are not validated)
            body[name] = Field(default_factory=info.default_factory)
        elif not info.is_required():
            body[name] = info.default
    twin: type[BaseModel] = type(cls.__name__, (BaseModel,), body)
    twin.__pydantic_parent_namespace__ = None  # names resolve in the namespace module, not this frame
    return twin


def _build() -> None:
    """Twins for every IR class without one, published only once their names all resolve."""
    import flowgen.ir.model  # noqa: F401 - every IR class is registered once its module is imported

    new = {cls: _make_twin(cls) for cls in IRModel.registry  # a test's stand-in for a new kind has none
           if cls not in _twins and cls.__module__.startswith("flowgen.")}
    twins = {**_twins, **new}
    for module_name in {cls.__module__ for cls in new}:  # now every twin exists: the names annotations use
        namespace = _namespace_for(module_name)
        for key, value in vars(sys.modules[module_name]).items():
            if isinstance(value, type) and value in twins:
                namespace.__dict__[key] = twins[value]
            elif _is_ir_union(value):
                namespace.__dict__[key] = _tagged(value, twins)
    # Each twin builds its validator on first use (``defer_build``), resolving its annotations in
    # the namespace module filled above.
    _ir_classes.update({twin: cls for cls, twin in new.items()})
    _twins.update(new)


def twin_of(cls: type[IRModel]) -> type[BaseModel]:
    """The pydantic model of IR class ``cls``."""
    twin = _twins.get(cls)
    if twin is None:
        with _lock:
            if cls not in _twins:
                _build()
        twin = _twins.get(cls)
        if twin is None:
            raise TypeError(f"{cls.__qualname__} is not one of flowgen's IR classes: it has no pydantic model")
    return twin


def _as_ir(schema: Any) -> Any:
    """A twin's core schema building the IR's own classes: each ``model`` schema's class swapped."""
    if isinstance(schema, dict):
        swapped = {key: _as_ir(value) for key, value in schema.items()}
        if swapped.get("type") == "model" and swapped.get("cls") in _ir_classes:
            swapped["cls"] = _ir_classes[swapped["cls"]]
        return swapped
    if isinstance(schema, list):
        return [_as_ir(item) for item in schema]
    return schema


def _validator(cls: type[IRModel]) -> SchemaValidator:
    """The validator of ``cls``: its twin's, building IR objects directly (no second walk)."""
    found = _validators.get(cls)
    if found is None:
        twin = twin_of(cls)
        with _lock:
            found = _validators.get(cls)
            if found is None:
                twin.model_rebuild(_types_namespace=vars(sys.modules[twin.__module__]))
                found = _validators[cls] = SchemaValidator(_as_ir(twin.__pydantic_core_schema__))
    return found


def validate(cls: type[IRModel], obj: Any) -> Any:
    """``obj`` (a dict, or an IR object) validated as ``cls``; raises ``pydantic.ValidationError``."""
    if isinstance(obj, IRModel):
        if type(obj) is cls:
            return obj
        obj = obj.model_dump()
    return _validator(cls).validate_python(obj)


def validate_json(cls: type[IRModel], data: str | bytes) -> Any:
    """JSON text validated as ``cls``; raises ``pydantic.ValidationError``."""
    return _validator(cls).validate_json(data)


def json_schema(cls: type[IRModel]) -> dict[str, Any]:
    twin = twin_of(cls)
    with _lock:
        return twin.model_json_schema()
