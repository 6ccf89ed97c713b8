"""click's own words (usage errors, the headings and the help option of `--help`), and the help
texts of our commands and options, in the reader's language.

click says these through `gettext`, each of its modules holding `_` and `ngettext` of its own;
while a command runs in a language other than English, `click_speaks` gives those modules a
translation read from our catalogs (`[click]`: the English entry is click's own text, so the
table below is the only place that knows click's wording), and puts click's back afterwards.
A text click says that the table does not know stays in English. The help of a command and of
its options is put into the language when click looks the command up (`speak_help`, keys
`help-text.COMMAND.OPTION`, `about` for the command's own text), and put back afterwards.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import click

from kpilang.messages import DEFAULT_LANGUAGE, Text, catalog, t

_WORDS = (
    t("click.usage"), t("click.options"), t("click.commands"), t("click.help-option"), t("click.error"),
    t("click.try-help"), t("click.missing-argument"), t("click.missing-option"), t("click.missing-parameter"),
    t("click.missing-command"), t("click.no-such-option"), t("click.no-such-command"), t("click.invalid-value-for"),
    t("click.invalid-value"), t("click.not-one-of"), t("click.not-choice"), t("click.did-you-mean"),
    t("click.did-you-mean-one-of"), t("click.requires-argument"), t("click.requires-arguments"),
    t("click.extra-argument"), t("click.extra-arguments"), t("click.no-value-taken"), t("click.default"),
    t("click.not-a-valid-number"), t("click.required"),
)
_MODULES = ("core", "exceptions", "parser", "types", "formatting", "decorators")

_speaking: tuple[str, list[tuple[object, str, object]]] | None = None
"""While a command runs in a language other than English: that language, and the help texts put
into it (object, attribute, English value) to put back."""


def _translation(lang: str) -> dict[str, str]:
    english, said = catalog(DEFAULT_LANGUAGE), catalog(lang)
    return {english[text.key]: said[text.key] for text in _WORDS if isinstance(text, Text)}


@contextmanager
def click_speaks(lang: str) -> Iterator[None]:
    """While the block runs, click says its own words in `lang`."""
    if lang == DEFAULT_LANGUAGE:
        yield
        return
    import importlib

    words = _translation(lang)

    def gettext(message: str) -> str:
        return words.get(message, message)

    def ngettext(singular: str, plural: str, count: int) -> str:
        return gettext(singular if count == 1 else plural)

    global _speaking
    modules = [importlib.import_module(f"click.{name}") for name in _MODULES]
    saved = [(module, module.__dict__.get("_"), module.__dict__.get("ngettext")) for module in modules]
    _speaking = (lang, [])
    try:
        for module, said, plural in saved:
            _give(module, gettext if said else None, ngettext if plural else None)
        yield
    finally:
        for module, said, plural in saved:
            _give(module, said, plural)
        for target, attribute, english in reversed(_speaking[1]):
            setattr(target, attribute, english)
        _speaking = None


def speak_help(command: click.Command, path: str) -> None:
    """Put the help of `command` (`path`: `eval`, `data-check`), of its options and, for a group,
    of its commands into the language being spoken, for this run; nothing in English, and a text
    the catalog does not hold stays as written."""
    if _speaking is None:
        return
    lang, put = _speaking
    said = catalog(lang)
    # click (8.1.8 and later) keeps a command's help option once made, its text said in the language
    # of the run that made it: forget it for this run, so it is made again in this language, and
    # put the one made earlier back afterwards (tests/cli/test_click_words.py runs both orders).
    if not any(done is command and attribute == "_help_option" for done, attribute, _ in put):
        put.append((command, "_help_option", getattr(command, "_help_option", None)))
        command._help_option = None
    places = [(command, "about"), *((p, p.name) for p in command.params if isinstance(p, click.Option))]
    for target, key in places:
        text = t(f"help-text.{path}.{key}")
        if text.key in said and not any(done is target and attribute == "help" for done, attribute, _ in put):
            put.append((target, "help", target.help))
            target.help = text.render(lang)
    for name, sub in getattr(command, "commands", {}).items():  # a group's own commands (`data check`)
        speak_help(sub, f"{path}-{name}")


def _give(module, gettext, ngettext) -> None:
    """Set a click module's `_` and `ngettext` (those it has)."""
    if gettext is not None:
        module._ = gettext
    if ngettext is not None:
        module.ngettext = ngettext
