"""A CRM export read through a source mapping (docs/crm/mapping.md): the same pay as kpilang's own
files, and every value the mapping cannot convert stops exactly the pay of the people it may
belong to, with a problem that says which line to add to the mapping."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main
from tests.sources.crm_shape import MAPPING, write_crm_export

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "cold_sales"
PLAN = EXAMPLE / "cold_sales.kpi"


def run_eval(data: Path, source: str | None, *extra: str):
    args = ["eval", str(PLAN), "--data", str(data), "--period", "2026-07", "--format", "json", *extra]
    if source is not None:
        args += ["--source", source]
    result = CliRunner().invoke(main, args)
    return result


def evaluated(data: Path, source: str | None) -> dict:
    result = run_eval(data, source)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.fixture()
def export(tmp_path) -> Path:
    folder = tmp_path / "crm"
    write_crm_export(EXAMPLE / "data", folder)
    return folder


def edit_csv(path: Path, encoding: str, change) -> None:
    """Rewrite a `;` CSV, passing each data row (a dict) through `change` (which may return
    None to drop it, or a list of rows)."""
    with path.open(encoding=encoding, newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
        header = list(rows[0])
    out = []
    for row in rows:
        changed = change(row)
        if changed is None:
            continue
        out.extend(changed if isinstance(changed, list) else [changed])
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, header, delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(out)


def people(report: dict) -> dict[str, dict]:
    return {person["manager_id"]: person for person in report["results"]}


def test_a_russian_crm_export_pays_exactly_what_kpilangs_own_files_pay(export):
    native = evaluated(EXAMPLE / "data", None)
    mapped = evaluated(export, str(export / "mapping.toml"))
    assert mapped["results"] == native["results"]
    assert mapped["skipped"] == native["skipped"]
    assert mapped["data_problems"] == [] == native["data_problems"]
    accounts = {a["table"]: a for a in mapped["tables"]}
    # The one record the mapping excludes on purpose is counted, not read.
    assert accounts["activities"]["rows_excluded"] == 1
    assert accounts["activities"]["rows_read"] == {a["table"]: a for a in native["tables"]}["activities"]["rows_read"]
    assert accounts["deals"]["file"].endswith("Сделки.csv")


def test_a_stage_no_map_covers_stops_its_owners_pay_and_says_the_line_to_add(export):
    def unknown_stage(row):
        if row["ID"] in ("d001", "d002"):  # both Анна Иванова's (m1)
            row["Стадия сделки"] = "Счёт выставлен"
        return row

    edit_csv(export / "Сделки.csv", "cp1251", unknown_stage)
    report = evaluated(export, str(export / "mapping.toml"))
    problems = [p for p in report["data_problems"] if p["code"] == "unmapped_value"]
    assert len(problems) == 1  # once per distinct value
    problem = problems[0]
    assert problem["value"] == "Счёт выставлен"
    assert problem["column"] == "stage"
    assert problem["row"] == 2 and problem["manager_ids"] == ["m1"]
    assert "2 rows: 2, 3" in problem["reason"]
    assert '"Счёт выставлен" = "…" under [maps.stage]' in problem["hint"]
    assert "open | won | lost" in problem["hint"]
    by_id = people(report)
    assert by_id["m1"]["errors"] and all(v is None for v in by_id["m1"]["pays"].values())
    assert not by_id["m2"]["errors"]


def test_a_date_not_in_the_mappings_format_rejects_the_row_for_its_owner(export):
    def american_date(row):
        if row["ID"] == "d010":
            row["Дата закрытия"] = "07/15/2026 10:00"
        return row

    edit_csv(export / "Сделки.csv", "cp1251", american_date)
    report = evaluated(export, str(export / "mapping.toml"))
    [problem] = report["data_problems"]
    assert problem["code"] == "source_value" and problem["column"] == "closed_at"
    assert problem["value"] == "07/15/2026 10:00"
    assert "%d.%m.%Y %H:%M:%S" in problem["reason"]
    owner = problem["manager_ids"]
    assert len(owner) == 1
    assert people(report)[owner[0]]["errors"]


def test_a_name_two_people_share_is_an_error_for_both(export):
    def twin(row):
        if row["Табельный номер"] == "m2":
            row["ФИО"] = "Анна Иванова"
        return row

    edit_csv(export / "Сотрудники.csv", "utf-8-sig", twin)
    report = evaluated(export, str(export / "mapping.toml"))
    ambiguous = [p for p in report["data_problems"] if p["code"] == "ambiguous_person"]
    assert ambiguous and all(p["manager_ids"] == ["m1", "m2"] for p in ambiguous)
    by_id = people(report)
    assert by_id["m1"]["errors"] and by_id["m2"]["errors"]


def test_a_name_nearly_someones_is_their_error_never_a_guess(export):
    def swapped(row):
        if row["ID"] == "d001":
            row["Ответственный"] = "иванова анна"  # surname first, lower case
        return row

    edit_csv(export / "Сделки.csv", "cp1251", swapped)
    report = evaluated(export, str(export / "mapping.toml"))
    [problem] = report["data_problems"]
    assert problem["code"] == "near_person" and problem["manager_ids"] == ["m1"]
    assert '"иванова анна" = "m1"' in problem["hint"]
    assert people(report)["m1"]["errors"]


def test_an_alias_says_whose_a_crm_name_is(export):
    def nickname(row):
        if row["ID"] == "d001":
            row["Ответственный"] = "Аня И."
        return row

    edit_csv(export / "Сделки.csv", "cp1251", nickname)
    mapping = export / "mine.toml"
    mapping.write_text('format = 1\nname = "mine"\nextends = "mapping.toml"\n\n[aliases]\n"Аня И." = "m1"\n',
                       encoding="utf-8")
    assert evaluated(export, str(mapping))["results"] == evaluated(EXAMPLE / "data", None)["results"]


def test_a_person_without_a_crm_id_cannot_be_paid(export):
    def no_crm_id(row):
        if row["Табельный номер"] == "m2":
            row["ID в CRM"] = ""
        return row

    edit_csv(export / "Сотрудники.csv", "utf-8-sig", no_crm_id)
    report = evaluated(export, str(export / "mapping.toml"))
    missing = [p for p in report["data_problems"] if p["code"] == "no_person_key"]
    assert {p["table"] for p in missing} == {"activities", "leads"}
    assert all(p["manager_ids"] == ["m2"] for p in missing)
    assert people(report)["m2"]["errors"] and not people(report)["m1"]["errors"]


def test_a_rejected_row_of_another_month_does_not_stop_this_months_pay(export):
    def july_stage(row):
        if row["ID"] == "d001":  # m1's deal closed in July
            row["Стадия сделки"] = "Счёт выставлен"
        return row

    edit_csv(export / "Сделки.csv", "cp1251", july_stage)
    july = evaluated(export, str(export / "mapping.toml"))
    assert people(july)["m1"]["errors"]
    august = CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(export), "--period", "2026-08", "--format",
                                       "json", "--source", str(export / "mapping.toml")])
    report = json.loads(august.stdout)
    # The July row is still reported in August, but August's pay does not depend on it.
    assert [p["code"] for p in report["data_problems"]] == ["unmapped_value"]
    assert not people(report)["m1"]["errors"]


def test_a_crm_user_outside_the_people_file_is_reported_and_stops_nobody(export):
    def stranger(row):
        if row["ID"] == "0001":
            row["ID ответственного"] = "999"
        return row

    edit_csv(export / "Дела.csv", "cp1251", stranger)
    report = evaluated(export, str(export / "mapping.toml"))
    [problem] = report["data_problems"]
    assert problem["code"] == "unknown_manager" and problem["value"] == "999"
    assert problem["manager_ids"] == []
    assert all(not p["errors"] for p in report["results"])


def test_a_crm_id_that_is_someone_elses_kpilang_id_is_not_taken_for_theirs(export):
    changed = []

    def clash(row):
        if not changed and ".07.2026" in row["Начало"]:  # a July activity: July's pay is at stake
            row["ID ответственного"] = "m2"
            changed.append(row["ID"])
        return row

    edit_csv(export / "Дела.csv", "cp1251", clash)
    report = evaluated(export, str(export / "mapping.toml"))
    [problem] = report["data_problems"]
    assert problem["code"] == "near_person" and problem["manager_ids"] == ["m2"]
    assert people(report)["m2"]["errors"]


def test_an_unreadable_line_of_a_crm_file_stops_its_owners_pay(export):
    path = export / "Дела.csv"
    lines = path.read_bytes().split(b"\r\n")
    owner_crm_id = lines[5].split(b";")[1]
    lines[5] = lines[5] + b";extra;values"
    path.write_bytes(b"\r\n".join(lines))
    report = evaluated(export, str(export / "mapping.toml"))
    [problem] = report["data_problems"]
    assert problem["code"] == "field_count" and problem["row"] == 6
    crm_ids = {"100": "m1", "101": "m2", "102": "m3", "103": "m4", "104": "m5", "105": "m6"}
    assert problem["manager_ids"] == [crm_ids.get(owner_crm_id.decode(), owner_crm_id.decode())] or problem["owner_unknown"]


def test_a_mapping_error_names_the_mapping_line_and_key(export):
    text = MAPPING.replace('stage = { column = "Стадия сделки", map = "stage" }',
                           'stage = { column = "Стадия сделки", map = "stages" }')
    (export / "bad.toml").write_text(text, encoding="utf-8")
    result = run_eval(export, str(export / "bad.toml"))
    assert result.exit_code == 2
    line = text.splitlines().index('stage = { column = "Стадия сделки", map = "stages" }') + 1
    assert f"bad.toml:{line} [tables.deals.columns.stage]" in result.stderr
    assert "[maps.stages]" in result.stderr


def test_a_mapping_key_kpilang_does_not_know_is_refused_at_its_line(export):
    text = MAPPING.replace('delimiter = ";"\n[tables.deals.columns]', 'delimeter = ";"\n[tables.deals.columns]')
    (export / "bad.toml").write_text(text, encoding="utf-8")
    result = run_eval(export, str(export / "bad.toml"))
    assert result.exit_code == 2
    line = text.splitlines().index('delimeter = ";"') + 1
    assert f"bad.toml:{line} [tables.deals.delimeter]" in result.stderr


def test_a_mapping_that_is_not_toml_is_refused_at_its_line(export):
    (export / "bad.toml").write_text('format = 1\nname = "x"\n[tables.deals\n', encoding="utf-8")
    result = run_eval(export, str(export / "bad.toml"))
    assert result.exit_code == 2 and "bad.toml:3" in result.stderr


def test_a_source_column_the_file_lacks_is_fatal_and_lists_the_files_columns(export):
    edit_csv(export / "Сделки.csv", "cp1251", lambda row: {**row, "Сумма": row.pop("Сумма")} and row)
    path = export / "Сделки.csv"
    text = path.read_text("cp1251").replace("Сумма", "Сумма, руб.", 1)
    path.write_text(text, "cp1251")
    result = run_eval(export, str(export / "mapping.toml"))
    assert result.exit_code == 2
    assert "Сумма, руб." in result.stderr and "amount" in result.stderr


def test_a_missing_crm_file_is_fatal(export):
    (export / "Дела.csv").unlink()
    result = run_eval(export, str(export / "mapping.toml"))
    assert result.exit_code == 2 and "Дела.csv" in result.stderr


def test_an_unknown_source_name_lists_the_presets(export):
    result = run_eval(export, "bitrix")
    assert result.exit_code == 2
    assert "bitrix" in result.stderr


def test_the_source_is_read_in_russian_under_lang_ru(export):
    text = MAPPING.replace('map = "stage" }', 'map = "stages" }')
    (export / "bad.toml").write_text(text, encoding="utf-8")
    result = run_eval(export, str(export / "bad.toml"), "--lang", "ru")
    assert result.exit_code == 2 and "словаря" in result.stderr


def test_a_filter_on_a_column_the_file_lacks_is_fatal_rather_than_leaving_everything_out(export):
    text = MAPPING.replace('exclude = { "Тип" = ["Комментарий"] }', 'exclude = { "Вид" = ["Комментарий"] }')
    (export / "bad.toml").write_text(text, encoding="utf-8")
    result = run_eval(export, str(export / "bad.toml"))
    assert result.exit_code == 2 and "Вид" in result.stderr


def test_an_alias_to_nobody_is_refused(export):
    mapping = export / "mine.toml"
    mapping.write_text('format = 1\nname = "mine"\nextends = "mapping.toml"\n\n[aliases]\n"Аня И." = "m9"\n',
                       encoding="utf-8")
    result = run_eval(export, str(mapping))
    assert result.exit_code == 2 and "m9" in result.stderr


def test_an_unknown_timezone_is_refused_at_its_line(export):
    text = MAPPING.replace('timezone = "Europe/Moscow"', 'timezone = "Moscow"')
    (export / "bad.toml").write_text(text, encoding="utf-8")
    result = run_eval(export, str(export / "bad.toml"))
    line = text.splitlines().index('timezone = "Moscow"') + 1
    assert result.exit_code == 2 and f"bad.toml:{line} [timezone]" in result.stderr


def test_a_people_file_without_the_crm_id_column_is_fatal(export):
    path = export / "Сотрудники.csv"
    path.write_text(path.read_text("utf-8-sig").replace("ID в CRM", "CRM"), "utf-8-sig")
    text = MAPPING.replace('crm_id = "ID в CRM"', 'crm = "CRM"')
    (export / "bad.toml").write_text(text, encoding="utf-8")
    result = run_eval(export, str(export / "bad.toml"))
    assert result.exit_code == 2 and "crm_id" in result.stderr


def test_statements_and_lint_history_read_the_same_export(export, tmp_path):
    out = tmp_path / "statements"
    explained = CliRunner().invoke(main, ["explain", str(PLAN), "--data", str(export), "--period", "2026-07",
                                          "--source", str(export / "mapping.toml"), "--format", "md", "--out", str(out)])
    assert explained.exit_code == 0, explained.output
    assert (out / "m1.md").read_text(encoding="utf-8").count("Анна Иванова") >= 1
    native = CliRunner().invoke(main, ["lint", str(PLAN), "--history", str(EXAMPLE / "data"), "--format", "json"])
    mapped = CliRunner().invoke(main, ["lint", str(PLAN), "--history", str(export), "--source",
                                       str(export / "mapping.toml"), "--format", "json"])
    assert mapped.exit_code == native.exit_code
    assert json.loads(mapped.stdout)["diagnostics"] == json.loads(native.stdout)["diagnostics"]
