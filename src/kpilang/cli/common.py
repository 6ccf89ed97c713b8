"""What several commands share: finding plan files and reporting a failure to do the job."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kpilang.messages import DEFAULT_LANGUAGE, Text, render, t

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILURE = 0, 1, 2


def plan_files(paths: tuple[str, ...]) -> list[Path]:
    """Files as given; a directory means every `*.kpi` below it, in sorted order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.kpi") if p.is_file()))
        elif path.exists():
            found.append(path)
        else:
            fail(f"no such file or directory: {raw}")
    return found


def fail(message: str | Text, hint: str | Text | None = None, lang: str = DEFAULT_LANGUAGE) -> None:
    """Say why the command cannot do its job (in `lang`) and exit 2."""
    click.echo(f"{t('severity.error').render(lang)}: {render(message, lang)}", err=True)
    if hint:
        click.echo(f"  = {t('label.help').render(lang)}: {render(hint, lang)}", err=True)
    sys.exit(EXIT_FAILURE)
