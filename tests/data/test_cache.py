"""The cache and files, folders and tables: keyed by content, bytes kept with the entry."""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

import flowgen
from flowgen.cli.main import cli
from flowgen.runtime import cache
from flowgen.runtime.cache import CacheWarning
from tests.data import programs as p


@pytest.fixture
def calls(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A fresh cache directory, and the task calls made (programs.py records them in a file)."""
    marker = tmp_path / "calls.txt"
    monkeypatch.setattr(p, "CALLS_FILE", str(marker))
    cache.set_cache_dir(str(tmp_path / "cache"))
    try:
        yield lambda: marker.read_text().split() if marker.exists() else []
    finally:
        cache.set_cache_dir(None)


def test_file_inputs_are_keyed_by_content_not_address(calls: Any) -> None:
    assert p.cached_lines(text="a\nb") == 2
    assert p.cached_lines(text="a\nb") == 2  # a new file, a new address, the same bytes: a hit
    assert calls() == ["line_count"]
    assert p.cached_lines(text="a\nb\nc") == 3  # other bytes: a miss
    assert calls() == ["line_count", "line_count"]


def test_hash_method_on_an_output_keys_the_consumer(calls: Any) -> None:
    first = p.cached_frames(n=3)
    second = p.cached_frames(n=3)
    pd.testing.assert_frame_equal(first, pd.DataFrame({"x": [0, 2, 4]}))
    pd.testing.assert_frame_equal(second, first)
    assert calls() == ["doubled"]


def test_cached_outputs_keep_their_bytes_in_the_cache(calls: Any, tmp_path: Any) -> None:
    raw = tmp_path / "raw"
    assert flowgen.run(p.cached_file, raw_data_prefix=str(raw), text="keep") == "keep"
    shutil.rmtree(raw)  # the run's store is gone; the cache holds its own copy
    assert flowgen.run(p.cached_file, raw_data_prefix=str(tmp_path / "raw2"), text="keep") == "keep"
    assert calls() == ["cached_copy"]
    kept = [os.path.join(d, f) for d, _, fs in os.walk(tmp_path / "cache" / "data") for f in fs]
    assert len(kept) == 1 and kept[0].endswith("kept.txt")


def test_an_entry_whose_bytes_are_gone_is_a_miss_with_a_warning(calls: Any, tmp_path: Any) -> None:
    assert p.cached_file(text="x") == "x"
    shutil.rmtree(tmp_path / "cache" / "data")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert p.cached_file(text="x") == "x"
    assert calls() == ["cached_copy", "cached_copy"]
    assert any(issubclass(w.category, CacheWarning) and "gone" in str(w.message) for w in caught)


def test_cache_clear_removes_the_bytes(calls: Any, tmp_path: Any) -> None:
    assert p.cached_file(text="y") == "y"
    assert os.listdir(tmp_path / "cache" / "data")
    result = CliRunner().invoke(cli, ["cache", "clear", "cached_copy", "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    assert "removed 1 entry" in result.output
    assert os.listdir(tmp_path / "cache" / "data") == []
    assert p.cached_file(text="y") == "y"
    assert calls() == ["cached_copy", "cached_copy"]
