"""mypy over examples/ with and without flowgen's plugin: the plugin's cost.

Both runs use the same stubs and settings (tests/mypy/mypy.ini); "without" drops
only the ``plugins`` line. Cold: a fresh cache each run. Warm: the cache of a
previous run (unchanged modules reuse it, workflow modules included; see the
"Incremental mode" paragraph of flowgen/mypy_plugin/rewrite.py). Best of N runs, in
seconds, after one warm-up run each. The target: with the plugin no more than 1.5x
the time without. Importing the plugin does not load flowgen's runtime (the
package's names are imported lazily).

    .venv/bin/python bench/bench_mypy.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tests" / "mypy" / "mypy.ini"
EXAMPLES = sorted(str(p) for p in (ROOT / "examples").glob("*.py"))


def _config(directory: Path, with_plugin: bool) -> Path:
    text = CONFIG.read_text().replace("$MYPY_CONFIG_FILE_DIR/../../stubs", str(ROOT / "stubs"))
    if not with_plugin:
        text = "\n".join(line for line in text.splitlines() if not line.startswith("plugins"))
    path = directory / ("with.ini" if with_plugin else "without.ini")
    path.write_text(text + "\n")
    return path


def _run(config: Path, cache: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir", str(cache), *EXAMPLES],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    return time.perf_counter() - start


def measure(runs: int) -> dict[tuple[str, bool], float]:
    results: dict[tuple[str, bool], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for with_plugin in (False, True):  # warm-up: file system caches, .pyc files
            _run(_config(directory, with_plugin), directory / f"warmup-{with_plugin}")
        for with_plugin in (False, True):
            config = _config(directory, with_plugin)
            cold = []
            for i in range(runs):
                cold.append(_run(config, directory / f"cold-{with_plugin}-{i}"))
            warm_cache = directory / f"warm-{with_plugin}"
            _run(config, warm_cache)
            warm = [_run(config, warm_cache) for _ in range(runs)]
            results[("cold", with_plugin)] = min(cold)
            results[("warm", with_plugin)] = min(warm)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    results = measure(runs)
    print(f"mypy over examples/ ({len(EXAMPLES)} modules), best of {runs}")
    print(f"{'cache':<6} {'without plugin':>15} {'with plugin':>12} {'ratio':>7}")
    for mode in ("cold", "warm"):
        without, with_ = results[(mode, False)], results[(mode, True)]
        print(f"{mode:<6} {without:>14.2f}s {with_:>11.2f}s {with_ / without:>6.2f}x")


if __name__ == "__main__":
    main()
