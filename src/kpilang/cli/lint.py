"""`kpilang lint PATH... [--format text|json]`."""

from __future__ import annotations

import json
import sys

import click

from kpilang.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS, plan_files
from kpilang.diagnostics import Severity, render_text, sort_key
from kpilang.lint import lint_file


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print the findings.")
def lint(paths: tuple[str, ...], fmt: str) -> None:
    """Compile and check plans (files, or directories of *.kpi files)."""
    files = plan_files(paths)
    diagnostics, sources, unreadable = [], {}, False
    for path in files:
        try:
            result = lint_file(path)
        except (OSError, UnicodeDecodeError) as err:
            click.echo(f"error: cannot read {path}: {getattr(err, 'strerror', None) or err}", err=True)
            unreadable = True
            continue
        diagnostics.extend(result.diagnostics)
        sources.update(result.sources)
    diagnostics.sort(key=sort_key)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    if fmt == "json":
        click.echo(json.dumps({
            "diagnostics": [d.to_json() for d in diagnostics],
            "summary": {"files": len(files), "errors": errors, "warnings": warnings},
        }, ensure_ascii=False, indent=1))
    else:
        for d in diagnostics:
            click.echo(render_text(d, sources) + "\n")
        click.echo(f"{len(files)} file(s): {errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(EXIT_FAILURE if unreadable else EXIT_PROBLEMS if errors else EXIT_OK)
