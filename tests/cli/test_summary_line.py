"""The summary line of `eval` and `explain`: people paid, refused for errors and skipped, the data
problems with each missing target among them, and the rows rejected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

NORMATIVE = Path(__file__).resolve().parent.parent / "fixtures" / "normative"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The normative data without m2's revenue target and with one deal row that cannot be read."""
    copy = tmp_path / "data"
    shutil.copytree(NORMATIVE / "data", copy)
    targets = copy / "targets.csv"
    lines = targets.read_text(encoding="utf-8").splitlines()
    targets.write_text("\n".join(line for line in lines if not line.startswith("m2,")) + "\n", encoding="utf-8")
    with open(copy / "deals.csv", "a", encoding="utf-8") as deals:
        deals.write('d099,m3,c299,2026-07-01T10:00:00+03:00,2026-07-05T10:00:00+03:00,won,"1 234,50",true\n')
    return copy


def last_line(command: str, data: Path, lang: str) -> str:
    result = CliRunner().invoke(main, [command, str(NORMATIVE / "cold_sales.kpi"), "--data", str(data), "--period",
                                       "2026-07", "--lang", lang], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.stderr.splitlines()[-1]


def test_a_missing_target_is_a_data_problem_and_the_line_counts_paid_refused_skipped_and_rows(data):
    assert last_line("eval", data, "en") == (
        "4 person(s) evaluated for 2026-07: 2 paid, 2 refused (errors), 2 skipped; "
        "2 data problem(s), 1 of them missing target(s); 1 row(s) rejected")


def test_the_russian_line_tells_people_outside_the_plan_from_people_with_errors(data):
    line = last_line("eval", data, "ru")
    assert line == ("за 2026-07 сотрудников по плану: 4; выплата рассчитана: 2, отказано из-за ошибок: 2; "
                    "пропущено: 2; проблем в данных: 2, из них нет цели: 1; отклонено строк: 1")
    assert "не рассчитано" not in line


def test_explain_says_the_same_of_its_statements(data):
    assert last_line("explain", data, "en") == (
        "4 statement(s) for 2026-07: 2 paid, 2 refused (errors), 2 skipped; "
        "2 data problem(s), 1 of them missing target(s); 1 row(s) rejected")
