"""FG001: the file does not parse; reported at the parser's position, other files still checked."""

from flowgen.static.checks._base import Check

CHECK = Check(
    code="FG001",
    name="syntax-error",
    severity="error",
    summary="The module is not valid Python; nothing in it can be checked.",
    hint="fix the syntax error; flowgen never imports the module, so nothing else is reported for it",
    valid=(
        "x = 1\n",
    ),
    invalid=(
        "from flowgen import task\n\n@task\ndef f(x: int -> int:  # expect: FG001\n    return x\n",
    ),
)
