"""A CRM's table in a database, read through a source mapping (`--source FILE --data URL`): its
columns renamed, ids prefixed, constants and the zone of local times applied in the engine, with
the figures of the file path; what only kpilang's own reading could do is refused naming the key."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from warehouse_engines import DATA, ENGINES, ROOT
from warehouse_fixtures import file_reports, postgres_server, tables, warehouse  # noqa: F401 - fixtures

from kpilang.cli import main
from kpilang.compile import compile_file
from kpilang.data import DataError
from kpilang.evaluate.run import data_needs, evaluate
from kpilang.payouts import render_text
from kpilang.sources.source import MappedSource
from kpilang.warehouse import open_data_url

COLD_SALES = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"

# The deals and leads of the example as a Bitrix24-like CRM keeps them: its own column names, deal
# ids without their letter, the closing time in a type without a time zone.
CRM_DEALS = ('SELECT substr("id", 2) AS "ID", "manager_id" AS "ASSIGNED_BY_ID", "client_id" AS "COMPANY_ID", '
             '"created_at" AS "DATE_CREATE", {closed} AS "CLOSEDATE", "stage" AS "STAGE", "amount" AS "OPPORTUNITY", '
             '"is_new_client" AS "IS_NEW" FROM "deals"')
CRM_LEADS = ('SELECT "id" AS "ID", "manager_id" AS "ASSIGNED_BY_ID", "created_at" AS "DATE_CREATE", '
             '"first_response_at" AS "FIRST_RESPONSE", "status" AS "STATUS" FROM "leads"')

MAPPING = """
format = 1
name = "crm-in-a-database"

[tables.deals]
files = ["crm.deal.list.jsonl"]

[tables.deals.columns]
id = {{ column = "ID", prefix = "d" }}
manager_id = {{ column = "ASSIGNED_BY_ID", person = "id" }}
client_id = "COMPANY_ID"
created_at = {{ column = "DATE_CREATE", date = "iso" }}
closed_at = {{ column = "CLOSEDATE", date = "iso"{zone} }}
stage = "STAGE"
amount = {{ column = ["AMOUNT", "OPPORTUNITY"], number = "plain" }}
is_new_client = "IS_NEW"
lead_id = {{ column = "LEAD_ID", optional = true }}

[tables.leads]
files = ["crm.lead.list.jsonl"]

[tables.leads.columns]
id = "ID"
manager_id = "ASSIGNED_BY_ID"
created_at = "DATE_CREATE"
first_response_at = "FIRST_RESPONSE"
status = "STATUS"
source = {{ value = "site" }}
"""


def _create_as(engine: str, name: str, select: str) -> str:
    if engine == "clickhouse":
        return f'CREATE TABLE "{name}" ENGINE = MergeTree ORDER BY tuple() AS {select}'
    return f'CREATE TABLE "{name}" AS {select}'


def _with_tables(url: str, **relations: str) -> str:
    return url + ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in relations.items())


def _crm_tables(stored, closed: str = '"closed_at"') -> str:
    stored.run(_create_as(stored.engine, "crm_deal", CRM_DEALS.format(closed=closed)))
    stored.run(_create_as(stored.engine, "crm_lead", CRM_LEADS))
    return _with_tables(stored.url, deals="crm_deal", leads="crm_lead")


def _mapping(tmp_path, zone: str = "") -> MappedSource:
    path = tmp_path / "crm.toml"
    path.write_text(MAPPING.format(zone=zone), encoding="utf-8")
    return MappedSource.named(str(path))


def _report(program, url: str, mapper, period: str = "2026-07") -> dict:
    with open_data_url(url, timezone=program.plan.timezone, needs=data_needs(program), mapper=mapper) as data:
        return json.loads(render_text(evaluate(program, data, period), "json", "en"))


def _figures(report: dict) -> dict:
    return {r["manager_id"]: r for r in report["results"]}


def _from_files(program, cache: dict) -> dict:
    key = (program.plan.name, "cold_sales", "2026-07")
    if key not in cache:
        cache[key] = json.loads(render_text(evaluate(program, DATA["cold_sales"], "2026-07"), "json", "en"))
    return cache[key]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_crm_shaped_table_read_through_a_mapping_gives_the_file_figures(engine, warehouse, tmp_path, file_reports):
    program = compile_file(COLD_SALES).program
    stored = warehouse(engine, "cold_sales")
    url = _crm_tables(stored)
    report = _report(program, url, _mapping(tmp_path))
    expected = _from_files(program, file_reports)
    assert _figures(report) == _figures(expected)
    assert report["data_problems"] == []
    deals = next(t for t in report["tables"] if t["table"] == "deals")
    assert (deals["file"], deals["rows_read"], deals["rows_used"]) == ("crm_deal", 21, 21)


def test_the_mappings_constant_and_prefix_are_the_values_the_engine_gives(warehouse, tmp_path):
    program = compile_file(COLD_SALES).program
    stored = warehouse("postgres", "cold_sales")
    url = _crm_tables(stored)
    needs = {**data_needs(program), "leads": {*data_needs(program).get("leads", set()), "source"}}
    with open_data_url(url, timezone=program.plan.timezone, needs=needs, mapper=_mapping(tmp_path)) as data:
        sources = data.connection.execute('SELECT DISTINCT "source" FROM "leads"').fetchall()
        ids = data.connection.execute('SELECT min("id"), max("id"), count(*) FROM "deals"').fetchall()
    assert sources == [("site",)]
    assert ids == [("d001", "d021", 21)]


def test_local_times_are_read_in_the_zone_the_mapping_gives(warehouse, tmp_path, file_reports):
    """CLOSEDATE holds UTC wall-clock times (a type without a time zone). Read in the plan's zone,
    deal d010, closed at 00:10 on 1 August in Moscow (21:10 UTC on 31 July), would be July's."""
    program = compile_file(COLD_SALES).program
    stored = warehouse("postgres", "cold_sales")
    url = _crm_tables(stored, closed="(\"closed_at\" AT TIME ZONE 'UTC')")
    in_utc = _figures(_report(program, url, _mapping(tmp_path, zone=', timezone = "UTC"')))
    assert in_utc == _figures(_from_files(program, file_reports))
    in_plan_zone = _figures(_report(program, url, _mapping(tmp_path)))
    assert in_plan_zone["m1"]["metrics"] != in_utc["m1"]["metrics"]


