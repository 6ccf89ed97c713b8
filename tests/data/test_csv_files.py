"""CSV problems name the exact line of the file, whatever the file's shape."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.data import DataError, load_data

from .conftest import assert_accounted, only, write

HEADER = "id,manager_id,type,started_at,status\n"


def activities(body: str | bytes) -> dict:
    return {"activities.csv": HEADER + body} if isinstance(body, str) else body


def test_blank_lines_are_skipped_and_line_numbers_stay_exact(load):
    data = load(activities("a1,m1,call,2026-07-01,done\n\n\na2,m1,call,bad,done\n\n"))
    problem = only(data.problems, column="started_at")
    assert problem.row == 5
    assert data.tables["activities"].rows_read == 2


def test_quoted_line_breaks_move_the_following_lines(load):
    data = load(activities(
        'a1,m1,call,2026-07-01,"done\nwith a note\nover three lines"\n'
        "a2,m1,call,bad,done\n"
        'a3,m1,call,2026-07-01,"x\r\ny"\n'
        "a4,m1,call,also bad,done\n"
    ))
    assert [(p.row, p.value) for p in data.problems] == [(5, "bad"), (8, "also bad")]
    note = data.connection.execute("SELECT status FROM activities WHERE id = 'a1'").fetchone()[0]
    assert note == "done\nwith a note\nover three lines"


def test_a_row_with_the_wrong_number_of_values_is_rejected_with_its_line(load):
    data = load(activities(
        "a1,m1,call,2026-07-01,done\n"
        "a2,m1,call,2026-07-01,done,extra\n"
        "a3,m1,call\n"
        "a4,m1,call,bad,done\n"
    ))
    rows = {p.row: p for p in data.problems}
    assert set(rows) == {3, 4, 5}
    assert str(rows[3].reason) == "this row has 6 values but the header has 5 columns"
    assert rows[3].value == "a2,m1,call,2026-07-01,done,extra"
    assert str(rows[4].reason) == "this row has 3 values but the header has 5 columns"
    assert rows[5].column == "started_at"
    info = data.tables["activities"]
    assert (info.rows_read, info.rows_used, info.rows_rejected) == (4, 1, 3)


def test_a_quote_that_never_closes_is_reported_not_swallowed(load):
    data = load(activities('a1,m1,call,2026-07-01,done\na2,m1,call,2026-07-01,"oops\na3,m1,call,2026-07-01,done\n'))
    problem = only(data.problems, row=3)
    assert str(problem.reason) == (
        "an opening quote on line 3 is never closed: it swallowed lines 3 to 4, each rejected")
    assert problem.end_row == 4
    info = data.tables["activities"]
    # Both physical records the quote swallowed are counted, so read = used + rejected.
    assert (info.rows_read, info.rows_used, info.rows_rejected) == (3, 1, 2)


def test_invalid_utf8_rejects_the_row_not_the_file(load, tmp_path):
    # The file is UTF-8 (its other line outside ASCII is), so the damaged line is one bad row; a
    # file with no UTF-8 line outside ASCII is a file in Windows-1251 (test_excel_exports.py).
    body = HEADER.encode() + "a1,m1,call,2026-07-01,готово\n".encode() + b"a2,m1,call,2026-07-01,\xff\xfe\n"
    directory = write(tmp_path / "d", {})
    (directory / "activities.csv").write_bytes(body)
    with load_data(directory, timezone="UTC") as data:
        problem = only(data.problems, table="activities")
        assert (problem.row, problem.column) == (3, None)
        assert str(problem.reason) == "this row is not valid UTF-8 text"
        assert data.tables["activities"].rows_used == 1


def test_one_damaged_line_in_an_ascii_file_is_one_bad_row_not_windows_1251(tmp_path):
    # Almost any bytes decode as Windows-1251: one line is no evidence about the whole file.
    body = HEADER.encode() + b"a1,m1,call,2026-07-01,done\na2,m1,call,2026-07-01,\xff\xfe\n"
    directory = write(tmp_path / "d", {})
    (directory / "activities.csv").write_bytes(body)
    with load_data(directory, timezone="UTC") as data:
        problem = only(data.problems, table="activities")
        assert (problem.row, problem.column) == (3, None)
        assert data.tables["activities"].rows_used == 1


def test_windows_line_endings_and_a_byte_order_mark(tmp_path):
    directory = write(tmp_path / "d", {})
    text = "\ufeff" + HEADER + "a1,m1,call,2026-07-01,done\na2,m1,call,bad,done\n"
    (directory / "activities.csv").write_bytes(text.replace("\n", "\r\n").encode())
    with load_data(directory, timezone="UTC") as data:
        assert data.tables["activities"].columns == ["id", "manager_id", "type", "started_at", "status"]
        assert [(p.row, p.value) for p in data.problems] == [(3, "bad")]
        assert data.connection.execute("SELECT status FROM activities").fetchone()[0] == "done"


def test_a_file_without_a_final_line_break(load):
    data = load(activities("a1,m1,call,2026-07-01,done\na2,m1,call,bad,done"))
    assert [(p.row, p.value) for p in data.problems] == [(3, "bad")]


def test_a_header_only_file_is_an_empty_table(load):
    data = load(activities(""))
    assert data.problems == []
    assert data.tables["activities"].rows_read == 0


def test_values_are_read_as_written(load):
    data = load(activities("a1,m1, call ,2026-07-01,done\n"))
    assert data.problems == []
    assert data.connection.execute("SELECT type FROM activities").fetchone()[0] == " call "


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("id,manager_id,type,started_at,id\n", "the header names column 'id' twice"),
        ("id,manager_id,,type,started_at\n", "column 3 has no name in the header"),
    ],
)
def test_a_header_must_name_every_column_once(tmp_path, header, reason):
    directory = write(tmp_path, {"activities.csv": header})
    with pytest.raises(DataError) as caught:
        load_data(directory, timezone="UTC")
    problem = only(caught.value.problems, table="activities")
    assert str(problem.reason) == reason
    assert problem.fatal


def test_an_empty_file_is_fatal(tmp_path):
    directory = write(tmp_path, {"activities.csv": ""})
    with pytest.raises(DataError) as caught:
        load_data(directory, timezone="UTC")
    assert str(only(caught.value.problems, table="activities").reason).startswith("the file has no header row")


def test_spaces_around_column_names_are_ignored(load):
    data = load({"activities.csv": " id , manager_id,type,started_at\na1,m1,call,2026-07-01\n"})
    assert data.tables["activities"].columns == ["id", "manager_id", "type", "started_at"]


def test_a_lone_carriage_return_is_reported_in_words(load):
    data = load(activities("a1,m1,call,2026-07-01,do\rne\na2,m1,call,2026-07-01,done\n"))
    problem = only(data.problems, row=2)
    assert str(problem.reason) == "unreadable row: a carriage return (CR) inside a value that is not quoted"
    assert data.tables["activities"].rows_used == 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet='a1,"\r\n \t-:T\u00a0é', max_size=30), max_size=12))
def test_any_lines_are_read_or_reported_never_lost(tmp_path_factory, lines):
    directory = write(tmp_path_factory.mktemp("lines"), {})
    body = HEADER + "".join(line + "\n" for line in lines)
    (directory / "activities.csv").write_bytes(body.encode())
    with load_data(directory, timezone="UTC") as data:
        assert_accounted(data)
        info = data.tables["activities"]
        last_line = body.count("\n")
        assert all(p.row is None or 2 <= p.row <= (p.end_row or p.row) <= last_line for p in data.problems)
        # A record that swallowed lines counts each non-blank line it took: every physical
        # record is read, and either used or rejected.
        text_of = dict(enumerate(body.split("\n"), start=1))
        spans = {(p.row, p.end_row) for p in data.problems if p.row is not None}
        records = {
            line for row, end in spans
            for line in ([row] if end is None else range(row, end + 1))
            if end is None or text_of[line].strip("\r\n")
        }
        assert info.rows_rejected == len(records)


def test_quoted_line_breaks_keep_the_fast_reader(load, monkeypatch):
    # Ten million rows go through DuckDB's parallel reader; only files whose line numbers it
    # cannot derive (blank lines, malformed rows) fall back to reading line by line.
    from kpilang.data.readers import csv_file

    def fail(*args):
        raise AssertionError("the line-by-line reader was used")

    monkeypatch.setattr(csv_file, "read_line_by_line", fail)
    data = load(activities('a1,m1,call,2026-07-01,"two\nlines"\na2,m1,call,bad,done\n'))
    assert [(p.row, p.value) for p in data.problems] == [(4, "bad")]


def test_a_plain_file_is_checked_straight_from_the_file(load, monkeypatch):
    # One line per record: the file is never stored as text, rows are numbered by position,
    # and bad cells, repeated ids (in and out of order) and unknown managers keep their lines.
    from kpilang.data.readers import csv_file

    def fail(*args):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(csv_file, "_read_carefully", fail)
    data = load(activities(
        "a1,m1,call,2026-07-01T10:00:00+03:00,done\n"
        "a2,m1,call,2026-07-32,done\n"
        "a3,m9,call,2026-07-01,done\n"
        "a1,m2,call,2026-07-02,done\n"
        "a4,m2,call,2026-07-03,done\n"
        "a3,m1,call,2026-07-01,done\n"
    ))
    assert [(p.row, p.column, p.value) for p in data.problems] == [
        (3, "started_at", "2026-07-32"), (4, "manager_id", "m9"), (5, "id", "a1"), (7, "id", "a3"),
    ]
    used = data.connection.execute("SELECT id FROM activities ORDER BY id").fetchall()
    assert used == [("a1",), ("a4",)]


@pytest.mark.parametrize("ids, repeated", [
    (["a1", "a2", "a3"], []),
    (["a3", "a2", "a1"], []),
    (["a1", "a2", "a2"], [4]),
    (["a2", "a1", "a2"], [4]),
])
def test_repeated_ids_are_found_in_any_order(load, ids, repeated):
    body = "".join(f"{i},m1,call,2026-07-01,done\n" for i in ids)
    data = load(activities(body))
    assert [p.row for p in data.problems if p.column == "id"] == repeated


def test_rows_keep_their_lines_in_a_file_read_in_parallel(load, monkeypatch):
    # Read in small buffers, so that DuckDB splits the file into many parts on several threads:
    # a row's number comes from its position in the checked table, which must be the file's order.
    import random

    from kpilang.data.readers import csv_staged

    with_options = csv_staged.csv_read_options
    monkeypatch.setattr(csv_staged, "csv_read_options",
                        lambda *a, **k: with_options(*a, **k) + ", buffer_size=65536")
    rng = random.Random(7)
    count = 100_000
    bad = sorted(rng.sample(range(count), 25))
    lines = []
    for i in range(count):
        started = "2026-07-32" if i in bad else "2026-07-01T10:00:00+03:00"
        lines.append(f"a{i:07d},m1,call,{started},done\n")
    data = load(activities("".join(lines)))
    assert [p.row for p in data.problems] == [i + 2 for i in bad]
    assert data.tables["activities"].rows_used == count - len(bad)
