"""The normative example's data as the fuzzers see it: its files, their rows read by the oracle,
one evaluation through the command line, and the invariants every evaluation must keep.

The example is read from tests/fixtures/normative (the copy the tests own). A case writes a data
directory in which one table differs from the example, evaluates the plan on it with
`kpilang eval --format json` exactly as a user would, and checks the report against what the
oracle (cold_sales_oracle.py) says each person may get.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from kpilang.cli import main
from tests.fuzz import cold_sales_oracle as oracle

ROOT_DIR = Path(__file__).resolve().parents[2]
NORMATIVE = ROOT_DIR / "tests" / "fixtures" / "normative"
PLAN = NORMATIVE / "cold_sales.kpi"
DATA = NORMATIVE / "data"
TABLES = tuple(oracle.COLUMNS)
LINE_BREAK = re.compile(rb"\r\n|\r|\n")
LINE_FEED = re.compile(rb"\r?\n")
LONE_CR = re.compile(rb"\r(?!\n)")


@cache
def csv_lines(table: str) -> tuple[bytes, ...]:
    """The table's CSV file as lines, each with its line break (the header first)."""
    data = (DATA / f"{table}.csv").read_bytes()
    return tuple(re.findall(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", data))


@cache
def original_cells(table: str) -> tuple[dict[str, str], ...]:
    """Every data row's text by column, as written in the example."""
    text = (DATA / f"{table}.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text, newline="")))


def original_rows(table: str) -> list[oracle.Row]:
    return list(_original_rows(table))


@cache
def _original_rows(table: str) -> tuple[oracle.Row, ...]:
    return tuple(oracle.read_row(table, dict(cells)) for cells in original_cells(table))


def owner(table: str, cells: dict[str, str]) -> str:
    return cells["id" if table == "managers" else "manager_id"]


def known_ids() -> set[str]:
    return {cells["id"] for cells in original_cells("managers")}


def oracle_tables(changed: str, rows: list[oracle.Row]) -> dict[str, list[oracle.Row]]:
    """The oracle's reading of the whole data set with `changed` read as `rows`."""
    return {table: rows if table == changed else original_rows(table) for table in TABLES}


# ---- CSV: the oracle's reading of a changed line --------------------------------------------------

def broken_row(table: str, raw: bytes, original_owner: str) -> oracle.Row:
    """A record whose values cannot be told apart. A reader may take its manager_id from the raw
    text: when the text no longer holds the owner's id as a value, but another known person's, the
    oracle makes no claim about the owner."""
    tokens = set(re.split(r"[,\r\n]", raw.decode("utf-8", errors="replace")))
    strange = original_owner not in tokens and bool(tokens & known_ids())
    return oracle.Row(table, None, owner_hint=original_owner, uncertain_owner=strange)


def read_csv_segment(table: str, segment: bytes, owners: list[str], lone_cr_ends_line: bool = True) -> list[oracle.Row]:
    """The oracle's reading of the bytes that replaced data lines of `owners` (each line with its
    line break): zero, one or more records, by the CSV rules of docs/data-format.md.

    The references do not say whether a carriage return alone ends a line (as in Python's csv
    module) or is a character of an unquoted value (then its record is unreadable): the caller
    tries both readings (`lone_cr_ends_line`)."""
    width = len(oracle.COLUMNS[table])
    lines = [line for line in (LINE_BREAK if lone_cr_ends_line else LINE_FEED).split(segment) if line != b""]
    if b'"' in segment and len(lines) > 1:
        return [_unsure(table, o) for o in owners]  # a quoted value may hold the line break
    rows = []
    for line in lines:
        if line.strip(b" \t") == b"":
            rows.append(_unsure(table, owners[0]))  # a line of spaces: blank, or a bad row?
            continue
        try:
            text = line.decode("utf-8")
            (fields,) = list(csv.reader([text], strict=True))
        except (UnicodeDecodeError, csv.Error, ValueError):
            fields = None
        if fields is None or len(fields) != width or b"\r" in line:
            # Every line that went into it may be its owner's row.
            rows += [broken_row(table, line, o) for o in owners]
            continue
        if any("\ufeff" in f or "\x00" in f for f in fields):
            rows.append(_unsure(table, owners[0]))  # a reader may drop a stray BOM or NUL
            continue
        rows.append(oracle.read_row(table, dict(zip(oracle.COLUMNS[table], fields))))
    return rows


def _unsure(table: str, original_owner: str) -> oracle.Row:
    return oracle.Row(table, {"id" if table == "managers" else "manager_id": original_owner}, unsure=True,
                      owner_hint=original_owner)


# ---- one evaluation -----------------------------------------------------------------------------

@dataclass
class Outcome:
    exit_code: int
    report: dict[str, Any] | None
    stderr: str


def evaluate(data_dir: Path, out: Path) -> Outcome:
    """`kpilang eval` on the normative plan and `data_dir`, as JSON. An exception propagates (a
    traceback is a failure of every fuzzer)."""
    result = CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(data_dir), "--period", oracle.PERIOD,
                                       "--format", "json", "--out", str(out)], catch_exceptions=False)
    report = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return Outcome(result.exit_code, report, result.stderr)


def data_dir_with(directory: Path, table: str, name: str, content: bytes) -> Path:
    """A data directory holding the example's CSV files but `table`, which is `name` with `content`."""
    data = directory / "data"
    data.mkdir()
    for other in TABLES:
        if other != table:
            shutil.copyfile(DATA / f"{other}.csv", data / f"{other}.csv")
    (data / name).write_bytes(content)
    return data


# ---- the invariants -----------------------------------------------------------------------------

@dataclass
class Violation:
    kind: str
    """`wrong_pay`, `ok_for_rejected_row`, `absent`, `ok_when_skipped`, `unexpected_ok`, `counts`,
    `nothing_rejected`, `exit_code`."""
    manager_id: str | None
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} [{self.manager_id}]: {self.detail}"


