"""The `kpilang` command: a click group whose commands live one per module and load on use.

Loading a command's module only when it runs keeps `kpilang lint` from importing DuckDB or
Jinja2. Exit status everywhere: 0 all good, 1 problems found, 2 the job could not be done.
"""

from __future__ import annotations

import gc
import importlib
import sys

import click

from kpilang.cli.click_words import click_speaks, speak_help
from kpilang.cli.output import lang_in, output_guard
from kpilang.cli.refusals import record_usage, refusals_in_json

COMMANDS = {
    "lint": ("kpilang.cli.lint", "lint"),
    "fmt": ("kpilang.cli.fmt", "fmt"),
    "test": ("kpilang.cli.test", "test"),
    "eval": ("kpilang.cli.eval", "eval_"),
    "explain": ("kpilang.cli.explain", "explain"),
    "diff": ("kpilang.cli.diff", "diff"),
    "hash": ("kpilang.cli.hash", "hash_"),
    "cadence": ("kpilang.cli.cadence", "cadence"),
    "init": ("kpilang.cli.init", "init"),
    "data": ("kpilang.cli.data", "data"),
    "pull": ("kpilang.cli.pull", "pull"),
    "compare": ("kpilang.cli.compare", "compare"),
    "report": ("kpilang.cli.report", "report"),
    "lsp": ("kpilang.cli.lsp", "lsp"),
    "sql": ("kpilang.cli.sql", "sql"),
}

RUN_WITHOUT_COLLECTOR = frozenset({"eval", "explain", "report", "compare"})
"""Commands that run to their end and keep what they build until then (the plan, the data's
figures, every person's results, the output): run as the process's own command, Python's cycle
collector is off for them. It would run every few hundred new objects and walk the whole heap
now and then, finding nothing (0.25 CPU s of a warm W1 eval of 2.1); reference counting still
frees every object dropped. Not the language server, a long life; nor `pull`, whose HTTP
clients make cycles."""


class _LazyGroup(click.Group):
    # Standard output that cannot be written (a closed pipe, a full disk) ends any command, and
    # --help and --version, the same way (see `output`). The guard is taken in `make_context`
    # (where --help and --version print) and `invoke`, inside click's own handling, which would
    # otherwise turn a closed pipe into exit status 1; and around `main`, for the final flush.
    def main(self, args=None, *rest, **kwargs):
        self._args = args  # the command line, for the language of the message (None: sys.argv)
        # The process's own command line (a caller that passes `args`, a test's runner, goes on
        # living and its collector is left as it was): the process ends with the command.
        own = args is None
        if own and sys.argv[1:2] and sys.argv[1] in RUN_WITHOUT_COLLECTOR:
            gc.disable()
        try:
            with output_guard(args), refusals_in_json(args), click_speaks(self._lang()):
                speak_help(self, "kpilang")
                return super().main(args, *rest, **kwargs)
        finally:
            if own:
                # None of the process's objects (a report of ten thousand people, the plan, the
                # modules) is garbage now; frozen, the interpreter's shutdown collections skip
                # them (0.08 CPU s of a warm W1 eval).
                gc.freeze()

    # A command line click rejects is said in JSON too (see refusals.py): here, where click raises
    # it, before its own handling prints it and exits.
    def make_context(self, *args, **kwargs) -> click.Context:  # where --help and --version print
        with output_guard(getattr(self, "_args", None)):
            try:
                return super().make_context(*args, **kwargs)
            except click.ClickException as err:
                record_usage(err, self._lang())
                raise

    def invoke(self, ctx: click.Context):  # where a command's own options are read
        with output_guard(getattr(self, "_args", None)):
            try:
                return super().invoke(ctx)
            except click.ClickException as err:
                record_usage(err, self._lang())
                raise

    def _lang(self) -> str:
        from kpilang.messages import language

        return language(lang_in(getattr(self, "_args", None)))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._module(name) is not None)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = self._module(name)
        if module is None:
            return None
        command = getattr(module, COMMANDS[name][1])
        speak_help(command, name)  # its help in the reader's language, while this run lasts
        return command

    @staticmethod
    def _module(name: str):
        if name not in COMMANDS:
            return None
        try:
            return importlib.import_module(COMMANDS[name][0])
        except ModuleNotFoundError as err:
            if err.name == COMMANDS[name][0]:  # a command of a part not installed in this build
                return None
            raise


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from kpilang.release import version_text

    click.echo(version_text(ctx.find_root().info_name or "kpilang"))
    ctx.exit()


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version, and the fingerprints of the grammar and of the message catalogs, and exit.")
def main() -> None:
    """kpilang: sales KPI and bonus plans as code.

    Write a plan in a .kpi file, check it with `kpilang lint`, prove it with `kpilang test`,
    compute everyone's pay with `kpilang eval` and explain it with `kpilang explain`.
    """
