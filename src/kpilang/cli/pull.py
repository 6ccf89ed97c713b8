"""`kpilang pull bitrix24|amocrm --from DATE --to DATE --out DIR`: fetch a CRM's records for a
period into a snapshot folder (docs/crm/pull.md).

Exit status: 0 the snapshot is complete (or was already); 2 it could not be made (a secret that
cannot be used, a refused folder, the CRM's refusal, too many failed tries). An interrupted pull
is continued by running the same command again.
"""

from __future__ import annotations

import math
import sys
from datetime import date
from pathlib import Path

import click

from kpilang.cli.common import EXIT_FAILURE, EXIT_OK, fail, lang_option, report_error
from kpilang.messages import Text, language, t

BITRIX24_VARIABLE = "KPILANG_BITRIX24_WEBHOOK"
AMOCRM_VARIABLE = "KPILANG_AMOCRM_TOKEN"


@click.group("pull")
def pull() -> None:
    """Fetch a CRM's records for a period into a snapshot folder.

    One JSONL file per API method, records exactly as the CRM sent them, and manifest.json with
    each file's SHA-256. The secret comes from a file (chmod 600) or an environment variable,
    never the command line. Run the same command again to continue an interrupted pull.
    """


def _pull_options(command):
    for option in reversed([
        click.option("--from", "first", required=True, type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
                     help="The period's first day, YYYY-MM-DD."),
        click.option("--to", "last", required=True, type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
                     help="The period's last day, YYYY-MM-DD (included)."),
        click.option("--out", "out", required=True, type=click.Path(file_okay=False),
                     help="The snapshot folder: new or empty, or the same pull's folder to continue it."),
        click.option("--restart", is_flag=True, default=False,
                     help="Start over in a folder holding another or an unfinished pull (its files are removed)."),
        lang_option("The language of the messages"),
    ]):
        command = option(command)
    return command


@pull.command("bitrix24")
@click.option("--webhook-file", "webhook_file", type=click.Path(dir_okay=False),
              help=f"A file holding the incoming webhook's URL [default: ${BITRIX24_VARIABLE}].")
@_pull_options
def bitrix24(webhook_file: str | None, first, last, out: str, restart: bool, lang: str | None) -> None:
    """Fetch deals, leads, activities, calls and users from Bitrix24 through an incoming webhook."""
    from kpilang.sources.pull.bitrix24 import Bitrix24
    from kpilang.sources.pull.secret import read_secret

    lang = language(lang)
    _run(lambda window, on_wait: Bitrix24(read_secret(webhook_file, BITRIX24_VARIABLE, "--webhook-file"), window,
                                          on_wait=on_wait), first.date(), last.date(), out, restart, lang)


@pull.command("amocrm")
@click.option("--subdomain", "subdomain", required=True, help="The account's name: NAME in NAME.amocrm.ru.")
@click.option("--token-file", "token_file", type=click.Path(dir_okay=False),
              help=f"A file holding a long-lived token [default: ${AMOCRM_VARIABLE}].")
@_pull_options
def amocrm(subdomain: str, token_file: str | None, first, last, out: str, restart: bool, lang: str | None) -> None:
    """Fetch leads, users, call notes and tasks from amoCRM with a long-lived token."""
    from kpilang.sources.pull.amocrm import AmoCrm
    from kpilang.sources.pull.secret import read_secret

    lang = language(lang)
    _run(lambda window, on_wait: AmoCrm(subdomain, read_secret(token_file, AMOCRM_VARIABLE, "--token-file"), window,
                                        on_wait=on_wait), first.date(), last.date(), out, restart, lang)


def _run(connect, first: date, last: date, out: str, restart: bool, lang: str) -> None:
    from kpilang.sources.pull.listing import Window
    from kpilang.sources.pull.run import pull as run_pull
    from kpilang.sources.pull.secret import SecretError
    from kpilang.sources.pull.transport import PullError

    if last < first:
        fail(t("pull.period-backwards", first=first.isoformat(), last=last.isoformat()), lang=lang)
    window = Window.around(first, last)
    with _Report(lang) as report:
        try:
            source = connect(window, report.waiting)
        except (SecretError, PullError) as err:
            report.stop()
            fail(err.text, err.hint, lang)
        try:
            outcome = run_pull(source, Path(out), first, last, window, restart=restart, progress=report.progress)
        except PullError as err:
            report.stop()
            report_error(err.text, err.hint, lang)
            sys.exit(EXIT_FAILURE)
        except KeyboardInterrupt:
            report.stop()
            report_error(t("pull.interrupted"), t("pull.interrupted-help"), lang)
            sys.exit(EXIT_FAILURE)
        except Exception as err:  # a failure no message foresaw: its kind and words, never the secret
            report.stop()
            report_error(t("pull.unexpected", kind=type(err).__name__,
                           words=source.transport.secret.redact(str(err))), t("pull.interrupted-help"), lang)
            sys.exit(EXIT_FAILURE)
        finally:
            source.close()
    manifest = outcome.manifest
    if outcome.already_done:
        click.echo(t("pull.already-done", folder=out).render(lang), err=True)
        sys.exit(EXIT_OK)
    for entry in manifest.files:
        click.echo(t("pull.file-line", file=entry.name, records=entry.records).render(lang), err=True)
    click.echo(t("pull.done", records=sum(e.records for e in manifest.files), folder=out,
                 portal=manifest.portal).render(lang), err=True)
    sys.exit(EXIT_OK)


class _Report:
    """Progress on a terminal's standard error (method and records so far); nothing in pipes or CI,
    where only waits and the summary are said."""

    def __init__(self, lang: str):
        from kpilang.cli.eval import _stderr_console

        self.lang = lang
        self.console = _stderr_console()
        self.bar = None
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> _Report:
        if self.console is not None:
            from rich.progress import Progress, SpinnerColumn, TextColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), console=self.console,
                                transient=True)
            self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def progress(self, file: str, records: int, done: bool) -> None:
        if self.bar is None:
            return
        words = t("pull.progress", file=file, records=records).render(self.lang)
        if file not in self.tasks:
            self.tasks[file] = self.bar.add_task(words, total=None)
        self.bar.update(self.tasks[file], description=words)

    def waiting(self, reason: Text, seconds: float) -> None:
        line = t("pull.waiting", reason=reason, seconds=max(1, math.ceil(seconds))).render(self.lang)
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False)
        else:
            click.echo(line, err=True)
