"""A team plan read from git (`REV:path`) brings its members' plans (`import members`) along."""

from __future__ import annotations

from pathlib import Path

from kpilang.change.revision import compile_at

from .gitrepo import GitRepo

RULES = Path(__file__).resolve().parents[2] / "rules"


def test_a_team_plan_at_a_revision_compiles_with_its_members(tmp_path):
    git = GitRepo(tmp_path / "repo")
    for plan in RULES.rglob("*.kpi"):
        git.write(f"rules/{plan.relative_to(RULES).as_posix()}", plan.read_text(encoding="utf-8"))
    rev = git.commit("Ready plans", "2026-06-10T10:00:00+03:00")

    compiled = compile_at(git.path, rev, "rules/head_of_sales.kpi")

    assert compiled.program is not None, [d.message for d in compiled.diagnostics]
    assert {m.program.plan.name for m in compiled.program.member_plans} >= {"cold_sales", "account_managers"}
