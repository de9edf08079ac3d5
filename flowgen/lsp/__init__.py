"""``flowgen lsp``: a Language Server Protocol server over stdio, for any editor.

=================  ==========================================================================
module             what it holds
=================  ==========================================================================
server.py          the pygls server: document sync, publishing diagnostics, request handlers
diagnostics.py     flowgen's diagnostics as LSP diagnostics (ranges, codes, hints), and back
source_index.py    a buffer's syntax with positions: the name, call and function at a cursor
hover.py           hover on a Promise-valued name: ``Promise[T]``, the task and the node
definition.py      go-to-definition from a task call to the task
actions.py         the code action that adds ``# flowgen: ignore[FGxxx]``
=================  ==========================================================================

Diagnostics come from :class:`flowgen.static.Workspace`, the editor entry point of
``flowgen check``: the open buffer's unsaved text is checked with the same per-module check
as ``flowgen check --format json``, the modules it imports are read from disk once and kept
until their files change (tests/lsp asserts the two agree; bench/bench_lsp.py measures a
re-check against a full check).
"""

from __future__ import annotations

__all__ = ["main"]


def main() -> None:
    """Serve over stdin/stdout until the editor says ``exit``."""
    from flowgen.lsp.server import serve

    serve()
