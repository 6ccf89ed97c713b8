"""An evaluation report as JSON, CSV or a terminal table.

JSON follows the contract in the command-line reference: every number is a string holding an
exact decimal in plain notation (`0`, never `0E+2`), keys come in a fixed order and people are
sorted by manager_id, so the same plan, data and period always give the same bytes. A figure
that could not be computed is `null`, next to the error that says why; nothing is filled in.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from kpilang.evaluate.numbers import tidy
from kpilang.evaluate.results import EvalError
from kpilang.evaluate.run import EvalReport, PersonResult


def number(value: Decimal | None) -> str | None:
    """An exact decimal as plain text: no exponent, every significant digit kept."""
    if value is None:
        return None
    text = format(value, "f")
    return "0" if text in ("-0", "") else text


def error_json(err: EvalError) -> dict[str, Any]:
    return {
        "subject": err.subject,
        "message": err.message,
        "formula": err.formula,
        "file": err.file,
        "line": err.line,
        "column": err.column,
        "cause": err.cause,
        "help": err.help,
    }


def person_json(report: EvalReport, person: PersonResult) -> dict[str, Any]:
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
        "errors": [error_json(e) for e in person.errors],
    }


def to_json(report: EvalReport) -> dict[str, Any]:
    return {
        "plan": report.plan,
        "plan_sha256": report.plan_sha256,
        "period": report.period.label,
        "currency": report.currency,
        "results": [person_json(report, p) for p in report.results],
        "skipped": [{"manager_id": s.manager_id, "reason": s.reason} for s in report.skipped],
        "data_problems": [p.to_json() for p in report.data_problems],
        "tables": [
            {"table": a.table, "file": a.file, "rows_read": a.rows_read, "rows_used": a.rows_used,
             "rows_rejected": a.rows_rejected, "rows_in_period": a.rows_in_period}
            for a in report.accounts
        ],
    }


def render_json(report: EvalReport) -> str:
    return json.dumps(to_json(report), ensure_ascii=False, indent=1) + "\n"


def csv_header(report: EvalReport) -> list[str]:
    program = report.program
    head = ["manager_id", "name", *program.metrics]
    for name in program.kpis:
        head += [f"{name}.value", f"{name}.target", f"{name}.attainment", f"{name}.contribution"]
    return head + ["kpi_score", *program.pays, "errors"]


def render_csv(report: EvalReport) -> str:
    """One row per person; empty cells where a figure could not be computed, and the errors'
    messages in the last column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(report))
    for person in report.results:
        data = person_json(report, person)
        row = [data["manager_id"], data["name"] or "", *(v or "" for v in data["metrics"].values())]
        for figures in data["kpis"].values():
            row += [figures["value"] or "", figures["target"] or "", figures["attainment"] or "",
                    figures["contribution"] or ""]
        row += [data["kpi_score"] or "", *(v or "" for v in data["pays"].values())]
        row.append("; ".join(e["message"] for e in data["errors"]))
        writer.writerow(row)
    return out.getvalue()


def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format((value * 100).quantize(Decimal("0.1")), "f") + "%"


def render_table(report: EvalReport, console: Any) -> None:
    """A readable table on a terminal: attainment per KPI, score, pays, and who has an error."""
    from rich.markup import escape
    from rich.table import Table

    program = report.program
    title = escape(f"{report.plan} · {report.period.label} · {report.currency}")
    table = Table(title=title, show_lines=False)
    table.add_column("manager")
    table.add_column("name")
    for name in program.kpis:
        table.add_column(name, justify="right")
    table.add_column("kpi_score", justify="right")
    for name in program.pays:
        table.add_column(name, justify="right")
    table.add_column("status")
    for person in report.results:
        o = person.outcome
        cells = [escape(person.manager_id), escape(person.name or "?")]
        for name in program.kpis:
            f = o.kpis.get(name) if o is not None else None
            cells.append(percent(f.attainment if f else None))
        cells.append(percent(o.kpi_score if o is not None else None))
        for name in program.pays:
            f = o.pays.get(name) if o is not None else None
            cells.append(number(f.value) if f and f.value is not None else "—")
        cells.append("ok" if person.ok else f"[red]{len(person.errors)} error(s)[/red]")
        table.add_row(*cells)
    console.print(table)
    for person in report.results:
        for err in person.errors:
            where = f"{err.file}:{err.line}:{err.column}" if err.line else err.file
            console.print(f"[red]{escape(person.manager_id)}[/red] {escape(err.subject)}: "
                          f"{escape(err.message)}  ({escape(where)})")
    for s in report.skipped:
        console.print(f"[dim]skipped {escape(s.manager_id)}: {escape(s.reason)}[/dim]")
