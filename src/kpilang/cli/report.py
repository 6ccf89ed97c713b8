"""`kpilang report PLAN --data DATA --periods A..B --out FILE [--format html|xlsx] [--lang ru|en]
[--as-of-history] [--source ...]`: the head of sales' page over several periods.

Exit status: 0 every figure of every period computed from clean data; 1 someone's pay could not
be computed in a period, or data rows were rejected (the report is still written, and says so);
2 the job could not be done (usage error, a plan that cannot be read or does not compile, a range
that cannot be read, a period with no version in force, unusable data, a file that cannot be
written).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kpilang.cli.common import EXIT_OK, EXIT_PROBLEMS, cache_option, fail, source_option, table_cache
from kpilang.cli.plan_runs import as_of_history_option
from kpilang.messages import t


@click.command("report")
@click.argument("plan")
@click.option("--data", "data", required=True, type=click.Path(), help="The data directory (see the data format).")
@click.option("--periods", "periods", required=True, metavar="A..B",
              help="The periods to report on: 2026-07..2026-09, or one period.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The file to write: one self-contained HTML page, or a workbook.")
@click.option("--format", "fmt", type=click.Choice(["html", "xlsx"]), default="html", show_default=True,
              help="One HTML page with charts, or an Excel workbook with the same content as typed sheets.")
@click.option("--lang", "lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True,
              help="The report's language (numbers, money and dates follow it), and that of the messages.")
@source_option()
@as_of_history_option()
@cache_option()
def report(plan: str, data: str, periods: str, out: str, fmt: str, lang: str, source: str | None,
           as_of_history: bool, no_cache: bool) -> None:
    """The head of sales' view of several periods: plan vs fact per KPI for each person and team,
    how scores spread, how many sit in each band, payroll next to the salary fund, who is within
    reach of the next band, data problems, and the plan version in force each period.

    PLAN is a path, or REV:path read from git; with --as-of-history each period is computed by
    the version of the plan in force then.
    """
    from kpilang.cli.plan_runs import echo_problems, load_plan_version, periods_of, run_periods, versions_for
    from kpilang.report.build import build_report
    from kpilang.report.render import render_report_html, write_report_xlsx

    if as_of_history:
        chosen = periods_of(periods, None, lang)
        versions = versions_for(plan, chosen, True, lang)
    else:
        version = load_plan_version(plan, lang)
        chosen = periods_of(periods, version.program.plan.period, lang)
        versions = {p.label: version for p in chosen}
    runs = run_periods(versions, chosen, data, source, verb="computed", lang=lang,
                       cache=table_cache(no_cache))
    content = build_report(runs)
    try:
        if fmt == "xlsx":
            write_report_xlsx(content, out, lang)
        else:
            Path(out).write_text(render_report_html(content, lang), encoding="utf-8")
    except OSError as err:
        fail(t("run.cannot-write", path=out, reason=err.strerror or err), lang=lang)
    failed, problems = echo_problems(runs, lang)
    click.echo(t("report.wrote", path=out, people=len(content.people), periods=len(chosen)).render(lang), err=True)
    click.echo(t("report.summary", people=len(content.people), periods=len(chosen), failed=failed,
                 problems=problems).render(lang), err=True)
    sys.exit(EXIT_PROBLEMS if any(r.report.has_errors for r in runs) else EXIT_OK)
