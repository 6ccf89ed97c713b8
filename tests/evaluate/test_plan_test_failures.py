"""What a failing plan test says: why a figure has no value, which inputs `given` lacks, which
given values cannot be used, the errors behind a failure, and the steps shown under it.

Every figure here is worked out by hand from the plan below, and every place an error points at is
found in the plan's text, not taken from the code under test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpilang.compile.compiler import compile_text
from kpilang.evaluate.plan_tests import run_plan_tests, run_tests_in_file

PLAN = '''plan p "P" {
    role cold  period month  effective 2026-07-01  currency RUB  strategy growth  goal "g"
}
metric revenue = sum(deals.amount where stage = "won")
metric calls = count(activities where type = "call")
metric meetings = count(activities where type = "meeting")
kpi revenue_plan = revenue
    target targets.revenue
    weight 40%
kpi meeting_rate = meetings / calls
    target 10%
    weight 30%
kpi growth = revenue
    target previous(revenue)
    weight 30%
table multiplier "KPI multiplier" { below 100% : 0  from 100% : 1.2 }
table tiers graduated { below 100% : 3%  from 100% : 5% }
pay bonus = salary * multiplier(kpi_score)
pay extra = 1000 * multiplier(revenue_plan)
pay commission = tiers(revenue, targets.revenue)
pay north_bonus = if managers.team = "north" then 500 else 0
'''

# Every input of the plan, for a month where revenue 120 is 120% of its target and of last month's:
# revenue_plan 1.2, meeting_rate 1 / 10 / 10% = 1, growth 1.2;
# kpi_score 40% × 1.2 + 30% × 1 + 30% × 1.2 = 1.14; bonus 1000 × 1.2 = 1200.00;
# extra 1000 × multiplier(1.2) = 1200.00; commission 3% × 100 + 5% × 20 = 4.00.
ALL_GIVEN = ('salary = 1000, revenue = 120, calls = 10, meetings = 1, targets.revenue = 100, '
             'previous(revenue) = 100, managers.team = "south"')


def run(tests: str):
    result = compile_text(PLAN + tests, "plan.kpi")
    assert result.program is not None, [str(d.message) for d in result.diagnostics]
    return run_plan_tests(result.program)


def at(fragment: str, after: str) -> str:
    """`plan.kpi:LINE:COLUMN` of the first `fragment` after `after` in the plan's text."""
    index = PLAN.index(fragment, PLAN.index(after))
    line = PLAN.count("\n", 0, index) + 1
    return f"plan.kpi:{line}:{index - PLAN.rfind(chr(10), 0, index)}"


def steps(outcome) -> list[tuple[str, str, str]]:
    return [(s.kind, s.subject, s.formula) for s in outcome.trace]


ZERO_TARGET = "division by zero: the target of `{}` is 0, so its attainment (value / target) cannot be computed"
NO_CALLS = "division by zero: calls is 0 in meetings / calls"


# ---- the steps shown under a failure ---------------------------------------------------------------


def test_each_failed_figure_shows_its_own_steps_and_no_other_pays_look_up():
    (t,) = run(f'''
test "wrong" {{
    given {ALL_GIVEN}
    expect bonus = 1, commission = 1, kpi_score = 1.2, growth = 1.2, extra = 1200, tiers = 4
}}
''')
    assert not t.passed
    assert [(e.name, e.kind, e.actual, e.passed) for e in t.expectations] == [
        ("bonus", "pay", Decimal("1200.00"), False),
        ("commission", "pay", Decimal("4.00"), False),
        ("kpi_score", "score", Decimal("1.14"), False),
        ("growth", "kpi", Decimal("1.2"), True),
        ("extra", "pay", Decimal("1200.00"), True),
        ("tiers", "table", Decimal("4.00"), True),
    ]
    # bonus, commission and kpi_score failed: their steps and those they are computed from, in the
    # order computed; `extra` passed, so neither it nor its own look-up of `multiplier` is shown.
    assert steps(t) == [
        ("metric", "revenue", 'sum(deals.amount where stage = "won")'),
        ("metric", "calls", 'count(activities where type = "call")'),
        ("metric", "meetings", 'count(activities where type = "meeting")'),
        ("kpi", "revenue_plan", "revenue"),
        ("kpi", "growth", "revenue"),
        ("table", "tiers", "tiers(revenue, targets.revenue)"),
        ("pay", "commission", "tiers(revenue, targets.revenue)"),
        ("kpi", "meeting_rate", "meetings / calls"),
        ("score", "kpi_score", "40% × revenue_plan + 30% × meeting_rate + 30% × growth"),
        ("table", "multiplier", "multiplier(kpi_score)"),
        ("pay", "bonus", "salary * multiplier(kpi_score)"),
    ]
    tiers = t.trace[5]
    assert [str(n) for n in tiers.notes] == [
        "tier 0 to 100: 3% × 100 = 3.00", "tier from 100: 5% × 20 = 1.00", "sum of the tiers = 4.00",
        "used by commission",
    ]
    assert t.errors == []


