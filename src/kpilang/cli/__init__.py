"""The `kpilang` command: a click group whose commands live one per module and load on use.

Loading a command's module only when it runs keeps `kpilang lint` from importing DuckDB or
Jinja2. Exit status everywhere: 0 all good, 1 problems found, 2 the job could not be done.
"""

from __future__ import annotations

import importlib

import click

from kpilang.cli.output import output_guard

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
}


class _LazyGroup(click.Group):
    # Standard output that cannot be written (a closed pipe, a full disk) ends any command, and
    # --help and --version, the same way (see `output`). The guard is taken in `make_context`
    # (where --help and --version print) and `invoke`, inside click's own handling, which would
    # otherwise turn a closed pipe into exit status 1; and around `main`, for the final flush.
    def main(self, args=None, *rest, **kwargs):
        self._args = args  # the command line, for the language of the message (None: sys.argv)
        with output_guard(args):
            return super().main(args, *rest, **kwargs)

    def make_context(self, *args, **kwargs) -> click.Context:  # where --help and --version print
        with output_guard(getattr(self, "_args", None)):
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        with output_guard(getattr(self, "_args", None)):
            return super().invoke(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._module(name) is not None)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = self._module(name)
        return None if module is None else getattr(module, COMMANDS[name][1])

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


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kpilang")
def main() -> None:
    """kpilang: sales KPI and bonus plans as code.

    Write a plan in a .kpi file, check it with `kpilang lint`, prove it with `kpilang test`,
    compute everyone's pay with `kpilang eval` and explain it with `kpilang explain`.
    """
