"""A copy of the normative data whose managers.csv is changed for a test: names replaced, extra
columns added."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

NORMATIVE = Path(__file__).resolve().parent / "fixtures" / "normative"


def normative_data_with(target: Path, *, names: dict[str, str] | None = None,
                        columns: dict[str, list[str]] | None = None) -> Path:
    """The normative data copied to `target`, with `names` (id → name) replaced and `columns`
    (name → one value per row, in file order) added to managers.csv; every value is quoted, so a
    line break or a carriage return stays inside its value."""
    shutil.copytree(NORMATIVE / "data", target)
    path = target / "managers.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for column, values in (columns or {}).items():
        for row, value in zip(rows, values, strict=True):
            row[column] = value
    for row in rows:
        row["name"] = (names or {}).get(row["id"], row["name"])
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return target