def test_a_pay_that_shares_a_table_shows_only_its_own_look_up():
    (t,) = run(f'''
test "extra" {{
    given {ALL_GIVEN}
    expect extra = 1000, bonus = 1200
}}
''')
    assert steps(t) == [
        ("metric", "revenue", 'sum(deals.amount where stage = "won")'),
        ("kpi", "revenue_plan", "revenue"),
        ("table", "multiplier", "multiplier(revenue_plan)"),
        ("pay", "extra", "1000 * multiplier(revenue_plan)"),
    ]
    assert [str(n) for n in t.trace[2].notes] == ["KPI multiplier", "1.00 ≤ 1.2 → 1.2", "used by extra"]


def test_a_table_expected_by_name_shows_the_pay_that_calls_it():
    (t,) = run(f'''
test "tiers" {{
    given {ALL_GIVEN}
    expect tiers = 5
}}
''')
    (e,) = t.expectations
    assert (e.kind, e.actual, e.passed, e.problem) == ("table", Decimal("4.00"), False, None)
    assert steps(t) == [
        ("metric", "revenue", 'sum(deals.amount where stage = "won")'),
        ("table", "tiers", "tiers(revenue, targets.revenue)"),
        ("pay", "commission", "tiers(revenue, targets.revenue)"),
    ]


def test_a_passing_test_and_a_test_failing_only_on_its_givens_show_no_steps():
    passing, bad_given = run(f'''
test "passes" {{
    given {ALL_GIVEN}
    expect bonus = 1200, extra = 1200.00, commission = 4, kpi_score = 1.14, tiers = 4
}}
test "text" {{
    given revenue = 120, targets.revenue = 100, calls = "many"
    expect commission = 4
}}
''')
    assert passing.passed and passing.trace == [] and passing.errors == []
    assert not bad_given.passed and bad_given.expectations[0].passed
    assert bad_given.trace == []


# ---- why a figure has no value -------------------------------------------------------------------


def test_the_errors_of_every_failed_figure_are_listed():
    (t,) = run('''
test "two errors" {
    given revenue = 120, calls = 0, meetings = 1, targets.revenue = 0
    expect meeting_rate = 1, revenue_plan = 1
}
''')
    meeting_rate, revenue_plan = t.expectations
    assert str(meeting_rate.problem) == f"{NO_CALLS} ({at('meetings / calls', 'kpi meeting_rate')})"
    assert str(revenue_plan.problem) == (f"{ZERO_TARGET.format('revenue_plan')} "
                                         f"({at('targets.revenue', 'kpi revenue_plan')})")
    assert [(e.subject, str(e.message), e.location()) for e in t.errors] == [
        ("revenue_plan", ZERO_TARGET.format("revenue_plan"), at("targets.revenue", "kpi revenue_plan")),
        ("meeting_rate", NO_CALLS, at("meetings / calls", "kpi meeting_rate")),
    ]


def test_a_figure_without_value_names_its_error_and_where_it_is():
    (t,) = run('''
test "no calls" {
    given revenue = 120, calls = 0, meetings = 1, targets.revenue = 100, previous(revenue) = 100
    expect kpi_score = 1
}
''')
    (e,) = t.expectations
    # kpi_score's own error points at the first KPI without a value, by its name.
    where = at("meeting_rate", "kpi meeting_rate")
    assert e.actual is None
    assert str(e.problem) == f"kpi_score has no value: KPI `meeting_rate` has none (see its error) ({where})"
    assert e.problem.render("ru") == (
        f"у kpi_score нет значения: его нет у KPI `meeting_rate` (см. ошибку этого KPI) ({where})")
    assert [err.subject for err in t.errors] == ["meeting_rate", "kpi_score"]


def test_a_figure_given_a_text_has_no_value_without_an_error():
    (t,) = run('''
test "texts" {
    given revenue = "a lot", targets.revenue = "some"
    expect revenue = 1, targets.revenue = 2
}
''')
    revenue, target = t.expectations
    assert (revenue.kind, target.kind) == ("metric", "target")
    assert (revenue.actual, target.actual) == (None, None)
    assert [str(e.problem) for e in t.expectations] == ["revenue has no value", "targets.revenue has no value"]
    assert [e.problem.render("ru") for e in t.expectations] == ["у revenue нет значения",
                                                               "у targets.revenue нет значения"]
    assert t.missing == [] and t.errors == []


