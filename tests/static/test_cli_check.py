"""``flowgen check``: formats, exit status, select/ignore, suppression, exclude, bad files."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from flowgen.cli.main import cli

GOOD = '''from flowgen import task, workflow


@task
def double(x: int) -> int:
    return 2 * x


@workflow
def wf(x: int) -> int:
    return double(x=x)
'''
BAD = GOOD.replace("return double(x=x)", 'return double(x="seven")')
BAD_LINE = 11


def _tree(tmp_path: object, files: dict[str, str]) -> str:
    root = str(tmp_path)
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(text)
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    return result.exit_code, result.output


def test_clean_tree_exits_zero(tmp_path: object) -> None:
    root = _tree(tmp_path, {"good.py": GOOD})
    code, out = run(root)
    assert code == 0
    assert "FG" not in out


def test_text_format_has_location_source_line_and_caret(tmp_path: object) -> None:
    root = _tree(tmp_path, {"bad.py": BAD})
    code, out = run(root)
    assert code == 1
    lines = out.splitlines()
    header = next(line for line in lines if "FG201" in line)
    assert header.endswith("(in @workflow bad.wf)")
    assert f"bad.py:{BAD_LINE}:21: error FG201 " in header  # 1-based column, like ruff and mypy
    i = lines.index(header)
    assert lines[i + 1].strip() == 'return double(x="seven")'
    assert lines[i + 2].strip().startswith("^")
    assert lines[i + 2].index("^") == lines[i + 1].index('"seven"')


def test_json_format(tmp_path: object) -> None:
    root = _tree(tmp_path, {"bad.py": BAD})
    code, out = run("--format", "json", root)
    assert code == 1
    (d,) = json.loads(out)["diagnostics"]
    assert set(d) == {"path", "line", "column", "end_line", "end_column", "code", "severity", "message", "hint"}
    assert (d["line"], d["column"], d["code"], d["severity"]) == (BAD_LINE, 20, "FG201", "error")
    assert d["end_column"] == 27


def test_github_format(tmp_path: object) -> None:
    root = _tree(tmp_path, {"bad.py": BAD})
    code, out = run("--format", "github", root)
    assert code == 1
    assert out.startswith("::error file=")
    assert f",line={BAD_LINE},col=21," in out and "title=FG201::" in out


def test_select_ignore_and_prefixes(tmp_path: object) -> None:
    root = _tree(tmp_path, {"bad.py": BAD})
    assert run("--ignore", "FG201", root)[0] == 0
    assert run("--ignore", "FG2", root)[0] == 0
    assert run("--select", "FG1", root)[0] == 0
    assert run("--select", "FG201,FG101", root)[0] == 1


def test_inline_suppression(tmp_path: object) -> None:
    suppressed = BAD.replace('double(x="seven")', 'double(x="seven")  # flowgen: ignore[FG201]')
    other = BAD.replace('double(x="seven")', 'double(x="seven")  # flowgen: ignore[FG101]')
    bare = BAD.replace('double(x="seven")', 'double(x="seven")  # flowgen: ignore')
    assert run(_tree(tmp_path, {"a/s.py": suppressed}) + "/a")[0] == 0
    assert run(_tree(tmp_path, {"b/o.py": other}) + "/b")[0] == 1
    assert run(_tree(tmp_path, {"c/b.py": bare}) + "/c")[0] == 0


def test_syntax_error_is_a_diagnostic_and_other_files_are_checked(tmp_path: object) -> None:
    root = _tree(tmp_path, {"broken.py": "def f(:\n    pass\n", "bad.py": BAD, "good.py": GOOD})
    code, out = run("--format", "json", root)
    assert code == 1
    found = {(os.path.basename(d["path"]), d["code"], d["line"]) for d in json.loads(out)["diagnostics"]}
    assert found == {("broken.py", "FG001", 1), ("bad.py", "FG201", BAD_LINE)}


def test_exclude(tmp_path: object) -> None:
    root = _tree(tmp_path, {"generated/bad.py": BAD, "good.py": GOOD})
    assert run(root)[0] == 1
    assert run("--exclude", "generated", root)[0] == 0


def test_warnings_alone_exit_zero(tmp_path: object) -> None:
    outside = GOOD.replace("return double(x=x)", "return double(x=int(os.environ['N']))").replace(
        "from flowgen", "import os\nfrom flowgen")
    code, out = run(_tree(tmp_path, {"w.py": outside}))
    assert code == 0
    assert "warning FG401" in out


def test_compile_static_prints_ir(tmp_path: object) -> None:
    root = _tree(tmp_path, {"good.py": GOOD})
    result = CliRunner().invoke(cli, ["compile", "--static", os.path.join(root, "good.py") + ":wf"])
    assert result.exit_code == 0, result.output
    program = json.loads(result.output)
    assert program["entry"] == "good.wf"
    assert [n["task"] for n in program["workflows"]["good.wf"]["nodes"]] == ["good.double"]
