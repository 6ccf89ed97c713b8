"""Excel workbooks (.xlsx): the first sheet, its first non-empty row as the header.

Cells are read with openpyxl in read-only mode. openpyxl turns every numeric cell into a Python
float, which would put binary floating point between the sheet and an amount; so numeric cells
are read through a small parser subclass that keeps the number exactly as it is written in the
file. Dates become ISO 8601 text: Excel stores no timezone, so they are local times in the
plan's timezone, and a date-time at exactly midnight is written as a bare date.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import duckdb
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet._reader import VALUE_TAG, WorkSheetParser

from kpilang.messages import t

from ..bounds import (
    MAX_ROW_BYTES,
    MAX_SHEET_BYTES,
    MAX_SHEET_ROWS,
    MAX_WORKBOOK_PART_BYTES,
    OverBound,
    check_columns,
    megabytes,
    row_too_large,
)
from ..sql import cell
from ..staging import NAME_PADDING, StagingFile, create_from_numbered_csv
from .base import (
    RawTable, RowFaults, bound_problem, fatal_problem, header_problems, number_cell_text, owner_index,
)


class ExactNumberParser(WorkSheetParser):
    """openpyxl's sheet parser, except that a plain numeric cell keeps its text from the file."""

    def parse_cell(self, element):  # noqa: ANN001, ANN201 - openpyxl's signature
        parsed = super().parse_cell(element)
        if parsed["data_type"] == "n" and parsed["value"] is not None:
            parsed["value"] = ExactNumber(element.findtext(VALUE_TAG))
        return parsed


class ExactNumber(str):
    """A numeric cell's text as stored in the sheet (e.g. 1234.5 or 1.5E-3)."""


def _seconds_text(delta: dt.timedelta) -> str:
    seconds = Decimal(delta.days * 86400 + delta.seconds) + Decimal(delta.microseconds) / 10**6
    return format(seconds.normalize(), "f") if seconds != seconds.to_integral() else str(int(seconds))


def cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, ExactNumber):
        return number_cell_text(str(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _seconds_text(value)
    return str(value)


def check_part_sizes(path: Path) -> None:
    """Refuse a workbook whose sheets or other XML parts, unzipped, pass their bounds, before any
    of it is read. The sizes a zip file declares are enough: zipfile unzips no more of a part
    than its declared size (and then finds the part's checksum wrong)."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/"):
                limit = MAX_SHEET_BYTES
            elif info.filename.endswith((".xml", ".rels")):
                limit = MAX_WORKBOOK_PART_BYTES
            else:
                continue  # pictures and the like, which are not read
            if info.file_size > limit:
                raise OverBound("workbook_too_large", part=info.filename, megabytes=megabytes(limit))


# The start of a row element, with or without a namespace prefix (text cannot hold a "<", so
# this is never found inside a value), and the row's number as its attribute r says it.
ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
ROW_NUMBER = re.compile(rb'[^>]*?\br="([0-9]+)"')
ROW_START_OVERLAP = 64  # bytes kept from the previous read, for a row start split between reads


class RowTooLarge(Exception):
    def __init__(self, row: int):
        super().__init__(row)
        self.row = row


class RowBoundedSource:
    """The sheet's XML as the parser reads it, refusing a row longer than a row may be (the bytes
    from one row's start to the next): the parser builds a whole row in memory before it hands
    the row on, so a row of a billion empty cells must be stopped while it is being read."""

    def __init__(self, source: BinaryIO):
        self._source = source
        self._since_row_start = 0
        self._tail = b""
        self._row = 0  # the number of the row being read

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        window = self._tail + data
        last = None
        for last in ROW_START.finditer(window):
            if last.end() > len(self._tail):  # not seen whole in the previous read
                number = ROW_NUMBER.match(window, last.end() - 1)
                self._row = int(number.group(1)) if number else self._row + 1
        if last is None:
            self._since_row_start += len(data)
        else:
            self._since_row_start = len(window) - last.start()
        if self._since_row_start > MAX_ROW_BYTES:
            raise RowTooLarge(self._row)
        self._tail = window[-ROW_START_OVERLAP:]
        return data


def sheet_rows(path: Path, merged: list[tuple[int, int, int, int]], sheet_name: str | None = None):
    """(sheet row number, {column number: value}) for every row of the first sheet (or of the
    sheet named `sheet_name`: KeyError when there is none). Once the
    rows are read, `merged` holds the sheet's merged ranges as (first column, first row, last
    column, last row): the sheet lists them after its rows."""
    check_part_sizes(path)
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0] if sheet_name is None else workbook[sheet_name]
        # The same construction openpyxl's ReadOnlyWorksheet uses, with the exact-number parser.
        with sheet._get_source() as source:
            parser = ExactNumberParser(
                RowBoundedSource(source),
                sheet._shared_strings,  # the workbook's own list stays empty in read-only mode
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for rows, (row_number, cells) in enumerate(parser.parse(), start=1):
                if rows > MAX_SHEET_ROWS:
                    raise OverBound("too_many_sheet_rows", limit=MAX_SHEET_ROWS)
                values = {c["column"]: c["value"] for c in cells if c["value"] is not None}
                yield row_number, values
            if parser.merged_cells is not None:
                merged.extend(range_boundaries(m.ref) for m in parser.merged_cells.mergeCell)
    except RowTooLarge as too_large:
        raise row_too_large(too_large.row) from None
    finally:
        workbook.close()


def _reject_merged_rows(
    con: duckdb.DuckDBPyConnection, relation: str, merged: list[tuple[int, int, int, int]],
    header_row: int, width: int, owner: int | None, faults: RowFaults,
) -> None:
    """A range merged over several rows shows its value on each of them, but the file holds it
    in the first row only: the other rows read as empty there. Those rows are rejected (the
    value they show is not in them) and attributed to the owner the sheet shows them with: the
    merged value when the range covers the owner column, the row's own otherwise."""
    shown_owner: dict[int, int] = {}  # row → the row whose owner cell the sheet shows on it
    for first_column, first_row, last_column, last_row in merged:
        if last_row == first_row or first_column > width or last_row <= header_row:
            continue
        covers_owner = owner is not None and first_column <= owner <= last_column
        for row in range(max(first_row + 1, header_row + 1), last_row + 1):
            shown_owner[row] = first_row if covers_owner else shown_owner.get(row, row)
    if not shown_owner:
        return
    owner_cell = cell(owner - 1) if owner is not None else "NULL"
    present = dict(con.execute(
        f"SELECT _row, concat_ws(',', {', '.join(cell(i) for i in range(width))}) "
        f"FROM {relation} WHERE _row IN (SELECT unnest($rows)) ORDER BY _row",
        {"rows": sorted(shown_owner)},
    ).fetchall())
    owners_of = dict(con.execute(
        f"SELECT _row, {owner_cell} FROM {relation} WHERE _row IN (SELECT unnest($rows))",
        {"rows": sorted(set(shown_owner.values()))},
    ).fetchall())
    for row, text in present.items():
        shown = owners_of.get(shown_owner[row])
        owners = (shown.strip(),) if shown and shown.strip() else ()
        faults.add(row, "merged_cells", text, owners=(owners,))
    con.execute(f"DELETE FROM {relation} WHERE _row IN (SELECT unnest($rows))",
                {"rows": sorted(present)})


def read_xlsx_table(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, file: str, cap: int
) -> RawTable:
    faults = RowFaults(cap)
    raw = RawTable(table=table, file=file, format="xlsx", faults=faults)
    try:
        with StagingFile() as staging:
            width = None
            header_row = 0
            owner: int | None = None
            merged: list[tuple[int, int, int, int]] = []
            for row_number, values in sheet_rows(path, merged):
                texts = {column: cell_text(v) for column, v in values.items()}
                texts = {c: t for c, t in texts.items() if t}
                if not texts:
                    continue  # an empty row is not a record
                # Shared strings make a short row of XML hold long texts.
                if sum(map(len, texts.values())) > MAX_ROW_BYTES:
                    raise row_too_large(row_number)
                if width is None:
                    header_width = max(texts)
                    check_columns(header_width)
                    header = [
                        (texts.get(c) or "").strip(NAME_PADDING)
                        for c in range(1, header_width + 1)
                    ]
                    raw.fatal.extend(header_problems(table, file, header))
                    if raw.fatal:
                        return raw
                    raw.columns = header
                    width = header_width
                    header_row = row_number
                    found = owner_index(table, header)
                    owner = found + 1 if found is not None else None
                    continue
                outside = [c for c in texts if c > width]
                if outside:
                    owners = (texts[owner].strip(),) if owner is not None and owner in texts else ()
                    faults.add(row_number, "value_outside_header", texts[outside[0]],
                               letter=get_column_letter(outside[0]), owners=(owners,))
                    continue
                staging.write(row_number, [texts.get(c) for c in range(1, width + 1)])
            if width is None:
                raw.fatal.append(fatal_problem(
                    "empty_sheet", table, file, t("data.empty_sheet.reason"), t("data.empty_sheet.hint"),
                ))
                return raw
            staged = staging.finish()
            raw.relation = create_from_numbered_csv(con, table, staged, width)
            _reject_merged_rows(con, raw.relation, merged, header_row, width, owner, faults)
    except OverBound as over:
        raw.fatal.append(bound_problem(table, file, over))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raw.fatal.append(fatal_problem(
            "unreadable_file", table, file, t("data.unreadable_file.workbook", error=str(error)),
            t("data.unreadable_file.workbook-hint"),
        ))
    return raw
