"""Promise rules (DESIGN.md): each misuse raises PromiseError at trace time, at the right line,
naming the construct, the variable and the fix; the allowed uses compile."""

from typing import NamedTuple, Optional

import pytest

from flowgen import PromiseError, WiringError, dynamic, task, workflow
from tests.core.markers import line_of


@task
def number() -> int:
    return 3


@task
def numbers() -> list[int]:
    return [1, 2]


@task
def use(x: int) -> int:
    return x


def _expect(wf_fn, marker: str, *words: str) -> PromiseError:
    with pytest.raises(PromiseError) as info:
        workflow(wf_fn).compile_program()
    err = info.value
    assert err.location is not None
    assert err.location.line == line_of(wf_fn, marker), str(err)
    assert err.location.file.endswith("test_promise_rules.py")
    for word in words:
        assert word in str(err), str(err)
    return err


def test_truthiness_in_if() -> None:
    def wf() -> int:
        n = number()
        if n:  # MISUSE
            return use(x=n)
        return use(x=0)

    _expect(wf, "# MISUSE", "Python `if`", "`n`", "conditional()")


def test_if_on_a_comparison() -> None:
    def wf() -> int:
        n = number()
        if n > 2:  # MISUSE
            return use(x=n)
        return use(x=0)

    _expect(wf, "# MISUSE", "comparison", "conditional(")


def test_while_loop() -> None:
    def wf() -> int:
        n = number()
        while n:  # MISUSE
            break
        return use(x=n)

    _expect(wf, "# MISUSE", "while")


def test_and_or_not() -> None:
    def wf_and() -> int:
        n = number()
        m = n and 3  # MISUSE
        return use(x=m)

    def wf_not() -> int:
        n = number()
        m = not n  # MISUSE
        return use(x=int(m))

    _expect(wf_and, "# MISUSE", "`and`/`or`")
    _expect(wf_not, "# MISUSE", "`not`")


def test_iteration() -> None:
    def wf() -> int:
        for x in numbers():  # MISUSE
            use(x=x)
        return use(x=0)

    _expect(wf, "# MISUSE", "iterating", "@dynamic")


def test_len() -> None:
    def wf() -> int:
        xs = numbers()
        return use(x=len(xs))  # MISUSE

    _expect(wf, "# MISUSE", "`len()`", "`xs`")


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "//", "%", "**"])
def test_arithmetic(op: str) -> None:
    namespace: dict = {"number": number, "use": use}
    source = f"def wf() -> int:\n    n = number()\n    return use(x=n {op} 1)  # MISUSE\n"
    code = compile(source, "<arith>", "exec")
    exec(code, namespace)
    with pytest.raises(PromiseError) as info:
        workflow(namespace["wf"]).compile_program()
    assert f"arithmetic (`{op}`)" in str(info.value)
    assert info.value.location is not None and info.value.location.line == 3


def test_reflected_arithmetic_and_unary() -> None:
    def wf() -> int:
        n = number()
        return use(x=1 + n)  # MISUSE

    def wf_neg() -> int:
        n = number()
        return use(x=-n)  # MISUSE

    _expect(wf, "# MISUSE", "arithmetic")
    _expect(wf_neg, "# MISUSE", "arithmetic")


def test_str_and_fstring() -> None:
    def wf_str() -> int:
        n = number()
        print(str(n))  # MISUSE
        return n

    def wf_f() -> int:
        n = number()
        print(f"{n}")  # MISUSE
        return n

    _expect(wf_str, "# MISUSE", "`str()`")
    _expect(wf_f, "# MISUSE", "formatting")


def test_range_and_int() -> None:
    def wf_range() -> int:
        n = number()
        for _ in range(n):  # MISUSE
            pass
        return n

    def wf_int() -> int:
        n = number()
        return use(x=int(n))  # MISUSE

    _expect(wf_range, "# MISUSE", "integer")
    _expect(wf_int, "# MISUSE", "`int()`")


