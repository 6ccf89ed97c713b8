"""What this build of kpilang is: its version, and fingerprints of the grammar and of the message
catalogs it carries, as `kpilang --version` prints them.

The grammar and the catalogs are named by the first twelve hex digits of the SHA-256 of their
bytes rather than by numbers someone must remember to raise: two builds print the same
fingerprint exactly when they read plans by the same grammar and speak with the same words, so a
bug report or a CI log says which ones ran.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from importlib.metadata import PackageNotFoundError, version

from kpilang.messages import LANGUAGES

FINGERPRINT_DIGITS = 12


def package_version() -> str:
    try:
        return version("kpilang")
    except PackageNotFoundError:  # a source tree on the path without an installed distribution
        return "unknown"


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_DIGITS]


def grammar_fingerprint() -> str:
    from kpilang.syntax.parser import grammar_text

    return _fingerprint(grammar_text())


def catalog_fingerprints() -> dict[str, str]:
    """Each language's message catalog (diagnostics, reports, and the statements' own wording)."""
    found = {}
    for lang in LANGUAGES:
        texts = [resources.files("kpilang.messages").joinpath(f"{lang}.toml"),
                 resources.files("kpilang.explain").joinpath("messages", f"{lang}.toml")]
        found[lang] = _fingerprint("".join(text.read_text(encoding="utf-8") for text in texts))
    return found


def version_text(prog: str = "kpilang") -> str:
    """The lines of `kpilang --version`."""
    catalogs = ", ".join(f"{lang} {fingerprint}" for lang, fingerprint in catalog_fingerprints().items())
    return "\n".join([f"{prog} {package_version()}", f"grammar {grammar_fingerprint()}", f"catalogs {catalogs}"])
