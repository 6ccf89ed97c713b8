"""Loading a plan and its data for one period, and saying on stderr what went wrong: shared by
`kpilang eval` and `kpilang explain` so both refuse the same inputs with the same words and end
with the same kind of summary line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import click

from kpilang.cli.common import EXIT_FAILURE, fail
from kpilang.diagnostics import Severity, render_text, sort_key

if TYPE_CHECKING:
    from kpilang.compile.program import Program
    from kpilang.data.problems import DataProblem
    from kpilang.evaluate.results import EvalError
    from kpilang.evaluate.run import EvalReport

METRIC_QUERY_HINT = ("an extra column is typed from its values: compare it with values of the same kind "
                     "(text in quotes, numbers without), or fix the column in the data")

# A rejected targets row counts against its person whatever period it was for: the data problem
# carries the bad cell only, not the row's period, so a row for another month cannot be told apart.
TARGETS_PERIOD_NOTE = ("the rejected row's period is not known, so it counts against its person in every period; "
                       "fix the row even if it is for another period")


def load_plan(plan: str, *, verb: str, lang: str | None = None) -> Program:
    """The compiled plan of `plan`, or exit 2 with its diagnostics (in `lang`; by default the
    language `KPILANG_LANG` names). `verb` says what the command would have done ("computed",
    "explained") in the refusal."""
    from kpilang.compile import compile_file

    if not Path(plan).is_file():
        fail(f"no such plan file: {plan}")
    try:
        result = compile_file(plan)
    except (OSError, UnicodeDecodeError) as err:
        fail(f"cannot read {plan}: {getattr(err, 'strerror', None) or err}")
    errors = sorted((d for d in result.diagnostics if d.severity is Severity.ERROR), key=sort_key)
    if result.program is None or errors:
        for d in errors:
            click.echo(render_text(d, result.sources, lang) + "\n", err=True)
        fail(f"{plan} does not compile ({len(errors)} error(s)); nothing was {verb}",
             f"run `kpilang lint {plan}` and fix the errors first")
    program = result.program
    if program.plan is None:
        fail(f"{plan} has no `plan` block, so there is nobody to pay",
             "give a plan file; a library file only provides metrics and tables")
    return program


def evaluate_inputs(plan: str, data: str, period: str, *, verb: str,
                    progress: Callable[[], object] | None = None, lang: str | None = None) -> EvalReport:
    """Compile `plan`, check `period` against it and evaluate it on the data directory `data`.
    Exits 2 with the reason when the job cannot be done; `progress`, if given, makes a context
    manager whose value is passed to the evaluation as its progress callback."""
    from kpilang.data import DataError
    from kpilang.evaluate.aggregate import MetricQueryError
    from kpilang.evaluate.period import PeriodError, check_in_force, period_for_plan
    from kpilang.evaluate.run import evaluate

    program = load_plan(plan, verb=verb, lang=lang)
    if not Path(data).is_dir():
        fail(f"no such data directory: {data}",
             "give the directory holding managers.csv (and activities, leads, deals, targets)")
    try:
        check_in_force(period_for_plan(period, program.plan.period), program.plan.name, program.plan.effective)
        if progress is None:
            return evaluate(program, data, period)
        with progress() as bar:
            return evaluate(program, data, period, progress=bar)
    except PeriodError as err:
        fail(err.message, err.hint)
    except MetricQueryError as err:
        fail(str(err), METRIC_QUERY_HINT)
    except DataError as err:
        click.echo(f"error: the data in {data} cannot be used; nothing was {verb}", err=True)
        for problem in err.problems:
            click.echo("  - " + problem_line(problem), err=True)
        sys.exit(EXIT_FAILURE)
    raise AssertionError("unreachable")  # every branch above returns or exits


def problem_line(problem: DataProblem) -> str:
    """A rejected value, row or file in words, with what to do about it on a second line."""
    parts = [f"table {problem.table}", f"file {problem.file}"]
    if problem.row is not None:
        parts.append(f"row {problem.row}")
    if problem.column is not None:
        parts.append(f"column {problem.column}")
    shown = f" (value: {problem.value!r})" if problem.value is not None else ""
    line = f"{', '.join(parts)}: {problem.reason}{shown}\n      = help: {problem.hint}"
    if problem.table == "targets" and problem.manager_ids and problem.period is None:
        line += "\n      = note: " + TARGETS_PERIOD_NOTE
    return line


def error_line(manager_id: str, err: EvalError) -> str:
    from kpilang.evaluate.report import error_place

    return f"error: {manager_id}: {err.subject}: {err.message} ({error_place(err)})"


def report_problems(report: EvalReport, *, people: set[str] | None = None, show_errors: bool = True) -> tuple[int, int]:
    """Echo on stderr each evaluation error (when `show_errors`) and each rejected data row that
    concerns `people` (everyone when None); return (people with errors, data problems shown)."""
    failed = 0
    for person in report.results:
        if people is not None and person.manager_id not in people:
            continue
        failed += not person.ok
        if show_errors:
            for err in person.errors:
                click.echo(error_line(person.manager_id, err), err=True)
    problems = [p for p in report.data_problems
                if people is None or not p.manager_ids or people & set(p.manager_ids)]
    for problem in problems:
        click.echo("warning: rejected data: " + problem_line(problem), err=True)
    return failed, len(problems)


def summary_line(count: int, what: str, report: EvalReport, failed: int, problems: int) -> str:
    """The last line on stderr, the same shape for every command that evaluates a plan."""
    return (f"{count} {what} for {report.period.label}, {failed} with errors, {len(report.skipped)} skipped, "
            f"{problems} data problem(s)")
