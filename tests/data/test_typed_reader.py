"""Why every converted column is read as text and checked by kpilang's own rules, not by DuckDB's
typed CSV reader with checks on the typed values (issue 17, decision 3).

For each kind of column a run converts (date-times, whole seconds, money, yes/no), the typed
reader turns a spelling the rules of data.md refuse into exactly the typed value of a spelling
they accept: `12.0000000000000000005` (19 decimal places) and `12.000000000000000001` both
become the latter, `262.5` and `263` both 263, `yes` and `true`
both true, `2026-07-01T24:00` and `2026-07-02T00:00` the same instant. Nothing in the typed value
is left to check, so no check on it can reject the one and keep the other: the typed reader is
not equivalent for any of these kinds, and each stays on the text path (its cost is measured in
docs/benchmarks.md, "The floor"). Each pair below is shown both ways: kpilang refuses the first
spelling and accepts the second, and DuckDB's typed reader gives both the same value. Should
DuckDB's reader ever tell them apart, the second assertion fails and the decision can be
reconsidered for that kind.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kpilang.data import DataError

DEALS_HEADER = "id,manager_id,created_at,stage,closed_at,amount,is_new_client\n"
GOOD_DEAL = {"created_at": "2026-07-01T10:00:00+03:00", "closed_at": "2026-07-02T10:00:00+03:00",
             "amount": "100.00", "is_new_client": "true"}
ACTIVITIES_HEADER = "id,manager_id,type,started_at,duration,status\n"

# (file, column, DuckDB type, refused spelling, accepted spelling of the same typed value)
PAIRS = [
    # Money with the most decimal places kpilang keeps (18): a 19th is rounded away, silently.
    ("deals", "amount", "DECIMAL(38, 18)", "12.0000000000000000005", "12.000000000000000001"),
    ("deals", "amount", "DECIMAL(38, 18)", "+12", "12"),
    ("deals", "amount", "DECIMAL(38, 18)", "1e2", "100"),
    ("deals", "amount", "DECIMAL(38, 18)", "1_000", "1000"),
    ("deals", "amount", "DECIMAL(38, 18)", ".5", "0.5"),
    ("activities", "duration", "BIGINT", "262.5", "263"),
    ("activities", "duration", "BIGINT", "+5", "5"),
    ("activities", "duration", "BIGINT", "1e2", "100"),
    ("activities", "duration", "BIGINT", "1_000", "1000"),
    ("activities", "duration", "BIGINT", "0x10", "16"),
    ("deals", "is_new_client", "BOOLEAN", "yes", "true"),
    ("deals", "is_new_client", "BOOLEAN", "t", "true"),
    ("deals", "closed_at", "TIMESTAMPTZ", "2026-7-2 10:00:00+03", "2026-07-02T10:00:00+03:00"),
    ("deals", "closed_at", "TIMESTAMPTZ", "2026-07-01T24:00:00+03:00", "2026-07-02T00:00:00+03:00"),
    ("deals", "closed_at", "TIMESTAMPTZ", "2026-07-02T10:00:00+25:00", "2026-07-01T09:00:00Z"),
    ("deals", "closed_at", "TIMESTAMPTZ", "2026-07-02T10:00:00.1234567+03:00", "2026-07-02T10:00:00.123456+03:00"),
]


def _row(table: str, column: str, value: str) -> str:
    if table == "deals":
        cells = {**GOOD_DEAL, column: value}
        return (f"d1,m1,{cells['created_at']},won,{cells['closed_at']},{cells['amount']},"
                f"{cells['is_new_client']}\n")
    return f"a1,m1,call,2026-07-02T10:00:00+03:00,{value},done\n"


def _codes(load, table: str, column: str, value: str) -> set[str]:
    header = DEALS_HEADER if table == "deals" else ACTIVITIES_HEADER
    try:
        data = load({f"{table}.csv": header + _row(table, column, value)}, needs={table: {column}})
    except DataError as refused:
        return {p.code for p in refused.problems}
    return {p.code for p in data.problems if p.column == column}


def _typed(tmp_path: Path, kind: str, value: str):
    path = tmp_path / "typed.csv"
    path.write_text(f"x\n{value}\n", encoding="utf-8")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Europe/Moscow'")
    return con.execute(f"SELECT x FROM read_csv('{path}', header = true, columns = {{'x': '{kind}'}})").fetchone()[0]


@pytest.mark.parametrize(("table", "column", "kind", "refused", "accepted"), PAIRS)
def test_the_typed_reader_cannot_tell_a_refused_spelling_from_an_accepted_one(
        load, tmp_path, table, column, kind, refused, accepted):
    assert _codes(load, table, column, refused), f"kpilang accepts {refused!r}"
    assert not _codes(load, table, column, accepted), f"kpilang refuses {accepted!r}"
    assert _typed(tmp_path, kind, refused) == _typed(tmp_path, kind, accepted)
