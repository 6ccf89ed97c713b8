"""The exact arithmetic of `numbers.py` on its own: the formula stage's context, the 60-digit
contributions and the score, the exact sum, money rounding, and how a figure is written for a
person. Every expected figure is worked out by hand in a comment or built from its digits as text,
never by calling the code under test a second way.
"""

from __future__ import annotations

from decimal import Decimal, DivisionByZero, InvalidOperation, getcontext

import pytest

from kpilang.evaluate.numbers import (
    decimal_context, digits_quantum, exact_sum, minor_unit, percent, plain, round_half_up, room_for, score_of,
    tidy, wide_contribution, wide_product,
)

D = Decimal


def test_the_formula_context_keeps_34_digits_and_traps_mistakes():
    with decimal_context():
        assert D(1) / D(3) == D("0." + "3" * 34)
        with pytest.raises(DivisionByZero):
            D(1) / D(0)
        with pytest.raises(InvalidOperation):
            D(0) / D(0)


def test_a_ratio_that_ends_is_simply_weighted():
    # 5 / 4 = 1.25 ends: 0.2 × 1.25 = 0.250, written with the digits the product has
    got = wide_contribution(D("0.2"), D(5), D(4), D("1.25"), clamped=False)
    assert got == D("0.25") and str(got) == "0.250"


def test_a_rounded_ratio_is_weighted_from_its_value_and_target():
    # 4 / 3 rounded to 34 digits is 1.333…3 (33 threes); 0.3 × 4 / 3 is exactly 0.4, where
    # 0.3 × 1.333…3 would be 0.3999…9
    ratio = D("1." + "3" * 33)
    assert wide_contribution(D("0.3"), D(4), D(3), ratio, clamped=False) == D("0.4")


def test_a_clamped_attainment_is_weighted_as_it_is():
    # a clamped attainment is the cap (or 0), not value / target: 0.3 × 1.333…3 (33 threes)
    # = 0.3 + 0.1 × (1 − 10⁻³³) = 0.3999…9 (33 nines), all 35 digits kept
    ratio = D("1." + "3" * 33)
    assert wide_contribution(D("0.3"), D(4), D(3), ratio, clamped=True) == D("0.3" + "9" * 33)
    assert wide_product(D("0.5"), D("1.2")) == D("0.6")
    # 60 digits: 0.7 × 0.1…1 (55 ones) = 0.07…7 (55 sevens), not rounded to 34
    assert wide_product(D("0.7"), D("0." + "1" * 55)) == D("0.0" + "7" * 55)


def test_the_score_adds_contributions_exactly_then_rounds_once():
    assert score_of([D("0.3"), D("0.4")]) == D("0.7")
    assert score_of([D("0.1"), D("0.2"), D("0.4")]) == D("0.7")
    assert score_of([D("0.25")]) == D("0.25")
    # 0.35 + 33 zeros + 4 twice: 0.7 + 33 zeros + 8, 35 digits, rounded once to 34: 0.7 + 32 zeros + 1.
    # Rounding each contribution first would give 0.35 + 0.35 = 0.7.
    half = D("0.35" + "0" * 32 + "4")
    assert score_of([half, half]) == D("0.7" + "0" * 32 + "1")
    # an exact 70% made of a rounded ratio: 0.4 × 0.75 + 0.3 × 4 / 3 = 0.3 + 0.4
    third = wide_contribution(D("0.3"), D(4), D(3), D("1." + "3" * 33), clamped=False)
    assert score_of([D("0.3"), third]) == D("0.7")


def test_an_exact_sum_does_not_depend_on_the_order_of_the_rows():
    # 10⁴⁰ + 1 − 10⁴⁰ is 1 in any order; adding in 34 digits loses the 1 when 10⁴⁰ comes first
    assert exact_sum([D("1E+40"), D(1), D("-1E+40")]) == D(1)
    assert exact_sum([D(1), D("1E+40"), D("-1E+40")]) == D(1)
    # no rows: a decimal zero, not the integer 0 that `sum` starts from
    assert type(exact_sum([])) is Decimal and str(exact_sum([])) == "0"
    assert exact_sum([D("0.10"), D("0.20")]) == D("0.3") and str(exact_sum([D("0.10"), D("0.20")])) == "0.30"


