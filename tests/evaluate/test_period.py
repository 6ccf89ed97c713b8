from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from kpilang.evaluate.period import PeriodError, local_midnight_utc, parse_period, period_for_plan


def test_month():
    p = parse_period("2026-07")
    assert (p.kind, p.label, p.first_day, p.end_day) == ("month", "2026-07", date(2026, 7, 1), date(2026, 8, 1))


def test_december_ends_next_year():
    p = parse_period("2026-12")
    assert p.end_day == date(2027, 1, 1)


def test_quarter():
    p = parse_period("2026-Q3")
    assert (p.kind, p.label, p.first_day, p.end_day) == ("quarter", "2026-Q3", date(2026, 7, 1), date(2026, 10, 1))
    assert parse_period("2026-q4").end_day == date(2027, 1, 1)
    assert parse_period("2026-q4").label == "2026-Q4"


def test_iso_week():
    p = parse_period("2026-W27")
    assert p.kind == "week" and p.label == "2026-W27"
    assert p.first_day == date(2026, 6, 29)  # a Monday
    assert p.first_day.isoweekday() == 1
    assert p.end_day == date(2026, 7, 6)


def test_iso_week_one_can_start_in_the_previous_year():
    assert parse_period("2026-W01").first_day == date(2025, 12, 29)


def test_week_53_only_in_long_years():
    assert parse_period("2026-W53").first_day == date(2026, 12, 28)  # 2026 has 53 ISO weeks
    with pytest.raises(PeriodError, match="ISO weeks 01 to 52"):
        parse_period("2027-W53")


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "2026-Q0", "2026-W00", "July", "2026/07", "", "2026-7"])
def test_bad_periods_say_how_to_write_one(text):
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    assert err.value.hint


def test_wrong_kind_for_the_plan_is_a_usage_error_with_a_hint():
    with pytest.raises(PeriodError) as err:
        period_for_plan("2026-Q3", "month")
    assert "paid by month" in str(err.value.message)
    assert "2026-07" in str(err.value.hint)
    assert period_for_plan("2026-Q3", "quarter").label == "2026-Q3"


def test_moscow_month_bounds():
    start, end = parse_period("2026-07").bounds_utc("Europe/Moscow")
    assert start == datetime(2026, 6, 30, 21, 0)
    assert end == datetime(2026, 7, 31, 21, 0)


def test_the_deal_closed_at_2330_moscow_on_31_july_is_julys():
    start, end = parse_period("2026-07").bounds_utc("Europe/Moscow")
    late = datetime(2026, 7, 31, 23, 30, tzinfo=ZoneInfo("Europe/Moscow")).astimezone(timezone.utc).replace(tzinfo=None)
    after = datetime(2026, 8, 1, 0, 10, tzinfo=ZoneInfo("Europe/Moscow")).astimezone(timezone.utc).replace(tzinfo=None)
    assert start <= late < end
    assert not (start <= after < end)


def test_dst_month_in_berlin():
    # Berlin moves from UTC+1 to UTC+2 on 29 March 2026: March starts at 23:00 UTC the day before,
    # April at 22:00 UTC.
    start, end = parse_period("2026-03").bounds_utc("Europe/Berlin")
    assert start == datetime(2026, 2, 28, 23, 0)
    assert end == datetime(2026, 3, 31, 22, 0)


def test_midnight_skipped_by_dst_uses_the_offset_before_the_change():
    # America/Santiago skipped 00:00 → 01:00 on 2026-09-06 (UTC-4 → UTC-3).
    got = local_midnight_utc(date(2026, 9, 6), "America/Santiago")
    assert got == datetime(2026, 9, 6, 4, 0)


@given(st.dates(min_value=date(1971, 1, 1), max_value=date(2090, 12, 31)),
       st.sampled_from(["UTC", "Europe/Moscow", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]))
def test_consecutive_months_tile_time(day, tz):
    """The end of one month is the start of the next: no instant belongs to two periods or none."""
    this = parse_period(f"{day.year:04d}-{day.month:02d}")
    following = parse_period(f"{this.end_day.year:04d}-{this.end_day.month:02d}")
    assert this.bounds_utc(tz)[1] == following.bounds_utc(tz)[0]
    start, end = this.bounds_utc(tz)
    assert timedelta(days=27) < end - start < timedelta(days=32)


@given(st.integers(min_value=1971, max_value=2090), st.integers(min_value=1, max_value=52))
def test_weeks_are_seven_days_from_monday(year, week):
    p = parse_period(f"{year}-W{week:02d}")
    assert p.first_day.isocalendar()[:2] == (year, week)
    assert p.end_day - p.first_day == timedelta(days=7)


def test_check_in_force():
    from kpilang.evaluate.period import check_in_force

    check_in_force(parse_period("2026-07"), "p", date(2026, 7, 1))
    check_in_force(parse_period("2026-07"), "p", date(2026, 7, 15))  # takes effect during the month
    with pytest.raises(PeriodError) as err:
        check_in_force(parse_period("2026-06"), "p", date(2026, 7, 1))
    assert "takes effect on 2026-07-01, after 2026-06 ends" in str(err.value.message)
