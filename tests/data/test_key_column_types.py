"""An id or key column (id, manager_id, client_id, a target's key) whose values are nested (a
Parquet STRUCT, LIST or MAP; a JSON object or array) or fractional numbers (FLOAT, DOUBLE, a DECIMAL
with decimals; a JSON number with a point or an exponent) is a fatal problem for its file, as money
stored as a float is: read as text, such a value would never match the same id written plainly."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from kpilang.data import DataError, load_data

from .conftest import only, write


def fatal_problems(directory: Path) -> list:
    with pytest.raises(DataError) as caught:
        load_data(directory, timezone="UTC")
    return caught.value.problems


def write_deals_parquet(directory: Path, id_sql: str, manager_id_sql: str) -> None:
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT {id_sql} AS id, {manager_id_sql} AS manager_id,
        '2026-07-01' AS created_at, 'won' AS stage) TO '{directory / "deals.parquet"}' (FORMAT parquet)""")
    con.close()


@pytest.mark.parametrize(("id_sql", "manager_id_sql", "column", "kind", "stored"), [
    ("{'a': 1}", "'m1'", "id", "nested", "STRUCT(a INTEGER)"),
    ("'d1'", "['m1']", "manager_id", "nested", "VARCHAR[]"),
    ("'d1'", "MAP {'m': 1}", "manager_id", "nested", "MAP(VARCHAR, INTEGER)"),
    ("'d1'", "1.0::DOUBLE", "manager_id", "fractional", "DOUBLE"),
    ("'d1'", "1.0::FLOAT", "manager_id", "fractional", "FLOAT"),
    ("1.00::DECIMAL(10, 2)", "'m1'", "id", "fractional", "DECIMAL(10,2)"),
])
def test_a_parquet_id_column_of_a_nested_or_fractional_type_is_fatal(tmp_path, id_sql, manager_id_sql, column,
                                                                      kind, stored):
    write(tmp_path, {})
    write_deals_parquet(tmp_path, id_sql, manager_id_sql)
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, problem.table, problem.column, problem.fatal) == ("mistyped_id", "deals", column, True)
    assert f"stored as {stored}" in str(problem.reason)
    assert ("nested values" if kind == "nested" else "fractional numbers") in str(problem.reason)
    assert problem.reason.render("ru").startswith(f"{column} — идентификатор строки, сотрудника или клиента")


def test_parquet_ids_stored_as_whole_numbers_are_read(tmp_path):
    write(tmp_path, {"managers.csv": "id,name,role,team,salary\n1,Anna,cold,north,60000\n"})
    write_deals_parquet(tmp_path, "7::BIGINT", "1::INTEGER")
    with load_data(tmp_path, timezone="UTC") as data:
        assert data.problems == []
        assert data.connection.execute("SELECT id, manager_id FROM deals").fetchall() == [("7", "1")]


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


DEAL = {"created_at": "2026-07-01", "stage": "won"}


@pytest.mark.parametrize(("value", "kind", "shown"), [
    ({"a": 1}, "nested", '{"a":1}'),
    (["m1"], "nested", '["m1"]'),
    (1.0, "fractional", "1.0"),
])
def test_a_jsonl_id_with_a_nested_or_fractional_value_is_fatal(tmp_path, value, kind, shown):
    deals = jsonl({"id": "d1", "manager_id": "m1", **DEAL}, {"id": "d2", "manager_id": value, **DEAL},
                  {"id": "d3", "manager_id": value, **DEAL})
    directory = write(tmp_path, {"deals.jsonl": deals})
    problem = only(fatal_problems(directory))
    assert (problem.code, problem.column) == ("mistyped_id", "manager_id")
    assert f"first on line 2: {shown} (2 lines in all)" in str(problem.reason)
    assert "впервые в строке 2" in problem.reason.render("ru")


def test_a_jsonl_target_key_written_with_an_exponent_is_fatal(tmp_path):
    targets = '{"manager_id": "m1", "period": "2026-07", "name": 1e3, "value": 5}\n'
    problem = only(fatal_problems(write(tmp_path, {"targets.jsonl": targets})))
    assert (problem.code, problem.column) == ("mistyped_id", "name")


def test_jsonl_ids_written_as_whole_numbers_are_read(load):
    data = load({"managers.jsonl": jsonl({"id": 1, "name": "Anna", "role": "cold", "team": "n", "salary": 60000}),
                 "deals.jsonl": jsonl({"id": 7, "manager_id": 1, "amount": 1.5, **DEAL})})
    assert data.problems == []
    assert data.connection.execute("SELECT id, manager_id FROM deals").fetchall() == [("7", "1")]
