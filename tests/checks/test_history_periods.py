"""Which past periods `lint --history` evaluates: only those the data holds whole.

An export is usually taken some days into a month, with meetings already planned in it, and it
starts wherever the CRM's filter put it. Counting such a partly held period as history makes
everyone miss its targets and KPL010 call a reachable target unreachable.
"""

from __future__ import annotations

from pathlib import Path

from kpilang.checks.history import past_periods
from kpilang.compile.compiler import compile_text
from kpilang.data import load_data
from kpilang.evaluate.run import data_needs

PLAN = """plan p "P" {{
    role cold  period month  effective 2026-01-01  timezone "Europe/Moscow"
    currency RUB  strategy growth  goal "g"
}}
metric calls "Calls" = count(activities where type = "call") kind activity
metric meetings "Meetings" = count(activities where type = "meeting") kind activity
kpi calls_kpi "Calls" = calls target {target} weight 50% cap 150%
kpi meetings_kpi "Meetings" = meetings target 10 weight 50% cap 150%
"""


def _history(tmp_path: Path, first: str, last: str, targets: list[str] | None) -> Path:
    data = tmp_path / "history"
    data.mkdir()
    (data / "managers.csv").write_text("id,name,role,team,salary\nm1,A,cold,t1,100000.00\n", encoding="utf-8")
    rows = [f"a1,m1,call,{first},60,done", "a2,m1,call,2026-08-15T12:00:00+03:00,60,done",
            f"a3,m1,meeting,{last},3600,planned"]
    (data / "activities.csv").write_text("id,manager_id,type,started_at,duration,status\n" + "\n".join(rows) + "\n",
                                         encoding="utf-8")
    if targets is not None:
        (data / "targets.csv").write_text(
            "manager_id,period,name,value\n" + "".join(f"m1,{p},calls,100\n" for p in targets), encoding="utf-8")
    return data


def _periods(tmp_path: Path, plan: str, data: Path) -> list[str]:
    program = compile_text(plan, str(tmp_path / "p.kpi")).program
    dataset = load_data(data, timezone=program.plan.timezone, needs=data_needs(program))
    try:
        return past_periods(program, dataset)
    finally:
        dataset.close()


def test_a_month_the_export_holds_only_in_part_is_not_history(tmp_path: Path) -> None:
    # From 3 June to a meeting planned for 14 October: July, August and September are whole.
    data = _history(tmp_path, "2026-06-03T10:00:00+03:00", "2026-10-14T10:00:00+03:00", None)
    assert _periods(tmp_path, PLAN.format(target="100"), data) == ["2026-07", "2026-08", "2026-09"]


def test_the_days_are_the_plans_not_utc(tmp_path: Path) -> None:
    # 00:10 on 1 July in Moscow is still 30 June in UTC: July starts with the data, June is not held.
    data = _history(tmp_path, "2026-07-01T00:10:00+03:00", "2026-08-31T23:50:00+03:00", None)
    assert _periods(tmp_path, PLAN.format(target="100"), data) == ["2026-07", "2026-08"]


def test_with_per_person_targets_only_the_periods_they_name(tmp_path: Path) -> None:
    data = _history(tmp_path, "2026-06-03T10:00:00+03:00", "2026-10-14T10:00:00+03:00",
                    ["2026-07", "2026-08", "2026-10"])
    assert _periods(tmp_path, PLAN.format(target="targets.calls"), data) == ["2026-07", "2026-08"]
