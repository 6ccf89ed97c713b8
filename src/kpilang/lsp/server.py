"""`kpilang lsp`: the language server, over standard input and output, on pygls.

This module only wires the protocol to the parts that answer it (`analysis`, `findings`,
`hover`, `symbols`, `completion`, `actions`, and the formatter of `kpilang fmt`).

Diagnostics follow the typing: a change is compiled and linted at once in a worker thread; the
changes that come while it runs are taken together when it ends, and only the findings of the
latest text are published (a stale result is never shown over a newer text). So a burst of
keystrokes costs one analysis more than a single one, and a pause is answered without waiting
(the goal: findings within 0.3 s of a change to a 1,000-line plan; bench/lsp_latency.py). A request
(hover, completion, ...) about a text not analysed yet analyses it at once and keeps the result,
so the parse is shared by the requests that follow and by the diagnostics.
"""

from __future__ import annotations

import asyncio
import logging
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from kpilang.lsp.actions import code_actions
from kpilang.lsp.analysis import Analysis, analyse
from kpilang.lsp.completion import completions
from kpilang.lsp.findings import lsp_diagnostics
from kpilang.lsp.hover import hover_text
from kpilang.lsp.positions import file_uri, line_column, lines_of, span_range
from kpilang.lsp.symbols import declarations, reference_at
from kpilang.messages import DEFAULT_LANGUAGE, LANGUAGES, language, t
from kpilang.syntax.formatter import FormatterError, format_source

UNTITLED = "untitled.kpi"

log = logging.getLogger(__name__)


class KpilangServer(LanguageServer):
    def __init__(self, lang: str | None = None) -> None:
        try:
            release = version("kpilang")
        except PackageNotFoundError:  # pragma: no cover - run from a checkout without installing
            release = "0"
        super().__init__("kpilang", release, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.lang = lang
        self.analyses: dict[str, Analysis] = {}
        """URI → the analysis of its latest text analysed."""
        self.parsed: dict[str, Analysis] = {}
        """URI → the latest analysis whose text parsed: the names completion offers while typing."""
        self.pending: dict[str, asyncio.Task] = {}

    @property
    def speaks(self) -> str:
        return self.lang or DEFAULT_LANGUAGE

    def path_of(self, doc: TextDocument) -> Path:
        return Path(doc.path) if doc.path else Path.cwd() / UNTITLED

    def analysis(self, uri: str) -> tuple[TextDocument, Analysis]:
        """The document and the analysis of its current text (made now if it is not there yet)."""
        doc = self.workspace.get_text_document(uri)
        known = self.analyses.get(uri)
        if known is None or known.text != doc.source:
            known = self.keep(uri, analyse(self.path_of(doc), doc.source))
        return doc, known

    def keep(self, uri: str, analysis: Analysis) -> Analysis:
        self.analyses[uri] = analysis
        if analysis.root is not None:
            self.parsed[uri] = analysis
        return analysis

    def schedule(self, uri: str) -> None:
        running = self.pending.get(uri)
        if running is not None and not running.done():
            return  # the analysis under way looks at the text again when it ends
        self.pending[uri] = asyncio.get_running_loop().create_task(self._analyse_latest(uri))

    async def _analyse_latest(self, uri: str) -> None:
        await asyncio.sleep(0)  # changes already received are applied first
        while uri in self.workspace.text_documents:
            doc = self.workspace.get_text_document(uri)
            text, at_version = doc.source, doc.version
            known = self.analyses.get(uri)
            if known is None or known.text != text:
                try:
                    found = await asyncio.get_running_loop().run_in_executor(None, analyse, self.path_of(doc), text)
                except Exception as err:  # a bug in kpilang: said, never a silent editor without findings
                    log.exception("analysing %s", uri)
                    self.window_show_message(types.ShowMessageParams(
                        type=types.MessageType.Error,
                        message=t("lsp.failed", file=str(self.path_of(doc)), error=repr(err)).render(self.speaks)))
                    return
                known = self.keep(uri, found)
            if uri in self.workspace.text_documents and self.workspace.get_text_document(uri).version == at_version:
                self.publish(uri, known, at_version)
                return
            # the text changed meanwhile: its findings, not these, are the ones to show

    def publish(self, uri: str, analysis: Analysis, at_version: int | None) -> None:
        diagnostics = lsp_diagnostics(analysis, self.speaks, self.workspace.position_codec)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=at_version))


