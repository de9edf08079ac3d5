"""Benchmark: ``flowgen run`` start-up over bare Python (issue 15, item 6).

    .venv/bin/python bench/bench_startup.py [--repeat 15]

Times, as fresh processes side by side (best and median of N wall-clock runs):

* ``python -c pass`` (bare interpreter start-up, the baseline);
* ``python -c "import flowgen"`` (the package's lazy top level);
* ``flowgen --help`` (the command group: sub-commands are imported only when chosen);
* ``flowgen run examples/dynamic_workflows.py:wf --s1 Pear --s2 Earth`` (the README's first
  command: load the module, compile the workflow, run it in-process, print 3);
* the same run from the module ``flowgen build`` writes (``python OUT/dynamic_workflows_flowgen.py
  wf --s1 Pear --s2 Earth``).

and prints, from one ``python -X importtime`` run of the last command, the modules whose own
import took longest. Target: ``flowgen run`` at most +120 ms over bare Python (it was about
+340 ms before the CLI imported lazily). The machine's load shows in the spread: compare best
times; on a busy machine the CPU time (user + system of the child process) moves much less than
the wall clock, so the table prints both. Prints a table; asserts nothing.

Every process runs with a bytecode cache, as an installed package does (pip writes the ``.pyc``
files at install time): the cache lives in a private ``PYTHONPYCACHEPREFIX`` directory, warmed
by the first runs, so the bench leaves no ``__pycache__`` in the tree and works when the shell
sets ``PYTHONDONTWRITEBYTECODE``. One more row shows the README command when flowgen's own
modules have no ``.pyc`` (a source checkout run with ``PYTHONDONTWRITEBYTECODE=1``), where
compiling them on every start is the difference.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = sys.executable
RUN = ["-m", "flowgen", "run", "examples/dynamic_workflows.py:wf", "--s1", "Pear", "--s2", "Earth"]

CASES = [
    ("python -c pass", [PY, "-c", "pass"]),
    ("python -c 'import flowgen'", [PY, "-c", "import flowgen"]),
    ("flowgen --help", [PY, "-m", "flowgen", "--help"]),
    ("flowgen run --help", [PY, "-m", "flowgen", "run", "--help"]),
    ("flowgen run dynamic_workflows.py:wf", [PY, *RUN]),
]


def bytecode_env(prefix: str, write: bool = True) -> dict[str, str]:
    """This environment with the ``.pyc`` cache in ``prefix`` (written there unless ``write`` is False)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = prefix
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def without_flowgen_bytecode(prefix: str, into: str) -> str:
    """A copy of the warmed cache ``prefix`` without flowgen's own ``.pyc`` files."""
    shutil.copytree(prefix, into)
    shutil.rmtree(os.path.join(into, os.path.abspath(os.path.join(ROOT, "flowgen")).lstrip(os.sep)),
                  ignore_errors=True)
    return into


def wall(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall clock, CPU time) of one run of ``cmd``, in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def slowest_imports(top: int, env: dict[str, str]) -> list[tuple[int, int, str]]:
    """(self us, cumulative us, module) of the ``top`` slowest own-import times of ``flowgen run``."""
    done = subprocess.run([PY, "-X", "importtime", *RUN], cwd=ROOT, capture_output=True, text=True, env=env)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        rows.append((int(own), int(cumulative), name))
    return sorted(rows, reverse=True)[:top]


def built_script(scratch: str, env: dict[str, str]) -> list[str]:
    """``python OUT/dynamic_workflows_flowgen.py wf ...``: the README's run from ``flowgen build``'s module."""
    out = os.path.join(scratch, "generated")
    done = subprocess.run([PY, "-m", "flowgen", "build", "examples/dynamic_workflows.py", "--out", out], cwd=ROOT,
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"flowgen build failed:\n{done.stderr}")
    return [PY, os.path.join(out, "dynamic_workflows_flowgen.py"), "wf", *RUN[4:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--top", type=int, default=12, help="how many of the slowest imports to list")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flowgen-bench-pyc-") as scratch:
        measure(args.repeat, args.top, scratch)


def measure(repeat: int, top: int, scratch: str) -> None:
    env = bytecode_env(os.path.join(scratch, "pyc"))
    for _, cmd in CASES:  # warm the file cache and the .pyc files
        wall(cmd, env)
    runs = {label: [wall(cmd, env) for _ in range(repeat)] for label, cmd in CASES}
    no_pyc = bytecode_env(without_flowgen_bytecode(env["PYTHONPYCACHEPREFIX"], os.path.join(scratch, "no-flowgen")),
                          write=False)
    runs["  ... flowgen's modules without .pyc"] = [wall([PY, *RUN], no_pyc) for _ in range(repeat)]
    script = built_script(scratch, env)  # the same workflow as `flowgen build` writes it
    wall(script, env)
    runs["generated script (flowgen build)"] = [wall(script, env) for _ in range(repeat)]
    times = {label: [w for w, _ in samples] for label, samples in runs.items()}
    cpu = {label: min(c for _, c in samples) for label, samples in runs.items()}
    base_best = min(times["python -c pass"])
    base_median = statistics.median(times["python -c pass"])
    base_cpu = cpu["python -c pass"]

    print(f"start-up, {repeat} runs each (ms; 'over' is over bare Python; cpu is the child's user + system time)\n")
    print(f"{'command':<38} {'best':>8} {'median':>8} {'over (best)':>12} {'over (median)':>14} {'cpu over':>9}")
    for label, samples in times.items():
        best, median = min(samples), statistics.median(samples)
        print(f"{label:<38} {best * 1e3:8.1f} {median * 1e3:8.1f} {(best - base_best) * 1e3:+12.1f} "
              f"{(median - base_median) * 1e3:+14.1f} {(cpu[label] - base_cpu) * 1e3:+9.1f}")
    over = (min(times["flowgen run dynamic_workflows.py:wf"]) - base_best) * 1e3
    cpu_over = (cpu["flowgen run dynamic_workflows.py:wf"] - base_cpu) * 1e3
    print(f"\ntarget: flowgen run at most +120 ms over bare Python: {'met' if over <= 120 else 'NOT met'} "
          f"(best {over:+.0f} ms wall, {cpu_over:+.0f} ms cpu; load average {os.getloadavg()[0]:.1f})\n")
    print(f"slowest own imports of flowgen run (python -X importtime, one run):\n{'self ms':>8} {'cum ms':>8}  module")
    for own, cumulative, name in slowest_imports(top, env):
        print(f"{own / 1e3:8.1f} {cumulative / 1e3:8.1f}  {name.strip()}")


if __name__ == "__main__":
    main()
