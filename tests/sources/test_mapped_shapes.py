"""Mapped tables built from several files, from Excel sheets, and new clients derived from the
data (docs/crm/mapping.md)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from kpilang.cli import main
from kpilang.data import load_data
from kpilang.sources.source import MappedSource

MANAGERS = "id,name,role,team,salary\nm1,Анна,cold,north,60000\nm2,Борис,cold,north,55000\n"


# Deals whose new clients are derived; {stage} is the stage column's rule.
DERIVING = '''
[tables.deals]
files = "deals.csv"
[tables.deals.columns]
id = "ID"
manager_id = "WHO"
client_id = "CLIENT"
created_at = "CREATED"
closed_at = "CLOSED"
stage = {stage}
is_new_client = {{ derive = "first_won_deal" }}
'''


def write_mapping(folder: Path, text: str) -> Path:
    path = folder / "mapping.toml"
    path.write_text('format = 1\nname = "t"\n' + text, encoding="utf-8")
    return path


def loaded(folder: Path, mapping: Path, needs=None):
    return load_data(folder, timezone="Europe/Moscow", needs=needs, provider=MappedSource.named(str(mapping)))


def test_a_table_from_two_files_names_each_files_own_rows(tmp_path):
    (tmp_path / "managers.csv").write_text(MANAGERS, encoding="utf-8")
    (tmp_path / "calls.jsonl").write_text(
        '{"ID": "1", "USER": "m1", "START": "2026-07-01T10:00:00+03:00", "SECONDS": "60"}\n'
        '{"ID": "2", "USER": "m2", "START": "2026-07-01T11:00:00+03:00", "SECONDS": "-5"}\n', encoding="utf-8")
    (tmp_path / "other.jsonl").write_text(
        '{"ID": "1", "USER": "m1", "TYPE": "4", "START": "2026-07-02T10:00:00+03:00"}\n'
        '{"ID": "2", "USER": "m1", "TYPE": "2", "START": "2026-07-02T11:00:00+03:00"}\n'
        '{"ID": "3", "USER": "m2", "TYPE": "9", "START": "2026-07-02T12:00:00+03:00"}\n', encoding="utf-8")
    mapping = write_mapping(tmp_path, '''
[[tables.activities]]
files = "calls.jsonl"
[tables.activities.columns]
id = { column = "ID", prefix = "call-" }
manager_id = "USER"
type = { value = "call" }
started_at = "START"
duration = "SECONDS"

[[tables.activities]]
files = "other.jsonl"
exclude = { TYPE = ["2"] }
[tables.activities.columns]
id = { column = "ID", prefix = "act-" }
manager_id = "USER"
type = { column = "TYPE", map = "type" }
started_at = "START"

[maps.type]
"4" = "email"
''')
    with loaded(tmp_path, mapping, {"activities": {"duration", "type"}}) as data:
        rows = data.connection.execute("SELECT id, manager_id, type FROM activities ORDER BY id").fetchall()
        assert rows == [("act-1", "m1", "email"), ("call-1", "m1", "call")]
        info = data.tables["activities"]
        assert (info.rows_read, info.rows_used, info.rows_rejected, info.rows_excluded) == (4, 2, 2, 1)
        problems = {(Path(p.file).name, p.row, p.code, tuple(p.manager_ids)) for p in data.problems}
        assert problems == {("calls.jsonl", 2, "negative_duration", ("m2",)),
                            ("other.jsonl", 3, "unmapped_value", ("m2",))}


def test_an_excel_sheet_keeps_its_typed_cells_exact(tmp_path):
    (tmp_path / "managers.csv").write_text(MANAGERS, encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.title = "Сводка"
    sheet = book.create_sheet("Сделки")
    sheet.append(["ID", "Ответственный", "Создана", "Стадия", "Сумма"])
    import datetime as dt
    sheet.append(["d1", "Анна", dt.datetime(2026, 7, 1, 10, 0), "Успешно", 152400.25])
    sheet.append(["d2", "Борис", "02.07.2026 11:00:00", "Успешно", "99 000,50"])
    book.save(tmp_path / "deals.xlsx")
    mapping = write_mapping(tmp_path, '''
[tables.deals]
files = "deals.xlsx"
sheet = "Сделки"
[tables.deals.columns]
id = "ID"
manager_id = { column = "Ответственный", person = "name" }
created_at = { column = "Создана", date = "%d.%m.%Y %H:%M:%S" }
stage = { column = "Стадия", map = "stage" }
amount = { column = "Сумма", number = "ru" }

[maps.stage]
"Успешно" = "won"
''')
    with loaded(tmp_path, mapping, {"deals": {"amount", "created_at"}}) as data:
        rows = data.connection.execute(
            "SELECT id, manager_id, CAST(amount AS VARCHAR), CAST(created_at AS VARCHAR) FROM deals ORDER BY id").fetchall()
    assert rows == [("d1", "m1", "152400.25", "2026-07-01 07:00:00"), ("d2", "m2", "99000.50", "2026-07-02 08:00:00")]


def test_new_clients_are_derived_from_each_clients_first_won_deal(tmp_path):
    (tmp_path / "managers.csv").write_text(MANAGERS, encoding="utf-8")
    (tmp_path / "deals.csv").write_text(
        "ID,WHO,CLIENT,CREATED,CLOSED,STAGE\n"
        "d1,m1,c1,2026-06-01T10:00:00+03:00,2026-06-10T10:00:00+03:00,won\n"
        "d2,m2,c1,2026-07-01T10:00:00+03:00,2026-07-05T10:00:00+03:00,won\n"
        "d3,m2,c2,2026-07-01T10:00:00+03:00,2026-07-06T10:00:00+03:00,won\n"
        "d4,m1,c3,2026-07-01T10:00:00+03:00,,open\n"
        "d5,m1,,2026-07-01T10:00:00+03:00,2026-07-07T10:00:00+03:00,won\n", encoding="utf-8")
    mapping = write_mapping(tmp_path, DERIVING.format(stage='"STAGE"'))
    with loaded(tmp_path, mapping, {"deals": {"client_id", "is_new_client"}}) as data:
        rows = dict(data.connection.execute("SELECT id, is_new_client FROM deals").fetchall())
        assert rows == {"d1": True, "d2": False, "d3": True, "d4": None}
        [problem] = data.problems
        assert (problem.code, problem.row, problem.manager_ids) == ("new_client_unknown", 6, ["m1"])


def test_a_rejected_deal_makes_its_clients_new_client_flag_unknown(tmp_path):
    (tmp_path / "managers.csv").write_text(MANAGERS, encoding="utf-8")
    (tmp_path / "deals.csv").write_text(
        "ID,WHO,CLIENT,CREATED,CLOSED,STAGE\n"
        "d1,m1,c1,2026-06-01T10:00:00+03:00,2026-06-10T10:00:00+03:00,выиграна\n"
        "d2,m2,c1,2026-07-01T10:00:00+03:00,2026-07-05T10:00:00+03:00,won\n", encoding="utf-8")
    mapping = write_mapping(tmp_path, DERIVING.format(stage='{ column = "STAGE", map = "stage" }')
                            + '\n[maps.stage]\nwon = "won"\n')
    with loaded(tmp_path, mapping, {"deals": {"client_id", "is_new_client"}}) as data:
        # d1 is m1's rejected row; without it d2 would look like c1's first deal: m2's is refused too.
        assert {p.code: p.manager_ids for p in data.problems} == {
            "unmapped_value": ["m1"], "new_client_unknown": ["m2"]}


def test_a_json_path_picks_a_custom_field_by_its_code():
    from kpilang.sources.records import has_key, value_at

    record = {"id": 1, "custom_fields_values": [
        {"field_code": "SOURCE", "values": [{"value": "site"}]},
        {"field_code": "DEAL_TYPE", "values": [{"value": "new"}]}]}
    assert value_at(record, "custom_fields_values[field_code=DEAL_TYPE].values.0.value") == "new"
    assert value_at(record, "custom_fields_values[field_code=OTHER].values.0.value") is None
    assert has_key(record, "custom_fields_values[field_code=OTHER].values.0.value")
    assert not has_key(record, "_embedded.companies.0.id")


def test_parts_reading_one_file_leave_out_only_what_no_part_takes(tmp_path):
    (tmp_path / "managers.csv").write_text(MANAGERS, encoding="utf-8")
    (tmp_path / "deals.jsonl").write_text(
        '{"ID": "1", "U": "m1", "C": "2026-07-01T10:00:00+03:00", "CLOSED": "Y", "D": "2026-07-02T10:00:00+03:00"}\n'
        '{"ID": "2", "U": "m1", "C": "2026-07-01T10:00:00+03:00", "CLOSED": "N", "D": "2026-07-20T10:00:00+03:00"}\n'
        '{"ID": "3", "U": "m2", "C": "2026-07-01T10:00:00+03:00", "CLOSED": "?", "D": "2026-07-20T10:00:00+03:00"}\n'
        'not json\n', encoding="utf-8")
    mapping = write_mapping(tmp_path, '''
[[tables.deals]]
files = "deals.jsonl"
where = { CLOSED = ["Y"] }
[tables.deals.columns]
id = "ID"
manager_id = "U"
created_at = "C"
closed_at = "D"
stage = { value = "won" }

[[tables.deals]]
files = "deals.jsonl"
where = { CLOSED = ["N"] }
[tables.deals.columns]
id = "ID"
manager_id = "U"
created_at = "C"
stage = { value = "open" }
''')
    with loaded(tmp_path, mapping) as data:
        rows = data.connection.execute("SELECT id, stage, closed_at IS NULL FROM deals ORDER BY id").fetchall()
        assert rows == [("1", "won", False), ("2", "open", True)]
        info = data.tables["deals"]
        # The third record no part takes; the unreadable line is rejected once, not once a part.
        assert (info.rows_read, info.rows_used, info.rows_rejected, info.rows_excluded) == (3, 2, 1, 1)
        [problem] = data.problems
        assert (Path(problem.file).name, problem.row, problem.code) == ("deals.jsonl", 4, "not_json_object")
