"""flowgen's pytest plugin (entry point ``pytest11``: active whenever flowgen is installed).

=========================================  ====================================================
feature                                    what it does
=========================================  ====================================================
``pytest --flowgen PATH``                  every ``@workflow`` defined in the ``.py`` files under
                                           PATH becomes a test item ``FILE.py::WF`` that runs
                                           :func:`flowgen.testing.check_workflow` on it
                                           (``--flowgen-max-examples N``, ``--flowgen-executor
                                           NAME`` repeatable, ``--flowgen-no-generated``)
``flowgen_run`` fixture                    ``flowgen_run(wf, **inputs)`` runs the workflow on
                                           each configured executor, asserts they agree and
                                           returns the result
``@pytest.mark.flowgen(executors=[...],    the executors ``flowgen_run`` uses in that test, and
max_examples=N)``                          the examples hypothesis draws for it (its
                                           ``@given_inputs`` / ``@given``)
=========================================  ====================================================

Before collecting, the plugin imports every ``flowgen_domains.py`` under and above each
``--flowgen PATH`` (:mod:`flowgen.testing.domains`), as ``flowgen test`` does.

Without ``--flowgen`` the plugin only registers the marker and the fixture; it imports
nothing of flowgen's runtime until a test uses them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["FlowgenFile", "FlowgenItem"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("flowgen", "flowgen workflow property tests")
    group.addoption("--flowgen", action="append", default=[], metavar="PATH",
                    help="Collect every workflow under PATH as a property test (repeatable).")
    group.addoption("--flowgen-max-examples", type=int, default=100, metavar="N",
                    help="Generated inputs per collected workflow (default 100).")
    group.addoption("--flowgen-executor", action="append", default=[], metavar="NAME",
                    help="Also compare runs on this executor (repeatable): threads, processes, dask.")
    group.addoption("--flowgen-no-generated", action="store_true",
                    help="Do not compare against the module `flowgen build` makes.")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "flowgen(executors=None, max_examples=None): executors flowgen_run compares, and the number "
                   "of examples hypothesis draws for this test")
    paths = config.getoption("flowgen", default=[]) or []
    for path in paths:
        if not os.path.exists(path):
            raise pytest.UsageError(f"--flowgen {path}: no such file or directory")
        if path not in config.args:
            config.args.append(path)
    config._flowgen_roots = [Path(p).resolve() for p in paths]  # type: ignore[attr-defined]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    roots: list[Path] = getattr(parent.config, "_flowgen_roots", [])
    if file_path.suffix != ".py" or not roots:
        return None
    resolved = file_path.resolve()
    if any(resolved == root or root in resolved.parents for root in roots):
        return FlowgenFile.from_parent(parent, path=file_path)
    return None


class FlowgenFile(pytest.File):
    """A source file under ``--flowgen PATH``: one item per workflow it defines."""

    def collect(self) -> Iterator[pytest.Item]:
        from flowgen.discovery import workflows_in
        from flowgen.testing.domains import DOMAIN_FILE, domain_files, load_domain_files

        if self.path.name == DOMAIN_FILE:
            return
        for file in domain_files([str(root) for root in self.config._flowgen_roots]):  # type: ignore[attr-defined]
            try:
                load_domain_files([file])
            except Exception as exc:  # the user's domain file: say which, without flowgen's frames
                raise self.CollectError(f"{file}: cannot import this domain file: {type(exc).__name__}: {exc}") \
                    from None
        for wf in workflows_in(str(self.path)):
            yield FlowgenItem.from_parent(self, name=wf.function.rpartition(":")[2], workflow=wf)


class FlowgenItem(pytest.Item):
    """``check_workflow`` on one workflow."""

    def __init__(self, *, workflow: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.workflow = workflow

    def runtest(self) -> None:
        from flowgen.testing.check import check_workflow

        config = self.config
        marker = self.get_closest_marker("flowgen")
        options = marker.kwargs if marker is not None else {}
        check_workflow(
            self.workflow,
            max_examples=options.get("max_examples") or config.getoption("flowgen_max_examples"),
            executors=("inprocess", *(options.get("executors") or config.getoption("flowgen_executor"))),
            generated=not config.getoption("flowgen_no_generated"),
        )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        from flowgen.testing.check import WorkflowCheckFailure

        if isinstance(excinfo.value, WorkflowCheckFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"flowgen check_workflow {self.workflow.name}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``@pytest.mark.flowgen(max_examples=N)`` on a hypothesis test sets its number of examples."""
    for item in items:
        marker = item.get_closest_marker("flowgen")
        if marker is None or "max_examples" not in marker.kwargs or not isinstance(item, pytest.Function):
            continue
        if getattr(item.obj, "is_hypothesis_test", False):
            from hypothesis import settings

            item.obj = settings(max_examples=marker.kwargs["max_examples"])(item.obj)


@pytest.fixture
def flowgen_run(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """``flowgen_run(wf, **inputs)``: run ``wf`` on every configured executor (the test's
    ``@pytest.mark.flowgen(executors=[...])``, else ``--flowgen-executor``, else in-process),
    assert that every executor returns the same result, and return it."""
    import flowgen

    marker = request.node.get_closest_marker("flowgen")
    executors = list((marker.kwargs.get("executors") if marker is not None else None)
                     or request.config.getoption("flowgen_executor") or ["inprocess"])

    def run(wf: Any, /, **inputs: Any) -> Any:
        results = [(name, flowgen.run(wf, executor=name, **inputs)) for name in executors]
        first_name, first = results[0]
        for name, result in results[1:]:
            assert result == first, (f"workflow {getattr(wf, 'name', wf)}: executor {name} returned {result!r}, "
                                     f"executor {first_name} returned {first!r}")
        return first

    return run
