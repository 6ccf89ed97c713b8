"""Why a command could not do its job, said in its JSON document too.

A command run with `--format json` is read by a script or a CI job, which cannot read the
sentences on standard error. Every refusal said there (a usage error, a plan that does not
compile, data that cannot be used, a file that cannot be read) is also kept as an entry of the
document's `fatal` list: `code` (a stable name: the catalog key of the sentence, a diagnostic's
code, a data problem's code, or `usage` for a command line click rejects), `message`, `file` and
`help` (null when there is none), and for a place in a file `line`/`row` and `column`.

A command that prints its document anyway (`lint` with an unreadable file) puts the list into it
through `document`; a command stopped before it had any document to print leaves behind a
document of its own, `{"fatal": [...]}`, printed on standard output as it exits. The exit status
is the one the command gives without JSON (2).
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

import click

from kpilang.cli.common import EXIT_FAILURE

USAGE = "usage"

_fatal: list[dict[str, Any]] | None = None
"""The refusals of the command running with `--format json`; None when it runs without."""
_document_printed = False


def json_requested(args: Sequence[str] | None) -> bool:
    """Whether the command line asks for `--format json` (read before click has parsed it, so
    that a usage error is said in JSON too)."""
    words = list(sys.argv[1:] if args is None else args)
    for i, word in enumerate(words):
        if word == "--":
            break
        if word == "--format" and i + 1 < len(words) and words[i + 1] == "json":
            return True
        if word == "--format=json":
            return True
    return False


@contextmanager
def refusals_in_json(args: Sequence[str] | None) -> Iterator[None]:
    """Run a command; with `--format json`, one whose job could not be done and that printed no
    document prints `{"fatal": [...]}` on standard output before it exits."""
    global _fatal, _document_printed
    if not json_requested(args):
        yield
        return
    _fatal, _document_printed = [], False
    try:
        yield
    except SystemExit as end:
        if end.code == EXIT_FAILURE and _fatal and not _document_printed:
            click.echo(json.dumps({"fatal": _fatal}, ensure_ascii=False, indent=1))
        raise
    finally:
        _fatal, _document_printed = None, False


def record(code: str, message: str, *, file: str | None = None, help: str | None = None,
           **place: Any) -> None:
    """Keep one refusal (words already in the reader's language) for the JSON document; nothing
    without `--format json`."""
    if _fatal is not None:
        _fatal.append({"code": code, "message": message, "file": file, "help": help,
                       **{name: value for name, value in place.items() if value is not None}})


def record_diagnostic(diagnostic, lang: str) -> None:
    """A compile error that stops the command."""
    said = diagnostic.localized(lang)
    record(said.code, said.message, file=said.span.file, help=said.help or None, line=said.span.line,
           column=said.span.column)


def record_data_problem(problem, lang: str) -> None:
    """A fatal data problem (a file that cannot be read, a table that is missing)."""
    record(problem.code, problem.reason.render(lang), file=problem.file, help=problem.hint.render(lang),
           table=problem.table, row=problem.row, column=problem.column)


def record_usage(err: click.ClickException, lang: str) -> None:
    """A command line click rejects (an unknown option, a missing one, a wrong choice)."""
    from kpilang.messages import t

    context = getattr(err, "ctx", None)
    help_text = None
    if context is not None and context.command.get_help_option(context) is not None:
        help_text = t("refusal.usage-help", command=context.command_path).render(lang)
    record(USAGE, err.format_message(), help=help_text)


def fatal_list() -> list[dict[str, Any]]:
    """The refusals kept so far (empty when none), for the `fatal` list of a document the command
    prints itself; once it has, no document of refusals alone is printed."""
    global _document_printed
    _document_printed = True
    return list(_fatal or [])


def document(doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` with its `fatal` list (see `fatal_list`)."""
    return {**doc, "fatal": fatal_list()}
