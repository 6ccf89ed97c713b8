"""`eval --format xlsx`: typed cells Russian Excel and 1C read as they are, every kopeck exact in
the file, the plan's labels as headers, empty cells (never zeros) beside an error, and the data
problems and the people not evaluated on sheets of their own."""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from kpilang.cli import main
from kpilang.payouts.people import share
from kpilang.payouts.xlsx import _put_number, excel_money_format

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "cold_sales"
PLAN = EXAMPLE / "cold_sales.kpi"
DEMO = ROOT / "examples" / "demo"
EXPECTED = json.loads((EXAMPLE / "expected.json").read_text(encoding="utf-8"))
NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}

RUB_RU = '#,##0.00" ₽"'
METRICS = ["calls", "meetings", "deals_won", "revenue", "new_clients", "leads_in"]
KPIS = ["revenue_plan", "meeting_rate", "new_clients_kpi"]
PAYS = ["bonus", "commission", "total"]
RU_HEADERS = (["ID сотрудника", "Сотрудник", "Роль", "Команда", "Звонки от 1 минуты", "Проведённые встречи",
               "Выигранные сделки", "Выручка по выигранным сделкам", "Новые клиенты", "Входящие заявки"]
              + [f"{label}: {part}" for label in ("Выполнение плана по выручке", "Конверсия звонок → встреча",
                                                   "Новые клиенты")
                 for part in ("факт", "план", "выполнение", "вклад в балл")]
              + ["Балл KPI", "Премия", "Процент с продаж", "Итого к выплате", "Статус", "Ошибки"])


def _write(tmp_path, *options: str, data: Path = EXAMPLE / "data", code: int = 0) -> Path:
    out = tmp_path / "payouts.xlsx"
    result = CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(data), "--period", "2026-07",
                                       "--format", "xlsx", "--out", str(out), *options])
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    return out


def _stored(path: Path, sheet: int = 1) -> dict[str, tuple[str | None, str | None]]:
    """Each cell of a sheet as the file stores it: its type attribute and its value's text."""
    with zipfile.ZipFile(path) as book:
        root = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{sheet}.xml"))
    cells = {}
    for c in root.iter(f"{{{NS['x']}}}c"):
        v = c.find("x:v", NS)
        text = c.find("x:is/x:t", NS)
        cells[c.get("r")] = (c.get("t"), v.text if v is not None else text.text if text is not None else None)
    return cells


@pytest.fixture(scope="module")
def russian_book(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("ru"), "--lang", "ru")


def test_the_people_sheet_has_the_plans_labels_and_russian_words(russian_book):
    book = openpyxl.load_workbook(russian_book)
    assert book.sheetnames == ["Выплаты", "Проблемы в данных", "Пропущены"]
    sheet = book["Выплаты"]
    assert [c.value for c in sheet[1]] == RU_HEADERS
    assert all(c.font.bold and c.data_type == "s" for c in sheet[1])
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref == "A1:AB5"
    widths = [sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width for i in range(1, 29)]
    assert all(8 <= w <= 62 for w in widths) and widths[7] > widths[2]  # revenue is wider than calls


