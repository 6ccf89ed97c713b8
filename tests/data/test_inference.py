"""Extra columns get the first type all their values fit, and never reject a row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest


@pytest.mark.parametrize(
    ("values", "kind", "first"),
    [
        (["true", "FALSE", "1", ""], "bool", True),
        (["1", "0", "1"], "integer", 1),
        (["-12", "7", "0"], "integer", -12),
        (["1.5", "-2", "0.125"], "number", Decimal("1.500")),
        (["00123", "45"], "string", "00123"),  # leading zeros: an identifier, not a number
        (["2024-03-01", "2026-12-31"], "date", dt.date(2024, 3, 1)),
        (["2024-03-01T10:00:00+03:00", "2024-03-02"], "datetime", dt.datetime(2024, 3, 1, 7)),
        (["1 234", "5"], "string", "1 234"),
        (["", ""], "string", None),
        (["12345678901234567890", "1"], "number", Decimal("12345678901234567890")),
    ],
)
def test_extra_column_types(load, values, kind, first):
    body = "".join(f"a{i},m1,call,2026-07-01,{v}\n" for i, v in enumerate(values))
    data = load({"activities.csv": "id,manager_id,type,started_at,extra\n" + body}, timezone="UTC")
    assert data.problems == []
    assert data.column_type("activities", "extra") == kind
    assert data.connection.execute("SELECT extra FROM activities WHERE id = 'a0'").fetchone()[0] == first


def test_column_names_that_look_internal_are_kept(load):
    data = load({"activities.csv": "id,manager_id,type,started_at,t0,p0,_row\na1,m1,call,2026-07-01,x,y,z\n"})
    assert data.connection.execute("SELECT t0, p0, _row FROM activities").fetchone() == ("x", "y", "z")


def test_column_names_like_the_temporary_ones_are_kept(load):
    # While the clean table's columns get their names, they pass through temporary names that
    # no file column starts with: here neither tmp_ nor _tmp_ will do (the fifth column would
    # meet tmp_5, the sixth's temporary name, and DuckDB's names ignore case: TMP_5 too).
    header = "id,manager_id,type,started_at,tmp_5,_tmp_6,t4\n"
    data = load({"activities.csv": header + "a1,m1,call,2026-07-01,x,y,z\n"})
    row = data.connection.execute('SELECT id, tmp_5, "_tmp_6", t4 FROM activities').fetchone()
    assert row == ("a1", "x", "y", "z")
    columns = [r[0] for r in data.connection.execute("DESCRIBE activities").fetchall()]
    assert columns == header.strip().split(",")


def test_known_columns_after_an_extra_one_are_still_checked(load):
    # An extra column is typed by inference and never checked; the known columns written after
    # it in the file are checked as anywhere else.
    files = {"activities.csv": "id,channel,manager_id,type,started_at,duration\n"
             "a1,web,m1,call,2026-07-01,60\n"
             "a2,web,m1,call,01.07.2026,60\n"
             "a3,web,m1,call,2026-07-01,1.5\n"}
    data = load(files)
    assert [(p.row, p.column, p.value) for p in data.problems] == [
        (3, "started_at", "01.07.2026"), (4, "duration", "1.5"),
    ]
    assert data.connection.execute("SELECT id, channel FROM activities").fetchall() == [("a1", "web")]


def test_extra_columns_the_plan_does_not_read_are_left_out_and_reject_nothing(load):
    files = {
        "activities.csv": "id,manager_id,type,started_at,channel,note\n"
        "a1,m1,call,2026-07-01,web,1 234\n"
        "a2,m1,call,2026-07-02,,x\n"
        "a1,m2,call,2026-07-03,phone,\n",  # a repeated id is still rejected
    }
    needs = {"activities": {"channel"}}
    data = load(files, needs=needs)
    columns = [r[0] for r in data.connection.execute("DESCRIBE activities").fetchall()]
    assert "channel" in columns and "note" not in columns
    assert data.column_type("activities", "channel") == "string"
    with pytest.raises(KeyError):
        data.column_type("activities", "note")
    info = data.tables["activities"]
    assert info.columns[-1] == "note"  # the file's columns are still reported as found
    assert (info.rows_read, info.rows_used, info.rows_rejected) == (3, 2, 1)
    assert [(p.row, p.column) for p in data.problems] == [(4, "id")]

    everything = load(files)
    assert everything.column_type("activities", "note") == "string"
    assert everything.tables["activities"].rows_used == 2
    # managers keeps every column whatever the plan reads
    assert "name" in [r[0] for r in data.connection.execute("DESCRIBE managers").fetchall()]
