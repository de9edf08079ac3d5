"""Input domains: the inputs a workflow is meant for, declared from outside its source.

A property test draws every value an input's type allows. Most workflows are meant for fewer,
and there are two ways to say which:

* **in the signature**, with ``Annotated`` constraints (``Annotated[list[int], MinLen(1)]``,
  ``Annotated[int, Ge(0), Le(100)]``): a precondition of the workflow itself, enforced at the
  node boundary on every run and honoured by :func:`flowgen.testing.inputs`;
* **from outside**, with :func:`domain` -- for what markers cannot say (an alphabet, the keys of
  one input that must appear in another), for what is about testing rather than the workflow (a
  fan-out kept small so a check stays fast), for the secrets a run needs, and for code you must
  not edit (a reference example, a vendored module)::

      # flowgen_domains.py, beside the workflows (or anywhere above or below a tested path)
      import string
      from hypothesis import strategies as st
      from flowgen.testing import domain
      from dynamic_workflows import wf

      domain(wf, s1=st.text(string.ascii_letters), s2=st.text(string.ascii_letters))

``domain(wf, ...)`` registers, for that workflow, a strategy (or a fixed value) per input and
the secrets its runs see (:func:`flowgen.testing.secrets`). :func:`flowgen.testing.inputs`
draws a registered input from its strategy (a keyword given to ``inputs()`` itself still wins),
and :func:`flowgen.testing.check_workflow` runs inside the registered secrets. A workflow is
known by its source file and name, so the same workflow imported under another module name
(``examples.map_tasks`` and ``map_tasks``) finds its domain.

``flowgen test PATH`` and ``pytest --flowgen PATH`` import every ``flowgen_domains.py`` in the
tree under each PATH (a file's own directory for a file) and in the directories above it, before
any workflow runs (:func:`load_domain_files`); ``flowgen test --domains FILE`` names more. A test
module may also call ``domain`` itself (or a ``conftest.py``): the registry is global.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DOMAIN_FILE", "Domain", "domain", "domain_files", "load_domain_files", "registered_domain"]

#: the file name ``flowgen test`` and ``pytest --flowgen`` look for
DOMAIN_FILE = "flowgen_domains.py"

_SKIP_DIRS = frozenset({".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"})


@dataclass
class Domain:
    """What :func:`domain` registered for one workflow: a strategy or value per input, and secrets."""

    workflow: str
    inputs: dict[str, Any] = field(default_factory=dict)
    secrets: dict[Any, Any] | None = None


_registry: dict[tuple[str, str], Domain] = {}
_loaded: dict[str, Any] = {}


def _workflow_of(entity: Any) -> Any:
    from flowgen.dsl.entities import Workflow
    from flowgen.dsl.launch_plan import LaunchPlan

    if isinstance(entity, LaunchPlan):
        return entity.workflow
    if isinstance(entity, Workflow):
        return entity
    generated = getattr(entity, "__flowgen_generated__", None)
    if generated is not None:
        return _workflow_of(generated)
    return None


def _key(workflow: Any) -> tuple[str, str]:
    module, _, qualname = workflow.function.partition(":")
    source = getattr(workflow, "source", None)
    file = getattr(source, "file", None)
    where = os.path.realpath(file) if file else module
    return where, qualname


def domain(workflow: Any, inputs: Mapping[str, Any] | None = None, /, *,
           secrets: Mapping[Any, Any] | None = None, **strategies: Any) -> Domain:
    """Register the input domain of ``workflow`` (a ``@workflow`` or a launch plan of one).

    Each keyword (or item of ``inputs``, for an input whose name is ``secrets``) is an input's
    hypothesis strategy, or a value to always use. ``secrets`` is what the workflow's runs see
    under :func:`flowgen.testing.secrets`. Registering again for the same workflow adds to (and
    overrides) what was registered. An unknown input name is a ``TypeError`` naming the inputs.
    """
    from hypothesis.strategies import SearchStrategy

    wf = _workflow_of(workflow)
    if wf is None:
        raise TypeError(f"domain() takes a @workflow or a launch plan, not {workflow!r}")
    given = {**(inputs or {}), **strategies}
    names = [p.name for p in wf.interface.inputs]
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise TypeError(f"domain(): workflow {wf.name} has no input(s) {', '.join(map(repr, unknown))}; "
                        f"its inputs are {', '.join(names) or '(none)'}")
    entry = _registry.setdefault(_key(wf), Domain(workflow=wf.name))
    for name, value in given.items():
        entry.inputs[name] = value if isinstance(value, SearchStrategy) else _just(value)
    if secrets is not None:
        from flowgen.testing.secret_env import normalise

        entry.secrets = {**(entry.secrets or {}), **normalise(secrets)}
    return entry


def _just(value: Any) -> Any:
    from hypothesis import strategies as st

    return st.just(value)


def registered_domain(entity: Any) -> Domain | None:
    """The domain registered for ``entity``'s workflow, or None."""
    wf = _workflow_of(entity)
    return None if wf is None else _registry.get(_key(wf))


def domain_files(paths: Iterable[str]) -> list[str]:
    """Every ``flowgen_domains.py`` above each path (outermost first) and in the tree under it."""
    found: list[str] = []

    def add(path: str) -> None:
        real = os.path.realpath(path)
        if os.path.isfile(real) and real not in found:
            found.append(real)

    for path in paths:
        start = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
        above: list[str] = []
        directory = os.path.dirname(start)
        while True:
            above.append(os.path.join(directory, DOMAIN_FILE))
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        for candidate in reversed(above):
            add(candidate)
        for root, dirs, files in os.walk(start):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
            if DOMAIN_FILE in files:
                add(os.path.join(root, DOMAIN_FILE))
    return found


def load_domain_files(paths: Iterable[str]) -> list[str]:
    """Import each domain file once (its package root on ``sys.path``, as for a workflow file);
    returns the files imported. An error raised by a file propagates (the caller says which file)."""
    from flowgen.discovery import package_root

    loaded = []
    for path in paths:
        real = os.path.realpath(path)
        if real in _loaded:
            continue
        root = package_root(real)
        if root not in sys.path:
            sys.path.insert(0, root)
        name = f"_flowgen_domains_{len(_loaded)}"
        spec = importlib.util.spec_from_file_location(name, real)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path} as a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        _loaded[real] = module
        loaded.append(real)
    return loaded