def test_the_cli_reads_a_database_through_source(warehouse, tmp_path, file_reports):
    program = compile_file(COLD_SALES).program
    stored = warehouse("duckdb", "cold_sales")
    url = _crm_tables(stored)
    path = tmp_path / "crm.toml"
    path.write_text(MAPPING.format(zone=""), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(COLD_SALES), "--data", url, "--source", str(path),
                                       "--period", "2026-07", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert _figures(json.loads(result.stdout)) == _figures(_from_files(program, file_reports))


REFUSED = [
    ('stage = { column = "STAGE", map = "stages" }\n', "tables.deals.columns.stage.map", "a value map"),
    ('manager_id = { column = "ASSIGNED_BY_ID", person = "crm_id" }\n', "tables.deals.columns.manager_id.person",
     "people found by a column other than their id"),
    ('is_new_client = { column = "IS_NEW", boolean = ["Y", "N"] }\n', "tables.deals.columns.is_new_client.boolean",
     "yes/no texts"),
]


@pytest.mark.parametrize(("rule", "key", "what"), REFUSED)
def test_what_needs_kpilangs_own_reading_of_each_value_is_refused_naming_the_key(rule, key, what, warehouse,
                                                                                  tmp_path):
    program = compile_file(COLD_SALES).program
    stored = warehouse("duckdb", "cold_sales")
    url = _crm_tables(stored)
    # The rule replaces the column's line in deals, the first table of the mapping.
    column = rule.split(" = ", 1)[0]
    head, tail = MAPPING.format(zone="").split("\n" + column + " = ", 1)
    text = head + "\n" + rule + tail.split("\n", 1)[1]
    text += '\n[maps.stages]\nwon = "won"\n'
    path = tmp_path / "refused.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as refused:
        _report(program, url, MappedSource.named(str(path)))
    [problem] = refused.value.problems
    assert (problem.code, problem.column, problem.file) == ("mapping", key, str(path))
    assert problem.reason.render("en") == (
        f"the mapping's {key} ({what}) cannot be done inside the database exactly: there a mapping renames "
        "columns, gives constants and prefixes, and reads local times in its zone")


def test_a_preset_whose_deals_come_in_two_parts_is_refused_for_a_database(warehouse):
    program = compile_file(COLD_SALES).program
    stored = warehouse("duckdb", "cold_sales")
    with pytest.raises(DataError) as refused:
        _report(program, stored.url, MappedSource.named("bitrix24"))
    keys = {p.column for p in refused.value.problems}
    assert "tables.deals" in keys


def test_a_column_the_table_lacks_is_named_with_the_columns_it_has(warehouse, tmp_path):
    program = compile_file(COLD_SALES).program
    stored = warehouse("duckdb", "cold_sales")
    url = _crm_tables(stored)
    path = tmp_path / "crm.toml"
    path.write_text(MAPPING.format(zone="").replace('stage = "STAGE"', 'stage = "STAGE_ID"'), encoding="utf-8")
    with pytest.raises(DataError) as refused:
        _report(program, url, MappedSource.named(str(path)))
    [problem] = refused.value.problems
    assert (problem.code, problem.column, problem.file) == ("missing_column", "stage", "crm_deal")
    assert "STAGE" in problem.hint.render("en")
