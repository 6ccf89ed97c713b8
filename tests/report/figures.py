"""Reading the figures a report page carries (`data-key`, `data-value`) and the ones `eval
--format json` gives for the same plan, data and periods, to compare them."""

from __future__ import annotations

import csv
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path


class _Figures(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "data-key" in found:
            key = found["data-key"]
            assert key not in self.figures, f"the figure {key} appears twice"
            self.figures[key] = found.get("data-value")


def page_figures(html: str) -> dict[str, str | None]:
    parser = _Figures()
    parser.feed(html)
    return parser.figures


def expected_figures(evaluations: dict[str, dict], data: Path) -> dict[str, Decimal | None]:
    """Every figure of the page that `eval --format json` gives (per period: each person's KPI
    value, target and attainment, score and final pay; the payroll and every pay's sum), and the
    salary fund from managers.csv for the people paid."""
    salaries = {row["id"]: Decimal(row["salary"])
                for row in csv.DictReader((data / "managers.csv").open(encoding="utf-8", newline=""))}
    out: dict[str, Decimal | None] = {}
    for period, result in evaluations.items():
        payroll = fund = Decimal(0)
        sums: dict[str, Decimal] = {}
        for person in result["results"]:
            mid = person["manager_id"]
            ok = not person["errors"]
            for kpi, figures in person["kpis"].items():
                for part in ("value", "target", "attainment"):
                    raw = figures[part] if ok else None
                    out[f"kpi:{mid}:{period}:{kpi}:{part}"] = None if raw is None else Decimal(raw)
            out[f"score:{mid}:{period}"] = Decimal(person["kpi_score"]) if ok and person["kpi_score"] else None
            total = person["pays"]["total"]
            out[f"pay:{mid}:{period}:total"] = Decimal(total) if ok and total is not None else None
            if ok and total is not None:
                payroll += Decimal(total)
                fund += salaries[mid]
                for pay, value in person["pays"].items():
                    sums[pay] = sums.get(pay, Decimal(0)) + Decimal(value)
        out[f"payroll:{period}"] = payroll
        out[f"salary-fund:{period}"] = fund
        for pay, value in sums.items():
            out[f"pay-sum:{period}:{pay}"] = value
    return out
