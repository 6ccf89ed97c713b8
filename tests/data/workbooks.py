"""Workbooks as Excel writes them, for the tests: openpyxl writes text as inline strings, while
Excel puts every text of a workbook in its shared strings part and has cells point there."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
INLINE_STRING = re.compile(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>([^<]*)</t></is></c>')


def with_shared_strings(path: Path) -> None:
    """Rewrite the inline strings of an openpyxl workbook's first sheet as shared strings."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    strings: list[str] = []

    def share(cell: re.Match) -> str:
        strings.append(cell.group(2))
        return f'<c r="{cell.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'

    parts[SHEET] = INLINE_STRING.sub(share, parts[SHEET].decode()).encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>').encode()
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}" /></Types>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", override.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
