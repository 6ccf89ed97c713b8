"""The formula stage: KPIs, score, tables and pays in exact Decimal, errors as values, the trace."""

from __future__ import annotations

import csv
import decimal
import importlib
import json
from decimal import Decimal

import pytest

from kpilang.compile import compile_file
from kpilang.compile.compiler import compile_text
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs, evaluate_person
from kpilang.evaluate.results import PersonOutcome

D = Decimal


# ---- the normative example -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def normative_engine(request) -> FormulaEngine:
    from tests.conftest import NORMATIVE

    result = compile_file(NORMATIVE / "cold_sales.kpi")
    assert result.program is not None, result.diagnostics
    return FormulaEngine(result.program)


def _normative_people():
    from tests.conftest import NORMATIVE

    expected = json.loads((NORMATIVE / "expected.json").read_text(encoding="utf-8"))
    with open(NORMATIVE / "data" / "managers.csv", encoding="utf-8") as f:
        salaries = {row["id"]: D(row["salary"]) for row in csv.DictReader(f)}
    with open(NORMATIVE / "data" / "targets.csv", encoding="utf-8") as f:
        targets = {(row["manager_id"], row["period"], row["name"]): D(row["value"]) for row in csv.DictReader(f)}
    people = []
    for person in expected["results"]:
        pid = person["manager_id"]
        inputs = PersonInputs(
            metrics={k: D(v) for k, v in person["metrics"].items()},
            salary=salaries[pid],
            targets={name: value for (m, period, name), value in targets.items() if m == pid and period == expected["period"]},
            person=pid, period=expected["period"],
        )
        people.append(pytest.param(inputs, person, id=pid))
    return people


@pytest.mark.parametrize(("inputs", "expected"), _normative_people())
def test_normative_people_get_exactly_the_expected_figures(normative_engine, inputs, expected):
    outcome = normative_engine.evaluate(inputs)
    assert outcome.errors == []
    for name, figures in expected["kpis"].items():
        got = outcome.kpis[name]
        for field in ("value", "target", "attainment", "weight", "contribution"):
            assert getattr(got, field) == D(figures[field]), (name, field)
    assert outcome.kpi_score == D(expected["kpi_score"])
    assert {n: p.value for n, p in outcome.pays.items()} == {n: D(v) for n, v in expected["pays"].items()}


def test_normative_figures_keep_the_written_form(normative_engine):
    """Weights and caps read as written (50% → 0.5), so figures print like the expected file."""
    m1, _, _, m4 = (p.values for p in _normative_people())
    outcome = normative_engine.evaluate(m1[0])
    assert str(outcome.kpis["revenue_plan"].attainment) == "1.1500005"
    assert str(outcome.kpis["revenue_plan"].contribution) == "0.57500025"
    assert str(outcome.kpi_score) == "1.05000025"
    assert str(outcome.pays["commission"].value) == "23000.01"
    zero = normative_engine.evaluate(m4[0]).kpis["meeting_rate"]
    assert zero.attainment == 0 and str(zero.attainment) == "0E+2" and zero.contribution == 0


def test_the_global_decimal_context_is_left_alone(normative_engine):
    before = decimal.getcontext().copy()
    normative_engine.evaluate(_normative_people()[0].values[0])
    after = decimal.getcontext()
    assert (after.prec, after.rounding, dict(after.traps)) == (before.prec, before.rounding, dict(before.traps))


def test_fast_built_outcome_equals_a_validated_one(normative_engine):
    for param in _normative_people():
        outcome = normative_engine.evaluate(param.values[0])
        assert PersonOutcome.model_validate(outcome.model_dump()) == outcome
        assert PersonOutcome.model_validate_json(outcome.model_dump_json()) == outcome


# ---- small plans -----------------------------------------------------------------------------------

HEADER = '''
plan p "P" {
    role cold  period month  effective 2026-07-01  currency RUB  strategy growth  goal "g"
}
metric revenue = sum(deals.amount where stage = "won")
metric calls = count(activities where type = "call")
metric meetings = count(activities where type = "meeting")
metric response = avg(leads.first_response_at - leads.created_at)
'''


