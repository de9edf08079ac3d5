"""Shared test set-up: hypothesis profiles and the examples on sys.path.

Profiles (HYPOTHESIS_PROFILE=...): ``ci`` (default, fast) and ``fuzz`` (long runs).
"""

import os
import sys
import tempfile

from hypothesis import HealthCheck, settings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")
if EXAMPLES not in sys.path:
    sys.path.insert(0, EXAMPLES)

# Tests never touch the user's cache: one fresh cache directory per test session.
os.environ["FLOWGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="flowgen-test-cache-")

settings.register_profile(
    "ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("fuzz", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
