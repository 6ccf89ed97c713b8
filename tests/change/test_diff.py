"""`kpilang diff`: the change in meaning in words, for paths and REV:path."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kpilang.change.diff import diff_programs
from kpilang.cli import main
from kpilang.compile import compile_text

from .conftest import PLAN
from .plans import BASE, declarations, join, with_effective


def program(text: str):
    result = compile_text(text, "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    return result.program


def described(old: str, new: str) -> list[str]:
    return [c.describe() for c in diff_programs(program(old), program(new)).changes]


def test_label_only_edit_is_no_change_in_meaning():
    result = diff_programs(program(BASE), program(BASE.replace('"Премия"', '"Бонус за месяц"')))
    assert not result.meaning_changed
    assert [c.describe() for c in result.label_changes] == ['pay bonus: label "Премия" → "Бонус за месяц"']


def test_reordered_and_reformatted_is_no_change_in_meaning():
    shuffled = join(list(reversed(declarations(BASE))), "\n\n\n")
    result = diff_programs(program(BASE), program(shuffled))
    assert not result.meaning_changed and not result.label_changes


def test_weights_targets_caps_formulas_and_plan_fields():
    new = (with_effective(BASE, "2026-10-01").replace("weight 50%", "weight 40%").replace("weight 30%", "weight 40%")
           .replace("target 4", "target 5").replace("cap    150%\n\ntable", "cap    120%\n\ntable")
           .replace("2% * revenue", "3% * revenue  # from Q4").replace("role      cold", "role      cold, inbound"))
    assert described(BASE, new) == [
        "plan cold_sales: roles cold → cold, inbound",
        "plan cold_sales: effective 2026-07-01 → 2026-10-01",
        "kpi new_clients_kpi: target `4` → `5`",
        "kpi new_clients_kpi: weight 30% → 40%",
        "kpi new_clients_kpi: cap 150% → 120%",
        "kpi revenue_plan: weight 50% → 40%",
        "pay commission: formula `2% * revenue` → `3% * revenue`",
    ]


def test_bands_matched_by_edges():
    new = BASE.replace("70% to 90%   : 0.5", "70% to 90%   : 0.6").replace(
        "from 120%    : 1.5", "120% to 150% : 1.5\n    from 150%    : 2")
    assert described(BASE, new) == [
        "table multiplier: band 70% to 90%: 0.5 → 0.6",
        "table multiplier: band added: 120% to 150% : 1.5",
        "table multiplier: band removed: from 120% : 1.5",
        "table multiplier: band added: from 150% : 2",
    ]


def test_added_and_removed_declarations_and_affected_pays():
    new = BASE.replace("pay commission", 'pay bonus_meetings "За встречи" = 500 * meetings\n\npay commission')
    new = new.replace("salary + bonus + commission", "salary + bonus + commission + bonus_meetings")
    result = diff_programs(program(BASE), program(new))
    assert [c.describe() for c in result.changes] == [
        "pay bonus_meetings: added = 500 * meetings",
        "pay total: formula `salary + bonus + commission` → `salary + bonus + commission + bonus_meetings`",
    ]
    assert result.affected_pays == ("bonus_meetings", "total")
    back = diff_programs(program(new), program(BASE))
    assert back.changes[0].describe() == "pay bonus_meetings: removed (was 500 * meetings)"


def test_metric_formula_change_names_the_pays_it_reaches():
    new = BASE.replace('sum(deals.amount where stage = "won")', 'sum(deals.amount where stage = "won" and is_new_client)')
    result = diff_programs(program(BASE), program(new))
    assert [c.describe() for c in result.changes] == [
        'metric revenue: formula `sum(deals.amount where stage = "won")` → '
        '`sum(deals.amount where stage = "won" and is_new_client)`']
    assert result.affected_pays == ("bonus", "commission", "total")


def test_goal_rewording_is_listed_but_no_change():
    result = diff_programs(program(BASE), program(BASE.replace("+20% к прошлому кварталу", "+25% к прошлому кварталу")))
    assert not result.meaning_changed
    assert result.label_changes[0].part == "goal"


@pytest.fixture
def in_repo(repo, monkeypatch):
    monkeypatch.chdir(repo.path)
    return repo


def test_cli_rev_path_against_working_tree(in_repo):
    in_repo.write(PLAN, BASE.replace("target 4", "target 5").replace('"Премия"', '"Бонус"'))
    result = CliRunner().invoke(main, ["diff", f"HEAD:{PLAN}", PLAN])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("meaning changed")
    assert "kpi new_clients_kpi: target `4` → `5`" in result.output
    assert 'labels changed (no change in meaning):\n  pay bonus: label "Премия" → "Бонус"' in result.output
    assert CliRunner().invoke(main, ["diff", "--exit-code", f"HEAD:{PLAN}", PLAN]).exit_code == 1


def test_cli_label_only_edit(in_repo):
    in_repo.write(PLAN, BASE.replace('"Премия"', '"Бонус"'))
    in_repo.commit("label", "2026-06-11T10:00:00+03:00")
    result = CliRunner().invoke(main, ["diff", f"HEAD~1:{PLAN}", f"HEAD:{PLAN}", "--exit-code"])
    assert result.exit_code == 0
    assert "no change in meaning" in result.output
    data = json.loads(CliRunner().invoke(main, ["diff", "--format", "json", f"HEAD~1:{PLAN}", f"HEAD:{PLAN}"]).stdout)
    assert data["meaning_changed"] is False and data["changes"] == []
    assert data["old_sha256"] == data["new_sha256"]
    assert data["label_changes"][0]["new"] == '"Бонус"'


def test_cli_imports_resolve_at_the_same_revision(in_repo):
    in_repo.write("rules/lib/activity.kpi", 'metric calls = count(activities where type = "call" and duration >= 1m)\n')
    in_repo.write(PLAN, 'import "lib/activity.kpi"\n' + BASE.replace(
        'metric calls "Звонки от 1 минуты" =\n    count(activities where type = "call" and duration >= 1m)\n    kind activity\n', ""))
    in_repo.commit("library", "2026-06-11T10:00:00+03:00")
    in_repo.write("rules/lib/activity.kpi", 'metric calls = count(activities where type = "call" and duration >= 2m)\n')
    result = CliRunner().invoke(main, ["diff", f"HEAD:{PLAN}", PLAN])
    assert result.exit_code == 0
    assert 'metric calls: formula `count(activities where type = "call" and duration >= 1m)` → ' in result.output


def test_cli_errors_exit_2(in_repo):
    result = CliRunner().invoke(main, ["diff", f"nope:{PLAN}", PLAN])
    assert result.exit_code == 2 and "no such revision: nope" in result.output
    result = CliRunner().invoke(main, ["diff", "HEAD:rules/missing.kpi", PLAN])
    assert result.exit_code == 2 and "no such file" in result.output
    in_repo.write(PLAN, BASE.replace("target 4", "target four"))
    result = CliRunner().invoke(main, ["diff", f"HEAD:{PLAN}", PLAN])
    assert result.exit_code == 2 and "does not compile" in result.output


def test_clauses_directions_and_table_kinds():
    new = (BASE.replace("kind activity\n\nmetric meetings", "kind result\n\nmetric meetings")
           .replace("target 8%", "target 8%\n    lower is better")
           .replace("cap 2 * salary", "cap 3 * salary\n    floor salary")
           .replace('table multiplier "Мультипликатор KPI" {', 'table multiplier "Мультипликатор KPI" graduated {'))
    result = program(new)
    old = program(BASE)
    lines = [c.describe() for c in diff_programs(old, result).changes]
    assert "metric calls: kind activity → result" in lines
    assert "kpi meeting_rate: direction higher is better → lower is better" in lines
    assert "pay bonus: cap `2 * salary` → `3 * salary`" in lines
    assert "pay bonus: floor (none) → `salary`" in lines
    assert "table multiplier: kind step → graduated" in lines


def test_an_added_kpi_is_summarised_with_target_and_weight():
    new = (BASE.replace("weight 30%", "weight 20%")
           .replace("table multiplier", 'kpi deals_kpi "Сделки" =\n    deals_won\n    target 10\n    weight 10%\n\ntable multiplier'))
    lines = [c.describe() for c in diff_programs(program(BASE), program(new)).changes]
    assert "kpi deals_kpi: added = deals_won (target 10, weight 10%)" in lines


def test_cli_folders_plan_by_plan(in_repo):
    in_repo.write("rules/other.kpi", BASE.replace("plan cold_sales", "plan other"))
    in_repo.write("rules/lib/unused.kpi", "metric emails = count(activities where type = \"email\")\n")
    in_repo.commit("two plans", "2026-06-11T10:00:00+03:00")
    in_repo.write(PLAN, BASE.replace("target 4", "target 5"))
    in_repo.git("mv", "rules/other.kpi", "rules/outbound.kpi")
    in_repo.write("rules/new.kpi", BASE.replace("plan cold_sales", "plan new"))
    in_repo.git("rm", "-q", "rules/lib/unused.kpi")
    result = CliRunner().invoke(main, ["diff", "HEAD:rules", "rules"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "HEAD:rules → rules",
        "lib/unused.kpi: removed",
        "new.kpi: added",
        "cold_sales.kpi: meaning changed (fingerprint 7cf721cfc65f → "
        + result.stdout.split("7cf721cfc65f → ")[1][:12] + "):",
        "  kpi new_clients_kpi: target `4` → `5`",
        "pays that may come out different: bonus, total",
        f"other.kpi → outbound.kpi: no change in meaning (fingerprint "
        + result.stdout.split("outbound.kpi: no change in meaning (fingerprint ")[1][:12] + ")",
    ]
    data = json.loads(CliRunner().invoke(main, ["diff", "--format", "json", "HEAD:rules", "./rules"]).stdout)
    assert [(f["file"], f["status"], f.get("renamed_from")) for f in data["files"]] == [
        ("lib/unused.kpi", "removed", None), ("new.kpi", "added", None),
        ("cold_sales.kpi", "changed", None), ("outbound.kpi", "unchanged", "other.kpi")]
    assert CliRunner().invoke(main, ["diff", "--exit-code", "HEAD:rules", "rules"]).exit_code == 1
    assert CliRunner().invoke(main, ["diff", "--exit-code", "HEAD:rules", "HEAD:rules"]).exit_code == 0
    mixed = CliRunner().invoke(main, ["diff", "HEAD:rules", PLAN])
    assert mixed.exit_code == 2 and "compare a folder with a folder" in mixed.output


def test_errors_at_a_revision_name_the_revision(in_repo, monkeypatch):
    in_repo.write(PLAN, BASE.replace("target 4", "target four"))
    in_repo.commit("broken", "2026-06-12T10:00:00+03:00")
    result = CliRunner().invoke(main, ["diff", f"HEAD:{PLAN}", f"HEAD~1:{PLAN}"])
    assert result.exit_code == 2
    assert f"HEAD:{PLAN}:" in result.output and "kpilang-rev-" not in result.output


def test_an_override_of_the_controllability_model_shows_its_reason():
    new = BASE.replace("kind activity\n    uncontrollable", 'kind activity\n    controllable "the manager calls the leads back"\n    #')
    assert described(BASE, new) == [
        "metric leads_in: controllability uncontrollable → controllable",
        "metric leads_in: controllability as kpilang's controllability model decides → "
        "controllable: the manager calls the leads back",
    ]
