"""A mean, and the median of two middle values, are rounded once, the same in every place that
computes one: row by row, from the database's sum and count or middle values, and in the linter's
witness rows. The oracle is exact rational arithmetic with its own rounding to 34 significant
digits, half to even (the formula stage's context), sharing no code with kpilang."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from kpilang.checks.witness_rows import _weighted
from kpilang.evaluate.rowwise import _aggregate
from kpilang.evaluate.sql import _avg_finisher, _median_finisher


def round_to_34_digits(exact: Fraction) -> D:
    """`exact` to 34 significant digits, half to even, by integer arithmetic."""
    sign = -1 if exact < 0 else 1
    exact = abs(exact)
    exponent = 0
    while exact >= 10 ** 34:
        exact /= 10
        exponent += 1
    while exact < 10 ** 33:
        exact *= 10
        exponent -= 1
    whole, rest = divmod(exact.numerator, exact.denominator)
    twice = 2 * rest
    if twice > exact.denominator or (twice == exact.denominator and whole % 2):
        whole += 1
    return D(f"{sign * whole}E{exponent}")  # a literal: no context rounds it


# Their exact sum, 10^34 + 1, has 35 digits: rounded first to 34 (10^34) and then divided by 3 it
# ends in ...333; divided exactly and rounded once it ends in ...334.
LONG_VALUES = [D(10) ** 34, D(1), D(0)]


def test_the_oracle_rounds_as_the_comment_says():
    assert round_to_34_digits(Fraction(10 ** 34 + 1, 3)) == D("3" * 33 + "4")
    assert round_to_34_digits(Fraction(5, 2 * 10 ** 33)) == D("2.5E-33")
    # 10^35 has 36 digits: the last two are rounded away
    assert round_to_34_digits(Fraction(10 ** 35 + 50)) == D(10 ** 35)  # ...0|50: half to the even 0
    assert round_to_34_digits(Fraction(10 ** 35 + 150)) == D(10 ** 35 + 200)  # ...1|50: half to the even 2
    assert round_to_34_digits(Fraction(-(10 ** 35) - 151)) == D(-(10 ** 35) - 200)


def test_a_row_by_row_mean_is_rounded_once():
    expected = round_to_34_digits(Fraction(10 ** 34 + 1, 3))
    assert expected == D("3" * 33 + "4")
    assert _aggregate("avg", LONG_VALUES) == expected


def test_the_database_mean_and_the_witness_mean_agree_with_the_row_by_row_one():
    expected = round_to_34_digits(Fraction(10 ** 34 + 1, 3))
    assert _avg_finisher("m")({"m_sum": D(10 ** 34 + 1), "m_n": 3}) == expected
    assert _weighted("avg", [(D(10) ** 34, 1), (D(1), 1), (D(0), 1)]) == expected
    # a value held by two rows counts twice: (10^34 + 2·1) / 3
    assert _weighted("avg", [(D(10) ** 34, 1), (D(1), 2)]) == round_to_34_digits(Fraction(10 ** 34 + 2, 3))


@pytest.mark.parametrize(("lower", "upper"), [
    (D(10) ** 34, D(1)),  # the sum has 35 digits
    (D("1.01"), D("2.00")),
    (D("0." + "6" * 33 + "7"), D("0." + "6" * 33 + "9")),  # the sum's last digit would be lost
])
def test_the_median_of_two_middle_values_is_their_exact_mean_rounded_once(lower, upper):
    expected = round_to_34_digits((Fraction(lower) + Fraction(upper)) / 2)
    assert _aggregate("median", [lower, upper]) == expected
    assert _median_finisher("m")({"m_lo": min(lower, upper), "m_hi": max(lower, upper)}) == expected
    assert _weighted("median", [(lower, 1), (upper, 1)]) == expected
