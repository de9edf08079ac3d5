"""Echo and launch plans, statically: what the runtime refuses is reported, and compile_file's result."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flowgen.static import StaticCompileError, check_paths, compile_file, compile_static

HEAD = """\
from flowgen import Echo, LaunchPlan, task, workflow


@task
def greet(name: str, punctuation: str) -> str:
    return name + punctuation


@workflow
def greeting(name: str, punctuation: str = ".") -> str:
    return greet(name=name, punctuation=punctuation)

"""


def _write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "flows.py"
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return str(path)


def test_a_fixed_input_given_to_a_launch_plan_is_reported_on_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        excited = LaunchPlan.get_or_create(greeting, name="excited", fixed_inputs={"punctuation": "!"})


        @workflow
        def wf(name: str) -> str:
            return excited(name=name, punctuation="?")
        """)
    found = check_paths([path]).diagnostics
    assert [(d.code, d.line) for d in found] == [("FG202", 18)]
    assert "fixed" in found[0].message


def test_default_inputs_become_literals_unless_given(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        for_world = LaunchPlan.create("for_world", greeting, default_inputs={"name": "world"})


        @workflow
        def wf(name: str) -> str:
            return for_world(punctuation="?")
        """)
    node = compile_static(path, "wf").workflows["flows.wf"].nodes[0]
    assert node.launch_plan == "for_world"  # type: ignore[union-attr]
    assert {k: b.kind for k, b in node.inputs.items()} == {"punctuation": "literal", "name": "literal"}


@pytest.mark.parametrize(("plans", "reason"), [
    ('p = LaunchPlan.create("p", greeting, fixed_inputs={"nope": 1})', "is not an input"),
    ('p = LaunchPlan.create("p", greeting, fixed_inputs={"name": 3})', "expected str"),
    ('p = LaunchPlan.create("p", greeting, default_inputs={"name": "a"}, fixed_inputs={"name": "b"})',
     "both default and fixed"),
    ('p = LaunchPlan.create("p", greet)', "needs a @workflow"),
])
def test_a_launch_plan_the_runtime_refuses_does_not_compile(tmp_path: Path, plans: str, reason: str) -> None:
    path = _write(tmp_path, f"""\
        {plans}


        @workflow
        def wf(name: str) -> str:
            return p(name=name)
        """)
    with pytest.raises(StaticCompileError):
        compile_static(path, "wf")


def test_echo_is_a_task_built_where_the_user_wrote_it(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        keep = Echo(name="keep", inputs={"a": int, "b": list[str]})


        @workflow
        def wf(a: int, b: list[str]) -> tuple[int, list[str]]:
            return keep(a=a, b=b)
        """)
    spec = compile_static(path, "wf").tasks["flowgen.echo.keep"]
    assert spec.function == "flowgen.dsl.echo:echo"
    assert [o.name for o in spec.interface.outputs] == ["o0", "o1"]
    assert spec.source is not None and (spec.source.line, spec.source.column) == (13, 7)


def test_echo_with_an_unknown_option_does_not_compile(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        keep = Echo(name="keep", inputs={"a": int}, colour="red")


        @workflow
        def wf(a: int) -> int:
            return keep(a=a)
        """)
    with pytest.raises(StaticCompileError):
        compile_static(path, "wf")


def test_compile_file_reports_the_declined_workflows_and_keeps_the_others(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        import os


        @workflow
        def outside(name: str) -> str:
            return greet(name=os.environ["X"], punctuation="!")
        """)
    result = compile_file(path)
    assert list(result.programs) == ["greeting"]
    assert result.declined == ("outside",)
    assert [d.code for d in result.diagnostics] == ["FG401"]
    with pytest.raises(StaticCompileError, match="outside"):
        result.raise_if_declined()


def test_compile_file_of_an_unparsable_file_raises_with_the_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text("def (:\n", encoding="utf-8")
    with pytest.raises(StaticCompileError) as raised:
        compile_file(str(path))
    assert [d.code for d in raised.value.diagnostics] == ["FG001"]
