"""The rendered output of `diff` and `cadence`, as users read it, against golden files.

Commit hashes are replaced by `#N` (N counting from the first commit): they depend on the
bytes of the normative example, which `kpilang fmt` may lay out anew, while what this output
says does not."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kpilang.cli import main

from .conftest import PLAN
from .golden import assert_golden
from .plans import BASE, with_effective

NEW_VERSION = (
    with_effective(BASE, "2026-10-01")
    .replace("weight 50%", "weight 40%").replace("weight 30%", "weight 40%")
    .replace("target 4", "target 5")
    .replace("70% to 90%   : 0.5", "70% to 90%   : 0.6")
    .replace("2% * revenue", "3% * revenue  # from Q4")
    .replace('"Премия"', '"Премия за месяц"')
    .replace("uncontrollable  # marketing decides how many leads arrive", "")
    .replace("pay total", 'pay meetings_bonus "За встречи" = 300 * meetings\n\npay total')
    .replace("salary + bonus + commission", "salary + bonus + commission + meetings_bonus")
)


@pytest.fixture
def history(repo, monkeypatch):
    monkeypatch.chdir(repo.path)
    repo.write(PLAN, NEW_VERSION)
    repo.commit("Q4: new clients weigh more, meetings paid", "2026-08-12T10:00:00+03:00")
    repo.write(PLAN, NEW_VERSION.replace("target 5", "target 6"))
    repo.commit("Q4: six new clients after the sales meeting", "2026-09-01T10:00:00+03:00")
    repo.write(PLAN, "# Reviewed by the sales team on 2 September.\n" + repo.read(PLAN))
    repo.commit("note the review", "2026-09-02T10:00:00+03:00")
    repo.git("mv", PLAN, "rules/outbound.kpi")
    repo.commit("plans are named after the team", "2026-09-03T10:00:00+03:00")
    repo.write("rules/outbound.kpi", repo.read("rules/outbound.kpi").replace("300 * meetings", "400 * meetings"))
    repo.commit("meetings pay more", "2026-10-20T10:00:00+03:00")
    repo.write("rules/outbound.kpi", repo.read("rules/outbound.kpi").replace("3% * revenue", "2.5% * revenue"))
    repo.commit("commission as signed\n\nKPI-Override: the signed order of 1 October says 2.5%", "2026-10-21T10:00:00+03:00")
    return repo


def without_hashes(repo, text: str) -> str:
    shas = repo.git("rev-list", "--reverse", "--all").split()
    for n, sha in enumerate(shas, 1):
        text = text.replace(sha, f"#{n}").replace(sha[:10], f"#{n}")
    return text


def test_diff_text(history):
    result = CliRunner().invoke(main, ["diff", "HEAD~6:rules/cold_sales.kpi", "HEAD~4:rules/cold_sales.kpi"])
    assert result.exit_code == 0, result.output
    assert_golden("diff.txt", result.stdout)


def test_diff_json(history):
    result = CliRunner().invoke(main, ["diff", "--format", "json", "HEAD~6:rules/cold_sales.kpi",
                                       "HEAD~4:rules/cold_sales.kpi"])
    assert result.exit_code == 0, result.output
    assert_golden("diff.json", result.stdout)


def test_cadence_text(history):
    result = CliRunner().invoke(main, ["cadence"])
    assert result.exit_code == 1
    assert_golden("cadence.txt", without_hashes(history, result.stdout))


def test_cadence_json(history):
    result = CliRunner().invoke(main, ["cadence", "--format", "json", "--base", "HEAD~2"])
    assert result.exit_code == 1
    assert_golden("cadence.json", without_hashes(history, result.stdout))


# ---- the same in Russian (`--lang ru`): what a head of sales reads in a pull request ----------


def test_diff_text_in_russian(history):
    result = CliRunner().invoke(main, ["diff", "--lang", "ru", "HEAD~6:rules/cold_sales.kpi",
                                       "HEAD~4:rules/cold_sales.kpi"])
    assert result.exit_code == 0, result.output
    assert_golden("diff.ru.txt", result.stdout)


def test_diff_of_two_folders_in_russian(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    library = 'metric calls = count(activities where type = "call")\n'
    for name, text in {"old/cold_sales.kpi": BASE, "old/draft.kpi": BASE, "old/lib/calls.kpi": library,
                       "new/cold_sales.kpi": NEW_VERSION, "new/draft.kpi": BASE.replace("target 4", "target four"),
                       "new/new_market.kpi": BASE.replace("plan cold_sales", "plan new_market")}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", "--lang", "ru", "old", "new"])
    assert result.exit_code == 2, result.output  # draft.kpi does not compile
    assert_golden("diff-folders.ru.txt", result.stdout)
    assert result.stderr.startswith("ошибка[E0201]: неизвестное имя «four»")
    assert result.stderr.endswith("ошибка: draft.kpi в new не компилируется, поэтому его смысл неизвестен\n")


def test_cadence_text_in_russian(history):
    result = CliRunner().invoke(main, ["cadence", "--lang", "ru"])
    assert result.exit_code == 1
    assert_golden("cadence.ru.txt", without_hashes(history, result.stdout))
    assert result.stderr == "планов: 1; нарушений: 1, исключений: 1\n"
