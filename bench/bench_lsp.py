"""``flowgen lsp``'s re-check of one edited file against a full ``flowgen check``.

A generated project of N modules (default 1,000): each defines two tasks; every tenth
also defines a workflow that wires tasks of ten other modules. The editor case is one
workflow module being edited: the server's :class:`flowgen.static.Workspace` checks its
unsaved text, parsing only that file (the modules it imports were parsed by the first
check and are kept). Side by side: a full ``flowgen check`` of the project (what the
CLI does, ``check_paths``), the first check of the file in a fresh workspace, the
re-check after an edit, and plain Python reading the same file (``ast.parse``). Best of
``--runs``, in milliseconds; "parsed" counts the modules each step parsed.

    .venv/bin/python bench/bench_lsp.py [--modules 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import ast
import tempfile
import time
from pathlib import Path

from flowgen.static import Workspace, check_paths

TASKS = """from flowgen import task


@task
def first_{i}(x: int) -> int:
    return x + 1


@task
def second_{i}(x: int, label: str) -> str:
    return label * x
"""


def _workflow(i: int, modules: int) -> str:
    others = [(i + k) % modules for k in range(1, 11)]
    imports = "\n".join(f"from mod_{j} import first_{j}, second_{j}" for j in others)
    calls = "".join(f"    n = first_{j}(x=n)\n    s = second_{j}(x=n, label=s)\n" for j in others)
    return (
        TASKS.format(i=i) + f"\n\n{imports}\nfrom flowgen import workflow\n\n\n@workflow\n"
        f"def flow_{i}(n: int, s: str) -> str:\n{calls}    return s\n"
    )


def build(root: Path, modules: int) -> Path:
    for i in range(modules):
        text = _workflow(i, modules) if i % 10 == 0 else TASKS.format(i=i)
        (root / f"mod_{i}.py").write_text(text)
    return root / "mod_0.py"


def _best(runs: int, step: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        edited = build(root, args.modules)
        text = edited.read_text()
        full = _best(max(1, args.runs // 2), lambda: check_paths([str(root)]))

        def first_check() -> None:
            Workspace().check(str(edited), text)

        first = _best(args.runs, first_check)
        workspace = Workspace()
        workspace.check(str(edited), text)
        before = workspace.parses
        edits = iter(range(10**6))

        def recheck() -> None:
            workspace.check(str(edited), text.replace("return s\n", f"return s  # edit {next(edits)}\n"))

        again = _best(args.runs, recheck)
        reparsed = (workspace.parses - before) / args.runs
        python = _best(args.runs, lambda: ast.parse(text))
    print(f"flowgen lsp: one edited workflow module of a {args.modules}-module project (best of {args.runs})")
    print(f"{'step':<44} {'ms':>9} {'parsed':>8}")
    print(f"{'flowgen check of the whole project':<44} {full:>9.1f} {args.modules:>8}")
    print(f"{'first check of the file (fresh workspace)':<44} {first:>9.1f} {before:>8}")
    print(f"{'re-check after an edit (the LSP case)':<44} {again:>9.1f} {reparsed:>8.0f}")
    print(f"{'plain Python: ast.parse of the file':<44} {python:>9.1f} {1:>8}")
    print(f"re-check / full check: {again / full:.3f}")


if __name__ == "__main__":
    main()
