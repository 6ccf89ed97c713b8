"""Problems that stop the run: nothing is computed, and every such problem is listed at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpilang.data import DataError, load_data

from .conftest import MANAGERS_CSV, only, write


def fatal_problems(directory: Path, **kwargs) -> list:
    with pytest.raises(DataError) as caught:
        load_data(directory, timezone=kwargs.pop("timezone", "UTC"), **kwargs)
    problems = caught.value.problems
    assert problems and all(p.fatal for p in problems)
    assert all(str(p) in str(caught.value) for p in problems)
    return problems


def test_managers_is_always_required(tmp_path):
    (tmp_path / "deals.csv").write_text("id,manager_id,created_at,stage\n", encoding="utf-8")
    problem = only(fatal_problems(tmp_path), table="managers")
    assert str(problem.reason).startswith("missing table managers")
    assert problem.file == str(tmp_path)


def test_a_table_the_plan_reads_must_exist(tmp_path):
    write(tmp_path, {})
    problem = only(fatal_problems(tmp_path, needs={"deals": {"amount"}}), table="deals")
    assert str(problem.reason) == "missing table deals: the plan reads it"


def test_a_table_nobody_reads_may_be_absent(tmp_path):
    write(tmp_path, {})
    with load_data(tmp_path, timezone="UTC") as data:
        assert set(data.tables) == {"managers"}
    with load_data(tmp_path, timezone="UTC", needs={"managers": {"id"}}) as data:
        assert set(data.tables) == {"managers"}


def test_a_file_kpilang_does_not_read_is_named_in_the_hint(tmp_path):
    write(tmp_path, {"deals.json": "[]"})
    problem = only(fatal_problems(tmp_path, needs={"deals": set()}), table="deals")
    assert "deals.json is not a format kpilang reads" in str(problem.hint)


def test_a_missing_required_column_names_the_file_and_column(tmp_path):
    write(tmp_path, {"deals.csv": "id,manager_id,created_at\nd1,m1,2026-07-01\n"})
    problem = only(fatal_problems(tmp_path), table="deals")
    assert problem.column == "stage"
    assert problem.file == str(tmp_path / "deals.csv")
    assert str(problem.reason) == "missing required column stage in table deals"
    assert "id, manager_id, created_at" in str(problem.hint)


def test_a_missing_column_the_plan_reads(tmp_path):
    write(tmp_path, {"deals.csv": "id,manager_id,created_at,stage\n"})
    problems = fatal_problems(tmp_path, needs={"deals": {"amount", "is_new_client"}})
    assert [(p.column, str(p.reason)) for p in problems] == [
        ("amount", "missing column amount in table deals: the plan reads it"),
        ("is_new_client", "missing column is_new_client in table deals: the plan reads it"),
    ]


def test_a_column_named_in_another_case_gets_a_precise_hint(tmp_path):
    write(tmp_path, {"deals.csv": "id,Manager_ID,created_at,stage\n"})
    problem = only(fatal_problems(tmp_path), column="manager_id")
    assert str(problem.hint) == "the file has a column 'Manager_ID': rename it to manager_id (names are case-sensitive)"


def test_two_files_for_one_table_are_fatal(tmp_path):
    write(tmp_path, {"deals.csv": "id\n", "deals.jsonl": ""})
    problem = only(fatal_problems(tmp_path), table="deals")
    assert "deals.csv, deals.jsonl" in str(problem.reason)


def test_every_fatal_problem_is_listed_together(tmp_path):
    write(tmp_path, {
        "managers.csv": "id,name,role,team\n",
        "activities.csv": "id,manager_id,type\n",
    })
    problems = fatal_problems(tmp_path)
    assert {(p.table, p.column) for p in problems} == {("managers", "salary"), ("activities", "started_at")}


def test_an_unreadable_workbook_is_fatal(tmp_path):
    write(tmp_path, {"deals.xlsx": "this is not a zip file"})
    problem = only(fatal_problems(tmp_path), table="deals")
    assert str(problem.reason).startswith("the workbook cannot be read")
    assert problem.file.endswith("deals.xlsx")


def test_an_unreadable_parquet_file_is_fatal(tmp_path):
    write(tmp_path, {"deals.parquet": "not parquet either"})
    problem = only(fatal_problems(tmp_path), table="deals")
    assert str(problem.reason).startswith("the Parquet file cannot be read")


def test_the_source_must_be_a_directory(tmp_path):
    problem = only(fatal_problems(tmp_path / "nowhere"))
    assert str(problem.reason) == "the data source is not a directory"


def test_an_unknown_table_in_needs_is_fatal(tmp_path):
    write(tmp_path, {})
    problem = only(fatal_problems(tmp_path, needs={"calls": {"id"}}), table="calls")
    assert "not a data table" in str(problem.reason)


def test_problems_serialise_to_json(tmp_path):
    write(tmp_path, {"deals.csv": "id\n"})
    problem = fatal_problems(tmp_path)[0]
    assert problem.to_json() == {
        "table": "deals", "file": str(tmp_path / "deals.csv"), "row": None, "column": "manager_id",
        "value": None, "code": "missing_required_column",
        "reason": "missing required column manager_id in table deals",
        "hint": str(problem.hint), "fatal": True, "manager_ids": [], "period": None, "at": None,
        "undated": False, "owner_unknown": False, "end_row": None, "until": None,
    }
    assert list(problem.to_json()) == list(problem.to_json("ru"))
    assert problem.to_json("ru")["reason"] == "в таблице deals нет обязательного столбца manager_id"


def test_extra_columns_are_kept(tmp_path):
    write(tmp_path, {"managers.csv": MANAGERS_CSV.replace("salary\n", "salary,region\n", 1)
                     .replace("60000\n", "60000,EU\n").replace("55000.50\n", "55000.50,\n")})
    with load_data(tmp_path, timezone="UTC", needs={"managers": {"region"}}) as data:
        assert data.connection.execute("SELECT list(region ORDER BY id) FROM managers").fetchone()[0] == ["EU", None]
