"""The normative example data loads completely, with exact types and values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from kpilang.data import load_data

from .conftest import assert_accounted

EXPECTED_ROWS = {"managers": 6, "activities": 515, "leads": 5, "deals": 21, "targets": 6}


@pytest.fixture
def example(normative_dir: Path):
    data = load_data(normative_dir / "data", timezone="Europe/Moscow")
    yield data
    data.close()


def test_every_row_is_used_and_nothing_is_reported(example):
    assert example.problems == []
    assert {name: info.rows_read for name, info in example.tables.items()} == EXPECTED_ROWS
    assert {name: info.rows_used for name, info in example.tables.items()} == EXPECTED_ROWS
    assert all(info.rows_rejected == 0 for info in example.tables.values())
    assert all(info.format == "csv" for info in example.tables.values())
    assert_accounted(example)


def test_columns_keep_file_order_and_get_their_types(example):
    assert example.tables["deals"].columns == [
        "id", "manager_id", "client_id", "created_at", "closed_at", "stage", "amount",
        "is_new_client",
    ]
    kinds = {c: example.column_type("deals", c) for c in example.tables["deals"].columns}
    assert kinds == {
        "id": "string", "manager_id": "string", "client_id": "string",
        "created_at": "datetime", "closed_at": "datetime", "stage": "string",
        "amount": "money", "is_new_client": "bool",
    }
    assert example.column_type("activities", "duration") == "duration"
    assert example.column_type("managers", "salary") == "money"
    assert example.column_type("targets", "value") == "number"
    # An extra column, typed by inference.
    assert example.column_type("managers", "hired_at") == "date"
    with pytest.raises(KeyError):
        example.column_type("deals", "no_such_column")


def test_storage_types_are_exact(example):
    described = dict(example.connection.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'deals'"
    ).fetchall())
    assert described["amount"] == "DECIMAL(38,2)"
    assert described["closed_at"] == "TIMESTAMP"
    assert described["is_new_client"] == "BOOLEAN"
    salary = dict(example.connection.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'managers'"
    ).fetchall())["salary"]
    assert salary == "DECIMAL(38,2)"


def test_july_revenue_of_m1_sums_exactly_in_utc_bounds(example):
    # July 2026 in Moscow is [2026-06-30 21:00, 2026-07-31 21:00) in UTC.
    revenue = example.connection.execute(
        "SELECT sum(amount) FROM deals WHERE manager_id = 'm1' AND stage = 'won' "
        "AND closed_at >= TIMESTAMP '2026-06-30 21:00' AND closed_at < TIMESTAMP '2026-07-31 21:00'"
    ).fetchone()[0]
    assert revenue == Decimal("1150000.50")
    assert str(revenue) == "1150000.50"


def test_values_round_trip(example):
    con = example.connection
    assert con.execute("SELECT salary FROM managers WHERE id = 'm1'").fetchone()[0] == Decimal("60000.00")
    assert con.execute("SELECT hired_at FROM managers WHERE id = 'm4'").fetchone()[0] == dt.date(2026, 7, 20)
    closed = con.execute("SELECT closed_at FROM deals WHERE id = 'd005'").fetchone()[0]
    assert closed == dt.datetime(2026, 7, 31, 20, 30)  # 23:30+03:00
    assert con.execute("SELECT first_response_at FROM leads WHERE id = 'l003'").fetchone()[0] is None
    assert con.execute("SELECT value FROM targets WHERE manager_id = 'm1' AND period = '2026-07'").fetchone()[0] == Decimal("1000000")
    assert con.execute("SELECT count(*) FROM activities WHERE type = 'call' AND duration >= 60 AND manager_id = 'm1' AND started_at >= TIMESTAMP '2026-06-30 21:00' AND started_at < TIMESTAMP '2026-07-31 21:00'").fetchone()[0] == 120
    assert con.execute("SELECT is_new_client FROM deals WHERE id = 'd003'").fetchone()[0] is False
    assert con.execute("SELECT current_setting('TimeZone')").fetchone()[0] == "UTC"


def test_only_the_needed_tables_are_loaded(normative_dir: Path):
    data = load_data(normative_dir / "data", timezone="Europe/Moscow", needs={"deals": {"amount"}})
    try:
        assert set(data.tables) == {"managers", "deals"}
        tables = {row[0] for row in data.connection.execute("SHOW TABLES").fetchall()}
        assert tables == {"managers", "deals"}
    finally:
        data.close()
