"""Statements: every number of every person's pay explained, in ru or en, as text, Markdown or HTML.

    report = kpilang.evaluate(program, "data/", "2026-07")
    statements = build_statements(report, lang="ru")             # the figures, formatted and worded
    rendered = render_statements(statements, report, fmt="html")  # the documents and the index
    rendered.write(Path("out/"))                                   # one file per person + index.html

`kpilang.explain(report, ...)` does both steps. The layers are separate so that each can be used
alone: `StatementBuilder` (one report, one language → `Statement`s), `StatementRenderer`
(one format → text), `ReachFinder` ("what it would take").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from kpilang.explain.catalog import MessageError, Messages, load_messages

if TYPE_CHECKING:
    from kpilang.explain.build import StatementBuilder
    from kpilang.explain.formatting import LocaleFormat
    from kpilang.explain.kinds import FigureKinds
    from kpilang.explain.model import Statement
    from kpilang.explain.output_files import file_stem
    from kpilang.explain.reach import ReachFinder
    from kpilang.explain.render import StatementRenderer, TemplateError

FORMATS = ("text", "md", "html")
LANGUAGES = ("ru", "en")

# Importing this package stays cheap (`import kpilang` imports it for the façade): Jinja2, Babel
# and the evaluator load when a statement is first built.
_LAZY = {
    "FigureKinds": "kinds", "StatementBuilder": "build", "file_stem": "output_files", "LocaleFormat": "formatting",
    "Statement": "model", "ReachFinder": "reach", "StatementRenderer": "render", "TemplateError": "render",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "FORMATS", "LANGUAGES", "FigureKinds", "LocaleFormat", "MessageError", "Messages", "ReachFinder", "Rendered",
    "RenderedStatement", "Statement", "StatementBuilder", "StatementRenderer", "TemplateError", "build_statements",
    "explain", "file_stem", "load_messages", "render_statements",
]


@dataclass(frozen=True)
class RenderedStatement:
    manager_id: str
    file_name: str
    text: str
    ok: bool


@dataclass(frozen=True)
class Rendered:
    """The documents of one run: one per person, and an index of them."""

    format: str
    statements: list[RenderedStatement]
    index: str
    index_name: str
    book: str | None = None
    """For HTML asked with `book=True`: every statement in one page (a printed page per person)."""

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.statements)

    def write(self, directory: str | Path) -> list[Path]:
        """One file per person and the index; returns the paths written. A symbolic link in
        `directory` where a file goes is replaced by the file, never written through (see
        `output_files`)."""
        from kpilang.explain.output_files import replace_file

        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for statement in self.statements:
            path = directory / statement.file_name
            replace_file(path, statement.text)
            written.append(path)
        index = directory / self.index_name
        replace_file(index, self.index)
        written.append(index)
        return written

    def joined(self) -> str:
        """Every statement in one document, for standard output: text and Markdown one after the
        other, HTML as one page (the single statement's own page when there is one)."""
        if self.format == "html":
            if len(self.statements) == 1:
                return self.statements[0].text
            if self.book is None:
                raise ValueError("render the statements with book=True to join HTML statements")
            return self.book
        separator = "\n" + "─" * 72 + "\n\n" if self.format == "text" else "\n---\n\n"
        return separator.join(s.text for s in self.statements)


def build_statements(report, *, lang: str = "ru", templates: Path | None = None,
                     managers: Iterable[str] | None = None, what_it_takes: bool = True,
                     progress: Callable[[int, int], None] | None = None) -> "list[Statement]":
    """One `Statement` per evaluated person of `report` (an `EvalReport`), or only the `managers`
    named. Raises `KeyError` naming an id that is not among the report's people. `progress(done,
    total)` is called after each statement (the next-band search makes long runs noticeable)."""
    from kpilang.explain.build import StatementBuilder

    t = load_messages(lang, templates)
    builder = StatementBuilder(report, t, what_it_takes=what_it_takes)
    people = report.results
    if managers is not None:
        wanted = list(dict.fromkeys(managers))
        by_id = {p.manager_id: p for p in people}
        missing = [m for m in wanted if m not in by_id]
        if missing:
            raise KeyError(", ".join(missing))
        people = [by_id[m] for m in wanted]
    out = []
    for person in people:
        out.append(builder.build(person))
        if progress is not None:
            progress(len(out), len(people))
    return out


def render_statements(statements: "list[Statement]", report, *, fmt: str = "text", lang: str = "ru",
                      templates: Path | None = None, renderer: "StatementRenderer | None" = None,
                      book: bool = False) -> Rendered:
    """The statements as documents of one format, and their index."""
    from kpilang.explain.render import StatementRenderer

    renderer = renderer or StatementRenderer(fmt, templates)
    t = load_messages(lang, templates)
    ext = renderer.extension
    docs = [RenderedStatement(manager_id=s.manager_id, file_name=f"{s.file_stem}.{ext}", text=renderer.statement(s, t),
                              ok=s.ok) for s in statements]
    plan = report.program.plan
    fingerprint = statements[0].fingerprint if statements else report.plan_sha256
    period = statements[0].period if statements else report.period.label
    plan_label = (plan.label or plan.name) if plan else report.plan
    index = renderer.index(statements, t, plan_label=plan_label, plan_name=report.plan, period=period,
                           fingerprint=fingerprint, sum_of_totals=_sum_of_totals(statements, report, lang))
    combined = renderer.book(statements, t, plan_label=plan_label, period=period) if book and fmt == "html" else None
    return Rendered(format=fmt, statements=docs, index=index, index_name=f"index.{ext}", book=combined)


def _sum_of_totals(statements, report, lang: str) -> str | None:
    """The final pays added up over the people whose final pay was computed (exact decimals)."""
    amounts = [s.total_amount for s in statements if s.total_amount is not None]
    if not amounts:
        return None
    from kpilang.explain.formatting import LocaleFormat

    return LocaleFormat(lang, report.currency).figure(sum(amounts, Decimal(0)), "money")


def explain(report, *, lang: str = "ru", fmt: str = "text", templates: Path | None = None,
            managers: Iterable[str] | None = None) -> Rendered:
    """Statements for an evaluated report: build them in `lang` and render them as `fmt`."""
    statements = build_statements(report, lang=lang, templates=templates, managers=managers)
    return render_statements(statements, report, fmt=fmt, lang=lang, templates=templates, book=fmt == "html")
