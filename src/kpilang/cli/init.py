"""`kpilang init [TEMPLATE] [DIR] [--lang en|ru]`: list the ready plans, or start a folder from one."""

from __future__ import annotations

import sys

import click

from kpilang.cli.common import EXIT_OK, fail, lang_option
from kpilang.messages import language, t
from kpilang.workspace.init import create_project
from kpilang.workspace.templates import TemplateError, list_templates


@click.command()
@click.argument("template", required=False)
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@lang_option("The language of the listing and messages", "The folder's README is in Russian.")
def init(template: str | None, directory: str | None, lang: str | None) -> None:
    """Start a plan folder from a ready plan in rules/: the plan, its libraries, sample data,
    people.csv and targets.csv to fill in, a README and a .gitignore that keeps data out of git.

    Without TEMPLATE, list the templates. DIR defaults to a new folder named after the template;
    an existing folder must be empty.
    """
    lang = language(lang)
    if template is None:
        _list(lang)
        sys.exit(EXIT_OK)
    try:
        project = create_project(template, directory)
    except TemplateError as err:
        fail(err.message, err.hint, lang)
    except OSError as err:
        fail(t("init.cannot-write", path=err.filename or directory or template, error=err.strerror or str(err)),
             t("init.cannot-write-help"), lang)
    plan = project.plan.name
    click.echo(t("init.created", directory=project.directory, template=project.plan.stem).render(lang), err=True)
    for path in project.files:
        click.echo(f"  {path.as_posix()}", err=True)
    if project.left_out:
        click.echo(t("init.left-out", count=len(project.left_out)).render(lang), err=True)
    click.echo(t("init.next", directory=project.directory).render(lang) + "\n"
               f"  kpilang lint {plan}\n"
               f"  kpilang test {plan}\n"
               f"  kpilang eval {plan} --data data --period 2026-07", err=True)


def _list(lang: str) -> None:
    heads = (t("init.column-template"), t("init.column-label"), t("init.column-roles"), t("init.column-model"))
    rows = [tuple(head.render(lang) for head in heads)]
    team = " (" + t("init.team").render(lang) + ")"
    rows += [(p.name, p.label, ", ".join(p.roles) + (team if p.scope == "team" else ""), p.model_words.render(lang))
             for p in list_templates()]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[3])
    click.echo("\n" + t("init.start-one").render(lang), err=True)
