"""`kpilang eval`'s table: what a head of sales scans, whole, at any width; data rows located as
file:row; the same summary line as `kpilang explain`."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

import kpilang
from kpilang.cli import main
from kpilang.payouts.table import choose_layout, render_table
from kpilang.evaluate.run import evaluate

ROOT = Path(__file__).resolve().parents[2]
# A narrow terminal: too narrow for the KPI columns; the demo's grouped money (230,890.00) needs
# 82 columns with names wrapped to NAME_MIN_WIDTH.
NARROW = 84
PLAN = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"
DEMO = ROOT / "examples" / "demo"


@pytest.fixture(scope="module")
def report():
    return evaluate(kpilang.load(PLAN).program, DEMO, "2026-07")


def drawn(report, width, *, wide=False):
    console = Console(width=width, force_terminal=True, color_system=None, record=True)
    render_table(report, console, choose_layout(report, width, wide=wide))
    return console.export_text()


def test_a_narrow_terminal_keeps_ids_money_and_status_whole(report):
    text = drawn(report, NARROW)
    assert "…" not in text
    header = next(line for line in text.splitlines() if "manager" in line)
    assert "revenue_plan" not in header and "kpi_score" in header and "total" in header and "status" in header
    assert all(len(line) <= NARROW for line in text.splitlines()[:16])
    m1 = next(line for line in text.splitlines() if "m0001" in line)
    assert "149.2%" in m1 and "230,890.00" in m1 and m1.rstrip().endswith("│ ok      │")


def test_a_wide_terminal_or_wide_flag_shows_each_kpi(report):
    assert "revenue_plan" in drawn(report, 200)
    assert "revenue_plan" in choose_layout(report, 80, wide=True).headers


def test_numbers_are_right_aligned(report):
    m4 = next(line for line in drawn(report, 200).splitlines() if "m0004" in line)
    cells = [c for c in m4.split("│")[1:-1]]
    assert cells[2].endswith("36.1% ") and cells[2].startswith(" ")


def test_in_a_pipe_the_table_is_as_wide_as_its_content():
    result = CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(DEMO), "--period", "2026-07"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "revenue_plan" in lines[2] and "…" not in result.stdout
    widths = {len(line) for line in lines if line[:1] in "┏┃┡│└"}
    assert len(widths) == 1 and widths.pop() > 80


def test_a_rejected_data_row_is_located_as_file_and_row():
    result = CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(DEMO), "--period", "2026-07"])
    assert f"({DEMO}/activities.csv:202)" in result.stdout
    assert "(column started_at)" in result.stdout
    assert ":202:0" not in result.stdout + result.stderr
    as_json = CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(DEMO), "--period", "2026-07",
                                        "--format", "json"])
    assert f"error: m0007: data: row 202 of activities.csv was rejected" in as_json.stderr
    assert f"({DEMO}/activities.csv:202)\n" in as_json.stderr


def test_eval_and_explain_end_with_the_same_summary_shape():
    args = [str(PLAN), "--data", str(DEMO), "--period", "2026-07"]
    evaluated = CliRunner().invoke(main, ["eval", *args, "--format", "csv"]).stderr.splitlines()[-1]
    explained = CliRunner().invoke(main, ["explain", *args, "--lang", "en"]).stderr.splitlines()[-1]
    assert evaluated == ("10 person(s) evaluated for 2026-07: 8 paid, 2 refused (errors), 30 skipped; 5 data problem(s), "
                         "0 of them missing target(s); 5 row(s) rejected")
    assert explained == ("10 statement(s) for 2026-07: 8 paid, 2 refused (errors), 30 skipped; 5 data problem(s), "
                         "0 of them missing target(s); 5 row(s) rejected")


def test_explain_refuses_bad_data_in_the_same_words_as_eval(tmp_path):
    (tmp_path / "data").mkdir()
    args = [str(PLAN), "--data", str(tmp_path / "data"), "--period", "2026-07"]
    for lang, computed, explained_ in (("en", "nothing was computed", "nothing was explained"),
                                       ("ru", "ничего не рассчитано", "выписки не составлены")):
        evaluated = CliRunner().invoke(main, ["eval", *args, "--lang", lang])
        explained = CliRunner().invoke(main, ["explain", *args, "--lang", lang])
        assert evaluated.exit_code == explained.exit_code == 2
        assert evaluated.stderr.replace(computed, explained_) == explained.stderr


def _demo_with_target(tmp_path, period: str, value: str) -> tuple[Path, int]:
    """The demo data with m0001's new_clients target row for 2026-08 rewritten; its line."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    lines = (data / "targets.csv").read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("m0001,2026-08,new_clients,"))
    lines[row] = f"m0001,{period},new_clients,{value}"
    (data / "targets.csv").write_text("\n".join(lines), encoding="utf-8")
    return data, row + 1


def test_a_rejected_target_row_of_another_period_touches_only_that_period(tmp_path):
    data, line = _demo_with_target(tmp_path, "2026-08", "три")
    july = CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(data), "--period", "2026-07",
                                     "--format", "json"])
    assert july.exit_code == 1  # the rejected row is still reported
    assert f"targets, file {data / 'targets.csv'}, row {line}, column value" in july.stderr
    assert "error: m0001:" not in july.stderr
    assert "period is not known" not in july.stderr
    august = CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(data), "--period", "2026-08",
                                       "--format", "json"])
    assert f"error: m0001: data: row {line} of targets.csv was rejected" in august.stderr


def test_a_rejected_target_row_without_a_readable_period_counts_in_every_period(tmp_path):
    data, line = _demo_with_target(tmp_path, "2026-8", "три")
    result = CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(data), "--period", "2026-07",
                                       "--format", "csv"])
    assert result.exit_code == 1
    assert f"error: m0001: data: row {line} of targets.csv was rejected" in result.stderr
    assert "= note: the rejected row's period is not known" in result.stderr


def test_percents_are_rounded_half_up_for_display_only():
    from decimal import Decimal

    from kpilang.payouts.table import percent

    assert percent(Decimal("0.0005")) == "0.1%"       # half-up, not to even
    assert percent(Decimal("1.1500005")) == "115.0%"
    assert percent(Decimal("0.0015")) == "0.2%"
    assert percent(None) == "—"


def test_people_other_plans_pay_are_listed_once_per_reason(report):
    lines = [line for line in drawn(report, 120).splitlines() if line.startswith("skipped")]
    assert lines[0] == "skipped (role head is not in this plan): h01, h02, h03"
    assert len(lines) == len({s.reason for s in report.skipped})


def test_a_name_wraps_whole_rather_than_being_cut(report):
    text = drawn(report, NARROW)
    assert "Анастаси" in text and "Макарова" in text and "…" not in text
