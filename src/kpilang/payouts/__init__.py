"""The outputs of `kpilang eval`: one module per format.

`json` is the exact contract for machines (every digit, `null` next to the error that says why);
`table`, `csv` (plain, and the dialect Excel opens) and `xlsx` are for people and spreadsheets,
drawn from `people` (one typed row per person, shares rounded for people).
"""

from __future__ import annotations

TEXT_FORMATS = ("json", "csv", "csv-excel")
"""The formats that are text, printed on standard output unless written to a file."""
FORMATS = ("table", *TEXT_FORMATS, "xlsx")


def render_text(report, fmt: str, lang: str) -> str:
    """The report in one of `TEXT_FORMATS`, its words in `lang`."""
    if fmt == "json":
        from kpilang.payouts.json import render_json

        return render_json(report, lang)
    from kpilang.payouts.csv import EXCEL, PLAIN, render_csv

    if fmt not in ("csv", "csv-excel"):
        raise ValueError(f"not a text format: {fmt!r}")
    return render_csv(report, lang, EXCEL if fmt == "csv-excel" else PLAIN)
