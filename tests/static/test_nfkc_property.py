"""Property (issue 13): identifiers are NFKC-normalised as Python does, in both front ends and the generated module.

Each generated module spells its names (tasks, parameters, a NamedTuple and its fields,
local variables, the workflow and its inputs) with random Unicode identifiers, and every
*occurrence* of a name with a random spelling among those Python takes for the same
identifier (``x``, ``ｘ``, ``𝐱``, ``𝑥``; ``H``, ``ℌ``, ``𝐇``; ``fi``, ``ﬁ`` ...). Python
normalises each occurrence (PEP 3131), so the module is one program; the static front end
must read it the same way:

- static IR == traced IR (the tracer imports the module; names are Python's), and
  ``flowgen check`` finds nothing;
- the generated module (built statically, never importing the source) runs to the same
  result as the interpreter, which runs the traced workflow.
"""

from __future__ import annotations

import importlib
import itertools
import keyword
import os
import sys
import tempfile
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowgen.static import check_paths, compile_static
from tests.codegen.helpers import generate, load

_counter = itertools.count()
_DIR = tempfile.mkdtemp(prefix="flowgen-nfkc-")

# Canonical letters (what NFKC gives) and the spellings of each that Python accepts for it.
_LETTERS = "abcdefghijklmnopqrstuvwxyzHIRZ" + "αβλπéüßдж変数"


def _spellings(letter: str) -> tuple[str, ...]:
    candidates = {letter}
    if "a" <= letter <= "z":
        i = ord(letter) - ord("a")
        candidates |= {chr(0xFF41 + i), chr(0x1D41A + i), chr(0x1D44E + i), chr(0x1D5BA + i), chr(0x1D68A + i)}
    elif "A" <= letter <= "Z":
        i = ord(letter) - ord("A")
        candidates |= {chr(0xFF21 + i), chr(0x1D400 + i), chr(0x1D434 + i), chr(0x1D5A0 + i)}
        candidates |= {"ℌ", "ℍ", "ℐ", "ℑ", "ℛ", "ℜ", "ℝ", "ℤ", "ℨ"}
    elif letter in "αβλπ":
        candidates |= {chr(c) for c in range(0x1D6C2, 0x1D6DB)} | {chr(c) for c in range(0x1D6FC, 0x1D715)}
    elif letter == "é":
        candidates.add("e\u0301")  # decomposed: NFKC composes it
    return tuple(sorted(c for c in candidates
                        if unicodedata.normalize("NFKC", c) == letter and ("a" + c).isidentifier()))


SPELLINGS = {letter: _spellings(letter) for letter in _LETTERS}
assert all(len(SPELLINGS[c]) >= 3 for c in "xyzH")


@st.composite
def canonical_names(draw: st.DrawFn, count: int) -> list[str]:
    """``count`` distinct identifiers, already NFKC-normal, not keywords."""
    names: list[str] = []
    while len(names) < count:
        first = draw(st.sampled_from([c for c in _LETTERS if ("_" + c).isidentifier() and c.isidentifier()]))
        rest = draw(st.text(alphabet=_LETTERS + "_0123456789", min_size=0, max_size=4))
        name = unicodedata.normalize("NFKC", first + rest)
        if name.isidentifier() and not keyword.iskeyword(name) and name not in names and not name.startswith("__"):
            names.append(name)
    return names


def spell(draw: st.DrawFn, name: str) -> str:
    """One random spelling of ``name`` that Python reads as ``name``."""
    for _ in range(20):
        text = "".join(draw(st.sampled_from(SPELLINGS.get(c, (c,)))) for c in name)
        if text.isidentifier() and unicodedata.normalize("NFKC", text) == name:
            return text
    return name


TEMPLATE = '''import typing

from flowgen import task, workflow


class {R}(typing.NamedTuple):
    {F}: int
    {G}: str


@task
def {T1}({P1}: int, {P2}: int) -> int:
    return {P1} * 2 + {P2}


@task
def {T2}({P3}: int) -> {R2}:
    return {R3}({F2}={P3} + 1, {G2}=str({P3}))


@task
def {T3}({P4}: str, {P5}: int) -> str:
    return {P4} * ({P5} % 3)


@workflow
def {W}({I1}: int, {I2}: int = 3) -> str:
    """nfkc {tag}"""
    {V1} = {T1a}({P1a}={I1a}, {P2a}={I2a})
    {V2} = {T2a}({P3a}={V1a})
    {V3} = {T1b}({V2a}.{F3}, {P2b}={V1b})
    return {T3a}({P4a}={V2b}.{G3}, {P5a}={V3a})
'''

_SLOTS = ("R", "F", "G", "T1", "T2", "T3", "P1", "P2", "P3", "P4", "P5", "W", "I1", "I2", "V1", "V2", "V3")


@st.composite
def unicode_modules(draw: st.DrawFn) -> tuple[str, str, tuple[int, int]]:
    """(module source, the workflow's Python name, inputs)."""
    names = dict(zip(_SLOTS, draw(canonical_names(len(_SLOTS)))))
    fields: dict[str, str] = {"tag": str(next(_counter))}
    for slot, base in (("R", "R"), ("R2", "R"), ("R3", "R"), ("F", "F"), ("F2", "F"), ("F3", "F"),
                       ("G", "G"), ("G2", "G"), ("G3", "G"), ("T1", "T1"), ("T1a", "T1"), ("T1b", "T1"),
                       ("T2", "T2"), ("T2a", "T2"), ("T3", "T3"), ("T3a", "T3"), ("W", "W")):
        fields[slot] = spell(draw, names[base])
    for slot in ("P1", "P2", "P3", "P4", "P5", "I1", "I2", "V1", "V2", "V3"):
        fields[slot] = spell(draw, names[slot])
        for suffix in "ab":
            fields[slot + suffix] = spell(draw, names[slot])
    return TEMPLATE.format(**fields), names["W"], (draw(st.integers(-5, 5)), draw(st.integers(-5, 5)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
@given(unicode_modules())
def test_static_ir_equals_traced_ir_and_generated_run_equals_interpreted(case: tuple[str, str, tuple[int, int]]) -> None:
    source, workflow, (a, b) = case
    module = f"nfkc_prop_{os.getpid()}_{next(_counter)}"
    path = os.path.join(_DIR, module + ".py")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(source)
    assert check_paths([path], jobs=1).diagnostics == [], source
    static = compile_static(path, workflow)
    sys.path.insert(0, _DIR)
    try:
        user = importlib.import_module(module)
        wf = getattr(user, workflow)
        traced = wf.compile_program()
        assert static.model_dump(mode="json") == traced.model_dump(mode="json"), source
        interpreted = wf(a, b)
    finally:
        sys.path.remove(_DIR)
        sys.modules.pop(module, None)
    out, _ = generate(path, os.path.join(_DIR, "out"))
    generated = load(out)
    assert getattr(generated, workflow)(a, b) == interpreted, source
    v1 = a * 2 + b  # the program's plain-Python meaning: t1, then the record of t2, then t1 and t3
    assert interpreted == str(v1) * (((v1 + 1) * 2 + v1) % 3)