def test_an_exact_sum_is_rounded_once_to_34_digits_halves_to_even():
    # 10³³ + 0.5 has 35 digits; to 34 it is an exact half: 10³³ (even), not 10³³ + 1
    ten_to_33 = D("1" + "0" * 33)
    assert exact_sum([ten_to_33, D("0.5")]) == ten_to_33
    # 10³³ + 1.5 → 10³³ + 2 (even)
    assert exact_sum([ten_to_33, D("1.5")]) == D("1" + "0" * 32 + "2")


@pytest.mark.parametrize(("value", "quantum", "rounded"), [
    ("0.125", "0.01", "0.13"),
    ("-0.125", "0.01", "-0.13"),
    ("0.124", "0.01", "0.12"),
    ("2.5", "1", "3"),
    ("1.5", "1", "2"),
    ("-2.5", "1", "-3"),
    ("0.0005", "0.001", "0.001"),
])
def test_money_is_rounded_halves_away_from_zero(value, quantum, rounded):
    got = round_half_up(D(value), D(quantum))
    assert str(got) == rounded


@pytest.mark.parametrize(("currency", "unit"), [(None, "0.01"), ("RUB", "0.01"), ("EUR", "0.01"), ("JPY", "1"),
                                                ("KWD", "0.001")])
def test_the_minor_unit_of_a_currency(currency, unit):
    assert str(minor_unit(currency)) == unit


@pytest.mark.parametrize(("digits", "quantum"), [(2, "0.01"), (0, "1"), (1, "0.1"), (-3, "1E+3")])
def test_the_quantum_of_round_digits(digits, quantum):
    assert str(digits_quantum(digits)) == quantum


@pytest.mark.parametrize(("value", "written"), [
    ("0.50", "0.5"), ("1.500", "1.5"), ("1.00", "1"), ("10", "10"), ("50.0", "50"), ("100", "100"), ("1E+3", "1000"), ("0.57500025", "0.57500025"),
    ("0", "0"), ("0.000", "0"),
])
def test_tidy_drops_trailing_zeros_never_in_exponent_form(value, written):
    assert str(tidy(D(value))) == written


@pytest.mark.parametrize(("value", "written"), [
    (None, "(no value)"),
    (True, "true"),
    (False, "false"),
    (D("72000.00"), "72000.00"),
    (D("1E+3"), "1000"),
    (D("-1.5"), "-1.5"),
    (D("0"), "0"),
    (D("0E+2"), "0"),
    (D("-0"), "0"),
    (D("0.00"), "0.00"),
    (D("-0.00"), "0.00"),
    (D("0E-7"), "0.0000000"),      # a zero with seven decimals, never `0E-7`
    (D("-0E-3"), "0.000"),
    (D("1E-7"), "0.0000001"),
    ('say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'),
    (7, "7"),
])
def test_plain_writes_a_figure_as_a_person_reads_it(value, written):
    assert plain(value) == written


@pytest.mark.parametrize(("value", "written"), [
    ("0.2", "20%"), ("1.5", "150%"), ("1", "100%"), ("0.125", "12.5%"), ("0", "0%"), ("-0.05", "-5%"),
    ("0.700", "70%"), ("12", "1200%"),
])
def test_percent_writes_a_fraction_as_plans_do(value, written):
    assert percent(D(value)) == written


def test_percent_keeps_every_digit_of_a_long_figure():
    # 70 decimals: ×100 moves the point two places; the default 28 digits would cut the figure
    digits = "1234567891" * 7
    assert percent(D("0." + digits)) == "12." + digits[2:] + "%"
    # 60 digits before the point and 30 after
    whole, fraction = "9" * 60, "3" * 30
    assert percent(D(whole + "." + fraction)) == whole + "33." + fraction[2:] + "%"


def test_room_for_holds_every_digit_of_its_values_and_leaves_the_context_as_it_was():
    before = getcontext().prec
    long_value = D("0." + "7" * 90)
    with room_for(long_value, None, D("NaN")):
        # 90 digits and 40 spare for display arithmetic: ×100 and rounding to 40 decimals keep all
        assert (long_value * 100).quantize(D("1E-128")) == D("77." + "7" * 88 + "0" * 40)
    with room_for(D("1E+100")):
        assert D("1E+100") + 1 == D("1" + "0" * 99 + "1")
    assert getcontext().prec == before
