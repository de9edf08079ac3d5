"""Go-to-definition from a call of a task, workflow or dynamic to its ``def``.

The callee under the cursor (``t(...)``, ``module.t(...)``) is resolved by the static
front end, through imports and re-exports, to the function the decorator made an
entity of; the answer is the position of that function's name, in the open buffer or
in the file on disk that defines it.
"""

from __future__ import annotations

from lsprotocol import types
from pygls import uris

from flowgen.lsp.source_index import SourceIndex
from flowgen.static import Workspace


def definition(workspace: Workspace, index: SourceIndex, line: int, column: int) -> types.Location | None:
    found = index.call_at(line, column)
    if found is None:
        return None
    _, call = found
    target = workspace.called(call.func)
    if target is None:
        return None
    uri = uris.from_fs_path(target.path)
    if uri is None:
        return None
    position = types.Position(line=target.line - 1, character=target.column)
    end = types.Position(line=target.line - 1, character=target.column + len(target.name.rsplit(".", 1)[-1]))
    return types.Location(uri=uri, range=types.Range(start=position, end=end))
