"""Evaluation errors in Russian: every kind of error a person can get is said in Russian from the
same error (its code and facts), with formulas, names and numbers as written; its `code` and
`cause` are the same in both languages."""

from __future__ import annotations

import re
from decimal import Decimal

from kpilang.evaluate.formulas import PersonInputs

from tests.evaluate.test_formulas import GRADUATED, NO_VALUE, engine_for, person

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
UNFILLED = re.compile(r"\{[A-Za-z_][A-Za-z_0-9]*\}")

KPI_ON_REVENUE = '''
kpi level = revenue
    target 1
    weight 100%
'''

CASES = [  # (plan body, inputs): together they give every code below
    (NO_VALUE, person(calls="0", meetings="3", revenue="1000")),
    (GRADUATED, person(revenue="10", targets={"revenue": "0"})),
    (GRADUATED, person(revenue="-10", targets={"revenue": "800000"})),
    (GRADUATED, person(revenue="10")),
    ("kpi speed = response\n    target 15m\n    weight 100%\n    lower is better\n", person(response="0")),
    ("kpi speed = response\n    target 15m\n    weight 100%\npay bonus = salary * kpi_score\n", person(response=None)),
    ("pay bonus = 10% * revenue\n    cap salary * 0\n    floor 100\n", person(revenue="5000")),
    (KPI_ON_REVENUE + "table holes { 0 to 1 : 1  2 to 3 : 2 }\npay bonus = salary * holes(kpi_score)\n",
     person(revenue="1.5")),
    ("table short graduated { below 100 : 3%  100 to 200 : 5% }\npay p = short(revenue)\n", person(revenue="300")),
    ("table overlap graduated { below 200 : 3%  from 100 : 5% }\npay p = overlap(revenue)\n", person(revenue="300")),
    (KPI_ON_REVENUE + "pay by_kpi = salary * level\npay by_pay = by_kpi + 1\n", PersonInputs(metrics={}, salary=Decimal(1))),
    ("pay fixed = salary\n", person(salary=None)),
    ('pay extra = if managers.team = "north" then 1000 else 0\n', PersonInputs(metrics={}, salary=Decimal(1), managers={})),
]

CODES = {
    "division_by_zero", "kpis_without_value", "score_without_value", "target_zero", "bad_base", "below_first_tier",
    "missing_target", "value_zero", "metric_without_value", "floor_above_cap", "no_band", "past_last_tier",
    "tiers_overlap", "metric_not_given", "kpi_without_value", "pay_without_value", "salary_empty",
    "manager_column_empty",
}


def _errors():
    for body, inputs in CASES:
        yield from engine_for(body).evaluate(inputs).errors


def test_every_kind_of_evaluation_error_is_said_in_russian():
    seen = set()
    for error in _errors():
        seen.add(error.code)
        english, russian = error.message.render("en"), error.message.render("ru")
        assert CYRILLIC.search(russian) and not UNFILLED.search(russian), (error.code, russian)
        assert russian != english and not CYRILLIC.search(english), (error.code, english)
        if error.help is not None:
            assert CYRILLIC.search(error.help.render("ru")), (error.code, error.help.render("ru"))
    assert CODES <= seen, CODES - seen


def test_formulas_names_and_numbers_are_kept_as_written():
    outcome = engine_for(NO_VALUE).evaluate(person(calls="0", meetings="3", revenue="1000"))
    rate = outcome.error_for("meeting_rate")
    assert rate.message.render("ru") == "деление на ноль: в выражении meetings / calls значение calls равно 0"
    assert rate.help.render("ru") == ("задайте для этого случая своё значение: `meetings / calls otherwise 0` "
                                      "(или другое число, верное, когда значение calls равно 0)")
    missing = engine_for(GRADUATED).evaluate(person(revenue="10")).error_for("plan_kpi")
    assert missing.message.render("ru") == "нет цели «revenue» для m1 на 2026-07"
    assert "manager_id=m1, period=2026-07, name=revenue" in missing.help.render("ru")
    response = engine_for(CASES[5][0]).evaluate(person(response=None)).error_for("speed")
    assert response.message.render("ru") == (
        "у метрики «response» нет значения для этого сотрудника в этом периоде (среднее по пустому набору строк)")


def test_a_part_of_a_pay_says_which_part_in_russian():
    outcome = engine_for("pay bonus = revenue\n    cap salary\n").evaluate(person(salary=None, revenue="5"))
    error = outcome.error_for("bonus")
    assert error.message.render("ru") == "у потолка нет значения: у этого сотрудника не заполнен оклад"
    assert error.message.render("en") == "the cap has no value: the salary is empty for this person"


def test_a_zero_base_is_written_as_russian_numbers_are():
    [error] = [e for e in engine_for(GRADUATED).evaluate(person(revenue="10", targets={"revenue": "0.00"})).errors
               if e.code == "bad_base"]
    assert "равна 0,00;" in error.message.render("ru")
    assert " 0.00;" in error.message.render("en")
