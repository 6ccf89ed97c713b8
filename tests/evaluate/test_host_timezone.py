"""Periods are cut in the plan's timezone, whatever the timezone of the machine that pays.

Each test here sets the host's zone itself (TZ and `time.tzset`), so a conversion through the local
zone instead of UTC fails even where the suite runs with TZ=UTC. The expected bounds are written out
by hand: Moscow is UTC+3 all year, so a Moscow month starts at 21:00 UTC on the day before.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

import kpilang
from kpilang.compile.compiler import compile_text
from kpilang.evaluate.period import local_midnight_utc, parse_period, period_for_plan

HOSTS = ["Asia/Vladivostok", "America/New_York", "Europe/Moscow", "UTC"]


@pytest.fixture(params=HOSTS)
def host_zone(request, monkeypatch):
    """Run the test on a machine whose local time is in this zone."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_the_host_zone_is_really_set(host_zone):
    offsets = {"Asia/Vladivostok": -36000, "America/New_York": 18000, "Europe/Moscow": -10800, "UTC": 0}
    assert time.timezone == offsets[host_zone]


def test_month_bounds_do_not_depend_on_the_host(host_zone):
    assert parse_period("2026-07").bounds_utc("Europe/Moscow") == (datetime(2026, 6, 30, 21), datetime(2026, 7, 31, 21))
    assert parse_period("2026-07").bounds_utc("UTC") == (datetime(2026, 7, 1), datetime(2026, 8, 1))
    # New York is UTC−4 in July
    assert parse_period("2026-07").bounds_utc("America/New_York") == (datetime(2026, 7, 1, 4), datetime(2026, 8, 1, 4))
    assert local_midnight_utc(date(2026, 1, 1), "Asia/Vladivostok") == datetime(2025, 12, 31, 14)


def test_first_quarter_is_january_to_march(host_zone):
    q1 = period_for_plan("2026-Q1", "quarter")
    assert (q1.kind, q1.label, q1.first_day, q1.end_day) == ("quarter", "2026-Q1", date(2026, 1, 1), date(2026, 4, 1))
    assert q1.bounds_utc("Europe/Moscow") == (datetime(2025, 12, 31, 21), datetime(2026, 3, 31, 21))
    q2 = parse_period("2026-q2")
    assert (q2.label, q2.first_day, q2.end_day) == ("2026-Q2", date(2026, 4, 1), date(2026, 7, 1))


PLAN = '''plan p "P" {
    role cold  period PERIOD  effective 2025-01-01  timezone "Europe/Moscow"  currency RUB  strategy growth  goal "g"
}
metric revenue = sum(deals.amount where stage = "won")
kpi revenue_plan = revenue
    target targets.revenue
    weight 100%
pay commission = 10% * revenue
'''

# Moscow times of deals closed around the ends of months and quarters: amount → closed_at
DEALS = {
    "1.00": "2025-12-31T23:59:00+03:00",     # Q4 2025, December
    "10.00": "2026-01-01T00:00:00+03:00",    # Q1 2026, January: midnight belongs to the day it starts
    "100.00": "2026-03-31T23:30:00+03:00",   # Q1 2026, March (20:30 UTC)
    "1000.00": "2026-04-01T00:10:00+03:00",  # Q2 2026, April (31 March 21:10 UTC)
    "10000.00": "2026-07-31T23:30:00+03:00",  # July, late evening of the last day
    "100000.00": "2026-08-01T00:10:00+03:00",  # August
}


def _data(tmp_path: Path, periods: list[str]) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "managers.csv").write_text("id,name,role,team,salary\nm1,Анна,cold,t1,70000.00\n", encoding="utf-8")
    targets = "".join(f"m1,{p},revenue,1000\n" for p in periods)
    (data / "targets.csv").write_text("manager_id,period,name,value\n" + targets, encoding="utf-8")
    deals = "".join(f"d{i},m1,c{i},2025-12-01T10:00:00+03:00,{closed},won,{amount},true\n"
                    for i, (amount, closed) in enumerate(DEALS.items()))
    (data / "deals.csv").write_text(
        "id,manager_id,client_id,created_at,closed_at,stage,amount,is_new_client\n" + deals, encoding="utf-8")
    return data


def _revenue(tmp_path: Path, period_kind: str, period: str, periods: list[str]) -> tuple[Decimal, Decimal]:
    program = compile_text(PLAN.replace("PERIOD", period_kind), "plan.kpi").program
    assert program is not None
    report = kpilang.evaluate(program, _data(tmp_path, periods), period)
    (person,) = report.results
    assert person.errors == []
    return person.outcome.metrics["revenue"], person.outcome.pays["commission"].value


@pytest.mark.parametrize(("period", "revenue"), [
    ("2026-07", "10000.00"),   # the late-evening deal of 31 July, not the one after midnight
    ("2026-08", "100000.00"),
    ("2026-03", "100.00"),
])
def test_a_month_pays_its_own_deals_on_any_host(tmp_path, host_zone, period, revenue):
    got, commission = _revenue(tmp_path, "month", period, [period])
    assert got == Decimal(revenue)
    assert commission == Decimal(revenue) / 10


@pytest.mark.parametrize(("period", "revenue"), [
    ("2026-Q1", "110.00"),     # 1 January 00:00 and 31 March 23:30, Moscow
    ("2026-Q2", "1000.00"),
    ("2025-Q4", "1.00"),
    ("2026-Q3", "110000.00"),
])
def test_a_quarter_pays_its_own_deals_on_any_host(tmp_path, host_zone, period, revenue):
    got, commission = _revenue(tmp_path, "quarter", period, [period])
    assert got == Decimal(revenue)
    assert commission == Decimal(revenue) / 10
