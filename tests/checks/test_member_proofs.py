"""The linter's proofs over a team plan's members: a share of members who met their plan needs a
sale exactly when every members' plan does, whatever the team metric's `kind` says; a team figure
is the head's own result."""

from __future__ import annotations

from pathlib import Path

import pytest

import kpilang
from kpilang.bundled import rules_dir
from kpilang.checks.controllability import Controllability
from kpilang.checks.intervals import INF
from kpilang.checks.proofs import PlanProofs
from tests.compile.test_members import HEAD_FIELDS

SELLS = '''plan cold "Cold" {
    role cold  period month  effective 2026-07-01  timezone "Europe/Moscow"
    currency RUB  strategy growth  goal "g"
}
metric won = count(deals where stage = "won") kind result
metric calls = count(activities where type = "call") kind activity
kpi won_kpi = won target 5 weight 70% cap 120%
kpi calls_kpi = calls target 100 weight 30% cap 120%
pay total = salary * kpi_score cap 2 * salary
'''
BUSY = SELLS.replace("plan cold", "plan busy").replace("role cold", "role busy").replace(
    "weight 70%", "weight 10%").replace("weight 30%", "weight 90%")
"""A members' plan whose people reach 100% on calls alone: 90% × 120% = 108% without a sale."""

HEAD = '''{imports}
plan head "Head" {{
{fields}    scope     team
}}
metric met = share(members where kpi_score >= 100%) kind result
metric payroll = sum(members.pays.total)
metric team_deals = count(deals) kind activity
kpi met_kpi = met otherwise 0 target 50% weight 80% cap 120%
kpi deals_kpi = team_deals target 10 weight 20% cap 100%
pay total = salary * kpi_score
'''


def team_plan(tmp_path: Path, *plans: str):
    (tmp_path / "cold.kpi").write_text(SELLS, encoding="utf-8")
    (tmp_path / "busy.kpi").write_text(BUSY, encoding="utf-8")
    imports = "".join(f'import members "{p}.kpi"\n' for p in plans)
    (tmp_path / "head.kpi").write_text(HEAD.format(imports=imports, fields=HEAD_FIELDS), encoding="utf-8")
    return tmp_path / "head.kpi"


def codes(path: Path) -> set[str]:
    return {d.code for d in kpilang.lint(path).diagnostics}


def test_no_member_meets_plan_without_a_sale_when_no_members_plan_can(tmp_path):
    program = kpilang.load(team_plan(tmp_path, "cold")).program
    proofs = PlanProofs(program)
    met = proofs.without_sales["met"]
    assert (met.lo, met.hi) == (0, 0)
    assert proofs.no_sales["kpi_score"].hi < 1
    assert "KPL004" not in codes(tmp_path / "head.kpi")


def test_a_members_plan_met_without_a_sale_makes_the_share_metable_whatever_its_kind(tmp_path):
    program = kpilang.load(team_plan(tmp_path, "cold", "busy")).program
    proofs = PlanProofs(program)
    met = proofs.without_sales["met"]
    assert (met.lo, met.hi) == (0, 1), "`kind result` does not pin a team figure to zero"
    assert proofs.no_sales["kpi_score"].hi >= 1
    assert "KPL004" in codes(tmp_path / "head.kpi"), "not proven: the linter says it cannot rule it out"


def test_a_sum_of_members_pays_is_never_negative_and_unbounded(tmp_path):
    proofs = PlanProofs(kpilang.load(team_plan(tmp_path, "cold")).program)
    payroll = proofs.ranges["payroll"]
    assert payroll.lo == 0 and payroll.hi == INF and not payroll.maybe_none


def test_a_team_figure_is_the_heads_own_result(tmp_path):
    program = kpilang.load(team_plan(tmp_path, "cold")).program
    control = Controllability(program)
    assert not control.uncontrollable_for("met", "head")
    assert "KPL015" not in codes(tmp_path / "head.kpi")


@pytest.mark.parametrize("path", sorted(rules_dir().glob("*.kpi")), ids=lambda p: p.name)
def test_every_template_lints_clean(path):
    assert [d for d in kpilang.lint(path).diagnostics if d.severity.value in ("error", "warning")] == []
