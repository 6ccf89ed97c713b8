"""`kpilang init [TEMPLATE] [DIR]`: list the ready plans, or start a folder from one."""

from __future__ import annotations

import sys

import click

from kpilang.cli.common import EXIT_OK, fail
from kpilang.templates import TemplateError, create_project, list_templates


@click.command()
@click.argument("template", required=False)
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def init(template: str | None, directory: str | None) -> None:
    """Start a plan folder from a ready plan in rules/ (plan, its libraries and sample data).

    Without TEMPLATE, list the templates. DIR defaults to a new folder named after the template;
    an existing folder must be empty.
    """
    if template is None:
        _list()
        sys.exit(EXIT_OK)
    try:
        project = create_project(template, directory)
    except TemplateError as err:
        fail(err.message, err.hint)
    except OSError as err:
        fail(f"cannot write {err.filename or directory or template}: {err.strerror or err}",
             "check that the folder can be created and written to")
    plan = project.plan.name
    click.echo(f"created {project.directory}/ from template `{project.plan.stem}`:", err=True)
    for path in project.files:
        click.echo(f"  {path.as_posix()}", err=True)
    if project.left_out:
        click.echo(f"{len(project.left_out)} deliberately wrong row(s) of the demo data left out of data/ "
                   "(listed with the reasons in README.md)", err=True)
    click.echo(f"next, inside {project.directory}/:\n"
               f"  kpilang lint {plan}\n"
               f"  kpilang test {plan}\n"
               f"  kpilang eval {plan} --data data --period 2026-07", err=True)


def _list() -> None:
    templates = list_templates()
    rows = [("TEMPLATE", "LABEL", "ROLES", "MOTIVATION MODEL")]
    rows += [(t.name, t.label, ", ".join(t.roles) + (" (team)" if t.scope == "team" else ""), t.model_words)
             for t in templates]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[3])
    click.echo("\nstart one with: kpilang init TEMPLATE [DIR]", err=True)
