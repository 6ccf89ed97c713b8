"""`kpilang data check`: what a head of sales runs first on a new export."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kpilang.cli import main
from tests.sources.crm_shape import write_crm_export
from tests.sources.test_mapped_source import edit_csv

ROOT = Path(__file__).resolve().parents[2]


def check(*args: str):
    return CliRunner().invoke(main, ["data", "check", *args])


def test_a_clean_export_is_accounted_for_table_by_table(tmp_path):
    write_crm_export(ROOT / "examples" / "cold_sales" / "data", tmp_path)
    result = check(str(tmp_path), "--source", str(tmp_path / "mapping.toml"), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    tables = {t["table"]: t for t in report["tables"]}
    assert tables["activities"]["rows_read"] == 515 and tables["activities"]["rows_excluded"] == 1
    assert tables["deals"]["first_day"] == "2026-06-30" and tables["deals"]["complete_months"] == ["2026-07"]
    assert report["uncovered_values"] == [] and report["data_problems"] == []


def test_values_no_map_covers_and_strangers_are_listed_once_each(tmp_path):
    write_crm_export(ROOT / "examples" / "cold_sales" / "data", tmp_path)

    def damage(row):
        if row["ID"] in ("d001", "d003", "d005"):
            row["Стадия сделки"] = "Переговоры"
        if row["ID"] == "d002":
            row["Ответственный"] = "Пётр Сидоров"
        return row

    edit_csv(tmp_path / "Сделки.csv", "cp1251", damage)
    result = check(str(tmp_path), "--source", str(tmp_path / "mapping.toml"))
    assert result.exit_code == 1
    assert "deals.stage: 'Переговоры'" in result.stdout and "3 rows" in result.stdout
    assert '"Переговоры" = "…" under [maps.stage]' in result.stdout
    assert "deals: 'Пётр Сидоров' (1)" in result.stdout


def test_a_period_the_data_does_not_cover_is_said(tmp_path):
    write_crm_export(ROOT / "examples" / "cold_sales" / "data", tmp_path)
    result = check(str(tmp_path), "--source", str(tmp_path / "mapping.toml"), "--period", "2026-08", "--lang", "ru")
    assert result.exit_code == 1
    assert "2026-08: даты в activities, leads, deals покрывают не весь период" in result.stdout


def test_native_data_needs_a_timezone(tmp_path):
    result = check(str(ROOT / "examples" / "demo"))
    assert result.exit_code == 2 and "--timezone" in result.stderr
    result = check(str(ROOT / "examples" / "demo"), "--plan", str(ROOT / "rules" / "cold_sales.kpi"))
    assert result.exit_code == 1  # the demo's five broken rows
    assert "5 data problem(s)" in result.stderr


def test_unusable_data_is_exit_2(tmp_path):
    result = check(str(tmp_path), "--timezone", "Europe/Moscow")
    assert result.exit_code == 2 and "managers" in result.stderr
