"""`kpilang sql`: the plan's metric queries in each engine's SQL, parsed back in that dialect."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import sqlglot
from click.testing import CliRunner
from sqlglot import exp

from kpilang.cli import main
from kpilang.compile import compile_file
from kpilang.warehouse.dialects import DIALECTS, literal
from kpilang.warehouse.queries import plan_queries, plan_sources

ROOT = Path(__file__).resolve().parents[2]
COLD_SALES = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"
ONLINE_CHATS = ROOT / "rules" / "online_chats.kpi"

# The normative plan's own plan block in another timezone, with aggregates of every kind.
EXACT_PLAN = COLD_SALES.read_text(encoding="utf-8").split("\nmetric ", 1)[0].replace(
    "Europe/Moscow", "Asia/Vladivostok") + '''
metric big "Big deals" = sum(deals.amount where amount >= 1234.56)
metric middle "Median deal" = median(deals.amount where stage = "won")
metric reply "Reply" = avg(leads.first_response_at - leads.created_at)
metric half "Half" = sum(deals.amount / 2)
pay total "Total" = salary + 1% * big
'''


def _exact():
    result = compile_file("exact.kpi", EXACT_PLAN)
    assert result.program is not None, result.diagnostics
    return result.program


def _sql(args: list[str]):
    return CliRunner().invoke(main, ["sql", *args], catch_exceptions=False)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_query_of_the_normative_plan_parses_back_in_its_dialect(dialect):
    result = _sql([str(COLD_SALES), "--period", "2026-07", "--dialect", dialect])
    assert result.exit_code == 0, result.output
    queries = [q for q in result.stdout.split("\n") if q.startswith("SELECT")]
    assert len(queries) == 3  # activities, deals, leads
    for query in queries:
        tree = sqlglot.parse_one(query.rstrip(";"), read=dialect)
        assert isinstance(tree, exp.Select)
        assert tree.find(exp.Group) is not None


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_plan_with_median_average_of_durations_and_a_division_parses_back(dialect):
    program = _exact()
    sources = plan_sources(program, dialect=dialect, relations={}, has_offset=False)
    queries = plan_queries(program, "2026-07", dialect=dialect, sources=sources)
    assert [q.rowwise for q in queries] == [False, True, False]
    for query in queries:
        sqlglot.parse_one(query.sql, read=dialect)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_money_literals_are_exact_decimals_never_float_literals(dialect):
    program = _exact()
    sources = plan_sources(program, dialect=dialect, relations={}, has_offset=False)
    deals = plan_queries(program, "2026-07", dialect=dialect, sources=sources)[0].sql
    tree = sqlglot.parse_one(deals, read=dialect)
    numbers = [lit.this for lit in tree.find_all(exp.Literal) if not lit.is_string]
    assert not [n for n in numbers if "." in n and n != "0.5"], numbers  # 0.5: the median's level
    assert "'1234.56'" in deals


def test_a_decimal_literal_keeps_every_digit():
    cast = literal(Decimal("12345678901234567890.123456789012345678"), "postgres")
    assert cast.sql(dialect="postgres") == "CAST('12345678901234567890.123456789012345678' AS DECIMAL(38, 18))"


@pytest.mark.parametrize(("dialect", "conversion"), [
    ("duckdb", "TIMEZONE('UTC', TIMEZONE('Asia/Vladivostok', \"closed_at\"))"),
    ("postgres", "AT TIME ZONE 'Asia/Vladivostok') AT TIME ZONE 'UTC'"),
    ("clickhouse", "toDateTime64(toString(\"closed_at\"), 6, 'Asia/Vladivostok')"),
    ("spark", "TO_UTC_TIMESTAMP(CAST(`closed_at` AS TIMESTAMP), 'Asia/Vladivostok')"),
    ("bigquery", "TIMESTAMP(`closed_at`, 'Asia/Vladivostok')"),
    ("snowflake", "CONVERT_TIMEZONE('Asia/Vladivostok', 'UTC', \"closed_at\")"),
])
def test_the_plans_timezone_is_applied_with_the_engines_own_functions(dialect, conversion):
    program = _exact()
    sources = plan_sources(program, dialect=dialect, relations={}, has_offset=False)
    assert conversion in plan_queries(program, "2026-07", dialect=dialect, sources=sources)[0].sql


def test_instants_are_converted_from_their_zone_with_zoned():
    result = _sql([str(COLD_SALES), "--period", "2026-07", "--dialect", "postgres", "--zoned"])
    assert '("closed_at" AT TIME ZONE \'UTC\')' in result.stdout
    assert "Europe/Moscow')" not in result.stdout


def test_a_mapped_table_is_read_from_its_relation():
    result = _sql([str(COLD_SALES), "--period", "2026-07", "--dialect", "postgres",
                   "--table", "deals=sales.crm_deals"])
    assert 'FROM "sales"."crm_deals"' in result.stdout
    assert 'FROM "deals"' not in result.stdout


def test_a_table_option_without_a_relation_is_refused():
    result = _sql([str(COLD_SALES), "--period", "2026-07", "--dialect", "postgres", "--table", "deals"])
    assert result.exit_code == 2
    assert "TABLE=RELATION" in result.stderr


def test_a_period_that_does_not_fit_the_plan_is_refused():
    result = _sql([str(COLD_SALES), "--period", "2026-Q3", "--dialect", "postgres"])
    assert result.exit_code == 2
    assert "SELECT" not in result.stdout


def test_the_comments_speak_russian_with_lang_ru():
    result = _sql([str(COLD_SALES), "--period", "2026-07", "--dialect", "spark", "--lang", "ru"])
    assert "-- kpilang sql: план cold_sales, период 2026-07, spark" in result.stdout
    assert "SET TIME ZONE 'UTC'" in result.stdout
