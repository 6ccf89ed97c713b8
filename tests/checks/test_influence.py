"""The sign `influence.entries` claims for a figure is the sign of its effect: for random KPI
formulas over three metrics, a figure said to raise (lower) the attainment never lowers (raises)
it when it grows, all else equal, as the interval engine evaluates the plan exactly."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kpilang.checks.influence import entries
from kpilang.checks.intervals import NO_VALUE, PlanIntervals, point
from kpilang.compile import compile_text
from kpilang.syntax import ast

HEADER = """plan p "P" {
    role cold  period month  effective 2026-07-01
    currency RUB  strategy growth  goal "g"
}
metric a = count(activities where type = "call")
metric b = count(activities where type = "meeting")
metric c = count(deals where stage = "won")  kind result
"""

_leaves = st.sampled_from(["a", "b", "c", "2", "3", "0.5"])


def _formula(depth: int):
    if depth == 0:
        return _leaves
    smaller = _formula(depth - 1)
    return st.one_of(
        _leaves,
        st.tuples(smaller, st.sampled_from(["+", "-", "*", "/"]), smaller).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        smaller.map(lambda s: f"(-{s})"),
        st.tuples(smaller, smaller).map(lambda t: f"min({t[0]}, {t[1]})"),
    )


def _attainment(engine: PlanIntervals, values: dict[str, int]):
    got = engine.run({n: point(Decimal(v), whole=True) for n, v in values.items()}, "k")["k"]
    return got.lo if got.definite else None


@settings(max_examples=150, deadline=None)
# found by this test: a value or a divisor written as a difference crosses zero, where
# target / value and x / d jump instead of falling
@example("(-(-(b - a)))", True, "b", {"a": 2, "b": 1, "c": 1}, 2)
@example("(-(b / (b - a)))", False, "a", {"a": 1, "b": 1, "c": 1}, 1)
@given(_formula(3), st.booleans(), st.sampled_from(["a", "b", "c"]),
       st.fixed_dictionaries({n: st.integers(1, 50) for n in "abc"}), st.integers(1, 40))
def test_the_claimed_sign_is_the_effect(formula, lower, figure, values, more):
    source = HEADER + f"kpi k \"K\" = {formula} otherwise 0 target 7 weight 100%" + (" lower is better" if lower else "")
    result = compile_text(source, "plan.kpi")
    if result.program is None:
        return  # units that do not agree (a count plus a number): not a plan
    program = result.program
    found = entries(program, "k", lambda node, owner: node.name if isinstance(node, ast.Name) and node.name == figure else None,
                    lambda metric: True)
    signs = {e.polarity for e in found}
    if not found or 0 in signs or len(signs) > 1:
        return  # no claim: the figure is absent, or moves the attainment either way
    engine = PlanIntervals(program)
    before = _attainment(engine, values)
    after = _attainment(engine, {**values, figure: values[figure] + more})
    if before is None or after is None:
        return
    if signs == {1}:
        assert after >= before, (formula, lower, figure, values, more)
    else:
        assert after <= before, (formula, lower, figure, values, more)
