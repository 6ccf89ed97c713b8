"""A witness month is a month that can happen: written out as an export, the evaluator agrees.

The linter searches its witnesses as months of concrete rows (`checks/witness_rows.py`). Here
each month a search finds is written as CSV files of one person, evaluated by `kpilang.evaluate`
(the loader, DuckDB and the formulas people are paid by), and every metric and the claimed
figure must come out exactly as the linter computed them. Plans whose metrics used to be chosen
one by one, into values no month has (more long calls than calls), are pinned too.
"""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

import kpilang
from kpilang.checks.proofs import PlanProofs
from kpilang.compile import compile_file
from kpilang.compile.program import SALARY, SCORE
from kpilang.lint import lint_file
from kpilang.lint.config import LintConfig
from kpilang.schema import TABLES
from tests.checks.test_witness import _failing

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_PLAN = Path(__file__).parent / "golden" / "activity_only.kpi"
PERSON = "m1"
MOST_ROWS = 30_000  # a larger witness month is not written out: the test stays quick

HEAD = """plan p "P" {
    role cold  period month  effective 2026-07-01
    currency RUB  strategy growth  goal "g"
}
metric revenue "Revenue" = sum(deals.amount where stage = "won") kind result
"""

SHARE_OF_LONG_CALLS = HEAD + """
metric calls "Calls" = count(activities where type = "call") kind activity
metric long_calls "Long calls" = count(activities where type = "call" and duration >= 1m) kind activity
kpi long_share "Share of long calls" = long_calls / calls otherwise 0 target 80% weight 70% cap 200%
kpi revenue_plan "Revenue" = revenue target targets.revenue weight 30% cap 150%
table mult "M" { below 100% : 0  from 100% : 1 }
pay bonus "B" = salary * mult(kpi_score)
"""

CALLS_AND_TALK = HEAD + """
metric calls "Calls" = count(activities where type = "call") kind activity
metric long_calls "Long calls" = count(activities where type = "call" and duration >= 1m) kind activity
metric talk "Talk" = sum(activities.duration where type = "call") kind activity
kpi long "Long" = long_calls target 100 weight 40% cap 150%
kpi talk_per_call "Talk per call" = talk / calls otherwise 0s target 2m weight 40% cap 150%
kpi revenue_plan "Revenue" = revenue target targets.revenue weight 20% cap 150%
table mult "M" { below 100% : 0  from 100% : 1 }
pay bonus "B" = salary * mult(kpi_score)
"""

RESPONSE_TIME = HEAD + """
metric leads_in "Leads" = count(leads) kind activity
metric answered "Answered in time" = count(leads where first_response_at - created_at <= 15m) kind activity
metric response "Response" = avg(leads.first_response_at - leads.created_at) kind quality
kpi sla "SLA" = answered / leads_in otherwise 0 target 90% weight 60% cap 120%
kpi speed "Speed" = response otherwise 1h target 10m lower is better weight 20% cap 150%
kpi revenue_plan "Revenue" = revenue target targets.revenue weight 20% cap 150%
pay bonus "B" = salary * kpi_score
"""

DURATIONS = HEAD + """
metric calls "Calls" = count(activities where type = "call") kind activity
metric median_call "Median call" = median(activities.duration where type = "call") kind quality
metric shortest "Shortest call" = min(activities.duration where type = "call") kind quality
metric longest "Longest call" = max(activities.duration where type = "call") kind quality
kpi median_kpi "Median" = median_call otherwise 0s target 5m weight 40% cap 150%
kpi shortest_kpi "Shortest" = shortest otherwise 0s target 1m weight 30% cap 150%
kpi longest_kpi "Longest" = longest otherwise 0s target 10m weight 20% cap 150%
kpi revenue_plan "Revenue" = revenue target targets.revenue weight 10% cap 150%
pay bonus "B" = salary * kpi_score
"""


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _defaults(table: str) -> dict[str, str]:
    """Cells of required columns the plan's conditions do not read: they change no aggregate."""
    moment = "2026-07-15T12:00:00+00:00"
    return {
        "activities": {"type": "task", "started_at": moment},
        "leads": {"created_at": moment},
        "deals": {"created_at": moment, "stage": "lost", "closed_at": moment},
    }[table]


