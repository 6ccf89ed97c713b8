"""Every kind of bad value rejects its row with a problem naming table, file, row, column,
value, reason and hint, and every row read is accounted for."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from kpilang.data.validation import CheckedTable, _keys_increase

from .conftest import only

DEALS_HEADER = "id,manager_id,created_at,stage,closed_at,amount,is_new_client\n"
GOOD_DEAL = "d1,m1,2026-07-01T10:00:00+03:00,won,2026-07-02T10:00:00+03:00,100.00,true\n"


def deals(*rows: str) -> dict[str, str]:
    return {"deals.csv": DEALS_HEADER + GOOD_DEAL + "".join(rows)}


@pytest.mark.parametrize(
    ("row", "column", "value", "reason_start"),
    [
        ("d2,m1,31.07.2026,won,,1,true\n", "created_at", "31.07.2026", "unparsable date: expected ISO 8601"),
        ("d2,m1,2026-02-30,won,,1,true\n", "created_at", "2026-02-30", "no such date or time"),
        ("d2,m1,2026-07-01T25:00:00,won,,1,true\n", "created_at", "2026-07-01T25:00:00", "unparsable date"),
        ("d2,m1,2026-07-01T10:00:00.1234567,won,,1,true\n", "created_at", "2026-07-01T10:00:00.1234567", "more precise than a microsecond"),
        ("d2,m1,2026-07-01,Won,,1,true\n", "stage", "Won", "unknown stage 'Won': expected one of open, won, lost"),
        ("d2,m1,2026-07-01,won,,-10.00,true\n", "amount", "-10.00", "negative amount: amount must be 0 or more"),
        ("d2,m1,2026-07-01,won,,abc,true\n", "amount", "abc", "unreadable amount: expected a plain decimal"),
        ("d2,m1,2026-07-01,won,,1e5,true\n", "amount", "1e5", "unreadable amount: expected a plain decimal"),
        ("d2,m1,2026-07-01,won,,\"1 234,50\",true\n", "amount", "1 234,50", "unreadable amount: spaces between digits"),
        ("d2,m1,2026-07-01,won,,\"1,234.50\",true\n", "amount", "1,234.50", "unreadable amount: a comma is not accepted"),
        ("d2,m1,2026-07-01,won,,\"1234,50\",true\n", "amount", "1234,50", "unreadable amount: a comma is not accepted"),
        ("d2,m1,2026-07-01,won,,1234.50 ₽,true\n", "amount", "1234.50 ₽", "unreadable amount: currency signs"),
        ("d2,m1,2026-07-01,won,,$12,true\n", "amount", "$12", "unreadable amount: currency signs"),
        ("d2,m1,2026-07-01,won,,100 руб.,true\n", "amount", "100 руб.", "unreadable amount: currency signs"),
        ("d2,m1,2026-07-01,won,,0.1234567890123456789,true\n", "amount", "0.1234567890123456789", "too many digits after the decimal point"),
        ("d2,m1,2026-07-01,won,,\" 12.50\",true\n", "amount", " 12.50", "spaces around the value"),
        ("d2,m1,2026-07-01,won,,1,yes\n", "is_new_client", "yes", "unreadable yes/no value"),
        ("d2,m1,,won,,1,true\n", "created_at", None, "empty created_at: this column is required"),
        ("d2,,2026-07-01,won,,1,true\n", "manager_id", None, "empty manager_id: this column is required"),
        ("d2,m9,2026-07-01,won,,1,true\n", "manager_id", "m9", "unknown manager_id m9: no such id in managers"),
        ("d1,m1,2026-07-01,won,,1,true\n", "id", "d1", "duplicate id d1: row 2 has the same id"),
    ],
)
def test_a_bad_value_rejects_its_row(load, row, column, value, reason_start):
    data = load(deals(row))
    problem = only(data.problems, column=column)
    assert problem.table == "deals"
    assert problem.file.endswith("deals.csv")
    assert problem.row == 3
    assert problem.value == value
    assert str(problem.reason).startswith(reason_start), str(problem.reason)
    assert str(problem.hint)
    assert not problem.fatal
    info = data.tables["deals"]
    assert (info.rows_read, info.rows_used, info.rows_rejected) == (2, 1, 1)
    assert data.connection.execute("SELECT list(id) FROM deals").fetchone()[0] == ["d1"]


def test_a_rejected_row_names_its_person(load):
    data = load(deals("d2,m2,2026-07-01,won,,-1,true\n"))
    assert only(data.problems, column="amount").manager_ids == ["m2"]
    assert data.affected_manager_ids == {"m2"}


def test_an_empty_optional_cell_is_missing_not_bad(load):
    data = load(deals('d2,m1,2026-07-01,open,,,\n', 'd3,m1,2026-07-01,open,"",,""\n'))
    assert data.problems == []
    rows = data.connection.execute(
        "SELECT closed_at, amount, is_new_client FROM deals WHERE id IN ('d2', 'd3')"
    ).fetchall()
    assert rows == [(None, None, None), (None, None, None)]


def test_several_problems_in_one_row_are_all_reported_and_the_row_counted_once(load):
    data = load(deals("d2,m9,yesterday,won,,-1,maybe\n"))
    assert {p.column for p in data.problems} == {"manager_id", "created_at", "amount", "is_new_client"}
    assert {p.row for p in data.problems} == {3}
    assert data.tables["deals"].rows_rejected == 1


def test_every_duplicate_after_the_first_is_rejected(load):
    data = load(deals(
        "d1,m1,2026-07-01,won,,1,true\n",
        "d1,m1,2026-07-01,won,,2,true\n",
    ))
    duplicates = [p for p in data.problems if p.column == "id"]
    assert [(p.row, str(p.reason).split(":")[0]) for p in duplicates] == [
        (3, "duplicate id d1"), (4, "duplicate id d1"),
    ]
    assert all("row 2" in str(p.reason) for p in duplicates)
    assert data.connection.execute("SELECT amount FROM deals").fetchall() == [(Decimal("100.00"),)]


@pytest.mark.parametrize(("keys", "increasing"), [
    (["d1", "d2", "d3"], True),
    (["d1", None, "d2"], True),  # an empty key is checked as a required cell, not here
    ([], True),
    (["d1", "d3", "d2"], False),  # distinct, but only a hash of every key can tell
    (["d1", "d1"], False),
])
def test_keys_that_rise_from_row_to_row_are_distinct_without_a_hash(keys, increasing):
    # The shortcut of find_repeats: keys in increasing order (as CRM exports list them) are
    # proved distinct by comparing each with the one before.
    con = duckdb.connect()
    con.execute("CREATE TABLE checked (t0 VARCHAR)")
    for key in keys:
        con.execute("INSERT INTO checked VALUES (?)", [key])
    assert _keys_increase(con, CheckedTable("checked", 2, len(keys), ()), "t0") is increasing


def test_a_repeated_key_after_a_lower_one_is_rejected(load):
    # The keys fall once (d2 after d3), so repeats are looked for by hashing every key.
    data = load(deals("d3,m1,2026-07-01,won,,2,true\n", "d2,m1,2026-07-01,won,,3,true\n",
                      "d3,m2,2026-07-01,won,,4,true\n"))
    assert [(p.row, p.code) for p in data.problems] == [(5, "duplicate_id")]
    assert sorted(data.connection.execute("SELECT id FROM deals").fetchall()) == [("d1",), ("d2",), ("d3",)]


def test_a_rejected_manager_gets_an_error_through_manager_ids(load):
    data = load({
        "managers.csv": "id,name,role,team,salary\nm1,Anna,cold,north,60000\nm2,Boris,cold,south,\"55 000\"\n",
        "deals.csv": DEALS_HEADER + "d1,m2,2026-07-01,won,,5,true\n",
    })
    problem = only(data.problems, table="managers")
    assert (problem.row, problem.column, problem.manager_ids) == (3, "salary", ["m2"])
    # m2's deals are m2's, not "unknown": the person exists, only their row was rejected.
    assert data.tables["deals"].rows_used == 1
    assert data.affected_manager_ids == {"m2"}


def test_a_duplicate_manager_id_makes_that_person_an_error(load):
    data = load({"managers.csv": "id,name,role,team,salary\nm1,Anna,cold,north,1\nm1,Anna 2,cold,north,2\n"})
    problem = only(data.problems, table="managers")
    assert (problem.row, problem.column, problem.manager_ids) == (3, "id", ["m1"])


def test_a_targets_value_is_a_number_in_its_reason_not_an_amount(load):
    data = load({"targets.csv": "manager_id,period,name,value\nm1,2026-07,revenue,\"12,5\"\n"
                                "m1,2026-08,revenue,$12\n"})
    assert [(p.row, p.column, str(p.reason).split(":")[0]) for p in data.problems] == [
        (2, "value", "unreadable number"), (3, "value", "unreadable number"),
    ]


@pytest.mark.parametrize(
    ("period", "reason_start"),
    [
        ("2026-13", "unreadable period"),
        ("2026-Q5", "unreadable period"),
        ("2026-q3", "unreadable period"),
        ("2026-W00", "unreadable period"),
        ("2026-W54", "unreadable period"),
        ("2025-W53", "no such week: this year has only 52 ISO weeks"),
        ("July 2026", "unreadable period"),
    ],
)
def test_target_periods_must_have_a_known_form(load, period, reason_start):
    data = load({"targets.csv": f"manager_id,period,name,value\nm1,{period},revenue,10\n"})
    problem = only(data.problems, column="period")
    assert (problem.row, problem.value) == (2, period)
    assert str(problem.reason).startswith(reason_start)


def test_good_target_periods_and_values(load):
    data = load({"targets.csv": (
        "manager_id,period,name,value\n"
        "m1,2026-07,revenue,1000000\n"
        "m1,2026-Q3,revenue,3000000.5\n"
        "m1,2026-W27,calls,-0.25\n"
        "m1,2026-W53,calls,1\n"  # 2026 has 53 ISO weeks
    )})
    assert data.problems == []
    values = dict(data.connection.execute("SELECT period, value FROM targets").fetchall())
    assert values == {"2026-07": Decimal("1000000"), "2026-Q3": Decimal("3000000.5"),
                      "2026-W27": Decimal("-0.25"), "2026-W53": Decimal("1")}


def test_a_repeated_target_is_rejected(load):
    data = load({"targets.csv": (
        "manager_id,period,name,value\n"
        "m1,2026-07,revenue,100\n"
        "m1,2026-07,calls,5\n"
        "m1,2026-07,revenue,200\n"
    )})
    problem = only(data.problems, table="targets")
    assert (problem.row, problem.column, problem.value) == (4, None, "m1, 2026-07, revenue")
    assert str(problem.reason).startswith("duplicate row: row 2 has the same manager_id, period, name")
    assert data.connection.execute("SELECT value FROM targets WHERE name = 'revenue'").fetchall() == [(Decimal("100"),)]


@pytest.mark.parametrize(
    ("duration", "reason_start"),
    [
        ("-5", "negative duration"),
        ("262.5", "duration is not a whole number of seconds"),
        ("4:22", "duration written as a clock time"),
        ("1m", "unreadable duration"),
        ("99999999999999999999", "too large"),
    ],
)
def test_durations_are_whole_seconds(load, duration, reason_start):
    data = load({"activities.csv": f"id,manager_id,type,started_at,duration\na1,m1,call,2026-07-01,{duration}\n"})
    problem = only(data.problems, column="duration")
    assert (problem.row, problem.value) == (2, duration)
    assert str(problem.reason).startswith(reason_start)


def test_whole_seconds_written_with_a_zero_fraction_are_accepted(load):
    data = load({"activities.csv": "id,manager_id,type,started_at,duration\na1,m1,call,2026-07-01,262.0\na2,m1,call,2026-07-01,0\n"})
    assert data.problems == []
    assert sorted(data.connection.execute("SELECT duration FROM activities").fetchall()) == [(0,), (262,)]


def test_booleans_accept_true_false_1_0_in_any_case(load):
    data = load(deals(*(f"d{i},m1,2026-07-01,won,,1,{word}\n" for i, word in
                        enumerate(["TRUE", "False", "1", "0"], start=2))))
    assert data.problems == []
    got = dict(data.connection.execute("SELECT id, is_new_client FROM deals").fetchall())
    assert got == {"d1": True, "d2": True, "d3": False, "d4": True, "d5": False}


def test_leads_check_both_timestamps(load):
    data = load({"leads.csv": "id,manager_id,created_at,first_response_at\nl1,m1,2026-07-01T09:00,soon\n"})
    problem = only(data.problems, table="leads")
    assert (problem.row, problem.column, problem.value) == (2, "first_response_at", "soon")


def test_a_managers_row_with_an_empty_required_cell(load):
    data = load({"managers.csv": "id,name,role,team,salary\nm1,Anna,cold,north,60000\nm2,,cold,north,1\n"})
    problem = only(data.problems, table="managers")
    assert (problem.row, problem.column, problem.manager_ids) == (3, "name", ["m2"])
    assert str(problem.reason) == "empty name: this column is required"


def test_a_rejected_row_says_which_period_it_concerns(load):
    from datetime import datetime

    data = load({
        **deals(
            "d2,m1,2026-06-01,won,2026-06-30T23:30:00+03:00,-1,true\n",  # closed in June (Moscow)
            "d3,m1,2026-06-01,open,,abc,true\n",  # never closed: in no period
            "d4,m1,2026-06-01,won,30.06.2026,1,true\n",  # its date is the bad cell: unknown
            "d1,m2,2026-06-01,won,2026-07-01T00:30:00+03:00,1,true\n",  # repeated id, July
        ),
        "targets.csv": "manager_id,period,name,value\nm1,2026-08,plan,x\nm1,2026-8,plan,1\n",
    })
    by_row = {(p.table, p.row): p for p in data.problems}
    june = (datetime(2026, 5, 31, 21), datetime(2026, 6, 30, 21))
    july = (datetime(2026, 6, 30, 21), datetime(2026, 7, 31, 21))
    assert by_row["deals", 3].at == datetime(2026, 6, 30, 20, 30)
    assert by_row["deals", 3].concerns("2026-06", *june)
    assert not by_row["deals", 3].concerns("2026-07", *july)
    assert by_row["deals", 4].undated and not by_row["deals", 4].concerns("2026-07", *july)
    assert by_row["deals", 5].at is None and by_row["deals", 5].concerns("2026-07", *july)
    assert by_row["deals", 6].concerns("2026-07", *july)
    assert not by_row["deals", 6].concerns("2026-06", *june)
    assert by_row["targets", 2].period == "2026-08"
    assert not by_row["targets", 2].concerns("2026-07", *july)
    assert by_row["targets", 3].period is None and by_row["targets", 3].concerns("2026-07", *july)


def test_loading_leaves_only_the_clean_tables(load):
    # The tables that hold the rejected rows while they are reported are the loader's own: after
    # loading, the connection the plan's queries run on holds the clean tables and nothing else.
    data = load({
        "managers.csv": "id,name,role,team,salary\nm1,Anna,cold,north,60000\nm1,Anna,cold,north,1\n",
        "deals.csv": DEALS_HEADER + "d1,m1,2026-07-01,won,,1,true\nd1,m1,x,won,,-1,true\n",
    })
    assert len(data.problems) == 4
    tables = data.connection.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL").fetchall()
    assert tables == [("main", "deals"), ("main", "managers")]
