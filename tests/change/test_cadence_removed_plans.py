"""A plan that stops being in force mid-quarter (its file deleted, or renamed into another
meaning) is a cadence violation, with default paths, `--base` and an explicit path; a deletion on
a quarter's first day, one carrying the override trailer, or a rename that keeps the meaning
passes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kpilang.change.cadence import check_cadence
from kpilang.cli import main

from .conftest import PLAN
from .gitrepo import GitRepo
from .plans import BASE, with_effective

MID_QUARTER = "2026-08-12T10:00:00+03:00"
RENAMED = "rules/outbound.kpi"


def run(*args: str, lang: str = "en"):
    return CliRunner().invoke(main, ["cadence", "--lang", lang, *args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def _in_repo(repo, monkeypatch):
    monkeypatch.chdir(repo.path)


def _delete(repo: GitRepo, when: str, message: str = "drop the cold sales plan") -> str:
    repo.git("rm", "-q", PLAN)
    return repo.commit(message, when)


def _removal(report):
    (history,) = [h for h in report.histories if h.path == PLAN]
    return history.entries[-1]


def test_deleting_a_plan_in_force_mid_quarter_fails_with_default_paths(repo):
    sha = _delete(repo, MID_QUARTER)
    report = check_cadence(repo.path)
    entry = _removal(report)
    assert (entry.commit.sha, entry.kind) == (sha, "removed")
    assert [v.rule for _, _, v in report.violations] == ["removed-in-force"]
    result = run()
    assert result.exit_code == 1
    assert "removes plan cold_sales (rules/cold_sales.kpi), in force since 2026-07-01" in result.stdout
    assert "remove the file on 2026-10-01 or later" in result.stdout
    russian = run(lang="ru")
    assert russian.exit_code == 1
    assert "удаляет план cold_sales (rules/cold_sales.kpi), действующий с 2026-07-01, посреди квартала" in russian.stdout
    data = json.loads(run("--format", "json").stdout)
    (plan,) = data["plans"]
    last = plan["history"][-1]
    assert (last["kind"], last["path"], last["renamed_to"]) == ("removed", PLAN, None)
    assert [v["rule"] for v in last["violations"]] == ["removed-in-force"]
    assert "in the middle of a quarter" in last["violations"][0]["message"]
    assert data["summary"]["violations"] == 1


def test_deleting_a_plan_in_force_fails_with_base(repo):
    base = repo.head()
    _delete(repo, MID_QUARTER)
    assert run("--base", base).exit_code == 1
    assert run("--base", "HEAD").exit_code == 0  # the deletion is before the base: not checked


def test_deleting_a_plan_in_force_fails_with_an_explicit_path_or_its_folder(repo):
    _delete(repo, MID_QUARTER)
    for target in (PLAN, "rules"):
        result = run(target)
        assert result.exit_code == 1, target
        assert "removed-in-force" in result.stdout


def test_a_deletion_on_the_first_day_of_a_quarter_or_before_the_plan_took_effect_passes(repo, tmp_path):
    _delete(repo, "2026-10-01T09:00:00+03:00")
    report = check_cadence(repo.path)
    assert _removal(report).kind == "removed" and report.violations == []
    assert run().exit_code == 0

    pending = GitRepo(tmp_path / "pending")
    pending.write(PLAN, with_effective(BASE, "2026-10-01"))
    pending.commit("Q4 plan, announced", "2026-08-01T10:00:00+03:00")
    _delete(pending, "2026-08-20T10:00:00+03:00", "not needed after all")
    report = check_cadence(pending.path)
    assert _removal(report).kind == "removed" and report.violations == []


def test_a_deletion_with_the_override_trailer_passes_and_is_shown(repo):
    _delete(repo, MID_QUARTER, "Drop the plan\n\nKPI-Override: the team is disbanded, order 7")
    report = check_cadence(repo.path)
    assert report.violations == []
    [(_, entry)] = report.overrides
    assert [v.rule for v in entry.violations] == ["removed-in-force"]
    result = run()
    assert result.exit_code == 0 and "the team is disbanded, order 7" in result.stdout



def _rename_beyond_recognition(repo: GitRepo, text: str) -> None:
    """Rename the plan so that git does not pair the two files: every line is laid out anew
    (comments dropped, indented further), whatever the meaning."""
    repo.git("rm", "-q", PLAN)
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    repo.write(RENAMED, "\n".join(f"\t\t{line}" for line in lines) + "\n")


def test_a_rename_keeping_the_meaning_is_no_change_even_when_git_does_not_pair_the_files(repo):
    _rename_beyond_recognition(repo, BASE)
    repo.commit("rename the plan", MID_QUARTER)
    assert "R" not in repo.git("show", "--name-status", "-M", "--format=", "HEAD")  # git saw no rename
    report = check_cadence(repo.path)
    assert report.violations == []
    entry = _removal(report)
    assert (entry.kind, entry.renamed_to) == ("no change in meaning", RENAMED)
    result = run()
    assert result.exit_code == 0 and f"no change in meaning (renamed to {RENAMED})" in result.stdout
    assert run(PLAN).exit_code == 0
    data = json.loads(run("--format", "json").stdout)
    assert [e["renamed_to"] for p in data["plans"] for e in p["history"] if e["path"] == PLAN][-1] == RENAMED


def test_a_rename_into_another_meaning_mid_quarter_fails(repo):
    _rename_beyond_recognition(repo, BASE.replace("target 4", "target 5"))
    repo.commit("rename and raise the target", MID_QUARTER)
    report = check_cadence(repo.path)
    assert [v.rule for _, _, v in report.violations] == ["removed-in-force"]
    assert run().exit_code == 1 and run(PLAN).exit_code == 1


def test_a_paired_rename_into_another_meaning_is_judged_as_a_change_from_the_old_path(repo):
    repo.git("mv", PLAN, RENAMED)
    repo.write(RENAMED, BASE.replace("target 4", "target 5"))
    repo.commit("rename and raise the target", MID_QUARTER)
    report = check_cadence(repo.path, [PLAN])
    entry = _removal(report)
    assert (entry.kind, entry.renamed_to) == ("change to the plan in force", RENAMED)
    assert [v.rule for _, _, v in report.violations] == ["changes-plan-in-force"]
