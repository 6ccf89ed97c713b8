"""`kpilang compare OLD NEW --data DATA --periods A..B [--threshold 10%] [--format table|json|csv|html|xlsx]
[--out FILE] [--source ...] [--lang en|ru]`: what a plan change costs, and who loses.

Exit status: 0 every pay of both plans computed from clean data; 1 someone's pay could not be
computed under a plan, or data rows were rejected (the comparison is still given, without invented
figures); with `--fail-on-loss`, also 1 when someone's pay falls by more than the threshold;
2 the job could not be done (usage error, a side that cannot be read or does not compile, plans
paid by different kinds of period, unusable data).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kpilang.cli.common import EXIT_OK, EXIT_PROBLEMS, cache_option, fail, lang_option, source_option, table_cache
from kpilang.messages import language, t

FORMATS = ("table", "json", "csv", "html", "xlsx")


@click.command("compare")
@click.argument("old")
@click.argument("new")
@click.option("--data", "data", required=True, type=click.Path(), help="The data directory (see the data format).")
@click.option("--periods", "periods", required=True, metavar="A..B",
              help="The periods to compare over: 2026-07..2026-09, or one period.")
@click.option("--threshold", "threshold", default="10%", show_default=True,
              help="List first the people whose pay falls by more than this share of their old pay (10% or 0.1).")
@click.option("--fail-on-loss", "fail_on_loss", is_flag=True, default=False,
              help="Exit 1 when someone's pay falls by more than the threshold (for a CI check of a plan change).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="A table to read, JSON, CSV, one HTML page, or an Excel workbook (html and xlsx need --out).")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@source_option()
@cache_option()
@lang_option("The language of the table, the page, the workbook and the messages")
def compare(old: str, new: str, data: str, periods: str, threshold: str, fail_on_loss: bool, fmt: str,
            out: str | None, source: str | None, no_cache: bool, lang: str | None) -> None:
    """What a plan change costs: every person's pay under OLD and NEW on the same data.

    OLD and NEW are paths, or REV:path from git (`HEAD:rules/cold.kpi`), as in `kpilang diff`.
    For each person and period: the old pay, the new pay and the difference; totals per period and
    overall; the people whose pay falls by more than --threshold first; people one plan evaluates
    and the other skips. The change in meaning (`kpilang diff`) is shown beside the money. Both
    plans are evaluated for every period whatever their effective dates: the question is what
    the new plan would have paid.
    """
    from kpilang.change.diff import diff_programs
    from kpilang.cli.diff import render_diff
    from kpilang.cli.plan_runs import echo_problems, load_plan_version, periods_of, run_periods
    from kpilang.report.compare import ThresholdError, compare_runs, parse_threshold
    from kpilang.report.periods import same_version

    lang = language(lang)
    if fmt in ("html", "xlsx") and out is None:
        fail(t("compare.needs-out", format=fmt), lang=lang)
    try:
        share = parse_threshold(threshold)
    except ThresholdError as err:
        fail(err.message, err.hint, lang)
    old_version, new_version = load_plan_version(old, lang), load_plan_version(new, lang)
    kind = old_version.program.plan.period
    if new_version.program.plan.period != kind:
        fail(t("compare.different-periods", old=old, new=new, old_kind=t(f"period.paid-by.{kind}"),
               new_kind=t(f"period.paid-by.{new_version.program.plan.period}")), t("compare.different-periods-hint"), lang)
    chosen = periods_of(periods, kind, lang)
    cache = table_cache(no_cache)
    old_runs = run_periods(same_version(old_version, chosen), chosen, data, source, verb="computed", lang=lang,
                           in_force=False, cache=cache)
    new_runs = run_periods(same_version(new_version, chosen), chosen, data, source, verb="computed", lang=lang,
                           in_force=False, cache=cache)
    meaning = diff_programs(old_version.program, new_version.program)
    comparison = compare_runs(old, new, old_runs, new_runs, share, meaning)
    try:
        _give(comparison, fmt, out, render_diff(meaning, lang), lang)
    except OSError as err:
        fail(t("run.cannot-write", path=out, reason=err.strerror or err), lang=lang)
    failed, problems = echo_problems([*old_runs, *new_runs], lang)
    losers = len(comparison.losers)
    click.echo(t("compare.summary", people=len({p.manager_id for p in comparison.people}),
                 periods=len(chosen), losers=losers, failed=failed, problems=problems).render(lang), err=True)
    problem = comparison.has_errors or (fail_on_loss and losers > 0)
    sys.exit(EXIT_PROBLEMS if problem else EXIT_OK)


def _give(comparison, fmt: str, out: str | None, meaning: str, lang: str) -> None:
    from kpilang.report import compare_output

    if fmt == "xlsx":
        compare_output.write_xlsx(comparison, out, lang)
        return
    if fmt == "html":
        from kpilang.report.render import render_comparison_html

        text = render_comparison_html(comparison, meaning, lang)
    elif fmt == "json":
        text = compare_output.render_json(comparison, lang)
    elif fmt == "csv":
        text = compare_output.render_csv(comparison)
    else:
        text = compare_output.render_table(comparison, meaning, lang)
    if out is None:
        click.echo(text, nl=False)
    else:
        Path(out).write_text(text, encoding="utf-8", newline="")