def test_dynamic_body_misuse_reports_the_line_at_run_time() -> None:
    @dynamic
    def dyn(s: str) -> int:
        index = use(x=len(s))
        return use(x=index + 1)  # MISUSE

    @workflow
    def wf(s: str) -> int:
        return dyn(s=s)

    with pytest.raises(PromiseError) as info:
        wf(s="abc")
    assert info.value.location is not None
    assert info.value.location.line == line_of(dyn.fn, "# MISUSE")
    assert "@dynamic" in str(info.value) and "`index`" in str(info.value)


class Point(NamedTuple):
    x: int
    y: Optional[int]


@task
def point() -> Point:
    return Point(1, None)


@task
def mapping() -> dict[str, int]:
    return {"a": 1}


@task
def maybe(y: Optional[int]) -> int:
    return 0 if y is None else y


@task
def total(values: list[int]) -> int:
    return sum(values)


def test_allowed_uses_compile_and_run() -> None:
    @workflow
    def wf() -> int:
        p = point()
        xs = numbers()
        d = mapping()
        repr(p)
        a = use(x=p.x)
        b = maybe(y=p.y)
        c = use(x=xs[1])
        e = use(x=d["a"])
        return total(values=[a, b, c, e])

    assert wf() == 1 + 0 + 2 + 1


def test_attribute_and_index_are_typed() -> None:
    def bad_attr() -> int:
        p = point()
        return use(x=p.z)  # MISUSE

    def bad_index() -> int:
        d = mapping()
        return use(x=d[0])  # MISUSE

    def optional_into_int() -> int:
        p = point()
        return use(x=p.y)  # MISUSE

    for fn, words in ((bad_attr, ("no field 'z'", "fields: x, y")), (bad_index, ("cannot index",)),
                      (optional_into_int, ("expects int", "int | None"))):
        with pytest.raises(WiringError) as info:
            workflow(fn).compile_program()
        assert info.value.location is not None and info.value.location.line == line_of(fn, "# MISUSE")
        for w in words:
            assert w in str(info.value)


def test_repr_works() -> None:
    @workflow
    def wf() -> int:
        n = number()
        assert "Promise(" in repr(n)
        return n

    assert wf() == 3


KEPT: list = []


def test_a_promise_kept_from_another_workflow_is_a_wiring_error() -> None:
    """A Promise kept in a global by one workflow's compile and used by another's: its node is not
    in this graph, so flowgen refuses it at the call, naming the input and both graphs (it used to
    run as this graph's node of the same id, or fail with a KeyError from inside flowgen)."""
    def keeps() -> int:
        p = number()
        KEPT.append(p)
        return p

    def reuses() -> int:
        return use(x=KEPT[-1])  # marker: reuses

    workflow(keeps).compile_program()
    with pytest.raises(WiringError) as info:
        workflow(reuses).compile_program()
    err = info.value
    assert err.location is not None and err.location.line == line_of(reuses, "marker: reuses")
    assert err.input == "x" and "a Promise of workflow" in str(err) and "keeps" in str(err)
    assert "already traced" in str(err) and "pass the value in as an input" in str(err)


def test_a_promise_kept_from_an_earlier_run_of_a_dynamic_is_a_wiring_error() -> None:
    kept: list = []

    def body(n: int) -> int:
        v = use(x=n)
        if kept:
            return use(x=kept[0])  # marker: second run
        kept.append(v)
        return v

    def wf(n: int) -> int:
        return dyn(n=n)

    dyn = dynamic(body)
    run = workflow(wf)
    assert run(n=1) == 1
    with pytest.raises(WiringError) as info:
        run(n=2)
    assert info.value.location is not None and info.value.location.line == line_of(body, "marker: second run")
    assert "a Promise of dynamic" in str(info.value)


def test_a_branch_reads_the_promises_of_its_workflow() -> None:
    from flowgen import conditional

    def wf(n: int) -> int:
        a = use(x=n)
        return conditional("c").if_(a > 2).then(use(x=a)).else_().then(use(x=number()))

    assert workflow(wf)(n=5) == 5 and workflow(wf)(n=1) == 3
