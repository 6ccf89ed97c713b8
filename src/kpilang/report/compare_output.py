"""A comparison of two plans as JSON (the contract for machines), CSV, a text table for a
terminal, and an Excel workbook. The HTML page is drawn by `render`.

Every number in JSON and CSV is an exact decimal in plain notation (`payouts.json.number`); a pay
one side could not compute is `null` (an empty cell), and so is its difference.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpilang.messages import DEFAULT_LANGUAGE, t
from kpilang.payouts.csv import inert_text
from kpilang.payouts.json import number
from kpilang.report.compare import Comparison, PersonChange, Totals

CSV_COLUMNS = ("manager_id", "name", "period", "old_total", "new_total", "difference", "share", "status",
               "falls_more_than_threshold")


def _totals_json(totals: Totals) -> dict[str, Any]:
    out: dict[str, Any] = {"old": number(totals.old), "new": number(totals.new),
                           "difference": number(totals.difference),
                           "old_not_computed": totals.old_missing, "new_not_computed": totals.new_missing}
    return out if totals.period is None else {"period": totals.period, **out}


def _person_json(person: PersonChange, comparison: Comparison, lang: str) -> dict[str, Any]:
    return {
        "manager_id": person.manager_id, "name": person.name, "period": person.period,
        "old_total": number(person.old_total), "new_total": number(person.new_total),
        "difference": number(person.difference), "share": number(person.share), "status": person.status,
        "falls_more_than_threshold": person.falls_more_than(comparison.threshold),
        "skipped_reason": person.skipped_reason.render(lang) if person.skipped_reason is not None else None,
    }


def to_json(comparison: Comparison, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    meaning = comparison.meaning
    return {
        "old": comparison.old, "new": comparison.new, "currency": comparison.currency,
        "periods": comparison.periods, "threshold": number(comparison.threshold),
        "people": [_person_json(p, comparison, lang) for p in comparison.people],
        "totals": _totals_json(comparison.totals),
        "totals_by_period": [_totals_json(p) for p in comparison.by_period],
        "meaning": meaning.to_json() if meaning is not None else None,
    }


def render_json(comparison: Comparison, lang: str = DEFAULT_LANGUAGE) -> str:
    return json.dumps(to_json(comparison, lang), ensure_ascii=False, indent=1) + "\n"


def render_csv(comparison: Comparison) -> str:
    """One row per person and period, in the order of `Comparison.people`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in comparison.people:
        writer.writerow([inert_text(p.manager_id), inert_text(p.name or ""), p.period, number(p.old_total) or "",
                         number(p.new_total) or "", number(p.difference) or "", number(p.share) or "", p.status,
                         "true" if p.falls_more_than(comparison.threshold) else "false"])
    return out.getvalue()


def render_table(comparison: Comparison, meaning: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """For a terminal: the change in meaning (`meaning`, in words), the totals per period and
    overall, then the people (those who lose more than the threshold first)."""
    from kpilang.explain.approx import plain
    from kpilang.explain.formatting import LocaleFormat

    fmt = LocaleFormat(lang, comparison.currency)

    def money(value: Decimal | None) -> str:
        return fmt.figure(value, "money")

    def pct(value: Decimal | None) -> str:
        return plain(fmt.figure(value, "percent", none=""))

    words = lambda key, **kw: t(f"compare.{key}", **kw).render(lang)  # noqa: E731
    lines = [f"{comparison.old} → {comparison.new}"]
    if meaning is not None:
        lines.append(meaning)
    lines.append("")
    header = [words("column.period"), words("column.old"), words("column.new"), words("column.difference")]
    rows = [[p.period, money(p.old), money(p.new), money(p.difference)] for p in comparison.by_period]
    total = comparison.totals
    rows.append([words("total"), money(total.old), money(total.new), money(total.difference)])
    lines += _aligned(header, rows, right=(1, 2, 3))
    if not total.complete:
        lines.append(words("incomplete", old=total.old_missing, new=total.new_missing))
    losers = comparison.losers
    lines.append("")
    lines.append(words("losers", count=len(losers), threshold=pct(comparison.threshold)))
    header = [words("column.id"), words("column.name"), words("column.period"), words("column.old"),
              words("column.new"), words("column.difference"), words("column.share"), words("column.status")]
    rows = []
    for p in comparison.people:
        status = words(f"status.{p.status}")
        if p.falls_more_than(comparison.threshold):
            status = words("status.loses")
        rows.append([p.manager_id, p.name or "", p.period, money(p.old_total), money(p.new_total),
                     money(p.difference), pct(p.share), status])
    lines += _aligned(header, rows, right=(3, 4, 5, 6))
    return "\n".join(lines) + "\n"


def _aligned(header: list[str], rows: list[list[str]], right: tuple[int, ...]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def write_xlsx(comparison: Comparison, path: str | Path, lang: str = DEFAULT_LANGUAGE) -> None:
    """Two typed sheets: the people (one row per person and period) and the totals per period."""
    from kpilang.payouts.xlsx import fill_sheet, new_workbook

    words = lambda key, **kw: t(f"compare.{key}", **kw).render(lang)  # noqa: E731
    workbook, formats = new_workbook(f"{comparison.old} → {comparison.new}", comparison.currency, lang)
    sheet = workbook.active
    sheet.title = words("sheet.people")
    headers = [words("column.id"), words("column.name"), words("column.period"), words("column.old"),
               words("column.new"), words("column.difference"), words("column.share"), words("column.status")]
    kinds = ["text", "text", "text", "money", "money", "money", "share", "text"]
    rows = [[p.manager_id, p.name, p.period, p.old_total, p.new_total, p.difference, p.share,
             words("status.loses") if p.falls_more_than(comparison.threshold) else words(f"status.{p.status}")]
            for p in comparison.people]
    fill_sheet(sheet, headers, kinds, rows, formats, freeze="C2")
    headers = [words("column.period"), words("column.old"), words("column.new"), words("column.difference"),
               words("column.old-missing"), words("column.new-missing")]
    totals = [*comparison.by_period, comparison.totals]
    rows = [[p.period or words("total"), p.old, p.new, p.difference, Decimal(p.old_missing), Decimal(p.new_missing)]
            for p in totals]
    fill_sheet(workbook.create_sheet(words("sheet.totals")), headers,
               ["text", "money", "money", "money", "count", "count"], rows, formats)
    workbook.save(path)
