"""What kpilang says about a plan, in English and in Russian: message keys, catalogs, rendering.

A diagnostic does not carry a finished sentence but a `Text`: a key into the catalogs
(`en.toml`, `ru.toml` beside this module) and the values for its `{placeholders}`. The sentence
is made when it is printed, in the language the reader asked for (`--lang`, or `KPILANG_LANG`).

Why TOML catalogs and not gettext: the keys are short and stable (`E0201.unknown-name`) rather than
the English sentence itself, so rewording the English does not orphan the Russian; the files need
no compile step and ship in the wheel as they are (tomllib is in the standard library); and a test
can enumerate every key used in the code and every placeholder of every entry.

A placeholder's value may itself be a `Text` (a unit such as "money"/«деньги», a phrase of a
syntax error) or a `Join` of several (rendered with the language's "and"/"or"), so composed
sentences are translated whole, not glued from English pieces. A `Concat` puts pieces side by
side with nothing between them: a formula with its figures put in, one of which is a word.
"""

from __future__ import annotations

import functools
import os
import re
import string
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
LANGUAGE_VARIABLE = "KPILANG_LANG"
"""The environment variable that chooses the language when no `--lang` is given."""


class CatalogError(LookupError):
    """A key that is not in a catalog: a bug in kpilang, caught by the catalog tests."""


@dataclass(frozen=True)
class Text:
    """A sentence to say: its catalog key and the values of its placeholders."""

    key: str
    args: tuple[tuple[str, Any], ...] = ()

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        template = catalog(lang).get(self.key)
        if template is None:
            raise CatalogError(f"no message {self.key!r} in the {lang} catalog")
        code = code_placeholders(template)
        return template.format_map({name: _render_value(value, lang, name in code) for name, value in self.args})

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """In a pydantic model, a Text is kept as it is and dumped as its key and values
        (`{"key": …, "args": [[name, value], …]}`, nested texts alike), which validate back into
        the same Text."""
        return _pydantic_schema()


def _pydantic_schema() -> Any:
    """Texts, concatenations and figures in pydantic models: kept as they are, dumped as data
    (`_to_data`) that validates back into the same value (`_from_data`)."""
    from pydantic_core import core_schema

    return core_schema.no_info_plain_validator_function(
        _from_data, serialization=core_schema.plain_serializer_function_ser_schema(_to_data),
    )


def _to_data(value: Any) -> Any:
    if isinstance(value, Text):
        return {"key": value.key, "args": [[name, _to_data(v)] for name, v in value.args]}
    if isinstance(value, Join):
        return {"items": [_to_data(v) for v in value.items], "conjunction": value.conjunction}
    if isinstance(value, Concat):
        return {"pieces": [_to_data(v) for v in value.pieces]}
    if isinstance(value, Figure):
        return {"figure": value.text}
    return value


def _from_data(value: Any) -> Any:
    if isinstance(value, dict) and "key" in value:
        return Text(value["key"], tuple((name, _from_data(v)) for name, v in value.get("args", ())))
    if isinstance(value, dict) and "items" in value:
        return Join(tuple(_from_data(v) for v in value["items"]), value.get("conjunction", "and"))
    if isinstance(value, dict) and "pieces" in value:
        return Concat(tuple(_from_data(v) for v in value["pieces"]))
    if isinstance(value, dict) and "figure" in value:
        return Figure(value["figure"])
    return value


@dataclass(frozen=True)
class Join:
    """Several values said as one: `a, b and c` (`conjunction="and"`) or `a, b or c`."""

    items: tuple[Any, ...]
    conjunction: str = "and"

    def render(self, lang: str) -> str:
        words = [_render_value(item, lang) for item in self.items]
        if len(words) <= 1:
            return "".join(words)
        last = catalog(lang)[f"join.{self.conjunction}"]
        return ", ".join(words[:-1]) + last.format(item=words[-1])


@dataclass(frozen=True)
class Concat:
    """Pieces said one after another, nothing between them: `12 / ` and the word for no value."""

    pieces: tuple[Any, ...]

    def render(self, lang: str) -> str:
        return "".join(_render_value(piece, lang) for piece in self.pieces)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        return _pydantic_schema()


