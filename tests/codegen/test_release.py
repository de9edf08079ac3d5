"""Long generated bodies release a node's value after its last reader, as the interpreter does."""

from __future__ import annotations

import ast
import inspect
from types import ModuleType

import pytest

from flowgen.codegen.emit import RELEASE_FROM_NODES
from flowgen.runtime import generated as runtime

from .workspace import write_and_build

SOURCE = '''
import dataclasses
import weakref

from flowgen import conditional, task, workflow

_SEEN: list = []


@dataclasses.dataclass
class Blob:
    data: list[int]


@task
def make(n: int) -> Blob:
    return Blob(data=list(range(n)))


@task
def remember(b: Blob) -> int:
    _SEEN.append(weakref.ref(b))
    return len(b.data)


@task
def inc(x: int) -> int:
    return x + 1


@task
def alive(x: int) -> bool:
    return _SEEN[-1]() is not None


@workflow
def long_chain(n: int) -> tuple[int, bool]:
    blob = make(n=n)
    total = remember(b=blob)
    first = inc(x=total)
    x = first
    for _ in range(6):
        x = inc(x=x)
    late = conditional("late").if_(first > 0).then(inc(x=first)).else_().then(inc(x=x))
    return inc(x=late), alive(x=x)
'''


@pytest.fixture(scope="module")
def modules() -> tuple[ModuleType, ModuleType]:
    return write_and_build(SOURCE, "release")


def _deleted_after(fn: object) -> dict[str, int]:
    """Deleted variable -> index of the statement (of the try body) after which it is deleted."""
    body = ast.parse(inspect.getsource(fn)).body[0]  # type: ignore[arg-type]
    assert isinstance(body, ast.FunctionDef)
    stmts = body.body[1:]
    if isinstance(stmts[0], ast.Try):
        stmts = stmts[0].body
    found = {}
    for i, stmt in enumerate(stmts):
        if isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                assert isinstance(target, ast.Name)
                found[target.id] = i
            later = {n.id for s in stmts[i + 1:] for n in ast.walk(s) if isinstance(n, ast.Name)}
            assert not later & {t.id for t in stmt.targets if isinstance(t, ast.Name)}, ast.unparse(stmt)
    return found


def test_long_bodies_delete_values_after_their_last_reader(modules: tuple[ModuleType, ModuleType]) -> None:
    _, generated = modules
    for body in (generated._long_chain_checked, generated._long_chain_fast):
        deleted = _deleted_after(body)
        assert any(v.startswith("n0_make") for v in deleted)  # the blob, after remember
        first = next(v for v in deleted if v.startswith("n2_inc"))  # read last by the conditional
        assert deleted[first] > max(i for v, i in deleted.items() if v.startswith(("n3_", "n4_", "n5_")))


def test_a_released_value_is_freed_and_results_match(modules: tuple[ModuleType, ModuleType]) -> None:
    user, generated = modules
    expected = user.long_chain(n=5)
    assert generated.long_chain(n=5) == expected
    with runtime.validation(False):  # no copies: the task saw the very object the body held
        assert generated.long_chain(n=5) == (expected[0], False)


def test_short_bodies_keep_one_statement_per_node(modules: tuple[ModuleType, ModuleType]) -> None:
    assert RELEASE_FROM_NODES > 2
    source = SOURCE.replace("range(6)", "range(0)").replace("def long_chain", "def short_chain")
    _, generated = write_and_build(source, "release_short")
    assert _deleted_after(generated._short_chain_fast) == {}
