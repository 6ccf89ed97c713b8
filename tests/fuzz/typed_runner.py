"""One JSON Lines, Excel or Parquet mutation case, end to end."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.fuzz import cold_sales_oracle as oracle
from tests.fuzz.normative_data import Outcome, Violation, check, data_dir_with, evaluate, oracle_rejects, oracle_tables
from tests.fuzz.other_formats import (
    TypedCase,
    jsonl_content,
    jsonl_oracle_rows,
    parquet_content,
    parquet_oracle_rows,
    xlsx_content,
    xlsx_oracle_rows,
)

ORACLE_ROWS = {"jsonl": jsonl_oracle_rows, "xlsx": xlsx_oracle_rows, "parquet": parquet_oracle_rows}


def write_table(case: TypedCase, directory: Path) -> Path:
    """The case's table in its format, in a data directory with the other tables as CSV."""
    name = f"{case.table}.{case.fmt}"
    scratch = directory / name
    if case.fmt == "jsonl":
        scratch.write_bytes(jsonl_content(case))
    elif case.fmt == "xlsx":
        xlsx_content(case, scratch)
    else:
        parquet_content(case, scratch)
    content = scratch.read_bytes()
    scratch.unlink()
    return data_dir_with(directory, case.table, name, content)


def run_typed_case(case: TypedCase) -> tuple[list[Violation], Outcome, dict[str, list[oracle.Row]]]:
    tables = oracle_tables(case.table, ORACLE_ROWS[case.fmt](case))
    with tempfile.TemporaryDirectory() as tmp:
        outcome = evaluate(write_table(case, Path(tmp)), Path(tmp) / "report.json")
    return check(outcome, oracle.expectations(tables), oracle_rejects(tables)), outcome, tables
