"""The statements' wording: one message catalog per language (`messages/ru.toml`, `messages/en.toml`).

Python code composes sentences only from these messages (`{name}` placeholders, filled with
already formatted figures), so the wording of a language can be read, reviewed and corrected in
one file. A user template directory may hold `messages.ru.toml` / `messages.en.toml` to replace
some messages; the keys it does not name keep ours.
"""

from __future__ import annotations

import functools
import string
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any


class MessageError(ValueError):
    """A catalog that cannot be used (unknown key asked for, unreadable override)."""


class Messages:
    """The messages of one language. In templates: `t.metrics` or `t.f("kpi_line", value=…)`."""

    def __init__(self, lang: str, entries: dict[str, str]):
        clash = sorted(set(entries) & _RESERVED)
        if clash:
            raise MessageError(f"message keys that would hide the catalog's own attributes: {', '.join(clash)}")
        # Messages are plain instance attributes: templates read hundreds of them per statement,
        # and a direct attribute is the fastest thing Jinja2 can look up.
        self.__dict__.update(entries)
        self.lang = lang
        self._entries = entries

    def __getattr__(self, key: str) -> str:  # only reached for a key that is not in the catalog
        if key.startswith("_"):
            raise AttributeError(key)
        raise MessageError(f"no message {key!r} in the {self.lang} catalog")

    def __getitem__(self, key: str) -> str:
        try:
            return self._entries[key]
        except KeyError:
            raise MessageError(f"no message {key!r} in the {self.lang} catalog") from None

    def get(self, key: str, default: str | None = None) -> str | None:
        return self._entries.get(key, default)

    def f(self, key: str, **values: Any) -> str:
        """The message `key` with its `{placeholders}` filled in."""
        return self[key].format(**values)

    def keys(self) -> set[str]:
        return set(self._entries)


_RESERVED = {"lang", "get", "f", "keys"}
_FORMATTER = string.Formatter()


def _check_placeholders(path: Path, key: str, text: str) -> None:
    """A message from outside may name placeholders, nothing more: `{value}` is filled in, but
    `{value.__class__}` or `{value[0]}` would let a wording file reach into Python objects."""
    try:
        fields = [(name, spec) for _, name, spec, _ in _FORMATTER.parse(text) if name is not None]
    except ValueError as err:
        raise MessageError(f"{path}: message {key!r} is not a valid template: {err}") from None
    for name, spec in fields:
        if not name.isidentifier() or "{" in (spec or ""):
            raise MessageError(f"{path}: message {key!r} may only use plain placeholders such as {{value}}, "
                               f"not {{{name}}}")


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "_"))
        else:
            out[name] = str(value)
    return out


@functools.cache
def _builtin(lang: str) -> dict[str, str]:
    text = resources.files("kpilang.explain").joinpath("messages", f"{lang}.toml").read_text(encoding="utf-8")
    return _flatten(tomllib.loads(text))


def load_messages(lang: str, override_dir: Path | None = None) -> Messages:
    """Our catalog for `lang`, with `override_dir/messages.<lang>.toml` laid over it if present."""
    entries = dict(_builtin(lang))
    if override_dir is not None:
        path = Path(override_dir) / f"messages.{lang}.toml"
        if path.is_file():
            try:
                extra = _flatten(tomllib.loads(path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
                raise MessageError(f"cannot read {path}: {err}") from err
            unknown = sorted(set(extra) - set(entries))
            if unknown:
                raise MessageError(f"{path} names messages that do not exist: {', '.join(unknown)}")
            for key, text in extra.items():
                _check_placeholders(path, key, text)
            entries.update(extra)
    return Messages(lang, entries)
