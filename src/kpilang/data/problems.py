"""What is wrong with the data, said so that a head of sales can find and fix it."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from kpilang.messages import DEFAULT_LANGUAGE, Text

# A problem quotes the offending text, but never a whole runaway value (a broken quote can
# swallow the rest of a file into one cell).
VALUE_PREVIEW_CHARS = 80


# Bytes that are not UTF-8 reach a problem as lone surrogates (the readers decode with
# surrogateescape so that the row can still be reported); no output can encode them.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def preview(value: object) -> str | None:
    """The offending text as shown in a problem: at most VALUE_PREVIEW_CHARS characters."""
    if value is None:
        return None
    text = str(value)
    if len(text) > VALUE_PREVIEW_CHARS:
        return text[: VALUE_PREVIEW_CHARS - 1] + "…"
    return text


class DataProblem(BaseModel):
    """One rejected value, row, column, file or table.

    `row` is the 1-based line in a CSV or JSONL file (the CSV header is line 1), the sheet row in
    an XLSX file, the 1-based record number in a Parquet file, and None when the problem concerns
    a whole file, table or column. `manager_ids` lists the people whose figures would be computed
    from partial data because of this problem, so that they get an error instead of a figure.

    A rejected row whose own place in time was read concerns only the period it belongs to (see
    `concerns`): `period` for a targets row, `at` (naive UTC) for a row of activities, leads or
    deals, by the table's date column; `undated` when that optional cell is empty, so the row
    belongs to no period. Without any of them the row concerns every period. A problem that stands
    for several rows (a value a CRM mapping does not cover) has `at` the earliest of their times and
    `until` the latest: it concerns every period that span touches.

    `owner_unknown` marks the problem that says a table is incomplete: rows were rejected whose
    owner cannot be told (see attribution.py), so it concerns everyone whose pay reads the table,
    whatever `manager_ids` says. `end_row` is the last line of a rejected record that spans
    several lines (an unclosed quote), when it is not `row`.

    `key` names a row of a database table (`id=d017`), which has no line number (see
    kpilang.warehouse); None for a file's row.

    `code` names the kind of problem (`empty`, `duplicate_id`, `missing_table`, …; see
    reasons.py and the `data.CODE` entries of the message catalogs) in every language; `reason`
    and `hint` are put into words in the reader's language when shown.
    """

    table: str
    file: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    reason: Text
    hint: Text
    fatal: bool
    manager_ids: list[str] = Field(default_factory=list)
    period: str | None = None
    at: datetime | None = None
    undated: bool = False
    owner_unknown: bool = False
    end_row: int | None = None
    until: datetime | None = None
    key: str | None = None

    @field_validator("value")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        """The quoted text with each byte that is not UTF-8 shown as U+FFFD."""
        return None if value is None else LONE_SURROGATE.sub("\ufffd", value)

    def concerns(self, period_label: str, start_utc: datetime, end_utc: datetime) -> bool:
        """Whether the rejected data could change figures of the period [start_utc, end_utc)
        labelled `period_label` (naive UTC bounds, as the evaluator's)."""
        if self.period is not None:
            return self.period == period_label
        if self.at is not None:
            return self.at < end_utc and (self.until or self.at) >= start_utc
        return not self.undated

    def to_json(self, lang: str = DEFAULT_LANGUAGE) -> dict:
        """The problem as JSON, its reason and hint in `lang`."""
        out = self.model_dump(mode="json")
        if out["key"] is None:  # only a database's row has a key; a file's has its line
            del out["key"]
        out["reason"] = self.reason.render(lang)
        out["hint"] = self.hint.render(lang)
        return out

    def __str__(self) -> str:
        """In English, for logs and exception messages."""
        place = self.file
        if self.row is not None:
            place += f", row {self.row}"
        if self.key is not None:
            place += f", {self.key}"
        if self.column is not None:
            place += f", column {self.column}"
        shown = f" (value {self.value!r})" if self.value is not None else ""
        return f"{place}: {self.reason}{shown}; {self.hint}"


class DataError(Exception):
    """The data cannot be used at all: a table or column the plan needs is missing, or a file
    cannot be read. Nothing is computed; every fatal problem found is listed."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems
        lines = "\n".join(f"- {p}" for p in problems)
        super().__init__(f"the data cannot be used:\n{lines}")
