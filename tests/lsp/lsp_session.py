"""A real client session with `kpilang lsp`: a subprocess spoken to over stdio with JSON-RPC
framing, by pygls's own client, from synchronous tests (the session keeps its event loop)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

WAIT = 60
"""Seconds a test waits for the server's findings before failing (never a timing assertion:
only a hung server takes this long)."""


class LspSession:
    def __init__(self, cwd: Path, *args: str, options: dict | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = LanguageClient("kpilang-tests", "1")
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self._arrived = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _published(params: types.PublishDiagnosticsParams) -> None:
            self.published.setdefault(params.uri, []).append(params)
            self._arrived.set()

        self.run(self.client.start_io(sys.executable, "-m", "kpilang", "lsp", *args, cwd=str(cwd)))
        self.initialized = self.run(self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=cwd.as_uri(), process_id=None,
            initialization_options=options)))
        self.client.initialized(types.InitializedParams())

    def run(self, awaitable):
        return self.loop.run_until_complete(asyncio.wait_for(awaitable, WAIT))

    def open(self, path: Path, text: str | None = None, version: int = 1) -> str:
        uri = path.resolve().as_uri()
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="kpilang", version=version,
            text=path.read_text(encoding="utf-8") if text is None else text)))
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        """Replace the whole text (a change without a range)."""
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    def diagnostics(self, uri: str, version: int | None = None) -> list[types.Diagnostic]:
        """The findings published for `uri` (for `version`, when given), waiting for them."""
        async def wait():
            while True:
                found = [p for p in self.published.get(uri, []) if version is None or p.version == version]
                if found:
                    return found[-1].diagnostics
                self._arrived.clear()
                await self._arrived.wait()
        return self.run(wait())

    def close(self) -> None:
        self.run(self.client.shutdown_async(None))
        self.client.exit(None)
        self.run(self.client.stop())
        self.loop.close()


@pytest.fixture
def lsp_session():
    """Start `kpilang lsp` (with the given arguments) in a folder; every session is shut down."""
    sessions = []

    def start(cwd: Path, *args: str, options: dict | None = None) -> LspSession:
        sessions.append(LspSession(cwd, *args, options=options))
        return sessions[-1]

    yield start
    for session in sessions:
        session.close()


def at(line: int, character: int) -> types.Position:
    """An LSP position from a 1-based line and 0-based character (as an editor's status bar shows lines)."""
    return types.Position(line=line - 1, character=character)
