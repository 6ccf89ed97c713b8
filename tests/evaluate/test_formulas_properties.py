"""Properties of the formula stage, checked on generated plans and values.

- The KPI score equals a plain computation Σ weight × clamp(value / target, 0, cap).
- The compiled formulas agree with the reference evaluator (`no_value.ReferenceEvaluator`, a
  direct walk of the tree) on every value and on when there is no value, for random expressions
  with zeros and missing values mixed in.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from kpilang.compile.compiler import compile_text
from kpilang.evaluate.formula_text import SourceText
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs
from kpilang.evaluate.no_value import ReferenceEvaluator
from kpilang.evaluate.numbers import decimal_context
from kpilang.evaluate.plan_code import leaf_key

HEADER = '''plan p "P" {
    role cold  period month  effective 2026-07-01  currency RUB  strategy growth  goal "g"
}
metric a = sum(deals.amount)
metric b = sum(deals.amount where stage = "won")
metric c = count(deals)
'''
SAME_UNITS = HEADER.replace("metric c = count(deals)", 'metric c = sum(deals.amount where stage = "lost")')

decimals = st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=3, allow_nan=False,
                       allow_infinity=False)
percents = st.integers(min_value=1, max_value=100)


@st.composite
def kpi_sets(draw):
    n = draw(st.integers(min_value=1, max_value=4))
    kpis = []
    for i in range(n):
        kpis.append({
            "name": f"k{i}",
            "metric": "abc"[i % 3],
            "target": draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000"), places=2)),
            "weight": draw(percents),
            "cap": draw(st.one_of(st.none(), st.integers(min_value=1, max_value=300))),
        })
    return kpis


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kpis=kpi_sets(), values=st.fixed_dictionaries({"a": decimals, "b": decimals, "c": decimals}))
def test_score_equals_a_plain_computation(kpis, values):
    body = "".join(
        f"kpi {k['name']} = {k['metric']}\n    target {k['target']}\n    weight {k['weight']}%\n"
        + (f"    cap {k['cap']}%\n" if k["cap"] is not None else "")
        for k in kpis
    )
    result = compile_text(HEADER + body, "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    outcome = FormulaEngine(result.program).evaluate(PersonInputs(metrics=values, salary=Decimal(1)), trace=False)
    # The exact score, Σ weight × clamp(value / target, 0, cap) in rationals, rounded once to 34 digits.
    exact = Fraction(0)
    for k in kpis:
        attainment = max(Fraction(values[k["metric"]]) / Fraction(k["target"]), Fraction(0))
        if k["cap"] is not None:
            attainment = min(attainment, Fraction(k["cap"]) / 100)
        exact += Fraction(k["weight"]) / 100 * attainment
    with localcontext(prec=34):
        expected = Decimal(exact.numerator) / Decimal(exact.denominator)
    assert outcome.errors == []
    assert outcome.kpi_score == expected


# ---- compiled code against the reference evaluator -----------------------------------------------

LEAVES = ["a", "b", "c", "salary", "targets.t", "0", "2", "0.5", "10%"]


def expressions(depth: int = 3):
    leaf = st.sampled_from(LEAVES)
    if depth == 0:
        return leaf
    sub = expressions(depth - 1)
    cond = st.builds(lambda x, op, y: f"{x} {op} {y}", sub, st.sampled_from(["<", "<=", ">", ">=", "=", "!="]), sub)
    conds = st.one_of(
        cond,
        st.builds(lambda x, op, y: f"({x}) {op} ({y})", cond, st.sampled_from(["and", "or"]), cond),
        st.builds(lambda x: f"not ({x})", cond),
    )
    return st.one_of(
        leaf,
        st.builds(lambda x, op, y: f"({x} {op} {y})", sub, st.sampled_from(["+", "-", "*", "/"]), sub),
        st.builds(lambda x: f"-({x})", sub),
        st.builds(lambda x, y: f"({x} otherwise {y})", sub, sub),
        st.builds(lambda c, x, y: f"(if {c} then {x} else {y})", conds, sub, sub),
        st.builds(lambda f, x, y: f"{f}({x}, {y})", st.sampled_from(["min", "max"]), sub, sub),
        st.builds(lambda x, d: f"round({x}, {d})", sub, st.integers(min_value=0, max_value=3)),
        st.builds(lambda x: f"table_x({x})", sub),
    )


maybe = st.one_of(st.none(), st.sampled_from([Decimal(0), Decimal("1.5"), Decimal(-2)]), decimals)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(expr=expressions(), a=maybe, b=maybe, c=maybe, salary=maybe, target=maybe)
def test_compiled_formulas_agree_with_the_reference_evaluator(expr, a, b, c, salary, target):
    text = SAME_UNITS + f"table table_x {{ below 0 : 1  from 0 : 2 }}\nkpi k = {expr}\n    target 1\n    weight 100%\n"
    result = compile_text(text, "plan.kpi")
    assume(result.program is not None)  # the generator can mix units (money × money): not this test's subject
    program = result.program
    engine = FormulaEngine(program)
    expr_node = program.kpis["k"].expr
    values = {"a": a, "b": b, "c": c, "salary": salary, "targets.t": target}

    def lookup(node):
        return values[leaf_key(node)]

    compiled = engine.evaluate_expression(expr_node, lookup)
    reference = ReferenceEvaluator(
        SourceText(program.sources), leaf_value=lookup, leaf_reason=lambda node: None,
        table_call=lambda call, args: Decimal(1) if args[0] < 0 else Decimal(2),
        is_table=lambda f: f in program.tables,
    )
    with decimal_context():
        expected, _reason = reference.evaluate(expr_node)
    assert compiled == expected
    assert (compiled is None) == (expected is None)
