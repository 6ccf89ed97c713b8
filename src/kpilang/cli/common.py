"""What several commands share: the `--lang` option, finding plan files and reporting a failure
to do the job."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kpilang.messages import DEFAULT_LANGUAGE, LANGUAGE_VARIABLE, LANGUAGES, Text, render, t

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILURE = 0, 1, 2


def lang_option(what: str, more: str = ""):
    """The `--lang en|ru` option of a command whose output speaks English unless told otherwise;
    `what` says what it changes (and `more`, anything else worth knowing). The command resolves
    it with `kpilang.messages.language`."""
    return click.option("--lang", "lang", type=click.Choice(LANGUAGES), default=None,
                        help=f"{what} [default: en, or ${LANGUAGE_VARIABLE}]." + (f" {more}" if more else ""))


IN_DATABASE_SOURCE = (" With --data URL, the mapping's column names, constants and prefixes are applied "
                      "to the database's tables (docs/warehouse.md).")


def source_option(in_database: bool = False):
    """The `--source NAME|FILE.toml` option of a command that reads data: the data directory holds
    a CRM's files, read through a preset or a mapping of one's own (docs/crm/mapping.md); for a
    command that also reads a database (`in_database`), its tables may be a CRM's too."""
    return click.option(
        "--source", "source", default=None, metavar="NAME|FILE.toml",
        help="Read the data directory as a CRM's files through this mapping: a preset (bitrix24, "
             "bitrix24-export, amocrm, amocrm-export) or a mapping file; see docs/crm/mapping.md."
             + (IN_DATABASE_SOURCE if in_database else ""),
    )


def cache_option():
    """`--no-cache`: check the data files again rather than take the tables a previous run checked
    (docs/data-format.md, "The cache of checked tables")."""
    return click.option(
        "--no-cache", "no_cache", is_flag=True, default=False,
        help="Read and check every data file again, without the cache of checked tables (which "
             "lives in the user's cache directory; KPILANG_CACHE_DIR moves it).",
    )


def table_cache(no_cache: bool):
    """The cache of checked tables a command uses, None with --no-cache."""
    if no_cache:
        return None
    from kpilang.data.table_cache import TableCache

    return TableCache()


def load_source(source: str | None, lang: str = DEFAULT_LANGUAGE):
    """The table provider a `--source` value names (None without one); exit 2 with the mapping's
    problems when it cannot be used."""
    if source is None:
        return None
    from kpilang.data import DataError
    from kpilang.sources.source import MappedSource

    try:
        return MappedSource.named(source)
    except DataError as err:
        from kpilang.cli import refusals

        said = t("source.unusable", source=source)
        click.echo(said.render(lang), err=True)
        refusals.record(said.key, said.render(lang), file=source)
        for problem in err.problems:
            refusals.record_data_problem(problem, lang)
            place = problem.file + (f":{problem.row}" if problem.row is not None else "")
            key = f" [{problem.column}]" if problem.column else ""
            click.echo(f"  - {place}{key}: {problem.reason.render(lang)}", err=True)
            click.echo(f"      = {t('label.help').render(lang)}: {problem.hint.render(lang)}", err=True)
        sys.exit(EXIT_FAILURE)


def plan_files(paths: tuple[str, ...], lang: str = DEFAULT_LANGUAGE) -> list[Path]:
    """Files as given; a directory means every `*.kpi` below it, in sorted order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(_plans_in_folder(path, raw, lang))
        elif path.exists():
            found.append(path)
        else:
            fail(t("cli.no-such-path", path=raw), lang=lang, file=raw)
    return found


def _plans_in_folder(folder: Path, written: str, lang: str) -> list[Path]:
    """Every `*.kpi` file below `folder`, sorted. A link that leads outside the folder stops the
    command: its target may be any file (`/etc/passwd`), and a plan's errors quote its lines into
    logs that CI makes public. Named on the command line, the same file is read as given."""
    inside = folder.resolve()
    found = []
    for path in sorted(folder.rglob("*.kpi")):
        if not path.resolve().is_relative_to(inside):
            fail(t("cli.link-outside", path=str(path), folder=written),
                 t("cli.link-outside-help"), lang=lang, file=str(path))
        if path.is_file():
            found.append(path)
    return found


def report_error(message: str | Text, hint: str | Text | None = None, lang: str = DEFAULT_LANGUAGE, *,
                 file: str | None = None) -> None:
    """Say on standard error, in `lang`, what went wrong (and what to do about it); with
    `--format json`, the JSON document lists it among its refusals too (`file`: the file it
    concerns, if one)."""
    from kpilang.cli import refusals

    said, helped = render(message, lang), render(hint, lang) if hint else None
    click.echo(f"{t('severity.error').render(lang)}: {said}", err=True)
    if helped:
        click.echo(f"  = {t('label.help').render(lang)}: {helped}", err=True)
    refusals.record(message.key if isinstance(message, Text) else "error", said, file=file, help=helped)


def fail(message: str | Text, hint: str | Text | None = None, lang: str = DEFAULT_LANGUAGE, *,
         file: str | None = None) -> None:
    """Say why the command cannot do its job (in `lang`) and exit 2."""
    report_error(message, hint, lang, file=file)
    sys.exit(EXIT_FAILURE)
