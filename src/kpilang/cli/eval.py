"""`kpilang eval PLAN --data DATA --period P [--format table|json|csv|csv-excel|xlsx] [--wide] [--out FILE] [--lang en|ru]`.

Exit status: 0 every figure of every person computed from clean data; 1 someone has an
evaluation error or some data rows were rejected; 2 the job could not be done (usage error, a
plan that does not compile, data that cannot be used).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import click

from kpilang.cli import refusals
from kpilang.cli.common import EXIT_OK, EXIT_PROBLEMS, cache_option, fail, lang_option, source_option, table_cache
from kpilang.cli.plan_runs import as_of_history_option
from kpilang.messages import language, t
from kpilang.payouts import FORMATS

# A run shorter than this finishes before a progress bar would be worth drawing.
PROGRESS_DELAY_SECONDS = 1.0


@click.command("eval")
@click.argument("plan")
@click.option("--data", "data", required=True, type=click.Path(), help="The data directory (see the data format).")
@click.option("--period", "period", required=True, help="2026-07, 2026-Q3 or 2026-W27; must fit the plan's period.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="How to give the results: a table to read, JSON, CSV, CSV for Excel (`;`, decimal comma, "
                   "BOM), or an Excel workbook (needs --out).")
@click.option("--wide", "wide", is_flag=True, default=False,
              help="In the table, show every KPI's attainment even when the terminal is too narrow for it.")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the results to this file instead of standard output.")
@source_option(in_database=True)
@as_of_history_option()
@cache_option()
@lang_option("The language of the table, errors, data problems and summary, and of the messages and headers "
             "in JSON, CSV and the workbook")
def eval_(plan: str, data: str, period: str, fmt: str, wide: bool, out: str | None, source: str | None,
          as_of_history: bool, no_cache: bool, lang: str | None) -> None:
    """Compute every person's metrics, KPIs, score and pays for one period.

    PLAN is a path, or REV:path to read a version from git (`HEAD~3:rules/cold.kpi`)."""
    from kpilang.cli.run_inputs import evaluate_inputs, report_problems, summary_line

    lang = language(lang)
    if fmt == "xlsx" and out is None:  # a workbook is bytes: never on a terminal or in a pipe
        fail(t("payouts.xlsx-needs-out"), lang=lang)
    console = _stderr_console()
    report = evaluate_inputs(plan, data, period, verb="computed", lang=lang, source=source, as_of_history=as_of_history,
                             cache=table_cache(no_cache),
                             progress=(lambda: _progress(console, lang)) if console is not None else None)
    if out is None:
        _print(report, fmt, wide=wide, lang=lang)
    else:
        try:
            _write(report, fmt, out, lang=lang)
        except OSError as err:
            fail(t("run.cannot-write", path=out, reason=err.strerror or err), lang=lang, file=out)

    # The table already lists each person's errors on standard output; other outputs list them here.
    failed, problems = report_problems(report, show_errors=fmt != "table" or out is not None, lang=lang)
    click.echo(summary_line(len(report.results), "computed", report, failed, problems, lang), err=True)
    sys.exit(EXIT_PROBLEMS if report.has_errors else EXIT_OK)


def _print(report, fmt: str, *, wide: bool, lang: str) -> None:
    if fmt == "table":
        _print_table(report, None, wide=wide, lang=lang)
    else:
        click.echo(_text(report, fmt, lang), nl=False)


def _text(report, fmt: str, lang: str) -> str:
    """The report in a text format; the JSON document with its (empty) list of refusals."""
    from kpilang.payouts import render_text
    from kpilang.payouts.json import render_json

    return render_json(report, lang, refusals.fatal_list()) if fmt == "json" else render_text(report, fmt, lang)


def _write(report, fmt: str, out: str, *, lang: str) -> None:
    if fmt == "xlsx":
        from kpilang.payouts.xlsx import write_xlsx

        write_xlsx(report, out, lang)
    elif fmt == "table":
        with open(out, "w", encoding="utf-8") as handle:
            _print_table(report, handle, wide=False, lang=lang)
    else:  # newline="": the Excel dialect's CRLF is written as it is on every system
        Path(out).write_text(_text(report, fmt, lang), encoding="utf-8", newline="")


def _print_table(report, file, *, wide: bool, lang: str) -> None:
    """On a terminal, fit its width (KPI columns only if they fit, or with --wide); in a file or a
    pipe, draw the table as wide as its content so that nothing is cut."""
    from kpilang.cli.output import results_console
    from kpilang.payouts.table import choose_layout, render_table

    console = results_console(file=file) if file is None else None
    if console is not None and console.is_terminal:
        layout = choose_layout(report, console.width, wide=wide, lang=lang)
        if layout.min_width() > console.width:  # rather past the edge than a figure cut short
            console = results_console(width=layout.width)
        render_table(report, console, layout, lang)
        return
    layout = choose_layout(report, None, lang=lang)
    title = len(f"{report.plan} · {report.period.label} · {report.currency}")
    render_table(report, results_console(file=file, width=max(layout.width, title), color_system=None, soft_wrap=False),
                 layout, lang)


def _stderr_console():
    """A console for progress on stderr, or None in pipes and CI."""
    if os.environ.get("CI") or not sys.stderr.isatty():
        return None
    from rich.console import Console

    console = Console(stderr=True)
    return console if console.is_terminal else None


class _progress:
    """Progress on a terminal, drawn only once a run has lasted PROGRESS_DELAY_SECONDS: reading
    the data first (its length unknown), then one step per person."""

    def __init__(self, console, lang: str):
        from rich.progress import Progress

        self.computing = t("progress.computing").render(lang)
        self.progress = Progress(console=console, transient=True)
        self.task = self.progress.add_task(t("progress.reading").render(lang), total=None)
        self._lock = threading.Lock()
        self._started = False
        self._finished = False
        self._timer = threading.Timer(PROGRESS_DELAY_SECONDS, self._start)
        self._timer.daemon = True

    def _start(self) -> None:
        with self._lock:
            if not self._finished:
                self.progress.start()
                self._started = True

    def __enter__(self):
        self._timer.start()
        return self

    def __call__(self, done: int, total: int) -> None:
        self.progress.update(self.task, description=self.computing, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        with self._lock:
            self._finished = True
            if self._started:
                self.progress.stop()