def test_a_table_argument_without_value_names_each_reason_in_order():
    (t,) = run('''
test "three" {
    given revenue = 100, calls = 0, meetings = 5, targets.revenue = 0, previous(revenue) = 0
    expect multiplier(revenue_plan + meeting_rate + growth) = 1
}
''')
    (e,) = t.expectations
    assert (e.kind, e.name, e.actual) == ("table", "multiplier(revenue_plan + meeting_rate + growth)", None)
    # the arguments in the order of their names: growth, meeting_rate, revenue_plan
    assert str(e.problem) == (
        f"{ZERO_TARGET.format('growth')} ({at('previous(revenue)', 'kpi growth')}); "
        f"{NO_CALLS} ({at('meetings / calls', 'kpi meeting_rate')}); "
        f"{ZERO_TARGET.format('revenue_plan')} ({at('targets.revenue', 'kpi revenue_plan')})"
    )
    assert [err.subject for err in t.errors] == ["revenue_plan", "growth", "meeting_rate"]


def test_table_arguments_given_texts_are_named_in_english_and_russian():
    one, two = run('''
test "one" {
    given revenue = "a lot"
    expect multiplier(revenue) = 1
}
test "two" {
    given meetings = "some", calls = "many"
    expect multiplier(meetings + calls) = 1
}
''')
    assert str(one.expectations[0].problem) == "revenue has no value"
    assert str(two.expectations[0].problem) == "calls has no value; meetings has no value"
    assert two.expectations[0].problem.render("ru") == "у calls нет значения; у meetings нет значения"


@pytest.mark.parametrize("given, call, english, russian", [
    # the test's own argument divides by zero
    ("calls = 0, meetings = 1", "multiplier(meetings / calls)", "an argument has no value", "у аргумента нет значения"),
    # revenue_plan = 120 / 100 = 1.2, past the table's one band
    ("revenue = 120, targets.revenue = 100", "narrow(revenue_plan)",
     "1.2 falls in no band of table `narrow` (its bands: 0 to 1)",
     "1,2 не попадает ни в один диапазон таблицы «narrow» (её диапазоны: 0 to 1)"),
    # 10^20 × 10^20 = 10^40 rounded to hundredths needs 43 digits, more than the 34 of a figure
    ("calls = 100000000000000000000", "multiplier(round(calls * 100000000000000000000, 2))",
     "this figure cannot be computed exactly (InvalidOperation): a value is too large or invalid",
     "эту величину нельзя посчитать точно (InvalidOperation): значение слишком велико или недопустимо"),
])
def test_a_table_expectation_without_value_says_why(given, call, english, russian):
    (t,) = run(f'''
table narrow {{ 0 to 1 : 5 }}
test "why" {{
    given {given}
    expect {call} = 1
}}
''')
    (e,) = t.expectations
    assert (e.name, e.actual, e.passed) == (call, None, False)
    assert (str(e.problem), e.problem.render("ru")) == (english, russian)


def test_a_manager_column_that_holds_no_number_is_named_as_the_plan_names_it():
    text, day = run('''
test "text" {
    given managers.team = "north"
    expect multiplier(managers.team) = 1
}
test "date" {
    given managers.team = 2024-03-01
    expect multiplier(managers.team) = 1
}
''')
    assert (text.expectations[0].actual, day.expectations[0].actual) == (None, None)
    assert str(text.expectations[0].problem) == "`managers.team` is «north» for this person, not a number"
    assert str(day.expectations[0].problem) == "`managers.team` is 2024-03-01 for this person, not a number"
    assert day.expectations[0].problem.render("ru") == "в `managers.team` у этого сотрудника 2024-03-01, а не число"


# ---- what `given` lacks or cannot use ------------------------------------------------------------


def test_the_inputs_a_table_expectation_needs_are_named():
    by_call, by_name, twice = run('''
test "by call" {
    given salary = 1
    expect multiplier(kpi_score) = 1
}
test "by name" {
    given salary = 1
    expect tiers = 1
}
test "reached twice" {
    given salary = 1
    expect multiplier(meeting_rate * calls) = 1
}
''')
    assert by_call.missing == ["calls", "meetings", "previous(revenue)", "revenue", "targets.revenue"]
    assert str(by_call.expectations[0].problem) == (
        "`given` does not set calls, meetings, previous(revenue), revenue, targets.revenue, "
        "which multiplier(kpi_score) needs")
    assert str(by_name.expectations[0].problem) == "`given` does not set revenue, targets.revenue, which tiers needs"
    # calls is read directly and through meeting_rate: named once
    assert str(twice.expectations[0].problem) == (
        "`given` does not set calls, meetings, which multiplier(meeting_rate * calls) needs")
    assert twice.expectations[0].problem.render("ru") == (
        "`given` не задаёт calls, meetings, а без этого не посчитать multiplier(meeting_rate * calls)")


