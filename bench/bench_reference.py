"""Benchmark: the reference example (examples/dynamic_workflows.py) three ways.

For strings of N random letters the reference ``wf`` makes 4N+1 task calls
(``return_index`` and ``update_list`` per character of each string, then
``derive_count``). One run of this script measures, each in its own fresh
subprocess so that peak memory is per measurement:

* plain Python  -- the same function bodies, undecorated (each entity's ``.fn``),
                   called by the same ``count_characters``/``wf`` code;
* flowgen       -- the flowgen interpreter (``wf(s1=..., s2=...)``);
* flytekit      -- flytekit's local execution of literally the same module text,
                   with only the import line swapped to ``from flytekit import ...``
                   (run with a Python that has flytekit: ``pip install -e .[bench]``).

and prints a table of times, per-call costs, ratios and the targets of issue 2:

* flowgen is >= 100x faster than flytekit local execution at 1,000 characters;
* per task call, 10,000 characters cost <= 1.5x what 1,000 characters cost;
* peak memory (RSS of the measuring process) under 500 MB;
* the ratio to plain Python, printed beside it.

Run ``python bench/bench_reference.py --help`` for options; see bench/README.md.

The worker mode (``--worker``) uses only the standard library, so the same file
runs under the flytekit virtualenv without flowgen's dependencies mattering.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dynamic_workflows.py"
FLOWGEN_IMPORT = "from flowgen import dynamic, task, workflow"
FLYTEKIT_IMPORT = "from flytekit import dynamic, task, workflow"
SEED = 20240601

# Targets (issue 2, "Done when").
TARGET_VS_FLYTEKIT = 100.0  # flowgen at least this many times faster than flytekit
TARGET_SCALING = 1.5  # per-call cost at the large size / at the small size, at most
TARGET_PEAK_MB = 500.0  # peak RSS of a measuring process, under


# --------------------------------------------------------------------------- inputs


def make_strings(n: int, seed: int = SEED) -> tuple[str, str]:
    """Two strings of ``n`` random letters A-Z/a-z, the same for every engine."""
    rng = random.Random(seed * 1_000_003 + n)
    letters = string.ascii_letters
    s1 = "".join(rng.choice(letters) for _ in range(n))
    s2 = "".join(rng.choice(letters) for _ in range(n))
    return s1, s2


def expected_count(s1: str, s2: str) -> int:
    """Independent oracle: the reference folds upper and lower case together."""
    c1, c2 = Counter(s1.lower()), Counter(s2.lower())
    return sum(min(c1[ch], c2[ch]) for ch in string.ascii_lowercase)


def task_calls(n: int) -> int:
    return 4 * n + 1


# --------------------------------------------------------------------------- workers
# Everything below runs inside the measuring subprocess.


def _peak_rss_mb() -> float:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except OSError:  # not Linux
        return float("nan")


def _load_module(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _undecorated(module: Any) -> dict[str, Any]:
    """The module's namespace with every task/dynamic/workflow replaced by its
    original function, rebound to that namespace: ``wf`` then calls the plain
    ``count_characters``, which calls the plain tasks -- the same code, no engine."""
    ns: dict[str, Any] = dict(vars(module))
    import types

    for name, obj in vars(module).items():
        fn = getattr(obj, "fn", None) or getattr(obj, "task_function", None)
        if (
            fn is None
            or not hasattr(fn, "__code__")
            or getattr(obj, "__module__", None) != module.__name__
        ):
            continue
        ns[name] = types.FunctionType(fn.__code__, ns, fn.__name__, fn.__defaults__, fn.__closure__)
    missing = [
        n
        for n in ("return_index", "update_list", "derive_count", "count_characters", "wf")
        if not isinstance(ns.get(n), types.FunctionType)
    ]
    if missing:
        raise SystemExit(f"plain Python: could not find the original function (.fn) of {missing}")
    return ns


def _flytekit_module(workdir: Path) -> Any:
    text = EXAMPLE.read_text()
    if FLOWGEN_IMPORT not in text:
        raise SystemExit(f"{EXAMPLE}: import line {FLOWGEN_IMPORT!r} not found")
    text = text.replace(FLOWGEN_IMPORT, FLYTEKIT_IMPORT, 1)
    path = workdir / "dynamic_workflows_flytekit.py"
    path.write_text(text)
    sys.path.insert(0, str(workdir))
    return _load_module(path, "dynamic_workflows_flytekit")


def worker(engine: str, n: int, repeats: int) -> dict[str, Any]:
    t_import = time.perf_counter()
    version = ""
    if engine == "flytekit":
        import flytekit  # type: ignore[import-not-found, unused-ignore]

        version = flytekit.__version__
        module = _flytekit_module(Path(tempfile.mkdtemp(prefix="bench-src-")))
        run = module.wf
    else:
        module = _load_module(EXAMPLE, "dynamic_workflows")
        if engine == "plain":
            run = _undecorated(module)["wf"]
        elif engine == "flowgen":
            import flowgen

            version = getattr(flowgen, "__version__", "")
            run = module.wf
        else:
            raise SystemExit(f"unknown engine {engine!r}")
    import_s = time.perf_counter() - t_import

    s1, s2 = make_strings(n)
    want = expected_count(s1, s2)
    baseline_mb = _peak_rss_mb()
    times: list[float] = []
    peaks: list[float] = []  # high-water RSS after each run: peaks[0] is one run's peak
    rss_after: list[float] = []  # current RSS after each run: growth means memory kept
    for _ in range(repeats):
        t0 = time.perf_counter()
        got = run(s1=s1, s2=s2)
        times.append(time.perf_counter() - t0)
        peaks.append(_peak_rss_mb())
        rss_after.append(_current_rss_mb())
        if got != want:
            raise SystemExit(f"{engine} at {n} chars returned {got!r}, expected {want}")
    return {
        "engine": engine,
        "version": version,
        "n": n,
        "calls": task_calls(n),
        "times": times,
        "import_s": import_s,
        "baseline_mb": baseline_mb,
        "peak_mb": peaks[0] if peaks else baseline_mb,
        "peaks_mb": peaks,
        "rss_after_mb": rss_after,
        "result": want,
    }


def profile_flowgen(n: int, top: int) -> None:
    import cProfile
    import pstats

    module = _load_module(EXAMPLE, "dynamic_workflows")
    s1, s2 = make_strings(n)
    module.wf(s1="ab", s2="ba")  # compile wf outside the profile
    prof = cProfile.Profile()
    prof.enable()
    module.wf(s1=s1, s2=s2)
    prof.disable()
    print(f"\ncProfile of the flowgen interpreter, {n:,} chars ({task_calls(n):,} task calls)")
    for key in ("tottime", "cumulative"):
        print(f"\n-- top {top} by {key} --")
        pstats.Stats(prof).strip_dirs().sort_stats(key).print_stats(top)


# --------------------------------------------------------------------------- driver


def _flytekit_python(explicit: str | None) -> tuple[str | None, str]:
    """A Python that can import flytekit, and why not if none."""
    candidates = (
        [explicit] if explicit else [sys.executable, str(ROOT / ".venv-bench" / "bin" / "python")]
    )
    for py in candidates:
        if not py or not Path(py).exists():
            continue
        tmpdir = tempfile.mkdtemp(prefix="flowgen-bench-")  # importing flytekit makes dirs there
        try:
            probe = subprocess.run(
                [py, "-c", "import flytekit, sys; sys.stdout.write(flytekit.__version__)"],
                capture_output=True,
                text=True,
                env=_flytekit_env(tmpdir),
                check=False,
            )
        finally:
            shutil.rmtree(tmpdir, ignore_errors=True)
        if probe.returncode == 0:
            return py, probe.stdout.strip()
    return None, "not installed: pip install -e .[bench] (or make .venv-bench, see bench/README.md)"


def _flytekit_env(tmpdir: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["FLYTE_SDK_LOGGING_LEVEL"] = "40"  # errors only
    if tmpdir:
        # flytekit's local execution writes a sandbox dir per task call under
        # TMPDIR (tens of MB per run) and never removes it: confine and delete.
        env["TMPDIR"] = tmpdir
    return env


def measure(engine: str, n: int, repeats: int, python: str, quiet: bool) -> dict[str, Any]:
    if not quiet:
        print(
            f"  measuring {engine:8} {n:>7,} chars x{repeats} ...",
            end="",
            flush=True,
            file=sys.stderr,
        )
    tmpdir = tempfile.mkdtemp(prefix="flowgen-bench-") if engine == "flytekit" else None
    try:
        env = _flytekit_env(tmpdir) if engine == "flytekit" else dict(os.environ)
        proc = subprocess.run(
            [python, str(Path(__file__).resolve()), "--worker", engine, str(n), str(repeats)],
            capture_output=True,
            text=True,
            env=env,
            cwd=str(ROOT),
            check=False,
        )
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    if proc.returncode != 0:
        if not quiet:
            print(" FAILED", file=sys.stderr)
        return {
            "engine": engine,
            "n": n,
            "calls": task_calls(n),
            "error": (proc.stderr or proc.stdout).strip(),
        }
    line = proc.stdout.strip().splitlines()[-1]
    result = json.loads(line)
    if not quiet:
        print(f" best {min(result['times']):.4f}s", file=sys.stderr)
    return result


def _fmt_ms(s: float) -> str:
    return f"{s * 1000:,.3f}" if s < 0.01 else f"{s * 1000:,.1f}"


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    out = []
    line = "  ".join(
        h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))
    )
    out.append(line)
    out.append("  ".join("-" * w for w in widths))
    for r in rows:
        out.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))
            )
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 100 and 1,000 chars, one repeat, flytekit at 100 chars",
    )
    ap.add_argument(
        "--small", type=int, default=1000, help="small size in characters (default 1000)"
    )
    ap.add_argument(
        "--large", type=int, default=10000, help="large size in characters (default 10000)"
    )
    ap.add_argument(
        "--repeats",
        type=int,
        default=5,
        help="runs per flowgen measurement (plain: at least 7); best and median reported (default 5)",
    )
    ap.add_argument(
        "--flytekit-repeats", type=int, default=1, help="runs of flytekit (default 1; ~10 s each)"
    )
    ap.add_argument(
        "--flytekit-python",
        help="Python with flytekit installed (default: this one, else .venv-bench)",
    )
    ap.add_argument("--no-flytekit", action="store_true", help="skip flytekit")
    ap.add_argument(
        "--strict", action="store_true", help="exit 2 when a target FAILs (default: report only)"
    )
    ap.add_argument("--json", metavar="FILE", help="also write all measurements as JSON")
    ap.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="instead: cProfile the flowgen interpreter at N chars",
    )
    ap.add_argument("--top", type=int, default=30, help="rows of --profile output (default 30)")
    ap.add_argument("--worker", nargs=3, metavar=("ENGINE", "N", "REPEATS"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        engine, n, repeats = args.worker
        print(json.dumps(worker(engine, int(n), int(repeats))))
        return 0
    if args.profile:
        profile_flowgen(args.profile, args.top)
        return 0

    small, large, repeats, fk_repeats = args.small, args.large, args.repeats, args.flytekit_repeats
    if args.quick:
        small, large, repeats, fk_repeats = 100, 1000, 1, 1

    fk_python, fk_version = (
        (None, "skipped (--no-flytekit)")
        if args.no_flytekit
        else _flytekit_python(args.flytekit_python)
    )

    print(f"flowgen reference benchmark: examples/dynamic_workflows.py, seed {SEED}")
    print(
        f"python {platform.python_version()} ({sys.executable}), {os.cpu_count()} CPUs, {platform.platform()}"
    )
    print(f"flytekit: {fk_version}" + (f" ({fk_python})" if fk_python else ""))
    if args.quick:
        print("--quick: reduced sizes and one repeat; targets below are indicative only")
    sys.stdout.flush()

    results: list[dict[str, Any]] = []
    for n in (small, large):
        results.append(measure("plain", n, max(repeats, 7), sys.executable, False))
        results.append(measure("flowgen", n, repeats, sys.executable, False))
    if fk_python:
        results.append(measure("flytekit", small, fk_repeats, fk_python, False))
    print(file=sys.stderr, flush=True)

    def get(engine: str, n: int) -> dict[str, Any] | None:
        for r in results:
            if r["engine"] == engine and r["n"] == n and "error" not in r:
                return r
        return None

    # Targets use the best of the runs (timeit's rule: the minimum is the least
    # disturbed by other load on the machine); the median is printed beside it.
    def best(r: dict[str, Any]) -> float:
        return min(r["times"])

    def best_of(engine: str, n: int) -> float | None:
        r = get(engine, n)
        return best(r) if r else None

    rows = []
    for r in results:
        if "error" in r:
            rows.append([r["engine"], f"{r['n']:,}", f"{r['calls']:,}", "-", "ERROR"] + ["-"] * 7)
            continue
        b = min(r["times"])
        plain = best_of("plain", r["n"])
        fk = best_of("flytekit", r["n"])
        rows.append(
            [
                r["engine"],
                f"{r['n']:,}",
                f"{r['calls']:,}",
                str(len(r["times"])),
                _fmt_ms(b),
                _fmt_ms(statistics.median(r["times"])),
                _fmt_ms(r["times"][0]),
                f"{b / r['calls'] * 1e6:.2f}",
                f"{b / plain:.0f}x" if plain else "-",
                f"{fk / b:.1f}x" if fk else "-",
                f"{r['peak_mb']:.0f}",
                f"{r['rss_after_mb'][-1]:.0f}",
            ]
        )
    print(
        _table(
            rows,
            [
                "engine",
                "chars",
                "task calls",
                "runs",
                "best ms",
                "median ms",
                "first ms",
                "us/call",
                "x plain",
                "flytekit/this",
                "peak RSS MB",
                "RSS end MB",
            ],
        )
    )
    print(
        "  us/call = best time / task calls; x plain = times slower than plain Python;"
        " flytekit/this = times faster than flytekit;\n  peak RSS = high-water RSS of the"
        " measuring process over its first run; RSS end = its RSS after the last run."
    )

    # ---- targets
    print("\nTargets (issue 2):")
    checks: list[tuple[str, str, str, bool | str | None]] = []
    fg_s, fg_l = get("flowgen", small), get("flowgen", large)
    fk_s = get("flytekit", small)
    pl_s, pl_l = get("plain", small), get("plain", large)

    label = f"flowgen vs flytekit local, {small:,} chars"
    if fg_s and fk_s:
        ratio = best(fk_s) / best(fg_s)
        checks.append(
            (
                label,
                f">= {TARGET_VS_FLYTEKIT:.0f}x faster",
                f"{ratio:.1f}x",
                ratio >= TARGET_VS_FLYTEKIT,
            )
        )
    else:
        why = next(
            (
                r["error"].splitlines()[-1]
                for r in results
                if r["engine"] == "flytekit" and "error" in r
            ),
            fk_version,
        )
        checks.append((label, f">= {TARGET_VS_FLYTEKIT:.0f}x faster", f"n/a ({why})", None))
    if fg_s and fg_l:
        pc_s = best(fg_s) / fg_s["calls"]
        pc_l = best(fg_l) / fg_l["calls"]
        scale = pc_l / pc_s
        checks.append(
            (
                f"per call: {large:,} vs {small:,} chars",
                f"<= {TARGET_SCALING}x",
                f"{scale:.2f}x ({pc_l * 1e6:.1f} vs {pc_s * 1e6:.1f} us)",
                scale <= TARGET_SCALING,
            )
        )
    fg_all = [r for r in (fg_s, fg_l) if r]
    if fg_all:
        peak = max(r["peak_mb"] for r in fg_all)
        checks.append(
            (
                "flowgen peak memory, one run (RSS)",
                f"< {TARGET_PEAK_MB:.0f} MB",
                f"{peak:.0f} MB",
                peak < TARGET_PEAK_MB,
            )
        )
    for fg, pl, n in ((fg_s, pl_s, small), (fg_l, pl_l, large)):
        if fg and pl:
            overhead = (best(fg) - best(pl)) / fg["calls"] * 1e6
            checks.append(
                (
                    f"flowgen / plain Python, {n:,} chars",
                    "(printed)",
                    f"{best(fg) / best(pl):.0f}x ({overhead:.1f} us overhead/call)",
                    None,
                )
            )
    for fg in fg_all:
        if len(fg["rss_after_mb"]) > 1:
            grow = (fg["rss_after_mb"][-1] - fg["rss_after_mb"][0]) / (len(fg["rss_after_mb"]) - 1)
            checks.append(
                (
                    f"flowgen RSS kept per repeated run, {fg['n']:,} chars",
                    "(leak check) ~0 MB",
                    f"{grow:+.1f} MB/run (peak after run k: {', '.join(f'{p:.0f}' for p in fg['peaks_mb'])})",
                    "ok" if abs(grow) < max(5.0, 0.05 * fg["peak_mb"]) else "WARN",
                )
            )
    print(
        _table(
            [
                [
                    c[0],
                    c[1],
                    c[2],
                    c[3]
                    if isinstance(c[3], str)
                    else {True: "PASS", False: "FAIL", None: "-"}[c[3]],
                ]
                for c in checks
            ],
            ["target", "wanted", "measured", "result"],
        )
    )

    errors = [r for r in results if "error" in r]
    for r in errors:
        print(f"\n{r['engine']} at {r['n']:,} chars failed:\n{r['error']}", file=sys.stderr)

    if args.json:
        Path(args.json).write_text(
            json.dumps({"results": results, "checks": [list(c) for c in checks]}, indent=2)
        )
    if any(r["engine"] != "flytekit" for r in errors):
        return 1
    if args.strict and any(c[3] is False for c in checks):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