def build_server(lang: str | None = None) -> KpilangServer:
    server = KpilangServer(lang)

    @server.feature(types.INITIALIZE)
    def initialize(ls: KpilangServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if ls.lang is None:  # `--lang` first, then the client's option, then KPILANG_LANG
            asked = options.get("lang") if isinstance(options, dict) else None
            ls.lang = language(asked if asked in LANGUAGES else None)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: KpilangServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: KpilangServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: KpilangServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.analyses.pop(params.text_document.uri, None)  # an imported file may have changed on disk
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KpilangServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.analyses.pop(uri, None)
        ls.parsed.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: KpilangServer, params: types.HoverParams) -> types.Hover | None:
        doc, analysis = ls.analysis(params.text_document.uri)
        lines = lines_of(doc.source)
        line, column = line_column(params.position, lines, ls.workspace.position_codec)
        found = hover_text(analysis, line, column, ls.speaks)
        if found is None:
            return None
        text, ref = found
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                           range=span_range(ref.span, lines, ls.workspace.position_codec) if ref else None)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: KpilangServer, params: types.DefinitionParams) -> types.Location | None:
        doc, analysis = ls.analysis(params.text_document.uri)
        root = analysis.root
        if root is None:
            return None
        codec = ls.workspace.position_codec
        ref = reference_at(root, *line_column(params.position, lines_of(doc.source), codec))
        if ref is None:
            return None
        if ref.kind == "import":
            target = analysis.path.parent / ref.name
            start = types.Position(line=0, character=0)
            return types.Location(uri=file_uri(str(target)), range=types.Range(start=start, end=start)) \
                if target.is_file() else None
        if ref.kind not in ("name", "function"):
            return None
        decl = declarations(analysis.modules).get(ref.name)
        if decl is None:
            return None
        name = decl.name.span
        return types.Location(uri=file_uri(name.file),
                              range=span_range(name, lines_of(analysis.sources.get(name.file, "")), codec))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=[".", "("]))
    def completion(ls: KpilangServer, params: types.CompletionParams) -> types.CompletionList:
        uri = params.text_document.uri
        doc = ls.workspace.get_text_document(uri)
        known = ls.analyses.get(uri)
        if known is None or known.root is None:
            known = ls.parsed.get(uri, known)
        line, column = line_column(params.position, lines_of(doc.source), ls.workspace.position_codec)
        return types.CompletionList(is_incomplete=False, items=completions(known, doc.source, line, column))

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: KpilangServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        doc = ls.workspace.get_text_document(params.text_document.uri)
        try:
            formatted, _ = format_source(doc.source, str(ls.path_of(doc)))
        except FormatterError as err:  # the formatter refused its own result: the text stays as it is
            log.error("%s", err)
            return None
        if formatted is None or formatted == doc.source:
            return [] if formatted is not None else None
        lines = lines_of(doc.source)
        end = ls.workspace.position_codec.position_to_client_units(
            lines, types.Position(line=len(lines) - 1, character=len(lines[-1])))
        return [types.TextEdit(range=types.Range(start=types.Position(line=0, character=0), end=end),
                               new_text=formatted)]

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: KpilangServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        doc = ls.workspace.get_text_document(params.text_document.uri)
        return code_actions(doc.uri, doc.source, params.context.diagnostics, ls.speaks, ls.workspace.position_codec)

    return server


def serve(lang: str | None = None) -> None:
    """Answer an editor on standard input and output until it says exit."""
    build_server(lang).start_io()
