"""The pygls server: documents in, diagnostics out, and three requests.

===============================  ===========================================================
message                          what the server does
===============================  ===========================================================
didOpen / didChange              checks the buffer's text (the rest of the project from
                                 disk) and publishes its diagnostics
didSave                          checks again (the file on disk now equals the buffer)
didClose                         forgets the unsaved text; clears the diagnostics
didChangeWatchedFiles            forgets the changed files, so the next check reads them
hover                            hover.py
definition                       definition.py
codeAction                       actions.py
===============================  ===========================================================

Text sync is incremental (pygls applies the edits); every check goes through one
:class:`flowgen.static.Workspace`, which keeps the parsed modules between checks. A
failure inside a handler is logged to the editor and the server carries on.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer

from flowgen import __version__
from flowgen.lsp.actions import ignore_actions
from flowgen.lsp.definition import definition
from flowgen.lsp.diagnostics import to_lsp
from flowgen.lsp.hover import hover_text
from flowgen.lsp.source_index import SourceIndex, index_module
from flowgen.static import Workspace

log = logging.getLogger(__name__)


class FlowgenServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("flowgen", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.checker = Workspace()
        self._indexed: tuple[str, int, SourceIndex] | None = None  # (uri, version, index)

    def check(self, uri: str) -> None:
        path = uris.to_fs_path(uri)
        if path is None:
            return
        document = self.workspace.get_text_document(uri)
        result = self.checker.check(path, document.source)
        lines = document.lines
        own = os.path.abspath(path)
        diagnostics = [to_lsp(d, lines, document.position_codec) for d in result.diagnostics if d.path == own]
        self._indexed = None
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version)
        )

    def index(self, uri: str) -> SourceIndex | None:
        """The syntax index of ``uri``'s buffer, as last checked (checked now if it is not)."""
        document = self.workspace.get_text_document(uri)
        version = document.version or 0
        if self._indexed is not None and self._indexed[:2] == (uri, version):
            return self._indexed[2]
        path = uris.to_fs_path(uri)
        last = self.checker.last
        if path is None:
            return None
        if last is None or last.parsed.path != os.path.abspath(path):
            self.check(uri)
            last = self.checker.last
        if last is None or last.parsed.path != os.path.abspath(path):
            return None
        index = index_module(last.parsed.module)
        self._indexed = (uri, version, index)
        return index

    def cursor(self, uri: str, position: types.Position) -> tuple[int, int]:
        """An LSP position as flowgen's (1-based line, 0-based character column)."""
        document = self.workspace.get_text_document(uri)
        server = document.position_codec.position_from_client_units(list(document.lines), position)
        return server.line + 1, server.character


server = FlowgenServer()


def _safely(what: str, default: Any = None) -> Any:
    def wrap(handler: Any) -> Any:
        def run(ls: FlowgenServer, params: Any) -> Any:
            try:
                return handler(ls, params)
            except Exception as exc:  # never take the editor's server down
                log.exception("flowgen lsp: %s failed", what)
                ls.window_log_message(
                    types.LogMessageParams(
                        type=types.MessageType.Error, message=f"flowgen: {what} failed: {type(exc).__name__}: {exc}"
                    )
                )
                return default

        run.__name__ = handler.__name__
        return run

    return wrap


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@_safely("checking the opened file")
def did_open(ls: FlowgenServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.check(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@_safely("checking the edited file")
def did_change(ls: FlowgenServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.check(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@_safely("checking the saved file")
def did_save(ls: FlowgenServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.check(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@_safely("closing the file")
def did_close(ls: FlowgenServer, params: types.DidCloseTextDocumentParams) -> None:
    path = uris.to_fs_path(params.text_document.uri)
    if path is not None:
        ls.checker.forget(path)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@_safely("reading changed files")
def did_change_watched_files(ls: FlowgenServer, params: types.DidChangeWatchedFilesParams) -> None:
    for change in params.changes:
        path = uris.to_fs_path(change.uri)
        if path is not None:
            ls.checker.forget(path)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@_safely("hover")
def hover(ls: FlowgenServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    index = ls.index(uri)
    if index is None:
        return None
    text = hover_text(ls.checker, index, *ls.cursor(uri, params.position))
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@_safely("go to definition")
def goto_definition(ls: FlowgenServer, params: types.DefinitionParams) -> types.Location | None:
    uri = params.text_document.uri
    index = ls.index(uri)
    if index is None:
        return None
    return definition(ls.checker, index, *ls.cursor(uri, params.position))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
@_safely("code actions", default=[])
def code_action(ls: FlowgenServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    document = ls.workspace.get_text_document(params.text_document.uri)
    return ignore_actions(params.text_document.uri, list(document.lines), params.context.diagnostics)


def serve() -> None:
    server.start_io()
