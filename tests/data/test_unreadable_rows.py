"""A row that cannot be read still belongs to someone: it names the person whose manager_id can be
read unambiguously from the raw record, and otherwise marks its table incomplete (owner_unknown),
in CSV, JSON Lines and Excel alike. An unclosed quote reports the lines it swallowed and counts
each of them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.data import load_data
from kpilang.data.readers.base import owner_candidates

from .conftest import assert_accounted, only, write

HEADER = "id,manager_id,type,started_at,status\n"
GOOD = "a1,m1,call,2026-07-01T10:00:00+03:00,done\n"


def csv_rows(*rows: str) -> dict[str, str]:
    return {"activities.csv": HEADER + GOOD + "".join(rows)}


@pytest.mark.parametrize(
    ("row", "code", "owner"),
    [
        # Values added at the end: manager_id is still second from the start.
        ("a2,m2,call,2026-07-01T10:00:00+03:00,done,extra,more\n", "field_count", "m2"),
        # A comma inside the id, unquoted: counted from the end, manager_id is found.
        ("a,2,m2,call,2026-07-01T10:00:00+03:00,done\n", "field_count", "m2"),
        # Values missing at the end.
        ("a2,m2,call\n", "field_count", "m2"),
        # A carriage return inside an unquoted value.
        ("a2,m2,call,2026-07-01T10:00:00+03:00,do\rne\n", "csv_syntax", "m2"),
        # A surrounding space or another letter case still names one person.
        ("a2, M2 ,call,2026-07-01T10:00:00+03:00,done,extra\n", "field_count", "m2"),
    ],
)
def test_an_unreadable_csv_row_names_the_person_its_manager_id_names(load, row, code, owner):
    data = load(csv_rows(row))
    problem = only(data.problems, row=3)
    assert problem.code == code
    assert problem.manager_ids == [owner]
    assert not problem.owner_unknown
    assert data.affected_manager_ids == {owner}


@pytest.mark.parametrize(
    "row",
    [
        # Counted from the start it is m1's, from the end m2's: which one cannot be told.
        "a2,m1,x,m2,call,2026-07-01T10:00:00+03:00,done\n",
        # A manager_id that names nobody in an unreadable row.
        "a2,zz,call,2026-07-01T10:00:00+03:00,done,extra\n",
    ],
)
def test_an_unreadable_csv_row_whose_owner_cannot_be_told_makes_the_table_incomplete(load, row):
    data = load(csv_rows(row))
    problem = only(data.problems, row=3)
    assert problem.owner_unknown
    assert problem.manager_ids == []


def test_a_line_with_one_value_is_also_the_error_of_the_row_before_it_may_complete(load):
    # No manager_id to read at all; and a line break typed into the last value of m1's row 2
    # (`don` + `e`, or `72` + `0` in a number) would leave exactly these two lines.
    data = load(csv_rows("garbage\n"))
    problem = only(data.problems, row=3)
    assert problem.owner_unknown
    assert problem.manager_ids == ["m1"]


def test_the_rest_of_a_row_cut_by_a_line_break_is_the_error_of_the_first_parts_owner(load):
    # m2's row cut inside its started_at: the second part alone names nobody (its second value is
    # `done`), but joined to the first part across the break it makes exactly one row.
    data = load(csv_rows("a2,m2,call,2026-07-01T10:00\n", ":00+03:00,done\n"))
    assert only(data.problems, row=3).manager_ids == ["m2"]
    assert only(data.problems, row=4).manager_ids == ["m2"]


def test_a_short_row_that_completes_no_row_before_it_names_only_itself(load):
    # Two values after a whole row: joined to it they would make six, not five.
    data = load(csv_rows("a2,m2\n"))
    problem = only(data.problems, row=3)
    assert problem.manager_ids == ["m2"] and not problem.owner_unknown


def test_a_row_with_an_empty_manager_id_makes_the_table_incomplete(load):
    data = load(csv_rows("a2,,call,2026-07-01T10:00:00+03:00,done\n"))
    problem = only(data.problems, row=3)
    assert (problem.code, problem.owner_unknown) == ("empty", True)


def test_an_unclosed_quote_reports_the_lines_it_swallowed_and_counts_each(load):
    data = load(csv_rows(
        'a2,m2,call,2026-07-01T10:00:00+03:00,"oops\n',
        "\n",
        "a3,m1,call,2026-07-01T10:00:00+03:00,done\n",
    ))
    problem = only(data.problems, row=3)
    assert problem.code == "runaway_quote"
    assert (problem.row, problem.end_row) == (3, 5)
    assert "lines 3 to 5" in str(problem.reason)
    # Each line is attributed on its own: the quote swallowed one of m2's rows and one of m1's.
    assert problem.manager_ids == ["m1", "m2"]
    info = data.tables["activities"]
    # Two records swallowed (the blank line is none): read = used + rejected.
    assert (info.rows_read, info.rows_used, info.rows_rejected) == (3, 1, 2)


JSONL_GOOD = '{"id": "a1", "manager_id": "m1", "type": "call", "started_at": "2026-07-01"}\n'


@pytest.mark.parametrize(
    ("line", "owner"),
    [
        ('{"id": "a2", "manager_id": "m2", "type": "call", "started_at": \n', "m2"),
        ('{"id": "a2", "manager_id": "m2", "started_at": NaN}\n', "m2"),
        ('{"id": "a2", "id": "a3", "manager_id": "m2"}\n', "m2"),
        ('{"id": "a2", "manager_id": "m2", "manager_id": "m1"}\n', None),
        ('["a2", "m2", "call"]\n', None),
    ],
)
def test_an_unreadable_jsonl_line_names_the_person_its_manager_id_names(load, line, owner):
    data = load({"activities.jsonl": JSONL_GOOD + line})
    problem = only(data.problems, row=2)
    if owner is None:
        assert problem.owner_unknown and problem.manager_ids == []
    else:
        assert problem.manager_ids == [owner] and not problem.owner_unknown


def _workbook(path: Path, rows: list[list[object]], merge: str | None = None) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge is not None:
        sheet.merge_cells(merge)
    book.save(path)


def _load_xlsx(tmp_path: Path, rows: list[list[object]], merge: str | None = None):
    directory = write(tmp_path / "data", {})
    _workbook(directory / "activities.xlsx", rows, merge)
    data = load_data(directory, timezone="Europe/Moscow")
    assert_accounted(data)
    return data


XLSX_HEADER = ["id", "manager_id", "type", "started_at"]


def test_rows_in_merged_manager_id_cells_are_rejected_and_named_by_the_merged_value(tmp_path):
    rows = [XLSX_HEADER, ["a1", "m2", "call", "2026-07-01"], ["a2", None, "call", "2026-07-02"],
            ["a3", None, "call", "2026-07-03"], ["a4", "m1", "call", "2026-07-04"]]
    with _load_xlsx(tmp_path, rows, merge="B2:B4") as data:
        merged = [p for p in data.problems if p.code == "merged_cells"]
        assert [(p.row, p.manager_ids) for p in merged] == [(3, ["m2"]), (4, ["m2"])]
        assert not any(p.owner_unknown for p in data.problems)
        info = data.tables["activities"]
        assert (info.rows_read, info.rows_used, info.rows_rejected) == (4, 2, 2)


def test_rows_in_merged_cells_of_another_column_keep_their_own_manager_id(tmp_path):
    rows = [XLSX_HEADER, ["a1", "m2", "call", "2026-07-01"], ["a2", "m1", None, "2026-07-02"]]
    with _load_xlsx(tmp_path, rows, merge="C2:C3") as data:
        problem = only(data.problems, code="merged_cells")
        assert (problem.row, problem.manager_ids) == (3, ["m1"])


def test_an_xlsx_row_with_a_value_outside_the_header_names_its_person(tmp_path):
    rows = [XLSX_HEADER, ["a1", "m2", "call", "2026-07-01", "stray"]]
    with _load_xlsx(tmp_path, rows) as data:
        problem = only(data.problems, code="value_outside_header")
        assert problem.manager_ids == ["m2"]


@pytest.mark.parametrize(
    ("second_line", "owners", "detail"),
    [
        # A quote in the middle of the next line makes the csv module refuse the record.
        ('a3,m2,"call"x,2026-07-01T10:00:00+03:00,done\n', ["m2"], "',' expected after '\"'"),
        # Valid CSV: one record whose status holds a line break and the whole next row, which
        # would vanish into a value.
        ('a3,m1,call,2026-07-01T10:00:00+03:00,done"\n', ["m1", "m2"],
         "line 4 inside the quoted value reads as a row of its own"),
    ],
)
def test_a_stray_quote_that_runs_into_a_later_one_rejects_each_line_it_took(
    load, second_line, owners, detail,
):
    data = load(csv_rows(
        'a2,m2,call,2026-07-01T10:00:00+03:00,"oops\n',
        second_line,
        "a4,m1,call,2026-07-01T10:00:00+03:00,done\n",
    ))
    problem = only(data.problems, row=3)
    assert (problem.code, problem.end_row) == ("unclosed_quote", 4)
    assert detail in str(problem.reason)
    # Each line is attributed on its own.
    assert problem.manager_ids == owners
    info = data.tables["activities"]
    assert (info.rows_read, info.rows_used, info.rows_rejected) == (4, 2, 2)


def test_a_note_over_several_lines_is_still_one_row(load):
    data = load(csv_rows('a2,m2,call,2026-07-01T10:00:00+03:00,"called twice,\nno answer"\n'))
    assert data.problems == []
    assert data.tables["activities"].rows_used == 2


def test_an_unreadable_managers_row_names_its_person_whose_rows_stay_theirs(load):
    managers = "id,name,role,team,salary\nm1,Anna,cold,north,60000\nm2,Boris,cold,south,55 000,50\n"
    data = load({"managers.csv": managers, **csv_rows("a2,m2,call,2026-07-01T10:00:00+03:00,done\n")})
    problem = only(data.problems, table="managers")
    assert (problem.code, problem.manager_ids, problem.owner_unknown) == ("field_count", ["m2"], False)
    # m2 exists, though their managers row was rejected: their call is theirs, not an unknown's.
    assert [p for p in data.problems if p.table == "activities"] == []
    assert data.tables["activities"].rows_of_unknown_people == 0


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.text(alphabet="abc12 -", min_size=1, max_size=6), min_size=5, max_size=5),
    stray=st.integers(min_value=1, max_value=3),
    before=st.booleans(),
)
def test_one_stray_comma_on_either_side_still_shows_the_owner(values, stray, before):
    """Commas that split a value before manager_id shift it counted from the start but not from
    the end; values added after it shift nothing counted from the start."""
    values[1] = "m7"
    fields = list(values)
    if before:
        fields[0:1] = [values[0]] * (stray + 1)
    else:
        fields[3:4] = [values[3]] * (stray + 1)
    assert "m7" in owner_candidates(fields, width=5, index=1)
