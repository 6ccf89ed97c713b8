"""A DataProblem on its own: which periods it blocks, its JSON, and its English line in logs."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kpilang.data import DataError, DataProblem
from kpilang.messages import t

JULY = ("2026-07", dt.datetime(2026, 6, 30, 21), dt.datetime(2026, 7, 31, 21))  # Moscow's July in UTC


def problem(**fields: object) -> DataProblem:
    values: dict[str, object] = {
        "table": "deals", "file": "data/deals.csv", "row": 3, "column": "amount", "value": "abc",
        "code": "empty", "reason": t("data.empty.reason", column="amount"),
        "hint": t("data.empty.hint", column="amount"), "fatal": False,
    }
    values.update(fields)
    return DataProblem(**values)


@pytest.mark.parametrize(
    ("at", "concerns"),
    [
        (dt.datetime(2026, 6, 30, 20, 59, 59, 999999), False),
        (dt.datetime(2026, 6, 30, 21), True),  # the first instant of the period is in it
        (dt.datetime(2026, 7, 31, 20, 59, 59, 999999), True),
        (dt.datetime(2026, 7, 31, 21), False),  # the period's end is the next one's start
    ],
)
def test_a_dated_problem_concerns_the_half_open_period_it_falls_in(at, concerns):
    assert problem(at=at).concerns(*JULY) is concerns


def test_a_problem_of_a_target_concerns_its_own_period_only():
    assert problem(period="2026-07").concerns(*JULY)
    assert not problem(period="2026-08").concerns(*JULY)


def test_an_undated_problem_concerns_no_period_and_an_unplaced_one_every_period():
    assert not problem(undated=True).concerns(*JULY)
    assert problem().concerns(*JULY)


def test_the_json_of_a_problem_is_plain_json_with_its_words_in_the_language_asked():
    out = problem(at=dt.datetime(2026, 7, 1, 7, 30)).to_json("en")
    assert out["at"] == "2026-07-01T07:30:00"
    assert out["reason"] == "empty amount: this column is required"
    assert out["hint"] == "fill in amount, or remove the row if it is not real"
    assert json.loads(json.dumps(out)) == out


def test_a_problem_reads_as_one_english_line_with_its_place():
    assert str(problem()) == (
        "data/deals.csv, row 3, column amount: empty amount: this column is required "
        "(value 'abc'); fill in amount, or remove the row if it is not real"
    )
    assert str(problem(row=None, column=None, value=None)) == (
        "data/deals.csv: empty amount: this column is required; "
        "fill in amount, or remove the row if it is not real"
    )
    # A database table's row has no line: its key places it.
    assert str(problem(file="crm.deals", row=None, key="id=d017")) == (
        "crm.deals, id=d017, column amount: empty amount: this column is required "
        "(value 'abc'); fill in amount, or remove the row if it is not real"
    )


def test_a_data_error_lists_every_problem_on_its_own_line():
    first, second = problem(), problem(row=7, value=None)
    error = DataError([first, second])
    assert error.problems == [first, second]
    assert str(error) == f"the data cannot be used:\n- {first}\n- {second}"
