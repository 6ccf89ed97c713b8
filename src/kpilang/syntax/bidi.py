"""Bidirectional control characters, refused anywhere in a plan ("Trojan Source").

A character such as U+202E RIGHT-TO-LEFT OVERRIDE inside a text or a comment makes an editor or a
code review show the line in another order than the one kpilang reads: `"won"` can look like a
different condition, a comment can seem to end a line that goes on. Names cannot hold them (they
are not letters); texts and comments could. Right-to-left words need none of them, so every one is
an error, at its place, before the text is parsed.
"""

from __future__ import annotations

import unicodedata

from kpilang.diagnostics import BIDI_CONTROLS, Diagnostic, Severity, Span
from kpilang.messages import t


def bidi_control_errors(text: str, file: str) -> list[Diagnostic]:
    """E0107 for every bidirectional control character of `text`."""
    errors = []
    for match in BIDI_CONTROLS.finditer(text):
        pos = match.start()
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        char = match.group()
        errors.append(Diagnostic(
            code="E0107", name="bidi-control", severity=Severity.ERROR,
            message=t("E0107.message", code=f"U+{ord(char):04X}", char_name=unicodedata.name(char)),
            span=Span(file=file, line=line, column=column, end_line=line, end_column=column + 1),
            help=t("E0107.help"),
        ))
    return errors
