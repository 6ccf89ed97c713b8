"""The checks of data.md that read more than a typed cell, run in each engine, report what the
CSV path reports for the same rows: a near-miss manager_id or a person's name in it (that person's
error), a value with spaces around it, an ISO week 53 in a year of 52 weeks, and the stop when
most of a table's rows name nobody in managers."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil

import pytest
from warehouse_engines import DATA, ENGINES, ROOT
from warehouse_fixtures import postgres_server, tables, warehouse  # noqa: F401 - fixtures

from kpilang.compile import compile_file
from kpilang.data import DataError
from kpilang.evaluate.run import data_needs, evaluate
from kpilang.payouts import render_text
from kpilang.warehouse import open_data_url
from kpilang.warehouse.rules import _week_53_missing

COLD_SALES = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"

# (id, manager_id, stage): deals closed on 15 July at noon in Moscow, of 1.00 each.
DEALS = [
    ("d951", " m2", "won"),  # a near miss of m2: spaces around the id
    ("d952", "Борис Петров", "won"),  # m2's name instead of the id
    ("d953", "m3", " won"),  # a stage with a space before it
    ("d954", "M4", "won"),  # a near miss of m4: letter case
    (" d955", "m5", "won"),  # an id with a space: a text like any other, the row is used
]
# (manager_id, period, name, value)
TARGETS = [
    ("m1", " 2026-07", "calls_extra", "5"),  # a period with a space before it
    ("m1", "2025-W53", "calls_w53", "5"),  # 2025 has 52 ISO weeks
    ("m1", "2026-W53", "calls_w53", "5"),  # 2026 has 53
]
STAMP = {"duckdb": "TIMESTAMP '2026-07-15 12:00:00'", "postgres": "TIMESTAMPTZ '2026-07-15 12:00:00+03'",
         "clickhouse": "toDateTime64('2026-07-15 09:00:00', 6, 'UTC')"}
CSV_STAMP = "2026-07-15T12:00:00+03:00"


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _plant_in_engine(stored) -> None:
    stamp = STAMP[stored.engine]
    stored.run('INSERT INTO "deals" ("id", "manager_id", "client_id", "created_at", "closed_at", "stage", "amount", '
               '"is_new_client") VALUES '
               + ", ".join(f"({_sql_text(i)}, {_sql_text(m)}, 'c101', {stamp}, {stamp}, {_sql_text(s)}, 1.00, true)"
                           for i, m, s in DEALS))
    stored.run('INSERT INTO "targets" ("manager_id", "period", "name", "value") VALUES '
               + ", ".join(f"({_sql_text(m)}, {_sql_text(p)}, {_sql_text(n)}, {v})" for m, p, n, v in TARGETS))


def _append_csv(path, rows) -> None:
    with path.open("a", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)


def _plant_in_files(folder) -> None:
    _append_csv(folder / "deals.csv", [(i, m, "c101", CSV_STAMP, CSV_STAMP, s, "1.00", "true") for i, m, s in DEALS])
    _append_csv(folder / "targets.csv", TARGETS)


def _copy_of_example(tmp_path):
    folder = tmp_path / "files"
    shutil.copytree(DATA["cold_sales"], folder)
    return folder


def _report(program, data) -> dict:
    if isinstance(data, str):
        with open_data_url(data, timezone=program.plan.timezone, needs=data_needs(program)) as opened:
            return json.loads(render_text(evaluate(program, opened, "2026-07"), "json", "en"))
    return json.loads(render_text(evaluate(program, data, "2026-07"), "json", "en"))


def _as_said(problem: dict) -> tuple:
    """A problem less where it was found (a file's line, a table's key)."""
    return tuple(sorted((k, json.dumps(v, ensure_ascii=False)) for k, v in problem.items()
                        if k not in ("file", "row", "key", "end_row")))


@pytest.mark.parametrize("engine", ENGINES)
def test_bad_rows_are_reported_and_block_the_people_they_block_in_files(engine, warehouse, tmp_path):
    program = compile_file(COLD_SALES).program
    folder = _copy_of_example(tmp_path)
    _plant_in_files(folder)
    from_files = _report(program, folder)
    stored = warehouse(engine, "cold_sales")
    _plant_in_engine(stored)
    from_engine = _report(program, stored.url)

    codes = sorted((p["code"], p["value"]) for p in from_files["data_problems"])
    assert codes == [("manager_name", "Борис Петров"), ("near_manager_id", " m2"), ("near_manager_id", "M4"),
                     ("no_week_53", "2025-W53"), ("padded", " 2026-07"), ("padded", " won")]
    assert sorted(map(_as_said, from_engine["data_problems"])) == sorted(map(_as_said, from_files["data_problems"]))
    blocked = {r["manager_id"] for r in from_files["results"] if r["errors"]}
    assert blocked == {"m1", "m2", "m3", "m4"}
    assert {r["manager_id"] for r in from_engine["results"] if r["errors"]} == blocked
    by_person = {r["manager_id"]: r for r in from_files["results"]}
    for result in from_engine["results"]:
        if result["manager_id"] not in blocked:
            assert result == by_person[result["manager_id"]]
    deals = {a["table"]: a for a in from_engine["tables"]}["deals"]
    assert (deals["rows_rejected"], deals["rows_of_unknown_people"]) == (4, 0)


def _plant_strangers(count: int):
    """`count` leads of people managers does not list, in files and as SQL rows."""
    return [(f"l9{n:02d}", f"x{n}") for n in range(count)]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_table_of_mostly_unknown_people_stops_the_run_as_for_files(engine, warehouse, tmp_path):
    """The example's 5 leads and 10 of nobody: more than half, and at least 10, name nobody."""
    program = compile_file(COLD_SALES).program
    strangers = _plant_strangers(10)
    folder = _copy_of_example(tmp_path)
    _append_csv(folder / "leads.csv", [(i, m, CSV_STAMP, "", "", "") for i, m in strangers])
    with pytest.raises(DataError) as in_files:
        _report(program, folder)
    stored = warehouse(engine, "cold_sales")
    stored.run('INSERT INTO "leads" ("id", "manager_id", "created_at") VALUES '
               + ", ".join(f"('{i}', '{m}', {STAMP[engine]})" for i, m in strangers))
    with pytest.raises(DataError) as in_engine:
        _report(program, stored.url)
    [expected] = in_files.value.problems
    [found] = in_engine.value.problems
    assert (found.code, found.fatal, found.table, found.column) == ("mostly_unknown_managers", True, "leads", "manager_id")
    assert found.reason.render("en") == expected.reason.render("en") == (
        "10 of 15 rows (67%) name a manager_id that is not in managers (e.g. 'x0', 'x1', 'x2'): more than half, "
        "so this table does not belong with this managers file")


