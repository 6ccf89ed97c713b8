"""`kpilang report`: every figure of the page is the one `eval --format json` gives; the counts
add up; the workbook holds the same figures as typed cells; the page is in Russian by default;
with `--as-of-history` each period names the version in force then."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpilang.evaluate.period import PeriodError
from kpilang.report.periods import RangeError, parse_range

from .conftest import eval_json, run
from .figures import expected_figures, page_figures

PERIODS = ["2026-07", "2026-08", "2026-09"]


@pytest.fixture(scope="module")
def page(history, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    code, stdout, err = run(history, "report", "HEAD~1:rules/cold.kpi", "--data", "demo", "--periods",
                            "2026-07..2026-09", "--out", str(out))
    assert stdout == ""
    return code, out.read_text(encoding="utf-8"), err


def test_every_figure_eval_gives_is_on_the_page_with_the_same_value(history, page):
    _, html, _ = page
    shown = page_figures(html)
    expected = expected_figures({p: eval_json(history, "HEAD~1:rules/cold.kpi", p) for p in PERIODS},
                                history / "demo")
    assert len(expected) > 100
    for key, value in expected.items():
        assert key in shown, f"{key} is not on the page"
        assert (None if shown[key] is None else Decimal(shown[key])) == value, key


def test_counts_on_the_page_add_up_to_the_people_paid(page):
    _, html, _ = page
    shown = page_figures(html)
    for period in PERIODS:
        paid = Decimal(shown[f"paid:{period}"])
        buckets = [Decimal(v) for k, v in shown.items() if k.startswith(f"score-bucket:{period}:")]
        assert len(buckets) == 6 and sum(buckets) == paid
        bands = [Decimal(v) for k, v in shown.items() if k.startswith(f"band:{period}:multiplier:")]
        assert sum(bands) == paid  # every paid cold caller's score is looked up in the multiplier once
        assert Decimal(shown[f"problems:{period}"]) >= 0


def test_the_page_is_in_russian_by_default_with_a_text_alternative_for_every_chart(page):
    code, html, err = page
    assert code == 1  # the demo data has rejected rows; the report is still written
    assert '<html lang="ru">' in html and "План и факт по KPI" in html
    assert html.count('role="img"') == html.count("<svg") >= 5
    assert html.count("<desc ") == html.count("<svg")
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "записан" in err


def test_english_on_request(history, tmp_path):
    out = tmp_path / "report.html"
    run(history, "report", "rules/cold.kpi", "--data", "demo", "--periods", "2026-08..2026-09", "--out", str(out),
        "--lang", "en")
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Plan and fact per KPI" in html and "RUB" in html


def test_as_of_history_names_the_version_in_force_each_period(history, tmp_path):
    out = tmp_path / "report.html"
    code, _, err = run(history, "report", "rules/cold.kpi", "--data", "demo", "--periods", "2026-07..2026-09",
                       "--out", str(out), "--as-of-history")
    assert code == 1, err
    html = out.read_text(encoding="utf-8")
    assert "Cold sales plan, in force from July" in html and "Less weight on revenue from August" in html
    shown = page_figures(html)
    july = eval_json(history, "HEAD~1:rules/cold.kpi", "2026-07")
    august = eval_json(history, "HEAD:rules/cold.kpi", "2026-08")
    expected = expected_figures({"2026-07": july, "2026-08": august}, history / "demo")
    for key, value in expected.items():
        assert (None if shown[key] is None else Decimal(shown[key])) == value, key


def test_the_workbook_holds_the_payroll_as_typed_money(history, tmp_path, page):
    from openpyxl import load_workbook

    out = tmp_path / "report.xlsx"
    run(history, "report", "HEAD~1:rules/cold.kpi", "--data", "demo", "--periods", "2026-07..2026-09",
        "--out", str(out), "--format", "xlsx")
    book = load_workbook(out)
    assert book.sheetnames == ["Фонд выплат", "План и факт", "Выплаты", "Команды", "Итоговый KPI", "Ступени",
                               "Близко к ступени", "Проблемы в данных", "Версии плана"]
    shown = page_figures(page[1])
    for row in book["Фонд выплат"].iter_rows(min_row=2, values_only=True):
        period, payroll, fund = row[:3]
        assert Decimal(str(payroll)) == Decimal(shown[f"payroll:{period}"])
        assert Decimal(str(fund)) == Decimal(shown[f"salary-fund:{period}"])
    assert "₽" in book["Фонд выплат"]["B2"].number_format


def test_a_period_before_the_plan_takes_effect_is_refused(history, tmp_path):
    code, _, err = run(history, "report", "HEAD~1:rules/cold.kpi", "--data", "demo", "--periods",
                       "2026-06..2026-07", "--out", str(tmp_path / "r.html"))
    assert code == 2 and "2026-06" in err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("text, labels", [
    ("2026-07..2026-09", ["2026-07", "2026-08", "2026-09"]),
    ("2026-11..2027-02", ["2026-11", "2026-12", "2027-01", "2027-02"]),
    ("2026-Q4..2027-Q1", ["2026-Q4", "2027-Q1"]),
    ("2026-W52..2027-W02", ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]),
    ("2026-07", ["2026-07"]),
])
def test_a_range_holds_every_period_from_first_to_last(text, labels):
    assert [p.label for p in parse_range(text)] == labels


@pytest.mark.parametrize("text", ["2026-09..2026-07", "2026-07..2026-Q3", "2026-01..2040-01"])
def test_a_range_that_cannot_be_meant_is_refused(text):
    with pytest.raises(RangeError):
        parse_range(text)


def test_a_range_of_another_kind_than_the_plan_is_refused():
    with pytest.raises(PeriodError):
        parse_range("2026-Q3..2026-Q4", "month")


def test_a_committed_plan_file_names_its_commit_and_an_edited_one_is_shown_as_given(history, tmp_path):
    out = tmp_path / "report.html"
    run(history, "report", "rules/cold.kpi", "--data", "demo", "--periods", "2026-09", "--out", str(out),
        "--lang", "en")
    assert "Less weight on revenue from August" in out.read_text(encoding="utf-8")
    run(history, "report", "revised.kpi", "--data", "demo", "--periods", "2026-09", "--out", str(out), "--lang", "en")
    html = out.read_text(encoding="utf-8")
    assert "the file as given, not a committed version" in html and "Less weight" not in html
