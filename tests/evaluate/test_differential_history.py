"""The evaluator against a naive oracle over two months: `previous(…)` targets and `retained(…)` /
`churned(…)` metrics, on generated plans and data.

The worlds of `test_differential` (rows around July 2026's Moscow edges) are spread over July and
August: each row stays in July or moves exactly 31 days on, which maps July's edges onto August's.
August is evaluated. Each KPI's target is the previous month's value of its own formula
(`previous(NUM)`, `previous(NUM / DEN otherwise 0)`) or the world's own target; a metric counts
the clients kept or lost. The oracle reads July and August from the rows in plain Python and
knows the rules: a look-back that has no July record in a table it reads is an error for everyone,
never a zero.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings, strategies as st

import kpilang
from tests.evaluate.test_differential import (
    TZ, KpiSpec, NoValue, World, _rounded, condition, o_attainment, o_holds, o_metric, o_target, render_cond, render_plan,
    worlds, write_data,
)

MONTH = timedelta(days=31)
DATE_COLUMN = {"deals": "closed_at", "activities": "started_at"}


@st.composite
def two_month_worlds(draw) -> tuple[World, list[bool], tuple | None, str]:
    w = draw(worlds())

    def spread(rows, columns):
        out = []
        for row in rows:
            if draw(st.booleans()):
                row = {**row, **{c: row[c] + MONTH for c in columns if row[c] is not None}}
            out.append(row)
        return out

    deals = spread(w.deals, ("created_at", "closed_at"))
    activities = spread(w.activities, ("started_at",))
    looks_back = [draw(st.booleans()) for _ in w.kpis]
    kept_where = draw(st.one_of(st.none(), condition("deals", depth=1)))
    kept_func = draw(st.sampled_from(["retained", "churned"]))
    # The pays over money and manager columns are the one-month oracle's; here the score and the
    # bonus over it are enough, so a pay's own error never hides a look-back's.
    w = replace(w, deals=deals, activities=activities, commission_metric="", manager_pay=False)
    return w, looks_back, kept_where, kept_func


def _target_text(k: KpiSpec, looks_back: bool) -> str | None:
    if not looks_back:
        return None
    return f"previous({k.num})" if k.den is None else f"previous({k.num} / {k.den} otherwise 0)"


def render(w: World, looks_back: list[bool], kept_where: tuple | None, kept_func: str) -> str:
    text = render_plan(w)
    for k, back in zip(w.kpis, looks_back):
        new = _target_text(k, back)
        if new is None:
            continue
        old = "targets.goal" if k.target is None else "managers.quota" if k.target == "quota" else str(k.target)
        head = f"kpi {k.name} = " + (k.num if k.den is None else f"{k.num} / {k.den} otherwise 0")
        text = text.replace(f"{head}\n  target {old}\n", f"{head}\n  target {new}\n")
    where = f" where {render_cond(kept_where)}" if kept_where is not None else ""
    return text + f"metric kept = {kept_func}(deals.client_id{where})\n"


def _rows(w: World, table: str, group: list[str], start: datetime, end: datetime) -> list[dict]:
    rows = w.deals if table == "deals" else w.activities
    column = DATE_COLUMN[table]
    return [r for r in rows if r["manager_id"] in group and r[column] is not None and start <= r[column] < end]


def _covered(w: World, table: str, start: datetime, end: datetime) -> bool:
    rows = w.deals if table == "deals" else w.activities
    column = DATE_COLUMN[table]
    return any(r[column] is not None and start <= r[column] < end for r in rows)


def oracle(w: World, looks_back: list[bool], kept_where: tuple | None, kept_func: str) -> dict[str, dict]:
    with localcontext(prec=34, rounding=ROUND_HALF_EVEN):
        return _oracle(w, looks_back, kept_where, kept_func)


def _oracle(w, looks_back, kept_where, kept_func):
    zone = ZoneInfo(TZ)
    july, august, september = (datetime(2026, m, 1, tzinfo=zone) for m in (7, 8, 9))
    by_name = {m.name: m for m in w.metrics}
    read_back = {"deals"}  # the retention metric always looks back at deals
    for k, back in zip(w.kpis, looks_back):
        if back:
            read_back |= {by_name[k.num].table} | ({by_name[k.den].table} if k.den else set())
    history_missing = not all(_covered(w, table, july, august) for table in read_back)
    out = {}
    for person in w.managers:
        if person["role"] != "cold":
            continue
        pid = person["id"]
        group = [p["id"] for p in w.managers if p["team"] == person["team"]] if w.team else [pid]
        if history_missing:
            out[pid] = {"error": True, "metrics": None}
            continue
        now = {m.name: o_metric(m, _rows(w, m.table, group, august, september)) for m in w.metrics}
        then = {m.name: o_metric(m, _rows(w, m.table, group, july, august)) for m in w.metrics}

        def clients(start, end):
            return {r["client_id"] for r in _rows(w, "deals", group, start, end)
                    if r["client_id"] is not None and (kept_where is None or o_holds(r, kept_where))}

        before, after = clients(july, august), clients(august, september)
        now["kept"] = Decimal(len(before & after if kept_func == "retained" else before - after))
        result = {"metrics": now, "error": False, "kpis": {}}
        try:
            exact_score = Fraction(0)
            for k, back in zip(w.kpis, looks_back):
                value = _kpi_value(k, now)
                if value is None:
                    raise NoValue(k.name)
                if back:
                    target = _kpi_value(k, then)
                else:
                    target = o_target(k, w, pid, person)
                if target is None or target == 0:
                    raise NoValue(k.name)
                att, exact = o_attainment(k, value, target)
                result["kpis"][k.name] = (value, target, att)
                exact_score += exact
            result["kpi_score"] = _rounded(exact_score)
        except NoValue:
            result["error"] = True
        out[pid] = result
    return out


def _kpi_value(k: KpiSpec, metrics: dict) -> Decimal | None:
    num = metrics[k.num]
    if k.den is None:
        return num
    den = metrics[k.den]
    return Decimal(0) if (num is None or den is None or den == 0) else num / den


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(two_month_worlds())
def test_engine_agrees_with_the_oracle_over_two_months(world):
    w, looks_back, kept_where, kept_func = world
    text = render(w, looks_back, kept_where, kept_func)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "plan.kpi").write_text(text, encoding="utf-8")
        (root / "data").mkdir()
        write_data(replace(w, targets={}), root / "data")
        targets = root / "data" / "targets.csv"
        targets.write_text("manager_id,period,name,value\n" + "".join(
            f"{pid},2026-08,goal,{value}\n" for pid, value in w.targets.items()), encoding="utf-8")
        compiled = kpilang.load(root / "plan.kpi")
        assert compiled.program is not None, (text, [d.message for d in compiled.diagnostics])
        report = kpilang.evaluate(compiled.program, root / "data", "2026-08")
    want = oracle(w, looks_back, kept_where, kept_func)
    got = {r.manager_id: r for r in report.results}
    assert set(got) == set(want)
    for pid, expected in want.items():
        person = got[pid]
        assert (not person.ok) == expected["error"], (pid, person.errors, text)
        if expected["metrics"] is None:
            assert {e.code for e in person.errors} == {"no_history"}
            continue
        assert person.metrics == expected["metrics"], (pid, text)
        if expected["error"]:
            continue
        for name, (value, target, attainment) in expected["kpis"].items():
            k = person.outcome.kpis[name]
            assert (k.value, k.target, k.attainment) == (value, target, attainment), (pid, name, text)
        assert person.outcome.kpi_score == expected["kpi_score"]
