"""`round(x, N)` keeps at most `ROUND_DIGITS_MAX` digits after the point, said at compile time
(E0708 at N): a larger N made Decimal's quantize fail in lint, eval and explain for every value.
Within the bound, every value with the digits an amount or score can have rounds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.cli import main
from kpilang.compile import compile_text
from kpilang.compile.names import ROUND_DIGITS_MAX
from kpilang.evaluate.numbers import PRECISION, decimal_context, digits_quantum, round_half_up

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cold_sales"
PLAN = (EXAMPLE / "cold_sales.kpi").read_text(encoding="utf-8")
BONUS = "salary * multiplier(kpi_score)"


def _with_digits(digits: str) -> str:
    assert BONUS in PLAN
    return PLAN.replace(BONUS, f"round({BONUS}, {digits})")


@pytest.mark.parametrize("digits", [str(ROUND_DIGITS_MAX + 1), "40", "999999", "1_000"])
def test_too_many_digits_is_an_error_at_the_digits(digits):
    text = _with_digits(digits)
    result = compile_text(text, "plan.kpi")
    assert result.program is None
    error = result.diagnostics[0]
    assert (error.code, error.name) == ("E0708", "bad-arguments")
    start = text.index(f", {digits})") + 2
    line, column = text.count("\n", 0, start) + 1, start - text.rindex("\n", 0, start)
    assert (error.span.line, error.span.column, error.span.end_column) == (line, column, column + len(digits))
    assert f"at most {ROUND_DIGITS_MAX} digits" in error.message and f"not {digits}" in error.message
    assert "34 significant digits" in error.help
    russian = error.localized("ru")
    assert f"не больше {ROUND_DIGITS_MAX} знаков" in russian.message and "34 значащих" in russian.help


def test_the_most_digits_go_through_every_command(tmp_path):
    plan = tmp_path / "plan.kpi"
    plan.write_text(_with_digits(str(ROUND_DIGITS_MAX)), encoding="utf-8")
    data = ["--data", str(EXAMPLE / "data"), "--period", "2026-07"]
    runner = CliRunner()
    for command in (["lint"], ["test"], ["eval", *data], ["explain", *data]):
        outcome = runner.invoke(main, [command[0], str(plan), *command[1:]])
        assert outcome.exception is None or isinstance(outcome.exception, SystemExit), (command, outcome.exception)
        assert outcome.exit_code == 0, (command, outcome.output)
        assert "InvalidOperation" not in outcome.output, command


def test_the_bound_leaves_room_for_the_digits_before_the_point():
    assert PRECISION - ROUND_DIGITS_MAX >= 20  # amounts up to 10^20 (a hundred quintillion) still round


@settings(deadline=None)  # each example compiles or loads Unicode tables: a busy machine is no failure
@given(st.integers(0, ROUND_DIGITS_MAX), st.decimals(min_value=Decimal("-1e20"), max_value=Decimal("1e20"),
                                                     allow_nan=False, allow_infinity=False, places=20))
def test_every_value_of_up_to_20_digits_rounds_to_every_allowed_digit_count(digits, value):
    with decimal_context():
        rounded = round_half_up(+value, digits_quantum(digits))
    assert abs(rounded - value) <= Decimal(1).scaleb(-digits) / 2 + Decimal(1).scaleb(-(PRECISION - 21))
