"""CSV, JSON Lines, Parquet and XLSX files with the same content load to the same tables."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest

from kpilang.data import DataError, load_data

from .conftest import assert_accounted, only

MANAGERS = (
    ["id", "name", "role", "team", "salary"],
    [["m1", "Анна", "cold", "north", "60000"], ["m2", "Boris", "cold", "south", "55000.50"]],
)
DEALS = (
    ["id", "manager_id", "created_at", "stage", "closed_at", "amount", "is_new_client"],
    [
        ["d1", "m1", "2026-07-01T10:00:00+03:00", "won", "2026-07-31T23:30:00+03:00", "1150000.50", "true"],
        ["d2", "m2", "2026-07-02T10:00:00", "lost", None, "0.25", "false"],
        ["d3", "m1", "2026-07-03", "won", None, "1 234,50", "true"],
        ["d4", "m9", "2026-07-03", "open", None, None, None],
    ],
)
ACTIVITIES = (
    ["id", "manager_id", "type", "started_at", "duration"],
    [
        ["a1", "m1", "call", "2026-07-01T10:00:00+03:00", "262"],
        ["a2", "m1", "meeting", "2026-07-02T11:00:00", None],
    ],
)
TABLES = {"managers": MANAGERS, "deals": DEALS, "activities": ACTIVITIES}
# Where the n-th record (0-based) of a table sits, as each format numbers rows.
FIRST_ROW = {"csv": 2, "jsonl": 1, "parquet": 1, "xlsx": 2}


def write_csv(path: Path, header, rows) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def json_value(column: str, value):
    if value is None:
        return None
    if column in ("salary", "amount", "duration") and " " not in value:
        return json.loads(value)  # numbers as JSON numbers...
    if column == "is_new_client":
        return value == "true"
    return value


def write_jsonl(path: Path, header, rows) -> None:
    lines = []
    for row in rows:
        # ...written with their exact text: json.dumps of a float would lose "1150000.50".
        record = {c: json_value(c, v) for c, v in zip(header, row)}
        text = json.dumps(record, ensure_ascii=False)
        for c, v in zip(header, row):
            if c in ("salary", "amount") and v is not None and " " not in v:
                text = text.replace(json.dumps(record[c]), v, 1)
        lines.append(text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_parquet(path: Path, header, rows) -> None:
    con = duckdb.connect()
    columns = ", ".join(f'"{c}" VARCHAR' for c in header)
    con.execute(f"CREATE TABLE t ({columns})")
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' for _ in header)})", rows)
    con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    con.close()


def write_xlsx(path: Path, header, rows) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        cells = []
        for column, value in zip(header, row):
            if value is not None and column in ("salary", "amount", "duration") and " " not in value:
                value = Decimal(value)  # a numeric cell, written with its exact digits
            elif value is not None and column == "is_new_client":
                value = value == "true"
            cells.append(value)
        sheet.append(cells)
    book.save(path)


WRITERS = {"csv": write_csv, "jsonl": write_jsonl, "parquet": write_parquet, "xlsx": write_xlsx}


def load_format(tmp_path: Path, fmt: str):
    directory = tmp_path / fmt
    directory.mkdir()
    for table, (header, rows) in TABLES.items():
        WRITERS[fmt](directory / f"{table}.{fmt}", header, rows)
    return load_data(directory, timezone="Europe/Moscow")


def snapshot(data) -> dict:
    return {
        table: data.connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        for table in data.tables
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    with load_format(tmp_path_factory.mktemp("ref"), "csv") as data:
        return snapshot(data), data.problems, {t: i.columns for t, i in data.tables.items()}


def test_the_reference_csv_is_what_it_should_be(reference):
    tables, problems, _ = reference
    assert tables["deals"] == [
        ("d1", "m1", dt.datetime(2026, 7, 1, 7), "won", dt.datetime(2026, 7, 31, 20, 30), Decimal("1150000.50"), True),
        ("d2", "m2", dt.datetime(2026, 7, 2, 7), "lost", None, Decimal("0.25"), False),
    ]
    assert tables["managers"][1][4] == Decimal("55000.50")
    assert tables["activities"] == [
        ("a1", "m1", "call", dt.datetime(2026, 7, 1, 7), 262),
        ("a2", "m1", "meeting", dt.datetime(2026, 7, 2, 8), None),
    ]
    assert [(p.table, p.row, p.column) for p in problems] == [("deals", 4, "amount"), ("deals", 5, "manager_id")]


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "xlsx"])
def test_every_format_loads_the_same_data(tmp_path, reference, fmt):
    tables, problems, columns = reference
    with load_format(tmp_path, fmt) as data:
        assert_accounted(data)
        assert {t: i.format for t, i in data.tables.items()} == dict.fromkeys(TABLES, fmt)
        assert {t: i.columns for t, i in data.tables.items()} == columns
        assert snapshot(data) == tables
        shift = FIRST_ROW[fmt] - FIRST_ROW["csv"]
        got = [(p.table, p.row - shift, p.column, p.value, str(p.reason)) for p in data.problems]
        assert got == [(p.table, p.row, p.column, p.value, str(p.reason)) for p in problems]
        assert all(p.file.endswith(f"deals.{fmt}") for p in data.problems)


def test_typed_parquet_columns_load_the_same(tmp_path, reference):
    directory = tmp_path / "typed"
    directory.mkdir()
    write_parquet(directory / "managers.parquet", *MANAGERS)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"""COPY (SELECT * FROM (VALUES
        ('d1', 'm1', TIMESTAMPTZ '2026-07-01 07:00:00+00', 'won', TIMESTAMPTZ '2026-07-31 20:30:00+00', 1150000.50::DECIMAL(18, 2), true),
        ('d2', 'm2', TIMESTAMP '2026-07-02 10:00:00'::TIMESTAMPTZ, 'lost', NULL, 0.25::DECIMAL(18, 2), false)
    ) t(id, manager_id, created_at, stage, closed_at, amount, is_new_client)) TO '{directory / "deals.parquet"}' (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT * FROM (VALUES
        ('a1', 'm1', 'call', TIMESTAMPTZ '2026-07-01 07:00:00+00', 262::INTEGER),
        ('a2', 'm1', 'meeting', TIMESTAMPTZ '2026-07-02 08:00:00+00', NULL::INTEGER)
    ) t(id, manager_id, type, started_at, duration)) TO '{directory / "activities.parquet"}' (FORMAT parquet)""")
    con.close()
    # d2's created_at was written as 10:00 UTC here, unlike the reference's 10:00 Moscow time.
    with load_data(directory, timezone="Europe/Moscow") as data:
        assert data.problems == []
        tables = snapshot(data)
        assert tables["activities"] == reference[0]["activities"]
        assert tables["deals"][0] == reference[0]["deals"][0]
        assert tables["deals"][1][2] == dt.datetime(2026, 7, 2, 10)


def test_money_stored_as_a_binary_float_in_parquet_is_fatal(tmp_path):
    directory = tmp_path / "float"
    directory.mkdir()
    write_parquet(directory / "managers.parquet", *MANAGERS)
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT 'd1' AS id, 'm1' AS manager_id, '2026-07-01' AS created_at,
        'won' AS stage, 0.1::DOUBLE AS amount) TO '{directory / "deals.parquet"}' (FORMAT parquet)""")
    con.close()
    with pytest.raises(DataError) as caught:
        load_data(directory, timezone="UTC")
    problem = only(caught.value.problems, column="amount")
    assert problem.fatal and problem.file.endswith("deals.parquet")
    assert "binary floating point" in str(problem.reason)


