"""Any figure the evaluator can produce is shown, in every format, without failing and without
losing a digit: 30 digits and more (a metric summing huge amounts, `revenue * 10^30`) used to
raise decimal.InvalidOperation in the 28-digit default context, or be rounded silently."""

from __future__ import annotations

import json
import re
from decimal import Decimal, localcontext

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from kpilang.cli import main
from kpilang.evaluate.numbers import percent as plan_percent
from kpilang.payouts.table import percent as table_percent
from kpilang.explain.approx import plain
from kpilang.explain.formatting import LocaleFormat
from kpilang.messages import t

from tests.conftest import NORMATIVE

FORMATS = [LocaleFormat(lang, "RUB") for lang in ("ru", "en")]
KINDS = ("money", "percent", "number", "count", "duration")

# What the evaluator holds: up to 34 significant digits, exponents far beyond any real figure.
figures = st.builds(lambda digits, exponent, negative: Decimal((int(negative), tuple(digits), exponent)),
                    st.lists(st.integers(0, 9), min_size=1, max_size=34), st.integers(-40, 40), st.booleans())


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text).lstrip("0")


def _written(value: Decimal) -> str:
    """The digits of `value` as a statement writes a number: no trailing zeros after the point."""
    text = format(value, "f")
    return _digits(text.rstrip("0").rstrip(".") if "." in text else text)


@settings(max_examples=300, deadline=None)
@given(figures)
def test_every_figure_formats_in_every_kind_and_language(value):
    for fmt in FORMATS:
        for kind in KINDS:
            fmt.figure(value, kind)
            fmt.exact(value, kind)
            fmt.signed(value, kind)
            fmt.between(value - 1, value, value + 1, kind)
            fmt.above(value + Decimal("0.001"), value, kind)


@settings(max_examples=300, deadline=None)
@given(figures)
def test_an_exact_figure_keeps_every_digit(value):
    for fmt in FORMATS:
        assert _digits(plain(fmt.exact(value, "number"))) == _written(value)
        with localcontext(prec=120):
            pay = value.quantize(Decimal("0.01"))
        assert _digits(fmt.figure(pay, "money")) == _digits(format(pay, "f"))  # a pay: never rounded


def test_a_33_digit_amount_is_shown_whole():
    amount = Decimal("1000000000000000000000000000000.01")
    assert LocaleFormat("en", "RUB").figure(amount, "money") == "RUB\u00a01,000,000,000,000,000,000,000,000,000,000.01"


def test_percents_of_huge_attainments():
    assert table_percent(Decimal("7.5E+26")) == "75,000,000,000,000,000,000,000,000,000.0%"
    assert plan_percent(Decimal("1234567890123456789012345678901.5")) == "123456789012345678901234567890150%"


def test_check_messages_show_amounts_without_an_exponent():
    text = t("KPL005.message", name="p", low=Decimal("0.00"), high=Decimal("1.000E+42"), witness="calls = 1")
    assert "1000000000000000000000000000000000000000000" in text.render("en")
    assert "E+" not in text.render("ru")


PLAN = (NORMATIVE / "cold_sales.kpi").read_text(encoding="utf-8").replace(
    "    new_clients\n    target 4", "    new_clients * 1_000_000_000_000_000_000_000_000_000\n    target 4").replace(
    "    2% * revenue", "    revenue * 1_000_000_000_000_000_000_000")


@pytest.fixture(scope="module")
def huge_plan(tmp_path_factory):
    path = tmp_path_factory.mktemp("huge") / "huge.kpi"
    path.write_text(PLAN.replace("    weight 30%\n    cap    150%", "    weight 30%"), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_eval_shows_huge_figures(huge_plan, fmt):
    result = CliRunner().invoke(main, ["eval", huge_plan, "--data", str(NORMATIVE / "data"), "--period", "2026-07",
                                       "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        m1 = next(r for r in json.loads(result.stdout)["results"] if r["manager_id"] == "m1")
        assert m1["kpis"]["new_clients_kpi"]["attainment"] == "750000000000000000000000000"
        assert m1["pays"]["commission"] == "1150000500000000000000000000.00"
    if fmt == "table":
        assert "75,000,000,000,000,000,000,000,000,000.0%" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_explain_shows_huge_figures(huge_plan, fmt):
    result = CliRunner().invoke(main, ["explain", huge_plan, "--data", str(NORMATIVE / "data"), "--period",
                                       "2026-07", "--format", fmt, "--lang", "en", "--manager", "m1"])
    assert result.exit_code == 0, result.output
    assert "1,150,000,500,000,000,000,000,000,000.00" in result.stdout
