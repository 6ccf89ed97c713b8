"""Each kind of evaluation error `eval_errors.py` says, on small plans: its exact words in English
and in Russian, its help, its code and cause, the formula it names and the place in the plan it
points at (found here in the plan's text), and the errors of the other figures beside it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

import kpilang
from kpilang.bundled import rules_dir
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs
from tests.evaluate.test_formulas import HEADER, engine_for, person
from tests.evaluate.test_team import FIELDS

HUGE = Decimal("1E+999999")  # any product with it overflows the decimal context


def staff(**columns: object) -> PersonInputs:
    """m1 in 2026-07 with revenue 10, calls 2, meetings 1, salary 100 and these manager columns."""
    return PersonInputs(metrics={"revenue": Decimal(10), "calls": Decimal(2), "meetings": Decimal(1)},
                        salary=Decimal(100), managers=columns, person="m1", period="2026-07")


class Case(NamedTuple):
    id: str
    body: str
    inputs: PersonInputs
    subject: str
    code: str
    cause: str
    formula: str
    at: str  # the plan's line (stripped) with the span pointed at in brackets
    words: tuple[str, str, str | None, str | None]  # message in English, in Russian; help in both
    errors: list[tuple[str, str]]  # every error of the person: (subject, code), in order


def not_a_number(name: str, shown: str) -> tuple[str, str, str, str]:
    return (f"`managers.{name}` is {shown} for this person, not a number",
            f"в `managers.{name}` у этого сотрудника {shown}, а не число",
            f"the formula takes `managers.{name}` as a number: correct the value in managers, or the formula",
            f"формула считает `managers.{name}` числом: исправьте значение в managers или формулу")


def not_a_date(name: str, shown: str) -> tuple[str, str, str, str]:
    return (f"`managers.{name}` is {shown} for this person, not a date",
            f"в `managers.{name}` у этого сотрудника {shown}, а не дата",
            f"the formula compares `managers.{name}` with a date: correct the value in managers (a date such as"
            " 2024-03-01), or the formula",
            f"формула сравнивает `managers.{name}` с датой: исправьте значение в managers (дата вида 2024-03-01)"
            " или формулу")


INEXACT = ("this figure cannot be computed exactly (Overflow): a value is too large or invalid",
           "эту величину нельзя посчитать точно (Overflow): значение слишком велико или недопустимо",
           "check the data this formula reads for values out of the ordinary",
           "проверьте, нет ли необычных значений в данных, которые читает эта формула")

CASES = [
    Case(
        "metric_plain", "kpi k = revenue\n    target 100\n    weight 100%\n",
        person(revenue=None),
        "k", "metric_without_value", "no_value", "revenue", "kpi k = [revenue]",
        ("metric `revenue` has no value for this person in this period",
         "у метрики «revenue» нет значения для этого сотрудника в этом периоде",
         "say what counts when there is nothing to measure: `revenue otherwise …`",
         "укажите, что считать, когда измерять нечего: `revenue otherwise …`"),
        [("k", "metric_without_value"), ("kpi_score", "kpis_without_value")]),
    Case(
        "metric_avg", "kpi speed = response\n    target 15m\n    weight 100%\n    lower is better\n",
        person(response=None),
        "speed", "metric_without_value", "no_value", "response", "kpi speed = [response]",
        ("metric `response` has no value for this person in this period (the average of no rows)",
         "у метрики «response» нет значения для этого сотрудника в этом периоде (среднее по пустому набору строк)",
         "say what counts when there is nothing to measure: `response otherwise …`",
         "укажите, что считать, когда измерять нечего: `response otherwise …`"),
        [("speed", "metric_without_value"), ("kpi_score", "kpis_without_value")]),
    Case(
        "metric_min", "metric low = min(deals.amount)\nkpi k = low\n    target 100\n    weight 100%\n",
        person(low=None),
        "k", "metric_without_value", "no_value", "low", "kpi k = [low]",
        ("metric `low` has no value for this person in this period (the smallest value of no rows)",
         "у метрики «low» нет значения для этого сотрудника в этом периоде (наименьшее значение по пустому набору строк)",
         "say what counts when there is nothing to measure: `low otherwise …`",
         "укажите, что считать, когда измерять нечего: `low otherwise …`"),
        [("k", "metric_without_value"), ("kpi_score", "kpis_without_value")]),
    Case(
        "metric_max", "metric high = max(deals.amount)\nkpi k = high\n    target 100\n    weight 100%\n",
        person(high=None),
        "k", "metric_without_value", "no_value", "high", "kpi k = [high]",
        ("metric `high` has no value for this person in this period (the largest value of no rows)",
         "у метрики «high» нет значения для этого сотрудника в этом периоде (наибольшее значение по пустому набору строк)",
         "say what counts when there is nothing to measure: `high otherwise …`",
         "укажите, что считать, когда измерять нечего: `high otherwise …`"),
        [("k", "metric_without_value"), ("kpi_score", "kpis_without_value")]),
    Case(
        "metric_median", "metric mid = median(deals.amount)\nkpi k = mid\n    target 100\n    weight 100%\n",
        person(mid=None),
        "k", "metric_without_value", "no_value", "mid", "kpi k = [mid]",
        ("metric `mid` has no value for this person in this period (the median of no rows)",
         "у метрики «mid» нет значения для этого сотрудника в этом периоде (медиана по пустому набору строк)",
         "say what counts when there is nothing to measure: `mid otherwise …`",
         "укажите, что считать, когда измерять нечего: `mid otherwise …`"),
        [("k", "metric_without_value"), ("kpi_score", "kpis_without_value")]),
    Case(
        "metric_share", 'metric part = share(leads where status = "qualified")\nkpi k = part\n    target 50%\n    weight 100%\n',
        person(part=None),
        "k", "metric_without_value", "no_value", "part", "kpi k = [part]",
        ("metric `part` has no value for this person in this period (the share of no rows)",
         "у метрики «part» нет значения для этого сотрудника в этом периоде (доля по пустому набору строк)",
         "say what counts when there is nothing to measure: `part otherwise …`",
         "укажите, что считать, когда измерять нечего: `part otherwise …`"),
        [("k", "metric_without_value"), ("kpi_score", "kpis_without_value")]),
    Case(
        "metric_not_given", "kpi k = revenue\n    target 100\n    weight 100%\n",
        PersonInputs(metrics={}, salary=Decimal(1)),
        "k", "metric_not_given", "missing_input", "revenue", "kpi k = [revenue]",
        ("metric `revenue` was not given",
         "метрика «revenue» не задана",
         "compute `revenue` from the data, or in a test add `given revenue = …`",
         "посчитайте «revenue» по данным или в тесте добавьте `given revenue = …`"),
        [("k", "metric_not_given"), ("kpi_score", "kpis_without_value")]),
    Case(
        "salary_empty", "pay a = salary * 2\n",
        person(salary=None),
        "a", "salary_empty", "missing_input", "salary * 2", "pay a = [salary] * 2",
        ("the salary is empty for this person",
         "у этого сотрудника не заполнен оклад",
         "fill in `salary` in managers (or in a test, `given salary = …`)",
         "заполните `salary` в managers (или в тесте: `given salary = …`)"),
        [("a", "salary_empty")]),
    Case(
        "target_person_period", "kpi k = revenue\n    target targets.revenue\n    weight 100%\n",
        person(revenue="1"),
        "k", "missing_target", "missing_target", "targets.revenue", "target [targets.revenue]",
        ("no target `revenue` for m1 in 2026-07",
         "нет цели «revenue» для m1 на 2026-07",
         "add a row to targets: manager_id=m1, period=2026-07, name=revenue, value=… (or in a test, `given targets.revenue = …`)",
         "добавьте строку в targets: manager_id=m1, period=2026-07, name=revenue, value=… (или в тесте: `given targets.revenue = …`)"),
        [("k", "missing_target"), ("kpi_score", "kpis_without_value")]),
    Case(
        "target_person", "kpi k = revenue\n    target targets.revenue\n    weight 100%\n",
        PersonInputs(metrics={"revenue": Decimal(1)}, salary=Decimal(1), person="m1"),
        "k", "missing_target", "missing_target", "targets.revenue", "target [targets.revenue]",
        ("no target `revenue` for m1",
         "нет цели «revenue» для m1",
         "add a row to targets: manager_id=m1, period=…, name=revenue, value=… (or in a test, `given targets.revenue = …`)",
         "добавьте строку в targets: manager_id=m1, period=…, name=revenue, value=… (или в тесте: `given targets.revenue = …`)"),
        [("k", "missing_target"), ("kpi_score", "kpis_without_value")]),
    Case(
        "target_period", "kpi k = revenue\n    target targets.revenue\n    weight 100%\n",
        PersonInputs(metrics={"revenue": Decimal(1)}, salary=Decimal(1), period="2026-07"),
        "k", "missing_target", "missing_target", "targets.revenue", "target [targets.revenue]",
        ("no target `revenue` in 2026-07",
         "нет цели «revenue» на 2026-07",
         "add a row to targets: manager_id=…, period=2026-07, name=revenue, value=… (or in a test, `given targets.revenue = …`)",
         "добавьте строку в targets: manager_id=…, period=2026-07, name=revenue, value=… (или в тесте: `given targets.revenue = …`)"),
        [("k", "missing_target"), ("kpi_score", "kpis_without_value")]),
    Case(
        "target_neither", "kpi k = revenue\n    target targets.revenue\n    weight 100%\n",
        PersonInputs(metrics={"revenue": Decimal(1)}, salary=Decimal(1)),
        "k", "missing_target", "missing_target", "targets.revenue", "target [targets.revenue]",
        ("no target `revenue`",
         "нет цели «revenue»",
         "add a row to targets: manager_id=…, period=…, name=revenue, value=… (or in a test, `given targets.revenue = …`)",
         "добавьте строку в targets: manager_id=…, period=…, name=revenue, value=… (или в тесте: `given targets.revenue = …`)"),
        [("k", "missing_target"), ("kpi_score", "kpis_without_value")]),
    Case(
        "manager_column_empty", "pay a = salary + managers.bonus\n",
        staff(bonus=None),
        "a", "manager_column_empty", "missing_input", "salary + managers.bonus", "pay a = salary + [managers.bonus]",
        ("`managers.bonus` is empty for this person",
         "у этого сотрудника не заполнено `managers.bonus`",
         "fill in the column in managers (or in a test, `given managers.bonus = …`)",
         "заполните столбец в managers (или в тесте: `given managers.bonus = …`)"),
        [("a", "manager_column_empty")]),
    Case(
        "no_kpis", "pay a = salary * kpi_score\n",
        person(),
        "a", "no_kpis", "no_value", "salary * kpi_score", "pay a = salary * [kpi_score]",
        ("the plan has no KPIs, so there is no kpi_score",
         "в плане нет KPI, поэтому нет и kpi_score",
         "declare KPIs, or do not use kpi_score",
         "объявите KPI или не используйте kpi_score"),
        [("a", "no_kpis")]),
    Case(
        "score_one", "kpi k = revenue\n    target 100\n    weight 100%\npay a = salary * kpi_score\n",
        person(revenue=None),
        "kpi_score", "kpis_without_value", "no_value", "100% × k", "kpi [k] = revenue",
        ("kpi_score has no value: KPI `k` has none (see its error)",
         "у kpi_score нет значения: его нет у KPI `k` (см. ошибку этого KPI)",
         "fix what keeps `k` from being computed",
         "устраните то, что мешает посчитать `k`"),
        [("k", "metric_without_value"), ("kpi_score", "kpis_without_value"), ("a", "score_without_value")]),
    Case(
        "score_without_value", "kpi k = revenue\n    target 100\n    weight 100%\npay a = salary * kpi_score\n",
        person(revenue=None),
        "a", "score_without_value", "no_value", "salary * kpi_score", "pay a = salary * [kpi_score]",
        ("kpi_score has no value (see its error)",
         "у kpi_score нет значения (см. его ошибку)",
         "fix what keeps the KPIs from being computed",
         "устраните то, что мешает посчитать KPI"),
        [("k", "metric_without_value"), ("kpi_score", "kpis_without_value"), ("a", "score_without_value")]),
    Case(
        "score_many", "kpi k = revenue\n    target 100\n    weight 40%\nkpi j = calls\n    target 10\n    weight 20%\nkpi l = revenue\n    target 10\n    weight 40%\n",
        person(revenue=None, calls="1"),
        "kpi_score", "kpis_without_value", "no_value", "40% × k + 20% × j + 40% × l", "kpi [k] = revenue",
        ("kpi_score has no value: KPIs `k`, `l` have none (see their errors)",
         "у kpi_score нет значения: его нет у KPI `k`, `l` (см. их ошибки)",
         "fix what keeps `k`, `l` from being computed",
         "устраните то, что мешает посчитать `k`, `l`"),
        [("k", "metric_without_value"), ("l", "metric_without_value"), ("kpi_score", "kpis_without_value")]),
    Case(
        "kpi_without_value", "kpi k = revenue\n    target 100\n    weight 100%\npay a = salary * k\n",
        person(revenue=None),
        "a", "kpi_without_value", "no_value", "salary * k", "pay a = salary * [k]",
        ("KPI `k` has no value (see its error)",
         "у KPI «k» нет значения (см. его ошибку)",
         "fix what keeps `k` from being computed",
         "устраните то, что мешает посчитать «k»"),
        [("k", "metric_without_value"), ("a", "kpi_without_value"), ("kpi_score", "kpis_without_value")]),
    Case(
        "pay_without_value", "pay a = salary * 2\npay b = a + 1\n",
        person(salary=None),
        "b", "pay_without_value", "no_value", "a + 1", "pay b = [a] + 1",
        ("pay `a` has no value (see its error)",
         "у выплаты «a» нет значения (см. её ошибку)",
         "fix what keeps `a` from being computed",
         "устраните то, что мешает посчитать «a»"),
        [("a", "salary_empty"), ("b", "pay_without_value")]),
    Case(
        "value_zero", "kpi speed = response\n    target 15m\n    weight 100%\n    lower is better\n",
        person(response="0"),
        "speed", "value_zero", "division_by_zero", "response", "kpi speed = [response]",
        ("division by zero: the value of `speed` is 0, and a `lower is better` KPI's attainment is target / value (900 / 0)",
         "деление на ноль: значение «speed» равно 0, а выполнение KPI с `lower is better` считается как цель / значение (900 / 0)",
         "a lower-is-better KPI needs a value above 0; if 0 is possible, measure something that cannot be 0",
         "KPI с `lower is better` нужно значение больше 0; если возможен 0, измеряйте то, что не может быть нулём"),
        [("speed", "value_zero"), ("kpi_score", "kpis_without_value")]),
    Case(
        "target_zero", "kpi k = revenue\n    target targets.revenue\n    weight 100%\n",
        person(revenue="1", targets={"revenue": "0"}),
        "k", "target_zero", "division_by_zero", "targets.revenue", "target [targets.revenue]",
        ("division by zero: the target of `k` is 0, so its attainment (value / target) cannot be computed",
         "деление на ноль: цель «k» равна 0, поэтому выполнение (значение / цель) посчитать нельзя",
         "a target must be above 0; check the target for this person and period",
         "цель должна быть больше 0; проверьте цель этого сотрудника на этот период"),
        [("k", "target_zero"), ("kpi_score", "kpis_without_value")]),
    Case(
        "part_target", "kpi k = calls\n    target meetings * 2\n    weight 100%\n",
        person(calls="3", meetings=None),
        "k", "metric_without_value", "no_value", "meetings * 2", "target [meetings] * 2",
        ("the target has no value: metric `meetings` has no value for this person in this period",
         "у цели нет значения: у метрики «meetings» нет значения для этого сотрудника в этом периоде",
         "say what counts when there is nothing to measure: `meetings otherwise …`",
         "укажите, что считать, когда измерять нечего: `meetings otherwise …`"),
        [("k", "metric_without_value"), ("kpi_score", "kpis_without_value")]),
    Case(
        "no_value_lookback", "kpi g = revenue\n    target previous(revenue, 1)\n    weight 100%\n",
        person(revenue="5"),
        "g", "no_value", "no_value", "previous(revenue, 1)", "target [previous(revenue, 1)]",
        ("the target has no value: `previous(revenue, 1)` has no value",
         "у цели нет значения: у выражения `previous(revenue, 1)` нет значения",
         None,
         None),
        [("g", "no_value"), ("kpi_score", "kpis_without_value")]),
    Case(
        "part_cap", "pay a = revenue\n    cap salary\n",
        person(revenue="1", salary=None),
        "a", "salary_empty", "missing_input", "salary", "cap [salary]",
        ("the cap has no value: the salary is empty for this person",
         "у потолка нет значения: у этого сотрудника не заполнен оклад",
         "fill in `salary` in managers (or in a test, `given salary = …`)",
         "заполните `salary` в managers (или в тесте: `given salary = …`)"),
        [("a", "salary_empty")]),
    Case(
        "part_floor", "pay a = revenue\n    floor salary\n",
        person(revenue="1", salary=None),
        "a", "salary_empty", "missing_input", "salary", "floor [salary]",
        ("the floor has no value: the salary is empty for this person",
         "у нижней границы нет значения: у этого сотрудника не заполнен оклад",
         "fill in `salary` in managers (or in a test, `given salary = …`)",
         "заполните `salary` в managers (или в тесте: `given salary = …`)"),
        [("a", "salary_empty")]),
    Case(
        "floor_above_cap", "pay a = 10% * revenue\n    cap salary * 0\n    floor 100\n",
        person(revenue="5000"),
        "a", "floor_above_cap", "floor_above_cap", "100", "[floor 100]",
        ("the floor of `a` (100 = 100) is above its cap (salary * 0 = 0): no amount satisfies both",
         "нижняя граница (floor) «a» (100 = 100) выше потолка (salary * 0 = 0): ни одна сумма не удовлетворяет обоим условиям",
         "make the floor lower than the cap for everyone, e.g. with `min(…)` in the floor",
         "сделайте нижнюю границу ниже потолка для всех, например с помощью `min(…)` в `floor`"),
        [("a", "floor_above_cap")]),
    Case(
        "not_a_number_expr", "pay a = managers.k\n",
        staff(k="x"),
        "a", "manager_column_not_a_number", "arithmetic", "managers.k", "pay a = [managers.k]",
        not_a_number("k", "«x»"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "not_a_number_target", "kpi k = revenue\n    target managers.quota\n    weight 100%\n",
        staff(quota=date(2024, 3, 1)),
        "k", "manager_column_not_a_number", "arithmetic", "managers.quota", "target [managers.quota]",
        not_a_number("quota", "2024-03-01"),
        [("k", "manager_column_not_a_number"), ("kpi_score", "kpis_without_value")]),
    Case(
        "not_a_number_cap", "pay a = revenue\n    cap managers.c\n    floor 1\n",
        staff(c=True),
        "a", "manager_column_not_a_number", "arithmetic", "managers.c", "cap [managers.c]",
        not_a_number("c", "true"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "not_a_number_floor", "pay a = revenue\n    cap 100\n    floor managers.f\n",
        staff(f=False),
        "a", "manager_column_not_a_number", "arithmetic", "managers.f", "floor [managers.f]",
        not_a_number("f", "false"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "type_kpi_expr", "kpi k = revenue * managers.r\n    target 100\n    weight 100%\n",
        staff(r="x"),
        "k", "manager_column_not_a_number", "arithmetic", "revenue * managers.r", "kpi k = revenue * [managers.r]",
        not_a_number("r", "«x»"),
        [("k", "manager_column_not_a_number"), ("kpi_score", "kpis_without_value")]),
    Case(
        "type_kpi_target", "kpi k = revenue\n    target managers.q * 2\n    weight 100%\n",
        staff(q="x"),
        "k", "manager_column_not_a_number", "arithmetic", "managers.q * 2", "target [managers.q] * 2",
        not_a_number("q", "«x»"),
        [("k", "manager_column_not_a_number"), ("kpi_score", "kpis_without_value")]),
    Case(
        "type_pay_expr", "pay a = revenue * managers.r\n    cap 100\n    floor 1\n",
        staff(r="x"),
        "a", "manager_column_not_a_number", "arithmetic", "revenue * managers.r", "pay a = revenue * [managers.r]",
        not_a_number("r", "«x»"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "type_pay_cap", "pay a = revenue\n    cap managers.c * 2\n    floor 1\n",
        staff(c="x"),
        "a", "manager_column_not_a_number", "arithmetic", "managers.c * 2", "cap [managers.c] * 2",
        not_a_number("c", "«x»"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "type_pay_floor", "pay a = revenue\n    cap 100\n    floor managers.f * 2\n",
        staff(f="x"),
        "a", "manager_column_not_a_number", "arithmetic", "managers.f * 2", "floor [managers.f] * 2",
        not_a_number("f", "«x»"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "type_pay_floor_no_cap", "pay a = revenue\n    floor managers.f * 2\n",
        staff(f="x"),
        "a", "manager_column_not_a_number", "arithmetic", "managers.f * 2", "floor [managers.f] * 2",
        not_a_number("f", "«x»"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "inexact_kpi_expr", "kpi k = revenue * managers.k\n    target 100\n    weight 100%\n",
        staff(k=HUGE),
        "k", "inexact", "arithmetic", "revenue * managers.k", "kpi k = [revenue * managers.k]",
        INEXACT,
        [("k", "inexact"), ("kpi_score", "kpis_without_value")]),
    Case(
        "inexact_kpi_target", "kpi k = revenue\n    target managers.k * salary\n    weight 100%\n",
        staff(k=HUGE),
        "k", "inexact", "arithmetic", "managers.k * salary", "target [managers.k * salary]",
        INEXACT,
        [("k", "inexact"), ("kpi_score", "kpis_without_value")]),
    Case(
        "inexact_pay_expr", "pay a = salary * managers.k\n    cap 100\n    floor 1\n",
        staff(k=HUGE),
        "a", "inexact", "arithmetic", "salary * managers.k", "pay a = [salary * managers.k]",
        INEXACT,
        [("a", "inexact")]),
    Case(
        "inexact_pay_cap", "pay a = revenue\n    cap salary * managers.k\n    floor 1\n",
        staff(k=HUGE),
        "a", "inexact", "arithmetic", "salary * managers.k", "cap [salary * managers.k]",
        INEXACT,
        [("a", "inexact")]),
    Case(
        "inexact_pay_floor", "pay a = revenue\n    cap salary\n    floor salary * managers.k\n",
        staff(k=HUGE),
        "a", "inexact", "arithmetic", "salary * managers.k", "floor [salary * managers.k]",
        INEXACT,
        [("a", "inexact")]),
    Case(
        "incompatible", "pay a = if managers.x > managers.y then salary else 0\n",
        staff(x=Decimal(3), y=date(2025, 1, 1)),
        "a", "incompatible_values", "arithmetic", "if managers.x > managers.y then salary else 0", "pay a = [if managers.x > managers.y then salary else 0]",
        ("values of kinds that do not combine: '>' not supported between instances of 'decimal.Decimal' and 'datetime.date'",
         "значения несовместимых видов: '>' not supported between instances of 'decimal.Decimal' and 'datetime.date'",
         "check the data this formula reads for values out of the ordinary",
         "проверьте, нет ли необычных значений в данных, которые читает эта формула"),
        [("a", "incompatible_values")]),
    Case(
        "number_compared_with_a_date", "pay a = if managers.x > 2025-01-01 then salary else 0\n",
        staff(x=Decimal(3)),
        "a", "manager_column_not_a_date", "arithmetic", "if managers.x > 2025-01-01 then salary else 0", "pay a = if [managers.x] > 2025-01-01 then salary else 0",
        not_a_date("x", "«3»"),
        [("a", "manager_column_not_a_date")]),
    Case(
        "lookup_no_band", "kpi k = revenue\n    target 1\n    weight 100%\ntable holes { 0 to 1 : 1  2 to 3 : 2 }\npay a = salary * holes(kpi_score)\n",
        person(revenue="1.5"),
        "a", "no_band", "no_band", "salary * holes(kpi_score)", "pay a = salary * [holes(kpi_score)]",
        ("holes(kpi_score): 1.5 falls in no band of table `holes` (its bands: 0 to 1, 2 to 3)",
         "holes(kpi_score): 1,5 не попадает ни в один диапазон таблицы «holes» (её диапазоны: 0 to 1, 2 to 3)",
         "add a band to `holes` that holds 1.5, for example `below …` or `from …`, so that every possible value has a result",
         "добавьте в «holes» диапазон, в который попадает 1,5, например `below …` или `from …`, чтобы у любого значения был результат"),
        [("a", "no_band")]),
    Case(
        "shown_true", "pay a = if managers.vip > 2025-01-01 then salary else 0\n",
        staff(vip=True),
        "a", "manager_column_not_a_date", "arithmetic", "if managers.vip > 2025-01-01 then salary else 0", "pay a = if [managers.vip] > 2025-01-01 then salary else 0",
        not_a_date("vip", "true"),
        [("a", "manager_column_not_a_date")]),
    Case(
        "shown_false", "pay a = if managers.vip > 2025-01-01 then salary else 0\n",
        staff(vip=False),
        "a", "manager_column_not_a_date", "arithmetic", "if managers.vip > 2025-01-01 then salary else 0", "pay a = if [managers.vip] > 2025-01-01 then salary else 0",
        not_a_date("vip", "false"),
        [("a", "manager_column_not_a_date")]),
    Case(
        "shown_datetime", "pay a = if managers.start < 2025-01-01 then salary else 0\n",
        staff(start=datetime(2024, 1, 1, 10, 30)),
        "a", "manager_column_not_a_date", "arithmetic", "if managers.start < 2025-01-01 then salary else 0", "pay a = if [managers.start] < 2025-01-01 then salary else 0",
        not_a_date("start", "2024-01-01T10:30:00"),
        [("a", "manager_column_not_a_date")]),
    Case(
        "order_bool_value_first", "pay a = salary * (managers.vip + managers.start)\n",
        staff(vip=True, start=date(2024, 1, 1)),
        "a", "manager_column_not_a_number", "arithmetic", "salary * (managers.vip + managers.start)", "pay a = salary * ([managers.vip] + managers.start)",
        not_a_number("vip", "true"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_decimal_skipped", "pay a = salary * managers.base * managers.start\n",
        staff(base=Decimal(2), start=date(2024, 1, 1)),
        "a", "manager_column_not_a_number", "arithmetic", "salary * managers.base * managers.start", "pay a = salary * managers.base * [managers.start]",
        not_a_number("start", "2024-01-01"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_if_cond", "pay a = if managers.start then managers.region * salary else 0\n",
        staff(start=date(2024, 1, 1), region="south"),
        "a", "manager_column_not_a_number", "arithmetic", "if managers.start then managers.region * salary else 0", "pay a = if managers.start then [managers.region] * salary else 0",
        not_a_number("region", "«south»"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_if_cond_only", "pay a = if managers.start > 3 then salary else 0\n",
        staff(start=date(2024, 1, 1)),
        "a", "manager_column_not_a_number", "arithmetic", "if managers.start > 3 then salary else 0", "pay a = if [managers.start] > 3 then salary else 0",
        not_a_number("start", "2024-01-01"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_and_bool_skipped", "pay a = if managers.vip and managers.start > 3 then salary else 0\n",
        staff(vip=True, start=date(2024, 1, 1)),
        "a", "manager_column_not_a_number", "arithmetic", "if managers.vip and managers.start > 3 then salary else 0", "pay a = if managers.vip and [managers.start] > 3 then salary else 0",
        not_a_number("start", "2024-01-01"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_and_right_bool_skipped", "pay a = if (managers.a or managers.vip) and managers.start > 3 then salary else 0\n",
        staff(a=False, vip=True, start=date(2024, 1, 1)),
        "a", "manager_column_not_a_number", "arithmetic", "if (managers.a or managers.vip) and managers.start > 3 then salary else 0", "pay a = if (managers.a or managers.vip) and [managers.start] > 3 then salary else 0",
        not_a_number("start", "2024-01-01"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_not_bool_skipped", "pay a = if not managers.vip and managers.start > 3 then salary else 0\n",
        staff(vip=False, start=date(2024, 1, 1)),
        "a", "manager_column_not_a_number", "arithmetic", "if not managers.vip and managers.start > 3 then salary else 0", "pay a = if not managers.vip and [managers.start] > 3 then salary else 0",
        not_a_number("start", "2024-01-01"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_and_left", "pay a = if managers.start and managers.vip then managers.region * salary else 0\n",
        staff(vip=True, start=date(2024, 1, 1), region="south"),
        "a", "manager_column_not_a_number", "arithmetic", "if managers.start and managers.vip then managers.region * salary else 0", "pay a = if managers.start and managers.vip then [managers.region] * salary else 0",
        not_a_number("region", "«south»"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_and_right", "pay a = if managers.vip and managers.start then managers.region * salary else 0\n",
        staff(vip=True, start=date(2024, 1, 1), region="south"),
        "a", "manager_column_not_a_number", "arithmetic", "if managers.vip and managers.start then managers.region * salary else 0", "pay a = if managers.vip and managers.start then [managers.region] * salary else 0",
        not_a_number("region", "«south»"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_not", "pay a = if not managers.start then 0 else managers.region * salary\n",
        staff(start=date(2024, 1, 1), region="south"),
        "a", "manager_column_not_a_number", "arithmetic", "if not managers.start then 0 else managers.region * salary", "pay a = if not managers.start then 0 else [managers.region] * salary",
        not_a_number("region", "«south»"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_else", "pay a = if managers.vip then 0 else managers.start * salary\n",
        staff(vip=False, start=date(2024, 1, 1)),
        "a", "manager_column_not_a_number", "arithmetic", "if managers.vip then 0 else managers.start * salary", "pay a = if managers.vip then 0 else [managers.start] * salary",
        not_a_number("start", "2024-01-01"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_nested_then", "pay a = if (if managers.vip then managers.start else 0) > 1 then managers.region * salary else 0\n",
        staff(vip=True, start=date(2024, 1, 1), region="south"),
        "a", "manager_column_not_a_number", "arithmetic", "if (if managers.vip then managers.start else 0) > 1 then managers.region * salary else 0", "pay a = if (if managers.vip then managers.start else 0) > 1 then [managers.region] * salary else 0",
        not_a_number("region", "«south»"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_nested_else", "pay a = if (if managers.vip then 0 else managers.start) > 1 then managers.region * salary else 0\n",
        staff(vip=False, start=date(2024, 1, 1), region="south"),
        "a", "manager_column_not_a_number", "arithmetic", "if (if managers.vip then 0 else managers.start) > 1 then managers.region * salary else 0", "pay a = if (if managers.vip then 0 else managers.start) > 1 then [managers.region] * salary else 0",
        not_a_number("region", "«south»"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "metric_of_aggregates", "metric per_deal = sum(deals.amount) / count(deals)\nkpi k = per_deal\n    target 100\n    weight 100%\n",
        person(per_deal=None),
        "k", "metric_without_value", "no_value", "per_deal", "kpi k = [per_deal]",
        ("metric `per_deal` has no value for this person in this period",
         "у метрики «per_deal» нет значения для этого сотрудника в этом периоде",
         "say what counts when there is nothing to measure: `per_deal otherwise …`",
         "укажите, что считать, когда измерять нечего: `per_deal otherwise …`"),
        [("k", "metric_without_value"), ("kpi_score", "kpis_without_value")]),
    Case(
        "order_bool_cond_before_nested_condition", "pay a = if managers.vip then (if managers.start > 3 then salary else 0) else 0\n",
        staff(vip=True, start=date(2024, 1, 1)),
        "a", "manager_column_not_a_number", "arithmetic", "if managers.vip then (if managers.start > 3 then salary else 0) else 0", "pay a = if managers.vip then (if [managers.start] > 3 then salary else 0) else 0",
        not_a_number("start", "2024-01-01"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "order_and_left_culprit", "pay a = if managers.start > 3 and managers.vip then salary else 0\n",
        staff(vip=True, start=date(2024, 1, 1)),
        "a", "manager_column_not_a_number", "arithmetic", "if managers.start > 3 and managers.vip then salary else 0", "pay a = if [managers.start] > 3 and managers.vip then salary else 0",
        not_a_number("start", "2024-01-01"),
        [("a", "manager_column_not_a_number")]),
    Case(
        "table_looked_up_beside_no_value", "kpi k = revenue\n    target 10\n    weight 100%\ntable mult { below 100% : 1  from 100% : 2 }\npay a = salary * mult(kpi_score) + managers.bonus\n",
        staff(bonus=None),
        "a", "manager_column_empty", "missing_input", "salary * mult(kpi_score) + managers.bonus", "pay a = salary * mult(kpi_score) + [managers.bonus]",
        ("`managers.bonus` is empty for this person",
         "у этого сотрудника не заполнено `managers.bonus`",
         "fill in the column in managers (or in a test, `given managers.bonus = …`)",
         "заполните столбец в managers (или в тесте: `given managers.bonus = …`)"),
        [("a", "manager_column_empty")]),
    Case(
        "order_not_culprit", "pay a = if not (managers.start > 3) then salary else 0\n",
        staff(start=date(2024, 1, 1)),
        "a", "manager_column_not_a_number", "arithmetic", "if not (managers.start > 3) then salary else 0", "pay a = if not ([managers.start] > 3) then salary else 0",
        not_a_number("start", "2024-01-01"),
        [("a", "manager_column_not_a_number")]),
]


def place(source: str, at: str) -> tuple[int, int, int, int]:
    """(line, column, end line, end column) of the bracketed part of `at` in `source`, 1-based."""
    plain = at.replace("[", "").replace("]", "")
    lines = [n for n, line in enumerate(source.split("\n"), start=1) if line.strip() == plain]
    assert len(lines) == 1, (at, lines)
    indent = len(source.split("\n")[lines[0] - 1]) - len(plain)
    start = indent + at.index("[") + 1
    return lines[0], start, lines[0], start + at.index("]") - at.index("[") - 1


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_kind_of_error_in_its_words_and_place(case):
    outcome = engine_for(case.body).evaluate(case.inputs)
    assert [(e.subject, e.code) for e in outcome.errors] == case.errors
    [error] = [e for e in outcome.errors if e.subject == case.subject]
    assert (error.code, error.cause, error.formula) == (case.code, case.cause, case.formula)
    assert (error.message.render("en"), error.message.render("ru")) == case.words[:2]
    assert (error.help and error.help.render("en"), error.help and error.help.render("ru")) == case.words[2:]
    assert (error.file, error.line, error.column, error.end_line, error.end_column) == (
        "plan.kpi", *place(HEADER + case.body, case.at))


def test_a_team_figure_without_value_sends_the_reader_to_the_members(tmp_path: Path):
    text = (f'import members "{rules_dir() / "cold_sales.kpi"}"\n\nplan head "H" {{\n{FIELDS}}}\n\n'
            "metric avg_score = avg(members.kpi_score)\n"
            "kpi k = avg_score\n    target 1\n    weight 100%\npay total = salary\n")
    (tmp_path / "head.kpi").write_text(text, encoding="utf-8")
    loaded = kpilang.load(tmp_path / "head.kpi")
    assert loaded.program is not None, [str(d.message) for d in loaded.diagnostics]
    outcome = FormulaEngine(loaded.program).evaluate(
        PersonInputs(metrics={"avg_score": None}, salary=Decimal(1), person="h1", period="2026-07"))
    assert [(e.subject, e.code) for e in outcome.errors] == [
        ("k", "metric_without_value"), ("kpi_score", "kpis_without_value")]
    error = outcome.error_for("k")
    assert (error.code, error.cause, error.formula) == ("metric_without_value", "no_value", "avg_score")
    assert (error.line, error.column, error.end_line, error.end_column) == place(text, "kpi k = [avg_score]")
    assert error.message.render("en") == (
        "team figure `avg_score` has no value: a member could not be read (see the error naming them), "
        "or there was no member to count")
    assert error.help.render("en") == (
        "fix what the members' error says; for a team without members, say what counts: `avg_score otherwise …`")
    assert error.message.render("ru") == (
        "у показателя команды «avg_score» нет значения: кого-то из сотрудников не прочитать "
        "(см. ошибку с его именем) или учесть было некого")
    assert error.help.render("ru") == (
        "исправьте то, что говорит ошибка о сотрудниках; для команды без сотрудников задайте значение: "
        "`avg_score otherwise …`")