@pytest.mark.parametrize("engine", ENGINES)
def test_nine_rows_of_nobody_are_row_problems_not_a_stop(engine, warehouse):
    program = compile_file(COLD_SALES).program
    stored = warehouse(engine, "cold_sales")
    stored.run('INSERT INTO "leads" ("id", "manager_id", "created_at") VALUES '
               + ", ".join(f"('{i}', '{m}', {STAMP[engine]})" for i, m in _plant_strangers(9)))
    report = _report(program, stored.url)
    leads = {a["table"]: a for a in report["tables"]}["leads"]
    assert (leads["rows_rejected"], leads["rows_of_unknown_people"]) == (9, 9)


def test_the_week_53_rule_knows_every_year_with_53_iso_weeks():
    """Against Python's calendar, for four centuries and more: the rule's arithmetic shares nothing
    with it."""
    import duckdb

    with duckdb.connect() as con:
        years = range(1899, 2402)
        labels = [f"{y}-W53" for y in years]
        missing = con.execute(f"SELECT p, {_week_53_missing('p')} FROM unnest($labels) AS t(p)",
                              {"labels": labels}).fetchall()
    for label, is_missing in missing:
        year = int(label[:4])
        has_53 = dt.date(year, 12, 28).isocalendar()[1] == 53
        assert is_missing is (not has_53), label


@pytest.mark.parametrize("engine", ENGINES)
def test_the_lists_the_checks_found_keep_the_rows_the_subqueries_keep(engine, warehouse, monkeypatch):
    """The metric queries read the repeated keys and the ids of managers as lists found by the
    checks; past the limit of a list, as subqueries. Both keep the same rows: the same figures."""
    program = compile_file(COLD_SALES).program
    stored = warehouse(engine, "cold_sales")
    _plant_in_engine(stored)
    stored.run('INSERT INTO "deals" ("id", "manager_id", "client_id", "created_at", "closed_at", "stage", "amount", '
               '"is_new_client") SELECT "id", "manager_id", "client_id", "created_at", "closed_at", "stage", "amount", '
               '"is_new_client" FROM "deals" WHERE "id" = \'d021\'')
    with_lists = _report(program, stored.url)
    monkeypatch.setattr("kpilang.warehouse.dataset.LISTED_VALUES_MAX", 0)
    with_subqueries = _report(program, stored.url)
    assert with_lists == with_subqueries
    assert sorted(p["key"] for p in with_lists["data_problems"] if p["code"] == "duplicate_id") == ["id=d021"] * 2
    assert {r["manager_id"] for r in with_lists["results"] if r["errors"]} == {"m1", "m2", "m3", "m4"}
