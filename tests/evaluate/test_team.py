"""A team plan's figures over its members: on the demo data over several months (checked against
the members' own evaluations, aggregated here by hand), at the band's edge, and with members whose
figures cannot be read (an error, no plan for their role, a plan not yet in force)."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest

import kpilang
from kpilang.bundled import rules_dir
from tests.compile.test_members import HEAD_FIELDS

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"
MEMBER_PLANS = ("cold_sales", "base", "inbound_leads", "account_managers", "online_chats")
FIELDS = HEAD_FIELDS + "    scope     team\n"
FIGURES = '''metric met = share(members where kpi_score >= 100%)
metric n_met = count(members where kpi_score >= 100%)
metric avg_score = avg(members.kpi_score)
metric payroll = sum(members.pays.total)
metric top_pay = max(members.pays.total)
metric mid_pay = median(members.pays.total)
kpi k = met otherwise 0 target 50% weight 100%
pay total = salary
'''


def demo_head(tmp_path: Path, policy: str = "fail") -> kpilang.CompileResult:
    imports = "".join(f'import members "{rules_dir() / p}.kpi"\n' for p in MEMBER_PLANS)
    extra = f"    on_member_error {policy}\n" if policy != "fail" else ""
    (tmp_path / "head.kpi").write_text(f'{imports}\nplan head "H" {{\n{FIELDS}{extra}}}\n\n{FIGURES}', encoding="utf-8")
    result = kpilang.load(tmp_path / "head.kpi")
    assert result.program is not None, [str(d.message) for d in result.diagnostics]
    return result


def members_by_hand(period: str) -> dict[str, list]:
    """Every member's own result under their plan, by team, from evaluating each plan alone."""
    managers = {}
    for line in (DEMO / "managers.csv").read_text(encoding="utf-8").splitlines()[1:]:
        mid, _, role, team, *_ = line.split(",")
        managers[mid] = (role, team)
    by_team: dict[str, list] = {}
    for name in MEMBER_PLANS:
        program = kpilang.load(rules_dir() / f"{name}.kpi").program
        for person in kpilang.evaluate(program, DEMO, period).results:
            by_team.setdefault(managers[person.manager_id][1], []).append(person)
    return by_team


def mean(values) -> Decimal:
    """The exact mean, rounded once to the evaluator's 34 digits."""
    exact = sum((Fraction(v) for v in values), Fraction(0)) / len(values)
    with localcontext(prec=34):
        return Decimal(exact.numerator) / Decimal(exact.denominator)


@pytest.mark.parametrize("period", ["2026-07", "2026-08", "2026-09"])
def test_team_figures_on_the_demo_agree_with_the_members_own_evaluations(tmp_path, period):
    report = kpilang.evaluate(demo_head(tmp_path, "exclude").program, DEMO, period)
    teams = members_by_hand(period)
    assert {r.manager_id for r in report.results} == {"h01", "h02", "h03"}
    for head in report.results:
        members = teams[head.team]
        usable = [m for m in members if m.ok]
        scores = [m.outcome.kpi_score for m in usable]
        pays = sorted(m.outcome.pays["total"].value for m in usable)
        met = sum(1 for s in scores if s >= 1)
        assert head.metrics["n_met"] == met, head.manager_id
        assert head.metrics["met"] == mean([1] * met + [0] * (len(scores) - met))
        assert head.metrics["avg_score"] == mean(scores)
        assert head.metrics["payroll"] == sum(pays)
        assert head.metrics["top_pay"] == max(pays)
        middle = len(pays) // 2
        assert head.metrics["mid_pay"] == (pays[middle] if len(pays) % 2 else mean(pays[middle - 1:middle + 1]))
        shown = {line.manager_id for f in head.team_figures for line in f.members}
        assert shown == {m.manager_id for m in members}, "the statement lists every member behind the figures"
        excluded = {line.manager_id for f in head.team_figures for line in f.members if line.excluded}
        assert excluded == {m.manager_id for m in members if not m.ok}


