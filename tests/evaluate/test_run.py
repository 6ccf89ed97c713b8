"""`evaluate` end to end on small data sets written as CSV: people, periods, scope team, errors
that stay with their person, rejected rows, and the account of rows."""

from decimal import Decimal
from pathlib import Path

import pytest

import kpilang
from kpilang.data import DataError
from kpilang.evaluate.period import PeriodError
from kpilang.payouts.json import render_json

HEAD = """
plan p "P" {{
    role cold
    period month
    effective 2026-07-01
    timezone "Europe/Moscow"
    currency RUB
    strategy growth
    goal "g"
    {scope}
}}
"""

PLAN = HEAD + """
metric revenue = sum(deals.amount where stage = "won")
metric won = count(deals where stage = "won")
metric avg_deal = sum(deals.amount where stage = "won") / count(deals where stage = "won")
kpi revenue_plan = revenue
    target targets.revenue
    weight 60%
    cap 150%
kpi deal_size = avg_deal
    target 100000
    weight 40%
table multiplier {{
    below 70% : 0
    from 70% : 1
}}
pay bonus = salary * multiplier(kpi_score)
pay total = salary + bonus
"""

MANAGERS = """id,name,role,team,salary
m1,Анна,cold,north,60000
m2,Борис,cold,north,50000
m3,Вера,cold,south,40000
i1,Ирина,inbound,north,45000
h1,Егор,head,north,90000
"""

DEALS_HEADER = "id,manager_id,client_id,created_at,closed_at,stage,amount,is_new_client\n"
DEALS = DEALS_HEADER + """d1,m1,c1,2026-07-01T10:00:00+03:00,2026-07-31T23:30:00+03:00,won,200000.00,true
d2,m1,c2,2026-07-01T10:00:00+03:00,2026-08-01T00:10:00+03:00,won,900000.00,true
d3,m2,c3,2026-07-01T10:00:00+03:00,2026-07-10T10:00:00+03:00,won,50000.00,false
d4,m2,c4,2026-07-01T10:00:00+03:00,2026-07-11T10:00:00+03:00,won,100000.00,false
d5,m3,c5,2026-07-01T10:00:00+03:00,,open,300000.00,true
d6,i1,c6,2026-07-01T10:00:00+03:00,2026-07-11T10:00:00+03:00,won,70000.00,false
"""

TARGETS = """manager_id,period,name,value
m1,2026-07,revenue,100000
m2,2026-07,revenue,300000
m3,2026-07,revenue,100000
m1,2026-08,revenue,1
"""


