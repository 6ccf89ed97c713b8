"""Why a pay has no value when the figure without one sits inside each construct of the language:
the reference evaluator (`no_value.py`) walks unary minus, arithmetic, comparisons, and/or/not,
if/then/else, `otherwise`, in-lists, durations, min/max/round and table calls, on the left and on the
right, and must name the same figure the person's statement names. Each case says, worked out by
hand, which figure that is: its exact words in English and Russian, its help and its place in the
plan. Where the formula's other parts have values, they decide which branch is taken (and so which
reason is given), so a wrong value computed on the way shows as a wrong reason."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

import pytest

from kpilang.evaluate.formulas import PersonInputs
from tests.evaluate.test_formulas import HEADER, engine_for, person

# avg_deal: an average, so it has no value when there are no deals.
METRICS = "metric avg_deal = avg(deals.amount)\n"
TABLE = "table factor {\n    below 5   : 0\n    from 5    : 2\n}\n"


class Case(NamedTuple):
    id: str
    pay: str  # the formula of `pay a`
    inputs: PersonInputs
    code: str
    cause: str
    at: str  # the pay's line with the span pointed at in ⟨⟩
    words: tuple[str, str, str | None, str | None]  # message in English, in Russian; help in both


def figures(salary: str | None = "100", **metrics: str | None) -> PersonInputs:
    """revenue 10, calls 2, meetings 1, response 20 minutes, avg_deal 4, salary 100, unless told."""
    given = {"revenue": "10", "calls": "2", "meetings": "1", "response": "1200", "avg_deal": "4"} | metrics
    return person(salary=salary, **given)


def avg_deal_missing() -> tuple[str, str, str, str]:
    return ("metric `avg_deal` has no value for this person in this period (the average of no rows)",
            "у метрики «avg_deal» нет значения для этого сотрудника в этом периоде (среднее по пустому набору строк)",
            "say what counts when there is nothing to measure: `avg_deal otherwise …`",
            "укажите, что считать, когда измерять нечего: `avg_deal otherwise …`")


def response_missing() -> tuple[str, str, str, str]:
    return ("metric `response` has no value for this person in this period (the average of no rows)",
            "у метрики «response» нет значения для этого сотрудника в этом периоде (среднее по пустому набору строк)",
            "say what counts when there is nothing to measure: `response otherwise …`",
            "укажите, что считать, когда измерять нечего: `response otherwise …`")


def salary_missing() -> tuple[str, str, str, str]:
    return ("the salary is empty for this person",
            "у этого сотрудника не заполнен оклад",
            "fill in `salary` in managers (or in a test, `given salary = …`)",
            "заполните `salary` в managers (или в тесте: `given salary = …`)")


def division(divisor: str, whole: str) -> tuple[str, str, str, str]:
    return (f"division by zero: {divisor} is 0 in {whole}",
            f"деление на ноль: в выражении {whole} значение {divisor} равно 0",
            f"give the case a value of its own: `{whole} otherwise 0` (or another figure that is right when {divisor} is 0)",
            f"задайте для этого случая своё значение: `{whole} otherwise 0` (или другое число, верное, когда значение {divisor} равно 0)")


NO_ROWS = ("metric_without_value", "no_value")
SALARY = ("salary_empty", "missing_input")
ZERO = ("division_by_zero", "division_by_zero")

CASES = [
    # unary minus: of a figure without value; of a value that decides the branch (-10 < 0)
    Case("neg_of_no_value", "salary + -avg_deal", figures(avg_deal=None), *NO_ROWS,
         "pay a = salary + -⟨avg_deal⟩", avg_deal_missing()),
    Case("neg_decides", "if -revenue < 0 then salary * meetings / calls else 0", figures(calls="0"), *ZERO,
         "pay a = if -revenue < 0 then ⟨salary * meetings / calls⟩ else 0",
         division("calls", "salary * meetings / calls")),
    # arithmetic: each operator computes the divisor that turns out to be 0
    Case("plus_minus", "salary / (calls + meetings - 3)", figures(), *ZERO,
         "pay a = ⟨salary / (calls + meetings - 3)⟩",
         division("calls + meetings - 3", "salary / (calls + meetings - 3)")),
    Case("minus_times", "salary / (calls - meetings * 2)", figures(), *ZERO,
         "pay a = ⟨salary / (calls - meetings * 2)⟩",
         division("calls - meetings * 2", "salary / (calls - meetings * 2)")),
    Case("divide_minus", "salary / (calls / 2 - meetings)", figures(), *ZERO,
         "pay a = ⟨salary / (calls / 2 - meetings)⟩",
         division("calls / 2 - meetings", "salary / (calls / 2 - meetings)")),
    Case("left_of_plus", "avg_deal + salary", figures(avg_deal=None), *NO_ROWS,
         "pay a = ⟨avg_deal⟩ + salary", avg_deal_missing()),
    Case("right_of_times", "meetings * avg_deal", figures(avg_deal=None), *NO_ROWS,
         "pay a = meetings * ⟨avg_deal⟩", avg_deal_missing()),
    Case("right_of_divide", "salary * (revenue / avg_deal)", figures(avg_deal=None), *NO_ROWS,
         "pay a = salary * (revenue / ⟨avg_deal⟩)", avg_deal_missing()),
    # comparisons: either side without value; durations compared with a metric in seconds
    Case("compare_left", "if avg_deal > 1 then 1 else 2", figures(avg_deal=None), *NO_ROWS,
         "pay a = if ⟨avg_deal⟩ > 1 then 1 else 2", avg_deal_missing()),
    Case("compare_right", "if revenue > avg_deal then 1 else 2", figures(avg_deal=None), *NO_ROWS,
         "pay a = if revenue > ⟨avg_deal⟩ then 1 else 2", avg_deal_missing()),
    Case("duration_then", "if response > 15m then revenue / (calls - 2) else salary", figures(), *ZERO,
         "pay a = if response > 15m then ⟨revenue / (calls - 2)⟩ else salary",
         division("calls - 2", "revenue / (calls - 2)")),
    Case("duration_else", "if response > 30m then revenue / (calls - 2) else salary", figures(salary=None),
         *SALARY, "pay a = if response > 30m then revenue / (calls - 2) else ⟨salary⟩", salary_missing()),
    Case("duration_no_value", "if response > 15m then 1 else 2", figures(response=None), *NO_ROWS,
         "pay a = if ⟨response⟩ > 15m then 1 else 2", response_missing()),
    # not: of a value (not False → then) and of a figure without value
    Case("not_decides", "if not (revenue > 100) then salary * meetings / calls else 0", figures(calls="0"),
         *ZERO, "pay a = if not (revenue > 100) then ⟨salary * meetings / calls⟩ else 0",
         division("calls", "salary * meetings / calls")),
    Case("not_of_no_value", "if not (avg_deal > 1) then 1 else 2", figures(avg_deal=None), *NO_ROWS,
         "pay a = if not (⟨avg_deal⟩ > 1) then 1 else 2", avg_deal_missing()),
    # and/or: the right side is read only when the left does not decide
    Case("and_false_stops", "if revenue > 100 and meetings / calls > 1 then 1 else salary",
         figures(calls="0", salary=None), *SALARY,
         "pay a = if revenue > 100 and meetings / calls > 1 then 1 else ⟨salary⟩", salary_missing()),
    Case("and_true_goes_on", "if revenue > 5 and avg_deal > 1 then 1 else 0", figures(avg_deal=None), *NO_ROWS,
         "pay a = if revenue > 5 and ⟨avg_deal⟩ > 1 then 1 else 0", avg_deal_missing()),
    Case("or_true_stops", "if revenue > 5 or meetings / calls > 1 then salary else 0",
         figures(calls="0", salary=None), *SALARY,
         "pay a = if revenue > 5 or meetings / calls > 1 then ⟨salary⟩ else 0", salary_missing()),
    Case("or_false_goes_on", "if revenue > 100 or avg_deal > 1 then 1 else 0", figures(avg_deal=None), *NO_ROWS,
         "pay a = if revenue > 100 or ⟨avg_deal⟩ > 1 then 1 else 0", avg_deal_missing()),
    Case("and_left", "if avg_deal > 1 and revenue > 5 then 1 else 0", figures(avg_deal=None), *NO_ROWS,
         "pay a = if ⟨avg_deal⟩ > 1 and revenue > 5 then 1 else 0", avg_deal_missing()),
    Case("or_left", "if avg_deal > 1 or revenue > 5 then 1 else 0", figures(avg_deal=None), *NO_ROWS,
         "pay a = if ⟨avg_deal⟩ > 1 or revenue > 5 then 1 else 0", avg_deal_missing()),
    # if: the condition without value
    Case("if_condition", "if avg_deal = 4 then 1 else 0", figures(avg_deal=None), *NO_ROWS,
         "pay a = if ⟨avg_deal⟩ = 4 then 1 else 0", avg_deal_missing()),
    # otherwise: the fallback is read only when the formula before it has no value
    Case("otherwise_fallback", "(revenue / (calls - 2) otherwise avg_deal) + 1", figures(avg_deal=None),
         *NO_ROWS, "pay a = (revenue / (calls - 2) otherwise ⟨avg_deal⟩) + 1", avg_deal_missing()),
    Case("otherwise_not_needed", "(revenue otherwise avg_deal) + salary * meetings / (calls - 2)",
         figures(avg_deal=None), *ZERO, "pay a = (revenue otherwise avg_deal) + ⟨salary * meetings / (calls - 2)⟩",
         division("calls - 2", "salary * meetings / (calls - 2)")),
    # in-lists: of words, of numbers; the operand or an item without value
    Case("in_words", 'if managers.team in ["north", "south"] then salary * meetings / (calls - 2) else 0',
         figures().model_copy(update={"managers": {"team": "north"}}),
         *ZERO, 'pay a = if managers.team in ["north", "south"] then ⟨salary * meetings / (calls - 2)⟩ else 0',
         division("calls - 2", "salary * meetings / (calls - 2)")),
    Case("in_numbers", "if calls in [1, 2] then salary * meetings / (calls - 2) else 0", figures(), *ZERO,
         "pay a = if calls in [1, 2] then ⟨salary * meetings / (calls - 2)⟩ else 0",
         division("calls - 2", "salary * meetings / (calls - 2)")),
    Case("in_operand", "if avg_deal in [1, 2] then 1 else 0", figures(avg_deal=None), *NO_ROWS,
         "pay a = if ⟨avg_deal⟩ in [1, 2] then 1 else 0", avg_deal_missing()),
    Case("in_item", "if revenue in [1, avg_deal] then 1 else 0", figures(avg_deal=None), *NO_ROWS,
         "pay a = if revenue in [1, ⟨avg_deal⟩] then 1 else 0", avg_deal_missing()),
    # min/max of values: which value is the least or the largest decides the divisor
    Case("min_max_decide", "salary / (max(3, calls) - min(calls, meetings, 5) - 2)", figures(), *ZERO,
         "pay a = ⟨salary / (max(3, calls) - min(calls, meetings, 5) - 2)⟩",
         division("max(3, calls) - min(calls, meetings, 5) - 2",
                  "salary / (max(3, calls) - min(calls, meetings, 5) - 2)")),
    Case("min_of_no_value", "min(avg_deal, salary)", figures(avg_deal=None), *NO_ROWS,
         "pay a = min(⟨avg_deal⟩, salary)", avg_deal_missing()),
    Case("max_of_no_value", "max(salary, avg_deal)", figures(avg_deal=None), *NO_ROWS,
         "pay a = max(salary, ⟨avg_deal⟩)", avg_deal_missing()),
    # round: rounds the figure given (10 / 3 to 3), not the digits
    Case("round_decides", "if round(revenue / 3, 0) = 3 then salary * meetings / (calls - 2) else 0", figures(), *ZERO,
         "pay a = if round(revenue / 3, 0) = 3 then ⟨salary * meetings / (calls - 2)⟩ else 0",
         division("calls - 2", "salary * meetings / (calls - 2)")),
    Case("round_of_no_value", "round(avg_deal, 2)", figures(avg_deal=None), *NO_ROWS,
         "pay a = round(⟨avg_deal⟩, 2)", avg_deal_missing()),
    # table calls: the argument without value; the looked-up value deciding the branch
    Case("table_argument", "salary * factor(avg_deal)", figures(avg_deal=None), *NO_ROWS,
         "pay a = salary * factor(⟨avg_deal⟩)", avg_deal_missing()),
    Case("table_decides", "if factor(revenue) > 1 then salary * meetings / (calls - 2) else 0", figures(), *ZERO,
         "pay a = if factor(revenue) > 1 then ⟨salary * meetings / (calls - 2)⟩ else 0",
         division("calls - 2", "salary * meetings / (calls - 2)")),
    # an earlier period's figure: a leaf like a metric, read when it has a value
    Case("look_back_has_value", "previous(revenue) + avg_deal",
         figures(avg_deal=None).model_copy(update={"history": {"previous(revenue)": Decimal("7")}}), *NO_ROWS,
         "pay a = previous(revenue) + ⟨avg_deal⟩", avg_deal_missing()),
    # nested: an if inside an otherwise inside arithmetic
    Case("nested", "salary + (if revenue > 5 then avg_deal else 0 otherwise 1) * -(meetings / (calls - 2))",
         figures(), *ZERO,
         "pay a = salary + (if revenue > 5 then avg_deal else 0 otherwise 1) * -(⟨meetings / (calls - 2)⟩)",
         division("calls - 2", "meetings / (calls - 2)")),
]


def place(source: str, at: str) -> tuple[int, int, int, int]:
    """(line, column, end line, end column) of the part of `at` in ⟨⟩ in `source`, 1-based."""
    plain = at.replace("⟨", "").replace("⟩", "")
    [line] = [n for n, text in enumerate(source.split("\n"), start=1) if text == plain]
    start = at.index("⟨") + 1
    return line, start, line, start + at.index("⟩") - at.index("⟨") - 1


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_figure_without_value_is_named_inside_each_construct(case):
    body = f"{METRICS}{TABLE}pay a = {case.pay}\n"
    outcome = engine_for(body).evaluate(case.inputs)
    assert outcome.pays["a"].value is None
    [error] = [e for e in outcome.errors if e.subject == "a"]
    assert (error.code, error.cause, error.formula) == (case.code, case.cause, case.pay)
    assert (error.message.render("en"), error.message.render("ru")) == case.words[:2]
    assert (error.help and error.help.render("en"), error.help and error.help.render("ru")) == case.words[2:]
    assert (error.file, error.line, error.column, error.end_line, error.end_column) == (
        "plan.kpi", *place(HEADER + body, case.at))
