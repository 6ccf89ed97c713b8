"""Figures rounded for display, carrying their exact value.

A statement shows a percent such as 13/36 as `≈ 36,11 %`, but an auditor must still be able to
see the exact figure that went into the pay. So the builder writes a rounded figure as
`START exact SEP shown END` (three private-use characters that no plan, data or catalog text
contains): the figure travels inside any sentence it is put into (`10 % / 8 % = 125 %`), and the
renderer decides at the last moment how to show it. Text and Markdown keep `shown`; HTML writes
`<data value="exact-decimal" title="exact figure">shown</data>`, so the exact value is one hover
(or one view-source) away.

`plain()` gives the text as a reader sees it; use it for any string of a `Statement` outside our
renderer (and the `plain` template filter inside SVG text and attributes, where markup cannot go).
"""

from __future__ import annotations

import re
from decimal import Decimal

from markupsafe import Markup, escape

START, SEP, END = "\ue000", "\ue001", "\ue002"
APPROX = "≈\u00a0"
"""Put before a figure rounded for display (a no-break space keeps it on the figure's line)."""

_MARKED = re.compile(f"{START}([^{SEP}]*){SEP}([^{END}]*){END}")
# `a / b = ≈ 36,11 %` reads `a / b ≈ 36,11 %`: the ≈ takes the equals sign's place.
_EQUALS_APPROX = re.compile(f"= (?={START}[^{SEP}]*{SEP}{APPROX})")
_EXACT_DATA = re.compile(r"^(-?\d+(?:\.\d+)?)\|(.*)$", re.S)


def mark(exact: Decimal, exact_text: str, shown: str) -> str:
    """A figure shown as `shown` (already marked ≈) whose exact value is `exact` (`exact_text` as
    the locale writes it)."""
    return f"{START}{format(exact, 'f')}|{exact_text}{SEP}{shown}{END}"


def is_marked(text: str) -> bool:
    return START in text


def plain(text: object) -> str:
    """The text as a reader sees it: every rounded figure as shown (`≈ 36,11 %`)."""
    text = str(text)
    if START not in text:
        return text
    return _MARKED.sub(lambda m: m.group(2), _EQUALS_APPROX.sub("", text))


def exact_values(text: object) -> list[tuple[str, str]]:
    """(shown, exact as the locale writes it) of every rounded figure in `text`."""
    text = str(text)
    if START not in text:
        return []
    return [(m.group(2), _split(m.group(1))[1]) for m in _MARKED.finditer(text)]


def html(text: object) -> Markup:
    """HTML-escaped text in which each rounded figure is a `<data>` element holding the exact
    decimal (`value`) and showing the exact figure on hover (`title`)."""
    text = _EQUALS_APPROX.sub("", str(text))
    out: list[str] = []
    last = 0
    for m in _MARKED.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        value, exact_text = _split(m.group(1))
        out.append(f'<data class="approx" value="{escape(value)}" title="{escape(exact_text)}">'
                   f"{escape(m.group(2))}</data>")
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def _split(payload: str) -> tuple[str, str]:
    found = _EXACT_DATA.match(payload)
    return (found.group(1), found.group(2)) if found else ("", payload)


__all__ = ["APPROX", "exact_values", "html", "is_marked", "mark", "plain"]
