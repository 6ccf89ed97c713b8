"""What the editor shows over a word: a declaration as written (with its unit and label), a data
table's columns, a column's kind, a built-in name's meaning, or a check's summary over its code
in an ignore comment."""

from __future__ import annotations

import re

from kpilang import schema
from kpilang.checks.base import by_name_or_code
from kpilang.compile import units as U
from kpilang.compile.names import AGGREGATES, SCALAR_FUNCTIONS
from kpilang.compile.program import SALARY, SCORE, Unit
from kpilang.lint.run import ignore_comments
from kpilang.lsp.analysis import Analysis
from kpilang.lsp.findings import page_uri
from kpilang.lsp.positions import contains, lines_of
from kpilang.lsp.symbols import Reference, declarations, reference_at
from kpilang.messages import t

MAX_LINES = 12
"""The most lines of a declaration's source a hover shows (a long test is cut, not a formula)."""
_CODE = re.compile(r"[\w-]+")


def hover_text(analysis: Analysis, line: int, column: int, lang: str) -> tuple[str, Reference | None] | None:
    """Markdown for the word at (line, column), and the reference it is about (for its range)."""
    check = _check_in_ignore(analysis, line, column, lang)
    if check is not None:
        return check, None
    root = analysis.root
    if root is None:
        return None
    ref = reference_at(root, line, column)
    if ref is None:
        return None
    text = _describe(ref, analysis, lang)
    return (text, ref) if text else None


def _describe(ref: Reference, analysis: Analysis, lang: str) -> str | None:
    if ref.kind in ("name", "function"):
        decl = declarations(analysis.modules).get(ref.name)
        if decl is not None:
            return _declaration(decl, analysis, lang)
        if ref.kind == "name" and ref.table in schema.TABLES:
            column = schema.TABLES[ref.table].column(ref.name)
            if column is not None:
                return _column(ref.table, column, lang)
        if ref.name in (SCORE, SALARY):
            meaning = t("lsp.hover.score" if ref.name == SCORE else "lsp.hover.salary")
            return f"`{ref.name}`: {meaning.render(lang)}"
        if ref.kind == "function" and ref.name in AGGREGATES:
            return f"`{ref.name}`: {t('lsp.hover.aggregate').render(lang)}"
        if ref.kind == "function" and ref.name in SCALAR_FUNCTIONS:
            return f"`{ref.name}`: {t('lsp.hover.function').render(lang)}"
        if ref.name in schema.TABLES:
            return _table(ref.name, lang)
        return None
    if ref.kind == "table":
        return _table(ref.name, lang) if ref.name in schema.TABLES else None
    if ref.kind == "column":
        if ref.table == "targets":
            return t("lsp.hover.target", name=ref.name).render(lang)
        table = schema.TABLES.get(ref.table or "")
        column = table.column(ref.name) if table else None
        return _column(ref.table, column, lang) if column is not None else None
    return None


def _declaration(decl, analysis: Analysis, lang: str) -> str:
    file = decl.span.file
    source = lines_of(analysis.sources.get(file, ""))[decl.span.line - 1:decl.span.end_line]
    if len(source) > MAX_LINES:
        source = source[:MAX_LINES] + ["    …"]
    parts = ["```kpi\n" + "\n".join(source).rstrip() + "\n```"]
    facts = []
    if decl.label:
        facts.append(f"{t('lsp.hover.label').render(lang)}: «{decl.label}»" if lang == "ru"
                     else f"{t('lsp.hover.label').render(lang)}: \"{decl.label}\"")
    unit = _unit(decl.name.name, decl.decl, analysis)
    if unit is not None:
        facts.append(f"{t('lsp.hover.unit').render(lang)}: {unit.render(lang)}")
    if file != analysis.file:
        facts.append(t("lsp.hover.declared-in", file=file, line=decl.span.line).render(lang))
    if facts:
        parts.append("\n\n".join(facts))
    return "\n\n".join(parts)


def _unit(name: str, decl: str, analysis: Analysis):
    program = analysis.program
    if program is None:
        return None
    found = {"metric": program.metrics, "kpi": program.kpis, "pay": program.pays}.get(decl, {}).get(name)
    if found is None:
        table = program.tables.get(name) if decl == "table" else None
        return U.WORDS[table.value_unit] if table is not None else None
    return U.WORDS[getattr(found, "unit", Unit.MONEY)]  # a pay is money, so it has no unit field


def _table(name: str, lang: str) -> str:
    table = schema.TABLES[name]
    rows = "\n".join(f"- `{c.name}`: {c.type}" + (f" ({t('lsp.hover.required').render(lang)})" if c.required else "")
                     for c in table.columns)
    return t("lsp.hover.table", name=name).render(lang) + "\n\n" + rows


def _column(table: str, column, lang: str) -> str:
    required = f" ({t('lsp.hover.required').render(lang)})" if column.required else ""
    return t("lsp.hover.column", table=table, column=column.name, kind=column.type).render(lang) + required


def _check_in_ignore(analysis: Analysis, line: int, column: int, lang: str) -> str | None:
    """The summary of the check whose code or name is under the cursor in an ignore comment."""
    for comment in ignore_comments(analysis.text, analysis.file):
        if comment.span.line != line or not contains(comment.span, line, column):
            continue
        text = lines_of(analysis.text)[line - 1]
        for word in _CODE.finditer(text, comment.span.column - 1):
            if word.start() + 1 <= column <= word.end() + 1:
                check = by_name_or_code(word.group())
                if check is None:
                    return None
                summary = t(f"{check.code}.summary").render(lang)
                page = page_uri(check.code, check.name, lang)
                more = f"\n\n[{t('check-page.label').render(lang)}]({page})" if page else ""
                return f"**{check.code}** `{check.name}`: {summary}{more}"
    return None
