"""`kpilang hash PATH... [--format text|json] [--lang en|ru]`: the meaning fingerprint of each plan."""

from __future__ import annotations

import json
import sys

import click

from kpilang.cli.common import EXIT_FAILURE, EXIT_OK, lang_option, plan_files, report_error
from kpilang.compile import PlanFileError, compile_file
from kpilang.diagnostics import Severity, render_text, sort_key
from kpilang.messages import language, t


@click.command("hash")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="`fingerprint  path` lines, or a JSON list.")
@lang_option("The language of the errors")
def hash_(paths: tuple[str, ...], fmt: str, lang: str | None) -> None:
    """Print the meaning fingerprint (SHA-256) of each plan.

    The fingerprint changes only when what the plan computes changes: reformatting, comments,
    labels, declaration order and the spelling of numbers (1_000 or 1000, 50% or 0.5) leave it as
    it is. It is the `plan_sha256` of `kpilang eval --format json`. Exit 2 if a plan cannot be read
    or does not compile.
    """
    from kpilang.change import fingerprint

    lang = language(lang)
    rows, failed = [], False
    for path in plan_files(paths, lang):
        try:
            result = compile_file(path)
        except PlanFileError as err:
            report_error(err.text, lang=lang)
            failed = True
            continue
        if result.program is None:
            for d in sorted(result.diagnostics, key=sort_key):
                if d.severity is Severity.ERROR:
                    click.echo(render_text(d, result.sources, lang) + "\n", err=True)
            report_error(t("hash.does-not-compile", path=path), lang=lang)
            failed = True
            continue
        rows.append({"file": str(path), "plan": result.program.plan.name if result.program.plan else None,
                     "sha256": fingerprint(result.program)})
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for row in rows:
            click.echo(f"{row['sha256']}  {row['file']}")
    sys.exit(EXIT_FAILURE if failed else EXIT_OK)
