"""An evaluation report as a terminal table for a head of sales, and the lines printed with it.

Words (headers, status, errors) come in the reader's language (`lang`); names and ids as written.
Numbers are written as the language writes them (Babel's locale data): `152 400,00` and
`115,0 %` in ru (no-break spaces), `152,400.00` and `115.0%` in en. In ru the headers are the
plan's labels (its names where it has none), in en its names. Shares are rounded for people
(`people.share`); money is shown with every digit it has.
"""

from __future__ import annotations

from dataclasses import dataclass
import functools
import re
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, format_percent, get_currency_precision

from kpilang.diagnostics import label
from kpilang.evaluate.numbers import room_for
from kpilang.evaluate.results import EvalError
from kpilang.evaluate.run import EvalReport
from kpilang.messages import DEFAULT_LANGUAGE, t
from kpilang.payouts.people import SHARE_PLACES, share, status

NOTHING_SHOWN = "—"


def percent(value: Decimal | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """An attainment or score for reading: a percent with one decimal, rounded half-up
    (`people.share`), as `lang` writes a percent."""
    if value is None:
        return NOTHING_SHOWN
    rounded = share(value)
    assert rounded is not None
    with room_for(rounded):
        # Babel would round half-even; the figure is already rounded, so Babel only writes it.
        return format_percent(rounded, format=_percent_pattern(lang), locale=lang, decimal_quantization=False)


def money(value: Decimal | None, currency: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """An amount as `lang` writes it, every digit kept and at least the currency's decimals
    (`72 000,00` in ru, `72,000.00` in en); the currency is in the table's title."""
    if value is None:
        return NOTHING_SHOWN
    digits = get_currency_precision(currency)
    with room_for(value):
        return format_decimal(value, format="#,##0" + ("." + "0" * digits if digits else ""), locale=lang,
                              decimal_quantization=False)


@functools.cache
def _percent_pattern(lang: str) -> str:
    """The language's percent pattern with the decimals of a share for people (ru `#,##0.0 %`)."""
    pattern = Locale.parse(lang).percent_formats[None].pattern.split(";")[0]
    return re.sub(r"[#,]*0+", lambda m: m.group(0) + "." + "0" * (SHARE_PLACES - 2), pattern, count=1)


def unknown_people_line(report: EvalReport, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """How many rejected rows name nobody in managers, and how many people were paid anyway;
    None when there are no such rows."""
    counted = [a for a in report.accounts if a.rows_of_unknown_people]
    if not counted:
        return None
    tables = ", ".join(t("run.unknown_people.table", table=a.table, rows=a.rows_of_unknown_people).render(lang)
                       for a in counted)
    return t("run.unknown_people.summary", rows=sum(a.rows_of_unknown_people for a in counted), tables=tables,
             paid=len(report.paid_despite_unknown_people)).render(lang)


def error_place(err: EvalError) -> str:
    """Where an evaluation error comes from: `plan.kpi:LINE:COLUMN` for a formula, `file.csv:ROW`
    for a rejected data row (a row has no column number; the message names the column in words),
    the bare file for a whole file."""
    if not err.line:
        return err.file
    if err.cause == "rejected_data" or not err.column:
        return f"{err.file}:{err.line}"
    return f"{err.file}:{err.line}:{err.column}"


@dataclass(frozen=True)
class TableLayout:
    """The columns of the terminal table and the width they need without cutting any cell."""

    headers: list[str]
    rows: list[list[str]]
    right: set[int]
    widths: list[int]
    width: int

    def min_width(self) -> int:
        """The narrowest this table gets with the name wrapped to NAME_MIN_WIDTH and nothing cut."""
        return self.width - self.widths[NAME_COLUMN] + min(self.widths[NAME_COLUMN], NAME_MIN_WIDTH)


NAME_COLUMN = 1
# Below this width a wrapped name is no longer readable; the table then runs past the terminal's edge.
NAME_MIN_WIDTH = 8
# A rich table spends one border character per column plus one, and one space each side of a cell.
_BORDER_PER_COLUMN, _BORDER_EXTRA = 3, 1


def table_layout(report: EvalReport, *, kpis: bool, lang: str = DEFAULT_LANGUAGE) -> TableLayout:
    """The table a head of sales scans: manager, name, score, each pay and status, with each KPI's
    attainment after the name when `kpis`."""
    program = report.program

    def header(name: str) -> str:
        return (program.label(name) or name) if lang == "ru" else name

    headers = [t("run.manager").render(lang), t("run.name").render(lang),
               *(header(name) for name in (program.kpis if kpis else [])),
               t("payouts.table-score").render(lang), *(header(name) for name in program.pays),
               t("run.status").render(lang)]
    rows = []
    for person in report.results:
        o = person.outcome
        cells = [person.manager_id, person.name or "?"]
        if kpis:
            for name in program.kpis:
                f = o.kpis.get(name) if o is not None else None
                cells.append(percent(f.attainment if f else None, lang))
        cells.append(percent(o.kpi_score if o is not None else None, lang))
        for name in program.pays:
            f = o.pays.get(name) if o is not None else None
            cells.append(money(f.value if f else None, report.currency, lang))
        cells.append(status(person, lang))
        rows.append(cells)
    right = set(range(2, len(headers) - 1))
    widths = [max([_cells(h)] + [_cells(r[i]) for r in rows]) for i, h in enumerate(headers)]
    width = sum(widths) + _BORDER_PER_COLUMN * len(headers) + _BORDER_EXTRA
    return TableLayout(headers, rows, right, widths, width)


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def choose_layout(report: EvalReport, width: int | None, *, wide: bool = False,
                  lang: str = DEFAULT_LANGUAGE) -> TableLayout:
    """The layout for a terminal `width` columns wide (None: no limit, as in a pipe or a file):
    KPI attainments only when they fit, or always with `wide`."""
    full = table_layout(report, kpis=True, lang=lang)
    if wide or width is None or full.min_width() <= width or not report.program.kpis:
        return full
    return table_layout(report, kpis=False, lang=lang)


def render_table(report: EvalReport, console: Any, layout: TableLayout | None = None,
                 lang: str = DEFAULT_LANGUAGE) -> None:
    """A table for reading: numbers right-aligned, ids and money never cut; below it, each
    person's errors with where they come from, and who was skipped."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    layout = layout or choose_layout(report, None, lang=lang)
    title = escape(f"{report.plan} · {report.period.label} · {report.currency}")
    table = Table(title=title, show_lines=False, box=box.HEAVY_HEAD)
    for i, header in enumerate(layout.headers):
        # Only the name may wrap on a narrow terminal: ids, percents and money keep their width.
        wraps = i == NAME_COLUMN
        table.add_column(escape(header), justify="right" if i in layout.right else "left", no_wrap=not wraps,
                         overflow="fold" if wraps else "ellipsis", min_width=None if wraps else layout.widths[i])
    for person, cells in zip(report.results, layout.rows):
        shown = [escape(c) for c in cells]
        if not person.ok:
            shown[-1] = f"[red]{shown[-1]}[/red]"
        table.add_row(*shown)
    console.print(table)
    for person in report.results:
        for err in person.errors:
            console.print(f"[red]{escape(person.manager_id)}[/red] {escape(err.subject)}: "
                          f"{escape(err.message.render(lang))}  ({escape(error_place(err))})", soft_wrap=True)
            if err.help is not None:  # what to do, on its own line, as for a rejected data row
                console.print(f"      = {escape(label('help', lang))}: {escape(err.help.render(lang))}", soft_wrap=True)
    # One line per reason: a department export lists many people other plans pay.
    by_reason: dict[str, list[str]] = {}
    for s in report.skipped:
        by_reason.setdefault(s.reason.render(lang), []).append(s.manager_id)
    for reason, ids in by_reason.items():
        line = t("run.skipped", reason=reason, ids=", ".join(ids)).render(lang)
        console.print(f"[dim]{escape(line)}[/dim]", soft_wrap=True)
    unknown = unknown_people_line(report, lang)
    if unknown is not None:
        console.print(f"[yellow]{escape(unknown)}[/yellow]", soft_wrap=True)
