"""Values written into another engine's SQL keep every digit (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from kpilang.warehouse.dialects import DIALECTS, literal

AMOUNTS = st.decimals(min_value=Decimal("-1e20"), max_value=Decimal("1e20"), places=6, allow_nan=False,
                      allow_infinity=False)


@pytest.mark.parametrize("dialect", DIALECTS)
@settings(max_examples=40)
@given(value=AMOUNTS)
def test_an_amount_is_written_as_an_exact_decimal_and_read_back_digit_for_digit(dialect, value):
    written = literal(value, dialect).sql(dialect=dialect)
    cast = sqlglot.parse_one(f"SELECT {written}", read=dialect).selects[0]
    assert isinstance(cast, exp.Cast)
    assert Decimal(cast.this.this) == value
    assert "FLOAT" not in written.upper() and "DOUBLE" not in written.upper()


@pytest.mark.parametrize("dialect", DIALECTS)
@settings(max_examples=40)
@given(text=st.text(max_size=30))
def test_a_text_is_written_as_one_string_literal_whatever_it_holds(dialect, text):
    written = literal(text, dialect).sql(dialect=dialect)
    parsed = sqlglot.parse_one(f"SELECT {written}", read=dialect).selects[0]
    assert isinstance(parsed, exp.Literal) and parsed.is_string
    assert parsed.this == text
