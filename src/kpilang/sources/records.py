"""Reading a CRM file record by record: CSV in the export's own encoding and delimiter, the sheet
of an Excel workbook, or JSON Lines as `kpilang pull` writes them.

A record is (row, values): the row number problems report (CSV: the line the record starts on,
the header being line 1; XLSX: the sheet row; JSONL: the line) and the values by column name
(JSON: by key; nested objects stay nested, see `value_at`). A record that cannot be read is an
`Unreadable` with the texts that may name its owner, so that its owner's pay stops rather than
being computed without it. A file that cannot be read at all raises SourceFileError.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from kpilang.data.bounds import MAX_ROW_BYTES, OverBound, bounded_lines, check_columns, row_too_large
from kpilang.data.problems import DataProblem
from kpilang.data.readers.base import bound_problem, fatal_problem, header_problems, is_text, owner_candidates
from kpilang.data.readers.jsonl_file import (
    BYTE_ORDER_MARK, JsonNumber, NotANumber, RepeatedKey, _object_without_repeats, _reject_constant,
    cell_text as json_cell_text, json_kind, key_pattern, owner_texts,
)
from kpilang.data.readers.text_encoding import starts_as_utf16
from kpilang.data.readers.xlsx_file import ExactNumber, cell_text as sheet_cell_text, sheet_rows
from kpilang.data.staging import NAME_PADDING
from kpilang.messages import t

ENCODINGS = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "windows-1251": "cp1251"}


class SourceFileError(Exception):
    def __init__(self, problem: DataProblem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Unreadable:
    row: int
    code: str  # a key of data.reasons.ROW_REASONS
    value: str | None
    owners: tuple[str, ...]
    facts: tuple[tuple[str, object], ...] = ()
    end_row: int | None = None


@dataclass
class SourceFile:
    """One file of a mapped table, as found in the data folder."""

    table: str
    path: Path
    name: str  # as shown in problems: relative to the data folder
    format: str  # csv | xlsx | jsonl
    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str | None = None
    # The source columns the file has (CSV, XLSX: the header; JSONL: every key seen).
    columns: list[str] = field(default_factory=list)


# A step of a JSON path: a key, an index, or a key with a selector `key[field=value]` that picks
# the first object of a list whose field holds that text (amoCRM's custom_fields_values).
_STEP = re.compile(r"([^.\[\]]+)(?:\[([^=\]]+)=([^\]]*)\])?")


def _steps(key: str) -> list[tuple[str, str | None, str | None]]:
    return [(m.group(1), m.group(2), m.group(3)) for m in _STEP.finditer(key)]


def value_at(values: dict, key: str) -> object:
    """The value of a column, or of a path in a JSON record such as `_embedded.companies.0.id`
    or `custom_fields_values[field_code=DEAL_TYPE].values.0.value`; None when absent."""
    if key in values:
        return values[key]
    current: object = values
    for name, field_name, wanted in _steps(key):
        if isinstance(current, dict) and name in current:
            current = current[name]
        elif isinstance(current, list) and name.isdigit() and int(name) < len(current):
            current = current[int(name)]
        else:
            return None
        if field_name is not None:
            if not isinstance(current, list):
                return None
            current = next((item for item in current if isinstance(item, dict)
                            and text_of(item.get(field_name)) == wanted), None)
            if current is None:
                return None
    return current


def path_head(key: str) -> str:
    """The top-level key a column or path starts with."""
    return _steps(key)[0][0] if _steps(key) else key


def has_key(values: dict, key: str) -> bool:
    return key in values or ("." in key or "[" in key) and path_head(key) in values


def text_of(value: object) -> str | None:
    """A value as text: numbers exactly as written, booleans as true/false, nested JSON as JSON,
    sheet dates and times in ISO 8601."""
    if value is None:
        return None
    if isinstance(value, JsonNumber):
        return json_cell_text(value)
    if isinstance(value, ExactNumber):
        return sheet_cell_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, dict, list)):
        return json_cell_text(value)
    return sheet_cell_text(value)


def _fatal(file: SourceFile, code: str, reason, hint) -> SourceFileError:
    return SourceFileError(fatal_problem(code, file.table, file.name, reason, hint))


def read_records(file: SourceFile, owner_column: str | None) -> Iterator[tuple[int, dict] | Unreadable]:
    """Every record of the file; `owner_column` is the source column that names the owner (for
    the owner texts of an unreadable record)."""
    reader = {"csv": _csv_records, "xlsx": _sheet_records, "jsonl": _json_records}[file.format]
    try:
        yield from reader(file, owner_column)
    except OverBound as over:
        raise SourceFileError(bound_problem(file.table, file.name, over)) from None
    except OSError as error:
        raise _fatal(file, "unreadable_file", t("data.unreadable_file.reason", error=str(error)),
                     t("data.unreadable_file.hint")) from None


def _check_header(file: SourceFile, names: list[str]) -> None:
    problems = header_problems(file.table, file.name, names)
    if problems:
        raise SourceFileError(problems[0])
    check_columns(len(names))
    file.columns = names


def _csv_records(file: SourceFile, owner_column: str | None) -> Iterator[tuple[int, dict] | Unreadable]:
    encoding = ENCODINGS[file.encoding]
    if starts_as_utf16(file.path):
        raise _fatal(file, "utf16_file", t("data.utf16_file.reason", file=file.name), t("data.utf16_file.hint"))
    with file.path.open("r", encoding=encoding, errors="surrogateescape", newline="") as text:
        lines = _LineCounter(text)
        rows = csv.reader(lines, delimiter=file.delimiter, quotechar='"', doublequote=True, strict=True)
        header: list[str] | None = None
        owner_index: int | None = None
        while True:
            start = lines.number + 1
            try:
                fields = next(rows)
            except StopIteration:
                break
            except csv.Error as error:
                if header is None:
                    raise _fatal(file, "unreadable_file", t("data.unreadable_file.reason", error=str(error)),
                                 t("data.unreadable_file.hint")) from None
                yield Unreadable(start, "csv_syntax", lines.last, owner_candidates(
                    lines.last.split(file.delimiter), len(header), owner_index), (("detail", str(error)),),
                    end_row=lines.number if lines.number > start else None)
                continue
            if not fields or fields == [""]:
                continue  # a blank line is not a record
            if header is None:
                names = [name.strip(NAME_PADDING) for name in fields]
                _check_header(file, names)
                header = names
                owner_index = header.index(owner_column) if owner_column in header else None
                continue
            if not all(is_text(value) for value in fields):
                # The bytes the encoding cannot read show as U+FFFD in the problem.
                yield Unreadable(start, "encoding", file.delimiter.join(fields),
                                 owner_candidates(fields, len(header), owner_index),
                                 (("encoding", file.encoding),))
                continue
            if len(fields) != len(header):
                yield Unreadable(start, "field_count", file.delimiter.join(fields),
                                 owner_candidates(fields, len(header), owner_index),
                                 (("found", len(fields)), ("expected", len(header))),
                                 end_row=lines.number if lines.number > start else None)
                continue
            yield start, dict(zip(header, fields))
        if header is None:
            raise _fatal(file, "empty_sheet", t("data.empty_sheet.reason"), t("data.empty_sheet.hint"))


class _LineCounter:
    """The lines of a text stream for csv.reader, counted, the last one kept for problems, each
    bounded in length."""

    def __init__(self, stream: io.TextIOBase):
        self._stream = stream
        self.number = 0
        self.last = ""

    def __iter__(self) -> _LineCounter:
        return self

    def __next__(self) -> str:
        line = self._stream.readline(MAX_ROW_BYTES + 1)
        if not line:
            raise StopIteration
        if len(line) > MAX_ROW_BYTES:
            raise row_too_large(self.number + 1)
        self.number += 1
        self.last = line.rstrip("\r\n")
        return line


def _sheet_records(file: SourceFile, owner_column: str | None) -> Iterator[tuple[int, dict] | Unreadable]:
    header: list[str] | None = None
    owner_position: int | None = None
    merged: list[tuple[int, int, int, int]] = []
    try:
        for row_number, values in sheet_rows(file.path, merged, file.sheet):
            texts = {column: sheet_cell_text(v) for column, v in values.items()}
            texts = {c: v for c, v in texts.items() if v}
            if not texts:
                continue
            if header is None:
                width = max(texts)
                check_columns(width)
                names = [(texts.get(c) or "").strip(NAME_PADDING) for c in range(1, width + 1)]
                _check_header(file, names)
                header = names
                owner_position = header.index(owner_column) + 1 if owner_column in header else None
                continue
            outside = [c for c in texts if c > len(header)]
            owners = (texts[owner_position].strip(),) if owner_position in texts else ()
            if outside:
                yield Unreadable(row_number, "value_outside_header", texts[outside[0]], owners,
                                 (("letter", get_column_letter(outside[0])),))
                continue
            # Sheet cells keep their exact values (numbers as stored, dates as datetimes).
            yield row_number, {name: values.get(c) for c, name in enumerate(header, start=1)}
    except KeyError:
        raise _fatal(file, "no_such_sheet", t("source.no_such_sheet.reason", sheet=file.sheet),
                     t("source.no_such_sheet.hint")) from None
    except (ValueError, OSError) as error:
        if isinstance(error, OverBound):
            raise
        raise _fatal(file, "unreadable_file", t("data.unreadable_file.workbook", error=str(error)),
                     t("data.unreadable_file.workbook-hint")) from None
    if header is None:
        raise _fatal(file, "empty_sheet", t("data.empty_sheet.reason"), t("data.empty_sheet.hint"))
    # Rows under a range merged over several rows show a value they do not hold: see the xlsx
    # reader. A mapped sheet refuses such a workbook rather than guess.
    for first_column, first_row, last_column, last_row in merged:
        if last_row > first_row:
            raise _fatal(file, "merged_rows", t("source.merged_rows.reason", first=first_row, last=last_row),
                         t("source.merged_rows.hint"))


def _owner_texts(pattern: re.Pattern[str] | None, text: str) -> tuple[str, ...]:
    return () if pattern is None else owner_texts(pattern, text)


def _json_records(file: SourceFile, owner_column: str | None) -> Iterator[tuple[int, dict] | Unreadable]:
    pattern = key_pattern(owner_column) if owner_column else None
    seen: dict[str, None] = {}
    with file.path.open("rb") as stream:
        for line_number, line in enumerate(bounded_lines(stream), start=1):
            if line_number == 1 and line.startswith(BYTE_ORDER_MARK):
                line = line[len(BYTE_ORDER_MARK):]
            if not line.strip():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                shown = line.decode("utf-8", "replace").strip()
                yield Unreadable(line_number, "encoding", shown, _owner_texts(pattern, shown))
                continue
            try:
                record = json.loads(text, parse_float=JsonNumber, parse_int=JsonNumber,
                                    parse_constant=_reject_constant, object_pairs_hook=_object_without_repeats)
            except RepeatedKey as repeat:
                yield Unreadable(line_number, "repeated_json_key", text.strip(), _owner_texts(pattern, text),
                                 (("detail", repeat.key),))
                continue
            except json.JSONDecodeError as error:
                yield Unreadable(line_number, "not_json_object", text.strip(), _owner_texts(pattern, text),
                                 (("detail", t("data.not_json_object.syntax", error=error.msg, position=error.colno)),))
                continue
            except NotANumber as error:
                yield Unreadable(line_number, "not_json_object", text.strip(), _owner_texts(pattern, text),
                                 (("detail", t("data.not_json_object.constant", name=error.name)),))
                continue
            if not isinstance(record, dict):
                yield Unreadable(line_number, "not_json_object", text.strip(), _owner_texts(pattern, text),
                                 (("detail", t("data.not_json_object.holds", kind=json_kind(record))),))
                continue
            for key in record:
                seen.setdefault(key, None)
            file.columns = list(seen)
            yield line_number, record
