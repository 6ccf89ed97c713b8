"""The normative example evaluates to the figures of its expected.json, exactly."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

import kpilang
from kpilang.payouts.json import render_json

NORMATIVE = Path(__file__).resolve().parent.parent / "fixtures" / "normative"


@pytest.fixture(scope="module")
def report():
    program = kpilang.load(NORMATIVE / "cold_sales.kpi").program
    assert program is not None
    return kpilang.evaluate(program, NORMATIVE / "data", "2026-07")


@pytest.fixture(scope="module")
def expected():
    return json.loads((NORMATIVE / "expected.json").read_text(encoding="utf-8"))


def _same(got, want) -> bool:
    return got is not None and Decimal(got) == Decimal(want)


def test_the_people_are_the_cold_callers(report, expected):
    assert [r.manager_id for r in report.results] == [w["manager_id"] for w in expected["results"]]
    assert [(s.manager_id, str(s.reason)) for s in report.skipped] == [
        ("h1", "role head is not in this plan"), ("m5", "role inbound is not in this plan")]


def test_every_figure_agrees(report, expected):
    got = {r["manager_id"]: r for r in json.loads(render_json(report))["results"]}
    problems = []
    for want in expected["results"]:
        person = got[want["manager_id"]]
        mid = want["manager_id"]
        for name, value in want["metrics"].items():
            if not _same(person["metrics"][name], value):
                problems.append(f"{mid} metric {name}: {person['metrics'][name]} != {value}")
        for kpi, fields in want["kpis"].items():
            for field, value in fields.items():
                if not _same(person["kpis"][kpi][field], value):
                    problems.append(f"{mid} {kpi}.{field}: {person['kpis'][kpi][field]} != {value}")
        if not _same(person["kpi_score"], want["kpi_score"]):
            problems.append(f"{mid} kpi_score: {person['kpi_score']} != {want['kpi_score']}")
        for pay, value in want["pays"].items():
            if not _same(person["pays"][pay], value):
                problems.append(f"{mid} pay {pay}: {person['pays'][pay]} != {value}")
        if person["errors"]:
            problems.append(f"{mid} errors: {person['errors']}")
    assert problems == []


def test_the_run_is_clean(report):
    assert not report.has_errors
    assert report.data_problems == []
    assert report.plan == "cold_sales" and report.currency == "RUB" and report.period.label == "2026-07"


def test_the_late_july_deal_counts_and_the_august_one_does_not(report):
    # d005 closed 2026-07-31T23:30+03:00 (250 000) is in m1's revenue; d010 at 00:10 on 1 August
    # (700 000) and d006 on 30 June (999 999) are not.
    m1 = next(r for r in report.results if r.manager_id == "m1")
    assert m1.metrics["revenue"] == Decimal("1150000.50")


def test_accounts_of_rows(report):
    deals = next(a for a in report.accounts if a.table == "deals")
    assert deals.rows_read == 21 and deals.rows_used == 21 and deals.rows_rejected == 0
    # July's closed deals of m1..m4 (m5 is not evaluated; open, June and August deals are out).
    assert deals.rows_in_period == 17
