"""`kpilang test PATH... [--format text|json] [--lang en|ru]`: run the plans' `test` blocks."""

from __future__ import annotations

import json
import sys

import click

from kpilang.cli import refusals
from kpilang.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS, lang_option, plan_files, report_error
from kpilang.compile import PlanFileError
from kpilang.diagnostics import Severity, render_text, sort_key
from kpilang.evaluate.plan_tests import FileTestReport, PlanTestOutcome, run_tests_in_file
from kpilang.evaluate.results import EvalError
from kpilang.evaluate.tracing import NOT_GIVEN, figure
from kpilang.messages import language, render, t


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print the results.")
@lang_option("The language of the results, failures and errors")
def test(paths: tuple[str, ...], fmt: str, lang: str | None) -> None:
    """Run the `test` blocks of plans (files, or directories of *.kpi files).

    Each test sets metric values, salary and targets with `given` and checks the KPIs, the score,
    table results and pays with `expect`, exactly. Exit 0 when every test passes, 1 when one fails,
    2 when a plan does not compile or cannot be read.
    """
    lang = language(lang)
    reports: list[FileTestReport] = []
    unusable = False
    for path in plan_files(paths, lang):
        try:
            report = run_tests_in_file(path)
        except PlanFileError as err:
            report_error(err.text, lang=lang, file=str(path))
            unusable = True
            continue
        if not report.compiled:
            errors = sum(d.severity is Severity.ERROR for d in report.diagnostics)
            refusals.record("test.not-compiled", t("test.not-compiled", file=report.file, count=errors).render(lang),
                            file=report.file)
        unusable |= not report.compiled
        reports.append(report)
    passed = sum(r.passed for r in reports)
    failed = sum(r.failed for r in reports)
    if fmt == "json":
        document = refusals.document(_json(reports, passed, failed, lang))
        click.echo(json.dumps(document, ensure_ascii=False, indent=1))
    else:
        _text(reports, lang)
        click.echo(t("test.summary", passed=passed, failed=failed).render(lang))
    sys.exit(EXIT_FAILURE if unusable else EXIT_PROBLEMS if failed else EXIT_OK)


# ---- text ----------------------------------------------------------------------------------------


def _text(reports: list[FileTestReport], lang: str) -> None:
    for report in reports:
        if not report.compiled:
            errors = sorted((d for d in report.diagnostics if d.severity is Severity.ERROR), key=sort_key)
            for d in errors:
                click.echo(render_text(d, report.sources, lang) + "\n", err=True)
            click.echo(t("test.not-compiled", file=report.file, count=len(errors)).render(lang), err=True)
            continue
        if not report.tests:
            click.echo(t("test.no-tests", file=report.file).render(lang), err=True)
        for outcome in report.tests:
            status = t("test.pass" if outcome.passed else "test.fail").render(lang)
            click.echo(f"{status} {outcome.file}:{outcome.line} {outcome.name}")
            if not outcome.passed:
                for line in _failure_lines(outcome, lang):
                    click.echo("     " + line)


def _failure_lines(outcome: PlanTestOutcome, lang: str) -> list[str]:
    texts = []
    for problem in outcome.problems:
        texts.append(t("test.given", problem=problem))
    for e in outcome.expectations:
        if e.passed:
            continue
        what = t("test.attainment", name=e.name) if e.kind == "kpi" else e.name
        where = t("test.line", line=e.line)
        if e.problem is not None:
            texts.append(t("test.expected-without-value", what=what, expected=figure(e.expected), problem=e.problem,
                           where=where))
        else:
            texts.append(t("test.expected-got", what=what, expected=figure(e.expected), actual=figure(e.actual),
                           where=where))
    for error in outcome.errors:
        texts.append(t("test.error-in", subject=error.subject, message=error.message, location=error.location()))
    lines = [text.render(lang) for text in texts]
    if outcome.trace:
        lines.append(t("test.trace").render(lang))
        for step in outcome.trace:
            value = render(figure(step.value), lang)
            if step.kind == "metric":
                not_given = any(note.key == NOT_GIVEN for note in step.notes)
                given = t(NOT_GIVEN).render(lang) if not_given else value
                lines.append(f"  metric {step.subject} = {given}")
                continue
            lines.append(f"  {step.kind} {step.subject} = {step.formula}")
            substituted = render(step.substituted, lang)
            if substituted and substituted not in (step.formula, value):
                lines.append(f"      = {substituted}")
            lines.append("      " + t("test.attainment-value", value=value).render(lang) if step.kind == "kpi"
                         else f"      = {value}")
            for note in step.notes:
                lines.append(f"      · {note.render(lang)}")
    return lines


# ---- json ----------------------------------------------------------------------------------------


def _json(reports: list[FileTestReport], passed: int, failed: int, lang: str) -> dict:
    return {
        "files": [
            {
                "file": r.file,
                "compiled": r.compiled,
                "diagnostics": [d.localized(lang).to_json() for d in sorted(r.diagnostics, key=sort_key)],
                "tests": [_test_json(outcome, lang) for outcome in r.tests],
            }
            for r in reports
        ],
        "summary": {"passed": passed, "failed": failed, "not_compiled": sum(not r.compiled for r in reports)},
    }


def _test_json(outcome: PlanTestOutcome, lang: str) -> dict:
    out = outcome.model_dump(mode="json", exclude={"trace", "errors"})
    out["problems"] = [problem.render(lang) for problem in outcome.problems]
    for expectation, shown in zip(outcome.expectations, out["expectations"]):
        shown["problem"] = expectation.problem.render(lang) if expectation.problem is not None else None
    out["status"] = "pass" if outcome.passed else "fail"
    out["errors"] = [_error_json(e, lang) for e in outcome.errors]
    out["trace"] = [{**s.model_dump(mode="json"), "substituted": render(s.substituted, lang),
                     "notes": [note.render(lang) for note in s.notes]} for s in outcome.trace]
    return out


def _error_json(error: EvalError, lang: str) -> dict:
    out = error.model_dump(mode="json", exclude_none=True)
    out["message"] = error.message.render(lang)
    if error.help is not None:
        out["help"] = error.help.render(lang)
    return out
