"""``check`` validates ``@task(requests=Resources(...), limits=...)`` by the runtime's own rule (issues 13, 18).

Units, whole GPUs, memory in thousandths of a byte and requests above limits are
decided once, in :mod:`flowgen.ir.overrides`; the runtime refuses such a task when its
module is imported, and ``check`` reports the same message (FG304) at the decorator.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from flowgen.errors import DefinitionError
from flowgen.static import check_paths

HEAD = '''from flowgen import Resources, task

CPU = "2"


@task(requests=Resources(cpu="1", mem="1Gi"), limits=Resources(cpu=CPU, mem="2Gi"))
def fine(x: int) -> int:
    return x

'''

CASES = {
    "above": ('@task(requests=Resources(cpu="4"), limits=Resources(cpu=CPU))',
              "requests.cpu ('4') is above limits.cpu ('2')"),
    "units": ('@task(requests=Resources(mem="12 apples"))', "requests.mem: '12 apples' is not a quantity"),
    "gpu": ("@task(limits=Resources(gpu=1.5))", "limits.gpu must be a whole number, not 1.5"),
    "thousandths": ('@task(limits=Resources(mem="500m"))', "limits.mem: '500m' is in thousandths of a byte"),
}


def _module(name: str) -> str:
    decorator, _ = CASES[name]
    return HEAD + f"\n{decorator}\ndef {name}(x: int) -> int:\n    return x\n"


@pytest.mark.filterwarnings("ignore::flowgen.dsl.cluster_config.ClusterConfigWarning")
@pytest.mark.parametrize("name", sorted(CASES))
def test_check_and_the_runtime_refuse_the_same_resources(tmp_path: Path, name: str) -> None:
    module = f"resources_{name}"
    path = tmp_path / f"{module}.py"
    path.write_text(_module(name))
    found = check_paths([str(path)], jobs=1).diagnostics
    says = CASES[name][1]
    assert [(d.code, d.line) for d in found] == [("FG304", 11)], [d.message for d in found]
    assert says in found[0].message and f"@task {module}.{name}" in found[0].message
    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(DefinitionError) as raised:
            __import__(module)
        assert says in str(raised.value)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(module, None)


def test_valid_resources_check_clean(tmp_path: Path) -> None:
    path = tmp_path / "resources_fine.py"
    path.write_text(HEAD)
    assert check_paths([str(path)], jobs=1).diagnostics == []
