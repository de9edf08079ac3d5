"""Hypothesis strategies for whole workflow modules: random typed tasks, random well-typed wiring.

A generated module has a header of shared types (a dataclass, a NamedTuple),
some tasks with random signatures, and one workflow that calls them with values
of compatible types: workflow inputs, earlier outputs (unpacked tuples, fields
of records, items of lists), constants and lists mixing both, some calls inside
constant ``for`` loops. ``ill_typed`` replaces one argument with a value of an
incompatible type and says on which line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

HEADER = '''import typing
from dataclasses import dataclass
from typing import NamedTuple, Optional

from flowgen import task, workflow


@dataclass
class Point:
    x: float
    y: float


class Pair(NamedTuple):
    a: int
    b: str

'''

# type name -> (annotation, constant literals of that type)
TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "int": ("int", ("0", "1", "7", "-3")),
    "float": ("float", ("0.5", "2.0", "-1.25")),
    "str": ("str", ('"a"', '"hello"', "''")),
    "bool": ("bool", ("True", "False")),
    "list_int": ("list[int]", ("[1, 2]", "[]", "[3]")),
    "dict_int": ("dict[str, int]", ('{"k": 1}', "{}")),
    "opt_int": ("Optional[int]", ("None", "4")),
    "Point": ("Point", ()),
}
# what may feed an input of each type (the wiring rule, restricted to these types)
FEEDS: dict[str, tuple[str, ...]] = {
    "int": ("int",),
    "float": ("float", "int"),
    "str": ("str",),
    "bool": ("bool",),
    "list_int": ("list_int",),
    "dict_int": ("dict_int",),
    "opt_int": ("opt_int", "int"),
    "Point": ("Point",),
}
# a type that can never feed each type (for ill-typed wiring)
WRONG: dict[str, tuple[str, ...]] = {
    "int": ("str", "float", "bool", "list_int"),
    "float": ("str", "bool", "opt_int"),
    "str": ("int", "float", "list_int"),
    "bool": ("int", "str"),
    "list_int": ("int", "dict_int", "str"),
    "dict_int": ("list_int", "int"),
    "opt_int": ("str", "float"),
    "Point": ("int", "str"),
}
# constants that never fit each type
WRONG_LITERALS: dict[str, tuple[str, ...]] = {
    "int": ('"x"', "1.5", "True", "[1]"),
    "float": ('"x"', "True", "None"),
    "str": ("1", "2.5", "[1]"),
    "bool": ("1", '"x"'),
    "list_int": ("1", '{"k": 1}', '"x"', '["a"]'),
    "dict_int": ("[1]", "1"),
    "opt_int": ('"x"', "1.5"),
    "Point": ("1", '"x"'),
}
INPUT_TYPES = tuple(TYPES)


@dataclass(frozen=True)
class TaskDef:
    name: str
    inputs: tuple[tuple[str, str], ...]  # (param name, type name)
    output: str  # "single:<type>" | "tuple" | "pair" | "none"

    def source(self) -> str:
        params = ", ".join(f"{n}: {TYPES[t][0]}" for n, t in self.inputs)
        kind, _, out = self.output.partition(":")
        returns = {"single": TYPES[out][0] if out else "", "tuple": "tuple[int, str]", "pair": "Pair",
                   "none": "None"}[kind]
        return f"@task\ndef {self.name}({params}) -> {returns}:\n    raise NotImplementedError\n"


@dataclass
class Value:
    expr: str
    type: str


@dataclass
class Module:
    tasks: list[TaskDef]
    workflow_inputs: list[tuple[str, str]]
    body: list[str] = field(default_factory=list)
    return_value: Value | None = None
    bad_line_offset: int | None = None  # index in body of the ill-typed call

    def source(self, tag: str = "") -> tuple[str, int | None]:
        """The module text and the 1-based line of the ill-typed call (if any).

        ``tag`` goes into the workflow's docstring: it keeps the code objects of generated
        workflows distinct (the tracer caches call sites per code object, and CPython's
        code equality ignores the file name).
        """
        text = HEADER + "\n".join(t.source() + "\n" for t in self.tasks)
        params = ", ".join(f"{n}: {TYPES[t][0]}" for n, t in self.workflow_inputs)
        ret = TYPES[self.return_value.type][0] if self.return_value else "None"
        head = f"\n@workflow\ndef wf({params}) -> {ret}:\n    \"\"\"generated {tag}\"\"\"\n"
        start_line = text.count("\n") + head.count("\n") + 1
        lines = [f"    {line}" for line in self.body]
        if self.return_value is not None:
            lines.append(f"    return {self.return_value.expr}")
        else:
            lines.append("    return None")
        bad = start_line + self.bad_line_offset if self.bad_line_offset is not None else None
        return text + head + "\n".join(lines) + "\n", bad


@st.composite
def task_defs(draw: st.DrawFn, count: int) -> list[TaskDef]:
    tasks = []
    for i in range(count):
        n_inputs = draw(st.integers(1, 3))
        inputs = tuple((f"p{j}", draw(st.sampled_from(INPUT_TYPES))) for j in range(n_inputs))
        output = draw(st.sampled_from(["single:int", "single:float", "single:str", "single:list_int",
                                       "single:Point", "single:dict_int", "single:bool", "tuple", "pair"]))
        tasks.append(TaskDef(f"t{i}", inputs, output))
    return tasks


def _derived(values: list[Value]) -> list[Value]:
    """Values reachable from the variables: record fields, list items, dict entries."""
    out = list(values)
    for v in values:
        if v.type == "Point":
            out.append(Value(f"{v.expr}.x", "float"))
        elif v.type == "list_int":
            out.append(Value(f"{v.expr}[0]", "int"))
        elif v.type == "dict_int":
            out.append(Value(f'{v.expr}["k"]', "int"))
    return out


@st.composite
def argument(draw: st.DrawFn, target: str, values: list[Value], loop_var: str | None) -> str:
    candidates = [v for v in _derived(values) if v.type in FEEDS[target]]
    if loop_var is not None and target in ("int", "float", "opt_int"):
        candidates.append(Value(loop_var, "int"))
    constants = TYPES[target][1]
    choices: list[str] = [c.expr for c in candidates]
    if target == "list_int":
        ints = [v.expr for v in _derived(values) if v.type == "int"]
        if ints:
            choices.append(f"[{draw(st.sampled_from(ints))}, 5]")
    if constants and (not choices or draw(st.booleans())):
        return draw(st.sampled_from(constants))
    if not choices:
        return ""
    return draw(st.sampled_from(choices))


@st.composite
def well_typed_modules(draw: st.DrawFn) -> Module:
    tasks = draw(task_defs(draw(st.integers(1, 4))))
    n_inputs = draw(st.integers(1, 3))
    wf_inputs = [(f"w{i}", draw(st.sampled_from([t for t in INPUT_TYPES if t != "Point"]))) for i in range(n_inputs)]
    module = Module(tasks, wf_inputs)
    values = [Value(n, t) for n, t in wf_inputs]
    counter = 0
    for _ in range(draw(st.integers(1, 6))):
        t = draw(st.sampled_from(tasks))
        in_loop = draw(st.integers(0, 4)) == 0
        loop_var = "i" if in_loop else None
        args = []
        ok = True
        for name, type_name in t.inputs:
            arg = draw(argument(type_name, values, loop_var))
            if not arg:
                ok = False
                break
            args.append((name, arg))
        if not ok:
            continue
        positional = draw(st.integers(0, len(args)))
        rendered = [a for _, a in args[:positional]] + [f"{n}={a}" for n, a in args[positional:]]
        call = f"{t.name}({', '.join(rendered)})"
        var = f"v{counter}"
        counter += 1
        kind, _, out = t.output.partition(":")
        if in_loop:
            module.body.append(f"for i in range({draw(st.integers(1, 3))}):")
            module.body.append(f"    {var} = {call}")  # after the loop: the last iteration's outputs
        elif kind == "tuple" and draw(st.booleans()):
            module.body.append(f"{var}_a, {var}_b = {call}")
        else:
            module.body.append(f"{var} = {call}")
        if kind == "single":
            values.append(Value(var, out))
        elif kind == "tuple":
            if in_loop or not module.body[-1].startswith(f"{var}_a"):
                values.extend([Value(f"{var}[0]", "int"), Value(f"{var}[1]", "str")])
            else:
                values.extend([Value(f"{var}_a", "int"), Value(f"{var}_b", "str")])
        elif kind == "pair":
            values.extend([Value(f"{var}.a", "int"), Value(f"{var}.b", "str")])
    produced = [v for v in values if v.expr not in {n for n, _ in wf_inputs}]
    if produced:
        module.return_value = draw(st.sampled_from(produced))
    return module


@st.composite
def ill_typed_modules(draw: st.DrawFn) -> Module:
    """A well-typed module plus one call whose argument has an incompatible type (line known)."""
    module = draw(well_typed_modules())
    t = draw(st.sampled_from(module.tasks))
    values = [Value(n, ty) for n, ty in module.workflow_inputs]
    bad_index = draw(st.integers(0, len(t.inputs) - 1))
    args = []
    for j, (name, type_name) in enumerate(t.inputs):
        if j == bad_index:
            sources = [v.expr for v in values if v.type in WRONG[type_name]]
            if sources and draw(st.booleans()):
                arg = draw(st.sampled_from(sources))
            else:
                arg = draw(st.sampled_from(WRONG_LITERALS[type_name]))
        else:
            arg = draw(argument(type_name, values, None))
            if not arg:
                arg = "None"
        args.append(f"{name}={arg}")
    module.bad_line_offset = len(module.body)
    module.body.append(f"bad = {t.name}({', '.join(args)})")
    return module
