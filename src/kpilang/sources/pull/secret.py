"""Reading a CRM secret (a Bitrix24 webhook URL, an amoCRM token) and keeping it out of sight.

A secret comes from a file or an environment variable, never the command line, where it would
stay in the shell's history and show in the process list. A file that others may read is
refused: a webhook gives whoever holds it the CRM's deals and people. Every text kpilang says
during a pull passes through `Secret.redact`, so that not even a server's echo of a request shows
the secret.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kpilang.messages import Refused, t


class SecretError(Refused):
    """A secret that cannot be used; the text never holds the secret itself."""


@dataclass(frozen=True)
class Secret:
    value: str = field(repr=False)
    origin: str
    """Where it was read from: a file's path or an environment variable's name (never the value)."""
    also_hidden: tuple[str, ...] = field(default=(), repr=False)
    """Parts of the secret that must not show either (a webhook's token, its path)."""

    def __str__(self) -> str:
        return "***"

    def redact(self, text: str) -> str:
        for part in sorted((self.value, *self.also_hidden), key=len, reverse=True):
            if part:
                text = text.replace(part, "***")
        return text

    def with_hidden(self, *parts: str) -> Secret:
        return Secret(self.value, self.origin, self.also_hidden + tuple(p for p in parts if p))


def read_secret(path: str | None, variable: str, option: str) -> Secret:
    """The secret from the file at `path`, else from the environment variable `variable`."""
    if path is not None:
        return Secret(_clean(_read_file(Path(path)), path), path)
    value = os.environ.get(variable)
    if value is None or not value.strip():
        raise SecretError(t("pull.no-secret", option=option, variable=variable),
                          t("pull.no-secret-help", option=option, variable=variable))
    return Secret(_clean(value, f"${variable}"), f"${variable}")


def _read_file(path: Path) -> str:
    try:
        info = path.stat()
    except OSError as err:
        raise SecretError(t("pull.secret-unreadable", path=str(path), error=err.strerror or type(err).__name__)) from None
    if not stat.S_ISREG(info.st_mode):
        raise SecretError(t("pull.secret-not-file", path=str(path)))
    if sys.platform != "win32" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(t("pull.secret-too-open", path=str(path), mode=f"{stat.S_IMODE(info.st_mode):03o}"),
                          t("pull.secret-too-open-help", path=str(path)))
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise SecretError(t("pull.secret-unreadable", path=str(path), error=type(err).__name__)) from None


def _clean(raw: str, origin: str) -> str:
    """The secret without the one line end an editor or `echo` puts after it; any other line
    break, space or control character inside is refused (a file holding two lines is a mistake,
    and a line break inside a header or a URL would forge a request)."""
    value = raw[:-2] if raw.endswith("\r\n") else raw[:-1] if raw.endswith("\n") else raw
    if not value:
        raise SecretError(t("pull.secret-empty", origin=origin))
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise SecretError(t("pull.secret-whitespace", origin=origin), t("pull.secret-whitespace-help"))
    return value
