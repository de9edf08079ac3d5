"""Batching on Dask: independent task nodes ready together run as a few chunks, one Dask call each
(flowgen.runtime.executors.fusion.chunk_groups), with the same results, errors, cache and events
as one call per node."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flowgen import TaskError
from flowgen.runtime.api import run
from flowgen.runtime.executors.fusion import MAX_CHUNK, chunk_groups, fuse_groups, item_chunks
from flowgen.runtime.executors.units import process_died_error, task_of
from tests.executors import dask_batches as b


def spec_of(wf: Any) -> Any:
    return wf.compile_program().workflows[wf.name]


def chunks_of(wf: Any, slots: int, fuse: bool = True) -> list[list[list[str]]]:
    spec = spec_of(wf)
    outputs = [s for o in spec.outputs.values() for s in [getattr(o, "node", None)] if s]
    return chunk_groups(spec.nodes, fuse_groups(spec.nodes, outputs) if fuse else [], slots)


# -- which nodes run together ----------------------------------------------------------------------
def test_ready_together_nodes_are_cut_into_two_chunks_per_slot() -> None:
    chunks = chunks_of(b.wide, slots=2)
    assert chunks == [[[f"n{i}"] for i in range(k, k + 6)] for k in range(0, 24, 6)]


def test_no_chunks_when_every_node_gets_a_slot_anyway() -> None:
    assert chunks_of(b.wide, slots=12) == []


def test_fused_chains_are_chunked_as_units() -> None:
    chunks = chunks_of(b.fan_of_chains, slots=2)
    assert len(chunks) == 4
    assert all(len(unit) == 2 for chunk in chunks for unit in chunk)  # each chain stays whole
    assert sorted(i for chunk in chunks for unit in chunk for i in unit) == sorted(f"n{i}" for i in range(1, 41))


def test_nodes_reading_different_nodes_are_not_chunked_together() -> None:
    # n0 (the first task) reads nothing, the chains read n0: n0 is in no chunk
    assert all("n0" not in unit for chunk in chunks_of(b.fan_of_chains, slots=1) for unit in chunk)


def test_a_big_wave_makes_chunks_of_at_most_about_max_chunk_nodes() -> None:
    from flowgen.ir.model import TaskNode

    nodes = [TaskNode.model_construct(id=f"n{i}", task="t", inputs={}, upstream=[]) for i in range(3000)]
    chunks = chunk_groups(nodes, [], slots=1)
    assert len(chunks) == -(-3000 // MAX_CHUNK)
    assert sum(len(c) for c in chunks) == 3000 and max(len(c) for c in chunks) <= MAX_CHUNK + 1


def test_map_items_are_cut_like_nodes() -> None:
    assert item_chunks(24, slots=2) == [(0, 6), (6, 12), (12, 18), (18, 24)]
    assert item_chunks(4, slots=2) == [] and item_chunks(100, slots=0) == []
    assert len(item_chunks(10_000, slots=2)) == -(-10_000 // MAX_CHUNK)


# -- on a real cluster ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def executors() -> Iterator[tuple[Any, Any]]:
    from flowgen.runtime.executors.dask import DaskExecutor

    with DaskExecutor(2) as batched:
        yield batched, DaskExecutor(batch=False, client=batched.client)


def calls(executor: Any, wf: Any, **kwargs: Any) -> tuple[Any, int]:
    from distributed import get_task_stream

    with get_task_stream(executor.client) as stream:
        result = run(wf, executor=executor, **kwargs)
    return result, len(stream.data)


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def node_started(self, path: str, node: Any, **_: Any) -> None:
        self.events.append(("started", path))

    def node_finished(self, path: str, node: Any, status: str, duration: float, **facts: Any) -> None:
        self.events.append((status, path))

    def nodes_added(self, parent: str, count: int) -> None:
        pass

    def item_started(self, path: str, index: int, **_: Any) -> None:
        self.events.append(("started", f"{path}[{index}]"))

    def item_finished(self, path: str, index: int, status: str, duration: float, **_: Any) -> None:
        self.events.append((status, f"{path}[{index}]"))

    def status(self) -> dict[str, str]:
        return {path: status for status, path in self.events if status != "started"}


def test_batched_runs_give_the_same_results_in_fewer_calls(executors: Any, tmp_path: Path) -> None:
    batched, unbatched = executors
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (got, few), (want, many) = calls(batched, b.wide, d=str(tmp_path / "a")), calls(unbatched, b.wide, d=str(tmp_path / "b"))
    assert got == want == sum(range(b.WIDTH))
    assert few <= many - b.WIDTH + 4  # 4 chunks instead of 24 calls
    (got, few), (want, many) = calls(batched, b.fan_of_chains), calls(unbatched, b.fan_of_chains)
    assert got == want == 20 * 3 and few < many


def test_a_failing_node_inside_a_chunk_is_named_and_its_chunk_mates_stay_cached(executors: Any,
                                                                                 tmp_path: Path) -> None:
    batched, unbatched = executors
    (chunk,) = [c for c in chunks_of(b.wide, slots=2) if ["n9"] in c]
    assert chunk == [[f"n{i}"] for i in range(6, 12)]  # n9 runs after n6..n8 and before n10, n11
    errors = []
    for executor, d in ((batched, tmp_path / "a"), (unbatched, tmp_path / "b")):
        d.mkdir()
        (d / "fail-9").touch()
        with pytest.raises(TaskError) as info:
            run(b.wide, executor=executor, d=str(d))
        errors.append((str(info.value).replace(str(d), "D"), info.value.node, info.value.task))
    assert errors[0] == errors[1]
    assert errors[0][1] == "n9" and errors[0][2].endswith("step") and "step 9 was told to fail" in errors[0][0]
    d = tmp_path / "a"
    first = set(b.ran(str(d)))
    assert {6, 7, 8} <= first and not {9, 10, 11} & first  # the chunk stopped at its failure
    os.remove(d / "fail-9")
    seen = Recorder()
    assert run(b.wide, executor=batched, observer=seen, d=str(d)) == sum(range(b.WIDTH))
    second = b.ran(str(d))[len(first):]
    assert not first & set(second) and first | set(second) == set(range(b.WIDTH))  # what ran is cached
    status = seen.status()
    assert {i for i in range(b.WIDTH) if status[f"n{i}"] == "cached"} == first
    assert {i for i in range(b.WIDTH) if status[f"n{i}"] == "succeeded"} == set(second)


def test_each_node_of_a_chunk_has_its_own_events(executors: Any, tmp_path: Path) -> None:
    batched, unbatched = executors
    seen, unseen = Recorder(), Recorder()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    from distributed import get_task_stream

    with get_task_stream(batched.client) as stream:
        assert run(b.wide, executor=batched, observer=seen, d=str(tmp_path / "a")) == sum(range(b.WIDTH))
    assert run(b.wide, executor=unbatched, observer=unseen, d=str(tmp_path / "b")) == sum(range(b.WIDTH))
    assert len(stream.data) < b.WIDTH  # batched, and yet:
    nodes = [f"n{i}" for i in range(b.WIDTH + 1)]
    for recorder in (seen, unseen):
        assert sorted(p for e, p in recorder.events if e == "started") == sorted(nodes)
        assert recorder.status() == dict.fromkeys(nodes, "succeeded")
        for path in nodes:  # each node starts before it finishes
            assert recorder.events.index(("started", path)) < recorder.events.index(("succeeded", path))


def test_a_failure_inside_a_chunk_is_reported_on_that_node(executors: Any, tmp_path: Path) -> None:
    batched, _ = executors
    (tmp_path / "fail-9").touch()
    seen = Recorder()
    with pytest.raises(TaskError):
        run(b.wide, executor=batched, observer=seen, d=str(tmp_path))
    finished = [p for e, p in seen.events if e != "started"]
    assert len(finished) == len(set(finished))  # no node finished twice
    assert seen.status()["n9"] == "failed"
    assert "n10" not in seen.status() and "n11" not in seen.status()  # never ran (the chunk stopped)
    assert [p for p, s in seen.status().items() if s == "failed"] == ["n9"]


def test_keep_going_runs_every_other_node_of_a_wave(executors: Any, tmp_path: Path) -> None:
    batched, _ = executors
    (tmp_path / "fail-9").touch()
    with pytest.raises(TaskError) as info:
        run(b.wide_keep_going, executor=batched, d=str(tmp_path))
    assert info.value.node == "n9"
    assert sorted(b.ran(str(tmp_path))) == [i for i in range(b.WIDTH) if i != 9]  # n10, n11 not held back


def test_a_worker_death_in_a_chunk_names_its_nodes_briefly() -> None:
    from flowgen.runtime.executors.units import FusedUnit, run_fused

    spec = spec_of(b.wide)
    task = b.wide.compile_program().tasks[spec.nodes[0].task]
    members = tuple((f"n{i}", f"n{i}", 0, (), None) for i in range(40))
    unit = FusedUnit((task,), (None,), members, "wide", None, (), None, tuple(f"n{i}" for i in range(40)))  # type: ignore[arg-type]
    error = process_died_error(task_of(run_fused, (unit,)), "the Dask worker process running it exited with code 3")
    assert error.node == "n39"
    assert "batched" in str(error) and "n0, n1" in str(error) and "(31 more)" in str(error)


# -- map_task items ---------------------------------------------------------------------------------
def test_batched_map_items_give_the_same_results_and_events_in_fewer_calls(executors: Any, tmp_path: Path) -> None:
    batched, unbatched = executors
    seen, unseen = Recorder(), Recorder()
    counts = []
    for executor, recorder, d in ((batched, seen, tmp_path / "a"), (unbatched, unseen, tmp_path / "b")):
        d.mkdir()
        from distributed import get_task_stream

        with get_task_stream(executor.client) as stream:
            assert run(b.mapped, executor=executor, observer=recorder, d=str(d)) == sum(range(b.WIDTH))
        counts.append(len(stream.data))
    assert counts[0] <= counts[1] - b.WIDTH + 4  # 4 chunks instead of 24 item calls
    items = [f"n0[{i}]" for i in range(b.WIDTH)]
    for recorder in (seen, unseen):
        assert sorted(p for e, p in recorder.events if e == "started" and "[" in p) == sorted(items)
        assert {p: s for p, s in recorder.status().items() if "[" in p} == dict.fromkeys(items, "succeeded")
        for path in items:
            assert recorder.events.index(("started", path)) < recorder.events.index(("succeeded", path))


def test_a_failing_item_inside_a_chunk_is_named_and_its_chunk_mates_stay_cached(executors: Any,
                                                                                tmp_path: Path) -> None:
    batched, unbatched = executors
    errors = []
    for executor, d in ((batched, tmp_path / "a"), (unbatched, tmp_path / "b")):
        d.mkdir()
        (d / "fail-9").touch()
        with pytest.raises(TaskError) as info:
            run(b.mapped, executor=executor, d=str(d))
        errors.append((str(info.value).replace(str(d), "D"), info.value.node, info.value.task))
    assert errors[0] == errors[1] and errors[0][1] == "n0[9]" and "step 9 was told to fail" in errors[0][0]
    d = tmp_path / "a"
    first = set(b.ran(str(d)))
    assert {6, 7, 8} <= first and not {9, 10, 11} & first  # items 6..11 are one chunk: it stopped at 9
    os.remove(d / "fail-9")
    assert run(b.mapped, executor=batched, d=str(d)) == sum(range(b.WIDTH))
    second = b.ran(str(d))[len(first):]
    assert not first & set(second) and first | set(second) == set(range(b.WIDTH))


def test_a_chunk_of_items_allowed_to_fail_runs_on_after_a_failure(executors: Any, tmp_path: Path) -> None:
    batched, _ = executors
    (tmp_path / "fail-9").touch()
    assert run(b.mapped_tolerant, executor=batched, d=str(tmp_path)) == sum(range(b.WIDTH)) - 9
    assert sorted(b.ran(str(tmp_path))) == [i for i in range(b.WIDTH) if i != 9]


@pytest.mark.parametrize(("wf", "node"), [(b.wide, "n9"), (b.mapped, "n0[9]")])
def test_a_worker_death_inside_a_chunk_names_the_node_it_was_running(executors: Any, tmp_path: Path,
                                                                    wf: Any, node: str) -> None:
    batched, _ = executors
    (tmp_path / "die-9").touch()
    with pytest.raises(TaskError) as info:
        run(wf, executor=batched, d=str(tmp_path))
    assert info.value.node == node and info.value.task.endswith("step")
    assert "exited with code 3" in str(info.value) and "any of them" not in str(info.value)
    assert {6, 7, 8} <= set(b.ran(str(tmp_path)))  # its chunk's earlier nodes ran (and stay cached)
    os.remove(tmp_path / "die-9")
    assert run(wf, executor=batched, d=str(tmp_path)) == sum(range(b.WIDTH))  # the cluster serves on
