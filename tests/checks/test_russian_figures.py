"""Numbers in Russian diagnostics are written the Russian way (decimal comma, digits grouped by
three with a no-break space, as Babel's Russian locale and the statements write them); numbers
inside a code span stay as a plan writes them, since they are meant to be typed into a plan."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from kpilang.lint import lint_file
from kpilang.messages import Figure, figure_text, t

PLAN = """plan p "P" {
    role inbound  period month  effective 2026-07-01
    currency RUB  strategy growth  goal "g"
}
metric fast = share(leads where first_response_at - created_at <= 15m)  kind quality
metric r = sum(deals.amount where stage = "won")  kind result
kpi sla "SLA" = fast otherwise 0 target 95 weight 20% cap 120%
kpi rev "R" = r target targets.revenue weight 80% cap 150%
"""


@given(st.decimals(min_value=Decimal("-1E12"), max_value=Decimal("1E12"), places=6, allow_nan=False,
                   allow_infinity=False))
def test_a_russian_figure_is_written_as_babel_writes_it(value: Decimal) -> None:
    plain = format(value.normalize(), "f")
    assert figure_text(plain, "ru") == format_decimal(value, locale="ru", decimal_quantization=False)


def test_an_english_figure_stays_as_written() -> None:
    assert figure_text("25000.5", "en") == "25000.5"


def test_a_money_figure_keeps_its_minor_unit_in_russian() -> None:
    text = t("KPL005.message", name="bonus", low=Decimal("0.00"), high=Decimal("50000.00"), witness="calls = 1000")
    assert "с 0,00 до 50\u00a0000,00" in text.render("ru")
    assert "from 0.00 to 50000.00" in text.render("en")


def test_a_figure_inside_a_code_span_stays_as_a_plan_writes_it() -> None:
    assert t("KPL027.share-target-help", percent=Figure("95.5%")).render("ru").endswith("`target 95.5%`")


def test_percents_of_a_russian_diagnostic_have_a_decimal_comma(tmp_path: Path) -> None:
    plan = tmp_path / "p.kpi"
    plan.write_text(PLAN, encoding="utf-8")
    [finding] = [d for d in lint_file(plan).diagnostics if d.code == "KPL027"]
    assert "1,05%" in finding.localized("ru").message
    assert "1.05%" in finding.message
