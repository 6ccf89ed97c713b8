"""`kpilang test PATH... [--format text|json]`: run the plans' `test` blocks."""

from __future__ import annotations

import json
import sys

import click

from kpilang.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS, plan_files
from kpilang.diagnostics import Severity, render_text, sort_key
from kpilang.evaluate.numbers import plain
from kpilang.evaluate.plan_tests import FileTestReport, PlanTestOutcome, run_tests_in_file


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print the results.")
def test(paths: tuple[str, ...], fmt: str) -> None:
    """Run the `test` blocks of plans (files, or directories of *.kpi files).

    Each test sets metric values, salary and targets with `given` and checks the KPIs, the score,
    table results and pays with `expect`, exactly. Exit 0 when every test passes, 1 when one fails,
    2 when a plan does not compile or cannot be read.
    """
    reports: list[FileTestReport] = []
    unusable = False
    for path in plan_files(paths):
        try:
            report = run_tests_in_file(path)
        except (OSError, UnicodeDecodeError) as err:
            click.echo(f"error: cannot read {path}: {getattr(err, 'strerror', None) or err}", err=True)
            unusable = True
            continue
        unusable |= not report.compiled
        reports.append(report)
    passed = sum(r.passed for r in reports)
    failed = sum(r.failed for r in reports)
    if fmt == "json":
        click.echo(json.dumps(_json(reports, passed, failed), ensure_ascii=False, indent=1))
    else:
        _text(reports)
        click.echo(f"{passed} passed, {failed} failed")
    sys.exit(EXIT_FAILURE if unusable else EXIT_PROBLEMS if failed else EXIT_OK)


# ---- text ----------------------------------------------------------------------------------------


def _text(reports: list[FileTestReport]) -> None:
    for report in reports:
        if not report.compiled:
            errors = sorted((d for d in report.diagnostics if d.severity is Severity.ERROR), key=sort_key)
            for d in errors:
                click.echo(render_text(d, report.sources) + "\n", err=True)
            click.echo(f"error: {report.file} does not compile ({len(errors)} error(s)); its tests did not run", err=True)
            continue
        if not report.tests:
            click.echo(f"note: {report.file} has no tests", err=True)
        for t in report.tests:
            click.echo(f"{'PASS' if t.passed else 'FAIL'} {t.file}:{t.line} {t.name}")
            if not t.passed:
                for line in _failure_lines(t):
                    click.echo("     " + line)


def _failure_lines(t: PlanTestOutcome) -> list[str]:
    lines: list[str] = []
    for problem in t.problems:
        lines.append(f"given: {problem}")
    for e in t.expectations:
        if e.passed:
            continue
        what = f"{e.name} (attainment)" if e.kind == "kpi" else e.name
        where = f"line {e.line}"
        if e.problem is not None:
            lines.append(f"{what}: expected {plain(e.expected)}, but it has no value: {e.problem}  [{where}]")
        else:
            lines.append(f"{what}: expected {plain(e.expected)}, got {plain(e.actual)}  [{where}]")
    for error in t.errors:
        lines.append(f"error in {error.subject}: {error.message}  [{error.location()}]")
    if t.trace:
        lines.append("how the figures were computed:")
        for step in t.trace:
            value = plain(step.value)
            if step.kind == "metric":
                given = "not given" if "not given" in step.notes else value
                lines.append(f"  metric {step.subject} = {given}")
                continue
            lines.append(f"  {step.kind} {step.subject} = {step.formula}")
            if step.substituted and step.substituted not in (step.formula, value):
                lines.append(f"      = {step.substituted}")
            lines.append(f"      → attainment {value}" if step.kind == "kpi" else f"      = {value}")
            for note in step.notes:
                lines.append(f"      · {note}")
    return lines


# ---- json ----------------------------------------------------------------------------------------


def _json(reports: list[FileTestReport], passed: int, failed: int) -> dict:
    return {
        "files": [
            {
                "file": r.file,
                "compiled": r.compiled,
                "diagnostics": [d.to_json() for d in sorted(r.diagnostics, key=sort_key)],
                "tests": [_test_json(t) for t in r.tests],
            }
            for r in reports
        ],
        "summary": {"passed": passed, "failed": failed, "not_compiled": sum(not r.compiled for r in reports)},
    }


def _test_json(t: PlanTestOutcome) -> dict:
    out = t.model_dump(mode="json", exclude={"trace", "errors"})
    out["status"] = "pass" if t.passed else "fail"
    out["errors"] = [e.model_dump(mode="json", exclude_none=True) for e in t.errors]
    out["trace"] = [s.model_dump(mode="json") for s in t.trace]
    return out
