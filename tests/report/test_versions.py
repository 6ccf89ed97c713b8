"""The plan in force for a past period: `REV:path` for eval and explain, and `--as-of-history`,
which takes for each period the version in force then from the git history."""

from __future__ import annotations

import json

import pytest

from kpilang.evaluate.period import parse_period
from kpilang.report.versions import VersionError, versions_in_force
from tests.change.gitrepo import GitRepo

from .conftest import PLAN, august_version, eval_json, run


def test_eval_of_rev_path_is_eval_of_that_version_checked_out(history):
    (history / "july.kpi").write_text(PLAN, encoding="utf-8")
    try:
        from_git = eval_json(history, "HEAD~1:rules/cold.kpi", "2026-07")
        from_disk = eval_json(history, "july.kpi", "2026-07")
    finally:
        (history / "july.kpi").unlink()
    assert from_git == from_disk


@pytest.mark.parametrize("period, version", [("2026-07", "HEAD~1"), ("2026-08", "HEAD"), ("2026-09", "HEAD")])
def test_as_of_history_evaluates_each_period_by_the_version_in_force_then(history, period, version):
    code, out, err = run(history, "eval", "rules/cold.kpi", "--data", "demo", "--period", period,
                         "--format", "json", "--as-of-history")
    assert code in (0, 1)
    assert json.loads(out) == eval_json(history, f"{version}:rules/cold.kpi", period)
    assert f"rules/cold.kpi in {period}: the version in force then" in err


def test_as_of_history_refuses_a_period_before_every_version(history):
    code, out, err = run(history, "eval", "rules/cold.kpi", "--data", "demo", "--period", "2026-06",
                         "--as-of-history")
    assert code == 2 and out == ""
    assert "no version of rules/cold.kpi was in force in 2026-06: the earliest takes effect on 2026-07-01" in err


def test_explain_takes_the_version_in_force_too(history):
    code, out, err = run(history, "explain", "rules/cold.kpi", "--data", "demo", "--period", "2026-07",
                         "--manager", "m0010", "--as-of-history", "--lang", "en")
    assert code in (0, 1), err
    assert "Юрий Васильев" in out  # m0010's statement
    assert "the version in force then" in err


def test_a_later_correction_of_the_version_in_force_replaces_it(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("cold.kpi", PLAN)
    first = repo.commit("July plan", "2026-06-10T10:00:00+03:00")
    repo.write("cold.kpi", august_version())
    august = repo.commit("August plan", "2026-07-10T10:00:00+03:00")
    repo.write("cold.kpi", august_version().replace("effective 2026-08-01", "effective 2026-07-01"))
    correction = repo.commit("Correct the July plan\n\nKPI-Override: agreed with finance", "2026-07-20T10:00:00+03:00")
    chosen = versions_in_force(str(repo.path / "cold.kpi"), [parse_period("2026-07"), parse_period("2026-08")],
                               repo.path)
    # July: the correction (committed last, effective July) replaces the first version; August:
    # the correction is also the last committed version in force (its effective date is earlier)
    assert chosen["2026-07"].commit.sha == correction
    assert chosen["2026-08"].commit.sha == correction
    assert first != august


def test_a_plan_never_committed_has_no_history(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("other.txt", "x")
    repo.commit("start", "2026-06-10T10:00:00+03:00")
    repo.write("cold.kpi", PLAN)
    with pytest.raises(VersionError, match="has no committed version"):
        versions_in_force(str(repo.path / "cold.kpi"), [parse_period("2026-07")], repo.path)


def test_versions_that_do_not_compile_are_passed_over(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.write("cold.kpi", PLAN)
    good = repo.commit("July plan", "2026-06-10T10:00:00+03:00")
    repo.write("cold.kpi", PLAN.replace("weight 50%", "weight"))
    repo.commit("broken", "2026-06-20T10:00:00+03:00")
    chosen = versions_in_force(str(repo.path / "cold.kpi"), [parse_period("2026-07")], repo.path)
    assert chosen["2026-07"].commit.sha == good
