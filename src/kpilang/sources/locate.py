"""Where a key sits in a TOML file: the line a mapping error points at.

Python's TOML reader gives values, not positions. A mapping is small and written by hand, so the
lines are scanned once: table headers (`[a.b]`, `[[a.b]]`) set the current path, and each
`key = value` line (dotted and quoted keys included) records the line of its full path. An
error's location (pydantic's `loc`, e.g. ("tables", "deals", "columns", "stage", "map")) is then
the line of its longest prefix that was written.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*((?:"(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+))*)\s*=')
_PART = re.compile(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)')


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None
                 else m.group(3) for m in _PART.finditer(dotted))


class KeyLines:
    """The line (from 1) of every key path written in a TOML text."""

    def __init__(self, text: str):
        self.lines: dict[tuple, int] = {}
        arrays: dict[tuple, int] = {}
        current: tuple = ()
        in_multiline = False
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                    in_multiline = False
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                path = _parts(header.group(2))
                if header.group(1) == "[[":
                    index = arrays.get(path, -1) + 1
                    arrays[path] = index
                    current = path + (index,)
                    self.lines.setdefault(path, number)
                else:
                    # A sub-table of the last element of an array of tables.
                    for length in range(len(path), 0, -1):
                        if path[:length] in arrays:
                            path = path[:length] + (arrays[path[:length]],) + path[length:]
                            break
                    current = path
                self.lines.setdefault(current, number)
                continue
            key = _KEY.match(line)
            if key:
                self.lines.setdefault(current + _parts(key.group(1)), number)
                if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                    in_multiline = True

    def line_of(self, loc: tuple) -> int | None:
        """The line of the longest prefix of `loc` written in the text."""
        for length in range(len(loc), 0, -1):
            found = self.lines.get(tuple(loc[:length]))
            if found is not None:
                return found
        return None