def write_month(folder: Path, analysis: PlanProofs, month, program) -> None:
    """The month as an export of one person, with the witness's salary and targets."""
    folder.mkdir()
    params = analysis.witness_params()
    extra = sorted(set(program.manager_columns) - {"id", "name", "role", "team", SALARY})
    with (folder / "managers.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "name", "role", "team", "salary", *extra])
        out.writerow([PERSON, "Test Person", "cold", "t1", params[SALARY], *("0" for _ in extra)])
    with (folder / "targets.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["manager_id", "period", "name", "value"])
        for key, value in params.items():
            if key.startswith("targets."):
                out.writerow([PERSON, "2026-07", key.split(".", 1)[1], value])
    model = analysis.months
    for table in ("activities", "leads", "deals"):
        kinds = [(model.kinds[i], n) for i, n in month.rows.items() if n and model.kinds[i].table == table]
        # Every column the plan reads, even where this month has no row that needs it.
        columns = sorted({c for kind in model.kinds if kind.table == table for c in kind.row} | set(_defaults(table)))
        with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["id", "manager_id", *columns])
            number = 0
            for kind, count in kinds:
                cells = {**dict.fromkeys(columns, ""), **_defaults(table), **{c: _cell(v) for c, v in kind.row.items()}}
                for _ in range(count):
                    number += 1
                    out.writerow([f"{table[0]}{number}", PERSON, *(cells[c] for c in columns)])


def _evaluated(folder: Path, program):
    report = kpilang.evaluate(program, folder, "2026-07")
    assert not report.data_problems, [p.to_json() for p in report.data_problems]
    (person,) = [r for r in report.results if r.manager_id == PERSON]
    assert not person.errors, [e.message.render() for e in person.errors]
    return person


def _months(source: str, tmp_path: Path):
    plan = tmp_path / "plan.kpi"
    plan.write_text(source, encoding="utf-8")
    program = compile_file(plan).program
    analysis = PlanProofs(program)
    return program, analysis


PLANS = [pytest.param(*case.values, id=f"{code}: {case.id}") for code in ("KPL004", "KPL005") for case in _failing(code)] + [
    pytest.param(GOLDEN_PLAN.read_text(encoding="utf-8"), id="golden activity_only"),
    pytest.param(CALLS_AND_TALK, id="calls, long calls and talk time"),
    pytest.param(RESPONSE_TIME, id="response time"),
    pytest.param(DURATIONS, id="median, shortest and longest call"),
]


@pytest.mark.parametrize("source", PLANS)
def test_every_witness_month_is_evaluated_as_the_linter_says(source, tmp_path: Path) -> None:
    program, analysis = _months(source, tmp_path)
    if analysis.months is None:
        pytest.skip("the plan's conditions have no row model")
    targets = [(SCORE, lambda s: s >= 1)] if program.kpis else []
    targets += [(pay, lambda x: x > 0) for pay in program.pays]
    checked = 0
    for figure, goal in targets:
        month = analysis.search(figure, goal)
        if month is None or sum(month.rows.values()) > MOST_ROWS:
            continue
        folder = tmp_path / f"month-{checked}"
        write_month(folder, analysis, month, program)
        person = _evaluated(folder, program)
        assert {n: person.metrics.get(n) for n in program.metrics} == month.metrics
        claimed = analysis.evaluate(month.metrics, analysis.witness_params(), figure)[figure].lo
        actual = person.outcome.kpi_score if figure == SCORE else person.outcome.pays[figure].value
        assert actual == claimed
        assert goal(actual)
        for name, metric in program.metrics.items():
            if metric.kind == "result":
                assert not month.metrics[name]
        checked += 1
    assert checked, "no witness month was small enough to write out"


def test_a_share_of_long_calls_never_passes_100_percent_so_no_false_error(tmp_path: Path) -> None:
    """Long calls are some of the calls: their share is at most 100%, so this KPI gives at most
    70% × 125% = 87.5% without a sale. Metric values chosen one by one (10 long calls out of 1)
    made it 140% and the plan an error."""
    plan = tmp_path / "plan.kpi"
    plan.write_text(SHARE_OF_LONG_CALLS, encoding="utf-8")
    found = [d for d in lint_file(plan, config=LintConfig()).diagnostics if d.code == "KPL004"]
    assert all(d.witness is None and d.severity.value != "error" for d in found), [d.message for d in found]


def test_a_witness_never_has_more_long_calls_than_calls(tmp_path: Path) -> None:
    plan = tmp_path / "plan.kpi"
    plan.write_text(CALLS_AND_TALK, encoding="utf-8")
    (found,) = [d for d in lint_file(plan, config=LintConfig()).diagnostics if d.code == "KPL004"]
    witness = {k: Decimal(v) for k, v in found.witness.items()}
    assert witness["long_calls"] <= witness["calls"]
    assert witness["talk"] >= 60 * witness["long_calls"]  # a long call lasts a minute or more
