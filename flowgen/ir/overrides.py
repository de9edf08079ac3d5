"""What ``node.with_overrides(...)`` accepts, decided once for the tracer and ``flowgen check``.

The values are plain Python values: the tracer passes what the workflow body gave (a
Promise included, which is always wrong here: overrides are fixed when the workflow is
compiled); the static front end passes the constants it evaluated, with ``Resources(...)``
as a dict of its fields. Local runs record overrides and apply none of them (they configure
a cluster); a wrong one is still an error, as in flytekit.

=====================  =================================================================
option                 accepted
=====================  =================================================================
``requests``,          ``Resources(cpu=, mem=, gpu=, ephemeral_storage=)``: cpu a number
``limits``             or a quantity (``"500m"``, ``"2"``), memory and storage quantities
                       (``"512Mi"``, ``"1G"``), gpu a whole number; requests never above
                       limits
``retries``            an int >= 0
``timeout``            seconds (int or float > 0) or a ``timedelta``
``cache``              a bool or ``Cache(...)``; ``cache_version`` a str
``name``, ``node_name``  a non-empty str
``container_image``    a str or ``ImageSpec``
cluster-only options   accepted as they are: ``interruptible``, ``accelerator``,
                       ``pod_template``, ``task_config``, ``aliases``, ...
=====================  =================================================================
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["KNOWN_OVERRIDES", "override_problems", "quantity"]

_CLUSTER_ONLY = frozenset({
    "interruptible", "accelerator", "pod_template", "task_config", "aliases", "shared_memory",
    "cache_serialize", "resources",
})
KNOWN_OVERRIDES = frozenset({"requests", "limits", "retries", "timeout", "cache", "cache_version", "name",
                             "node_name", "container_image"}) | _CLUSTER_ONLY

_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)([a-zA-Z]*)$")
_SUFFIXES = {
    "": Decimal(1), "m": Decimal("0.001"),
    "k": Decimal(10) ** 3, "M": Decimal(10) ** 6, "G": Decimal(10) ** 9, "T": Decimal(10) ** 12,
    "P": Decimal(10) ** 15, "E": Decimal(10) ** 18,
    "Ki": Decimal(2) ** 10, "Mi": Decimal(2) ** 20, "Gi": Decimal(2) ** 30, "Ti": Decimal(2) ** 40,
    "Pi": Decimal(2) ** 50, "Ei": Decimal(2) ** 60,
}
_FIELDS = ("cpu", "mem", "gpu", "ephemeral_storage")


def quantity(value: Any) -> Decimal:
    """A Kubernetes quantity (``"500m"``, ``"1.5Gi"``, ``2``) as a number; ValueError when it is not one."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"{value!r} is not a quantity")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"{value!r} is negative")
        return Decimal(str(value))
    match = _QUANTITY.match(value.strip())
    if match is None or match.group(2) not in _SUFFIXES:
        raise ValueError(f"{value!r} is not a quantity (a number with an optional unit: 500m, 2, 512Mi, 1G)")
    try:
        return Decimal(match.group(1)) * _SUFFIXES[match.group(2)]
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a quantity") from None


def _resources(value: Any, option: str, is_promise: Any) -> tuple[dict[str, Decimal], list[str]]:
    fields = value if isinstance(value, dict) else {f: getattr(value, f, None) for f in _FIELDS}
    if not isinstance(value, dict) and not all(hasattr(value, f) for f in _FIELDS):
        return {}, [f"{option} must be Resources(cpu=..., mem=...), not {value!r}"]
    parsed: dict[str, Decimal] = {}
    problems = []
    for name in _FIELDS:
        given = fields.get(name)
        if given is None:
            continue
        if is_promise(given):
            problems.append(f"{option}.{name} is a Promise; resources are fixed when the workflow is compiled")
            continue
        try:
            amount = quantity(given)
        except ValueError as exc:
            problems.append(f"{option}.{name}: {exc}")
            continue
        if name == "gpu" and amount != amount.to_integral_value():
            problems.append(f"{option}.gpu must be a whole number, not {given!r}")
            continue
        if name in ("mem", "ephemeral_storage") and isinstance(given, str) and given.strip().endswith("m"):
            problems.append(f"{option}.{name}: {given!r} is in thousandths of a byte; use Ki, Mi, Gi (or k, M, G)")
            continue
        parsed[name] = amount
    unknown = sorted(set(fields) - set(_FIELDS)) if isinstance(value, dict) else []
    problems += [f"{option} has no field {u!r} (fields: cpu, mem, gpu, ephemeral_storage)" for u in unknown]
    return parsed, problems


def override_problems(options: dict[str, Any], is_promise: Any = lambda v: False) -> list[tuple[str, str]]:
    """``(option, message)`` for every wrong value in ``options`` (empty when all are fine)."""
    problems: list[tuple[str, str]] = []

    def bad(option: str, message: str) -> None:
        problems.append((option, message))

    for option, value in options.items():
        if option not in KNOWN_OVERRIDES:
            bad(option, f"with_overrides() got an unexpected option {option!r}")
        elif is_promise(value):
            bad(option, f"{option} is a Promise; overrides are fixed when the workflow is compiled")
    requested: dict[str, Decimal] = {}
    limited: dict[str, Decimal] = {}
    for option, target in (("requests", requested), ("limits", limited)):
        value = options.get(option)
        if value is not None and not is_promise(value):
            parsed, found = _resources(value, option, is_promise)
            target.update(parsed)
            problems += [(option, m) for m in found]
    for name in _FIELDS:
        if name in requested and name in limited and requested[name] > limited[name]:
            bad("requests", f"requests.{name} ({_show(options['requests'], name)}) is above "
                            f"limits.{name} ({_show(options['limits'], name)})")
    retries = options.get("retries")
    if "retries" in options and not is_promise(retries) and (
            isinstance(retries, bool) or not isinstance(retries, int) or retries < 0):
        bad("retries", f"retries must be an int >= 0, not {retries!r}")
    timeout = options.get("timeout")
    if timeout is not None and not is_promise(timeout):
        if isinstance(timeout, dt.timedelta):
            seconds = timeout.total_seconds()
        elif isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
            seconds = float(timeout)
        else:
            seconds = None
            bad("timeout", f"timeout must be seconds or a timedelta, not {timeout!r}")
        if seconds is not None and seconds <= 0:
            bad("timeout", f"timeout must be positive, not {timeout!r}")
    cache = options.get("cache")
    if "cache" in options and not is_promise(cache) and not isinstance(cache, bool) \
            and type(cache).__name__ not in ("Cache", "CacheOption"):
        bad("cache", f"cache must be True, False or Cache(...), not {cache!r}")
    for option in ("name", "node_name", "cache_version"):
        value = options.get(option)
        if option in options and not is_promise(value) and (not isinstance(value, str) or not value.strip()):
            bad(option, f"{option} must be a non-empty str, not {value!r}")
    image = options.get("container_image")
    if image is not None and not is_promise(image) and not isinstance(image, str) \
            and type(image).__name__ != "ImageSpec":
        bad("container_image", f"container_image must be a str or an ImageSpec, not {image!r}")
    return problems


def _show(value: Any, name: str) -> str:
    given = value.get(name) if isinstance(value, dict) else getattr(value, name, None)
    return repr(given)