def test_a_manager_column_and_an_earlier_period_are_inputs_to_give():
    (t,) = run('''
test "not given" {
    given revenue = 120
    expect north_bonus = 500, growth = 1.2
}
''')
    assert t.missing == ["managers.team", "previous(revenue)"]
    assert [str(e.problem) for e in t.expectations] == [
        "`given` does not set managers.team, which north_bonus needs",
        "`given` does not set previous(revenue), which growth needs",
    ]


def test_an_earlier_period_given_is_used():
    (t,) = run('''
test "growth" {
    given revenue = 150, previous(revenue) = 120, managers.team = "north"
    expect growth = 1.25, north_bonus = 500
}
''')
    assert t.passed, [(e.name, e.actual, str(e.problem)) for e in t.expectations]
    assert [e.actual for e in t.expectations] == [Decimal("1.25"), Decimal("500.00")]


def test_every_given_value_is_read_after_one_that_is_not_a_number():
    (t,) = run('''
test "words" {
    given calls = true, meetings = false, salary = "much", revenue = 120, targets.revenue = 100
    expect commission = 4
}
''')
    line = PLAN.count("\n") + 3
    assert [str(p) for p in t.problems] == [
        f"`calls` must be given a number, not true (line {line})",
        f"`meetings` must be given a number, not false (line {line})",
        f'`salary` must be given a number, not the text "much" (line {line})',
    ]
    assert t.problems[2].render("ru") == f'`salary` нужно задать числом, а не текстом "much" (строка {line})'
    (e,) = t.expectations
    assert (e.passed, e.actual, t.missing) == (True, Decimal("4.00"), [])
    assert not t.passed


def test_a_figure_never_equals_yes_or_a_text():
    (t,) = run('''
test "kinds" {
    given revenue = 100, targets.revenue = 100, calls = 10, meetings = 1
    expect revenue_plan = true, meeting_rate = "1", revenue = 100
}
''')
    assert [(e.expected, e.actual, e.passed, e.problem) for e in t.expectations] == [
        (True, Decimal("1"), False, None),
        ("1", Decimal("1"), False, None),
        (Decimal("100"), Decimal("100"), True, None),
    ]


def test_a_table_called_in_a_kpi_is_expected_by_its_name():
    result = compile_text('''plan p "P" {
    role cold  period month  effective 2026-07-01  currency RUB  strategy growth  goal "g"
}
metric revenue = sum(deals.amount where stage = "won")
table steps { below 100 : 0  from 100 : 2 }
kpi stepped = steps(revenue)
    target 1
    weight 100%
test "steps" {
    given revenue = 150
    expect steps = 3
}
''', "plan.kpi")
    (t,) = run_plan_tests(result.program)
    (e,) = t.expectations
    assert (e.kind, e.actual, e.passed) == ("table", Decimal("2"), False)
    assert steps(t) == [
        ("metric", "revenue", 'sum(deals.amount where stage = "won")'),
        ("table", "steps", "steps(revenue)"),
        ("kpi", "stepped", "steps(revenue)"),
    ]


# ---- a plan file -----------------------------------------------------------------------------------


def test_a_plan_file_that_does_not_compile_runs_no_test(tmp_path):
    text = PLAN.replace("salary * multiplier(kpi_score)", "salary * multiplyer(kpi_score)") + '''
test "t" {
    given salary = 1
    expect bonus = 1
}
'''
    path = tmp_path / "broken.kpi"
    path.write_text(text, encoding="utf-8")
    report = run_tests_in_file(path)
    assert report.file == str(path)
    assert report.compiled is False
    assert report.tests == [] and (report.passed, report.failed) == (0, 0)
    assert [str(d.message) for d in report.diagnostics] == ["unknown function or table `multiplyer`"]
    assert report.sources == {str(path): text}


def test_a_plan_file_that_compiles_keeps_its_text(tmp_path):
    text = PLAN + f'''
test "t" {{
    given {ALL_GIVEN}
    expect bonus = 1200
}}
'''
    path = tmp_path / "plan.kpi"
    path.write_text(text, encoding="utf-8")
    report = run_tests_in_file(path)
    assert (report.file, report.compiled, report.diagnostics) == (str(path), True, [])
    assert report.sources == {str(path): text}
    assert [(t.name, t.passed, t.file) for t in report.tests] == [("t", True, str(path))]