def test_every_cell_of_the_example_matches_expected_json(russian_book):
    """Each figure's type, number format and stored text against expected.json's exact decimals."""
    sheet = openpyxl.load_workbook(russian_book)["Выплаты"]
    stored = _stored(russian_book)
    people = {p["manager_id"]: p for p in EXPECTED["results"]}
    managers = {"m1": ("Анна Иванова", "north"), "m2": ("Борис Петров", "north"), "m3": ("Вера Смирнова", "south"),
                "m4": ("Глеб Кузнецов", "south")}
    assert [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)] == ["m1", "m2", "m3", "m4"]
    for row in sheet.iter_rows(min_row=2):
        expected = people[row[0].value]
        name, team = managers[row[0].value]
        assert [c.value for c in row[:4]] == [row[0].value, name, "cold", team]
        assert all(c.data_type == "s" for c in row[:4])
        figures = ([(expected["metrics"][m], "money" if m == "revenue" else "count") for m in METRICS]
                   + [x for k in KPIS for x in _kpi_cells(k, expected["kpis"][k])]
                   + [(expected["kpi_score"], "share")]
                   + [(expected["pays"][p], "money") for p in PAYS])
        for cell, (exact, kind) in zip(row[4:26], figures, strict=True):
            t, text = stored[cell.coordinate]
            assert t == "n" and cell.data_type == "n", cell.coordinate
            if kind == "share":
                assert cell.number_format == "0.0%"
                assert Decimal(text) == share(Decimal(exact)) and text == format(share(Decimal(exact)), "f")
            else:
                assert text == exact, cell.coordinate  # the exact decimal, no float on the way
                assert cell.number_format == {"money": RUB_RU, "count": "#,##0", "number": "General"}[kind]
        assert row[26].value == "ок" and row[27].value is None


def _kpi_cells(name: str, kpi: dict) -> list[tuple[str, str]]:
    unit = {"revenue_plan": "money", "meeting_rate": "number", "new_clients_kpi": "count"}[name]
    return [(kpi["value"], unit), (kpi["target"], unit), (kpi["attainment"], "share"), (kpi["contribution"], "share")]


def test_english_headers_and_sheet_names(tmp_path):
    book = openpyxl.load_workbook(_write(tmp_path, "--lang", "en"))
    assert book.sheetnames == ["Payouts", "Data problems", "Not evaluated"]
    headers = [c.value for c in book["Payouts"][1]]
    assert headers[:4] == ["ID", "Name", "Role", "Team"] and headers[-2:] == ["Status", "Errors"]
    assert "Выполнение плана по выручке: attainment" in headers and "Итого к выплате" in headers
    assert book["Payouts"]["X2"].number_format == '"RUB "#,##0.00'


def test_a_person_with_an_error_has_empty_figures_and_the_error_text(tmp_path):
    path = _write(tmp_path, "--lang", "ru", data=DEMO, code=1)
    report = json.loads(CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(DEMO), "--period", "2026-07",
                                                  "--format", "json", "--lang", "ru"]).stdout)
    sheet = openpyxl.load_workbook(path)["Выплаты"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    failed = [p for p in report["results"] if p["errors"]]
    assert {p["manager_id"] for p in failed} == {"m0007", "m0011"}
    for person in failed:
        row = rows[person["manager_id"]]
        assert all(c.value is None for c in row[4:-2]), "a figure that could not be computed is empty, not 0"
        assert row[-2].value == "ошибок: 1"
        assert row[-1].value == "; ".join(e["message"] for e in person["errors"])
        assert "данные отклонены" in row[-1].value
    paid = rows["m0001"]
    assert paid[-1].value is None and all(c.value is not None for c in paid[4:-2])


def test_data_problems_and_people_not_evaluated_have_their_sheets(tmp_path):
    path = _write(tmp_path, data=DEMO, code=1)
    report = json.loads(CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(DEMO), "--period", "2026-07",
                                                  "--format", "json"]).stdout)
    book = openpyxl.load_workbook(path)
    problems = book["Data problems"]
    assert [c.value for c in problems[1]] == ["Table", "File", "Row", "Column", "Value", "Reason", "What to do",
                                              "Concerns"]
    rows = [[c.value for c in row] for row in problems.iter_rows(min_row=2)]
    assert rows == [[p["table"], p["file"], p["row"], p["column"], p["value"], p["reason"], p["hint"],
                     ", ".join(p["manager_ids"]) or None] for p in report["data_problems"]]
    rows_column = [problems.cell(row=r, column=3) for r in range(2, problems.max_row + 1)]
    assert all(c.data_type == "n" and c.number_format == "General" for c in rows_column)
    skipped = book["Not evaluated"]
    assert [[c.value for c in row] for row in skipped.iter_rows(min_row=2)] == [
        [s["manager_id"], _name(s["manager_id"]), s["reason"]] for s in report["skipped"]]
    assert problems.auto_filter.ref == "A1:H6" and skipped.freeze_panes == "A2"


