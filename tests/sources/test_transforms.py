"""The value transforms of a source mapping, against values written by the tests themselves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpilang.sources.transforms import NotConverted, to_boolean, to_date, to_duration, to_number

SPACES = st.sampled_from([" ", "\u00a0", "\u202f"])


def grouped(digits: str, space: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return space.join([digits, *groups])


@given(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False, allow_infinity=False), SPACES,
       st.booleans())
def test_russian_money_reads_back_exactly(amount, space, group):
    sign = "-" if amount < 0 else ""
    whole, _, cents = format(abs(amount), "f").partition(".")
    text = sign + (grouped(whole, space) if group else whole) + ("," + cents if cents else "")
    assert Decimal(to_number(text, "ru")) == amount


@pytest.mark.parametrize("text", ["1.234,50", "1 23 456", "12,3,4", "+5", "1 234.50", "", " 12", "1e3", "12 345,"])
def test_russian_money_refuses_what_it_would_have_to_guess(text):
    with pytest.raises(NotConverted):
        to_number(text, "ru")


def test_plain_numbers_refuse_a_decimal_comma():
    assert to_number("152400.00", "plain") == "152400.00"
    with pytest.raises(NotConverted):
        to_number("152400,00", "plain")


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 1, 1)).map(
    lambda d: d.replace(microsecond=0)))
def test_a_moscow_wall_clock_gets_moscows_offset(moment):
    text = moment.strftime("%d.%m.%Y %H:%M:%S")
    out = dt.datetime.fromisoformat(to_date(text, ["%d.%m.%Y %H:%M:%S"], "Europe/Moscow", False))
    assert out.replace(tzinfo=None) == moment
    # Moscow has been UTC+3 all year since 2014.
    if moment.year >= 2015:
        assert out.utcoffset() == dt.timedelta(hours=3)


def test_unix_time_is_utc():
    assert to_date("1782892800", ["unix"], "Europe/Moscow", False) == "2026-07-01T08:00:00+00:00"
    assert to_date("1782892800123", ["unix_ms"], None, False) == "2026-07-01T08:00:00.123000+00:00"


def test_formats_are_tried_in_order_and_a_date_column_keeps_the_date():
    formats = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y"]
    assert to_date("05.07.2026", formats, None, False) == "2026-07-05T00:00:00"
    assert to_date("05.07.2026 13:00:00", formats, None, True) == "2026-07-05"
    with pytest.raises(NotConverted):
        to_date("2026-07-05", formats, None, False)


def test_a_time_the_clocks_skipped_is_refused():
    with pytest.raises(NotConverted):
        to_date("29.03.2026 02:30:00", ["%d.%m.%Y %H:%M:%S"], "Europe/Berlin", False)


@pytest.mark.parametrize("text, seconds", [("0:04:22", "262"), ("4:22", "262"), ("1:02:03", "3723"), ("10:00:00", "36000")])
def test_clock_durations_are_whole_seconds(text, seconds):
    assert to_duration(text, "hms") == seconds


@pytest.mark.parametrize("text", ["4:60", "1:2:3", "262", "-0:01:00", "0:04:22.5"])
def test_a_clock_duration_in_another_form_is_refused(text):
    with pytest.raises(NotConverted):
        to_duration(text, "hms")


def test_excel_time_cells_are_durations():
    assert to_duration(dt.time(0, 4, 22), "hms") == "262"


def test_flags_take_their_two_texts_only():
    assert to_boolean("Да", ("Да", "Нет")) == "true"
    assert to_boolean("Y", ("N", "Y")) == "false"
    with pytest.raises(NotConverted):
        to_boolean("да", ("Да", "Нет"))
