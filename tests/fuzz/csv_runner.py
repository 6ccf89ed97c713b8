"""One CSV mutation case, end to end: the oracle's reading, the evaluation, the violations."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.fuzz import cold_sales_oracle as oracle
from tests.fuzz.data_mutations import CsvCase
from tests.fuzz.normative_data import (
    Outcome,
    Violation,
    check,
    data_dir_with,
    evaluate,
    oracle_rejects,
    oracle_tables,
    original_rows,
    read_csv_segment,
    LONE_CR,
)


def oracle_readings(case: CsvCase) -> list[dict[str, list[oracle.Row]]]:
    """Every reading of the data the references allow (a lone carriage return ends a line, or is
    a character of its value)."""
    readings = []
    for lone_cr_ends_line in ([True, False] if LONE_CR.search(case.segment) else [True]):
        rows = original_rows(case.table)
        rows[case.first - 1:case.first - 1 + case.span] = read_csv_segment(
            case.table, case.segment, case.owners(), lone_cr_ends_line)
        readings.append(oracle_tables(case.table, rows))
    return readings


def run_csv_case(case: CsvCase) -> tuple[list[Violation], Outcome, list[dict[str, list[oracle.Row]]]]:
    """The evaluation's violations under the reading of the data that fits it best (none when
    some reading the references allow explains every figure)."""
    with tempfile.TemporaryDirectory() as tmp:
        data = data_dir_with(Path(tmp), case.table, f"{case.table}.csv", case.content())
        outcome = evaluate(data, Path(tmp) / "report.json")
    readings = oracle_readings(case)
    found = [check(outcome, oracle.expectations(tables), oracle_rejects(tables)) for tables in readings]
    return min(found, key=len), outcome, readings
