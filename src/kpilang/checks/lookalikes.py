"""What a name looks like: the alphabets (Unicode scripts) of its letters, and its skeleton.

Both come from the `confusable-homoglyphs` package, which ships Unicode's own data: the script of
every code point (Scripts.txt) and the pairs of characters that look alike (confusables.txt of
Unicode TR39, "Security Mechanisms"). It is small, pure Python, and keeps to Unicode's tables; the
other packages that do this either stopped at Unicode data of 2020 and compare names through an
exponential set of readings (`confusables`), or are young compiled builds (`disarm`).

The skeleton follows TR39: two names look the same when their skeletons are equal. TR39 maps each
character to the prototype of its class of look-alikes; here each character maps to one fixed
member of its class, built from the package's pairs (which hold every source with its prototype),
which gives equal skeletons for the same names. Look-alikes of several characters (`rn` and `m`)
are left out: the package keeps them only as strings, and names such as `modern` are common.
"""

from __future__ import annotations

import functools
import unicodedata

_NOT_AN_ALPHABET = frozenset({"COMMON", "INHERITED", "Unknown"})
"""Digits, `_` and combining marks belong to every alphabet."""


def scripts(name: str) -> dict[str, str]:
    """{script: its letters in `name`, in order}, for the letters that belong to one alphabet."""
    from confusable_homoglyphs.categories import alias

    found: dict[str, str] = {}
    for char in name:
        script = alias(char)
        if script not in _NOT_AN_ALPHABET:
            found[script] = found.get(script, "") + char
    return found


def skeleton(name: str) -> str:
    """TR39's skeleton of `name`: every character replaced by its class's representative."""
    representative = _representatives()
    decomposed = unicodedata.normalize("NFD", name)
    return unicodedata.normalize("NFD", "".join(representative.get(char, char) for char in decomposed))


@functools.cache
def _representatives() -> dict[str, str]:
    """Character → the smallest character of its class of single-character look-alikes."""
    from confusable_homoglyphs.confusables import confusables_data

    parent: dict[str, str] = {}

    def root(char: str) -> str:
        while parent.get(char, char) != char:
            char = parent[char]
        return char

    for char, homoglyphs in confusables_data.items():
        if len(char) != 1:
            continue
        for entry in homoglyphs:
            other = entry["c"]
            if len(other) == 1:
                a, b = root(char), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {char: root(char) for char in parent}