def _name(manager_id: str) -> str:
    for line in (DEMO / "managers.csv").read_text(encoding="utf-8").splitlines()[1:]:
        fields = line.split(",")
        if fields[0] == manager_id:
            return fields[1]
    raise AssertionError(manager_id)


def test_xlsx_needs_out_and_never_goes_to_a_terminal():
    result = CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(EXAMPLE / "data"), "--period", "2026-07",
                                       "--format", "xlsx"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "--out" in result.stderr


def _stored_number(value: Decimal, kind: str = "money") -> tuple[str | None, str | None]:
    book = openpyxl.Workbook()
    _put_number(book.active["A1"], value, kind, RUB_RU)
    buffer = io.BytesIO()
    book.save(buffer)
    return _stored(buffer)["A1"]  # type: ignore[arg-type]


def test_a_decimal_is_stored_as_written_not_as_its_float():
    # openpyxl's own "%.16g" of the float would store 8.890000000000001
    assert _stored_number(Decimal("8.89")) == ("n", "8.89")
    assert _stored_number(Decimal("-1500.00")) == ("n", "-1500.00")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**15 + 1, max_value=10**15 - 1))
def test_every_kopeck_amount_excel_can_hold_is_stored_exactly(kopecks):
    amount = Decimal(kopecks).scaleb(-2)
    t, text = _stored_number(amount)
    assert t == "n" and Decimal(text) == amount and text == format(amount, "f")


def test_money_beyond_excels_fifteen_digits_is_text_with_every_digit():
    assert _stored_number(Decimal("12345678901234567.89")) == ("inlineStr", "12345678901234567.89")
    assert _stored_number(Decimal("1E+20")) == ("n", "100000000000000000000")  # one digit: exact as a number


def test_money_formats_follow_the_language_and_the_currency():
    assert excel_money_format("RUB", "ru") == RUB_RU
    assert excel_money_format("RUB", "en") == '"RUB "#,##0.00'
    assert excel_money_format("USD", "en") == '"$"#,##0.00'
    assert excel_money_format("JPY", "ru") == '#,##0" ¥"'
    assert re.fullmatch(r'#,##0\.000" .+"', excel_money_format("KWD", "ru"))


def test_a_control_character_in_a_name_does_not_stop_the_workbook(tmp_path):
    """XML cannot hold U+0001: openpyxl refuses such a text; the cell shows U+FFFD in its place."""
    from tests.normative_managers import normative_data_with

    data = normative_data_with(tmp_path / "data", names={"m1": "Анна\x01Иванова"})
    sheet = openpyxl.load_workbook(_write(tmp_path, data=data))["Payouts"]
    assert sheet["B2"].value == "Анна\ufffdИванова" and sheet["A2"].value == "m1"


def test_a_missing_target_empties_only_the_figures_it_reaches(tmp_path):
    """m2 has no revenue target: the KPI's target and attainment, the score, the bonus and the
    total are empty cells beside the error; the metrics and the commission stay numbers."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(EXAMPLE / "data", data)
    targets = data / "targets.csv"
    targets.write_text("".join(line for line in targets.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith("m2,")), encoding="utf-8")
    sheet = openpyxl.load_workbook(_write(tmp_path, data=data, code=1))["Payouts"]
    headers = [c.value for c in sheet[1]]
    m2 = {h: c for h, c in zip(headers, next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "m2"))}
    for empty in ("Выполнение плана по выручке: target", "Выполнение плана по выручке: attainment", "KPI score",
                  "Премия", "Итого к выплате"):
        assert m2[empty].value is None, empty
    assert m2["Процент с продаж"].value == 12800 and m2["Выручка по выигранным сделкам"].value == 640000
    assert m2["Status"].value == "1 error" or m2["Status"].value.endswith("errors")
    assert m2["Errors"].value and "target" in m2["Errors"].value
