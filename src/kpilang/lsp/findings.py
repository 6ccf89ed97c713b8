"""kpilang's diagnostics as LSP diagnostics of one open plan.

Each keeps its code, a link to its check's page (when the docs are at hand: a source checkout),
its help and witness in the message (editors show the message, not a separate help), and its
notes as related locations. A finding in an imported file is shown at the `import` that brings
the file in, with the finding's own place as a related location: the file itself may not be open.

A finding whose help suggests a name (`did you mean `revenue`?`) carries the replacement in its
`data`, which the editor gives back with a code action request (`lsp/actions.py`).
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types
from pygls.workspace import PositionCodec

from kpilang.bundled import docs_dir
from kpilang.diagnostics import Diagnostic, Severity, Span, check_page, label
from kpilang.lsp.analysis import Analysis
from kpilang.lsp.positions import DEFAULT_CODEC, file_uri, lines_of, span_range
from kpilang.messages import Text, t
from kpilang.syntax import ast

SOURCE = "kpilang"
SUGGESTIONS = {"did-you-mean": "{name}", "E0404.timezone-hint": '"{name}"'}
"""Help texts that propose a replacement for the text the finding points at: key → the text put
in its place (a time zone is written quoted)."""
NAME_ARGUMENTS = ("name", "field")
"""The message's argument that holds the misspelt word (the span may be wider: `deals.amont`)."""
_SEVERITIES = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
               Severity.INFO: types.DiagnosticSeverity.Information}


def lsp_diagnostics(analysis: Analysis, lang: str, codec: PositionCodec = DEFAULT_CODEC) -> list[types.Diagnostic]:
    lines = {analysis.file: lines_of(analysis.text)}
    out = []
    if analysis.config_error is not None:
        out.append(types.Diagnostic(
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            message=t("lsp.config-unusable", error=analysis.config_error).render(lang),
            severity=types.DiagnosticSeverity.Error, source=SOURCE))
    for diag in analysis.diagnostics:
        out.append(_one(diag.localized(lang), analysis, lines, lang, codec))
    return out


def _lines(file: str, analysis: Analysis, cache: dict[str, list[str]]) -> list[str]:
    if file not in cache:
        cache[file] = lines_of(analysis.sources.get(file, ""))
    return cache[file]


def _one(diag: Diagnostic, analysis: Analysis, lines: dict[str, list[str]], lang: str,
         codec: PositionCodec) -> types.Diagnostic:
    message = diag.message
    if diag.witness:
        message += f"\n{label('witness', lang)}: " + ", ".join(f"{k} = {v}" for k, v in diag.witness.items())
    if diag.help:
        message += f"\n{label('help', lang)}: {diag.help}"
    related = [types.DiagnosticRelatedInformation(
        location=types.Location(uri=file_uri(n.span.file), range=span_range(n.span, _lines(n.span.file, analysis, lines), codec)),
        message=n.message) for n in diag.notes]
    here = diag.span
    if here.file != analysis.file:  # a finding in an imported file: shown at the import
        related.insert(0, types.DiagnosticRelatedInformation(
            location=types.Location(uri=file_uri(here.file), range=span_range(here, _lines(here.file, analysis, lines), codec)),
            message=diag.message))
        message = t("lsp.in-import", file=here.file, message=message).render(lang)
        here = _import_bringing(here.file, analysis)
    data = _suggestion(diag, analysis, lines, codec) if here is diag.span else None
    page = page_uri(diag.code, diag.name, lang)
    return types.Diagnostic(
        range=span_range(here, lines[analysis.file], codec), message=message, severity=_SEVERITIES[diag.severity],
        code=diag.code, code_description=types.CodeDescription(href=page) if page else None, source=SOURCE,
        related_information=related or None, data=data,
    )


def _import_bringing(file: str, analysis: Analysis) -> Span:
    """The root's `import` of `file`, or of the library that imports it; the top of the file when
    neither is found."""
    root = analysis.root
    imports = [item for item in (root.items if root else []) if isinstance(item, ast.Import)]
    target = Path(file).resolve()
    for item in imports:
        if (analysis.path.parent / item.path).resolve() == target:
            return item.span
    if imports:
        return imports[0].span
    return Span(file=analysis.file, line=1, column=1, end_line=1, end_column=1)


def _suggestion(diag: Diagnostic, analysis: Analysis, lines: dict[str, list[str]], codec: PositionCodec) -> dict | None:
    """`{"title": …, "range": …, "newText": …}`: the replacement a did-you-mean help proposes."""
    help_text = diag.help_text
    if not isinstance(help_text, Text) or help_text.key not in SUGGESTIONS:
        return None
    args = dict(help_text.args)
    replacement = SUGGESTIONS[help_text.key].format(name=args["name"])
    span = _misspelt(diag, analysis.text)
    return {"fix": {"range": _json_range(span_range(span, lines[analysis.file], codec)), "newText": replacement,
                    "name": str(args["name"])}}


def _misspelt(diag: Diagnostic, text: str) -> Span:
    """The part of the finding's span that is the misspelt word: `amont` in `deals.amont`."""
    span = diag.span
    words = dict(diag.text.args) if diag.text is not None else {}
    wrong = next((str(words[k]) for k in NAME_ARGUMENTS if k in words), None)
    source = lines_of(text)
    if wrong is None or span.line != span.end_line or not 1 <= span.line <= len(source):
        return span
    covered = source[span.line - 1][span.column - 1:span.end_column - 1]
    found = re.search(rf"(?<!\w){re.escape(wrong)}(?!\w)", covered)
    if found is None or found.group() == covered:
        return span
    start = span.column + found.start()
    return Span(file=span.file, line=span.line, column=start, end_line=span.line, end_column=start + len(wrong))


def _json_range(r: types.Range) -> dict:
    return {"start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character}}


def page_uri(code: str, name: str, lang: str) -> str | None:
    """The URI of a check's page in the reader's language, when the docs are at hand."""
    docs = docs_dir()
    if docs is None or not code.startswith("KPL"):
        return None
    page = docs.parent / check_page(code, name, lang)
    return page.as_uri() if page.is_file() else None
