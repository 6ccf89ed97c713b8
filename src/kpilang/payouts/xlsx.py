"""An evaluation report as an Excel workbook: typed cells a head of sales and 1C can use as they are.

Three sheets: the people (one row each, `people.people_sheet`), the data problems and the people
the plan does not evaluate. Money is a number with the currency's format (Russian Excel shows
`152 400,00 ₽`), shares are numbers rounded for people (`people.share`) shown as `115,0%`, counts
are whole numbers; a figure that could not be computed is an empty cell beside the error, never
a zero. Headers are the plan's labels (the names where it has none) and the words of `lang`.

**Exact figures.** openpyxl writes a Decimal through `"%.16g"` of its float, which turns 8.89
into 8.890000000000001 in the file; every number here is written as the exact decimal text
instead (`_put_number`). Excel itself holds 15 significant digits: a money figure with more is
written as text, every digit kept, rather than rounded by Excel when it opens the file.

**Text is never a formula.** A text cell (a name from the CRM, a value quoted from the data) that
starts like a formula (`=HYPERLINK(…)`) is stored as a string, flagged `quotePrefix` so that
editing it in Excel keeps it text; characters XML cannot hold (control characters) become U+FFFD.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from babel import Locale
from babel.numbers import get_currency_precision, get_currency_symbol

from kpilang.evaluate.run import EvalReport
from kpilang.messages import DEFAULT_LANGUAGE, t
from kpilang.payouts.csv import FORMULA_STARTS
from kpilang.payouts.json import number
from kpilang.payouts.people import Cell, Kind, people_sheet

EXCEL_DIGITS = 15
"""Significant digits Excel keeps of a number."""

SHARE_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
GENERAL_FORMAT = "General"

_MIN_WIDTH, _MAX_WIDTH, _HEADER_WORD_MAX = 8, 60, 30
# XML 1.0 cannot hold these characters; openpyxl refuses a text containing them.
_NOT_IN_XML = re.compile(r"[\000-\010\013\014\016-\037]")


def excel_money_format(currency: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The Excel number format of `currency` as the language writes it: `#,##0.00" ₽"` for RUB in
    ru, `"RUB "#,##0.00` in en. Excel's `,` and `.` in a format stand for the reader's own
    separators, so Russian Excel shows `152 400,00 ₽`."""
    locale = Locale.parse(lang)
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    number_part = re.search(r"[#0][#0,.]*", pattern)
    assert number_part is not None, pattern
    symbol = get_currency_symbol(currency, locale=locale)
    prefix, suffix = pattern[:number_part.start()], pattern[number_part.end():]
    # A code written in letters is set apart from the digits (`RUB 155,000.01`, not `RUB155,000.01`).
    if symbol[-1:].isalpha() and prefix.endswith("¤"):
        prefix += " "
    if symbol[:1].isalpha() and suffix.startswith("¤"):
        suffix = " " + suffix
    digits = get_currency_precision(currency)
    code = "#,##0" + ("." + "0" * digits if digits else "")

    def literal(affix: str) -> str:
        text = affix.replace("¤", symbol).replace("\u00a0", " ").replace("\u202f", " ")
        return '"' + text.replace('"', "") + '"' if text else ""

    return literal(prefix) + code + literal(suffix)


def cell_formats(currency: str, lang: str = DEFAULT_LANGUAGE) -> dict[Kind, str]:
    """The Excel number format of each kind of cell, money in `currency` as `lang` writes it."""
    return {"money": excel_money_format(currency, lang), "share": SHARE_FORMAT, "count": COUNT_FORMAT,
            "number": GENERAL_FORMAT, "duration": GENERAL_FORMAT, "text": GENERAL_FORMAT}