class Refused(Exception):
    """A refusal to say to the reader: what went wrong (`text`) and what to do (`hint`), both in
    the catalogs' words; `str()` is the text in the default language, for logs."""

    def __init__(self, text: Text, hint: Text | None = None):
        super().__init__(str(text))
        self.text, self.hint = text, hint


def t(key: str, /, **args: Any) -> Text:
    """The sentence `key` with its placeholders filled by `args` (rendered when printed; a
    placeholder may itself be called `key`)."""
    return Text(key, tuple(args.items()))


def join(items: Iterable[Any], conjunction: str = "and") -> Join:
    return Join(tuple(items), conjunction)


def render(value: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """A `Text`, a `Join`, a `Concat` or a plain value (a name, a number) as words in `lang`."""
    return _render_value(value, lang)


def _render_value(value: Any, lang: str, code: bool = False) -> str:
    if isinstance(value, Text | Join | Concat):
        return value.render(lang)
    if isinstance(value, Decimal):  # every digit, never an exponent: 1E+42 reads as no amount does
        return format(value, "f") if code else figure_text(format(value, "f"), lang)
    if isinstance(value, Figure):
        return value.text if code else figure_text(value.text, lang)
    return str(value)


@dataclass(frozen=True)
class Figure:
    """A number in a sentence, written as kpilang writes numbers (`1.05%`, `25000.00`): said so in
    English, and in Russian with a decimal comma and digits grouped by three (`1,05%`,
    `25 000,00`). Inside a code span of the template (`` `target {percent}` ``) it stays as
    written: it is something to type into a plan."""

    text: str

    def __str__(self) -> str:
        return self.text


_NUMBER = re.compile(r"(?<![\w.])(\d+)(?:\.(\d+))?(?![\w.])")
_GROUP = "\u00a0"
"""A no-break space between groups of digits, as Babel's Russian locale writes them."""


def figure_text(text: str, lang: str) -> str:
    """The numbers in `text` as `lang` writes them in prose (only Russian differs from the plan's
    own way of writing: `1234.5` becomes `1 234,5`)."""
    if lang != "ru":
        return text

    def russian(match: re.Match) -> str:
        whole, fraction = match[1], match[2]
        if len(whole) > 3:
            head = len(whole) % 3 or 3
            whole = _GROUP.join([whole[:head]] + [whole[i:i + 3] for i in range(head, len(whole), 3)])
        return whole + ("," + fraction if fraction is not None else "")

    return _NUMBER.sub(russian, text)


@functools.cache
def code_placeholders(template: str) -> frozenset[str]:
    """The placeholders of a template that stand inside a code span (between backticks)."""
    inside, found = False, set()
    for literal, field, _, _ in string.Formatter().parse(template):
        inside ^= literal.count("`") % 2 == 1
        if field is not None and inside:
            found.add(field)
    return frozenset(found)


def language(choice: str | None = None) -> str:
    """The language to speak: `choice` if given, else `KPILANG_LANG` if it names a known
    language, else English."""
    if choice:
        return _known(choice)
    from_environment = os.environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    if from_environment:
        # `ru_RU.UTF-8`-style values name the language first.
        short = from_environment.split("_")[0].split(".")[0].split("-")[0]
        if short in LANGUAGES:
            return short
    return DEFAULT_LANGUAGE


def _known(choice: str) -> str:
    lang = choice.strip().lower()
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {choice!r}; kpilang speaks {', '.join(LANGUAGES)}")
    return lang


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """Every message of `lang`, by its dotted key (`[E0201]` + `unknown-name` → `E0201.unknown-name`)."""
    _known(lang)
    text = resources.files(__package__).joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    return dict(_flatten(tomllib.loads(text)))


def _flatten(table: dict[str, Any], prefix: str = "") -> Iterable[tuple[str, str]]:
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def placeholders(template: str) -> set[str]:
    """The names a template fills, e.g. `{"name"}` for "unknown name `{name}`"."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
