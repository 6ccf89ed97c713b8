"""Running `test` blocks: exact comparison, missing givens named, tables by call or by name."""

from __future__ import annotations

from decimal import Decimal

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
    weight 50%
    cap 150%
kpi meeting_rate = meetings / calls
    target 10%
    weight 50%
table multiplier { below 100% : 0  from 100% : 1.2 }
table tiers graduated { below 100% : 3%  from 100% : 5% }
pay bonus = salary * multiplier(kpi_score)
pay commission = tiers(revenue, targets.revenue)
'''


def run(tests: str):
    result = compile_text(PLAN + tests, "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    return run_plan_tests(result.program)


def test_the_normative_example_passes(normative_dir):
    report = run_tests_in_file(normative_dir / "cold_sales.kpi")
    assert report.compiled
    assert [(t.name, t.passed) for t in report.tests] == [
        ("no sales, no bonus: activity alone is not enough", True),
        ("plan met exactly", True),
    ]
    assert report.passed == 2 and report.failed == 0


def test_expectations_compare_exactly_as_decimals():
    (t,) = run('''
test "met" {
    given salary = 50000, revenue = 1000000, calls = 100, meetings = 10, targets.revenue = 1000000
    expect revenue_plan = 100%, meeting_rate = 1.0, kpi_score = 1, bonus = 60000.00,
           commission = 30000, multiplier(kpi_score) = 1.2, tiers = 30000, revenue = 1000000
}
''')
    assert t.passed, [(e.name, e.expected, e.actual, str(e.problem)) for e in t.expectations]
    assert {e.name: e.kind for e in t.expectations} == {
        "revenue_plan": "kpi", "meeting_rate": "kpi", "kpi_score": "score", "bonus": "pay", "commission": "pay",
        "multiplier(kpi_score)": "table", "tiers": "table", "revenue": "metric",
    }
    assert t.trace == []


def test_a_wrong_expectation_fails_with_expected_actual_and_the_steps():
    (t,) = run('''
test "wrong" {
    given salary = 50000, revenue = 1000000, calls = 100, meetings = 10, targets.revenue = 1000000
    expect bonus = 60000.01, commission = 30000
}
''')
    assert not t.passed
    bonus, commission = t.expectations
    assert (bonus.passed, bonus.expected, bonus.actual) == (False, Decimal("60000.01"), Decimal("60000.00"))
    assert commission.passed
    subjects = [(s.kind, s.subject) for s in t.trace]
    assert ("pay", "bonus") in subjects and ("table", "multiplier") in subjects and ("score", "kpi_score") in subjects
    assert ("pay", "commission") not in subjects  # only what produced the failed figure


def test_a_value_given_lacks_is_a_test_error_naming_it():
    (t,) = run('''
test "forgot the target" {
    given salary = 50000, revenue = 1000000, calls = 100
    expect kpi_score = 1, commission = 30000
}
''')
    assert not t.passed
    assert t.missing == ["meetings", "targets.revenue"]
    score, commission = t.expectations
    assert str(score.problem) == "`given` does not set meetings, targets.revenue, which kpi_score needs"
    assert score.actual is None
    assert str(commission.problem) == "`given` does not set targets.revenue, which commission needs"


def test_only_what_an_expectation_reads_must_be_given():
    (t,) = run('''
test "commission only" {
    given revenue = 1200000, targets.revenue = 1000000
    expect commission = 40000
}
''')
    assert t.passed and t.missing == []


def test_an_evaluation_error_fails_the_expectation_with_its_message():
    (t,) = run('''
test "no calls" {
    given salary = 50000, revenue = 1000000, calls = 0, meetings = 0, targets.revenue = 1000000
    expect kpi_score = 1
}
''')
    assert not t.passed
    (e,) = t.expectations
    assert e.actual is None and "kpi_score has no value" in str(e.problem)
    # the root cause comes with the figure it stopped
    assert [err.subject for err in t.errors] == ["meeting_rate", "kpi_score"]
    assert str(t.errors[0].message) == "division by zero: calls is 0 in meetings / calls"


def test_a_text_given_to_a_metric_is_a_problem():
    (t,) = run('''
test "text" {
    given revenue = "a lot", targets.revenue = 1
    expect commission = 0
}
''')
    assert not t.passed
    assert [str(p) for p in t.problems] == ['`revenue` must be given a number, not the text "a lot" (line 20)']



def test_manager_columns_can_be_given():
    (t,) = run('''
pay north_bonus = if managers.team = "north" then 1000 else 0
test "north" {
    given managers.team = "north"
    expect north_bonus = 1000
}
''')
    assert t.passed, [(e.name, e.actual, str(e.problem)) for e in t.expectations]
