"""A run checks the columns it reads: a bad cell in a column no metric, filter, key or join of the
plan uses does not reject its row (it cannot change anyone's pay); `kpilang data check` still
reports it. Keys, manager_id and the date that places a row in a period are always checked."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

import kpilang
from kpilang.cli import main
from kpilang.data import load_data
from kpilang.data.loader import columns_checked
from kpilang.evaluate.run import data_needs
from tests.evaluate.test_run import HEAD

PLAN = HEAD.format(scope="") + """
metric revenue = sum(deals.amount where stage = "won")
kpi revenue_plan = revenue
    target 100000
    weight 100%
pay bonus = salary * kpi_score
"""

MANAGERS = "id,name,role,team,salary\nm1,Анна,cold,north,60000\nm2,Борис,cold,north,50000\n"
HEADER = "id,manager_id,client_id,created_at,closed_at,stage,amount,is_new_client\n"
GOOD = (
    "d1,m1,c1,2026-07-01T10:00:00+03:00,2026-07-10T10:00:00+03:00,won,100000.00,true\n"
    "d2,m2,c2,2026-07-01T10:00:00+03:00,2026-07-11T10:00:00+03:00,won,50000.00,false\n"
)


def make(tmp_path: Path, extra_deals: str) -> tuple[object, Path]:
    (tmp_path / "plan.kpi").write_text(PLAN, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "managers.csv").write_text(MANAGERS, encoding="utf-8")
    (data / "deals.csv").write_text(HEADER + GOOD + extra_deals, encoding="utf-8")
    result = kpilang.load(tmp_path / "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    return result.program, data


def person(report, pid):
    return next(r for r in report.results if r.manager_id == pid)


def data_check(data: Path):
    return CliRunner().invoke(main, ["data", "check", str(data), "--timezone", "Europe/Moscow"])


def test_the_columns_checked_are_those_the_plan_reads_and_the_keys(tmp_path):
    program, _ = make(tmp_path, "")
    needs = data_needs(program)
    assert columns_checked("deals", needs) == {"id", "manager_id", "closed_at", "stage", "amount"}
    # A hand-written need without the keys still gets them, and the date of the period filter.
    assert columns_checked("deals", {"deals": {"amount"}}) == {"id", "manager_id", "closed_at", "amount"}
    assert columns_checked("targets", {"targets": set()}) == {"manager_id", "period", "name"}
    # Every column of managers; everything for `data check`.
    assert columns_checked("managers", needs) is None
    assert columns_checked("deals", None) is None


def test_a_bad_cell_in_an_unread_column_does_not_block_pay_but_data_check_reports_it(tmp_path):
    # created_at and is_new_client are read by no metric of the plan.
    program, data = make(tmp_path, "d3,m1,c3,31.07.2026,2026-07-12T10:00:00+03:00,won,20000.00,maybe\n")
    report = kpilang.evaluate(program, data, "2026-07")
    m1 = person(report, "m1")
    assert m1.ok, m1.errors
    assert m1.metrics["revenue"] == Decimal("120000.00")
    assert report.data_problems == []
    result = data_check(data)
    assert result.exit_code == 1, result.output
    assert "31.07.2026" in result.stderr and "created_at" in result.stderr
    assert "maybe" in result.stderr and "is_new_client" in result.stderr


def test_an_unread_column_is_left_out_of_the_clean_table(tmp_path):
    program, data = make(tmp_path, "")
    with load_data(data, timezone="Europe/Moscow", needs=data_needs(program)) as loaded:
        columns = [row[0] for row in loaded.connection.execute("DESCRIBE deals").fetchall()]
        assert sorted(columns) == ["amount", "closed_at", "id", "manager_id", "stage"]
        # The table's summary still lists every column of the file.
        assert loaded.tables["deals"].columns == HEADER.strip().split(",")


def test_a_bad_cell_in_a_read_column_blocks_exactly_its_person(tmp_path):
    program, data = make(tmp_path, "d3,m1,c3,2026-07-01T10:00:00+03:00,2026-07-12T10:00:00+03:00,won,12 RUB,true\n")
    report = kpilang.evaluate(program, data, "2026-07")
    assert not person(report, "m1").ok
    assert person(report, "m2").ok
    assert [(p.row, p.column, p.manager_ids) for p in report.data_problems] == [(4, "amount", ["m1"])]


def test_a_bad_read_cell_whose_owner_cannot_be_told_blocks_everyone(tmp_path):
    program, data = make(tmp_path, "d3,,c3,2026-07-01T10:00:00+03:00,2026-07-12T10:00:00+03:00,won,12 RUB,true\n")
    report = kpilang.evaluate(program, data, "2026-07")
    assert not person(report, "m1").ok and not person(report, "m2").ok


def test_keys_and_the_period_date_are_checked_even_when_no_metric_names_them(tmp_path):
    rows = ("d1,m2,c3,2026-07-01T10:00:00+03:00,2026-07-12T10:00:00+03:00,won,1.00,true\n"
            "d4,m1,c4,2026-07-01T10:00:00+03:00,12.07.2026,won,1.00,true\n")
    program, data = make(tmp_path, rows)
    report = kpilang.evaluate(program, data, "2026-07")
    found = sorted((p.row, p.column, p.code) for p in report.data_problems)
    assert found == [(4, "id", "duplicate_id"), (5, "closed_at", "datetime_form")]
    assert not person(report, "m1").ok and not person(report, "m2").ok
