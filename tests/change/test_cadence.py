"""The quarterly cadence gate over real git histories with chosen commit dates."""

from __future__ import annotations

import json
import subprocess
from datetime import date

import pytest
from click.testing import CliRunner

from kpilang.change.cadence import check_cadence
from kpilang.change.git import GitError
from kpilang.cli import main

from .conftest import PLAN
from .gitrepo import GitRepo
from .plans import BASE, with_effective

Q4 = "2026-10-01"


def q4_weights(revenue: int, clients: int) -> str:
    return (with_effective(BASE, Q4).replace("weight 50%", f"weight {revenue}%")
            .replace("weight 30%", f"weight {clients}%"))


def run(repo: GitRepo, *args: str):
    """`kpilang cadence ARGS` in the repository (the tests chdir there)."""
    return CliRunner().invoke(main, ["cadence", *args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def _in_repo(repo, monkeypatch):
    monkeypatch.chdir(repo.path)


def kinds(report):
    return [e.kind for e in report.histories[0].entries]


def rules(report):
    return [v.rule for _, _, v in report.violations]


def test_one_change_per_quarter_effective_next_quarter_passes(repo):
    repo.write(PLAN, q4_weights(40, 40))
    repo.commit("Q4: more weight on new clients", "2026-08-12T10:00:00+03:00")
    repo.write(PLAN, with_effective(repo.read(PLAN), "2027-01-01").replace("target 4", "target 5"))
    repo.commit("Q1: five new clients", "2026-11-03T10:00:00+03:00")
    report = check_cadence(repo.path)
    assert kinds(report) == ["introduced", "new version", "new version"]
    assert report.violations == []
    history = report.histories[0]
    assert [v.effective.isoformat() for v in history.versions] == ["2026-07-01", "2026-10-01", "2027-01-01"]
    assert "kpi new_clients_kpi: weight 30% → 40%" in history.entries[1].change_lines
    result = run(repo)
    assert result.exit_code == 0, result.output
    assert "new version" in result.output


def test_change_to_the_plan_in_force_fails(repo):
    repo.write(PLAN, BASE.replace("target 4", "target 5"))
    sha = repo.commit("raise the new-clients target", "2026-07-15T10:00:00+03:00")
    report = check_cadence(repo.path)
    assert rules(report) == ["changes-plan-in-force"]
    _, entry, violation = report.violations[0]
    assert entry.commit.sha == sha
    assert "cold_sales" in violation.message and PLAN in violation.message
    assert "2026-10-01" in violation.help
    result = run(repo)
    assert result.exit_code == 1
    assert sha[:10] in result.output and "changes-plan-in-force" in result.output
    assert "KPI-Override" in result.output


def test_retroactive_effective_date_fails(repo):
    repo.write(PLAN, with_effective(BASE, "2026-04-01").replace("target 4", "target 3"))
    repo.commit("backdate", "2026-08-20T10:00:00+03:00")
    assert rules(check_cadence(repo.path)) == ["retroactive"]


def test_effective_on_the_day_of_the_commit_is_retroactive(repo):
    repo.write(PLAN, q4_weights(40, 40))
    repo.commit("Q4 change made in Q4", "2026-09-30T23:30:00+00:00")  # 1 October in Moscow
    report = check_cadence(repo.path)
    assert rules(report) == ["retroactive"]
    # the commit's date is read in the plan's time zone: late 30 September UTC is October in Moscow
    assert report.histories[0].entries[1].committed_on.isoformat() == "2026-10-01"


def test_effective_not_next_quarter_but_later_in_this_one_fails(repo):
    repo.write(PLAN, q4_weights(40, 40))
    repo.commit("Q4 prepared", "2026-08-12T10:00:00+03:00")
    repo.write(PLAN, with_effective(q4_weights(40, 40), "2026-11-01"))
    repo.commit("start in November", "2026-10-05T10:00:00+03:00")
    assert sorted(rules(check_cadence(repo.path))) == ["effective-not-quarter-start", "too-soon"]


def test_effective_not_first_day_of_quarter_fails(repo):
    repo.write(PLAN, with_effective(q4_weights(40, 40), "2026-10-15"))
    repo.commit("mid-October start", "2026-08-12T10:00:00+03:00")
    assert rules(check_cadence(repo.path)) == ["effective-not-quarter-start"]


def test_two_commits_revising_the_same_pending_version_pass(repo):
    repo.write(PLAN, q4_weights(40, 40))
    repo.commit("Q4 draft", "2026-08-12T10:00:00+03:00")
    repo.write(PLAN, q4_weights(45, 35))
    repo.commit("Q4 after the sales meeting", "2026-09-01T10:00:00+03:00")
    repo.write(PLAN, q4_weights(45, 35).replace("target 4", "target 5"))
    repo.commit("Q4 final", "2026-09-20T10:00:00+03:00")
    report = check_cadence(repo.path)
    assert report.violations == []
    assert kinds(report) == ["introduced", "new version", "revision", "revision"]
    assert [e.revises.isoformat() for e in report.histories[0].entries[2:]] == [Q4, Q4]
    assert len(report.histories[0].versions) == 2


def test_revising_a_pending_version_after_it_took_effect_fails(repo):
    repo.write(PLAN, q4_weights(40, 40))
    repo.commit("Q4 draft", "2026-08-12T10:00:00+03:00")
    repo.write(PLAN, q4_weights(45, 35))
    repo.commit("too late", "2026-10-02T10:00:00+03:00")
    assert rules(check_cadence(repo.path)) == ["changes-plan-in-force"]


def test_reformat_and_comment_only_commits_are_no_change(repo):
    relaid = BASE.replace("    kind activity", "        kind activity").replace("\n\n", "\n\n\n")
    repo.write(PLAN, relaid)
    repo.commit("reformat", "2026-07-10T10:00:00+03:00")
    repo.write(PLAN, "# Reviewed with the sales team.\n" + relaid.replace("weight 50%", "weight 50%  # the main goal"))
    repo.commit("comments", "2026-07-11T10:00:00+03:00")
    repo.write(PLAN, repo.read(PLAN).replace('"Премия"', '"Ежемесячная премия"'))
    repo.commit("label", "2026-07-12T10:00:00+03:00")
    report = check_cadence(repo.path)
    assert report.violations == []
    assert kinds(report) == ["introduced"] + ["no change in meaning"] * 3


def test_a_renamed_file_keeps_its_history(repo):
    repo.git("mv", PLAN, "rules/outbound.kpi")
    repo.commit("rename the plan file", "2026-07-03T10:00:00+03:00")
    repo.write("rules/outbound.kpi", BASE.replace("target 4", "target 5"))
    repo.commit("change in force, after the rename", "2026-07-20T10:00:00+03:00")
    report = check_cadence(repo.path)
    history = report.histories[0]
    assert history.path == "rules/outbound.kpi"
    assert [e.path for e in history.entries] == [PLAN, "rules/outbound.kpi", "rules/outbound.kpi"]
    assert kinds(report) == ["introduced", "no change in meaning", "change to the plan in force"]
    assert rules(report) == ["changes-plan-in-force"]


def test_an_override_is_accepted_and_reported(repo):
    repo.write(PLAN, BASE.replace("2% * revenue", "3% * revenue"))
    sha = repo.commit("Commission 3% from July\n\nOrdered by the CEO after the audit.\n\n"
                      "KPI-Override: commission error found by the audit, CEO order 41",
                      "2026-07-20T10:00:00+03:00")
    report = check_cadence(repo.path)
    assert report.violations == []
    [(_, entry)] = report.overrides
    assert entry.commit.sha == sha
    assert entry.override == "commission error found by the audit, CEO order 41"
    assert [v.rule for v in entry.violations] == ["changes-plan-in-force"]
    result = run(repo, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    last = data["plans"][0]["history"][-1]
    assert last["override"] == "commission error found by the audit, CEO order 41"
    assert last["violations"][0]["overridden"] is True
    assert data["summary"] == {"plans": 1, "violations": 0, "overrides": 1}
    text = run(repo).output
    assert "override by Руководитель продаж: commission error found by the audit" in text


def test_a_shallow_clone_is_refused(repo, tmp_path, monkeypatch):
    repo.write(PLAN, q4_weights(40, 40))
    repo.commit("Q4", "2026-08-12T10:00:00+03:00")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True)
    with pytest.raises(GitError, match="shallow"):
        check_cadence(clone)
    monkeypatch.chdir(clone)
    result = CliRunner().invoke(main, ["cadence"])
    assert result.exit_code == 2
    assert "shallow clone" in result.output and "fetch-depth: 0" in result.output


def test_base_limits_the_check_but_history_still_defines_the_version_in_force(repo):
    repo.write(PLAN, BASE.replace("target 4", "target 5"))
    repo.commit("old sin, before the branch", "2026-07-15T10:00:00+03:00")
    base = repo.head()
    repo.write(PLAN, BASE.replace("target 4", "target 5").replace("weight 50%", "weight 40%")
               .replace("weight 30%", "weight 40%"))
    repo.commit("pull request: another change to the plan in force", "2026-08-01T10:00:00+03:00")
    report = check_cadence(repo.path, base=base)
    assert len(report.violations) == 1
    assert report.violations[0][1].commit.subject.startswith("pull request")
    assert [e.checked for e in report.histories[0].entries] == [False, False, True]
    result = run(repo, "--base", base)
    assert result.exit_code == 1 and "[before base]" in result.output

    good = GitRepo(repo.path.parent / "good")
    good.write(PLAN, BASE)
    good.commit("Cold sales plan", "2026-06-10T10:00:00+03:00")
    good.write(PLAN, BASE.replace("target 4", "target 5"))
    good.commit("old sin", "2026-07-15T10:00:00+03:00")
    base = good.head()
    good.write(PLAN, q4_weights(40, 40))
    good.commit("pull request: Q4", "2026-08-01T10:00:00+03:00")
    assert check_cadence(good.path, base=base).violations == []
    assert len(check_cadence(good.path).violations) == 1


def test_unknown_base_is_a_clear_error(repo):
    result = run(repo, "--base", "no-such-branch")
    assert result.exit_code == 2 and "no such revision: no-such-branch" in result.output


def test_a_library_change_changes_every_plan_importing_it(tmp_path, monkeypatch):
    git = GitRepo(tmp_path / "lib")
    git.write("rules/lib/activity.kpi", 'metric calls "Звонки" = count(activities where type = "call" and duration >= 1m)\n')
    git.write(PLAN, 'import "lib/activity.kpi"\n' + BASE.replace(
        'metric calls "Звонки от 1 минуты" =\n    count(activities where type = "call" and duration >= 1m)\n    kind activity\n', ""))
    git.commit("plan with a library", "2026-06-10T10:00:00+03:00")
    git.write("rules/lib/activity.kpi", 'metric calls "Звонки" = count(activities where type = "call" and duration >= 2m)\n')
    sha = git.commit("longer calls only", "2026-07-15T10:00:00+03:00")
    report = check_cadence(git.path)
    assert [h.path for h in report.histories] == [PLAN]
    assert [path for path, _ in report.skipped] == ["rules/lib/activity.kpi"]
    entry = report.histories[0].entries[-1]
    assert entry.commit.sha == sha and entry.via_library
    assert rules(report) == ["changes-plan-in-force"]
    assert any("1m" in c and "2m" in c for c in entry.change_lines)


def test_paths_limit_the_plans(repo):
    repo.write("rules/other.kpi", BASE.replace("plan cold_sales", "plan other"))
    repo.commit("another plan", "2026-06-11T10:00:00+03:00")
    repo.write("rules/other.kpi", repo.read("rules/other.kpi").replace("target 4", "target 9"))
    repo.commit("break the other plan", "2026-07-11T10:00:00+03:00")
    assert run(repo, PLAN).exit_code == 0
    assert run(repo, "rules/other.kpi").exit_code == 1
    assert run(repo, "rules").exit_code == 1


def test_not_a_repository(tmp_path, monkeypatch):
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.chdir(outside)
    result = CliRunner().invoke(main, ["cadence"])
    assert result.exit_code == 2 and "not inside a git repository" in result.output


def test_an_override_without_a_reason_is_no_override(repo):
    repo.write(PLAN, BASE.replace("2% * revenue", "3% * revenue"))
    repo.commit("Commission 3% now\n\nKPI-Override:", "2026-07-20T10:00:00+03:00")
    report = check_cadence(repo.path)
    assert rules(report) == ["changes-plan-in-force"] and report.overrides == []


def test_a_pending_version_may_be_moved_to_a_later_quarter(repo):
    repo.write(PLAN, q4_weights(40, 40))
    repo.commit("Q4 draft", "2026-08-12T10:00:00+03:00")
    repo.write(PLAN, with_effective(q4_weights(40, 40), "2027-01-01"))
    repo.commit("not ready: postpone to Q1", "2026-09-20T10:00:00+03:00")
    report = check_cadence(repo.path)
    assert report.violations == []
    entry = report.histories[0].entries[-1]
    assert entry.kind == "revision" and entry.revises == date(2026, 10, 1)
    assert entry.change_lines == ("plan cold_sales: effective 2026-10-01 → 2027-01-01",)
    assert "(moved to 2027-01-01)" in run(repo).output


def test_a_plan_broken_at_the_last_commit_cannot_be_judged(repo):
    repo.write(PLAN, BASE.replace("target 4", "target four"))
    repo.commit("broken", "2026-07-20T10:00:00+03:00")
    report = check_cadence(repo.path)
    assert kinds(report) == ["introduced", "does not compile"]
    assert rules(report) == ["does-not-compile"]
    reason = report.histories[0].entries[-1].reason
    assert reason.startswith(f"{report.histories[0].entries[-1].commit.short}:{PLAN}:") and "four" in reason
    assert f"why: {reason}" in run(repo).output


def test_a_broken_commit_in_between_is_skipped(repo):
    repo.write(PLAN, BASE.replace("target 4", "target four"))
    repo.commit("broken", "2026-07-20T10:00:00+03:00")
    repo.write(PLAN, BASE.replace("target 4", "target 5"))
    repo.commit("fixed, but the target moved", "2026-07-21T10:00:00+03:00")
    report = check_cadence(repo.path)
    assert kinds(report) == ["introduced", "does not compile", "change to the plan in force"]
    assert rules(report) == ["changes-plan-in-force"]


def test_an_untracked_plan_is_skipped(repo):
    repo.write("rules/draft.kpi", BASE)
    report = check_cadence(repo.path, ["rules/draft.kpi"])
    assert report.histories == [] and report.skipped == [("rules/draft.kpi", "not in the history (never committed)")]


def test_a_merged_branch_is_judged_by_its_own_commits(repo):
    repo.git("checkout", "-q", "-b", "q4")
    repo.write(PLAN, q4_weights(40, 40))
    branch_change = repo.commit("Q4 weights", "2026-08-12T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.write("README.md", "Plans of the sales department\n")
    base = repo.commit("readme", "2026-08-13T10:00:00+03:00")
    repo.git("merge", "-q", "--no-ff", "q4", "-m", "Merge branch q4", when="2026-08-14T10:00:00+03:00")
    report = check_cadence(repo.path, base=base)
    entries = report.histories[0].entries
    assert [(e.commit.sha, e.kind, e.checked) for e in entries if e.kind != "no change in meaning"] == [
        (entries[0].commit.sha, "introduced", False), (branch_change, "new version", True)]
    assert report.violations == []


def test_a_merge_that_combines_two_branches_is_a_change_of_its_own(repo):
    repo.write(PLAN, q4_weights(40, 40))
    repo.commit("Q4 draft", "2026-08-12T10:00:00+03:00")
    repo.git("checkout", "-q", "-b", "targets")
    repo.write(PLAN, q4_weights(40, 40).replace("target 4", "target 5"))
    repo.commit("Q4 target", "2026-08-20T10:00:00+03:00")
    repo.git("checkout", "-q", "main")
    repo.write(PLAN, q4_weights(40, 40).replace("2% * revenue", "3% * revenue"))
    repo.commit("Q4 commission", "2026-08-21T10:00:00+03:00")
    repo.git("merge", "-q", "targets", "-m", "Merge targets", when="2026-10-05T10:00:00+03:00")
    report = check_cadence(repo.path)
    merge = report.histories[0].entries[-1]
    assert merge.commit.subject == "Merge targets" and merge.kind == "change to the plan in force"
    # against the first parent (main), the merge brings the branch's target
    assert merge.change_lines == ("kpi new_clients_kpi: target `4` → `5`",)
    assert rules(report) == ["changes-plan-in-force"]


def test_cyrillic_names_and_a_run_from_a_subfolder(repo, monkeypatch):
    repo.git("mv", PLAN, "rules/холодные продажи.kpi")
    repo.commit("русское имя файла", "2026-07-03T10:00:00+03:00")
    repo.write("rules/холодные продажи.kpi", BASE.replace("target 4", "target 5"))
    repo.commit("правка действующего плана", "2026-07-20T10:00:00+03:00")
    monkeypatch.chdir(repo.path / "rules")
    result = CliRunner().invoke(main, ["cadence", "холодные продажи.kpi"])
    assert result.exit_code == 1
    assert "rules/холодные продажи.kpi (plan cold_sales)" in result.output
    assert "changes-plan-in-force" in result.output
    assert CliRunner().invoke(main, ["cadence", "."]).exit_code == 1
    report = check_cadence(repo.path / "rules")
    assert [e.path for e in report.histories[0].entries] == [PLAN, "rules/холодные продажи.kpi",
                                                             "rules/холодные продажи.kpi"]


def test_several_override_trailers_are_all_shown(repo):
    repo.write(PLAN, BASE.replace("2% * revenue", "3% * revenue"))
    repo.commit("Commission 3%\n\nKPI-Override: audit finding 7\nKPI-Override: approved by the CEO",
                "2026-07-20T10:00:00+03:00")
    [(_, entry)] = check_cadence(repo.path).overrides
    assert entry.override == "audit finding 7; approved by the CEO"
