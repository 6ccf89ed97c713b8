"""Spark SQL on a real engine: the queries `kpilang sql --dialect spark` prints, run by a local Spark
session over the normative example's and the demo's clean tables, give DuckDB's per-person
aggregates to the kopeck. Runs when pyspark (the `spark` extra) and a Java runtime are there."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from warehouse_engines import ROOT
from warehouse_fixtures import tables  # noqa: F401 - fixture

from kpilang.compile import compile_file
from kpilang.warehouse.queries import plan_queries, plan_sources

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -e '.[test,spark]')")
if shutil.which("java") is None:
    pytest.skip("no Java runtime for Spark (Debian: apt-get install default-jre-headless)", allow_module_level=True)

PLANS = {"cold_sales": [ROOT / "examples" / "cold_sales" / "cold_sales.kpi"],
         "demo": sorted((ROOT / "rules").glob("*.kpi"))}
PERIODS = ("2026-07", "2026-08")


@pytest.fixture(scope="module")
def spark() -> Iterator:
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("kpilang-tests")
               .config("spark.sql.session.timeZone", "UTC")  # as `kpilang sql` says to run them
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
               .config("spark.driver.memory", "512m").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _canonical(rows) -> list[tuple]:
    """Rows as comparable values: a Spark Row is a tuple already, a decimal compares by value."""
    return sorted((tuple(row) for row in rows), key=repr)


@pytest.mark.parametrize("data_set", sorted(PLANS))
def test_spark_gives_duckdbs_aggregates_for_every_person(data_set, spark, tables):
    """The clean tables hold UTC times (Parquet written by kpilang's loader): the queries are those
    of `kpilang sql --zoned`, for Spark and for DuckDB, over the same files."""
    local = duckdb.connect()
    for table, clean in tables[data_set].items():
        spark.read.parquet(str(clean.parquet)).createOrReplaceTempView(table)
        local.execute(f"CREATE VIEW \"{table}\" AS SELECT * FROM read_parquet('{clean.parquet}')")
    compared = 0
    for plan in PLANS[data_set]:
        program = compile_file(plan).program
        for period in PERIODS:
            by_dialect = {}
            for dialect in ("spark", "duckdb"):
                sources = plan_sources(program, dialect=dialect, relations={}, has_offset=True)
                by_dialect[dialect] = plan_queries(program, period, dialect=dialect, sources=sources)
            for in_spark, in_duckdb in zip(by_dialect["spark"], by_dialect["duckdb"], strict=True):
                expected = _canonical(local.execute(in_duckdb.sql).fetchall())
                found = _canonical(spark.sql(in_spark.sql).collect())
                assert found == expected, (plan.name, period, in_spark.table)
                compared += len(expected)
    local.close()
    assert compared > 0
