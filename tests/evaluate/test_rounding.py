"""`round(x, digits)` and the rounding of pays to the currency's minor unit take an exact half away
from zero (0.125 → 0.13, 2.5 → 3, −0.125 → −0.13), where banker's rounding would give 0.12 and 2.

The expected figures are written out by hand; the values are chosen to be exact halves, where the
two rules disagree.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpilang.compile.compiler import compile_text
from kpilang.evaluate.formulas import FormulaEngine
from tests.evaluate.test_formulas import HEADER, engine_for, person

D = Decimal

ROUNDED = '''
kpi level = revenue
    target 1
    weight 100%
pay cents = round(revenue / 8, 2) * 100
pay units = round(revenue * 2.5, 0)
pay tenths = round(revenue / 4, 1) * 1000
'''


@pytest.mark.parametrize("trace", [False, True])
@pytest.mark.parametrize(("revenue", "cents", "units", "tenths"), [
    # 1 / 8 = 0.125 → 0.13; 2.5 → 3; 0.25 → 0.3
    ("1", "13.00", "3.00", "300.00"),
    # 3 / 8 = 0.375 → 0.38; 7.5 → 8; 0.75 → 0.8
    ("3", "38.00", "8.00", "800.00"),
    # −1 / 8 = −0.125 → −0.13; −2.5 → −3; −0.25 → −0.3
    ("-1", "-13.00", "-3.00", "-300.00"),
    # not a half: 0.1125 → 0.11 either way
    ("0.9", "11.00", "2.00", "200.00"),
])
def test_round_takes_an_exact_half_away_from_zero(trace, revenue, cents, units, tenths):
    outcome = engine_for(ROUNDED).evaluate(person(revenue=revenue), trace=trace)
    assert outcome.errors == []
    assert {name: outcome.pays[name].value for name in ("cents", "units", "tenths")} == {
        "cents": D(cents), "units": D(units), "tenths": D(tenths)}


PAYS = '''
kpi level = revenue
    target 1
    weight 100%
pay half_kopeck = revenue * 1%
pay below_half = revenue * 0.9%
'''


@pytest.mark.parametrize("trace", [False, True])
@pytest.mark.parametrize(("revenue", "half_kopeck", "below_half"), [
    ("0.5", "0.01", "0.00"),      # 0.005 → 0.01; 0.0045 → 0.00
    ("12.5", "0.13", "0.11"),     # 0.125 → 0.13; 0.1125 → 0.11
    ("-0.5", "-0.01", "0.00"),    # −0.005 → −0.01; −0.0045 → −0.00
])
def test_a_pay_is_rounded_to_the_kopeck_half_up(trace, revenue, half_kopeck, below_half):
    outcome = engine_for(PAYS).evaluate(person(revenue=revenue), trace=trace)
    assert outcome.pays["half_kopeck"].value == D(half_kopeck)
    assert outcome.pays["below_half"].value == D(below_half)


def test_a_pay_in_yen_is_rounded_to_the_yen_half_up():
    program = compile_text(HEADER.replace("currency RUB", "currency JPY") + PAYS.replace("1%", "50%"), "plan.kpi").program
    assert program is not None
    engine = FormulaEngine(program)
    assert engine.evaluate(person(revenue="5")).pays["half_kopeck"].value == D("3")   # 2.5 → 3
    assert engine.evaluate(person(revenue="3")).pays["half_kopeck"].value == D("2")   # 1.5 → 2
