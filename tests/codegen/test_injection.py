"""Injection safety: hostile identifiers, task names, docstrings, default values, conditional
names and fail messages always give a module that compiles and behaves like the interpreter.

Identifiers include names that shadow builtins and the generator's own names (``_fg``,
``_p``, ``result``, ``_ROOT``...); strings include quotes, backslashes, newlines and unicode.
"""

from __future__ import annotations

import keyword
import unicodedata
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from flowgen.errors import FlowgenError
from flowgen.runtime import generated as runtime

from .workspace import write_and_build

GENERATOR_NAMES = ["_fg", "_p", "_e", "result", "_ROOT", "_sys", "_typing", "_builtins", "_datetime", "_I",
                   "_TYPE", "_f_shout", "_T_shout", "_n_wf_n0", "_W_wf", "_LINES_wf", "_wf_checked", "_wf_fast",
                   "n0_shout", "n1_shout", "_m_hostile", "annotations"]
SHADOWED_BUILTINS = ["int", "str", "list", "dict", "tuple", "bool", "float", "print", "len", "getattr",
                     "Exception", "None_", "type", "id", "object"]

identifiers = st.one_of(
    st.sampled_from(GENERATOR_NAMES + SHADOWED_BUILTINS + ["ñame", "µ", "ǅx", "_", "__x", "match", "case"]),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True),
).filter(lambda s: s.isidentifier() and not keyword.iskeyword(s)
         and s not in ("task", "workflow", "conditional"))  # the module's own imports
hostile_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20) | st.sampled_from(
    ['"', "'", '"""', "'''", "\\", "\\n", "\n", "\r\n", "\x00", "{x}", "%s", "# not a comment", "é\u2028ü"])


@st.composite
def hostile_modules(draw: Any) -> tuple[str, str, str, str, str]:
    """(module source, workflow function name, first input name, second input name, default text)."""
    names = draw(st.lists(identifiers, min_size=3, max_size=3, unique_by=lambda s: s.casefold()))
    wf_name, p1, p2 = names
    task_name, doc, default, cond_name, fail_message = (draw(hostile_text) for _ in range(5))
    source = f'''"""{"hostile module"}"""

from flowgen import conditional, task, workflow


@task(name={("hostile." + task_name)!r})
def shout({p1}: str, {p2}: int = 2) -> str:
    {doc!r}
    return {p1} * {p2}


@workflow
def {wf_name}({p1}: str = {default!r}, {p2}: int = 1) -> str:
    {doc!r}
    said = shout({p1}={p1}, {p2}={p2})
    return (
        conditional({cond_name!r})
        .if_({p2} < 3).then(said)
        .else_().fail({fail_message!r})
    )
'''
    return source, wf_name, p1, p2, default


def _outcome(fn: Any, **kwargs: Any) -> Any:
    try:
        return ("ok", fn(**kwargs))
    except FlowgenError as exc:
        return ("error", type(exc), exc.node, str(exc))


@given(hostile_modules(), st.integers(0, 4))
def test_hostile_names_and_strings_behave_like_the_interpreter(case: tuple[str, str, str, str, str], n: int) -> None:
    source, wf_name, p1, p2, default = case
    user, generated = write_and_build(source, "hostile")
    # Python spells identifiers NFKC-normalized (``µ`` is ``μ``); keyword arguments must match that spelling.
    wf_name, p1, p2 = (unicodedata.normalize("NFKC", n) for n in (wf_name, p1, p2))
    for kwargs in ({}, {p2: n}, {p1: "ab", p2: n}):
        expected = _outcome(getattr(user, wf_name), **kwargs)
        assert _outcome(getattr(generated, wf_name), **kwargs) == expected
        with runtime.validation(False):
            got = _outcome(getattr(generated, wf_name), **kwargs)
        assert got[:3] == expected[:3]
