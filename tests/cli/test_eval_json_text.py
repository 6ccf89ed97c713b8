"""`kpilang eval --format json` writes each person's entry straight from its values: the text is
exactly the standard encoder's text of `to_json`'s document (the contract's dicts), for people
with errors, refused people, rejected rows, a team plan that also looks back, and in Russian."""

from __future__ import annotations

import json

import pytest

import kpilang
from kpilang.payouts.json import person_json, render_json, to_json
from tests.evaluate.test_run import DEALS, make
from tests.explain.test_team_and_earlier import report as team_report  # noqa: F401  (a fixture)


def _standard(report, lang: str, fatal=None) -> str:
    document = to_json(report, lang)
    if fatal is not None:
        document["fatal"] = fatal
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_people_with_errors_as_the_standard_encoder(tmp_path, lang):
    program, data = make(tmp_path)
    report = kpilang.evaluate(program, data, "2026-07")
    assert any(not r.ok for r in report.results) and any(r.ok for r in report.results)
    assert render_json(report, lang) == _standard(report, lang)
    assert render_json(report, lang, []) == _standard(report, lang, [])


def test_a_rejected_row_and_a_refused_person_as_the_standard_encoder(tmp_path):
    deals = DEALS + 'd9,m2,c9,2026-07-01T10:00:00+03:00,2026-07-12T10:00:00+03:00,won,"1 234,50",true\n'
    program, data = make(tmp_path, deals=deals)
    report = kpilang.evaluate(program, data, "2026-07")
    assert report.data_problems and any(r.outcome is None for r in report.results)
    assert render_json(report, "ru") == _standard(report, "ru")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_team_plan_that_looks_back_as_the_standard_encoder(team_report, lang):  # noqa: F811
    assert any(r.history is not None for r in team_report.results)
    assert any(r.team_figures for r in team_report.results)
    assert render_json(team_report, lang) == _standard(team_report, lang)


def test_a_persons_entry_has_the_keys_of_the_contract_in_order(tmp_path):
    program, data = make(tmp_path)
    report = kpilang.evaluate(program, data, "2026-07")
    entry = person_json(report, report.results[0])
    assert list(entry) == ["manager_id", "name", "metrics", "kpis", "kpi_score", "pays", "errors"]
    assert list(entry["metrics"]) == ["revenue", "won", "avg_deal"]
    assert list(entry["kpis"]) == ["revenue_plan", "deal_size"]
    assert list(entry["kpis"]["revenue_plan"]) == ["value", "target", "attainment", "weight", "contribution"]
    assert list(entry["pays"]) == ["bonus", "total"]
