"""The two usual CSV exports of a Russian Excel: a file in Windows-1251 instead of UTF-8, and
values separated by semicolons. Each is one fatal problem for the file, saying what it is and how
to save it, instead of a problem for every row or for every column."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpilang.data import DataError, load_data

from .conftest import only, write

MANAGERS = (
    "id,name,role,team,salary\n"
    "m1,Анна Иванова,cold,north,60000\n"
    "m2,Борис Петров,cold,south,55000\n"
    "m3,Olga Smith,cold,south,50000\n"
)
DEALS = (
    "id,manager_id,created_at,stage,comment\n"
    "d1,m1,2026-07-01,won,звонок\n"
    "d2,m2,2026-07-02,won,\n"
)


def fatal_problems(directory: Path) -> list:
    with pytest.raises(DataError) as caught:
        load_data(directory, timezone="UTC")
    return caught.value.problems


def in_windows_1251(directory: Path, files: dict[str, str]) -> Path:
    write(directory, {})
    for name, text in files.items():
        (directory / name).write_bytes(text.encode("cp1251"))
    return directory


def test_a_file_in_windows_1251_is_one_fatal_problem(tmp_path):
    directory = in_windows_1251(tmp_path, {"managers.csv": MANAGERS})
    problem = only(fatal_problems(directory))
    file = str(directory / "managers.csv")
    assert (problem.code, problem.table, problem.file, problem.row) == ("not_utf8_file", "managers", file, None)
    assert str(problem.reason) == (
        f"{file} is not UTF-8 text: it looks like Windows-1251 (line 2: «m1,Анна Иванова,cold,north,60000»)")
    assert str(problem.hint) == "save it as UTF-8 (in Excel: Save As → CSV UTF-8 (comma delimited))"
    assert problem.to_json("ru")["code"] == "not_utf8_file"


def test_every_file_in_windows_1251_is_listed_at_once(tmp_path):
    deals = DEALS + "d3,m2,2026-07-03,lost,встреча\n"
    directory = in_windows_1251(tmp_path, {"managers.csv": MANAGERS, "deals.csv": deals})
    problems = fatal_problems(directory)
    assert [(p.table, p.code) for p in problems] == [("managers", "not_utf8_file"), ("deals", "not_utf8_file")]
    assert "(line 2: «d1,m1,2026-07-01,won,звонок»)" in str(problems[1].reason)


def test_one_line_that_is_not_utf8_in_an_ascii_file_is_one_bad_row(tmp_path):
    # One line says too little about the whole file (almost any bytes decode as Windows-1251, a
    # damaged line too): its row is rejected, with its line, and the others are used.
    directory = write(tmp_path, {})
    (directory / "deals.csv").write_bytes(
        b"id,manager_id,created_at,stage,comment\nd1,m1,2026-07-01,won,\nd2,m2,2026-07-02,won,"
        + "звонок".encode("cp1251") + b"\n")
    with load_data(directory, timezone="UTC") as data:
        problem = only(data.problems)
        assert (problem.code, problem.table, problem.row, problem.fatal) == ("encoding", "deals", 3, False)


def test_a_damaged_line_among_utf8_lines_rejects_only_its_row(tmp_path):
    directory = write(tmp_path / "d", {"deals.csv": DEALS})
    with open(directory / "deals.csv", "ab") as deals:
        deals.write(b"d3,m1,2026-07-03,won," + "звонок".encode("cp1251") + b"\n")
    with load_data(directory, timezone="UTC") as data:
        problem = only(data.problems)
        assert (problem.code, problem.table, problem.row, problem.fatal) == ("encoding", "deals", 4, False)
        assert data.tables["deals"].rows_used == 2


def test_a_damaged_managers_row_among_utf8_rows_keeps_the_other_people(tmp_path):
    directory = write(tmp_path, {"managers.csv": MANAGERS})
    with open(directory / "managers.csv", "ab") as managers:
        managers.write(b"m4," + "Вера Котова".encode("cp1251") + b",cold,north,40000\n")
    with load_data(directory, timezone="UTC") as data:
        assert [(p.code, p.row) for p in data.problems] == [("encoding", 5)]
        assert data.tables["managers"].rows_used == 3


def test_lines_that_are_not_windows_1251_either_keep_their_row_problems(tmp_path):
    # 0x98 has no character in Windows-1251: the file is neither, so each row is reported.
    directory = write(tmp_path, {})
    (directory / "deals.csv").write_bytes(
        b"id,manager_id,created_at,stage,comment\nd1,m1,2026-07-01,won,\x98\nd2,m2,2026-07-02,won,\xff\n")
    with load_data(directory, timezone="UTC") as data:
        assert [(p.code, p.row) for p in data.problems] == [("encoding", 2), ("encoding", 3)]


def test_a_file_separated_by_semicolons_is_one_fatal_problem(tmp_path):
    directory = write(tmp_path, {"managers.csv": MANAGERS.replace(",", ";")})
    problem = only(fatal_problems(directory))
    file = str(directory / "managers.csv")
    assert (problem.code, problem.table, problem.column) == ("wrong_delimiter", "managers", None)
    assert str(problem.reason) == f"{file} is separated by «;»: kpilang reads comma-separated CSV"
    assert str(problem.hint) == (
        "export it with commas (in Excel: CSV UTF-8 (comma delimited)), or save the table as .xlsx")


def test_a_file_separated_by_tabs_is_one_fatal_problem(tmp_path):
    directory = write(tmp_path, {"deals.csv": DEALS.replace(",", "\t")})
    problem = only(fatal_problems(directory))
    assert (problem.code, problem.table) == ("wrong_delimiter", "deals")
    assert str(problem.reason) == f"{directory / 'deals.csv'} is separated by tabs: kpilang reads comma-separated CSV"


def test_both_are_said_in_russian(tmp_path):
    directory = in_windows_1251(tmp_path / "a", {"managers.csv": MANAGERS})
    encoding = only(fatal_problems(directory))
    file = directory / "managers.csv"
    assert encoding.reason.render("ru") == (
        f"{file} — не текст в кодировке UTF-8: похоже, это Windows-1251 "
        "(строка 2: «m1,Анна Иванова,cold,north,60000»)")
    assert encoding.hint.render("ru") == (
        "сохраните его в кодировке UTF-8 (в Excel: «Сохранить как» → «CSV UTF-8 (разделитель - запятая)»)")
    directory = write(tmp_path / "b", {"managers.csv": MANAGERS.replace(",", ";")})
    delimiter = only(fatal_problems(directory))
    file = directory / "managers.csv"
    assert delimiter.reason.render("ru") == (
        f"в {file} значения разделены знаком «;», а kpilang читает CSV со значениями через запятую")
    assert delimiter.hint.render("ru") == (
        "выгрузите его со значениями через запятую (в Excel: «CSV UTF-8 (разделитель - запятая)») "
        "или сохраните таблицу как .xlsx")
    directory = write(tmp_path / "c", {"deals.csv": DEALS.replace(",", "\t")})
    tabs = only(fatal_problems(directory))
    assert tabs.reason.render("ru") == (
        f"в {directory / 'deals.csv'} значения разделены табуляцией, а kpilang читает CSV со значениями через запятую")


def test_a_long_line_is_quoted_up_to_the_preview_length(tmp_path):
    directory = in_windows_1251(tmp_path, {"managers.csv": MANAGERS.replace("Анна Иванова", "Анна" * 40)})
    reason = str(only(fatal_problems(directory)).reason)
    quoted = reason[reason.index("«") + 1:reason.index("»")]
    assert len(quoted) == 80 and quoted.endswith("…") and quoted.startswith("m1,АннаАнна")


def test_a_workbook_with_shared_strings_as_excel_writes_it_is_read(tmp_path):
    from openpyxl import Workbook

    from .workbooks import with_shared_strings

    write(tmp_path, {})
    book = Workbook()
    for row in (["id", "manager_id", "created_at", "stage"], ["d1", "m1", "2026-07-01", "won"]):
        book.active.append(row)
    book.save(tmp_path / "deals.xlsx")
    with_shared_strings(tmp_path / "deals.xlsx")
    with load_data(tmp_path, timezone="UTC") as data:
        assert data.problems == []
        assert data.connection.execute("SELECT id, manager_id, stage FROM deals").fetchall() == [("d1", "m1", "won")]
