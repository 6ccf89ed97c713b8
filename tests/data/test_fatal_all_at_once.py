"""Every fatal problem of every table in one run: a missing table does not hide the column and
encoding problems of the others, and the usual ways a file is not kpilang's CSV are each named for
what they are (a header in Windows-1251, a UTF-16 file, values separated by semicolons whatever the
header's names)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpilang.data import DataError, load_data

from .conftest import only, write

MANAGERS = (
    "id,name,role,team,salary\n"
    "m1,Анна Иванова,cold,north,60000\n"
    "m2,Борис Петров,cold,south,55000\n"
)


def fatal_problems(directory: Path, **options) -> list:
    with pytest.raises(DataError) as caught:
        load_data(directory, timezone="UTC", **options)
    return caught.value.problems


def test_a_missing_table_does_not_hide_the_column_and_encoding_problems_of_the_others(tmp_path):
    write(tmp_path, {"deals.csv": "id,manager_id,created_at\nd1,m1,2026-07-01\n"})
    (tmp_path / "managers.csv").write_bytes(MANAGERS.encode("cp1251"))
    problems = fatal_problems(tmp_path, needs={"deals": set(), "leads": set()})
    assert sorted((p.code, p.table) for p in problems) == [
        ("missing_required_column", "deals"), ("missing_table", "leads"), ("not_utf8_file", "managers"),
    ]
    assert only(problems, table="deals").column == "stage"


def test_a_header_in_windows_1251_gets_the_windows_1251_message(tmp_path):
    write(tmp_path, {})
    header = "id,name,role,team,salary,Комментарий\n"
    (tmp_path / "managers.csv").write_bytes((header + "m1,Anna,cold,north,60000,\n").encode("cp1251"))
    problem = only(fatal_problems(tmp_path))
    file = tmp_path / "managers.csv"
    assert problem.code == "not_utf8_file"
    assert str(problem.reason) == (
        f"{file} is not UTF-8 text: it looks like Windows-1251 (line 1: «id,name,role,team,salary,Комментарий»)")
    assert problem.reason.render("ru").startswith(f"{file} — не текст в кодировке UTF-8: похоже, это Windows-1251")


def test_a_damaged_byte_in_an_english_header_is_not_taken_for_windows_1251(tmp_path):
    write(tmp_path, {})
    (tmp_path / "deals.csv").write_bytes(b"id,manager\xff_id,created_at,stage\n")
    assert only(fatal_problems(tmp_path)).code == "header_encoding"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_file_says_utf16(tmp_path, encoding):
    # Excel's "Unicode Text": UTF-16 with a byte-order mark (written by Python's utf-16 codec,
    # little-endian here), tab-separated; and UTF-16 without one.
    write(tmp_path, {})
    (tmp_path / "managers.csv").write_bytes(MANAGERS.replace(",", "\t").encode(encoding))
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, problem.table) == ("utf16_file", "managers")
    assert str(problem.reason) == f"{tmp_path / 'managers.csv'} is in UTF-16 (Excel's \"Unicode Text\"), not UTF-8"
    assert "UTF-16" in problem.reason.render("ru") and "UTF-8" in problem.hint.render("ru")


def test_a_semicolon_file_is_recognised_when_its_header_names_none_of_kpilangs_columns(tmp_path):
    write(tmp_path, {"managers.csv": "Ид;Имя;Роль;Отдел;Оклад\nm1;Анна;cold;north;60000\n"})
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, problem.table) == ("wrong_delimiter", "managers")
    assert str(problem.reason) == f"{tmp_path / 'managers.csv'} is separated by «;»: kpilang reads comma-separated CSV"


def test_a_file_in_windows_1251_and_separated_by_semicolons_gets_both_problems(tmp_path):
    write(tmp_path, {})
    (tmp_path / "managers.csv").write_bytes("Ид;Имя;Роль\nm1;Анна;cold\n".encode("cp1251"))
    assert sorted(p.code for p in fatal_problems(tmp_path)) == ["not_utf8_file", "wrong_delimiter"]


def test_a_utf16_jsonl_file_says_utf16_rather_than_a_problem_for_each_line(tmp_path):
    write(tmp_path, {})
    line = '{"id": "d1", "manager_id": "m1", "created_at": "2026-07-01", "stage": "won"}\n'
    (tmp_path / "deals.jsonl").write_bytes((line * 3).encode("utf-16"))
    assert [(p.code, p.table) for p in fatal_problems(tmp_path)] == [("utf16_file", "deals")]