def engine_for(body: str) -> FormulaEngine:
    result = compile_text(HEADER + body, "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    return FormulaEngine(result.program)


def person(salary="50000", targets=None, **metrics) -> PersonInputs:
    return PersonInputs(
        metrics={k: (None if v is None else D(v)) for k, v in metrics.items()},
        salary=None if salary is None else D(salary),
        targets={k: D(v) for k, v in (targets or {}).items()},
        person="m1", period="2026-07",
    )


SCORE_PLAN = '''
kpi level = revenue
    target 1
    weight 100%
table multiplier {
    below 70%    : 0
    70% to 90%   : 0.5
    90% to 100%  : 1
    100% to 120% : 1.2
    from 120%    : 1.5
}
pay bonus = salary * multiplier(kpi_score)
'''


@pytest.mark.parametrize(("score", "factor", "band"), [
    ("0.6999999", "0", 0), ("0.70", "0.5", 1), ("0.700", "0.5", 1), ("0.8999", "0.5", 1), ("0.90", "1", 2),
    ("1", "1.2", 3), ("1.19999", "1.2", 3), ("1.20", "1.5", 4), ("7", "1.5", 4), ("-3", "0", 0),
])
def test_step_table_bands_are_half_open(score, factor, band):
    outcome = engine_for(SCORE_PLAN).evaluate(person(revenue=score))
    (hit,) = outcome.table_hits
    assert (hit.band, hit.result) == (band, D(factor))
    assert outcome.pays["bonus"].value == D("50000") * D(factor)


def test_table_step_says_why_the_band(normative_engine):
    m2 = _normative_people()[1].values[0]
    steps = [s for s in normative_engine.evaluate(m2).trace if s.kind == "table"]
    assert steps[0].subject == "multiplier"
    assert "0.70 ≤ 0.700 < 0.90 → 0.5" in [str(note) for note in steps[0].notes]


def test_argument_in_no_band_is_an_error_for_that_person_only():
    engine = engine_for('''
kpi level = revenue
    target 1
    weight 100%
table holes { 0 to 1 : 1  2 to 3 : 2 }
pay bonus = salary * holes(kpi_score)
pay fixed = salary
''')
    outcome = engine.evaluate(person(revenue="1.5"))
    (error,) = outcome.errors
    assert error.subject == "bonus" and error.cause == "no_band"
    assert "1.5 falls in no band of table `holes`" in str(error.message)
    assert (error.line, error.column) == (14, 22)
    assert outcome.pays["bonus"].value is None
    assert outcome.pays["fixed"].value == D("50000.00")
    assert engine.evaluate(person(revenue="2.5")).pays["bonus"].value == D("100000.00")


def test_attainment_is_clamped_to_cap_and_to_zero():
    engine = engine_for('''
kpi level = revenue
    target 1000
    weight 40%
    cap 150%
kpi open = revenue - 5000
    target 1000
    weight 60%
''')
    outcome = engine.evaluate(person(revenue="2000"))
    level, open_ = outcome.kpis["level"], outcome.kpis["open"]
    assert (level.raw_attainment, level.attainment, level.capped, level.contribution) == (D(2), D("1.5"), True, D("0.6"))
    assert (open_.raw_attainment, open_.attainment, open_.floored, open_.contribution) == (D(-3), D(0), True, D(0))
    assert outcome.kpi_score == D("0.6")
    exact = engine.evaluate(person(revenue="1500")).kpis["level"]
    assert (exact.attainment, exact.capped) == (D("1.5"), False)


def test_lower_is_better_divides_target_by_value():
    engine = engine_for('''
kpi speed = response
    target 15m
    weight 100%
    cap 200%
    lower is better
''')
    assert engine.evaluate(person(response="600")).kpis["speed"].attainment == D("1.5")
    assert engine.evaluate(person(response="1800")).kpis["speed"].attainment == D("0.5")
    assert engine.evaluate(person(response="60")).kpis["speed"].capped is True
    zero = engine.evaluate(person(response="0"))
    (error,) = [e for e in zero.errors if e.subject == "speed"]
    assert error.cause == "division_by_zero" and "lower is better" in str(error.message)


GRADUATED = '''
kpi plan_kpi = revenue
    target targets.revenue
    weight 100%
table tiers graduated {
    below 100% : 3%
    from 100%  : 5%
}
table money_tiers graduated {
    below 1000000 : 3%
    from 1000000  : 5%
}
pay commission = tiers(revenue, targets.revenue)
pay flat = money_tiers(revenue)
'''


@pytest.mark.parametrize(("revenue", "target", "commission"), [
    ("1200000", "800000", "44000.00"),   # 3% × 800 000 + 5% × 400 000
    ("800000", "800000", "24000.00"),    # exactly the target: all at 3%
    ("500000", "800000", "15000.00"),
    ("0", "800000", "0.00"),
    ("800000.50", "800000", "24000.03"),  # 24 000 + 5% × 0.50 = 24000.025 → half up
])
def test_graduated_table_with_a_base(revenue, target, commission):
    outcome = engine_for(GRADUATED).evaluate(person(revenue=revenue, targets={"revenue": target}))
    assert outcome.pays["commission"].value == D(commission)


def test_graduated_table_parts_are_recorded():
    outcome = engine_for(GRADUATED).evaluate(person(revenue="1200000", targets={"revenue": "800000"}))
    hit = next(h for h in outcome.table_hits if h.table == "tiers")
    assert hit.graduated and hit.base == D("800000") and hit.band == 1 and hit.value == D("0.05")
    assert [(p.low, p.high, p.rate, p.amount, p.result) for p in hit.parts] == [
        (D(0), D("800000"), D("0.03"), D("800000"), D("24000")),
        (D("800000"), None, D("0.05"), D("400000"), D("20000")),
    ]
    flat = next(h for h in outcome.table_hits if h.table == "money_tiers")
    assert flat.result == D("1200000") * D("0.03") - D("200000") * D("0.03") + D("200000") * D("0.05")


def test_graduated_table_errors():
    engine = engine_for(GRADUATED)
    negative = engine.evaluate(person(revenue="-10", targets={"revenue": "800000"}))
    assert {e.subject: e.cause for e in negative.errors} == {"commission": "no_band", "flat": "no_band"}
    zero_base = engine.evaluate(person(revenue="10", targets={"revenue": "0"}))
    assert {e.subject: e.cause for e in zero_base.errors}["commission"] == "bad_base"


NO_VALUE = '''
kpi meeting_rate = meetings / calls
    target 8%
    weight 50%
kpi revenue_kpi = revenue
    target 100
    weight 50%
table multiplier { below 100% : 0  from 100% : 1 }
pay bonus = salary * multiplier(kpi_score)
pay commission = 2% * revenue
pay total = salary + bonus + commission
'''


def test_division_by_zero_is_an_error_for_the_kpi_and_what_depends_on_it():
    outcome = engine_for(NO_VALUE).evaluate(person(calls="0", meetings="3", revenue="1000"))
    errors = {e.subject: e for e in outcome.errors}
    assert set(errors) == {"meeting_rate", "kpi_score", "bonus", "total"}
    rate = errors["meeting_rate"]
    assert str(rate.message) == "division by zero: calls is 0 in meetings / calls"
    assert rate.formula == "meetings / calls"
    assert (rate.file, rate.line, rate.column) == ("plan.kpi", 10, 20)
    assert rate.cause == "division_by_zero" and "otherwise" in str(rate.help)
    assert "meeting_rate" in str(errors["kpi_score"].message)
    assert "kpi_score has no value" in str(errors["bonus"].message)
    assert outcome.kpis["meeting_rate"].attainment is None and outcome.kpi_score is None
    assert outcome.pays["bonus"].value is None and outcome.pays["total"].value is None
    # what does not depend on it is still computed
    assert outcome.kpis["revenue_kpi"].attainment == D(10)
    assert outcome.pays["commission"].value == D("20.00")


def test_otherwise_replaces_no_value():
    engine = engine_for(NO_VALUE.replace("meetings / calls", "meetings / calls otherwise 0"))
    outcome = engine.evaluate(person(calls="0", meetings="3", revenue="100"))
    assert outcome.errors == []
    assert outcome.kpis["meeting_rate"].attainment == 0
    assert outcome.kpi_score == D("0.5")


def test_metric_with_no_value_propagates_and_is_named():
    engine = engine_for('''
kpi speed = response
    target 900
    weight 100%
pay bonus = salary * kpi_score
''')
    outcome = engine.evaluate(person(response=None))
    errors = {e.subject: e for e in outcome.errors}
    assert errors["speed"].cause == "no_value"
    assert "metric `response` has no value" in str(errors["speed"].message) and "average of no rows" in str(errors["speed"].message)
    assert set(errors) == {"speed", "kpi_score", "bonus"}


def test_metric_not_given_is_a_missing_input():
    outcome = engine_for(NO_VALUE).evaluate(person(calls="10", meetings="1"))
    error = outcome.error_for("revenue_kpi")
    assert error.cause == "missing_input" and "`revenue` was not given" in str(error.message)


def test_missing_target_names_the_target_and_the_period():
    outcome = engine_for(GRADUATED).evaluate(person(revenue="100"))
    error = outcome.error_for("plan_kpi")
    assert error.cause == "missing_target"
    assert str(error.message) == "no target `revenue` for m1 in 2026-07"
    assert "targets" in str(error.help) and "period=2026-07" in str(error.help)
    assert outcome.error_for("flat") is None and outcome.pays["flat"].value == D("3.00")


def test_missing_salary_is_an_error_not_a_zero():
    outcome = engine_for("pay fixed = salary + 2% * revenue").evaluate(person(salary=None, revenue="100"))
    assert outcome.pays["fixed"].value is None
    assert str(outcome.error_for("fixed").message) == "the salary is empty for this person"


@pytest.mark.parametrize(("amount", "rounded"), [
    ("0.005", "0.01"), ("0.004999", "0.00"), ("0.015", "0.02"), ("0.025", "0.03"), ("2.675", "2.68"),
    ("-0.005", "-0.01"), ("100", "100.00"),
])
def test_pays_round_half_up_to_the_minor_unit(amount, rounded):
    outcome = engine_for("pay p = revenue").evaluate(person(revenue=amount))
    assert str(outcome.pays["p"].value) == rounded


def test_pay_cap_and_floor_apply_before_rounding_and_later_pays_see_the_rounded_value():
    engine = engine_for('''
pay bonus = 10% * revenue
    cap 1000.004
    floor 100.005
pay twice = bonus * 2
''')
    capped = engine.evaluate(person(revenue="50000"))
    assert (capped.pays["bonus"].raw, capped.pays["bonus"].capped, capped.pays["bonus"].value) == (D("5000.0"), True, D("1000.00"))
    floored = engine.evaluate(person(revenue="5"))
    assert (floored.pays["bonus"].floored, floored.pays["bonus"].value) == (True, D("100.01"))
    assert floored.pays["twice"].value == D("200.02")  # 2 × the rounded 100.01, not 2 × 100.005
    middle = engine.evaluate(person(revenue="1234.565"))
    assert middle.pays["bonus"].value == D("123.46") and middle.pays["twice"].value == D("246.92")


def test_floor_above_cap_is_an_error():
    outcome = engine_for('''
pay bonus = 10% * revenue
    cap salary * 0
    floor 100
''').evaluate(person(revenue="5000"))
    error = outcome.error_for("bonus")
    assert error.cause == "floor_above_cap" and "above its cap" in str(error.message)


def test_currency_minor_unit_comes_from_the_currency():
    result = compile_text(HEADER.replace("currency RUB", "currency JPY") + "pay p = revenue", "plan.kpi")
    outcome = FormulaEngine(result.program).evaluate(person(revenue="10.5"))
    assert outcome.pays["p"].value == D("11")


def test_operators_and_functions():
    engine = engine_for('''
pay a = round(revenue / 3, 2)
pay b = max(revenue, 100) - min(revenue, 100)
pay c = if revenue >= 100 and not (calls = 0) then 1 else 2
pay d = if revenue < 100 or calls != 0 then -revenue else revenue * 1_000
pay e = round(revenue / 7, 0)
''')
    outcome = engine.evaluate(person(revenue="250", calls="0"))
    assert {n: p.value for n, p in outcome.pays.items()} == {
        "a": D("83.33"), "b": D("150.00"), "c": D("2.00"), "d": D("250000.00"), "e": D("36.00"),
    }


def test_thirty_four_digits_of_precision():
    outcome = engine_for('''
kpi k = revenue
    target 3
    weight 100%
''').evaluate(person(revenue="1"))
    assert outcome.kpis["k"].attainment == D("0.3333333333333333333333333333333333")


def test_evaluate_expression_reads_leaves_through_lookup(normative_engine):
    result = compile_text(HEADER + "metric avg_deal = sum(deals.amount) / count(deals) otherwise 0", "plan.kpi")
    engine = FormulaEngine(result.program)
    expr = result.program.metrics["avg_deal"].expr
    values = iter([D("300"), D("4")])
    assert engine.evaluate_expression(expr, lambda node: next(values)) == D(75)
    zeros = iter([D("300"), D("0")])
    assert engine.evaluate_expression(expr, lambda node: next(zeros)) == D(0)


def test_evaluate_expression_compiles_each_expression_once(monkeypatch):
    formulas = importlib.import_module("kpilang.evaluate.formulas")  # `kpilang.evaluate` is also a function
    compiled = []

    class CountedCode(formulas.ExpressionCode):
        def __init__(self, expr, *args):
            compiled.append(expr)
            super().__init__(expr, *args)

    monkeypatch.setattr(formulas, "ExpressionCode", CountedCode)
    result = compile_text(HEADER + "metric a = sum(deals.amount) / 2\nmetric b = sum(deals.amount) * 3", "plan.kpi")
    engine = FormulaEngine(result.program)
    a, b = result.program.metrics["a"].expr, result.program.metrics["b"].expr
    assert [engine.evaluate_expression(a, lambda node: D(10)) for _ in range(3)] == [D(5)] * 3
    assert engine.evaluate_expression(b, lambda node: D(10)) == D(30)
    assert engine.evaluate_expression(a, lambda node: D(4)) == D(2)
    assert [e is a for e in compiled] == [True, False]


def test_evaluate_person_is_the_one_shot_form(normative_engine):
    inputs = _normative_people()[0].values[0]
    assert evaluate_person(normative_engine.program, inputs) == normative_engine.evaluate(inputs)


def test_evaluate_person_without_a_trace(normative_engine):
    inputs = _normative_people()[0].values[0]
    outcome = evaluate_person(normative_engine.program, inputs, trace=False)
    assert outcome.trace == [] and outcome.pays["total"].value is not None
    assert evaluate_person(normative_engine.program, inputs).trace


# ---- the trace -------------------------------------------------------------------------------------


def test_trace_explains_every_figure(normative_engine):
    m1 = _normative_people()[0].values[0]
    trace = normative_engine.evaluate(m1).trace
    kinds = [(s.kind, s.subject) for s in trace]
    assert [k for k in kinds if k[0] == "metric"] == [
        ("metric", "calls"), ("metric", "meetings"), ("metric", "revenue"), ("metric", "new_clients")]
    assert kinds.index(("table", "multiplier")) == kinds.index(("pay", "bonus")) - 1
    assert kinds.index(("score", "kpi_score")) < kinds.index(("pay", "bonus")) < kinds.index(("pay", "total"))
    steps = {s.subject: s for s in trace}
    rate = steps["meeting_rate"]
    assert (rate.formula, rate.substituted, rate.value) == ("meetings / calls otherwise 0", "12 / 120 otherwise 0", D("1.25"))
    assert "target 8% = 0.08" in [str(note) for note in rate.notes]
    revenue_plan = steps["revenue_plan"]
    assert "attainment = value / target = 1150000.50 / 1000000 = 1.1500005" in [str(note) for note in revenue_plan.notes]
    bonus = steps["bonus"]
    assert bonus.substituted == "60000 * multiplier(1.05000025)"
    assert "cap 2 * salary = 120000: not reached" in [str(note) for note in bonus.notes]
    assert "rounded to 0.01, half up: 72000.0 → 72000.00" in [str(note) for note in bonus.notes]
    assert steps["total"].substituted == "60000 + 72000.00 + 23000.01"
    assert steps["kpi_score"].substituted == "50% × 1.1500005 + 20% × 1.25 + 30% × 0.75"


def test_no_trace_when_not_asked(normative_engine):
    outcome = normative_engine.evaluate(_normative_people()[0].values[0], trace=False)
    assert outcome.trace == [] and outcome.table_hits  # table hits are figures, kept


def test_manager_columns_in_formulas_and_their_absence():
    engine = engine_for('pay extra = if managers.team = "north" then 1000 else 0')
    north = engine.evaluate(PersonInputs(metrics={}, salary=D(1), managers={"team": "north"}))
    south = engine.evaluate(PersonInputs(metrics={}, salary=D(1), managers={"team": "south"}))
    assert (north.pays["extra"].value, south.pays["extra"].value) == (D("1000.00"), D("0.00"))
    empty = engine.evaluate(PersonInputs(metrics={}, salary=D(1), managers={}))
    assert empty.pays["extra"].value is None
    assert str(empty.error_for("extra").message) == "`managers.team` is empty for this person"


def test_fast_built_outcomes_with_errors_and_tiers_equal_validated_ones():
    outcomes = [
        engine_for(GRADUATED).evaluate(person(revenue="1200000", targets={"revenue": "800000"})),
        engine_for(GRADUATED).evaluate(person(revenue="-1", targets={"revenue": "800000"})),
        engine_for(NO_VALUE).evaluate(person(calls="0", meetings="3", revenue="1000")),
    ]
    for outcome in outcomes:
        assert PersonOutcome.model_validate(outcome.model_dump()) == outcome
        assert PersonOutcome.model_validate_json(outcome.model_dump_json()) == outcome
    assert outcomes[1].errors and outcomes[2].errors and outcomes[0].table_hits[0].parts


def test_evaluate_expression_tells_an_aggregate_min_from_a_min_of_values():
    result = compile_text(HEADER + '''
metric spread = max(deals.amount where stage = "won") - min(deals.amount where stage = "won")
''', "plan.kpi")
    engine = FormulaEngine(result.program)
    rows = {"max": D("900"), "min": D("150")}
    spread = result.program.metrics["spread"].expr
    assert engine.evaluate_expression(spread, lambda node: rows[node.func]) == D("750")
    assert engine.evaluate_expression(spread, lambda node: None) is None


def test_formula_text_over_several_lines_drops_comments_but_not_strings():
    engine = engine_for('''
pay base = salary     # the fixed part
    + 2% * revenue    # and a share of sales
pay north = if managers.team = "north  #1" then salary else 0
''')
    outcome = engine.evaluate(PersonInputs(metrics={"revenue": D(1000)}, salary=D(100), managers={"team": "x"}))
    steps = {s.subject: s for s in outcome.trace}
    assert steps["base"].formula == "salary + 2% * revenue"
    assert steps["base"].substituted == "100 + 2% * 1000"
    assert steps["north"].formula == 'if managers.team = "north  #1" then salary else 0'
    assert steps["north"].substituted == 'if "x" = "north  #1" then 100 else 0'


def test_whole_number_manager_columns_become_decimals_and_yes_no_stays():
    inputs = PersonInputs(metrics={}, managers={"base": 999, "grade": -3, "remote": True, "office": False,
                                                "team": "north", "rate": D("1.5"), "left": None})
    assert inputs.managers == {"base": D(999), "grade": D(-3), "remote": True, "office": False, "team": "north",
                               "rate": D("1.5"), "left": None}
    assert [type(inputs.managers[n]) for n in ("base", "grade", "remote", "office")] == [Decimal, Decimal, bool, bool]
    # 999 / 4 is an exact quotient: 249.75, so the pay is 249.75 × 2 = 499.50
    engine = engine_for("pay p = managers.base / 4 * 2")
    assert engine.evaluate(PersonInputs(metrics={}, salary=D(1), managers={"base": 999})).pays["p"].value == D("499.50")
