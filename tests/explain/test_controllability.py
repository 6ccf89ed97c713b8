"""Statements mark what the linter judges uncontrollable, by the author's word or by kpilang's
controllability model, and show the author's reason where `controllable "REASON"` overrules it."""

from __future__ import annotations

import kpilang
from kpilang.explain import build_statements, render_statements

from .conftest import PERIOD

PLAN = """
plan inbound_test "Входящие (тест)" {
    role inbound  period month  effective 2026-07-01  timezone "Europe/Moscow"
    currency RUB  strategy growth  goal "Конверсия"
}
metric leads_in "Заявки" = count(leads)
metric event_leads "Заявки с выставок" = count(leads where source = "site")
    controllable "менеджер сам приглашает клиентов на выставку"
metric won "Выигранные сделки" = count(deals where stage = "won")
kpi conversion "Конверсия" = won / leads_in otherwise 0 target 20% weight 60% cap 150%
kpi events "Заявки с выставок" = event_leads target 2 weight 40% cap 150%
pay total "Итого" = salary * (1 + kpi_score)
"""


def _report(tmp_path, data_copy):
    managers = data_copy / "managers.csv"
    managers.write_text(managers.read_text(encoding="utf-8").replace(",cold,", ",inbound,"), encoding="utf-8")
    path = tmp_path / "inbound_test.kpi"
    path.write_text(PLAN, encoding="utf-8")
    result = kpilang.load(path)
    assert result.program is not None, [d.message for d in result.diagnostics]
    return kpilang.evaluate(result.program, data_copy, PERIOD, trace=True)


def test_the_model_marks_the_leads_received_and_the_override_shows_its_reason(tmp_path, data_copy):
    report = _report(tmp_path, data_copy)
    [statement] = build_statements(report, lang="ru", managers=["m1"])
    lines = {m.name: m for m in statement.metrics}
    assert lines["leads_in"].uncontrollable and lines["leads_in"].controllable_because is None
    assert not lines["event_leads"].uncontrollable
    assert lines["event_leads"].controllable_because == "менеджер сам приглашает клиентов на выставку"
    assert not lines["won"].uncontrollable and lines["won"].controllable_because is None
    for fmt in ("text", "md", "html"):
        text = render_statements([statement], report, fmt=fmt, lang="ru").statements[0].text
        assert "зависит от сотрудника: менеджер сам приглашает клиентов на выставку" in text, fmt
        assert "не зависит от сотрудника" in text, fmt  # the leads received


def test_what_it_takes_never_suggests_more_leads_received(tmp_path, data_copy):
    report = _report(tmp_path, data_copy)
    [statement] = build_statements(report, lang="en", managers=["m1"])
    suggested = {o.metric for w in statement.what_it_takes for o in w.options}
    assert "leads_in" not in suggested


def test_a_team_scope_plan_for_managers_marks_every_metric_as_the_teams(tmp_path, data_copy):
    managers = data_copy / "managers.csv"
    managers.write_text(managers.read_text(encoding="utf-8").replace(",cold,", ",inbound,"), encoding="utf-8")
    path = tmp_path / "team.kpi"
    path.write_text(PLAN.replace('goal "Конверсия"', 'goal "Конверсия"  scope team'), encoding="utf-8")
    program = kpilang.load(path).program
    report = kpilang.evaluate(program, data_copy, PERIOD, trace=True)
    [statement] = build_statements(report, lang="ru", managers=["m1"])
    assert all(m.uncontrollable for m in statement.metrics)
