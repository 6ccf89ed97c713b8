"""An evaluation report as CSV: one row per person, figures as plain decimals.

Empty cells where a figure could not be computed, and the errors' messages (in the reader's
language) in the last column.
"""

from __future__ import annotations

import csv
import io

from kpilang.evaluate.run import EvalReport
from kpilang.messages import DEFAULT_LANGUAGE
from kpilang.payouts.json import person_json


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
