"""`kpilang fmt PATH... [--check] [--diff]`: rewrite plans in the canonical layout."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from kpilang.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS, plan_files
from kpilang.compile.loader import display_path
from kpilang.diagnostics import render_text
from kpilang.syntax.formatter import FormatterError, format_source


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--check", is_flag=True, help="Change nothing; list the files that would change and exit 1 if any.")
@click.option("--diff", "show_diff", is_flag=True, help="Change nothing; print what would change as a unified diff.")
def fmt(paths: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Rewrite plans in the one canonical layout (comments kept, meaning unchanged).

    Files that do not parse are reported and left alone (exit 2). With --check, exit 1 when a
    file would change; --diff shows the changes; without either, files are rewritten in place.
    """
    failed = 0
    changed: list[str] = []
    files = plan_files(paths)
    for path in files:
        name = display_path(path)
        try:
            original = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            reason = "it is not UTF-8 text" if isinstance(err, UnicodeDecodeError) else (err.strerror or str(err))
            click.echo(f"error: cannot read {name}: {reason}", err=True)
            failed += 1
            continue
        try:
            formatted, diagnostics = format_source(original, name)
        except FormatterError as err:
            click.echo(f"error: {err}; the file was left unchanged", err=True)
            failed += 1
            continue
        if formatted is None:
            for d in diagnostics:
                click.echo(render_text(d, {name: original}) + "\n", err=True)
            failed += 1
            continue
        if formatted == original:
            continue
        changed.append(name)
        if show_diff:
            click.echo(_unified_diff(original, formatted, name), nl=False)
        if check:
            click.echo(f"would reformat {name}")
        elif not show_diff:
            _write(path, formatted)
            click.echo(f"reformatted {name}", err=True)
    verb = "would be reformatted" if check or show_diff else "reformatted"
    summary = f"{len(files)} file(s): {len(changed)} {verb}, {len(files) - len(changed) - failed} already formatted"
    click.echo(summary + (f", {failed} left alone because of errors" if failed else ""), err=True)
    if failed:
        sys.exit(EXIT_FAILURE)
    sys.exit(EXIT_PROBLEMS if check and changed else EXIT_OK)


def _unified_diff(original: str, formatted: str, name: str) -> str:
    lines = difflib.unified_diff(original.splitlines(keepends=True), formatted.splitlines(keepends=True),
                                 fromfile=f"{name} (now)", tofile=f"{name} (formatted)")
    # As `diff` does, mark a last line without a newline instead of running it into the next one.
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _write(path: Path, text: str) -> None:
    """Replace the file's content without leaving a half-written file if interrupted."""
    tmp = path.with_name(f".{path.name}.fmt-tmp")
    tmp.write_bytes(text.encode("utf-8"))
    tmp.replace(path)
