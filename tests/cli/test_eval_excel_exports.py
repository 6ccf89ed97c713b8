"""`kpilang eval` on the two usual CSV exports of a Russian Excel (a managers.csv in Windows-1251,
a managers.csv separated by semicolons): one fatal problem saying what to do, in the reader's
language, exit status 2 and nothing computed, instead of a warning per row or a missing column
per column that is there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

NORMATIVE = Path(__file__).resolve().parent.parent / "fixtures" / "normative"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(NORMATIVE / "data", target)
    return target


def evaluate(data: Path, *extra: str):
    return CliRunner().invoke(main, [
        "eval", str(NORMATIVE / "cold_sales.kpi"), "--data", str(data), "--period", "2026-07", *extra,
    ])


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("  - ")]


def test_a_managers_file_in_windows_1251_stops_the_run_with_one_problem(data):
    managers = data / "managers.csv"
    managers.write_bytes(managers.read_text(encoding="utf-8").encode("cp1251"))
    result = evaluate(data, "--format", "json")
    assert result.exit_code == 2
    assert [e["code"] for e in json.loads(result.stdout)["fatal"]] == ["not_utf8_file", "run.data-unusable-computed"]
    assert problem_lines(result.stderr) == [
        f"  - table managers, file {managers}: {managers} is not UTF-8 text: it looks like Windows-1251 "
        "(line 2: «m1,Анна Иванова,cold,north,60000,2024-03-01»)"
    ]
    assert "= help: save it as UTF-8 (in Excel: Save As → CSV UTF-8 (comma delimited))" in result.stderr
    assert "not valid UTF-8" not in result.stderr and "unknown manager_id" not in result.stderr

    russian = evaluate(data, "--lang", "ru")
    assert (russian.exit_code, russian.stdout) == (2, "")
    assert problem_lines(russian.stderr) == [
        f"  - таблица managers, файл {managers}: {managers} — не текст в кодировке UTF-8: похоже, это "
        "Windows-1251 (строка 2: «m1,Анна Иванова,cold,north,60000,2024-03-01»)"
    ]
    assert ("= подсказка: сохраните его в кодировке UTF-8 (в Excel: «Сохранить как» → "
            "«CSV UTF-8 (разделитель - запятая)»)") in russian.stderr


def test_a_managers_file_separated_by_semicolons_stops_the_run_with_one_problem(data):
    managers = data / "managers.csv"
    managers.write_text(managers.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    result = evaluate(data)
    assert (result.exit_code, result.stdout) == (2, "")
    assert problem_lines(result.stderr) == [
        f"  - table managers, file {managers}: {managers} is separated by «;»: kpilang reads comma-separated CSV"
    ]
    assert ("= help: export it with commas (in Excel: CSV UTF-8 (comma delimited)), "
            "or save the table as .xlsx") in result.stderr
    assert "add the column" not in result.stderr

    russian = evaluate(data, "--lang", "ru")
    assert (russian.exit_code, russian.stdout) == (2, "")
    assert problem_lines(russian.stderr) == [
        f"  - таблица managers, файл {managers}: в {managers} значения разделены знаком «;», "
        "а kpilang читает CSV со значениями через запятую"
    ]


def test_one_damaged_row_in_a_utf8_managers_file_is_still_a_rejected_row(data):
    managers = data / "managers.csv"
    with open(managers, "ab") as stream:
        stream.write(b"m9," + "Вера Котова".encode("cp1251") + b",cold,north,40000,2024-03-01\n")
    result = evaluate(data, "--format", "json")
    assert result.exit_code == 1
    assert '"code": "encoding"' in result.stdout and "person(s) evaluated" in result.stderr
