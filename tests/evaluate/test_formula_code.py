"""Formulas compiled to Python (`formula_code.py`): each construct's figure for a person, worked out
by hand, including where a figure has no value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpilang.compile.compiler import compile_text
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs

D = Decimal

HEADER = '''
plan p "P" {
    role cold  period month  effective 2026-07-01  currency RUB  strategy growth  goal "g"
}
metric revenue = sum(deals.amount where stage = "won")
metric calls = count(activities where type = "call")
metric meetings = count(activities where type = "meeting")
'''


def pays(body: str, team: str | None = None, **metrics: str | None) -> dict[str, Decimal | None]:
    result = compile_text(HEADER + body, "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    outcome = FormulaEngine(result.program).evaluate(PersonInputs(
        metrics={k: None if v is None else D(v) for k, v in metrics.items()}, salary=D(1000),
        managers={"team": team}, person="m1", period="2026-07"))
    return {name: pay.value for name, pay in outcome.pays.items()}


IN_LISTS = '''
pay listed = if managers.team in ["north", "south"] then 100 else 0
pay alone = if managers.team in ["north"] then 100 else 0
pay counted = if calls in [1, meetings, 3] then 10 else 20
'''


@pytest.mark.parametrize(("team", "calls", "meetings", "expected"), [
    ("south", "2", "2", {"listed": D("100.00"), "alone": D("0.00"), "counted": D("10.00")}),   # 2 is meetings
    ("north", "3", "2", {"listed": D("100.00"), "alone": D("100.00"), "counted": D("10.00")}),
    ("west", "5", "2", {"listed": D("0.00"), "alone": D("0.00"), "counted": D("20.00")}),
    # a list of one is that one value, not a text to find a part in: `nor` is not `north`
    ("nor", "1", "2", {"listed": D("0.00"), "alone": D("0.00"), "counted": D("10.00")}),
    # no team: the test has no value, nor has the pay; no meetings: 3 is in the list, yet an item
    # without a value leaves the test without one
    (None, "3", None, {"listed": None, "alone": None, "counted": None}),
    ("north", None, "1", {"listed": D("100.00"), "alone": D("100.00"), "counted": None}),
])
def test_a_value_in_a_list(team, calls, meetings, expected):
    assert pays(IN_LISTS, team=team, calls=calls, meetings=meetings) == expected
