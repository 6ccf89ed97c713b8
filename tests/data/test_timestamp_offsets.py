"""A date-time's UTC offset must be one a clock can show: from -12:00 to +14:00, minutes 00-59.

DuckDB reads any two digits as an offset (`+25:00` moves the instant by a day, `+03:60` is read
as `+04:00`), so an impossible offset would silently move a deal into another period. It is
rejected as an unparsable date instead, in every spelling (`+03:00`, `+0300`, `+03`) and every
file format.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import openpyxl
import pytest

from kpilang.data import load_data

from .conftest import assert_accounted, only, write

LOCAL = dt.datetime(2026, 7, 15, 12, 0)
LOCAL_TEXT = "2026-07-15T12:00:00"
# Minutes east of UTC of the farthest zones in use: Baker Island (-12:00), Line Islands (+14:00).
WEST_LIMIT, EAST_LIMIT = -12 * 60, 14 * 60


def activities(*stamps: str) -> dict[str, str]:
    rows = "".join(f"a{i},m1,call,{stamp}\n" for i, stamp in enumerate(stamps))
    return {"activities.csv": "id,manager_id,type,started_at\n" + rows}


def stored(data, row_id: str) -> dt.datetime:
    return data.connection.execute(
        "SELECT started_at FROM activities WHERE id = ?", [row_id]).fetchone()[0]


@pytest.mark.parametrize(
    ("stamp", "utc"),
    [
        ("2026-07-15T12:00:00+14:00", dt.datetime(2026, 7, 14, 22, 0)),
        ("2026-07-15T12:00:00+1400", dt.datetime(2026, 7, 14, 22, 0)),
        ("2026-07-15T12:00:00+14", dt.datetime(2026, 7, 14, 22, 0)),
        ("2026-07-15T12:00:00-12:00", dt.datetime(2026, 7, 16, 0, 0)),
        ("2026-07-15T12:00:00-1200", dt.datetime(2026, 7, 16, 0, 0)),
        ("2026-07-15T12:00:00-12", dt.datetime(2026, 7, 16, 0, 0)),
        ("2026-07-15T12:00:00+13:59", dt.datetime(2026, 7, 14, 22, 1)),
        ("2026-07-15T12:00:00-11:59", dt.datetime(2026, 7, 15, 23, 59)),
        ("2026-07-15T12:00:00+05:45", dt.datetime(2026, 7, 15, 6, 15)),  # Nepal
        ("2026-07-15T12:00:00+0530", dt.datetime(2026, 7, 15, 6, 30)),  # India
        ("2026-07-15T12:00:00-09:30", dt.datetime(2026, 7, 15, 21, 30)),  # Marquesas
        ("2026-07-15T12:00:00+00:00", dt.datetime(2026, 7, 15, 12, 0)),
        ("2026-07-15T12:00:00-00:00", dt.datetime(2026, 7, 15, 12, 0)),
        ("2026-07-15T12:00:00Z", dt.datetime(2026, 7, 15, 12, 0)),
        ("2026-07-15T12:00Z", dt.datetime(2026, 7, 15, 12, 0)),
        ("2026-07-15 12:00+03", dt.datetime(2026, 7, 15, 9, 0)),
        ("2026-07-15T12:00:00.5+14:00", dt.datetime(2026, 7, 14, 22, 0, 0, 500000)),
        ("2026-07-15T12:00:00.123456-12:00", dt.datetime(2026, 7, 16, 0, 0, 0, 123456)),
    ],
)
def test_offsets_up_to_the_farthest_zones_are_read_exactly(load, stamp, utc):
    data = load(activities(stamp), timezone="Europe/Berlin")
    assert data.problems == []
    assert stored(data, "a0") == utc


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-07-15T12:00:00+25:00",
        "2026-07-15T12:00:00+99:99",
        "2026-07-15T12:00:00+14:01",
        "2026-07-15T12:00:00+1401",
        "2026-07-15T12:00:00+14:30",
        "2026-07-15T12:00:00+15",
        "2026-07-15T12:00:00+24",
        "2026-07-15T12:00:00+24:00",
        "2026-07-15T12:00:00-12:01",
        "2026-07-15T12:00:00-12:30",
        "2026-07-15T12:00:00-13",
        "2026-07-15T12:00:00-1300",
        "2026-07-15T12:00:00+03:60",
        "2026-07-15T12:00:00+0360",
        "2026-07-15T12:00:00-03:75",
        "2026-07-15T12:00:00.250+25:00",
        "2026-07-15T12:00+25",
        "2026-07-15 12:00:00+99",
    ],
)
def test_an_offset_no_clock_shows_rejects_its_row_as_unparsable(load, stamp):
    data = load(activities(LOCAL_TEXT, stamp), timezone="UTC")
    problem = only(data.problems, column="started_at")
    assert (problem.table, problem.row, problem.value) == ("activities", 3, stamp)
    assert problem.code == "datetime_form"
    assert str(problem.reason).startswith("unparsable date")
    info = data.tables["activities"]
    assert (info.rows_read, info.rows_used, info.rows_rejected) == (2, 1, 1)


def offset_spellings(sign: str, hours: int, minutes: int) -> list[str]:
    spellings = [f"{sign}{hours:02d}:{minutes:02d}", f"{sign}{hours:02d}{minutes:02d}"]
    if minutes == 0:
        spellings.append(f"{sign}{hours:02d}")
    return spellings


def test_every_two_digit_offset_is_accepted_exactly_when_a_clock_can_show_it(load):
    """All hours 00-99 with minutes at and around the edges, in each spelling, in one file: an
    offset is kept iff its minutes are at most 59 and it lies in [-12:00, +14:00], and a kept
    one is the instant LOCAL minus the offset."""
    expected: dict[str, dt.datetime | None] = {}
    for sign in "+-":
        for hours in range(100):
            for minutes in (0, 1, 30, 45, 59, 60, 99):
                east = (hours * 60 + minutes) * (1 if sign == "+" else -1)
                possible = minutes <= 59 and WEST_LIMIT <= east <= EAST_LIMIT
                for offset in offset_spellings(sign, hours, minutes):
                    utc = LOCAL - dt.timedelta(minutes=east) if possible else None
                    expected[LOCAL_TEXT + offset] = utc
    data = load(activities(*expected), timezone="UTC")
    # Only the first rejected rows are listed one by one; every row is counted.
    assert data.tables["activities"].rows_rejected == sum(utc is None for utc in expected.values())
    kept = dict(data.connection.execute("SELECT id, started_at FROM activities").fetchall())
    assert kept == {f"a{i}": utc for i, utc in enumerate(expected.values()) if utc is not None}
    assert expected[LOCAL_TEXT + "+14:00"] is not None and expected[LOCAL_TEXT + "+14:01"] is None


def test_an_extra_column_with_an_impossible_offset_stays_text(load):
    data = load({"activities.csv": (
        "id,manager_id,type,started_at,callback_at,followup_at\n"
        "a1,m1,call,2026-07-15,2026-07-15T12:00:00+14:00,2026-07-15T12:00:00+14:00\n"
        "a2,m1,call,2026-07-15,2026-07-15T12:00:00-12:00,2026-07-15T12:00:00+25:00\n"
    )}, timezone="UTC")
    assert data.problems == []
    row = data.connection.execute(
        "SELECT callback_at, followup_at FROM activities ORDER BY id").fetchall()
    assert row == [
        (dt.datetime(2026, 7, 14, 22, 0), "2026-07-15T12:00:00+14:00"),
        (dt.datetime(2026, 7, 16, 0, 0), "2026-07-15T12:00:00+25:00"),
    ]


BAD = "2026-07-15T12:00:00+25:00"
GOOD = "2026-07-15T12:00:00+14:00"


def _write_jsonl(path: Path) -> None:
    lines = [{"id": f"a{i}", "manager_id": "m1", "type": "call", "started_at": s}
             for i, s in enumerate((GOOD, BAD))]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


def _write_xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "manager_id", "type", "started_at"])
    for i, stamp in enumerate((GOOD, BAD)):
        sheet.append([f"a{i}", "m1", "call", stamp])  # a text cell, as a CRM export writes it
    book.save(path)


def _write_parquet(path: Path) -> None:
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT * FROM (VALUES ('a0', 'm1', 'call', '{GOOD}'),
        ('a1', 'm1', 'call', '{BAD}')) t(id, manager_id, type, started_at))
        TO '{path}' (FORMAT parquet)""")
    con.close()


