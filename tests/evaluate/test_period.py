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


def test_january_and_every_quarters_bounds():
    p = parse_period("2026-01")
    assert (p.first_day, p.end_day) == (date(2026, 1, 1), date(2026, 2, 1))
    assert [(q.first_day, q.end_day) for q in map(parse_period, ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])] == [
        (date(2026, 1, 1), date(2026, 4, 1)), (date(2026, 4, 1), date(2026, 7, 1)),
        (date(2026, 7, 1), date(2026, 10, 1)), (date(2026, 10, 1), date(2027, 1, 1))]


def test_a_period_is_read_without_the_spaces_around_it():
    assert parse_period(" 2026-07").label == "2026-07"
    assert parse_period("2026-Q3 \n").label == "2026-Q3"
    assert parse_period("\t2026-w05 ").label == "2026-W05"


def test_week_labels_and_the_last_week_of_a_short_year():
    # 2027-W01 starts on Monday 4 January 2027; W52 51 weeks (357 days) later, the year's last week
    assert parse_period("2027-W52").first_day == date(2027, 12, 27)
    assert parse_period("2026-w01").label == "2026-W01"
    assert parse_period("2020-W53").first_day == date(2020, 12, 28)  # 2020 has 53 ISO weeks too


@pytest.mark.parametrize(("text", "message", "hint"), [
    ("2026-13", "`2026-13` has no month 13", "a month is 01 to 12, e.g. 2026-07"),
    ("2026-00", "`2026-00` has no month 0", "a month is 01 to 12, e.g. 2026-07"),
    ("2026-Q5", "`2026-Q5` has no quarter 5", "a quarter is Q1 to Q4, e.g. 2026-Q3"),
    ("2026-Q0", "`2026-Q0` has no quarter 0", "a quarter is Q1 to Q4, e.g. 2026-Q3"),
    ("2027-W53", "`2027-W53`: 2027 has ISO weeks 01 to 52", "check the week number, e.g. 2027-W27"),
    ("2026-W00", "`2026-W00`: 2026 has ISO weeks 01 to 53", "check the week number, e.g. 2026-W27"),
    ("July", "`July` is not a period",
     "write a month as 2026-07, a quarter as 2026-Q3 or an ISO week as 2026-W27"),
])
def test_each_bad_period_says_what_is_wrong_with_its_figures(text, message, hint):
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    assert (str(err.value), str(err.value.message), str(err.value.hint)) == (message, message, hint)


@pytest.mark.parametrize(("text", "plan", "message", "hint"), [
    ("2026-Q3", "month", "the plan is paid by month, but `2026-Q3` is a quarter", "give a month, e.g. --period 2026-07"),
    ("2026-07", "quarter", "the plan is paid by quarter, but `2026-07` is a month",
     "give a quarter, e.g. --period 2026-Q3"),
    ("2026-07", "week", "the plan is paid by week, but `2026-07` is a month", "give a week, e.g. --period 2026-W27"),
    ("2026-W27", "month", "the plan is paid by month, but `2026-W27` is a week", "give a month, e.g. --period 2026-07"),
])
def test_a_period_of_the_wrong_kind_names_both_kinds(text, plan, message, hint):
    with pytest.raises(PeriodError) as err:
        period_for_plan(text, plan)
    assert (err.value.code, str(err.value), str(err.value.message), str(err.value.hint)) == (
        "wrong_kind", message, message, hint)


def test_a_period_ending_the_day_before_the_plan_takes_effect_is_refused():
    from kpilang.evaluate.period import check_in_force

    # June ends on 1 July (its end_day): a plan effective on 30 June is in force for June's last day
    check_in_force(parse_period("2026-06"), "p", date(2026, 6, 30))
    with pytest.raises(PeriodError) as err:
        check_in_force(parse_period("2026-06"), "p", date(2026, 7, 2))
    assert err.value.code == "not_in_force"
    assert str(err.value) == "plan p takes effect on 2026-07-02, after 2026-06 ends"
