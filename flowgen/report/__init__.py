"""Run reports: what a run did, as one self-contained HTML file.

``RunRecorder`` is an Observer (:mod:`flowgen.runtime.events`) to pass to the
interpreter; ``write_report`` turns what it recorded into HTML
(:mod:`flowgen.report.html`); ``recording`` does both around a run and writes
the report even when the run fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flowgen.errors import FlowgenError
from flowgen.ir.model import Program
from flowgen.report.html import build_report_html, write_report
from flowgen.report.recorder import NodeRecord, RunRecorder

__all__ = ["NodeRecord", "ReportWriteError", "RunRecorder", "build_report_html", "recording", "write_report"]


@contextmanager
def recording(
    program: Program, path: str, *, source: str = "", announce: Callable[[str], None] | None = None
) -> Iterator[RunRecorder]:
    """Record the run inside the block and write the report to ``path`` when it ends, failed or not.

    ``announce(path)`` is called once the file is written (the CLI says so on stderr).
    """
    recorder = RunRecorder(program)
    try:
        yield recorder
    except BaseException as exc:
        recorder.run_finished(exc)
        _write(recorder, path, source, announce)
        raise
    recorder.run_finished()
    _write(recorder, path, source, announce)


def _write(recorder: RunRecorder, path: str, source: str, announce: Callable[[str], None] | None) -> None:
    try:
        write_report(recorder, path, source=source)
    except OSError as exc:
        raise ReportWriteError(f"cannot write the run report to {path}: {exc.strerror}") from None
    if announce is not None:
        announce(path)


class ReportWriteError(FlowgenError):
    """The report file could not be written."""
