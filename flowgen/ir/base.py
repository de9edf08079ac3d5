"""The IR's base class: frozen, plain Python records that pydantic validates, serializes and describes.

DESIGN.md draws the IR as pydantic models, and pydantic stays its schema: JSON and dicts read in
(cache files, generated modules' data: ``validate_json(Program, text)``) and the published JSON
schema go through pydantic models built, on first use, from the very annotations written on
these classes (:mod:`flowgen.ir.pydantic_models`, a layer above this one).

The classes themselves are not ``pydantic.BaseModel`` subclasses. This departs from DESIGN.md
on purpose, for start-up (issue 15): ``flowgen run`` has to create the IR classes and build a
few dozen IR objects, but importing pydantic and creating 45 ``BaseModel`` classes was about 60
of its 150 ms over bare Python (``bench/bench_startup.py``), more than the whole run. Here a class
costs a few microseconds to create and pydantic is imported only when something is validated
or a schema is asked for.

What a subclass gets, spelled as pydantic spells it so callers read the same:

* fields from the class annotations (parents first, in declaration order), defaults from class
  attributes, :func:`field` (``default_factory=``) for a default made per object;
* keyword-only construction; an unknown or missing field is a ``TypeError``. flowgen's own code
  builds these objects from values it has already checked, so the values are not validated
  here (as pydantic's ``model_construct`` did on the hot paths); lists given for ``tuple[...]``
  fields become tuples and ints given for ``float`` fields become floats, as pydantic did;
* frozen instances, equality and hash by class and fields, a pydantic-style ``repr``;
* ``model_construct``, ``model_copy(update=)``, ``model_fields``, ``model_dump(mode=)`` and
  ``model_dump_json(indent=)``. Dumping is a walk over the fields (it never imports pydantic);
  a field named in a class's ``_omit_at_default`` is left out of the output at its default, so
  the common case keeps the IR's JSON short.
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform

__all__ = ["REQUIRED", "FieldInfo", "IRModel", "field"]

M = TypeVar("M", bound="IRModel")


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: the default of a field that has none
REQUIRED: Any = _Required()


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], Any]) -> Any:
    """A default made anew for each object (``key: TypeSpec = field(default_factory=lambda: ...)``)."""
    return _Factory(default_factory)


class FieldInfo:
    """One field of an IR class: its annotation (as written) and its default."""

    __slots__ = ("annotation", "default", "default_factory", "owner")

    def __init__(self, annotation: str, default: Any, owner: type) -> None:
        self.annotation = annotation
        self.owner = owner  # the class that declared the field (its module resolves the annotation)
        self.default_factory = default.make if isinstance(default, _Factory) else None
        self.default = REQUIRED if isinstance(default, _Factory) else default

    def is_required(self) -> bool:
        return self.default is REQUIRED and self.default_factory is None

    def __repr__(self) -> str:
        return f"FieldInfo({self.annotation!r}, default={self.default!r})"


def _coercion(annotation: str) -> str | None:
    if annotation.startswith("tuple[tuple["):
        return "tuples"
    if annotation.startswith("tuple["):
        return "tuple"
    if annotation in ("float", "float | None"):
        return "float"
    return None


def _iterable(value: Any) -> bool:
    """A list, generator, set...: what pydantic took for a ``tuple[...]`` field (not str or dict)."""
    return hasattr(value, "__iter__") and not isinstance(value, (str, bytes, dict))


def _refuse(cls: type, values: dict[str, Any]) -> None:
    unknown = sorted(set(values) - set(cls._template))  # type: ignore[attr-defined]
    if unknown:
        raise TypeError(f"{cls.__name__}: unknown field(s): {', '.join(unknown)}")
    missing = [name for name in cls._required if name not in values]  # type: ignore[attr-defined]
    raise TypeError(f"{cls.__name__}: missing field(s): {', '.join(missing)}")


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
class IRModel:
    """Base of every IR class (see the module docstring). Type checkers read each subclass as a
    frozen, keyword-only dataclass (``dataclass_transform``), so its constructor is checked."""

    # pydantic-core, which builds these objects when it validates (flowgen.ir.pydantic_models),
    # sets its bookkeeping here; the fields live in ``__dict__``.
    __slots__ = ("__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__", "__dict__")

    model_fields: ClassVar[dict[str, FieldInfo]] = {}
    #: fields the JSON leaves out when they hold their default
    _omit_at_default: ClassVar[tuple[str, ...]] = ()
    _template: ClassVar[dict[str, Any]] = {}
    _factories: ClassVar[tuple[tuple[str, Callable[[], Any]], ...]] = ()
    _coerce: ClassVar[tuple[tuple[str, str], ...]] = ()
    _required: ClassVar[tuple[str, ...]] = ()
    #: every IR class, for :mod:`flowgen.ir.pydantic_models`
    registry: ClassVar[list[type[IRModel]]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls.model_fields)
        for name, annotation in inspect.get_annotations(cls).items():
            if not isinstance(annotation, str):  # a module without ``from __future__ import annotations``
                annotation = inspect.formatannotation(annotation)
            if annotation.startswith(("ClassVar", "typing.ClassVar")):
                continue
            fields[name] = FieldInfo(annotation, cls.__dict__.get(name, REQUIRED), cls)
        cls.model_fields = fields
        cls._template = {name: f.default for name, f in fields.items()}
        cls._factories = tuple((name, f.default_factory) for name, f in fields.items() if f.default_factory)
        cls._required = tuple(name for name, f in fields.items() if f.is_required())
        cls._coerce = tuple((name, c) for name, f in fields.items() if (c := _coercion(f.annotation)))
        IRModel.registry.append(cls)

    def __init__(self, **values: Any) -> None:
        cls = type(self)
        fields = cls._template.copy()  # declaration order; update() only overwrites values
        fields.update(values)
        if len(fields) != len(cls._template):
            _refuse(cls, values)
        for name, make in cls._factories:
            if name not in values:
                fields[name] = make()
        for name, how in cls._coerce:
            value = fields[name]
            if how == "float":
                if type(value) is int:
                    fields[name] = float(value)
            elif type(value) is not tuple and _iterable(value):
                value = fields[name] = tuple(value)
            if how == "tuples" and type(value) is tuple:  # ``tuple[tuple[...], ...]``: the items too
                fields[name] = tuple(tuple(v) if type(v) is not tuple and _iterable(v) else v for v in value)
        missing = [name for name, value in fields.items() if value is REQUIRED]
        if missing:
            raise TypeError(f"{cls.__name__}: missing field(s): {', '.join(missing)}")
        object.__setattr__(self, "__dict__", fields)

    @classmethod
    def model_construct(cls: type[M], **values: Any) -> M:
        """An instance from trusted values, as given (missing fields take their defaults); an
        unknown or missing field is still a ``TypeError`` (it would only fail later, in the JSON)."""
        obj = cls.__new__(cls)
        fields = cls._template.copy()
        fields.update(values)
        if len(fields) != len(cls._template):
            _refuse(cls, values)
        for name in cls._required:
            if name not in values:
                _refuse(cls, values)
        for name, make in cls._factories:
            if name not in values:
                fields[name] = make()
        object.__setattr__(obj, "__dict__", fields)
        return obj

    def model_copy(self: M, *, update: dict[str, Any] | None = None, deep: bool = False) -> M:
        """A copy with some fields replaced (not validated, as pydantic's ``model_copy``)."""
        fields = self.__dict__.copy()
        if deep:
            import copy

            fields = copy.deepcopy(fields)
        if update:
            fields.update(update)
            if len(fields) != len(self.__dict__):
                _refuse(type(self), update)
        obj = type(self).__new__(type(self))
        object.__setattr__(obj, "__dict__", fields)
        return obj

    # ------------------------------------------------------------------ frozen value semantics

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def __getstate__(self) -> dict[str, Any]:  # the fields only: not pydantic-core's bookkeeping
        return self.__dict__

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "__dict__", dict(state))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    # ------------------------------------------------------------------ serialization

    def model_dump(self, *, mode: str = "python", exclude: set[str] | None = None) -> dict[str, Any]:
        """The fields as plain data: nested IR objects as dicts; in ``"json"`` mode tuples as lists."""
        data = _dump_model(self, mode == "json")
        if exclude:
            for name in exclude:
                data.pop(name, None)
        return data

    def model_dump_json(self, *, indent: int | None = None) -> str:
        """The JSON text of :meth:`model_dump` (compact unless ``indent``), as pydantic writes it."""
        data = _dump_model(self, True)
        if indent is None:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return json.dumps(data, ensure_ascii=False, indent=indent)


_SCALARS = frozenset({str, int, bool, type(None)})


def _dump_model(obj: IRModel, json_mode: bool) -> dict[str, Any]:
    fields = obj.__dict__
    data = {name: value if type(value) in _SCALARS else _dump(value, json_mode) for name, value in fields.items()}
    cls = type(obj)
    for name in cls._omit_at_default:
        info = cls.model_fields[name]
        default = info.default_factory() if info.default_factory else info.default
        if fields[name] == default:
            del data[name]
    return data


def _dump(value: Any, json_mode: bool) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if isinstance(value, IRModel):
        return _dump_model(value, json_mode)
    if kind is tuple:
        items = [_dump(v, json_mode) for v in value]
        return items if json_mode else tuple(items)
    if kind is list:
        return [_dump(v, json_mode) for v in value]
    if kind is dict:
        return {k: _dump(v, json_mode) for k, v in value.items()}
    if kind is float and json_mode and not math.isfinite(value):
        return None  # as pydantic writes inf and nan in JSON
    return value
