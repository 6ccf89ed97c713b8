"""Spans, diagnostics and their rendering as text (rustc/Elm style) and JSON.

Every problem kpilang reports about a plan, from a stray character to a KPI that can be met
without a sale, is a `Diagnostic` with a `Span` pointing into the source. Columns are 1-based;
`end_column` is exclusive (the column just after the last character), as in Lark and SARIF.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kpilang.messages import DEFAULT_LANGUAGE, Text, language, render, t


BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""The explicit directional marks, embeddings, overrides and isolates of Unicode's bidirectional
algorithm (the Bidi_Control property). A source line quoted under a diagnostic shows each as
U+FFFD, one character for one so that the caret stays in place: printed as they are, they would
reorder the very line that reports them."""


class Span(BaseModel):
    model_config = ConfigDict(frozen=True)

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def to(self, other: "Span") -> "Span":
        """The span from the start of this one to the end of `other`."""
        return Span(
            file=self.file,
            line=self.line,
            column=self.column,
            end_line=other.end_line,
            end_column=other.end_column,
        )

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


def _keep_texts(values: Any, fields: tuple[tuple[str, str], ...]) -> Any:
    """Let `message=t(...)` be given where a string is expected: the English sentence becomes the
    string (what JSON consumers and golden files have always read) and the `Text` is kept beside it
    to be rendered in another language."""
    if not isinstance(values, dict):
        return values
    values = dict(values)
    for field, keeper in fields:
        value = values.get(field)
        if isinstance(value, Text):
            values[field] = value.render(DEFAULT_LANGUAGE)
            values[keeper] = value
    return values


class Note(BaseModel):
    """A secondary location that explains the primary one (\"first declared here\")."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    span: Span
    message: str
    text: Text | None = Field(default=None, exclude=True, repr=False)
    """The message as a catalog key and arguments, when it can be said in other languages."""

    @model_validator(mode="before")
    @classmethod
    def _texts(cls, values: Any) -> Any:
        return _keep_texts(values, (("message", "text"),))

    def localized(self, lang: str) -> "Note":
        if lang == DEFAULT_LANGUAGE or self.text is None:
            return self
        return self.model_copy(update={"message": render(self.text, lang)})


class Diagnostic(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    help: str | None = None
    notes: tuple[Note, ...] = ()
    witness: dict[str, str] | None = None
    text: Text | None = Field(default=None, exclude=True, repr=False)
    """`message` as a catalog key and arguments (`message` itself is always the English)."""
    help_text: Text | None = Field(default=None, exclude=True, repr=False)

    @model_validator(mode="before")
    @classmethod
    def _texts(cls, values: Any) -> Any:
        return _keep_texts(values, (("message", "text"), ("help", "help_text")))

    def localized(self, lang: str) -> "Diagnostic":
        """The same diagnostic with its message, help and notes in `lang` (English is the
        original; a message without a catalog key stays as it is)."""
        if lang == DEFAULT_LANGUAGE:
            return self
        update: dict[str, Any] = {"notes": tuple(n.localized(lang) for n in self.notes)}
        if self.text is not None:
            update["message"] = render(self.text, lang)
        if self.help_text is not None:
            update["help"] = render(self.help_text, lang)
        return self.model_copy(update=update)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.span.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
        }
        if self.help:
            out["help"] = self.help
        if self.notes:
            out["notes"] = [
                {"message": n.message, "file": n.span.file, "line": n.span.line, "column": n.span.column}
                for n in self.notes
            ]
        if self.witness is not None:
            out["witness"] = dict(self.witness)
        return out


def sort_key(d: Diagnostic) -> tuple:
    return (d.span.file, d.span.line, d.span.column, d.code)


def render_text(diag: Diagnostic, sources: dict[str, str], lang: str | None = None) -> str:
    """Render like rustc: header, `--> file:line:col`, the source line with a caret or underline,
    then notes and `= help: …`; words and labels in `lang` (code identifiers stay as written).

    Without `lang`, the language is `KPILANG_LANG`'s (English when it is not set), so every command
    that prints diagnostics speaks the language the user chose once for the shell."""
    lang = language(lang)
    diag = diag.localized(lang)
    severity = render(Text(f"severity.{diag.severity.value}"), lang)
    lines = [f"{severity}[{diag.code}]: {diag.message}"]
    lines.extend(_excerpt(diag.span, sources))
    for note in diag.notes:
        lines.append(f"  = {label('note', lang)}: {note.message}")
        lines.extend(_excerpt(note.span, sources, indent="    "))
    if diag.witness:
        shown = ", ".join(f"{k} = {v}" for k, v in diag.witness.items())
        lines.append(f"  = {label('witness', lang)}: {shown}")
    if diag.help:
        lines.append(f"  = {label('help', lang)}: {diag.help}")
    if lang == "ru" and diag.code.startswith("KPL"):  # the English pages are linked from SARIF
        lines.append(f"  = {t('check-page.label').render(lang)}: {check_page(diag.code, diag.name, lang)}")
    return "\n".join(lines)


CHECK_PAGES = "docs/checks"
"""Where the checks' pages are, from the project's root; the Russian ones are in `ru/` below."""


def check_page(code: str, name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The page of a check in the reader's language: `docs/checks/ru/KPL003-weights-sum.md`."""
    folder = CHECK_PAGES if lang == DEFAULT_LANGUAGE else f"{CHECK_PAGES}/{lang}"
    return f"{folder}/{code}-{name}.md"


def label(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The word before a diagnostic's part: `help`, `note`, `witness` (`подсказка`, …)."""
    return render(Text(f"label.{name}"), lang)


def _excerpt(span: Span, sources: dict[str, str], indent: str = "") -> list[str]:
    text = sources.get(span.file)
    number = str(span.line)
    gutter = " " * len(number)
    # rustc's layout: the arrow sits one column left of the gutter bar, whatever its width.
    out = [f"{indent}{gutter}--> {span.file}:{span.line}:{span.column}"]
    if text is None:
        return out
    source_lines = text.splitlines()
    if not (1 <= span.line <= len(source_lines)):
        return out
    line_text = BIDI_CONTROLS.sub("\ufffd", source_lines[span.line - 1].replace("\t", " "))
    if span.end_line == span.line:
        width = max(1, span.end_column - span.column)
    else:
        width = max(1, len(line_text) - span.column + 1)
    out.append(f"{indent}{gutter} |")
    out.append(f"{indent}{number} | {line_text}")
    out.append(f"{indent}{gutter} | {' ' * (span.column - 1)}{'^' * width}")
    return out


def has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diags)
