"""Statements for the constructs the normative example does not use: a lower-is-better KPI over a
duration, a graduated commission on a base, a pay floor, a step table of a pay, and a KPI with
no value for someone (an error explained, never a zero)."""

from __future__ import annotations

import pytest

import kpilang
from kpilang.explain import build_statements, render_statements

from .conftest import DATA, PERIOD

PLAN = """
plan inbound_test "Входящие (тест)" {
    role cold
    period month
    effective 2026-07-01
    timezone "Europe/Moscow"
    currency RUB
    strategy service
    goal "Быстрый ответ"
}
metric response "Среднее время ответа" = avg(leads.first_response_at - leads.created_at)
metric revenue "Выручка" = sum(deals.amount where stage = "won")
metric won "Выигранные сделки" = count(deals where stage = "won")
kpi speed "Скорость ответа" = response target 30m weight 40% cap 200% lower is better
kpi plan_kpi "План по выручке" = revenue target targets.revenue weight 60% cap 150%
table tiers "Комиссия по ступеням" graduated { below 100% : 3%  from 100% : 5% }
table steps "Премия за сделки" { below 3 : 0  3 to 6 : 10000  from 6 : 25000 }
pay commission "Комиссия" = tiers(revenue, targets.revenue)
pay deal_bonus "Премия за сделки" = steps(won)
pay kpi_bonus "Премия за KPI" = salary * 20% * kpi_score floor 12000 cap salary
pay total "Итого" = salary + commission + deal_bonus + kpi_bonus
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "inbound_test.kpi"
    path.write_text(PLAN, encoding="utf-8")
    result = kpilang.load(path)
    assert result.program is not None, [d.message for d in result.diagnostics]
    return kpilang.evaluate(result.program, DATA, PERIOD, trace=True)


def text_of(report, manager_id, lang="ru", fmt="text"):
    statements = build_statements(report, lang=lang, managers=[manager_id])
    return statements[0], render_statements(statements, report, fmt=fmt, lang=lang).statements[0].text


def test_lower_is_better_over_a_duration(report):
    st, text = text_of(report, "m1")
    speed = next(k for k in st.kpis if k.name == "speed")
    assert speed.target == "30 мин"
    assert speed.direction.startswith("меньше — лучше: 30 мин / ")
    assert "Среднее время ответа:" in text and "средн" in text  # what was counted: an average


def test_graduated_commission_on_a_base(report):
    st, text = text_of(report, "m1", lang="en")
    [tiers] = [t for t in st.tables if t.name == "tiers"]
    assert tiers.graduated
    assert tiers.argument == "RUB\xa01,150,000.50 of a base of RUB\xa01,000,000.00"
    assert [t.line for t in tiers.tiers] == [
        "RUB\xa00.00 to RUB\xa01,000,000.00: 3% × RUB\xa01,000,000.00 = RUB\xa030,000.00",
        "from RUB\xa01,000,000.00: 5% × RUB\xa0150,000.50 = RUB\xa07,500.025",
    ]
    assert "Комиссия: RUB\xa037,500.03" in text
    assert "to RUB\xa00.01, half up: RUB\xa037,500.025 → RUB\xa037,500.03" in text


def test_step_table_of_a_count_and_the_next_band(report):
    st, text = text_of(report, "m2", lang="en")
    [steps] = [t for t in st.tables if t.name == "steps"]
    assert steps.band == "below 3" and steps.why == "2 < 3" and steps.result == "0"
    # m2's KPI score has no value (no leads to time), but the deal bonus does not depend on it
    [reach] = [w for w in st.what_it_takes if w.table == "Премия за сделки"]
    assert reach.next == "3 to 6 → 10,000"
    assert [o.change for o in reach.options] == ["+1"]


def test_floor_applied_is_said(report):
    st, text = text_of(report, "m1")
    [bonus] = [p for p in st.pays if p.name == "kpi_bonus"]
    assert bonus.floored and bonus.floor_line == "применён: 12\xa0000 = 12\xa0000,00\xa0₽"
    assert bonus.cap_line == "не достигнут: Оклад = 60\xa0000,00\xa0₽"
    assert bonus.value == "12\xa0000,00\xa0₽"


def test_a_kpi_without_value_is_an_error_not_a_zero(report):
    # m4 has no leads at all: the average response time has no value
    st, text = text_of(report, "m4", lang="en")
    assert not st.ok
    speed = next(k for k in st.kpis if k.name == "speed")
    assert speed.value == "—" and speed.error is not None
    assert "Среднее время ответа: no value" in text
    assert "Evaluation errors" in text
    assert "KPI score: not computed" in text
