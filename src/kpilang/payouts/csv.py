"""An evaluation report as CSV: one row per person, in one of two dialects.

`PLAIN` (`--format csv`) is for programs: `,` between cells, a dot before decimals, LF, UTF-8.
`EXCEL` (`--format csv-excel`) is what Excel with Russian regional settings (and 1C) opens by a
double click, in columns with numbers as numbers: `;` between cells, a decimal comma, CRLF, UTF-8
with a byte order mark (without it Excel reads the file in the system's code page and garbles
Cyrillic). Both have the same columns and figures: empty cells where a figure could not be
computed, shares rounded for people (`people.share`), and the errors' messages (in the reader's
language) in the last column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from kpilang.evaluate.run import EvalReport
from kpilang.messages import DEFAULT_LANGUAGE
from kpilang.payouts.json import number
from kpilang.payouts.people import Cell, people_sheet


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    decimal_mark: str
    line_end: str
    byte_order_mark: bool


PLAIN = CsvDialect(delimiter=",", decimal_mark=".", line_end="\n", byte_order_mark=False)
EXCEL = CsvDialect(delimiter=";", decimal_mark=",", line_end="\r\n", byte_order_mark=True)

_NOT_IN_CSV = ("role", "team", "status")
"""Columns of the people sheet the CSV leaves out: its columns are a contract older than them."""


def render_csv(report: EvalReport, lang: str = DEFAULT_LANGUAGE, dialect: CsvDialect = PLAIN) -> str:
    """One row per person: id, name, metrics, each KPI's value, target, attainment and
    contribution, the score, each pay, the errors."""
    sheet = people_sheet(report, lang).without(*_NOT_IN_CSV)
    out = io.StringIO()
    if dialect.byte_order_mark:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator=dialect.line_end)
    writer.writerow(c.key for c in sheet.columns)
    for row in sheet.rows:
        writer.writerow(_cell(value, dialect) for value in row)
    return out.getvalue()


def _cell(value: Cell, dialect: CsvDialect) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return (number(value) or "").replace(".", dialect.decimal_mark)
    return inert_text(value)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (`=HYPERLINK(…)` in a name from the CRM)."""


def inert_text(text: str) -> str:
    """A text cell of the CSV that a spreadsheet shows as text: one that would start a formula
    gets a leading `'` (OWASP's advice on CSV injection). Figures never pass through here: they
    are numbers, `-1500.00` included, and stay numbers."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
