"""`kpilang sql PLAN --period P --dialect duckdb|postgres|clickhouse|spark|bigquery|snowflake`.

Prints the queries that compute the plan's metrics for the period in that engine's SQL, so that a
data team can review them or run them in their own scheduler. Exit status: 0 printed; 2 the job
could not be done (a plan that does not compile, a period that does not fit it).
"""

from __future__ import annotations

import click

from kpilang.cli.common import EXIT_OK, fail, lang_option
from kpilang.messages import language, t
from kpilang.warehouse.dialects import DIALECTS


@click.command("sql")
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("--period", "period", required=True, help="2026-07, 2026-Q3 or 2026-W27; must fit the plan's period.")
@click.option("--dialect", "dialect", type=click.Choice(DIALECTS), required=True,
              help="The engine whose SQL is printed.")
@click.option("--table", "tables", multiple=True, metavar="TABLE=RELATION",
              help="Read a table from a relation of another name, e.g. deals=sales.crm_deals (repeatable).")
@click.option("--zoned", "zoned", is_flag=True, default=False,
              help="The date columns hold instants (a type with a time zone) rather than local times "
                   "in the plan's timezone.")
@lang_option("The language of the comments")
def sql(plan: str, period: str, dialect: str, tables: tuple[str, ...], zoned: bool, lang: str | None) -> None:
    """Print the metric queries of a plan for a period in an engine's SQL."""
    import sys

    from kpilang.cli.run_inputs import load_plan
    from kpilang.evaluate.period import PeriodError, period_for_plan
    from kpilang.warehouse.queries import plan_queries, plan_sources

    lang = language(lang)
    relations = {}
    for given in tables:
        name, sep, where = given.partition("=")
        if not sep or not name or not where:
            fail(t("warehouse.sql.table-form", given=given), t("warehouse.sql.table-form-hint"), lang)
        relations[name] = where
    program = load_plan(plan, verb="computed", lang=lang).program
    try:
        period_for_plan(period, program.plan.period)
    except PeriodError as err:
        fail(err.message, err.hint, lang)
    sources = plan_sources(program, dialect=dialect, relations=relations, has_offset=zoned)
    queries = plan_queries(program, period, dialect=dialect, sources=sources)
    click.echo("-- " + t("warehouse.sql.heading", plan=program.plan.name, period=period, dialect=dialect)
               .render(lang))
    click.echo("-- " + t("warehouse.sql.zoned" if zoned else "warehouse.sql.local", timezone=program.plan.timezone)
               .render(lang))
    if dialect == "spark":
        click.echo("-- " + t("warehouse.sql.spark-session").render(lang))
    for query in queries:
        click.echo("\n-- " + t("warehouse.sql.rowwise" if query.rowwise else "warehouse.sql.grouped",
                               table=query.table).render(lang))
        click.echo(query.sql + ";")
    sys.exit(EXIT_OK)