def check(outcome: Outcome, expected: dict[str, Any], rejected_by_oracle: bool) -> list[Violation]:
    """Every way `outcome` breaks the invariants, given the oracle's `expected` answers."""
    out: list[Violation] = []
    if outcome.exit_code not in (0, 1, 2):
        out.append(Violation("exit_code", None, f"exit status {outcome.exit_code}: {outcome.stderr[-500:]}"))
    if outcome.report is None:
        if outcome.exit_code != 2:
            out.append(Violation("exit_code", None, f"no report and exit status {outcome.exit_code}"))
        return out  # the run stopped before anything was computed: nobody is paid
    report = outcome.report
    for account in report["tables"]:
        if account["rows_read"] != account["rows_used"] + account["rows_rejected"]:
            out.append(Violation("counts", None, f"{account}"))
    if rejected_by_oracle and not report["data_problems"]:
        out.append(Violation("nothing_rejected", None, "the data holds a row the references reject, but no problem"))
    results = {r["manager_id"]: r for r in report["results"]}
    skipped = {s["manager_id"] for s in report["skipped"]}
    # A managers row whose id cannot be read leaves its person out of the results; that is no
    # loss while everyone evaluated gets an error (the table is incomplete): nobody is paid.
    nobody_paid = all(r["errors"] for r in report["results"])
    # A managers row that cannot be read is given to the id it starts with ("m" for "m,1,…"): that
    # id is listed with an error naming the row, and the person's rows elsewhere are counted as
    # rows of unknown people. The person is not paid, and the run says why.
    managers_row_named = any(p["table"] == "managers" and p["row"] is not None
                             and any(r["errors"] for r in report["results"]
                                     if r["manager_id"] in p["manager_ids"])
                             for p in report["data_problems"])
    for mid, what in expected.items():
        result = results.get(mid)
        if what == oracle.UNSURE or (result is not None and result["errors"]):
            continue
        if result is None and mid not in skipped and (nobody_paid or (what == oracle.MUST_ERROR
                                                                      and managers_row_named)):
            continue
        if what == oracle.SKIPPED:
            if result is not None:
                out.append(Violation("ok_when_skipped", mid, f"ok with {result['pays']}"))
            elif mid not in skipped:
                out.append(Violation("absent", mid, "neither evaluated nor skipped"))
        elif result is None:
            out.append(Violation("absent", mid, f"the oracle expects {_describe(what)}; skipped: {mid in skipped}"))
        elif what == oracle.MUST_ERROR:
            out.append(Violation("ok_for_rejected_row", mid, f"ok with {result['pays']} though a row that may be "
                                                             "theirs was rejected"))
        else:
            got = {k: Decimal(v) for k, v in result["pays"].items()}
            got_metrics = {k: Decimal(v) for k, v in result["metrics"].items()}
            if got != what.pays or got_metrics != what.metrics:
                out.append(Violation("wrong_pay", mid, f"ok with {result['pays']} {result['metrics']}, "
                                                       f"the oracle says {what.pays} {what.metrics}"))
    for mid, result in results.items():
        if mid not in expected and not result["errors"]:
            out.append(Violation("unexpected_ok", mid, f"ok with {result['pays']}, unknown to the oracle"))
    return out


def _describe(what: Any) -> str:
    return f"pays {what.pays}" if isinstance(what, oracle.Pays) else what


def oracle_rejects(tables: dict[str, list[oracle.Row]]) -> bool:
    """Whether some row of the data set is one the references say must be rejected: a row whose
    values cannot be told apart or that holds a rejected value (repeats and unknown managers are
    left to the per-person claims)."""
    return any(row.cells is None or row.bad for rows in tables.values() for row in rows)
