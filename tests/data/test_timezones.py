"""Timestamps are stored as naive UTC: offsets are exact instants, naive times are local time
in the plan's timezone, and clock changes follow one documented rule."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kpilang.data import load_data

from .conftest import write


def started_at(load, text: str, timezone: str) -> dt.datetime:
    data = load({"activities.csv": f"id,manager_id,type,started_at\na1,m1,call,{text}\n"},
                timezone=timezone)
    assert data.problems == []
    return data.connection.execute("SELECT started_at FROM activities").fetchone()[0]


@pytest.mark.parametrize(
    ("text", "timezone", "utc"),
    [
        ("2026-07-31T23:30:00+03:00", "Europe/Moscow", dt.datetime(2026, 7, 31, 20, 30)),
        ("2026-07-31T23:30:00+03:00", "America/New_York", dt.datetime(2026, 7, 31, 20, 30)),
        ("2026-07-31T23:30:00", "Europe/Moscow", dt.datetime(2026, 7, 31, 20, 30)),
        ("2026-07-31 23:30:00", "Europe/Moscow", dt.datetime(2026, 7, 31, 20, 30)),
        ("2026-07-31T23:30", "Europe/Moscow", dt.datetime(2026, 7, 31, 20, 30)),
        ("2026-07-31T20:30:00Z", "Europe/Moscow", dt.datetime(2026, 7, 31, 20, 30)),
        ("2026-07-31T23:30:00+0300", "UTC", dt.datetime(2026, 7, 31, 20, 30)),
        ("2026-07-31T23:30:00+03", "UTC", dt.datetime(2026, 7, 31, 20, 30)),
        ("2026-07-31T18:00:00-02:30", "UTC", dt.datetime(2026, 7, 31, 20, 30)),
        ("2026-07-31T23:30:00.250+03:00", "UTC", dt.datetime(2026, 7, 31, 20, 30, 0, 250000)),
        # A bare date is local midnight.
        ("2026-08-01", "Europe/Moscow", dt.datetime(2026, 7, 31, 21, 0)),
        ("2026-08-01", "UTC", dt.datetime(2026, 8, 1, 0, 0)),
    ],
)
def test_timestamps_are_stored_as_utc(load, text, timezone, utc):
    assert started_at(load, text, timezone) == utc


def test_a_deal_closed_late_on_july_31_in_moscow_is_in_july(load):
    # Both spellings of the same instant land in Moscow's July: [06-30 21:00, 07-31 21:00) UTC.
    for text in ("2026-07-31T23:30:00+03:00", "2026-07-31T23:30:00"):
        utc = started_at(load, text, "Europe/Moscow")
        assert dt.datetime(2026, 6, 30, 21) <= utc < dt.datetime(2026, 7, 31, 21)


@pytest.mark.parametrize(
    ("text", "timezone"),
    [
        # Clocks move forward: 02:30 does not exist; read with the offset in force before.
        ("2026-03-29T02:30:00", "Europe/Berlin"),
        ("2026-03-08T02:30:00", "America/New_York"),
        # Clocks move back: 02:30 happens twice; the later instant is taken.
        ("2026-10-25T02:30:00", "Europe/Berlin"),
        ("2026-11-01T01:30:00", "America/New_York"),
        # Ordinary times, for contrast.
        ("2026-01-15T12:00:00", "Europe/Berlin"),
        ("2026-07-15T12:00:00", "America/New_York"),
    ],
)
def test_clock_changes_follow_the_documented_rule(load, text, timezone):
    local = dt.datetime.fromisoformat(text)
    zone = ZoneInfo(timezone)
    earlier, later = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    round_trips = earlier.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None) == local
    if not round_trips:
        # A gap: Python's fold=0 is "the offset in force before the change".
        expected = earlier
    else:
        # A fold (or an ordinary time, where both folds agree): the later instant.
        expected = later
    want = expected.astimezone(dt.timezone.utc).replace(tzinfo=None)
    assert started_at(load, text, timezone) == want


def test_an_unknown_timezone_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown timezone 'Mars/Olympus'"):
        load_data(write(tmp_path, {}), timezone="Mars/Olympus")


@pytest.mark.parametrize(
    "text",
    ["2026-7-1", "20260701", "2026-07-01T10", "2026-07-01t10:00:00", "2026-07-01T10:00:00 +03:00",
     "2026-07-01T10:00:00 Europe/Moscow", "1 July 2026", "2026-07-01T10:00:00z", "2026-07-01+03:00"],
)
def test_forms_other_than_iso_8601_are_rejected(load, text):
    data = load({"activities.csv": f"id,manager_id,type,started_at\na1,m1,call,{text}\n"})
    [problem] = data.problems
    assert (problem.row, problem.column, problem.value) == (2, "started_at", text)
    assert str(problem.reason).startswith("unparsable date")


def test_time_zone_support_is_built_into_duckdb():
    # Conversions use DuckDB's ICU; it must come with the wheel, never from a download.
    import duckdb

    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    modes = dict(con.execute(
        "SELECT extension_name, install_mode FROM duckdb_extensions() "
        "WHERE extension_name IN ('icu', 'parquet')"
    ).fetchall())
    assert modes == {"icu": "STATICALLY_LINKED", "parquet": "STATICALLY_LINKED"}
    con.close()
