"""`people.csv` (the name `kpilang init` lays out and the CRM mappings use) is the managers table
under another name: read the same way, never beside a managers file, and recorded as read."""

from __future__ import annotations

import pytest

from kpilang.data import DataError, load_data

from .conftest import MANAGERS_CSV, write


def _people_only(tmp_path, content: bytes):
    directory = tmp_path / "data"
    directory.mkdir()
    (directory / "people.csv").write_bytes(content)
    return load_data(directory, timezone="Europe/Moscow")


def test_people_csv_is_read_as_managers(tmp_path):
    with _people_only(tmp_path, MANAGERS_CSV.encode("utf-8")) as data:
        assert data.problems == []
        assert data.tables["managers"].file == str(tmp_path / "data" / "people.csv")
        assert sorted(r[0] for r in data.connection.execute('SELECT id FROM "managers"').fetchall()) == ["m1", "m2"]
        assert [(f.table, f.file) for f in data.inputs] == [("managers", str(tmp_path / "data" / "people.csv"))]


def test_people_csv_with_a_byte_order_mark_and_windows_line_ends_is_read(tmp_path):
    with _people_only(tmp_path, MANAGERS_CSV.replace("\n", "\r\n").encode("utf-8-sig")) as data:
        assert data.problems == []
        rows = data.connection.execute('SELECT id, salary FROM "managers" ORDER BY id').fetchall()
        assert [(i, str(s)) for i, s in rows] == [("m1", "60000.00"), ("m2", "55000.50")]


def test_people_beside_managers_is_ambiguous(tmp_path):
    directory = write(tmp_path / "data", {"managers.csv": MANAGERS_CSV, "people.csv": MANAGERS_CSV})
    with pytest.raises(DataError) as raised:
        load_data(directory, timezone="Europe/Moscow")
    (problem,) = raised.value.problems
    assert problem.code == "ambiguous_table" and problem.table == "managers"
    assert "managers.csv" in str(problem.reason) and "people.csv" in str(problem.reason)
