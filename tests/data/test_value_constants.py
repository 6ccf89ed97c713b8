"""The constants and patterns that decide whether a value is accepted, pinned at their edges.

Each test here kills one or more mutants that the other data tests let live (the hand-written
ones of tests/mutation/constant_mutants.py, or mutmut's): a value just inside a limit is read
exactly, one just outside is rejected with its own reason.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kpilang.data.problems import VALUE_PREVIEW_CHARS, preview

from .conftest import only

PLAIN_DECIMAL_ADVICE = "write it as a plain decimal with a dot and no spaces, e.g. 1234.50"
WHOLE_SECONDS_ADVICE = "write the duration in whole seconds, e.g. 262"


def deals(*amounts: str) -> dict[str, str]:
    rows = "".join(f'd{i},m1,2026-07-01,won,,"{a}"\n' for i, a in enumerate(amounts))
    return {"deals.csv": "id,manager_id,created_at,stage,closed_at,amount\n" + rows}


def activities(*durations: str) -> dict[str, str]:
    rows = "".join(f"a{i},m1,call,2026-07-01,{d}\n" for i, d in enumerate(durations))
    return {"activities.csv": "id,manager_id,type,started_at,duration\n" + rows}


def codes_by_value(data, column: str) -> dict[str | None, str]:
    found = [p for p in data.problems if p.column == column]
    by_value = {p.value: p.code for p in found}
    assert len(by_value) == len(found), "two problems quote the same value"
    return by_value


# --- date-times -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "stamp",
    [
        "2026-07-01T24:00:00",  # DuckDB reads hour 24 as midnight of the next day
        "2026-07-01T10:60:00",
        "2026-07-01T10:00:60",
        "2026-07-01t10:00:00",
        "2026-07-01T10:00:00z",
        "2026-07-01T10:00:00 +03:00",
        "2026-7-1",
        "2026-07-1T10:00:00",
        "2026-07-01T1:00:00",
    ],
)
def test_a_date_time_off_the_iso_form_is_unparsable_not_merely_impossible(load, stamp):
    data = load({"activities.csv": f"id,manager_id,type,started_at\na1,m1,call,2026-07-01\na2,m1,call,{stamp}\n"},
                timezone="UTC")
    problem = only(data.problems, column="started_at")
    assert (problem.row, problem.value, problem.code) == (3, stamp, "datetime_form")
    assert data.connection.execute("SELECT list(id) FROM activities").fetchone()[0] == ["a1"]


def test_hour_23_minute_59_second_59_and_six_fraction_digits_are_read(load):
    data = load({"activities.csv": "id,manager_id,type,started_at\n"
                 "a1,m1,call,2026-07-01T23:59:59.999999Z\n"}, timezone="UTC")
    assert data.problems == []
    assert data.connection.execute("SELECT started_at FROM activities").fetchone()[0] == \
        dt.datetime(2026, 7, 1, 23, 59, 59, 999999)


def test_an_extra_column_of_dates_needs_two_digit_months_and_days(load):
    data = load({"activities.csv": "id,manager_id,type,started_at,due,signed\n"
                 "a1,m1,call,2026-07-01,2026-7-1,2026-07-01\n"}, timezone="UTC")
    assert data.problems == []
    assert data.column_type("activities", "due") == "string"
    assert data.column_type("activities", "signed") == "date"


def test_an_extra_column_of_19_digit_whole_numbers_is_a_number_not_an_integer(load):
    # BIGINT stops at 9223372036854775807 (19 digits): only 18 digits always fit.
    data = load({"activities.csv": "id,manager_id,type,started_at,contract\n"
                 "a1,m1,call,2026-07-01,9999999999999999999\na2,m1,call,2026-07-01,1\n"}, timezone="UTC")
    assert data.problems == []
    assert data.column_type("activities", "contract") == "number"
    assert data.connection.execute("SELECT contract FROM activities ORDER BY id").fetchall() == \
        [(Decimal("9999999999999999999"),), (Decimal("1"),)]


# --- money and numbers ------------------------------------------------------------------------

def test_amounts_in_forms_that_are_never_guessed_get_their_own_reason(load):
    amounts = {
        "+5": "not_a_number",
        "12.": "not_a_number",
        "1 234.50": "digit_spaces",
        "1\u00a0234,50": "digit_spaces",
        "\t12.50": "padded",
        "12.50\u00a0": "padded",
        "100 RUB": "currency",
        "0.1234567890123456789": "too_many_decimals",
    }
    data = load(deals(*amounts))
    assert codes_by_value(data, "amount") == amounts
    assert data.tables["deals"].rows_used == 0


def test_an_amount_of_zero_is_not_negative(load):
    data = load(deals("0", "-0.01"))
    problem = only(data.problems, column="amount")
    assert (problem.value, problem.code) == ("-0.01", "negative")
    assert data.connection.execute("SELECT amount FROM deals").fetchall() == [(Decimal("0.00"),)]


def test_thirty_six_digits_before_the_point_fit_a_money_column(load):
    # DECIMAL(38, 2): 38 digits in all, 2 of them after the point.
    amount = "9" * 36 + ".99"
    data = load(deals(amount))
    assert data.problems == []
    assert data.connection.execute("SELECT amount FROM deals").fetchone()[0] == Decimal(amount)


def test_a_target_of_whole_numbers_holds_38_digits(load):
    # No fraction digits in the column: DECIMAL(38, 0), so 38 digits fit and 39 do not.
    data = load({"targets.csv": "manager_id,period,name,value\n"
                 f"m1,2026-07,plan,{'9' * 38}\nm1,2026-08,plan,{'9' * 39}\n"})
    problem = only(data.problems, column="value")
    assert (problem.row, problem.code) == (3, "too_large")
    assert str(problem.reason) == "too large: value holds at most 38 digits before the decimal point"
    assert data.connection.execute("SELECT value FROM targets").fetchall() == [(Decimal("9" * 38),)]


def test_money_advice_follows_each_number_problem(load):
    data = load(deals("100 ₽", "1234,50"))
    currency, comma = (only(data.problems, row=row) for row in (2, 3))
    assert str(currency.hint) == "remove the currency (amounts are in the plan's currency) and " + PLAIN_DECIMAL_ADVICE
    assert (comma.code, str(comma.hint)) == ("comma", PLAIN_DECIMAL_ADVICE)


# --- durations --------------------------------------------------------------------------------

def test_durations_that_are_not_whole_seconds_get_their_own_reason(load):
    durations = {
        "-5.5": "negative_duration",
        "-5": "negative_duration",
        "262.25": "fractional_duration",
        "4:22": "clock_duration",
        "4:75": "duration_form",
        "1m": "duration_form",
    }
    data = load(activities(*durations))
    assert codes_by_value(data, "duration") == durations
    fractional = only(data.problems, value="262.25")
    assert str(fractional.hint) == WHOLE_SECONDS_ADVICE


def test_a_duration_holds_18_digits_and_no_more(load):
    # BIGINT holds up to 9223372036854775807: every 18-digit number, not every 19-digit one.
    data = load(activities("9" * 18, "9" * 19))
    problem = only(data.problems, column="duration")
    assert (problem.value, problem.code) == ("9" * 19, "too_large")
    assert str(problem.reason) == "too large: duration holds at most 18 digits before the decimal point"
    assert data.connection.execute("SELECT duration FROM activities").fetchall() == [(10**18 - 1,)]


# --- periods and yes/no -----------------------------------------------------------------------

def test_month_zero_is_no_period_and_week_52_always_exists(load):
    data = load({"targets.csv": "manager_id,period,name,value\n"
                 "m1,2026-00,plan,1\nm1,2025-W52,plan,2\nm1,2027-W52,plan,3\n"})
    problem = only(data.problems, column="period")
    assert (problem.value, problem.code) == ("2026-00", "period_form")
    assert sorted(p for (p,) in data.connection.execute("SELECT period FROM targets").fetchall()) == \
        ["2025-W52", "2027-W52"]


def test_one_and_zero_are_yes_and_no(load):
    data = load({"deals.csv": "id,manager_id,created_at,stage,closed_at,amount,is_new_client\n"
                 "d1,m1,2026-07-01,won,,1,1\nd2,m1,2026-07-01,won,,1,0\nd3,m1,2026-07-01,won,,1,TRUE\n"})
    assert data.problems == []
    assert data.connection.execute("SELECT id, is_new_client FROM deals ORDER BY id").fetchall() == \
        [("d1", True), ("d2", False), ("d3", True)]


# --- required columns -------------------------------------------------------------------------

def test_a_salary_and_an_activity_time_are_required(load):
    data = load({
        "managers.csv": "id,name,role,team,salary\nm1,Anna,cold,north,60000\nm2,Boris,cold,south,\n",
        "activities.csv": "id,manager_id,type,started_at\na1,m1,call,\na2,m1,call,2026-07-01\n",
    })
    salary = only(data.problems, column="salary")
    started = only(data.problems, column="started_at")
    assert (salary.row, salary.code, started.row, started.code) == (3, "empty", 2, "empty")


# --- how a problem quotes a value -------------------------------------------------------------

def test_a_long_value_is_quoted_in_its_first_79_characters_and_an_ellipsis(load):
    assert VALUE_PREVIEW_CHARS == 80
    long = "x" * 100
    assert preview(long) == "x" * 79 + "…"
    assert preview("x" * 80) == "x" * 80
    data = load(deals(long))
    assert only(data.problems, column="amount").value == "x" * 79 + "…"