def replace_in_sheet(path: Path, replacements: dict[str, str]) -> None:
    """Rewrite numbers in the first sheet's XML, as Excel would store them (openpyxl itself
    writes numbers through a float)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for old, new in replacements.items():
        assert f"<v>{old}</v>" in sheet
        sheet = sheet.replace(f"<v>{old}</v>", f"<v>{new}</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_xlsx_numbers_keep_the_digits_stored_in_the_file(tmp_path):
    directory = tmp_path / "x"
    directory.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "name", "role", "team", "salary", "bonus_rate", "hired_at"])
    sheet.append(["m1", "A", "cold", "n", 111, 222, dt.datetime(2024, 3, 1)])
    sheet.append(["m2", "B", "cold", "n", 1.1, 333, dt.datetime(2024, 3, 1, 9, 30)])
    sheet.append([])  # an empty row is not a record
    sheet.append(["m3", "C", "cold", "n", 50000, 2, dt.date(2024, 1, 1)])
    book.save(directory / "managers.xlsx")
    replace_in_sheet(directory / "managers.xlsx", {
        "111": "12345678901234567.25", "222": "0.1", "333": "1.5E-3",
    })
    with load_data(directory, timezone="UTC") as data:
        assert data.problems == []
        rows = data.connection.execute("SELECT id, salary, bonus_rate, hired_at FROM managers ORDER BY id").fetchall()
        assert rows == [
            ("m1", Decimal("12345678901234567.25"), Decimal("0.1"), dt.datetime(2024, 3, 1)),
            ("m2", Decimal("1.10"), Decimal("0.0015"), dt.datetime(2024, 3, 1, 9, 30)),
            ("m3", Decimal("50000.00"), Decimal("2"), dt.datetime(2024, 1, 1)),
        ]
        assert data.column_type("managers", "bonus_rate") == "number"
        assert data.column_type("managers", "hired_at") == "datetime"
        assert data.tables["managers"].rows_read == 3


def test_xlsx_rows_are_sheet_rows(tmp_path):
    directory = tmp_path / "x"
    directory.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "name", "role", "team", "salary"])
    sheet.append(["m1", "A", "cold", "n", 1])
    sheet.append([])
    sheet.append(["m2", "B", "cold", "n", "1 000"])
    sheet.append(["m3", "B", "cold", "n", 1, None, "stray"])
    book.save(directory / "managers.xlsx")
    with load_data(directory, timezone="UTC") as data:
        assert [(p.row, p.column) for p in data.problems] == [(4, "salary"), (5, None)]
        assert str(data.problems[1].reason) == "this row has a value in column G, which has no name in the header"


def test_jsonl_lines_that_are_not_objects_are_reported(tmp_path):
    directory = tmp_path / "j"
    directory.mkdir()
    (directory / "managers.jsonl").write_text(
        '{"id": "m1", "name": "A", "role": "cold", "team": "n", "salary": 1}\n'
        "\n"
        "not json\n"
        '["m2"]\n'
        '{"id": "m3", "id": "m4", "name": "A", "role": "cold", "team": "n", "salary": 1}\n'
        '{"id": "m5", "name": "A", "role": "cold", "team": "n", "salary": NaN}\n'
        '{"id": "m6", "name": "A", "role": "cold", "team": "n", "salary": 12345678901234567890.123456789}\n',
        encoding="utf-8",
    )
    with load_data(directory, timezone="UTC") as data:
        assert [(p.row, str(p.reason).split(":")[0]) for p in data.problems] == [
            (3, "not a JSON object"), (4, "not a JSON object"),
            (5, "the key 'id' appears twice in this object; which value is meant is not guessed"),
            (6, "not a JSON object"),
        ]
        salaries = dict(data.connection.execute("SELECT id, salary FROM managers").fetchall())
        assert salaries == {"m1": Decimal("1.000000000"), "m6": Decimal("12345678901234567890.123456789")}
        info = data.tables["managers"]
        assert (info.rows_read, info.rows_used, info.rows_rejected) == (6, 2, 4)


def test_an_empty_jsonl_file_is_an_empty_table(tmp_path):
    directory = tmp_path / "j"
    directory.mkdir()
    write_csv(directory / "managers.csv", *MANAGERS)
    (directory / "deals.jsonl").write_text("", encoding="utf-8")
    with load_data(directory, timezone="UTC", needs={"deals": {"amount"}}) as data:
        assert data.tables["deals"].rows_read == 0
        assert data.column_type("deals", "amount") == "money"


def test_line_breaks_and_carriage_returns_inside_values_survive(tmp_path):
    directory = tmp_path / "j"
    directory.mkdir()
    write_csv(directory / "managers.csv", *MANAGERS)
    (directory / "activities.jsonl").write_text(
        json.dumps({"id": "a1", "manager_id": "m1", "type": "call", "started_at": "2026-07-01",
                    "note": "one\rtwo\r\nthree\n", "empty": ""}) + "\n",
        encoding="utf-8",
    )
    with load_data(directory, timezone="UTC") as data:
        assert data.problems == []
        row = data.connection.execute("SELECT note, empty FROM activities").fetchone()
        assert row == ("one\rtwo\r\nthree\n", None)