def new_workbook(title: str, currency: str, lang: str = DEFAULT_LANGUAGE):
    """An empty workbook titled `title`, and the number formats of its cells (`cell_formats`)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.title = title
    return workbook, cell_formats(currency, lang)


def write_xlsx(report: EvalReport, path: str | Path | BinaryIO, lang: str = DEFAULT_LANGUAGE) -> None:
    """Write the workbook to `path`, a file name or a binary file (OSError when it cannot be written)."""
    workbook, formats = new_workbook(f"{report.plan} · {report.period.label} · {report.currency}", report.currency,
                                     lang)
    people = people_sheet(report, lang)
    sheet = workbook.active
    sheet.title = t("payouts.sheet.people").render(lang)
    # The header row stays in view, and so do each person's id and name.
    fill_sheet(sheet, [c.header for c in people.columns], [c.kind for c in people.columns], people.rows, formats,
          freeze="C2")

    problem_columns = ("table", "file", "row", "column", "value", "reason", "hint", "people")
    problems = [[p.table, p.file, Decimal(p.row) if p.row is not None else None, p.column, p.value,
                 p.reason.render(lang), p.hint.render(lang), ", ".join(p.manager_ids) or None]
                for p in report.data_problems]
    # A row number is a plain number (`General`): line 1202 of a file, not a count of `1 202`.
    kinds: list[Kind] = ["text", "text", "number", "text", "text", "text", "text", "text"]
    fill_sheet(workbook.create_sheet(t("payouts.sheet.problems").render(lang)),
          [t(f"payouts.problem.{c}").render(lang) for c in problem_columns], kinds, problems, formats)

    skipped = [[s.manager_id, s.name, s.reason.render(lang)] for s in report.skipped]
    fill_sheet(workbook.create_sheet(t("payouts.sheet.skipped").render(lang)),
          [t("payouts.column.id").render(lang), t("payouts.column.name").render(lang),
           t("payouts.skipped.reason").render(lang)], ["text", "text", "text"], skipped, formats)
    workbook.save(path)


def fill_sheet(sheet, headers: list[str], kinds: list[Kind], rows: list[list[Cell]], formats: dict[Kind, str],
          freeze: str = "A2") -> None:
    """A header row (bold, wrapped, frozen above `freeze`, with an autofilter over the table) and
    typed cells, each column as wide as what it shows."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        _put_text(cell, header)
        cell.font, cell.alignment = bold, wrapped
    for row_number, row in enumerate(rows, start=2):
        for column, (value, kind) in enumerate(zip(row, kinds), start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, Decimal):
                _put_number(cell, value, kind, formats[kind])
            elif value is not None:
                _put_text(cell, value)
    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for column, (header, kind) in enumerate(zip(headers, kinds), start=1):
        shown = [_shown_width(row[column - 1], kind) for row in rows]
        header_width = min(max(len(word) for word in header.split() or [""]), _HEADER_WORD_MAX)
        width = max([_MIN_WIDTH, header_width, *shown]) + 2
        sheet.column_dimensions[get_column_letter(column)].width = min(width, _MAX_WIDTH)


def _put_text(cell, text: str) -> None:
    cell.value = _NOT_IN_XML.sub("\ufffd", text)
    if cell.data_type == "f":  # openpyxl takes any text starting with `=` for a formula
        cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _put_number(cell, value: Decimal, kind: Kind, number_format: str) -> None:
    text = number(value)
    assert text is not None
    if kind == "money" and len(value.normalize().as_tuple().digits) > EXCEL_DIGITS:
        _put_text(cell, text)  # Excel would round it; every digit stays, as text
        cell.number_format = "@"
        return
    cell.value = value  # a number cell (openpyxl's type "n") with its style
    # openpyxl would write float(value) to 16 digits (8.89 → 8.890000000000001); a text value of
    # a number cell is written as it is, so the file holds the exact decimal.
    cell._value = text
    cell.number_format = number_format


def _shown_width(value: Cell, kind: Kind) -> int:
    """About how many characters a cell shows (Excel has no width that fits by itself)."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        if kind == "share":
            return len(f"{value * 100:.1f}%")
        text = f"{value:,f}"
        return len(text) + (4 if kind == "money" else 0)
    return min(max(len(line) for line in value.splitlines() or [""]), _MAX_WIDTH)