@pytest.mark.parametrize(
    ("suffix", "writer", "bad_row"),
    [("jsonl", _write_jsonl, 2), ("xlsx", _write_xlsx, 3), ("parquet", _write_parquet, 2)],
)
def test_every_format_rejects_an_impossible_offset(tmp_path, suffix, writer, bad_row):
    directory = write(tmp_path, {})
    writer(directory / f"activities.{suffix}")
    with load_data(directory, timezone="UTC") as data:
        assert_accounted(data)
        problem = only(data.problems, column="started_at")
        assert (problem.row, problem.value, problem.code) == (bad_row, BAD, "datetime_form")
        assert problem.file.endswith(f"activities.{suffix}")
        kept = data.connection.execute("SELECT id, started_at FROM activities").fetchall()
        assert kept == [("a0", dt.datetime(2026, 7, 14, 22, 0))]


def test_a_typed_parquet_timestamp_near_the_date_line_is_read(tmp_path):
    """A TIMESTAMPTZ column is written out with the offset +00, which is always possible."""
    directory = write(tmp_path, {})
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"""COPY (SELECT 'a0' AS id, 'm1' AS manager_id, 'call' AS type,
        TIMESTAMPTZ '{GOOD}' AS started_at) TO '{directory / "activities.parquet"}'
        (FORMAT parquet)""")
    con.close()
    with load_data(directory, timezone="Pacific/Kiritimati") as data:
        assert data.problems == []
        assert stored(data, "a0") == dt.datetime(2026, 7, 14, 22, 0)
