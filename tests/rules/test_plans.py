"""The ready plans are what the domain asks of a plan, checked directly on the compiled Program
(independent of the linter): 1 strategy → 1 goal → 2–4 KPIs → 6–8 metrics → 1 motivation system."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpilang.compile import compile_file
from kpilang.workspace.templates import motivation_model

from .conftest import LIBRARY_FILES, PLAN_FILES, TEMPLATE_NAMES

ROLES = {"base", "cold", "inbound", "account", "chat", "head"}
LOWEST_PAYING_SCORE = Decimal("0.70")
"""The standard multiplier pays nothing below 70%; the model-1 plans pay from 100%."""


def test_one_plan_per_kind_of_selling(programs):
    assert len(PLAN_FILES) == 6
    roles = [role for p in programs.values() for role in p.plan.roles]
    assert sorted(roles) == sorted(ROLES)
    head = next(p for p in programs.values() if "head" in p.plan.roles)
    assert head.plan.scope == "team"
    assert all(p.plan.scope == "person" for p in programs.values() if p is not head)


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_compiles_with_no_diagnostic(compiled, name):
    result = compiled[name]
    assert result.program is not None
    assert result.diagnostics == []


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=lambda p: p.name)
def test_libraries_compile_alone_and_hold_no_plan(path):
    result = compile_file(path)
    assert result.diagnostics == []
    assert result.program.plan is None
    assert not result.program.kpis and not result.program.pays
    assert result.program.metrics or result.program.tables


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_design_formula(programs, name):
    program = programs[name]
    assert 6 <= len(program.metrics) <= 8, sorted(program.metrics)
    assert 2 <= len(program.kpis) <= 4, sorted(program.kpis)
    assert sum(k.weight for k in program.kpis.values()) == Decimal(1)
    assert program.plan.strategy and program.plan.goal.strip()
    assert program.plan.effective.day == 1 and program.plan.period == "month"


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_every_kpi_capped_and_paid(programs, name):
    program = programs[name]
    for kpi in program.kpis.values():
        assert kpi.cap is not None, kpi.name
        assert any(kpi.name in program.reaches(pay) for pay in program.pays), f"no pay depends on {kpi.name}"


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_every_declaration_has_a_russian_label(programs, name):
    program = programs[name]
    assert program.plan.label
    for group in (program.metrics, program.kpis, program.tables, program.pays):
        for decl in group.values():
            assert decl.label, decl.name
            assert any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in decl.label), decl.label


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_no_kpi_depends_on_an_uncontrollable_metric(programs, name):
    program = programs[name]
    for kpi in program.kpis:
        for dep in program.reaches(kpi):
            metric = program.metrics.get(dep)
            if metric is not None:
                assert not any(metric.uncontrollable_for_role(r) for r in program.plan.roles), (kpi, dep)


def test_leads_controllability_follows_the_role(programs):
    leads = programs["cold_sales"].metrics["leads_received"]
    assert not leads.uncontrollable_for_role("cold")
    assert leads.uncontrollable_for_role("inbound") and leads.uncontrollable_for_role("chat")
    assert "lead_generation" in programs["cold_sales"].kpis
    for name in ("inbound_leads", "online_chats"):
        assert "leads_received" in programs[name].metrics


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_cannot_be_met_without_sales(programs, name):
    """With every result metric at zero and every other KPI at its cap, the score stays below the
    lowest score any plan pays a KPI bonus for."""
    program = programs[name]
    results = {n for n, m in program.metrics.items() if m.kind == "result"}
    assert results
    best_without_sales = sum(
        (k.weight * k.cap for k in program.kpis.values() if not program.reaches(k.name) & results), Decimal(0)
    )
    assert best_without_sales < LOWEST_PAYING_SCORE


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_has_a_no_sales_no_bonus_test(programs, name):
    program = programs[name]
    results = {n for n, m in program.metrics.items() if m.kind == "result"}
    bonus_pays = {n for n in program.pays if "kpi_score" in program.reaches(n) and not
                  any(d in program.pays for d in program.depends_on[n])}

    def is_no_sales(test) -> bool:
        given = {getattr(g.target, "name", None): g.value for g in test.given}
        expect = {getattr(e.target, "name", None): e.value for e in test.expect}
        return (all(given.get(r) == 0 for r in results)
                and bonus_pays and all(expect.get(p) == 0 for p in bonus_pays))

    assert any(is_no_sales(t) for t in program.tests), "no test gives zero sales and expects no bonus"


def test_all_three_motivation_models_appear(programs):
    models = {motivation_model(p) for p in programs.values()}
    assert models == {"kpi_bonus", "salary_multiplier", "combined"}


def test_a_graduated_tier_is_called_with_a_base(programs):
    graduated = [(name, t) for name, p in programs.items() for t in p.tables.values() if t.graduated]
    assert graduated
    name, table = graduated[0]
    program = programs[name]
    assert [b.value for b in table.bands] == [Decimal("0.03"), Decimal("0.05")]
    users = [p for p in program.pays.values() if table.name in program.depends_on[p.name]]
    assert users and "targets.revenue" in program.depends_on[users[0].name]


def test_shared_metrics_come_from_the_library(programs):
    for program in programs.values():
        assert any(f.replace("\\", "/").endswith("lib/common.kpi") for f in program.files[1:])
        assert {"revenue", "deals_won", "new_clients"} <= set(program.metrics)
