"""A file past one of the bounds of kpilang.data.bounds (a row or value, rows, columns, an unzipped
workbook) is one fatal problem saying which bound, found while only that much of the file has been
read: never a run that takes the machine's memory. The hostile files are built small or lazily; the
bounds are lowered where the real ones would need large files, and the real defaults are used where
a file can cheaply pass them (a value just over a row's bound; a workbook that only declares its
size)."""

from __future__ import annotations

import csv
import json
import struct
import zipfile
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from kpilang.data import DataError, bounds, load_data
from kpilang.data.readers import xlsx_file

from .conftest import only, write
from .workbooks import SHEET, with_shared_strings

DEALS_HEADER = "id,manager_id,created_at,stage\n"


def fatal_problems(directory: Path) -> list:
    with pytest.raises(DataError) as caught:
        load_data(directory, timezone="UTC")
    return caught.value.problems


def fact(problem, name: str) -> object:
    """A fact the problem's reason says (its row, part, columns)."""
    return dict(problem.reason.args)[name]


def write_deals_xlsx(path: Path, rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "manager_id", "created_at", "stage"])
    for row in rows:
        sheet.append(row)
    book.save(path)


def declare_size(path: Path, part: str, size: int) -> None:
    """Rewrite the uncompressed size the zip's central directory declares for one part (the size
    zipfile trusts), leaving the part's bytes as they are."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        position = archive.start_dir
    while data[position:position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, position + 28)
        if bytes(data[position + 46:position + 46 + name_length]).decode() == part:
            struct.pack_into("<I", data, position + 24, size)
        position += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(data))


# --- a row or value -------------------------------------------------------------------------

def test_a_csv_value_just_over_the_default_row_bound_is_fatal(tmp_path):
    value = "x" * (bounds.MAX_ROW_BYTES + 1)
    write(tmp_path, {"deals.csv": f'{DEALS_HEADER}d1,m1,2026-07-01,won\nd2,m1,2026-07-01,"{value}"\n'})
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, problem.table, problem.fatal) == ("row_too_large", "deals", True)
    assert str(problem.reason).startswith(f"row 3 of {tmp_path / 'deals.csv'} is larger than 16 MB")
    assert problem.reason.render("ru").startswith(f"строка 3 файла {tmp_path / 'deals.csv'} больше 16 МБ")


def test_a_csv_header_over_the_row_bound_is_fatal(tmp_path, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_ROW_BYTES", 1000)
    write(tmp_path, {"deals.csv": "id," + "x" * 2000 + "\n"})
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, fact(problem, "row")) == ("row_too_large", 1)


def test_a_quoted_csv_value_over_the_bound_across_many_short_lines_is_fatal(tmp_path):
    # Each line is short; the value they make together is not. Python's csv module (which reads
    # the file, as it has a blank line) stops at its field limit, set to the row bound (lowered
    # here for the test).
    write(tmp_path, {"deals.csv": DEALS_HEADER + '\nd1,m1,2026-07-01,"' + "xx\n" * 1000 + '"\n'})
    before = csv.field_size_limit(1000)
    try:
        problem = only(fatal_problems(tmp_path))
    finally:
        csv.field_size_limit(before)
    assert (problem.code, fact(problem, "row")) == ("row_too_large", 3)


def test_a_csv_value_longer_than_pythons_default_field_limit_is_read_line_by_line_too(load):
    # A blank line makes the file be read line by line, where Python's csv module refused values
    # over 131072 characters that DuckDB's direct read accepts.
    value = "y" * 200_000
    data = load({"deals.csv": f"{DEALS_HEADER}d1,m1,2026-07-01,won\n\nd2,m1,2026-07-01,won,\n",
                 "activities.csv": f"id,manager_id,type,started_at,note\n\na1,m1,call,2026-07-01,{value}\n"})
    assert [(p.table, p.row) for p in data.problems] == [("deals", 4)]
    assert data.tables["activities"].rows_used == 1


def test_a_jsonl_line_over_the_row_bound_is_fatal(tmp_path, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_ROW_BYTES", 1000)
    line = json.dumps({"id": "d1", "manager_id": "m1", "created_at": "2026-07-01", "stage": "won", "note": "z" * 2000})
    write(tmp_path, {"deals.jsonl": '{"id": "d0", "manager_id": "m1", "created_at": "2026-07-01", "stage": "won"}\n'
                                    + line + "\n"})
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, problem.table, fact(problem, "row")) == ("row_too_large", "deals", 2)


def test_an_xlsx_row_of_many_cells_is_fatal_while_it_is_read(tmp_path, monkeypatch):
    # The row's XML is over the bound though its text is not: the parser would build it whole.
    monkeypatch.setattr(xlsx_file, "MAX_ROW_BYTES", 5000)
    write(tmp_path, {})
    write_deals_xlsx(tmp_path / "deals.xlsx", [["d1", "m1", "2026-07-01", "won"], ["d2"] + [1] * 1000])
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, fact(problem, "row")) == ("row_too_large", 3)


def test_an_xlsx_row_of_long_shared_strings_is_fatal(tmp_path, monkeypatch):
    # A short row of XML can point at long shared strings.
    monkeypatch.setattr(xlsx_file, "MAX_ROW_BYTES", 5000)
    write(tmp_path, {})
    long_text = "w" * 3000
    write_deals_xlsx(tmp_path / "deals.xlsx", [["d1", "m1", "2026-07-01", "won", long_text, long_text + "!"]])
    with_shared_strings(tmp_path / "deals.xlsx")
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, fact(problem, "row")) == ("row_too_large", 2)


# --- an unzipped workbook -------------------------------------------------------------------

def test_an_xlsx_sheet_declared_larger_than_the_default_bound_is_fatal_before_it_is_unzipped(tmp_path):
    write(tmp_path, {})
    write_deals_xlsx(tmp_path / "deals.xlsx", [["d1", "m1", "2026-07-01", "won"]])
    declare_size(tmp_path / "deals.xlsx", SHEET, bounds.MAX_SHEET_BYTES + 1)
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, problem.table) == ("workbook_too_large", "deals")
    assert str(problem.reason) == (
        f"{tmp_path / 'deals.xlsx'} unzips to more than 2048 MB in its part {SHEET}: no Excel workbook has a "
        "part that large, so it is not read")
    assert problem.reason.render("ru").startswith(f"часть {SHEET} файла")


def test_an_xlsx_shared_strings_part_over_its_bound_is_fatal(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_file, "MAX_WORKBOOK_PART_BYTES", 20_000)  # the theme takes 10 kB
    write(tmp_path, {})
    write_deals_xlsx(tmp_path / "deals.xlsx", [["d1", "m1", "2026-07-01", "won", "v" * 30_000]])
    with_shared_strings(tmp_path / "deals.xlsx")
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, fact(problem, "part")) == ("workbook_too_large", "xl/sharedStrings.xml")


def test_an_xlsx_sheet_that_unzips_to_more_than_it_declares_is_refused(tmp_path):
    # zipfile unzips no more than the declared size, so the sheet is cut short and the file is
    # unreadable: the declared size, which the bound checks, is all that can be unzipped.
    write(tmp_path, {})
    write_deals_xlsx(tmp_path / "deals.xlsx", [["d1", "m1", "2026-07-01", "won"]] * 50)
    declare_size(tmp_path / "deals.xlsx", SHEET, 400)
    assert only(fatal_problems(tmp_path)).code == "unreadable_file"


# --- rows and columns -----------------------------------------------------------------------

def write_deals(directory: Path, fmt: str, count: int, extra: tuple[str, ...] = ()) -> None:
    keys = DEALS_HEADER.strip().split(",") + list(extra)
    rows = [[f"d{i}", "m1", "2026-07-01", "won"] + ["x"] * len(extra) for i in range(count)]
    path = directory / f"deals.{fmt}"
    if fmt.startswith("csv"):
        # A blank line makes the file be read line by line rather than straight by DuckDB.
        blank = "\n" if fmt == "csv line by line" else ""
        path = directory / "deals.csv"
        path.write_text(blank.join(",".join(row) + "\n" for row in [keys, *rows]), encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text("".join(json.dumps(dict(zip(keys, row))) + "\n" for row in rows), encoding="utf-8")
    elif fmt == "xlsx":
        book = Workbook()
        for row in [keys, *rows]:
            book.active.append(row)
        book.save(path)
    else:
        extras = "".join(f", 'x' AS {name}" for name in extra)
        con = duckdb.connect()
        con.execute(f"COPY (SELECT 'd' || i AS id, 'm1' AS manager_id, '2026-07-01' AS created_at, 'won' AS stage"
                    f"{extras} FROM range({count}) t(i)) TO '{path}' (FORMAT parquet)")
        con.close()


@pytest.mark.parametrize("fmt", ["csv", "csv line by line", "jsonl", "xlsx", "parquet"])
def test_a_table_over_the_row_bound_set_by_kpilang_max_rows_is_fatal(tmp_path, monkeypatch, fmt):
    monkeypatch.setenv("KPILANG_MAX_ROWS", "5")
    write(tmp_path, {})
    write_deals(tmp_path, fmt, 5)
    with load_data(tmp_path, timezone="UTC") as data:
        assert data.tables["deals"].rows_used == 5
    write_deals(tmp_path, fmt, 6)
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, problem.table) == ("too_many_rows", "deals")
    assert "KPILANG_MAX_ROWS" in str(problem.hint) and "KPILANG_MAX_ROWS" in problem.hint.render("ru")


def test_an_unreadable_kpilang_max_rows_is_a_fatal_problem(tmp_path, monkeypatch):
    monkeypatch.setenv("KPILANG_MAX_ROWS", "10k")
    problem = only(fatal_problems(write(tmp_path, {})))
    assert problem.code == "max_rows_setting"
    assert str(problem.reason) == "the environment variable KPILANG_MAX_ROWS is «10k», not a whole number of rows"


def test_the_default_row_bound_holds_a_year_of_activities_of_ten_thousand_people(monkeypatch):
    monkeypatch.delenv("KPILANG_MAX_ROWS", raising=False)
    assert bounds.max_rows() == bounds.DEFAULT_MAX_ROWS >= 12 * 12_000_000


def test_a_sheet_over_excels_row_limit_is_fatal(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_file, "MAX_SHEET_ROWS", 3)
    write(tmp_path, {})
    write_deals_xlsx(tmp_path / "deals.xlsx", [["d1", "m1", "2026-07-01", "won"]] * 3)
    assert only(fatal_problems(tmp_path)).code == "too_many_sheet_rows"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx", "parquet"])
def test_a_table_over_the_column_bound_is_fatal(tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(bounds, "MAX_COLUMNS", 5)  # managers has 5, deals 4 + 2 extra
    write(tmp_path, {})
    write_deals(tmp_path, fmt, 1, extra=("note", "source"))
    problem = only(fatal_problems(tmp_path))
    assert (problem.code, problem.table, fact(problem, "columns")) == ("too_many_columns", "deals", 6)


def test_a_csv_value_far_over_the_default_row_bound_is_refused_without_being_read_whole(tmp_path):
    # 256 MB of one quoted value, written lazily (a sparse file). Reading it whole would take
    # 256 MB of Python memory at least; kpilang reads no more than the row bound of it.
    import tracemalloc

    write(tmp_path, {})
    with (tmp_path / "deals.csv").open("wb") as file:
        file.write((DEALS_HEADER + 'd1,m1,2026-07-01,"').encode())
        file.seek(256 * 2**20)
        file.write(b'"\n')
    tracemalloc.start()
    try:
        problem = only(fatal_problems(tmp_path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (problem.code, fact(problem, "row")) == ("row_too_large", 2)
    assert peak < 4 * bounds.MAX_ROW_BYTES, peak
