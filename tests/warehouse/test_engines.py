"""Evaluation where the data lives: the normative example and the demo in PostgreSQL (a real
server), ClickHouse (chDB) and a DuckDB file give the file path's figures to the kopeck, and bad
rows planted in a table are reported with their key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from warehouse_engines import DATA, ENGINES, ROOT
from warehouse_fixtures import file_reports, postgres_server, tables, warehouse  # noqa: F401 - fixtures

from kpilang.compile import compile_file
from kpilang.data import DataError
from kpilang.evaluate.run import data_needs, evaluate
from kpilang.payouts import render_text
from kpilang.warehouse import open_data_url

COLD_SALES = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"
DEMO_PLANS = sorted((ROOT / "rules").glob("*.kpi"))


def _program(plan: Path):
    return compile_file(plan).program


def _from_engine(program, url: str, period: str) -> dict:
    with open_data_url(url, timezone=program.plan.timezone, needs=data_needs(program)) as data:
        return json.loads(render_text(evaluate(program, data, period), "json", "en"))


def _from_files(program, directory: Path, period: str, cache: dict | None = None) -> dict:
    key = (program.plan.name, str(directory), period)
    if cache is None or key not in cache:
        report = json.loads(render_text(evaluate(program, directory, period), "json", "en"))
        if cache is None:
            return report
        cache[key] = report
    return cache[key]


def _without_files(report: dict) -> dict:
    """The report less what names the files read (the engine reads none)."""
    report = dict(report)
    report.pop("inputs", None)
    report["tables"] = [{k: v for k, v in a.items() if k != "file"} for a in report["tables"]]
    return report


@pytest.mark.parametrize("engine", ENGINES)
def test_the_normative_example_gives_the_file_report_on_every_engine(engine, warehouse, file_reports):
    program = _program(COLD_SALES)
    stored = warehouse(engine, "cold_sales")
    from_engine = _from_engine(program, stored.url, "2026-07")
    from_files = _from_files(program, DATA["cold_sales"], "2026-07", file_reports)
    assert from_files["results"] and all(not r["errors"] for r in from_files["results"])
    assert _without_files(from_engine) == _without_files(from_files)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_demo_gives_the_file_figures_for_every_person_of_every_ready_plan(engine, warehouse, file_reports):
    """The demo's files hold rows no typed column can (a date written 01.07.2026, an amount
    written 152 400,00): the loader rejects them, and the engine holds the clean rows only. Every
    person the file path pays gets the same figures from the engine."""
    stored = warehouse(engine, "demo")
    compared = 0
    for plan in DEMO_PLANS:
        program = _program(plan)
        for period in ("2026-07", "2026-08"):
            from_engine = {r["manager_id"]: r for r in _from_engine(program, stored.url, period)["results"]}
            from_files = {r["manager_id"]: r for r in _from_files(program, DATA["demo"], period, file_reports)["results"]}
            assert set(from_engine) == set(from_files), plan
            for person, expected in from_files.items():
                if expected["errors"]:
                    continue
                compared += 1
                assert from_engine[person] == expected, (plan.name, period, person)
    assert compared > 50


PLANTED = [
    # A second row with an id already used, a negative amount, a person managers does not list,
    # and an empty stage; all closed in July.
    ("d900", "m2", "won", "-5000.00"),
    ("d901", "m99", "won", "1000.00"),
    ("d902", "m3", None, "1000.00"),
]


def _plant(stored) -> None:
    stamp = {"duckdb": "TIMESTAMP '2026-07-15 12:00:00'", "postgres": "TIMESTAMPTZ '2026-07-15 12:00:00+03'",
             "clickhouse": "toDateTime64('2026-07-15 09:00:00', 6, 'UTC')"}[stored.engine]
    rows = [f"('{i}', '{m}', {'NULL' if s is None else repr(s)}, {a}, {stamp}, {stamp})" for i, m, s, a in PLANTED]
    stored.run('INSERT INTO "deals" ("id", "manager_id", "stage", "amount", "created_at", "closed_at") '
               f"SELECT \"id\", \"manager_id\", \"stage\", \"amount\", \"created_at\", \"closed_at\" FROM \"deals\" "
               f"WHERE \"id\" = 'd001'")
    stored.run('INSERT INTO "deals" ("id", "manager_id", "stage", "amount", "created_at", "closed_at") VALUES '
               + ", ".join(rows))


@pytest.mark.parametrize("engine", ENGINES)
def test_bad_rows_planted_in_a_table_are_reported_with_their_key_and_stop_their_peoples_pay(engine, warehouse):
    program = _program(COLD_SALES)
    stored = warehouse(engine, "cold_sales")
    _plant(stored)
    report = _from_engine(program, stored.url, "2026-07")
    found = sorted((p["code"], p["key"], p["column"]) for p in report["data_problems"])
    assert found == [
        ("duplicate_id", "id=d001", "id"),
        ("duplicate_id", "id=d001", "id"),
        ("empty", "id=d902", "stage"),
        ("negative", "id=d900", "amount"),
        ("unknown_manager", "id=d901", "manager_id"),
    ]
    assert all(p["row"] is None and p["file"] == "deals" for p in report["data_problems"])
    duplicate = next(p for p in report["data_problems"] if p["code"] == "duplicate_id")
    assert duplicate["reason"] == "duplicate id d001: 2 rows have it, so none of them is used"
    by_person = {r["manager_id"]: r for r in report["results"]}
    for person in ("m1", "m2", "m3"):
        assert by_person[person]["errors"] and all(v is None for v in by_person[person]["pays"].values()), person
        assert any("the row id=" in e["message"] for e in by_person[person]["errors"])
    from_files = {r["manager_id"]: r for r in _from_files(program, DATA["cold_sales"], "2026-07")["results"]}
    for person, result in by_person.items():
        if person not in ("m1", "m2", "m3"):
            assert result == from_files[person]
    deals = next(a for a in report["tables"] if a["table"] == "deals")
    assert deals["rows_rejected"] == 5 and deals["rows_of_unknown_people"] == 1
    assert deals["rows_read"] == deals["rows_used"] + deals["rows_rejected"]


def test_a_june_row_rejected_does_not_stop_july_pay(warehouse):
    program = _program(COLD_SALES)
    stored = warehouse("duckdb", "cold_sales")
    stored.run('INSERT INTO "deals" ("id", "manager_id", "stage", "amount", "created_at", "closed_at") VALUES '
               "('d950', 'm1', 'won', -1.00, TIMESTAMP '2026-06-10 12:00:00', TIMESTAMP '2026-06-15 12:00:00')")
    report = _from_engine(program, stored.url, "2026-07")
    assert [p["key"] for p in report["data_problems"]] == ["id=d950"]
    assert all(not r["errors"] for r in report["results"])


def test_a_row_without_its_required_date_concerns_every_period(warehouse):
    program = _program(COLD_SALES)
    stored = warehouse("duckdb", "cold_sales")
    stored.run('INSERT INTO "leads" ("id", "manager_id", "created_at") VALUES (\'l950\', \'m1\', NULL)')
    report = _from_engine(program, stored.url, "2026-07")
    assert {r["manager_id"] for r in report["results"] if r["errors"]} == {"m1"}


def test_money_in_binary_floating_point_is_refused_before_anything_is_computed(warehouse):
    program = _program(COLD_SALES)
    stored = warehouse("postgres", "cold_sales")
    stored.run('ALTER TABLE "deals" ALTER COLUMN "amount" TYPE double precision')
    with pytest.raises(DataError) as refused:
        _from_engine(program, stored.url, "2026-07")
    assert [(p.code, p.table, p.column) for p in refused.value.problems] == [("float_column", "deals", "amount")]


def test_a_date_column_stored_as_text_is_refused_with_the_type_to_give_it(warehouse):
    program = _program(COLD_SALES)
    stored = warehouse("postgres", "cold_sales")
    stored.run('ALTER TABLE "leads" ALTER COLUMN "created_at" TYPE text')
    with pytest.raises(DataError) as refused:
        _from_engine(program, stored.url, "2026-07")
    problem = refused.value.problems[0]
    assert (problem.code, problem.column) == ("column_type", "created_at")
    assert "TIMESTAMP, TIMESTAMPTZ" in problem.hint.render("en")


def test_tables_under_other_names_are_read_through_the_urls_mapping(warehouse):
    program = _program(COLD_SALES)
    stored = warehouse("postgres", "cold_sales")
    stored.run('CREATE SCHEMA crm; ALTER TABLE "deals" SET SCHEMA crm; ALTER TABLE crm."deals" RENAME TO sdelki')
    with pytest.raises(DataError) as refused:
        _from_engine(program, stored.url, "2026-07")
    assert [(p.code, p.table) for p in refused.value.problems] == [("missing_table", "deals")]
    mapped = _from_engine(program, stored.url + "&deals=crm.sdelki", "2026-07")
    assert _without_files(mapped) == _without_files(_from_files(program, DATA["cold_sales"], "2026-07"))


# The normative plan's own plan block, with metrics of durations.
DURATIONS_PLAN = COLD_SALES.read_text(encoding="utf-8").split("\nmetric ", 1)[0] + """
metric fast "Replies within 15 minutes" = share(leads where first_response_at - created_at <= 15m)
metric slowest "Slowest reply" = max(leads.first_response_at - leads.created_at)
pay total "Total" = salary
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_a_reply_after_two_hours_is_not_fast_on_any_engine(engine, warehouse, tmp_path):
    """Seconds between two times are exact on every engine; in ClickHouse they once wrapped
    around past 2147 seconds, which made a reply after two hours a fast one."""
    plan = tmp_path / "replies.kpi"
    plan.write_text(DURATIONS_PLAN, encoding="utf-8")
    program = _program(plan)
    stored = warehouse(engine, "cold_sales")
    from_engine = {r["manager_id"]: r["metrics"] for r in _from_engine(program, stored.url, "2026-07")["results"]}
    assert from_engine["m1"] == {"fast": "0.5", "slowest": "7200.000000"}
    from_files = {r["manager_id"]: r["metrics"] for r in _from_files(program, DATA["cold_sales"], "2026-07")["results"]}
    assert from_engine == from_files
