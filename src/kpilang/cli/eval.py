"""`kpilang eval PLAN --data DATA --period P [--format table|json|csv] [--out FILE]`.

Exit status: 0 every figure of every person computed from clean data; 1 someone has an
evaluation error or some data rows were rejected; 2 the job could not be done (usage error, a
plan that does not compile, data that cannot be used).
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import nullcontext
from pathlib import Path

import click

from kpilang.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS, fail
from kpilang.diagnostics import Severity, render_text, sort_key

# A table written to a file or a pipe has no terminal to fit; wide enough that names stay whole.
TABLE_WIDTH_OFF_TERMINAL = 200
# A run shorter than this finishes before a progress bar would be worth drawing.
PROGRESS_DELAY_SECONDS = 1.0


@click.command("eval")
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option("--data", "data", required=True, type=click.Path(), help="The data directory (see the data format).")
@click.option("--period", "period", required=True, help="2026-07, 2026-Q3 or 2026-W27; must fit the plan's period.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="How to print the results.")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the results to this file instead of standard output.")
def eval_(plan: str, data: str, period: str, fmt: str, out: str | None) -> None:
    """Compute every person's metrics, KPIs, score and pays for one period."""
    from kpilang.compile import compile_file
    from kpilang.data import DataError
    from kpilang.evaluate.aggregate import MetricQueryError
    from kpilang.evaluate.period import PeriodError, check_in_force, period_for_plan
    from kpilang.evaluate.report import render_csv, render_json, render_table
    from kpilang.evaluate.run import evaluate

    if not Path(plan).is_file():
        fail(f"no such plan file: {plan}")
    try:
        result = compile_file(plan)
    except (OSError, UnicodeDecodeError) as err:
        fail(f"cannot read {plan}: {getattr(err, 'strerror', None) or err}")
    errors = sorted((d for d in result.diagnostics if d.severity is Severity.ERROR), key=sort_key)
    if result.program is None or errors:
        for d in errors:
            click.echo(render_text(d, result.sources) + "\n", err=True)
        fail(f"{plan} does not compile ({len(errors)} error(s)); nothing was computed",
             f"run `kpilang lint {plan}` and fix the errors first")
    program = result.program
    if program.plan is None:
        fail(f"{plan} has no `plan` block, so there is nobody to pay",
             "evaluate a plan file; a library file only provides metrics and tables")
    if not Path(data).is_dir():
        fail(f"no such data directory: {data}",
             "give the directory holding managers.csv (and activities, leads, deals, targets)")

    try:
        check_in_force(period_for_plan(period, program.plan.period), program.plan.name, program.plan.effective)
    except PeriodError as err:
        fail(err.message, err.hint)

    console = _stderr_console()
    show_progress = console is not None
    try:
        with _progress(console) if show_progress else nullcontext(None) as bar:
            report = evaluate(program, data, period, progress=bar)
    except PeriodError as err:
        fail(err.message, err.hint)
    except MetricQueryError as err:
        fail(str(err), "an extra column is typed from its values: compare it with values of the same kind "
             "(text in quotes, numbers without), or fix the column in the data")
    except DataError as err:
        click.echo(f"error: the data in {data} cannot be used; nothing was computed", err=True)
        for problem in err.problems:
            click.echo("  - " + _problem_line(problem), err=True)
        sys.exit(EXIT_FAILURE)

    if fmt == "json":
        text = render_json(report)
    elif fmt == "csv":
        text = render_csv(report)
    else:
        text = None
    if out is not None:
        try:
            if text is None:
                from rich.console import Console

                with open(out, "w", encoding="utf-8") as handle:
                    render_table(report, Console(file=handle, width=TABLE_WIDTH_OFF_TERMINAL, color_system=None))
            else:
                Path(out).write_text(text, encoding="utf-8")
        except OSError as err:
            fail(f"cannot write {out}: {err.strerror or err}")
    elif text is None:
        from rich.console import Console

        console = Console()
        if not console.is_terminal:
            console = Console(width=TABLE_WIDTH_OFF_TERMINAL, color_system=None)
        render_table(report, console)
    else:
        click.echo(text, nl=False)

    _summary(report, show_details=fmt != "table" or out is not None)
    sys.exit(EXIT_PROBLEMS if report.has_errors else EXIT_OK)


def _problem_line(problem) -> str:
    parts = [f"table {problem.table}", f"file {problem.file}"]
    if problem.row is not None:
        parts.append(f"row {problem.row}")
    if problem.column is not None:
        parts.append(f"column {problem.column}")
    shown = f" (value: {problem.value!r})" if problem.value is not None else ""
    return f"{', '.join(parts)}: {problem.reason}{shown}\n      = help: {problem.hint}"


def _summary(report, *, show_details: bool) -> None:
    """What went wrong, on stderr, whatever the output format."""
    if show_details:
        for person in report.results:
            for err in person.errors:
                where = f"{err.file}:{err.line}:{err.column}" if err.line else err.file
                click.echo(f"error: {person.manager_id}: {err.subject}: {err.message} ({where})", err=True)
    for problem in report.data_problems:
        click.echo("warning: rejected data: " + _problem_line(problem), err=True)
    failed = sum(not r.ok for r in report.results)
    click.echo(f"{len(report.results)} person(s) evaluated for {report.period.label}, {failed} with errors, "
               f"{len(report.skipped)} skipped, {len(report.data_problems)} data problem(s)", err=True)


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

    def __init__(self, console):
        from rich.progress import Progress

        self.progress = Progress(console=console, transient=True)
        self.task = self.progress.add_task("reading the data", total=None)
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
        self.progress.update(self.task, description="computing pay", completed=done, total=total)

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        with self._lock:
            self._finished = True
            if self._started:
                self.progress.stop()
