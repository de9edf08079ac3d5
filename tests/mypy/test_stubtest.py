"""The stubs agree with the runtime: ``python -m mypy.stubtest flowgen``.

Run from an empty directory so that only the stubs (through ``mypy_path``) and the
installed runtime are seen; differences on purpose are in stubtest-allowlist.txt.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.mypy.harness import HERE, ROOT


def test_stubs_match_the_runtime(tmp_path: Path) -> None:
    config = tmp_path / "stubtest.ini"
    config.write_text(f"[mypy]\nmypy_path = {ROOT / 'stubs'}\n")
    done = subprocess.run(
        [
            sys.executable, "-m", "mypy.stubtest", "flowgen",
            "--mypy-config-file", str(config),
            "--allowlist", str(HERE / "stubtest-allowlist.txt"),
            "--ignore-unused-allowlist",
        ],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