def make(tmp_path: Path, plan: str = PLAN, *, scope: str = "", managers: str = MANAGERS, deals: str = DEALS,
         targets: str = TARGETS) -> tuple[object, Path]:
    (tmp_path / "plan.kpi").write_text(plan.format(scope=scope), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "managers.csv").write_text(managers, encoding="utf-8")
    (data / "deals.csv").write_text(deals, encoding="utf-8")
    (data / "targets.csv").write_text(targets, encoding="utf-8")
    result = kpilang.load(tmp_path / "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    return result.program, data


def person(report, pid):
    return next(r for r in report.results if r.manager_id == pid)


def test_people_are_those_of_the_plans_roles(tmp_path):
    program, data = make(tmp_path)
    report = kpilang.evaluate(program, data, "2026-07")
    assert [r.manager_id for r in report.results] == ["m1", "m2", "m3"]
    assert [(s.manager_id, str(s.reason)) for s in report.skipped] == [
        ("h1", "role head is not in this plan"), ("i1", "role inbound is not in this plan")]


def test_the_timezone_boundary(tmp_path):
    program, data = make(tmp_path)
    report = kpilang.evaluate(program, data, "2026-07")
    # d1 closed 23:30 Moscow on 31 July is July's; d2 at 00:10 on 1 August is not.
    assert person(report, "m1").metrics["revenue"] == Decimal("200000.00")
    august = kpilang.evaluate(program, data, "2026-08")
    assert person(august, "m1").metrics["revenue"] == Decimal("900000.00")


def test_figures_of_a_clean_person(tmp_path):
    program, data = make(tmp_path)
    m2 = person(kpilang.evaluate(program, data, "2026-07"), "m2")
    assert m2.ok
    assert m2.metrics == {"revenue": Decimal("150000.00"), "won": 2, "avg_deal": Decimal("75000")}
    o = m2.outcome
    assert o.kpis["revenue_plan"].attainment == Decimal("0.5")
    assert o.kpis["deal_size"].attainment == Decimal("0.75")
    assert o.kpi_score == Decimal("0.6")
    assert o.pays["bonus"].value == 0 and o.pays["total"].value == Decimal("50000.00")


def test_no_value_kpi_is_that_persons_error_and_the_rest_are_computed(tmp_path):
    program, data = make(tmp_path)
    report = kpilang.evaluate(program, data, "2026-07")
    m3 = person(report, "m3")  # no won deal: revenue / won divides by zero
    assert not m3.ok
    assert any("deal_size" == e.subject or "avg_deal" in str(e.message) or "deal_size" in str(e.message) for e in m3.errors)
    assert all(e.file.endswith("plan.kpi") and e.line > 0 for e in m3.errors)
    data_json = next(r for r in __import__("json").loads(render_json(report))["results"] if r["manager_id"] == "m3")
    assert data_json["kpi_score"] is None and data_json["pays"]["total"] is None
    assert person(report, "m1").ok and person(report, "m2").ok
    assert report.has_errors


def test_missing_target_is_that_persons_error(tmp_path):
    targets = "manager_id,period,name,value\nm1,2026-07,revenue,100000\n"
    program, data = make(tmp_path, targets=targets)
    report = kpilang.evaluate(program, data, "2026-07")
    m2 = person(report, "m2")
    assert not m2.ok
    assert any("revenue" in str(e.message) and "target" in str(e.message) for e in m2.errors)
    assert person(report, "m1").ok


def test_a_rejected_row_touches_only_its_person(tmp_path):
    deals = DEALS + 'd9,m2,c9,2026-07-01T10:00:00+03:00,2026-07-12T10:00:00+03:00,won,"1 234,50",true\n'
    program, data = make(tmp_path, deals=deals)
    report = kpilang.evaluate(program, data, "2026-07")
    assert len(report.data_problems) == 1
    problem = report.data_problems[0]
    assert (problem.table, problem.row, problem.column) == ("deals", 8, "amount")
    m2 = person(report, "m2")
    assert not m2.ok and m2.outcome is None
    assert set(m2.metrics.values()) == {None}
    assert "row 8 of deals.csv was rejected" in str(m2.errors[0].message)
    assert "partial data" in str(m2.errors[0].message)
    assert person(report, "m1").ok
    assert report.has_errors


def test_a_rejected_row_of_a_team_member_touches_the_whole_team(tmp_path):
    deals = DEALS + 'd9,m2,c9,2026-07-01T10:00:00+03:00,2026-07-12T10:00:00+03:00,won,-5,true\n'
    program, data = make(tmp_path, deals=deals, scope="scope team")
    report = kpilang.evaluate(program, data, "2026-07")
    assert not person(report, "m1").ok and not person(report, "m2").ok
    assert person(report, "m3").errors == [] or all(e.subject != "data" for e in person(report, "m3").errors)


def test_scope_team_aggregates_over_the_team(tmp_path):
    program, data = make(tmp_path, scope="scope team")
    report = kpilang.evaluate(program, data, "2026-07")
    # north: m1 200000 + m2 150000 + i1 70000 (a member of the team, whatever the role)
    assert person(report, "m1").metrics["revenue"] == Decimal("420000.00")
    assert person(report, "m2").metrics["revenue"] == Decimal("420000.00")
    assert person(report, "m3").metrics["revenue"] == 0


def test_period_of_the_wrong_kind_is_a_usage_error(tmp_path):
    program, data = make(tmp_path)
    with pytest.raises(PeriodError) as err:
        kpilang.evaluate(program, data, "2026-Q3")
    assert "2026-07" in str(err.value.hint)


def test_missing_needed_table_is_fatal(tmp_path):
    program, data = make(tmp_path)
    (data / "deals.csv").unlink()
    with pytest.raises(DataError) as err:
        kpilang.evaluate(program, data, "2026-07")
    assert any(p.table == "deals" and p.fatal for p in err.value.problems)


def test_accounts(tmp_path):
    program, data = make(tmp_path)
    report = kpilang.evaluate(program, data, "2026-07")
    deals = next(a for a in report.accounts if a.table == "deals")
    assert (deals.rows_read, deals.rows_used, deals.rows_rejected) == (6, 6, 0)
    assert deals.rows_in_period == 3  # d1, d3, d4: m1..m3 in July


def test_progress_is_reported_per_person(tmp_path):
    program, data = make(tmp_path)
    seen = []
    kpilang.evaluate(program, data, "2026-07", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_loaded_dataset_can_be_passed(tmp_path):
    from kpilang.data import load_data
    from kpilang.evaluate.run import data_needs

    program, data = make(tmp_path)
    with load_data(data, timezone="Europe/Moscow", needs=data_needs(program)) as ds:
        report = kpilang.evaluate(program, ds, "2026-07")
    assert person(report, "m2").metrics["won"] == 2


def test_a_metric_whose_table_lookup_misses_every_band_is_that_persons_error(tmp_path):
    plan = HEAD + """
metric revenue = sum(deals.amount where stage = "won")
metric tier = level(count(deals where stage = "won"))
kpi revenue_plan = revenue
    target targets.revenue
    weight 50%
kpi tier_kpi = tier
    target 1
    weight 50%
table level {{
    below 2 : 1
}}
pay total = salary * kpi_score
"""
    program, data = make(tmp_path, plan)
    report = kpilang.evaluate(program, data, "2026-07")
    m2 = person(report, "m2")  # two won deals: `level` has no band from 2 on
    assert m2.metrics["tier"] is None
    assert any(e.subject == "tier" and e.cause == "no_band" and "level(" in e.formula for e in m2.errors)
    m1 = person(report, "m1")
    assert m1.ok and m1.metrics["tier"] == 1


def test_a_metric_lookup_error_quotes_the_whole_formula_and_its_place(tmp_path):
    # A formula written over two lines is quoted whole, on one line, as every other error quotes it.
    plan = HEAD + """
metric tier = level(count(deals
                          where stage = "won"))
kpi tier_kpi = tier
    target 1
    weight 100%
table level {{
    below 2 : 1
}}
pay total = salary * kpi_score
"""
    program, data = make(tmp_path, plan)
    report = kpilang.evaluate(program, data, "2026-07")
    [error] = [e for e in person(report, "m2").errors if e.subject == "tier"]
    written = plan.format(scope="").splitlines()
    line = next(n for n, text in enumerate(written, start=1) if text.startswith("metric tier"))
    assert error.formula == 'level(count(deals where stage = "won"))'
    assert (error.line, error.column) == (line, len("metric tier = ") + 1)
    assert (error.end_line, error.end_column) == (line + 1, len('                          where stage = "won"))') + 1)
    assert error.cause == "no_band"


SIGNED_ON_DEALS = (DEALS_HEADER.strip() + ",signed_on\n"
                   "d1,m1,c1,2026-07-01T10:00:00+03:00,2026-07-05T10:00:00+03:00,won,1.00,true,2026-07-01\n"
                   "d2,m1,c2,2026-07-01T10:00:00+03:00,2026-07-05T10:00:00+03:00,won,1.00,true,2026-07-02\n"
                   "d3,m1,c3,2026-07-01T10:00:00+03:00,2026-07-05T10:00:00+03:00,won,1.00,true,\n")
"""Deals with an extra column of dates, `signed_on`: 1 July, 2 July, empty."""


def test_a_date_literal_against_an_extra_date_column_is_that_date(tmp_path):
    """`signed_on` holds dates, not instants: 2026-07-02 means that day, not midnight in Moscow
    (which is 21:00 UTC on 1 July)."""
    plan = HEAD + """
metric early = count(deals where deals.signed_on < 2026-07-02)
metric late = count(deals where deals.signed_on >= 2026-07-02)
metric on_the_day = count(deals where deals.signed_on = 2026-07-02)
kpi k = late
    target 1
    weight 100%
pay total = salary * kpi_score
"""
    program, data = make(tmp_path, plan, deals=SIGNED_ON_DEALS)
    report = kpilang.evaluate(program, data, "2026-07")
    m1 = person(report, "m1")
    assert (m1.metrics["early"], m1.metrics["late"], m1.metrics["on_the_day"]) == (1, 1, 1)


def test_a_date_literal_against_an_extra_date_column_row_by_row(tmp_path):
    """The same conditions on a row-by-row aggregate (its expression divides): d2's 1.00 / 2, and d1's."""
    plan = HEAD + """
metric on_the_day_half = sum(deals.amount / 2 where deals.signed_on = 2026-07-02)
metric early_half = sum(deals.amount / 2 where deals.signed_on < 2026-07-02)
kpi k = on_the_day_half
    target 1
    weight 100%
pay total = salary * kpi_score
"""
    program, data = make(tmp_path, plan, deals=SIGNED_ON_DEALS)
    m1 = person(kpilang.evaluate(program, data, "2026-07"), "m1")
    assert (m1.metrics["on_the_day_half"], m1.metrics["early_half"]) == (Decimal("0.5"), Decimal("0.5"))


def test_a_period_before_the_plan_takes_effect_can_still_be_evaluated(tmp_path):
    # The linter's history check evaluates a new plan on past periods; `kpilang eval` refuses them.
    program, data = make(tmp_path)
    report = kpilang.evaluate(program, data, "2026-06")
    assert report.period.label == "2026-06" and [r.manager_id for r in report.results] == ["m1", "m2", "m3"]


def test_data_loaded_for_another_timezone_is_refused(tmp_path):
    from kpilang.data import load_data
    from kpilang.evaluate.run import data_needs

    program, data = make(tmp_path)
    with load_data(data, timezone="UTC", needs=data_needs(program)) as ds:
        with pytest.raises(ValueError, match="loaded for timezone UTC"):
            kpilang.evaluate(program, ds, "2026-07")
