"""`kpilang fmt PATH... [--check] [--diff] [--lang en|ru]`: rewrite plans in the canonical layout."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from kpilang.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS, lang_option, plan_files, report_error
from kpilang.compile.loader import PlanFileError, display_path, read_plan_file
from kpilang.diagnostics import render_text
from kpilang.messages import language, t
from kpilang.syntax.formatter import FormatterError, format_source


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--check", is_flag=True, help="Change nothing; list the files that would change and exit 1 if any.")
@click.option("--diff", "show_diff", is_flag=True, help="Change nothing; print what would change as a unified diff.")
@lang_option("The language of the file list, errors and summary")
def fmt(paths: tuple[str, ...], check: bool, show_diff: bool, lang: str | None) -> None:
    """Rewrite plans in the one canonical layout (comments kept, meaning unchanged).

    Files that do not parse are reported and left alone (exit 2). With --check, exit 1 when a
    file would change; --diff shows the changes; without either, files are rewritten in place.
    """
    lang = language(lang)
    failed = 0
    changed: list[str] = []
    files = plan_files(paths, lang)
    for path in files:
        name = display_path(path)
        try:
            original = read_plan_file(path)
        except PlanFileError as err:
            report_error(err.text, lang=lang)
            failed += 1
            continue
        try:
            formatted, diagnostics = format_source(original, name)
        except FormatterError as err:
            # the formatter says which check refused the result, in English: a bug to report as it is
            report_error(t("fmt.refused", detail=str(err)), lang=lang)
            failed += 1
            continue
        if formatted is None:
            for d in diagnostics:
                click.echo(render_text(d, {name: original}, lang) + "\n", err=True)
            failed += 1
            continue
        if formatted == original:
            continue
        changed.append(name)
        if show_diff:
            click.echo(_unified_diff(original, formatted, name, lang), nl=False)
        if check:
            click.echo(t("fmt.would-reformat", file=name).render(lang))
        elif not show_diff:
            _write(path, formatted)
            click.echo(t("fmt.reformatted", file=name).render(lang), err=True)
    verb = t("fmt.verb-would") if check or show_diff else t("fmt.verb-done")
    left = t("fmt.left-alone", count=failed) if failed else ""
    click.echo(t("fmt.summary", files=len(files), changed=len(changed), verb=verb,
                 kept=len(files) - len(changed) - failed, left=left).render(lang), err=True)
    if failed:
        sys.exit(EXIT_FAILURE)
    sys.exit(EXIT_PROBLEMS if check and changed else EXIT_OK)


def _unified_diff(original: str, formatted: str, name: str, lang: str) -> str:
    lines = difflib.unified_diff(original.splitlines(keepends=True), formatted.splitlines(keepends=True),
                                 fromfile=t("fmt.now", file=name).render(lang),
                                 tofile=t("fmt.formatted", file=name).render(lang))
    # As `diff` does, mark a last line without a newline instead of running it into the next one.
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _write(path: Path, text: str) -> None:
    """Replace the file's content without leaving a half-written file if interrupted."""
    tmp = path.with_name(f".{path.name}.fmt-tmp")
    tmp.write_bytes(text.encode("utf-8"))
    tmp.replace(path)
