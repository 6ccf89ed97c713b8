"""`import members` and the aggregates over a team plan's members: what compiles, and every error
the compiler gives for them, at its place, with its words."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpilang.change.fingerprint import fingerprint
from kpilang.compile import compile_file
from kpilang.compile.members import is_member_aggregate
from kpilang.diagnostics import render_text
from kpilang.syntax.formatter import format_source
from kpilang.syntax.parser import parse

MEMBER = '''plan cold "Cold" {
    role      cold
    period    month
    effective 2026-07-01
    timezone  "Europe/Moscow"
    currency  RUB
    strategy  growth
    goal      "Sell"
}

metric calls "Звонки" = count(activities where type = "call")
metric won "Выигранные" = count(deals where stage = "won") kind result
kpi won_kpi = won target 5 weight 100%
pay total "Итого" = salary
'''

INBOUND = MEMBER.replace("plan cold", "plan inbound").replace("role      cold", "role      inbound").replace(
    'metric calls "Звонки" = count(activities where type = "call")\n', 'metric calls = sum(deals.amount)\n')


HEAD_FIELDS = '''    role      head
    period    month
    effective 2026-07-01
    timezone  "Europe/Moscow"
    currency  RUB
    strategy  growth
    goal      "Team"
'''


def head(body: str, *, imports: str = 'import members "cold.kpi"\n', fields: str = "    scope     team\n") -> str:
    return f'''{imports}
plan head "Head" {{
{HEAD_FIELDS}{fields}}}

{body}'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "cold.kpi").write_text(MEMBER, encoding="utf-8")
    (tmp_path / "inbound.kpi").write_text(INBOUND, encoding="utf-8")
    return tmp_path


def compile_head(project: Path, text: str):
    (project / "head.kpi").write_text(text, encoding="utf-8")
    return compile_file(project / "head.kpi")


def errors(result) -> list[tuple[str, int, int, str, str]]:
    return [(d.code, d.span.line, d.span.column, str(d.message), str(d.help)) for d in result.diagnostics
            if d.severity.value == "error"]


GOOD = '''metric met = share(members where kpi_score >= 100%)
metric n_met = count(members where kpi_score >= 100% and won >= 1)
metric avg_score = avg(members.kpi_score)
metric payroll = sum(members.pays.total)
metric calls_total = sum(members.calls)
metric attained = max(members.won_kpi)
kpi k = met otherwise 0 target 50% weight 100%
pay total = salary + payroll * 0
'''


def test_a_team_plan_compiles_with_its_members_plans_and_units(project):
    result = compile_head(project, head(GOOD))
    assert result.ok, [str(d.message) for d in result.diagnostics]
    program = result.program
    assert [m.program.plan.name for m in program.member_plans] == ["cold"]
    units = {n: m.unit.value for n, m in program.metrics.items()}
    assert units == {"met": "number", "n_met": "count", "avg_score": "number", "payroll": "money",
                     "calls_total": "count", "attained": "number"}
    assert all(is_member_aggregate(m.expr) for m in program.metrics.values())
    assert program.plan.on_member_error == "fail"


def test_the_members_plans_are_part_of_the_head_plans_meaning(project):
    before = fingerprint(compile_head(project, head(GOOD)).program)
    (project / "cold.kpi").write_text(MEMBER.replace("target 5", "target 6"), encoding="utf-8")
    after = fingerprint(compile_head(project, head(GOOD)).program)
    assert before != after


def test_a_plan_without_members_keeps_its_fingerprint_shape(project):
    program = compile_head(project, head("metric c = count(deals)\n", imports="")).program
    meaning = program.dump_meaning()
    assert "members" not in meaning and "on_member_error" not in meaning["plan"]


def test_on_member_error_exclude_is_read(project):
    result = compile_head(project, head(GOOD, fields="    scope     team\n    on_member_error exclude\n"))
    assert result.ok and result.program.plan.on_member_error == "exclude"


def test_import_members_and_a_members_path_print_back_as_written():
    text = 'import members "cold.kpi"\n\nmetric m =\n    sum(members.pays.total where pays.total > 0)\n'
    assert format_source(text)[0] == text
    module, diags = parse(text)
    assert not diags and module.items[0].members.name == "members"


CASES = [
    # (source of the head plan, code, line, column, words of the message, words of the help)
    (head("metric m = sum(members.nothing)\n"), "E1003", 14, 16, "no figure `nothing`", "`kpi_score`"),
    (head("metric m = sum(members.calss)\n"), "E1003", 14, 16, "no figure `calss`", "did you mean `calls`"),
    (head("metric m = avg(members.calls)\n", imports='import members "cold.kpi"\nimport members "inbound.kpi"\n'),
     "E1003", 15, 16, "different unit", "one unit"),
    (head("metric m = count(members where calls > 1)\n",
          imports='import members "cold.kpi"\nimport members "inbound.kpi"\n'), "E1003", 15, 32, "different unit", None),
    (head("kpi k = members.kpi_score target 1 weight 100%\n"), "E1004", 14, 9, "outside an aggregate", "avg(members.kpi_score)"),
    (head("metric m = members\n"), "E1004", 14, 12, "outside an aggregate", None),
    (head("metric m = count(members)\n", imports=""), "E1004", 13, 18, "imports no members", "import members"),
    (head("metric m = count_distinct(members.kpi_score)\n"), "E1005", 14, 27, "one figure of each member", None),
    (head("metric m = sum(members)\n"), "E1005", 14, 16, "one figure of each member", "sum(members.kpi_score)"),
    (head("metric m = count(members.kpi_score)\n"), "E1005", 14, 18, "counts members", None),
    (head('metric m = count(members where deals.stage = "won")\n'), "E1005", 14, 32, "data column", None),
    (head("metric m = count(members where round(kpi_score, 2) > 1)\n"), "E1005", 14, 32, "`round(…)`", None),
    (head("metric m = share(members)\n"), "E0709", 14, 12, "needs a `where`", "met their plan"),
    (head("metric m = sum(members.kpi_score + members.pays.total)\n"), "E0301", 14, 16, "add", None),
    (head("metric m = count(members)\n", imports='import gang "cold.kpi"\n'), "E1001", 1, 8, "`import gang`",
     'import members "cold.kpi"'),
    (head("metric m = count(members)\n", fields=""), "E1001", 1, 1, "not a team plan", "scope team"),
    (head("metric m = count(deals)\n", imports="", fields="    on_member_error exclude\n"), "E0404", 10, 5,
     "has no members", None),
    (head("metric m = count(deals)\n", fields="    scope     team\n    on_member_error skip\n"), "E0404", 12, 21,
     "`skip` is not a treatment", "on_member_error exclude"),
    (head("metric m = count(members)\n", imports='import members "cold.kpi"\nimport members "cold.kpi"\n'),
     "E1002", 2, 1, "role `cold` is paid by two plans", None),
    (head("metric m = count(members)\n", imports='import members "head.kpi"\n'), "E1001", 1, 1,
     "cannot have members of its own", None),
    (head("metric members = count(deals)\n"), "E0202", 14, 8, "built-in name", None),
    (head("metric m = count(members)\n").replace("role      head", "role      head, cold"), "E1002", 1, 1,
     "cold.kpi` is a role of this team plan itself", None),
]


@pytest.mark.parametrize("source, code, line, column, message, help", CASES)
def test_each_members_error_is_said_at_its_place(project, source, code, line, column, message, help):
    result = compile_head(project, source)
    assert not result.ok
    found = errors(result)
    assert found, result.diagnostics
    got = next((e for e in found if e[0] == code), None)
    assert got is not None, found
    assert got[1:3] == (line, column), found
    assert message in got[3], got
    if help is not None:
        assert help in got[4], got


def test_a_members_plan_that_does_not_fit_is_refused_with_the_reason(project):
    (project / "weekly.kpi").write_text(MEMBER.replace("period    month", "period    week").replace(
        "currency  RUB", "currency  EUR").replace("role      cold", "role      weekly"), encoding="utf-8")
    result = compile_head(project, head("metric m = count(members)\n", imports='import members "weekly.kpi"\n'))
    words = [str(d.message) for d in result.diagnostics if d.code == "E1002"]
    assert any("runs by week, this plan by month" in w for w in words), words
    assert any("pays in EUR, this plan in RUB" in w for w in words), words


def test_a_members_plan_with_errors_shows_them_in_its_own_file(project):
    (project / "broken.kpi").write_text(MEMBER.replace("role      cold", "role      broken").replace(
        "target 5", "target calz"), encoding="utf-8")
    result = compile_head(project, head("metric m = count(members)\n", imports='import members "broken.kpi"\n'))
    codes = {(d.code, Path(d.span.file).name) for d in result.diagnostics}
    assert ("E0201", "broken.kpi") in codes and ("E1002", "head.kpi") in codes
    text = "\n".join(render_text(d, result.sources) for d in result.diagnostics)
    assert "target calz" in text


def test_a_members_import_outside_the_project_is_refused_unread(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "cold.kpi"
    outside.write_text(MEMBER, encoding="utf-8")
    result = compile_head(project, head("metric m = count(members)\n", imports=f'import members "{outside}"\n'))
    assert [d.code for d in result.diagnostics if d.severity.value == "error"][0] == "E0209"


def test_the_errors_speak_russian(project):
    result = compile_head(project, head("metric m = sum(members.nothing)\n"))
    said = render_text(result.diagnostics[0], result.sources, "ru")
    assert "у сотрудников нет показателя `nothing`" in said


def test_a_change_in_a_members_plan_is_a_change_of_the_team_plan_said_by_kpilang_diff(project):
    from kpilang.change.diff import diff_programs

    old = compile_head(project, head(GOOD)).program
    (project / "cold.kpi").write_text(MEMBER.replace("target 5", "target 6"), encoding="utf-8")
    new = compile_head(project, head(GOOD)).program
    found = diff_programs(old, new)
    said = [c.describe() for c in found.changes]
    assert said[0].startswith("plan cold: meaning ") and said[1] == "kpi won_kpi: target `5` → `6`", said
    assert found.affected_pays == ("total",)


@pytest.mark.parametrize("figures", [
    "metric met = share(members where kpi_score >= 100%)\nmetric was = previous(met)\n",
    # through a metric that reads the team figure
    "metric met = share(members where kpi_score >= 100%)\nmetric half = met / 2\nmetric was = previous(half)\n",
    "metric met = share(members where kpi_score >= 100%)\nkpi k = met target previous(met) weight 100%\n",
])
def test_previous_of_a_team_figure_is_refused_when_compiled(project, figures):
    result = compile_head(project, head(figures))
    found = [e for e in errors(result) if e[0] == "E0710"]
    assert found, result.diagnostics
    assert "is a team figure over members" in found[0][3], found
    assert "members are evaluated for this period only" in found[0][3], found


def test_previous_of_the_teams_own_data_compiles_in_a_team_plan(project):
    result = compile_head(project, head(
        'metric rev = sum(deals.amount where stage = "won")\nmetric was = previous(rev)\n'
        "metric met = share(members where kpi_score >= 100%)\n"))
    assert not [e for e in errors(result) if e[0] == "E0710"], errors(result)
