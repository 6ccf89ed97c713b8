"""A score exactly on a band's edge is in the band that starts there, even when it is a sum of
attainments no decimal writes out (4 new clients of 3 is 133.33…%).

Weighting an attainment already rounded to 34 digits gave 0.3 × 1.333…3 = 0.3999…9, a score of
0.6999…9 for an exact 70%, and so the multiplier of the band below and a lower pay.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import kpilang
from kpilang.compile import compile_file
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs

ROOT = Path(__file__).resolve().parents[2]
COLD_SALES = ROOT / "rules" / "cold_sales.kpi"


@pytest.fixture(scope="module")
def program():
    return compile_file(COLD_SALES).program


def _outcome(program, *, revenue: str, new_clients: int, new_clients_target: int, calls: int = 100):
    metrics = {"quality_calls": Decimal(calls), "meetings_done": Decimal(0), "leads_received": Decimal(0),
               "revenue": Decimal(revenue), "deals_won": Decimal(new_clients), "new_clients": Decimal(new_clients)}
    inputs = PersonInputs(metrics=metrics, salary=Decimal(70000),
                          targets={"revenue": Decimal(800000), "new_clients": Decimal(new_clients_target)})
    return FormulaEngine(program).evaluate(inputs, trace=False)


@pytest.mark.parametrize(("revenue", "new_clients", "target", "score", "multiplier", "bonus"), [
    # 0.4 × 75% + 0.3 × 4/3 = 70%: the lower edge of `70% to 90%`
    ("600000", 4, 3, Decimal("0.7"), Decimal("0.5"), Decimal("10500.00")),
    # 0.4 × 100% + 0.3 × 2/3 + 0.2 × 0 + 0.1 × 0 = 60% is not an edge: below 70%, nothing
    ("800000", 2, 3, Decimal("0.6"), Decimal("0"), Decimal("0.00")),
    # 0.4 × 150% (the cap) + 0.3 × 4/3 = 100%: the lower edge of `100% to 120%`
    ("1200000", 4, 3, Decimal("1"), Decimal("1.2"), Decimal("25200.00")),
])
def test_a_score_on_an_edge_made_of_thirds_is_in_the_band_above(program, revenue, new_clients, target,
                                                                  score, multiplier, bonus):
    outcome = _outcome(program, revenue=revenue, new_clients=new_clients, new_clients_target=target)
    assert outcome.errors == []
    assert outcome.kpi_score == score
    assert outcome.pays["kpi_bonus"].value == bonus
    assert [hit.result for hit in outcome.table_hits if hit.table == "multiplier"] == [multiplier]


def test_the_contribution_is_the_weighted_ratio_rounded_once(program):
    figures = _outcome(program, revenue="600000", new_clients=4, new_clients_target=3).kpis["new_clients_plan"]
    assert figures.attainment == Decimal("1.333333333333333333333333333333333")
    assert figures.contribution == Decimal("0.4")  # 0.3 × 4 / 3, not 0.3 × 1.333…3


def test_eval_on_crm_rows_pays_the_band_of_an_exact_70_percent(tmp_path: Path, program) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "managers.csv").write_text("id,name,role,team,salary\nm1,Анна,cold,t1,70000.00\n", encoding="utf-8")
    (data / "targets.csv").write_text(
        "manager_id,period,name,value\nm1,2026-07,revenue,800000\nm1,2026-07,new_clients,3\n", encoding="utf-8")
    calls = "".join(f"a{i},m1,call,2026-07-10T10:{i:02d}:00+03:00,120,done\n" for i in range(10))
    (data / "activities.csv").write_text("id,manager_id,type,started_at,duration,status\n" + calls, encoding="utf-8")
    (data / "leads.csv").write_text("id,manager_id,created_at\n", encoding="utf-8")
    deals = "".join(f"d{i},m1,c{i},2026-07-01T10:00:00+03:00,2026-07-2{i}T12:00:00+03:00,won,150000.00,true\n"
                    for i in range(4))
    (data / "deals.csv").write_text(
        "id,manager_id,client_id,created_at,closed_at,stage,amount,is_new_client\n" + deals, encoding="utf-8")
    report = kpilang.evaluate(program, data, "2026-07")
    (person,) = report.results
    assert person.errors == []
    assert person.outcome.kpi_score == Decimal("0.7")
    assert person.outcome.pays["kpi_bonus"].value == Decimal("10500.00")
