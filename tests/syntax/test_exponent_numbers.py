"""A number in exponent notation (`1e6`, `1.5E-3`, `1e999999`) is not part of the language: one
E0108 error over the whole number, with the number written out when that is short, instead of an
"unexpected character" at its first digit or a "missing clause" at its point."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.compile import compile_text
from tests.compile.test_errors import PLAN as PLAN_HEADER

PLAN = PLAN_HEADER + "\npay bonus =\n    salary * NUMBER\n"


@pytest.mark.parametrize(("written", "plain"), [
    ("1e6", "1000000"), ("1.5e3", "1500"), ("2E-3", "0.002"), ("1e+5", "100000"), ("1_000e3", "1000000"),
    ("1e999999", None), ("1e99999999999999999999999999999999", None), ("1.5e-60", None),
])
def test_exponent_notation_is_said_as_such(written, plain):
    result = compile_text(PLAN.replace("NUMBER", written), "plan.kpi")
    assert result.program is None
    error = result.diagnostics[0]
    assert (error.code, error.name) == ("E0108", "exponent-number")
    assert (error.span.line, error.span.column, error.span.end_line, error.span.end_column) == \
        (11, 14, 11, 14 + len(written))
    assert f"`{written}`" in error.message and "exponent notation" in error.message
    if plain is None:
        assert "no figure of a plan" in error.help
    else:
        assert f"`{plain}`" in error.help
    russian = error.localized("ru")
    assert "экспоненциальной" in russian.message


@pytest.mark.parametrize("written", ["3e", "1e5x", "e5"])
def test_what_is_not_a_number_in_exponent_notation_keeps_its_own_error(written):
    result = compile_text(PLAN.replace("NUMBER", written), "plan.kpi")
    assert result.program is None
    assert result.diagnostics[0].code != "E0108"


@settings(deadline=None)  # each example compiles or loads Unicode tables: a busy machine is no failure
@given(st.integers(0, 10**9), st.integers(-30, 30))
def test_the_suggested_number_is_the_same_value(mantissa, exponent):
    from decimal import Decimal

    written = f"{mantissa}e{exponent}"
    error = compile_text(PLAN.replace("NUMBER", written), "plan.kpi").diagnostics[0]
    assert error.code == "E0108"
    if "`" in error.help:
        suggested = error.help.split("`")[1]
        assert "e" not in suggested.lower() and Decimal(suggested) == Decimal(written)
        assert compile_text(PLAN.replace("NUMBER", suggested), "plan.kpi").ok
