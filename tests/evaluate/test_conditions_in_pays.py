"""Conditions compiled to Python (formula_code.py): `in`, `and`, `or` and *no value*, in pays.

The language's rule, worked out by hand for each case: `in` with an operand or an item without a
value has no value; `and` and `or` go left to right, `and` stops at false, `or` at true, and both
stop at a side without a value (which makes the whole condition, and so the pay, without value).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kpilang.evaluate.formulas import PersonInputs
from tests.evaluate.test_formulas import engine_for

PAYS = '''
pay in_team = if managers.team in ["north", "south"] then 1 else 2
pay in_number = if revenue in [100, 200] then 1 else 2
pay in_item = if 150 in [revenue, 150] then 1 else 2
pay not_in = if not (managers.team in ["north"]) then 1 else 2
pay and_known = if 1 = 1 and revenue > 100 then 1 else 2
pay and_known_false = if 1 = 2 and revenue > 100 then 1 else 2
pay or_known_true = if 1 = 1 or revenue > 100 then 1 else 2
pay or_known = if 1 = 2 or revenue > 100 then 1 else 2
pay and_both = if revenue > 100 and calls > 5 then 1 else 2
pay or_both = if revenue > 100 or calls > 5 then 1 else 2
'''
NAMES = ["in_team", "in_number", "in_item", "not_in", "and_known", "and_known_false", "or_known_true",
         "or_known", "and_both", "or_both"]
N = None  # no value


@pytest.mark.parametrize(("revenue", "calls", "team", "expected"), [
    ("150", "10", "north", [1, 2, 1, 2, 1, 2, 1, 1, 1, 1]),
    ("100", "0", "west", [2, 1, 1, 1, 2, 2, 1, 2, 2, 2]),
    ("200", "6", "south", [1, 1, 1, 1, 1, 2, 1, 1, 1, 1]),
    # revenue without a value: everything that reads it has none, unless a known side decides first
    (None, "10", "north", [1, N, N, 2, N, 2, 1, N, N, N]),
    # calls without a value: `and` decided by a true left side needs it, `or` by a true one does not
    ("200", None, "north", [1, 1, 1, 2, 1, 2, 1, 1, N, 1]),
    # ... and the reverse for a false left side
    ("50", None, "north", [1, 2, 1, 2, 2, 2, 1, 2, 2, N]),
    # an empty team: `in` and `not in` over it have no value
    ("150", "10", None, [N, 2, 1, N, 1, 2, 1, 1, 1, 1]),
])
def test_conditions_pay_as_the_language_says(revenue, calls, team, expected):
    engine = engine_for(PAYS)
    metrics = {"revenue": None if revenue is None else D(revenue), "calls": None if calls is None else D(calls),
               "meetings": D(0), "response": None}
    outcome = engine.evaluate(PersonInputs(metrics=metrics, salary=D(1000),
                                           managers={} if team is None else {"team": team}))
    got = [outcome.pays[name].value for name in NAMES]
    assert got == [None if e is None else D(e) for e in expected]
    for name, e in zip(NAMES, expected):
        assert (outcome.error_for(name) is None) == (e is not None), name
