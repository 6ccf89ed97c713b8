"""The fuzzers' oracle and invariant checker are tested themselves: an oracle that agreed with
everything, or a checker that flagged nothing, would make every fuzzing run pass."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.fuzz import cold_sales_oracle as oracle
from tests.fuzz.normative_data import NORMATIVE, TABLES, Outcome, check, original_rows


def _untouched() -> dict:
    return oracle.expectations({table: original_rows(table) for table in TABLES})


def test_the_oracle_gives_the_normative_figures_on_the_untouched_example():
    expected = json.loads((NORMATIVE / "expected.json").read_text(encoding="utf-8"))
    answers = _untouched()
    for person in expected["results"]:
        answer = answers[person["manager_id"]]
        assert answer.pays == {k: Decimal(v) for k, v in person["pays"].items()}
        assert answer.metrics == {k: Decimal(v) for k, v in person["metrics"].items()}
    assert answers["m5"] == answers["h1"] == oracle.SKIPPED


@pytest.mark.parametrize(("text", "read"), [
    ("2026-07-31T23:30:00+03:00", "2026-07-31T20:30:00+00:00"),
    ("2026-07-31 23:30", "2026-07-31T20:30:00+00:00"),
    ("2026-07-31", "2026-07-30T21:00:00+00:00"),
    ("2026-08-01T00:10:00Z", "2026-08-01T00:10:00+00:00"),
])
def test_the_oracle_reads_documented_date_times(text, read):
    from datetime import timezone

    assert oracle.moment(text).astimezone(timezone.utc).isoformat() == read


@pytest.mark.parametrize("text", ["31.07.2026", "2026-07-31t23:30", "2026-02-30", "2026-07-31T24:00",
                                  "2026-07-31 23:30 +03:00", "2026-07-31T23:30:00.1234567"])
def test_the_oracle_rejects_documented_bad_date_times(text):
    with pytest.raises(oracle.Bad):
        oracle.moment(text)


@pytest.mark.parametrize("text", ["1 234,50", "1,234.50", "1e5", "+12", ".5", "-10.00", " 100", "12 RUB"])
def test_the_oracle_rejects_documented_bad_money(text):
    with pytest.raises(oracle.Bad):
        oracle.money(text)


def _report(pays_of_m1: dict[str, str], errors: list | None = None, problems: list | None = None) -> dict:
    expected = json.loads((NORMATIVE / "expected.json").read_text(encoding="utf-8"))
    results = [dict(p, errors=[]) for p in expected["results"]]
    results[0] = dict(results[0], pays=pays_of_m1, errors=errors or [])
    return {"results": results, "skipped": [{"manager_id": "h1"}, {"manager_id": "m5"}],
            "data_problems": problems or [], "tables": [{"rows_read": 3, "rows_used": 2, "rows_rejected": 1}]}


def test_the_checker_flags_a_pay_other_than_the_oracles():
    report = _report({"bonus": "72000.00", "commission": "23000.02", "total": "155000.02"})
    (violation,) = check(Outcome(0, report, ""), _untouched(), rejected_by_oracle=False)
    assert (violation.kind, violation.manager_id) == ("wrong_pay", "m1")


def test_the_checker_flags_an_ok_person_whose_row_was_rejected_and_a_silent_rejection():
    answers = dict(_untouched(), m1=oracle.MUST_ERROR)
    report = _report({"bonus": "72000.00", "commission": "23000.01", "total": "155000.01"})
    kinds = {v.kind for v in check(Outcome(0, report, ""), answers, rejected_by_oracle=True)}
    assert kinds == {"ok_for_rejected_row", "nothing_rejected"}


def test_the_checker_accepts_an_error_for_anyone():
    answers = _untouched()
    report = _report({"bonus": None, "commission": None, "total": None}, errors=[{"code": "rejected_data"}],
                     problems=[{"table": "deals", "manager_ids": ["m1"]}])
    assert check(Outcome(1, report, ""), answers, rejected_by_oracle=True) == []


def test_the_checker_flags_unbalanced_row_counts():
    report = _report({"bonus": "72000.00", "commission": "23000.01", "total": "155000.01"})
    report["tables"] = [{"rows_read": 3, "rows_used": 1, "rows_rejected": 1}]
    (violation,) = check(Outcome(0, report, ""), _untouched(), rejected_by_oracle=False)
    assert violation.kind == "counts"
