"""A share of won deals in a month without a sale: no deal is won, but the person may still have
lost ones, so the share is 0 of them — or no value when there is no deal at all. The linter
took it for 'no value' only, and the evaluator's 0 contradicted the proof."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import kpilang
from kpilang.checks.proofs import PlanProofs

PLAN = """plan p "P" {
    role cold  period month  effective 2026-07-01  timezone "Europe/Moscow"
    currency RUB  strategy growth  goal "g"
}
metric calls = count(activities where type = "call")  kind activity
metric won_share = share(deals where stage = "won")  kind result
kpi calls_kpi = calls  target 100  weight 50%  cap 150%
kpi win_rate = won_share otherwise 0  target 30%  weight 50%  cap 150%
pay bonus = salary * kpi_score  cap salary
"""

DATA = {
    "managers.csv": "id,name,role,team,salary\nm1,Анна,cold,north,60000\nm2,Борис,cold,north,50000\n",
    "activities.csv": "id,manager_id,type,started_at\na1,m1,call,2026-07-02T10:00:00+03:00\n",
    # m1 lost two deals in July; m2 has none at all
    "deals.csv": "id,manager_id,created_at,stage,closed_at,amount\n"
                 "d1,m1,2026-07-01T10:00:00+03:00,lost,2026-07-03T10:00:00+03:00,1000\n"
                 "d2,m1,2026-07-01T11:00:00+03:00,lost,2026-07-04T10:00:00+03:00,2000\n",
}


def test_the_share_of_won_deals_without_a_sale_is_zero_or_no_value(tmp_path: Path):
    (tmp_path / "plan.kpi").write_text(PLAN, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    for name, text in DATA.items():
        (data / name).write_text(text, encoding="utf-8")
    program = kpilang.load(tmp_path / "plan.kpi").program
    proofs = PlanProofs(program)

    without = proofs.without_sales["won_share"]
    assert without.has_value and without.lo == without.hi == 0 and without.maybe_none
    assert proofs.fixed["won_share"].lo == 0

    report = kpilang.evaluate(program, data, "2026-07")
    shares = {r.manager_id: r.metrics["won_share"] for r in report.results}
    assert shares == {"m1": Decimal(0), "m2": None}
