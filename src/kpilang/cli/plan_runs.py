"""Naming plan versions and evaluating them over a range of periods, for the commands that do
(`compare`, `report`, and `eval`/`explain` with `REV:path` or `--as-of-history`): each failure
becomes the command's refusal, in the reader's language, with exit status 2."""

from __future__ import annotations

from pathlib import Path

import click

from kpilang.cli.common import fail
from kpilang.compile import PlanFileError
from kpilang.messages import t


def as_of_history_option():
    return click.option(
        "--as-of-history", "as_of_history", is_flag=True, default=False,
        help="Take from the git history, for each period, the version of the plan that was in force then "
             "(the last one committed whose `effective` date is on or before the period's first day), "
             "instead of the file as it is now.")


def refuse_version(err, lang: str) -> None:
    """Say why a version cannot be used (its compile errors first) and exit 2."""
    compiled = getattr(err, "compiled", None)
    if compiled is not None:
        click.echo(compiled.errors_text(lang) + "\n", err=True)
    fail(err.message, err.hint, lang)


def load_plan_version(spec: str, lang: str):
    """The version `spec` names (a path or `REV:path`), or exit 2 saying why."""
    from kpilang.change.git import GitError
    from kpilang.report.versions import VersionError, load_version

    try:
        return load_version(spec)
    except (GitError, VersionError) as err:
        refuse_version(err, lang)
    except PlanFileError as err:
        fail(err.text, lang=lang)


def versions_for(spec: str, periods, as_of_history: bool, lang: str) -> dict:
    """Period label → the version to use: the one `spec` names for every period, or with
    `as_of_history` the one in force in each."""
    from kpilang.change.git import GitError
    from kpilang.report.periods import same_version
    from kpilang.report.versions import VersionError, versions_in_force

    if not as_of_history:
        return same_version(load_plan_version(spec, lang), periods)
    if not Path(spec).exists() and ":" not in spec:
        fail(t("cli.no-such-path", path=spec), lang=lang)
    try:
        return versions_in_force(spec, periods, Path.cwd())
    except (GitError, VersionError) as err:
        refuse_version(err, lang)
    except ValueError:  # a path outside the repository
        fail(t("report.version.outside-repository", plan=spec), t("report.version.commit-first"), lang)


def version_for_period(spec: str, period: str, as_of_history: bool, lang: str):
    """The version of `spec` to evaluate `period` by (the one in force then, with
    `as_of_history`), or exit 2; a version taken from the history is named on stderr."""
    from kpilang.evaluate.period import PeriodError, parse_period

    if not as_of_history:
        return load_plan_version(spec, lang)
    try:
        chosen = parse_period(period)
    except PeriodError as err:
        fail(err.message, err.hint, lang)
    version = versions_for(spec, [chosen], True, lang)[chosen.label]
    click.echo(t("report.version.in-force", plan=spec, period=chosen.label, version=version.spec,
                 commit=version.commit.short, fingerprint=version.fingerprint[:12]).render(lang), err=True)
    return version


def periods_of(text: str, kind: str | None, lang: str):
    """The periods of `--periods` (`A..B` or one period), of the plan's kind, or exit 2."""
    from kpilang.evaluate.period import PeriodError
    from kpilang.report.periods import RangeError, parse_range

    try:
        return parse_range(text, kind)
    except (PeriodError, RangeError) as err:
        fail(err.message, err.hint, lang)


def run_periods(versions: dict, periods, data: str, source: str | None, *, verb: str, lang: str,
                in_force: bool = True, cache=None):
    """Evaluate every period by its version on the data directory, or exit 2 saying why not;
    `cache` is the cache of checked tables (None: every file is read and checked)."""
    from kpilang.cli.common import load_source
    from kpilang.cli.run_inputs import refuse_data
    from kpilang.data import DataError
    from kpilang.evaluate.aggregate import MetricQueryError
    from kpilang.evaluate.period import PeriodError
    from kpilang.report.periods import evaluate_periods

    if not Path(data).is_dir():
        fail(t("run.no-data-directory", data=data), t("run.data-directory-hint"), lang)
    provider = load_source(source, lang)
    try:
        return evaluate_periods(versions, periods, data, source=provider, in_force=in_force, cache=cache)
    except (PeriodError, MetricQueryError) as err:
        fail(err.message, err.hint, lang)
    except DataError as err:
        refuse_data(err, data, verb, lang)


def echo_problems(runs, lang: str) -> tuple[int, int]:
    """Each evaluation error (per period) and each rejected data row (once, though every period
    lists it) on stderr; (person-periods with errors, data problems)."""
    from kpilang.cli.run_inputs import error_line, problem_line

    failed, seen, said = 0, {}, set()
    for run in runs:
        for person in run.report.results:
            failed += not person.ok
            for err in person.errors:
                line = f"{run.period.label} " + error_line(person.manager_id, err, lang)
                if line not in said:  # two plans refused on the same row say it once
                    said.add(line)
                    click.echo(line, err=True)
        for problem in run.report.data_problems:
            seen.setdefault((problem.table, problem.file, problem.row, problem.column, problem.code), problem)
    for problem in seen.values():
        click.echo(t("run.rejected", problem=problem_line(problem, lang)).render(lang), err=True)
    return failed, len(seen)
