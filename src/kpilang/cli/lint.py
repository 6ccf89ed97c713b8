"""`kpilang lint PATH... [--format text|json|sarif|github] [--history DATA] [--criteria] [--lang en|ru]`."""

from __future__ import annotations

import sys

import click

from kpilang.cli import refusals
from kpilang.cli.common import (
    EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS, cache_option, fail, lang_option, load_source, plan_files, report_error,
    source_option, table_cache,
)
from kpilang.checks.history import HistoryError, history_loader
from kpilang.compile import PlanFileError, read_plan_file
from kpilang.lint.config import ConfigError
from kpilang.lint.criteria import to_json as criteria_json, to_text as criteria_text
from kpilang.diagnostics import Severity, render_text
from kpilang.messages import language, t
from kpilang.lint import lint_paths
from kpilang.lint.formats import summary, to_github, to_json, to_sarif


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text",
              show_default=True, help="How to print the findings: for people, JSON, SARIF 2.1.0, or GitHub annotations.")
@click.option("--history", "history", type=click.Path(), default=None, metavar="DATA",
              help="Past activity data: flag targets that few people reached in its periods.")
@click.option("--criteria", is_flag=True, default=False,
              help="For each plan, the seven criteria of a correct KPI and controllability: met, not met or "
                   "cannot tell, with the findings behind each (text or json).")
@source_option()
@cache_option()
@lang_option("The language of messages, help and notes in every format")
def lint(paths: tuple[str, ...], fmt: str, history: str | None, criteria: bool, source: str | None,
         no_cache: bool, lang: str | None) -> None:
    """Compile and check plans (files, or directories of *.kpi files).

    Exit status: 0 no errors, 1 errors found, 2 a file or the configuration could not be read.
    """
    lang = language(lang)
    if criteria and fmt not in ("text", "json"):
        fail(t("lint.criteria.format", format=fmt), t("lint.criteria.format-hint"), lang)
    files = plan_files(paths, lang)
    history_for = None
    if history is not None:
        try:
            history_for = history_loader(history, load_source(source, lang), table_cache(no_cache))
        except HistoryError as err:
            _history_failure(err, lang)
    unreadable = []
    readable = []
    for path in files:
        try:
            read_plan_file(path)
            readable.append(path)
        except PlanFileError as err:
            unreadable.append((err.text, str(path)))
    try:
        report = lint_paths(readable, history_for=history_for)
    except ConfigError as err:
        fail(err.text, t("lint.config-hint"), lang)
        return
    except HistoryError as err:  # history data that cannot be used
        _history_failure(err, lang)
        return
    for message, path in unreadable:
        report_error(message, lang=lang, file=path)
    diagnostics = report.diagnostics
    counts = summary(diagnostics, len(files))
    counts["errors"] += len(unreadable)  # a file that cannot be read is an error the line must count
    if criteria:
        results = report.results
        given = history is not None
        click.echo(criteria_json(results, given, lang, counts, refusals.fatal_list()) if fmt == "json"
                   else criteria_text(results, given, lang))
    elif fmt == "json":
        click.echo(to_json(diagnostics, len(files), lang, refusals.fatal_list()))
    elif fmt == "sarif":
        click.echo(to_sarif(diagnostics, lang))
    elif fmt == "github":
        if diagnostics:
            click.echo(to_github(diagnostics, lang))
    else:
        sources = report.sources
        for d in diagnostics:
            click.echo(render_text(d, sources, lang) + "\n")
    if fmt != "json":
        click.echo(t("summary.line", **counts).render(lang), err=True)
    errors = any(d.severity is Severity.ERROR for d in diagnostics)
    sys.exit(EXIT_FAILURE if unreadable else EXIT_PROBLEMS if errors else EXIT_OK)


def _history_failure(err, lang: str) -> None:
    """Why the --history data cannot be used, with every problem found in it, and exit 2."""
    from kpilang.cli.run_inputs import problem_line

    lines = [err.message.render(lang), *("  - " + problem_line(p, lang) for p in err.problems)]
    for problem in err.problems:
        refusals.record_data_problem(problem, lang)
    fail("\n".join(lines), t("lint.history-hint"), lang)
