"""Data mutation fuzzing, JSON Lines, Excel and Parquet: the normative example's table in the
format, one value of one row set to any value the format holds (a JSON number, boolean, null,
object, a removed key, or a damaged line; an Excel number, date, boolean or text; a Parquet
value of the column's type, or null), evaluated by `kpilang eval --format json`, with the same
invariants as the CSV fuzzer (test_csv_mutations.py)."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzz.budget import bounded, long_run
from tests.fuzz.other_formats import TypedCase, typed_cases
from tests.fuzz.typed_runner import run_typed_case


def assert_invariants(case: TypedCase) -> None:
    violations, _, _ = run_typed_case(case)
    assert not violations, "\n".join(map(str, violations))


@bounded(30)
@given(typed_cases("jsonl"))
def test_a_changed_jsonl_value_never_pays_anyone_wrongly(case):
    assert_invariants(case)


@bounded(20)
@given(typed_cases("xlsx"))
def test_a_changed_xlsx_value_never_pays_anyone_wrongly(case):
    assert_invariants(case)


@bounded(20)
@given(typed_cases("parquet"))
def test_a_changed_parquet_value_never_pays_anyone_wrongly(case):
    assert_invariants(case)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["jsonl", "xlsx", "parquet"])
def test_a_changed_value_never_pays_anyone_wrongly_long_run(fmt):
    @long_run()
    @given(typed_cases(fmt))
    def run(case):
        assert_invariants(case)

    run()


def test_what_the_jsonl_fuzzer_found_an_unclosed_object_leaves_its_owner_ok():
    line = (b'{"id": "d001", "manager_id": "m1", "client_id": "c101", "created_at": "2026-06-10T10:00:00+03:00", '
            b'"closed_at": "2026-07-03T12:00:00+03:00", "stage": "won", "amount": 300000.00, "is_new_client": true')
    violations, _, _ = run_typed_case(TypedCase("jsonl", "deals", 0, None, line=line))
    assert not violations, "\n".join(map(str, violations))
