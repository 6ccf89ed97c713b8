"""An evaluation report as JSON, CSV or a terminal table.

JSON follows the contract in the command-line reference: every number is a string holding an
exact decimal in plain notation (`0`, never `0E+2`), keys come in a fixed order and people are
sorted by manager_id, so the same plan, data and period always give the same bytes. A figure
that could not be computed is `null`, next to the error that says why; nothing is filled in.

Every output takes the reader's language (`lang`, "en" or "ru") for its words: error messages,
reasons and hints, the table's headers and status. Names, figures and each entry's `code` are the
same in every language.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kpilang.diagnostics import label
from kpilang.evaluate.numbers import room_for, tidy
from kpilang.evaluate.results import EvalError
from kpilang.evaluate.run import EvalReport, PersonResult
from kpilang.messages import DEFAULT_LANGUAGE, t


def number(value: Decimal | None) -> str | None:
    """An exact decimal as plain text: no exponent, every significant digit kept."""
    if value is None:
        return None
    text = format(value, "f")
    return "0" if text in ("-0", "") else text


def error_json(err: EvalError, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    return {
        "subject": err.subject,
        "code": err.code,
        "message": err.message.render(lang),
        "formula": err.formula,
        "file": err.file,
        "line": err.line,
        "column": err.column,
        "cause": err.cause,
        "help": err.help.render(lang) if err.help is not None else None,
    }


def person_json(report: EvalReport, person: PersonResult, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    program = report.program
    outcome = person.outcome
    kpis: dict[str, Any] = {}
    for name, kpi in program.kpis.items():
        figures = outcome.kpis.get(name) if outcome is not None else None
        kpis[name] = {
            "value": number(figures.value) if figures else None,
            "target": number(figures.target) if figures else None,
            "attainment": number(figures.attainment) if figures else None,
            "weight": number(figures.weight if figures else tidy(kpi.weight)),
            "contribution": number(figures.contribution) if figures else None,
        }
    pays: dict[str, Any] = {}
    for name in program.pays:
        figures = outcome.pays.get(name) if outcome is not None else None
        pays[name] = number(figures.value) if figures else None
    return {
        "manager_id": person.manager_id,
        "name": person.name,
        "metrics": {name: number(person.metrics.get(name)) for name in program.metrics},
        "kpis": kpis,
        "kpi_score": number(outcome.kpi_score) if outcome is not None else None,
        "pays": pays,
        "errors": [error_json(e, lang) for e in person.errors],
    }


def to_json(report: EvalReport, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    return {
        "plan": report.plan,
        "plan_sha256": report.plan_sha256,
        "period": report.period.label,
        "currency": report.currency,
        "results": [person_json(report, p, lang) for p in report.results],
        "skipped": [{"manager_id": s.manager_id, "code": s.code, "reason": s.reason.render(lang)}
                    for s in report.skipped],
        "data_problems": [p.to_json(lang) for p in report.data_problems],
        "tables": [
            {"table": a.table, "file": a.file, "rows_read": a.rows_read, "rows_used": a.rows_used,
             "rows_rejected": a.rows_rejected, "rows_in_period": a.rows_in_period,
             "rows_of_unknown_people": a.rows_of_unknown_people}
            for a in report.accounts
        ],
        "paid_despite_unknown_people": report.paid_despite_unknown_people,
    }


def render_json(report: EvalReport, lang: str = DEFAULT_LANGUAGE) -> str:
    return json.dumps(to_json(report, lang), ensure_ascii=False, indent=1) + "\n"


def csv_header(report: EvalReport) -> list[str]:
    program = report.program
    head = ["manager_id", "name", *program.metrics]
    for name in program.kpis:
        head += [f"{name}.value", f"{name}.target", f"{name}.attainment", f"{name}.contribution"]
    return head + ["kpi_score", *program.pays, "errors"]


def render_csv(report: EvalReport, lang: str = DEFAULT_LANGUAGE) -> str:
    """One row per person; empty cells where a figure could not be computed, and the errors'
    messages (in `lang`) in the last column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(report))
    for person in report.results:
        data = person_json(report, person, lang)
        row = [inert_text(data["manager_id"]), inert_text(data["name"] or ""),
               *(v or "" for v in data["metrics"].values())]
        for figures in data["kpis"].values():
            row += [figures["value"] or "", figures["target"] or "", figures["attainment"] or "",
                    figures["contribution"] or ""]
        row += [data["kpi_score"] or "", *(v or "" for v in data["pays"].values())]
        row.append(inert_text("; ".join(e["message"] for e in data["errors"])))
        writer.writerow(row)
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (`=HYPERLINK(…)` in a name from the CRM)."""


def inert_text(text: str) -> str:
    """A text cell of the CSV that a spreadsheet shows as text: one that would start a formula
    gets a leading `'` (OWASP's advice on CSV injection). Figures never pass through here: they
    are numbers, `-1500.00` included, and stay numbers."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def percent(value: Decimal | None) -> str:
    """An attainment or score for reading: a percent with one decimal, rounded half-up (the JSON
    and CSV keep every digit)."""
    if value is None:
        return "—"
    with room_for(value):
        return format((value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "f") + "%"


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
    headers = [t("run.manager").render(lang), t("run.name").render(lang), *(program.kpis if kpis else []),
               "kpi_score", *program.pays, t("run.status").render(lang)]
    rows = []
    for person in report.results:
        o = person.outcome
        cells = [person.manager_id, person.name or "?"]
        if kpis:
            for name in program.kpis:
                f = o.kpis.get(name) if o is not None else None
                cells.append(percent(f.attainment if f else None))
        cells.append(percent(o.kpi_score if o is not None else None))
        for name in program.pays:
            f = o.pays.get(name) if o is not None else None
            cells.append(number(f.value) if f and f.value is not None else "—")
        errors = len(person.errors)
        status = t("run.ok") if person.ok else t("run.error-one" if errors == 1 else "run.error-many", count=errors)
        cells.append(status.render(lang))
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
