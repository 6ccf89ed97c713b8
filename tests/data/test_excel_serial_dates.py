"""A date column holding Excel's serial number of a day (46204, or 46204.5 for noon) is what Excel
writes for a date cell formatted as a number: the problem says a number was found where a date was
expected, and how to format the column in Excel, instead of only "not ISO 8601"."""

from __future__ import annotations

from openpyxl import Workbook

from kpilang.data import load_data

from .conftest import only, write

DEALS = "id,manager_id,created_at,stage\n"


def test_an_excel_serial_number_in_a_csv_date_column_says_a_number_where_a_date_was_expected(load):
    data = load({"deals.csv": DEALS + "d1,m1,46204,won\nd2,m1,46204.5,won\nd3,m1,20260701,won\n"})
    for row in (2, 3):
        problem = only(data.problems, row=row, column="created_at")
        assert problem.code == "serial_date"
        assert str(problem.reason).startswith("a number where a date was expected")
        assert "format the column as a date in Excel" in str(problem.hint)
        assert problem.reason.render("ru").startswith("число там, где ожидается дата")
    # Eight digits are no day serial (that would be past the year 9999): just not ISO 8601.
    assert only(data.problems, row=4, column="created_at").code == "datetime_form"


def test_a_number_cell_in_an_xlsx_date_column_says_a_number_where_a_date_was_expected(tmp_path):
    directory = write(tmp_path, {})
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "manager_id", "created_at", "stage"])
    sheet.append(["d1", "m1", 46204, "won"])
    book.save(directory / "deals.xlsx")
    data = load_data(directory, timezone="UTC")
    try:
        assert only(data.problems, row=2, column="created_at").code == "serial_date"
    finally:
        data.close()
