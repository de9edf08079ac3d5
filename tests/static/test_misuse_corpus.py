"""The misuse corpus: ``flowgen check``, the mypy plugin and the tracer on the same mistakes (issue 13).

Every ``tests/static/misuse_corpus/c*.py`` is a small program with one mistake on the line
ending in ``# flag`` and a header saying what each tool does with it (see the corpus's
README): the code ``check`` reports there, whether mypy flags the line, whether the
tracer raises there. One parametrized test per case asserts all three; where a tool
cannot see the mistake, the header says why, and the test pins that it stays silent.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from flowgen.dsl.entities import Workflow
from flowgen.errors import FlowgenError
from flowgen.static import check_paths
from tests.mypy.harness import DEFAULT_CONFIG

CORPUS = Path(__file__).resolve().parent / "misuse_corpus"
CASES = sorted(CORPUS.glob("c*.py"))
_HEADER = re.compile(r"^# (expect-check|expect-mypy|expect-tracer|tracer-runs): (.*)$", re.M)
_ELSEWHERE = re.compile(r"^raises in (?P<file>[\w.]+):(?P<line>\d+)\b")


@dataclass(frozen=True)
class Case:
    path: Path
    flag: int
    check: str
    check_severity: str
    mypy_flags: bool
    tracer: str
    tracer_line: int
    tracer_file: str
    runs: tuple[str, dict[str, object]] | None


def _case(path: Path) -> Case:
    text = path.read_text()
    lines = text.splitlines()
    header = dict(_HEADER.findall(text))
    flagged = [n for n, line in enumerate(lines, 1) if line.rstrip().endswith("# flag")]
    assert len(flagged) == 1, f"{path.name}: one line must end in '# flag'"
    here = [n for n, line in enumerate(lines, 1) if "# tracer-raises-here" in line]
    tracer = header["expect-tracer"]
    elsewhere = _ELSEWHERE.match(tracer)
    runs = None
    if "tracer-runs" in header:
        name, _, inputs = header["tracer-runs"].partition(" ")
        runs = (name, json.loads(inputs))
    return Case(
        path=path,
        flag=flagged[0],
        check=header["expect-check"].split()[0],
        check_severity="warning" if "(warning)" in header["expect-check"] else "error",
        mypy_flags=header["expect-mypy"] == "flags",
        tracer="silent" if tracer.startswith("silent") else "raises",
        tracer_line=int(elsewhere["line"]) if elsewhere else (here or flagged)[0],
        tracer_file=elsewhere["file"] if elsewhere else path.name,
        runs=runs,
    )


def test_the_corpus_is_large_and_every_silence_is_explained() -> None:
    assert len(CASES) >= 40
    for path in CASES:
        text = path.read_text()
        for tool in ("mypy", "tracer"):
            said = re.search(rf"^# expect-{tool}: (.*)$", text, re.M)
            assert said is not None, f"{path.name}: no expect-{tool}"
            if said[1].startswith("silent"):
                assert " -- " in said[1], f"{path.name}: say why {tool} cannot flag it"
        assert len({_case(p).path.name for p in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[int]]:
    """One mypy run over the whole corpus (its own interpreter, the plugin loaded as users load it)."""
    cache = tmp_path_factory.mktemp("mypy-cache")
    command = [sys.executable, "-m", "mypy", "--config-file", str(DEFAULT_CONFIG), "--cache-dir", str(cache),
               "--no-pretty", "--no-error-summary", "--hide-error-context", *(p.name for p in CASES)]
    done = subprocess.run(command, cwd=CORPUS, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1) and not done.stderr.strip(), done.stdout + done.stderr
    found: dict[str, set[int]] = {}
    for line in done.stdout.splitlines():
        match = re.match(r"^(?P<file>[^:]+):(?P<line>\d+): error: ", line)
        if match:
            found.setdefault(Path(match["file"]).name, set()).add(int(match["line"]))
    return found


def _trace(case: Case) -> FlowgenError | None:
    """Import the case and trace every workflow it defines (or run the named one); the flowgen error, if any."""
    sys.path.insert(0, str(CORPUS))
    try:
        module = importlib.import_module(case.path.stem)
        if case.runs is not None:
            name, inputs = case.runs
            getattr(module, name)(**inputs)
        else:
            for value in list(vars(module).values()):
                if isinstance(value, Workflow):
                    value.compile_program()
    except FlowgenError as exc:
        return exc
    finally:
        sys.path.remove(str(CORPUS))
        for name in (case.path.stem, "misuse_shared"):
            sys.modules.pop(name, None)
    return None


@pytest.mark.filterwarnings("ignore::flowgen.dsl.cluster_config.ClusterConfigWarning")
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_check_mypy_and_the_tracer_agree_on_the_case(path: Path, mypy_errors: dict[str, set[int]]) -> None:
    case = _case(path)
    # flowgen check: exactly the expected code on the flagged line
    found = check_paths([str(path)], jobs=1).diagnostics
    assert [(d.code, d.line, d.severity) for d in found] == [(case.check, case.flag, case.check_severity)], [
        f"{d.line}: {d.code} {d.message}" for d in found]
    # mypy with the plugin: the flagged line and nothing else, or nothing at all
    assert mypy_errors.get(path.name, set()) == ({case.flag} if case.mypy_flags else set())
    # the tracer: a located flowgen error, never a Python traceback from inside flowgen
    raised = _trace(case)
    if case.tracer == "silent":
        assert raised is None, f"the tracer raised: {raised}"
        return
    assert raised is not None, "the tracer did not raise"
    location = raised.location
    assert location is not None, f"not located: {raised}"
    assert (Path(location.file).name, location.line) == (case.tracer_file, case.tracer_line), str(raised)
