"""A manager_id that is not an id in managers: a near miss of one id (case, spaces, Unicode form)
or one person's name is that person's rejected row; a column of names, or a table whose rows
mostly name nobody, is refused; rows of nobody in managers are counted."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kpilang.data import DataError, load_data
from kpilang.data.attribution import UNKNOWN_ROWS_MIN

from .conftest import only, write

HEADER = "id,manager_id,type,started_at\n"


def activities(*managers: str) -> dict[str, str]:
    return {"activities.csv": HEADER + "".join(
        f'a{i},"{m}",call,2026-07-01\n' for i, m in enumerate(managers, start=1))}


@pytest.mark.parametrize("written", [" m2", "M2", "m2 ", "\uff4d2", "m2\u00a0"])
def test_a_near_miss_of_an_id_is_that_persons_rejected_row(load, written):
    data = load(activities("m1", written))
    problem = only(data.problems, row=3)
    assert problem.code == "near_manager_id"
    assert problem.manager_ids == ["m2"]
    assert problem.value == written
    assert "m2" in str(problem.reason) and not problem.owner_unknown
    assert data.tables["activities"].rows_of_unknown_people == 0


def test_a_near_miss_is_found_in_jsonl_and_xlsx_too(load, tmp_path):
    data = load({"activities.jsonl": '{"id": "a1", "manager_id": "M2", "type": "call", "started_at": "2026-07-01"}\n'})
    assert only(data.problems, row=1).manager_ids == ["m2"]
    directory = write(tmp_path / "x", {})
    book = openpyxl.Workbook()
    for row in (["id", "manager_id", "type", "started_at"], ["a1", " m2", "call", "2026-07-01"]):
        book.active.append(row)
    book.save(directory / "activities.xlsx")
    with load_data(directory, timezone="UTC") as data:
        problem = only(data.problems, row=2)
        assert (problem.code, problem.manager_ids) == ("near_manager_id", ["m2"])


def test_a_persons_name_in_manager_id_is_their_rejected_row(load):
    data = load(activities("m1", "Boris"))
    problem = only(data.problems, row=3)
    assert (problem.code, problem.manager_ids) == ("manager_name", ["m2"])


def test_an_id_that_names_nobody_is_counted_as_a_row_of_an_unknown_person(load):
    data = load(activities("m1", "m1", "m9"))
    problem = only(data.problems, row=4)
    assert (problem.code, problem.manager_ids, problem.owner_unknown) == ("unknown_manager", [], False)
    assert data.tables["activities"].rows_of_unknown_people == 1


def _fatal(tmp_path: Path, files: dict[str, str]):
    directory = write(tmp_path / "d", files)
    with pytest.raises(DataError) as caught:
        load_data(directory, timezone="UTC")
    return only(caught.value.problems, table="activities")


def test_a_manager_id_column_of_names_is_fatal_with_a_hint_to_map_them(tmp_path):
    problem = _fatal(tmp_path, activities(*["Anna", "Boris"] * 6))
    assert problem.code == "manager_names" and problem.fatal
    assert "12 of 12 rows" in str(problem.reason)
    assert "'Anna' → m1" in str(problem.hint) and "'Boris' → m2" in str(problem.hint)


def test_a_table_whose_rows_mostly_name_nobody_is_fatal(tmp_path):
    problem = _fatal(tmp_path, activities(*[f"x{i}" for i in range(UNKNOWN_ROWS_MIN)], "m1"))
    assert problem.code == "mostly_unknown_managers" and problem.fatal
    assert f"{UNKNOWN_ROWS_MIN} of {UNKNOWN_ROWS_MIN + 1} rows" in str(problem.reason)


@pytest.mark.parametrize(
    "managers",
    [
        # Half, not most.
        [f"x{i}" for i in range(UNKNOWN_ROWS_MIN)] + ["m1"] * UNKNOWN_ROWS_MIN,
        # Most, but too few rows to judge the table by.
        [f"x{i}" for i in range(UNKNOWN_ROWS_MIN - 1)],
    ],
)
def test_below_the_threshold_unknown_ids_are_row_problems(load, managers):
    data = load(activities(*managers))
    assert data.tables["activities"].rows_of_unknown_people == sum(m.startswith("x") for m in managers)
