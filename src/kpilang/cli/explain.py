"""`kpilang explain PLAN --data DATA --period P [--manager ID]... [--lang ru|en]
[--format text|md|html] [--out DIR] [--templates DIR]`: one statement per person.

Exit status: 0 every statement explains figures computed from clean data; 1 someone has an
evaluation error or some data rows were rejected (their statements are still written, with the
error explained); 2 the job could not be done (usage error, a plan that does not compile, data
that cannot be used, a template that cannot be read).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kpilang.cli.common import EXIT_OK, EXIT_PROBLEMS, cache_option, fail, source_option, table_cache
from kpilang.cli.plan_runs import as_of_history_option
from kpilang.cli.run_inputs import report_problems, summary_line
from kpilang.messages import t

# Fewer statements than this are done before a progress bar would be worth drawing (each one
# searches what it would take to reach the next band, a few dozen formula runs).
PROGRESS_MIN_PEOPLE = 50


@click.command("explain")
@click.argument("plan")
@click.option("--data", "data", required=True, type=click.Path(), help="The data directory (see the data format).")
@click.option("--period", "period", required=True, help="2026-07, 2026-Q3 or 2026-W27; must fit the plan's period.")
@click.option("--manager", "managers", multiple=True, metavar="ID",
              help="Only this person (managers.id); repeat for several. Default: everyone the plan pays.")
@click.option("--lang", "lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True,
              help="The statements' language (numbers, money and dates follow it).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html"]), default="text", show_default=True,
              help="text for a terminal, md for Markdown, html for one self-contained page per person.")
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Write one file per person and an index here instead of printing.")
@click.option("--templates", "templates", type=click.Path(file_okay=False), default=None,
              help="A directory of templates overriding ours by file name (run in a sandbox).")
@source_option(in_database=True)
@as_of_history_option()
@cache_option()
def explain(plan: str, data: str, period: str, managers: tuple[str, ...], lang: str, fmt: str, out: str | None,
            templates: str | None, source: str | None, as_of_history: bool, no_cache: bool) -> None:
    """Explain every number of every person's pay: metrics, KPIs, score, bands, pays, and what it
    would take to reach the next band.

    PLAN is a path, or REV:path to read a version from git (`HEAD~3:rules/cold.kpi`)."""
    from kpilang.cli.run_inputs import evaluate_inputs
    from kpilang.explain import MessageError, TemplateError, build_statements, render_statements

    template_dir = Path(templates) if templates is not None else None
    if template_dir is not None and not template_dir.is_dir():
        fail(t("explain.no-template-directory", path=templates), t("explain.template-directory-hint"), lang)
    # A statement in Russian comes with the plan's compile errors, if any, in Russian too.
    report = evaluate_inputs(plan, data, period, verb="explained", lang=lang, source=source,
                             as_of_history=as_of_history, cache=table_cache(no_cache))

    try:
        with _Progress(lang) as progress:
            statements = build_statements(report, lang=lang, templates=template_dir, managers=managers or None,
                                          progress=progress)
        rendered = render_statements(statements, report, fmt=fmt, lang=lang, templates=template_dir,
                                     book=out is None)
    except KeyError as err:
        known = ", ".join(p.manager_id for p in report.results) or t("explain.nobody")
        skipped = {s.manager_id: s.reason.render(lang) for s in report.skipped}
        why = "; ".join(f"{m}: {skipped[m]}" for m in err.args[0].split(", ") if m in skipped)
        facts = {"ids": err.args[0], "plan": report.plan, "period": report.period.label}
        fail(t("explain.no-person-why", why=why, **facts) if why else t("explain.no-person", **facts),
             t("explain.people-in-run", known=known), lang)
    except (TemplateError, MessageError) as err:
        fail(t("explain.cannot-use-templates", error=str(err)), t("explain.fix-template"), lang)

    if out is not None:
        try:
            written = rendered.write(Path(out))
        except OSError as err:
            fail(t("explain.cannot-write", path=err.filename or out, reason=err.strerror or err), lang=lang)
        click.echo(t("explain.wrote", count=len(written) - 1, index=Path(out) / rendered.index_name).render(lang),
                   err=True)
    else:
        text = rendered.joined()
        click.echo(text, nl=not text.endswith("\n"))

    # With --manager, only what concerns the chosen people; otherwise everything, as eval says it.
    chosen = {s.manager_id for s in statements} if managers else None
    failed, problems = report_problems(report, people=chosen, lang=lang)
    click.echo(summary_line(len(statements), "explained", report, failed, problems, lang, chosen), err=True)
    sys.exit(EXIT_PROBLEMS if failed or problems else EXIT_OK)


class _Progress:
    """A progress bar on a terminal's stderr for long runs; nothing in pipes or CI."""

    def __init__(self, lang: str):
        self.label = t("progress.explaining").render(lang)
        self.bar = None
        self.task = None
        self.console = None
        if not os.environ.get("CI") and sys.stderr.isatty():
            from rich.console import Console

            console = Console(stderr=True)
            self.console = console if console.is_terminal else None

    def __enter__(self):
        return self if self.console is not None else None

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_PEOPLE:
            return
        if self.bar is None:
            from rich.progress import Progress

            self.bar = Progress(console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
