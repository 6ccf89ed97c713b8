"""The lines of a text file as UTF-8, and whether a file that is not UTF-8 is Windows-1251 instead.

Excel on a Russian Windows saves "CSV" in Windows-1251 unless "CSV UTF-8" is chosen. Such a
file is not a few damaged rows: every row holding a Cyrillic letter fails as UTF-8. Reporting
each of them, and then every row that names a person from those rows, would bury the one fix
(save the file as UTF-8) under thousands of problems. So while the lines are decoded, the
decoder keeps what tells the two cases apart: whether any line outside ASCII is UTF-8, and the
first line that is not. A file is taken to be in Windows-1251 only when no line outside ASCII is
UTF-8, at least two lines are not, and every such line decodes as Windows-1251; a file with a few
damaged lines among UTF-8 ones keeps its row problems, and so does an ASCII file with one damaged
line (one line says too little: almost any bytes decode as Windows-1251).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..bounds import bounded_lines

WINDOWS_1251 = "cp1251"
MIN_WINDOWS_1251_LINES = 2
"""Lines that must fail as UTF-8 (and none pass) before a file is taken to be in Windows-1251."""


# Excel's "Unicode text" is UTF-16 with a byte-order mark.
UTF16_BYTE_ORDER_MARKS = (b"\xff\xfe", b"\xfe\xff")
UTF16_SAMPLE_BYTES = 512

# What a Russian header holds outside ASCII besides Cyrillic letters.
RUSSIAN_TYPOGRAPHY = "№«»—–…"
CYRILLIC_LETTER = "\u0400-\u04ff"
# A Latin letter next to a Cyrillic one: a damaged byte in an English name (manager\xff_id reads
# as managerя_id), not Russian text.
MIXED_WORD = re.compile(f"[A-Za-z][{CYRILLIC_LETTER}]|[{CYRILLIC_LETTER}][A-Za-z]")
NOT_RUSSIAN = re.compile(f"[^\\x00-\\x7f{CYRILLIC_LETTER}{RUSSIAN_TYPOGRAPHY}]")
MIN_CYRILLIC_LETTERS = 2


def starts_as_utf16(path: Path) -> bool:
    """Whether the file is UTF-16: it starts with a UTF-16 byte-order mark, or among its first
    bytes at least half of those on one side (odd or even places) are zero and almost none on
    the other (UTF-16 has a zero byte beside every ASCII character, always on the same side;
    UTF-8 text has no zero bytes, and zeros on both sides are no text at all)."""
    with path.open("rb") as stream:
        start = stream.read(UTF16_SAMPLE_BYTES)
    if start.startswith(UTF16_BYTE_ORDER_MARKS):
        return True
    even, odd = start[0::2], start[1::2]
    return len(odd) >= 2 and any(
        zeros.count(0) * 2 >= len(zeros) and others.count(0) * 10 < len(others)
        for zeros, others in ((odd, even), (even, odd))
    )


@dataclass(frozen=True)
class Windows1251Text:
    """A file in Windows-1251 rather than UTF-8: its first line that is not UTF-8."""

    line: int  # 1-based line number
    text: str  # that line decoded as Windows-1251, without its line break


class LineDecoder:
    """Decodes a file's lines as UTF-8, tallying on the way what tells a file in Windows-1251 from
    a UTF-8 file with damaged lines (see windows_1251)."""

    def __init__(self) -> None:
        self.utf8_lines = 0  # lines with bytes outside ASCII that are valid UTF-8
        self.first_other: tuple[int, bytes] | None = None  # the first line that is not UTF-8
        self.other_lines = 0  # lines that are not UTF-8
        self.all_windows_1251 = True  # every line that is not UTF-8 decodes as Windows-1251

    def lines(self, stream: Iterable[bytes]) -> Iterator[str]:
        """The lines as text, a byte-order mark at the start dropped. Undecodable bytes become
        lone surrogates, so that a bad row is reported with its line instead of the file. A line
        longer than a row may be raises OverBound (see bounds.bounded_lines)."""
        for number, line in enumerate(bounded_lines(stream), start=1):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                self._not_utf8(number, line)
                text = line.decode("utf-8", "surrogateescape")
            else:
                # Fewer characters than bytes: a character took several bytes, so the line is
                # not ASCII (told for free, where scanning the bytes again would cost a pass).
                if len(text) != len(line):
                    self.utf8_lines += 1
            yield text.removeprefix("\ufeff") if number == 1 else text

    def _not_utf8(self, number: int, line: bytes) -> None:
        self.other_lines += 1
        if self.first_other is None:
            self.first_other = (number, line)
        if self.all_windows_1251:
            try:
                line.decode(WINDOWS_1251)
            except UnicodeDecodeError:
                self.all_windows_1251 = False

    def windows_1251(self) -> Windows1251Text | None:
        """Where the lines decoded so far (the whole file, once read) show Windows-1251, when
        they are in it as a whole rather than UTF-8 with some damaged lines; None otherwise."""
        if (self.first_other is None or self.other_lines < MIN_WINDOWS_1251_LINES or self.utf8_lines
                or not self.all_windows_1251):
            return None
        number, line = self.first_other
        return Windows1251Text(number, line.decode(WINDOWS_1251).rstrip("\r\n"))


def windows_1251_line(number: int, line: bytes) -> Windows1251Text | None:
    """A single line that is not UTF-8 (a header), when it reads as Russian text in Windows-1251:
    it decodes so, everything outside ASCII is a Cyrillic letter or Russian typography, there are
    Cyrillic letters, and no word mixes them with Latin ones. None otherwise: one line alone says
    too little to name an encoding when it does not read as Russian."""
    try:
        text = line.decode(WINDOWS_1251).rstrip("\r\n")
    except UnicodeDecodeError:
        return None
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    if cyrillic < MIN_CYRILLIC_LETTERS or NOT_RUSSIAN.search(text) or MIXED_WORD.search(text):
        return None
    return Windows1251Text(number, text)
