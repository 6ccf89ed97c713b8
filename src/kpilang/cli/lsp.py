"""`kpilang lsp [--lang en|ru]`: the language server, over standard input and output."""

from __future__ import annotations

import click

from kpilang.cli.common import lang_option


@click.command()
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the only way; accepted for "
                                            "clients that pass it).")
@lang_option("The language of findings, hovers and quick fixes",
             "Without it, the client's initialization option `lang` counts.")
def lsp(stdio: bool, lang: str | None) -> None:
    """Run the language server for editors: findings as you type, hover, go to definition,
    completion, formatting and quick fixes (docs/editors.md)."""
    from kpilang.lsp.server import serve  # pygls is loaded only by this command

    serve(lang)