def test_a_member_with_an_error_makes_the_team_figure_an_error_naming_them(tmp_path):
    report = kpilang.evaluate(demo_head(tmp_path).program, DEMO, "2026-08")
    north = next(r for r in report.results if r.manager_id == "h01")
    failing = [e for e in north.errors if e.code == "member_error"]
    assert {e.subject for e in failing} == {"met", "n_met", "avg_score", "payroll", "top_pay", "mid_pay"}
    assert all(north.metrics[e.subject] is None for e in failing)
    said = failing[0].message.render("en")
    assert "m0007" in said and "Ярослав Королёв" in said and "row 202 of activities.csv" in said
    assert "m0007" in failing[0].message.render("ru")
    assert north.outcome.kpis["k"].value == 0 and not north.ok, "the KPI's `otherwise` does not hide the member's error"
    south = next(r for r in report.results if r.manager_id == "h02")
    assert south.ok and south.metrics["n_met"] == 5


def test_the_statement_lists_the_members_and_the_left_out_one(tmp_path):
    report = kpilang.evaluate(demo_head(tmp_path, "exclude").program, DEMO, "2026-08", trace=True)
    text = kpilang.explain(report, lang="ru", fmt="text", managers=["h01"]).statements[0].text
    assert "Команда: кто стоит за показателями" in text
    assert "Ярослав Королёв (m0007, cold): не учтён — в показателях сотрудника ошибок: 1" in text
    assert "Анна Киселёва (m0001, cold): Итоговый KPI" in text
    assert "Цель команды: 50" in text
    html = kpilang.explain(report, lang="en", fmt="html", managers=["h02"]).statements[0].text
    assert "Team: who is behind the figures" in html and "Павел Белов (m0014, account)" in html


# ---- a small team, built row by row --------------------------------------------------------------

MEMBER = '''plan cold "Cold" {
    role      cold
    period    month
    effective EFFECTIVE
    timezone  "Europe/Moscow"
    currency  RUB
    strategy  growth
    goal      "Sell"
}

metric won "Выигранные сделки" = count(deals where stage = "won") kind result
kpi won_kpi = won target 2 weight 100%
pay total "Итого" = salary
'''


