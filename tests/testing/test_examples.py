"""``flowgen test examples/`` passes: every example workflow, with the domains in examples/testing/flowgen_domains.py.

Run as a user runs it (a subprocess, from the repository root), with few examples to stay fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: failures that are bugs of flowgen found by `flowgen test examples/`, reported and not yet fixed.
#: An entry here must still fail (the test says when it starts passing, so it is removed).
KNOWN_BUGS: dict[str, str] = {}


def flowgen_test(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FLOWGEN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("_FSEC_API_TOKEN", None)
    return subprocess.run([sys.executable, "-m", "flowgen", "test", *args, "--format", "json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_flowgen_test_examples_passes(tmp_path) -> None:
    done = flowgen_test(tmp_path, "examples/", "--max-examples", "8", "--seed", "0")
    report = json.loads(done.stdout)
    results = {r["target"]: r for r in report["results"]}
    assert len(results) >= 20, sorted(results)
    unexpected = {t: r.get("message") for t, r in results.items() if r["status"] != "ok" and t not in KNOWN_BUGS}
    assert not unexpected, json.dumps(unexpected, indent=2)
    for target, problem in KNOWN_BUGS.items():
        assert results[target]["status"] == "failed" and problem in results[target]["message"], (
            f"{target} no longer fails as known ({results[target]}): remove it from KNOWN_BUGS")
    assert not any(r["status"] == "skipped" for r in results.values())
    # the domain file is not a source of workflows, and it is what made the reference example pass
    assert not any("flowgen_domains" in t for t in results)
    assert results["examples/dynamic_workflows.py::wf"]["status"] == "ok"


def test_the_reference_example_needs_its_domain(tmp_path) -> None:
    """A copy of the reference example away from examples/ has no domain: every str is drawn, and a
    character that is not a letter indexes past the 26-slot list."""
    copy = tmp_path / "work" / "dynamic_workflows.py"
    copy.parent.mkdir()
    copy.write_text(open(os.path.join(ROOT, "examples", "dynamic_workflows.py"), encoding="utf-8").read())
    bare = flowgen_test(tmp_path, f"{copy}:wf", "--max-examples", "50", "--seed", "0")
    assert bare.returncode == 1, bare.stdout + bare.stderr
    assert "IndexError" in json.loads(bare.stdout)["results"][0]["message"]


def test_a_file_outside_the_domain_files_tree_is_given_them_with_domains(tmp_path) -> None:
    """examples/testing/ is neither above nor under examples/flyte/: without --domains no secret is set."""
    target = "examples/flyte/context_and_secrets.py:wf"
    bare = flowgen_test(tmp_path, target, "--max-examples", "5", "--seed", "0")
    assert bare.returncode == 1, bare.stdout + bare.stderr
    assert "requests a secret that is not set" in json.loads(bare.stdout)["results"][0]["message"]
    given = flowgen_test(tmp_path, target, "--max-examples", "5", "--seed", "0",
                         "--domains", "examples/testing/flowgen_domains.py")
    assert given.returncode == 0, given.stdout + given.stderr
    assert json.loads(given.stdout)["results"][0]["status"] == "ok"
