"""Loading a plan and its data for one period, and saying on stderr what went wrong: shared by
`kpilang eval` and `kpilang explain` so both refuse the same inputs with the same words and end
with the same kind of summary line. The lines about the data and the figures are said in the
reader's language (`lang`: "en" or "ru")."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import click

from kpilang.cli import refusals
from kpilang.cli.common import EXIT_FAILURE, fail
from kpilang.diagnostics import Severity, render_text, sort_key
from kpilang.messages import DEFAULT_LANGUAGE, language, t

if TYPE_CHECKING:
    from kpilang.compile import CompileResult
    from kpilang.data.problems import DataProblem
    from kpilang.evaluate.results import EvalError
    from kpilang.evaluate.run import EvalReport



def load_plan(plan: str, *, verb: str, lang: str | None = None) -> CompileResult:
    """`plan` compiled, with a program that has a plan block, or exit 2 with its diagnostics (in
    `lang`; by default the language `KPILANG_LANG` names). `verb` says what the command would have
    done ("computed", "explained") in the refusal."""
    from kpilang.compile import PlanFileError, compile_file

    said = language(lang)
    if not Path(plan).is_file():
        fail(t("run.no-plan-file", plan=plan), lang=said, file=plan)
    try:
        result = compile_file(plan)
    except PlanFileError as err:
        fail(err.text, lang=said, file=plan)
    errors = sorted((d for d in result.diagnostics if d.severity is Severity.ERROR), key=sort_key)
    if result.program is None or errors:
        for d in errors:
            click.echo(render_text(d, result.sources, said) + "\n", err=True)
            refusals.record_diagnostic(d, said)
        fail(t(f"run.does-not-compile-{verb}", plan=plan, count=len(errors)), t("run.lint-first", plan=plan), said,
             file=plan)
    if result.program.plan is None:
        fail(t("run.no-plan-block", plan=plan), t("run.give-plan-file"), said, file=plan)
    return result


def lint_warning(plan: str, compiled: CompileResult, *, verb: str, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """What to say before the results of a plan that `kpilang lint PLAN` rejects: its lint errors
    (the checks `kpilang lint` runs, with the nearest configuration and the plan's ignore
    comments), each on its own line, and that the results follow the plan as written. None when
    the linter finds no error. Lint errors do not stop the run: the plan compiles, so its figures
    are what it says, and the people who approved it may have meant it."""
    from kpilang.lint.config import ConfigError, config_for
    from kpilang.lint import check_compiled

    try:
        config = config_for(Path(plan))
    except ConfigError as err:
        return t(f"run-lint.not-checked-{verb}", plan=plan, reason=err.text).render(lang)
    errors = sorted((d for d in check_compiled(compiled, config) if d.severity is Severity.ERROR), key=sort_key)
    if not errors:
        return None
    lines = [t("run-lint.errors", plan=plan, count=len(errors)).render(lang)]
    for d in errors:
        place = f"{d.span.file}:{d.span.line}:{d.span.column}"
        lines.append(t("run-lint.error", place=place, code=d.code, name=d.name, message=d.localized(lang).message)
                     .render(lang))
    lines.append(t(f"run-lint.as-written-{verb}", plan=plan).render(lang))
    return "\n".join(lines)


def evaluate_inputs(plan: str, data: str, period: str, *, verb: str,
                    progress: Callable[[], object] | None = None, lang: str | None = None,
                    source: str | None = None, as_of_history: bool = False, cache=None) -> EvalReport:
    """Compile `plan`, check `period` against it and evaluate it on the data directory `data`.
    Exits 2 with the reason when the job cannot be done; `progress`, if given, makes a context
    manager whose value is passed to the evaluation as its progress callback. The linter's errors
    in the plan, if any, are said on stderr once the figures are computed, before the command
    shows them. `source` is a `--source` value (a CRM mapping), or None. `plan` may be
    `REV:path`, read from git; with `as_of_history`, the version in force in `period` is taken
    from the plan's git history (see `report.versions`) and named on stderr. `cache` is the
    cache of checked tables (None: every file is read and checked)."""
    from kpilang.cli.common import load_source
    from kpilang.data import DataError
    from kpilang.evaluate.aggregate import MetricQueryError
    from kpilang.evaluate.period import PeriodError, check_in_force, period_for_plan
    from kpilang.evaluate.run import evaluate
    from kpilang.report.plan_spec import is_revision
    from kpilang.warehouse import UrlError, is_data_url, open_data_url

    said = language(lang)
    compiled = None
    if as_of_history or is_revision(plan):
        from kpilang.cli.plan_runs import version_for_period

        program = version_for_period(plan, period, as_of_history, said).program
    else:
        compiled = load_plan(plan, verb=verb, lang=said)
        program = compiled.program
    in_database = is_data_url(data)
    if not in_database and not Path(data).is_dir():
        fail(t("run.no-data-directory", data=data), t("run.data-directory-hint"), said, file=data)
    provider = load_source(source, said)
    opened = None
    try:
        check_in_force(period_for_plan(period, program.plan.period), program.plan.name, program.plan.effective)
        if in_database:
            from kpilang.evaluate.run import data_needs

            opened = open_data_url(data, timezone=program.plan.timezone, needs=data_needs(program),
                                   mapper=provider)
        if progress is None:
            report = evaluate(program, opened or data, period, source=provider, cache=cache)
        else:
            with progress() as bar:
                report = evaluate(program, opened or data, period, progress=bar, source=provider, cache=cache)
    except UrlError as err:
        fail(err.text, err.hint, said)
    except PeriodError as err:
        fail(err.message, err.hint, said)
    except MetricQueryError as err:
        fail(err.message, err.hint, said)
    except DataError as err:
        refuse_data(err, data, verb, said)
    finally:
        if opened is not None:
            opened.close()
    # A version from git is not linted here: its configuration and ignore comments are those of
    # its own revision (`kpilang lint` on a checkout of it says what they find).
    warning = lint_warning(plan, compiled, verb=verb, lang=said) if compiled is not None else None
    if warning is not None:
        click.echo(warning, err=True)
    return report


def refuse_data(err, data: str, verb: str, lang: str) -> None:
    """Say that the data in `data` cannot be used, each fatal problem on its line, and exit 2;
    `verb` is what the command would have done ("computed", "explained", "checked")."""
    said = t(f"run.data-unusable-{verb}", data=data)
    click.echo(said.render(lang), err=True)
    for problem in err.problems:
        click.echo("  - " + problem_line(problem, lang), err=True)
        refusals.record_data_problem(problem, lang)
    refusals.record(said.key, said.render(lang), file=data)
    sys.exit(EXIT_FAILURE)


def problem_line(problem: DataProblem, lang: str = DEFAULT_LANGUAGE) -> str:
    """A rejected value, row or file in words, with what to do about it on a second line."""
    parts = [t("run.table", table=problem.table), t("run.file", file=problem.file)]
    if problem.row is not None:
        parts.append(t("run.row", row=problem.row))
    if problem.key is not None:
        parts.append(t("warehouse.key", key=problem.key))
    if problem.column is not None:
        parts.append(t("run.column", column=problem.column))
    shown = t("run.value", value=problem.value) if problem.value is not None else ""
    place = ", ".join(part.render(lang) for part in parts)
    line = t("run.problem", place=place, reason=problem.reason, shown=shown).render(lang)
    line += f"\n      = {t('label.help').render(lang)}: {problem.hint.render(lang)}"
    # A targets row whose period could not be read counts against its person in every period.
    if problem.table == "targets" and problem.manager_ids and problem.period is None:
        line += f"\n      = {t('label.note').render(lang)}: {t('run.targets-period-note').render(lang)}"
    return line


def error_line(manager_id: str, err: EvalError, lang: str = DEFAULT_LANGUAGE) -> str:
    from kpilang.payouts.table import error_place

    return t("run.error-line", manager=manager_id, subject=err.subject, message=err.message,
             place=error_place(err)).render(lang)


def report_problems(report: EvalReport, *, people: set[str] | None = None, show_errors: bool = True,
                    lang: str = DEFAULT_LANGUAGE) -> tuple[int, int]:
    """Echo on stderr, in `lang`, each evaluation error (when `show_errors`) and each rejected data
    row that concerns `people` (everyone when None); return (people with errors, data problems
    shown)."""
    failed = 0
    for person in report.results:
        if people is not None and person.manager_id not in people:
            continue
        failed += not person.ok
        if show_errors:
            for err in person.errors:
                click.echo(error_line(person.manager_id, err, lang), err=True)
    problems = [p for p in report.data_problems
                if people is None or not p.manager_ids or people & set(p.manager_ids)]
    for problem in problems:
        click.echo(t("run.rejected", problem=problem_line(problem, lang)).render(lang), err=True)
    return failed, len(problems)


def summary_line(count: int, verb: str, report: EvalReport, failed: int, problems: int,
                 lang: str = DEFAULT_LANGUAGE, people: set[str] | None = None) -> str:
    """The last line on stderr, the same shape for every command that evaluates a plan; `verb` is
    what the command did ("computed", "explained"), as in `evaluate_inputs`. It says how many of
    `people` (everyone when None) were paid and how many refused for an error, how many the plan
    skipped, the data problems (`problems` rejected rows or files, and each missing target: a
    target nobody wrote is missing data too) and how many rows were rejected."""
    considered = [p for p in report.results if people is None or p.manager_id in people]
    missing = sum(err.code == "missing_target" for person in considered for err in person.errors)
    line = t(f"run.summary-{verb}", count=count, period=report.period.label, failed=failed,
             paid=sum(person.ok for person in considered), skipped=len(report.skipped),
             problems=problems + missing, missing=missing,
             rejected=sum(account.rows_rejected for account in report.accounts)).render(lang)
    from kpilang.payouts.table import unknown_people_line

    unknown = unknown_people_line(report, lang)
    # The summary stays the last line: scripts read it.
    return line if unknown is None else f"{unknown}\n{line}"