def small_team(tmp_path: Path, won: dict[str, int], *, extra_managers: str = "", bad_row: str = "",
               effective: str = "2026-07-01", figure: str = "share(members where kpi_score >= 100%)",
               policy: str = "fail", member: str = MEMBER) -> kpilang.EvalReport:
    (tmp_path / "cold.kpi").write_text(member.replace("EFFECTIVE", effective), encoding="utf-8")
    fields = FIELDS + (f"    on_member_error {policy}\n" if policy != "fail" else "")
    (tmp_path / "head.kpi").write_text(
        f'import members "cold.kpi"\n\nplan head "H" {{\n{fields}}}\n\nmetric team = {figure}\n'
        "kpi k = team otherwise 0 target 1 weight 100%\npay total = salary\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    people = "".join(f"{mid},Person {mid},cold,north,50000\n" for mid in won)
    (data / "managers.csv").write_text(
        f"id,name,role,team,salary\nh1,Head,head,north,90000\n{people}{extra_managers}", encoding="utf-8")
    rows, n = [], 0
    for mid, count in won.items():
        for _ in range(count):
            n += 1
            rows.append(f"d{n},{mid},2026-07-01T10:00:00+03:00,2026-07-10T10:00:00+03:00,won,1000.00\n")
    (data / "deals.csv").write_text("id,manager_id,created_at,closed_at,stage,amount\n" + "".join(rows) + bad_row,
                                    encoding="utf-8")
    program = kpilang.load(tmp_path / "head.kpi").program
    assert program is not None
    return kpilang.evaluate(program, data, "2026-07")


def head_of(report):
    return next(r for r in report.results if r.manager_id == "h1")


def test_a_member_exactly_at_100_percent_has_met_the_plan(tmp_path):
    report = small_team(tmp_path, {"m1": 2, "m2": 1, "m3": 3})
    head = head_of(report)
    assert head.ok
    assert head.metrics["team"] == Decimal("0.6666666666666666666666666666666667")  # 34 digits, rounded once
    lines = {m.manager_id: (m.value, m.matched) for m in head.team_figures[0].members}
    assert lines == {"m1": (Decimal(1), True), "m2": (Decimal("0.5"), False), "m3": (Decimal("1.5"), True)}


def test_above_100_percent_leaves_out_exactly_100(tmp_path):
    head = head_of(small_team(tmp_path, {"m1": 2, "m2": 1, "m3": 3}, figure="count(members where kpi_score > 100%)"))
    assert head.metrics["team"] == 1


# The bad rows below have a stage no deal can have, in a column the members' plan reads: a bad cell
# in a column no plan reads (an amount, here) cannot change anyone's pay and is not checked by eval.
def test_a_rejected_row_of_one_member_fails_the_team_figure_not_silently(tmp_path):
    bad = "d99,m2,2026-07-01T10:00:00+03:00,2026-07-10T10:00:00+03:00,closed_won,1000.00\n"
    head = head_of(small_team(tmp_path, {"m1": 2, "m2": 1, "m3": 3}, bad_row=bad))
    assert head.metrics["team"] is None
    error = next(e for e in head.errors if e.code == "member_error")
    assert error.cause == "member_error" and "m2" in error.message.render("en")
    assert "on_member_error exclude" in error.help.render("en")


def test_excluding_a_member_with_an_error_counts_the_others_and_names_them(tmp_path):
    bad = "d99,m2,2026-07-01T10:00:00+03:00,2026-07-10T10:00:00+03:00,closed_won,1000.00\n"
    head = head_of(small_team(tmp_path, {"m1": 2, "m2": 1, "m3": 0}, bad_row=bad, policy="exclude"))
    assert head.ok
    assert head.metrics["team"] == Decimal("0.5")
    figure = head.team_figures[0]
    assert figure.counted == 2
    left_out = [m for m in figure.members if m.excluded]
    assert [m.manager_id for m in left_out] == ["m2"] and "rejected" in left_out[0].problem.render("en")


def test_everyone_excluded_leaves_the_share_without_a_value(tmp_path):
    head = head_of(small_team(tmp_path, {"m1": 1}, extra_managers="x1,Intern,intern,north,1000\n",
                              bad_row="d99,m1,2026-07-01T10:00:00+03:00,2026-07-10T10:00:00+03:00,closed_won,1000.00\n",
                              policy="exclude"))
    assert head.metrics["team"] is None
    assert head.outcome.kpis["k"].value == 0, "the plan's own `otherwise` speaks, not an invented figure"


def test_a_team_member_whose_role_no_plan_pays_is_named(tmp_path):
    head = head_of(small_team(tmp_path, {"m1": 2}, extra_managers="x1,Intern,intern,north,1000\n"))
    assert head.metrics["team"] is None
    said = next(e for e in head.errors if e.code == "member_error").message.render("en")
    assert "x1" in said and "no imported plan pays role `intern`" in said


def test_people_of_other_teams_and_heads_are_not_members(tmp_path):
    head = head_of(small_team(tmp_path, {"m1": 2, "m2": 0},
                              extra_managers="s1,South,cold,south,1000\nh9,Deputy,head,north,1000\n"))
    assert {m.manager_id for m in head.team_figures[0].members} == {"m1", "m2"}
    assert head.metrics["team"] == Decimal("0.5")


def test_a_member_hired_after_the_period_is_no_member_of_it(tmp_path):
    (tmp_path / "x").mkdir()
    report = small_team(tmp_path / "x", {"m1": 2})
    assert head_of(report).metrics["team"] == 1
    data = tmp_path / "x" / "data"
    managers = (data / "managers.csv").read_text(encoding="utf-8").splitlines()
    managers = [managers[0] + ",hired_at"] + [line + ",2020-01-01" for line in managers[1:]] + [
        "m5,Newcomer,cold,north,50000,2026-08-03"]
    (data / "managers.csv").write_text("\n".join(managers) + "\n", encoding="utf-8")
    program = kpilang.load(tmp_path / "x" / "head.kpi").program
    head = head_of(kpilang.evaluate(program, data, "2026-07"))
    assert {m.manager_id for m in head.team_figures[0].members} == {"m1"}


def test_a_members_plan_not_yet_in_force_is_said(tmp_path):
    head = head_of(small_team(tmp_path, {"m1": 2}, effective="2026-08-01"))
    said = next(e for e in head.errors if e.code == "member_error").message.render("en")
    # The member, their plan, when it takes force and the period it missed: each is said.
    assert said.endswith("Person m1 (m1): their plan cold is in force from 2026-08-01, after 2026-07")


def test_sum_and_avg_of_members_are_exact(tmp_path):
    head = head_of(small_team(tmp_path, {"m1": 1, "m2": 1, "m3": 0}, figure="avg(members.won_kpi)"))
    assert head.metrics["team"] == Decimal("0.3333333333333333333333333333333333")


def test_a_person_whose_managers_row_was_rejected_may_be_a_member_and_is_named(tmp_path):
    head = head_of(small_team(tmp_path, {"m1": 2}, extra_managers="m9,Broken,cold,north,abc\n"))
    assert head.metrics["team"] is None
    said = next(e for e in head.errors if e.code == "member_error").message.render("en")
    # Why their team cannot be told: the rejected row itself, with its own reason.
    assert said.endswith("m9 (m9): their row of managers was rejected, so their team cannot be told: "
                         "row 4 of managers.csv was rejected: unreadable amount: expected a plain decimal "
                         "such as 1234.50 (column salary); this person's figures would be computed from "
                         "partial data, so none are given")


def test_excluding_leaves_out_a_person_whose_team_cannot_be_told(tmp_path):
    head = head_of(small_team(tmp_path, {"m1": 2, "m2": 0}, extra_managers="m9,Broken,cold,north,abc\n",
                              policy="exclude"))
    assert head.metrics["team"] == Decimal("0.5")
    assert [m.manager_id for m in head.team_figures[0].members if m.excluded] == ["m9"]


def test_a_team_plans_target_from_targets_is_called_the_teams(tmp_path):
    report = kpilang.evaluate(kpilang.load(rules_dir() / "head_of_sales.kpi").program, DEMO, "2026-08", trace=True)
    text = kpilang.explain(report, lang="ru", fmt="text", managers=["h02"]).statements[0].text
    assert "Цель команды: цель команды «team_revenue» = 8" in text
    assert "персональная цель" not in text
    english = kpilang.explain(report, lang="en", fmt="md", managers=["h02"]).statements[0].text
    assert "Team target: the team's target “team\\_revenue”" in english  # Markdown escapes the `_`


@pytest.mark.parametrize("period", ["2026-08", "2026-09"])
def test_the_head_of_sales_template_pays_for_the_share_of_managers_who_met_plan(period):
    report = kpilang.evaluate(kpilang.load(rules_dir() / "head_of_sales.kpi").program, DEMO, period)
    teams = members_by_hand(period)
    for head in (r for r in report.results if r.ok):
        scores = [m.outcome.kpi_score for m in teams[head.team]]
        assert all(m.ok for m in teams[head.team]), "the default treatment pays only when every member is read"
        met = sum(1 for s in scores if s >= 1)
        assert head.metrics["managers_met"] == mean([1] * met + [0] * (len(scores) - met))
        kpi = head.outcome.kpis["team_members_met"]
        assert kpi.target == Decimal("0.40") and kpi.value == head.metrics["managers_met"]
    north = next(r for r in report.results if r.manager_id == "h01")
    assert not north.ok, "m0007's rejected activity row stops the north head's pay with a named error"


def test_a_team_plan_looks_back_at_the_teams_own_data_beside_its_team_figures(tmp_path):
    """previous() of the team's data in a plan with `import members`: the earlier period's metrics are
    worked out without team figures (refused under previous when compiled), and this period's team
    figures are the same as without the look-back."""
    imports = "".join(f'import members "{rules_dir() / p}.kpi"\n' for p in MEMBER_PLANS)
    looking_back = FIGURES.replace("pay total = salary\n", 'metric rev = sum(deals.amount where stage = "won")\n'
                                   "metric rev_before = previous(rev)\npay total = salary\n")
    (tmp_path / "head.kpi").write_text(f'{imports}\nplan head "H" {{\n{FIELDS}}}\n\n{looking_back}', encoding="utf-8")
    program = kpilang.load(tmp_path / "head.kpi").program
    assert program is not None
    plain = {p.manager_id: p for p in kpilang.evaluate(demo_head(tmp_path).program, DEMO, "2026-09").results}
    july_to_august = {p.manager_id: p for p in kpilang.evaluate(program, DEMO, "2026-08").results}
    september = kpilang.evaluate(program, DEMO, "2026-09").results
    computed = [p for p in september if p.ok]
    compared = 0
    for person in computed:
        assert person.metrics["met"] == plain[person.manager_id].metrics["met"]
        assert person.history is not None and person.history.labels == {1: "2026-08"}
        before = july_to_august.get(person.manager_id)
        if before is not None and before.ok:
            assert person.metrics["rev_before"] == before.metrics["rev"]
            compared += 1
    assert compared

# A members' plan with a figure that can have no value without being an error: the mean won deal
# of someone who won none (the pay reads it through `otherwise`).
MEAN_DEAL_MEMBER = MEMBER.replace(
    'pay total "Итого" = salary',
    'metric mean_deal = avg(deals.amount where stage = "won")\npay total "Итого" = salary + (mean_deal otherwise 0)')


@pytest.mark.parametrize(("figure", "policy", "value"), [
    ("sum(members.mean_deal)", "fail", None),
    ("count(members where mean_deal > 500)", "fail", None),
    ("sum(members.mean_deal)", "exclude", Decimal("1000.00")),
    ("count(members where mean_deal > 500)", "exclude", Decimal(1)),
])
def test_a_member_figure_without_a_value_is_named_never_read_as_zero(tmp_path, figure, policy, value):
    """m1 won two deals of 1,000.00 (mean 1,000.00), m2 none (no mean): m2 is usable, but the figure
    the aggregate reads has no value for them, so they are named with it; left out, the figure is m1's."""
    head = head_of(small_team(tmp_path, {"m1": 2, "m2": 0}, figure=figure, policy=policy, member=MEAN_DEAL_MEMBER))
    assert head.metrics["team"] == value
    [team_figure] = head.team_figures
    lines = {m.manager_id: m for m in team_figure.members}
    assert lines["m2"].problem.render("en") == "their `mean_deal` has no value"
    assert lines["m2"].excluded is (policy == "exclude") and lines["m1"].problem is None
    # m1's line: without a `where` nobody is said to meet it or not; with one, m1 meets it.
    assert lines["m1"].matched is (True if "where" in figure else None)
    assert (lines["m1"].figure, lines["m1"].value) == ("mean_deal", Decimal("1000.00"))
    assert team_figure.counted == 1
    if policy == "fail":
        [error] = [e for e in head.errors if e.code == "member_error"]
        assert error.message.render("en") == (f"the team figure `{figure}` cannot be computed: 1 member(s) cannot be "
                                               "read: Person m2 (m2): their `mean_deal` has no value")
        assert error.subject == "team" and error.formula == figure
        lines_of_plan = (tmp_path / "head.kpi").read_text(encoding="utf-8").splitlines()
        [number] = [n for n, line in enumerate(lines_of_plan, start=1) if line.startswith("metric team = ")]
        column = len("metric team = ") + 1
        assert (error.line, error.column, error.end_line, error.end_column) == (
            number, column, number, column + len(figure))
        assert error.file.endswith("head.kpi") and error.cause == "member_error"
    else:
        assert head.ok, head.errors


@pytest.mark.parametrize(("figure", "named"), [
    ("count(members where won / (won - won) > 1)", "won"),
    ("sum(members.won / (members.won - members.won))", "won"),
    ("count(members where 1 / (1 - 1) > 0)", "members"),
    ("count(members where won / (won_kpi - won_kpi) > 1)", "won"),
])
def test_a_member_figure_divided_by_zero_names_the_first_figure_it_reads(tmp_path, figure, named):
    """Every figure read has a value (m1 won 2), but the expression divides by zero: it has no value,
    and the member is named with the first figure the expression reads (`members` when none)."""
    head = head_of(small_team(tmp_path, {"m1": 2}, figure=figure))
    assert head.metrics["team"] is None
    [line] = head.team_figures[0].members
    assert line.problem.render("en") == f"their `{named}` has no value"


@pytest.mark.parametrize(("figure", "value"), [
    ("min(members.won_kpi)", Decimal("0.5")),
    ("max(members.won_kpi)", Decimal(3)),
    ("median(members.won_kpi)", Decimal("1.25")),
    ("avg(members.won_kpi)", Decimal("1.5")),
    ("sum(members.won_kpi)", Decimal(6)),
    ("min(members.won_kpi where won >= 2)", Decimal(1)),
    ("sum(members.won_kpi where won >= 2)", Decimal("5.5")),
    ("count(members where won >= 2)", Decimal(3)),
    ("count(members)", Decimal(4)),
    ("share(members where won >= 2)", Decimal("0.75")),
])
def test_each_aggregate_over_four_members(tmp_path, figure, value):
    """Won 2, 1, 3 and 6 deals against a target of 2: attainments 1, 0.5, 1.5 and 3. By hand: the
    least 0.5, the most 3, the median (1 + 1.5) / 2, the mean 6 / 4, the sum 6; of those who won
    2 or more (1, 1.5, 3), the least 1 and the sum 5.5."""
    head = head_of(small_team(tmp_path, {"m1": 2, "m2": 1, "m3": 3, "m4": 6}, figure=figure))
    assert head.ok, head.errors
    assert head.metrics["team"] == value
    if figure.startswith(("min(", "sum(")) and "where" in figure:  # m2 (1 deal) does not meet it: no figure read
        m2 = next(m for m in head.team_figures[0].members if m.manager_id == "m2")
        assert (m2.matched, m2.value) == (False, None)


def test_a_member_figure_without_a_value_is_named_even_after_one_with_a_value(tmp_path):
    """m2's `won` is 0 (a value), their `mean_deal` has none: the figure named is `mean_deal`."""
    head = head_of(small_team(tmp_path, {"m1": 2, "m2": 0}, figure="count(members where won >= 0 and mean_deal > 500)",
                              member=MEAN_DEAL_MEMBER))
    lines = {m.manager_id: m for m in head.team_figures[0].members}
    assert lines["m2"].problem.render("en") == "their `mean_deal` has no value"
    assert lines["m1"].problem is None and lines["m1"].matched is True


def test_a_team_figure_inside_a_larger_expression_is_computed(tmp_path):
    # The aggregate is not the metric's whole expression: attainments 1/2, 1/2, 0, 0 (one deal of a
    # target of 2, or none), their mean 1/4, halved.
    head = head_of(small_team(tmp_path, {"m1": 1, "m2": 1, "m3": 0, "m4": 0}, figure="avg(members.won_kpi) / 2"))
    assert head.metrics["team"] == Decimal("0.125")


def test_a_members_plan_not_in_force_leaves_the_plans_imported_after_it_read(tmp_path):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    cold = rules / "cold_sales.kpi"  # imported first (MEMBER_PLANS), in force only from August
    cold.write_text(cold.read_text(encoding="utf-8").replace("effective 2026-07-01", "effective 2026-08-01"),
                    encoding="utf-8")
    imports = "".join(f'import members "{rules / p}.kpi"\n' for p in MEMBER_PLANS)
    (tmp_path / "head.kpi").write_text(
        f'{imports}\nplan head "H" {{\n{FIELDS}    on_member_error exclude\n}}\n\n{FIGURES}', encoding="utf-8")
    report = kpilang.evaluate(kpilang.load(tmp_path / "head.kpi").program, DEMO, "2026-07")
    plan_of_role = {role: name for name in MEMBER_PLANS
                    for role in kpilang.load(rules / f"{name}.kpi").program.plan.roles}
    lines = [line for head in report.results for figure in head.team_figures for line in figure.members]
    cold_lines = [line for line in lines if line.role == "cold"]
    assert cold_lines and all("is in force from 2026-08-01, after 2026-07" in line.problem.render("en")
                              for line in cold_lines)
    read = [line for line in lines if line.role != "cold" and line.problem is None]
    # The members of the plans imported after the one not in force are evaluated and read.
    # (account managers have no figure in July: their plan looks back at June, which the demo lacks)
    assert {line.role for line in read} == {"base", "inbound", "chat"}
    # Each member's line names the plan that pays their role.
    assert all(line.plan == plan_of_role[line.role] for line in lines if line.role in plan_of_role)
