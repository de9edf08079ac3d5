"""Module-level ``LaunchPlan.get_or_create/create(...)`` inputs are checked against the workflow (issue 13).

The runtime validates a launch plan's inputs when the module is imported, used or not;
``flowgen check`` reports the same mistakes at the call: a fixed or default input the
workflow does not have is FG202, a value of the wrong type FG201.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from flowgen.errors import DefinitionError
from flowgen.static import check_paths

PLANS = '''from flowgen import LaunchPlan, task, workflow


@task
def greet(name: str, times: int) -> str:
    return name * times


@workflow
def wf(name: str, times: int = 1) -> str:
    return greet(name=name, times=times)


good = LaunchPlan.get_or_create(wf, name="good", fixed_inputs={"times": 2}, default_inputs={"name": "a"})
wrong_type = LaunchPlan.get_or_create(wf, name="wrong_type", fixed_inputs={"times": "two"})
unknown = LaunchPlan.get_or_create(wf, name="unknown", default_inputs={"nme": "a"})
also_wrong = LaunchPlan.create("also_wrong", wf, default_inputs={"name": 3})
'''

EXPECTED = [("FG201", 15), ("FG202", 16), ("FG201", 17)]


def test_module_level_launch_plan_inputs_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "plans.py"
    path.write_text(PLANS)
    found = check_paths([str(path)], jobs=1).diagnostics
    assert [(d.code, d.line) for d in found] == EXPECTED, [f"{d.line} {d.code} {d.message}" for d in found]
    assert "'times'" in found[0].message and "nme" in found[1].message


@pytest.mark.parametrize(("line", "says"), [(15, "fixed input 'times': expected int"),
                                            (16, "default input 'nme' is not an input of"),
                                            (17, "default input 'name': expected str")])
def test_the_runtime_refuses_the_same_plans(tmp_path: Path, line: int, says: str) -> None:
    lines = PLANS.splitlines()
    kept = [text for i, text in enumerate(lines, 1) if i < 14 or i == line]  # the good plan is the static test's
    (tmp_path / "one_plan.py").write_text("\n".join(kept) + "\n")
    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(DefinitionError, match=f"{re.escape(str(tmp_path))}.one_plan.py:14: .*{re.escape(says)}"):
            import one_plan  # type: ignore[import-not-found]  # noqa: F401
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("one_plan", None)
