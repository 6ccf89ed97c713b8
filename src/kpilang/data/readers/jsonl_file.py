"""JSON Lines files (one JSON object per line, UTF-8) as raw tables.

Parsed with Python's json module rather than DuckDB's read_json, because DuckDB reads JSON
numbers as binary floating point (12345678901234567890.12 comes back as 1.2345678901234567e+19);
here every number keeps the exact text it was written with. Keys become columns in the order
they are first seen; a key missing from a line is an empty cell.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb

from kpilang.messages import Text, t

from ..bounds import OverBound, bounded_lines, check_columns
from ..problems import preview
from ..schema import TABLES
from ..staging import NAME_PADDING, StagingFile, create_from_numbered_csv
from .base import (
    MistypedId,
    RawTable,
    RowFaults,
    bound_problem,
    fatal_problem,
    header_problems,
    number_cell_text,
    utf16_problem,
)
from .text_encoding import starts_as_utf16

BYTE_ORDER_MARK = b"\xef\xbb\xbf"


class JsonNumber(str):
    """A JSON number kept as the text it was written with."""


class NotANumber(ValueError):
    """NaN or Infinity, which JSON does not have but Python's parser accepts."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


class RepeatedKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _reject_constant(name: str) -> None:
    raise NotANumber(name)


def _object_without_repeats(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # json.loads keeps the last of two equal keys silently; a repeat is reported instead.
    result: dict[str, object] = {}
    for key, value in pairs:
        key = key.strip(NAME_PADDING)
        if key in result:
            raise RepeatedKey(key)
        result[key] = value
    return result


def _render(value: object) -> str:
    """Compact JSON text of a nested value, numbers as written."""
    if isinstance(value, JsonNumber):
        return str(value)
    if isinstance(value, dict):
        inner = ",".join(f"{json.dumps(k, ensure_ascii=False)}:{_render(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ",".join(_render(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, JsonNumber):
        return number_cell_text(str(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return _render(value)


def _note_mistyped_id(found: dict[str, MistypedId], column: str, value: object, line: int) -> None:
    """Note a nested value or a fractional number in an id or key column (see MistypedId)."""
    if isinstance(value, (dict, list)):
        kind = "nested"
    elif isinstance(value, JsonNumber) and any(mark in value for mark in ".eE"):
        kind = "fractional"
    else:
        return
    noted = found.setdefault(column, MistypedId(kind, line=line, value=preview(_render(value))))
    noted.lines += 1


def json_kind(value: object) -> Text:
    if isinstance(value, list):
        return t("data.not_json_object.array")
    if isinstance(value, str) and not isinstance(value, JsonNumber):
        return t("data.not_json_object.string")
    if value is None:
        return t("data.not_json_object.null")
    if isinstance(value, bool):
        return t("data.not_json_object.boolean")
    return t("data.not_json_object.number")


def key_pattern(key: str) -> re.Pattern[str]:
    """A key's values written in a line, as a JSON string or a bare token."""
    return re.compile(re.escape(json.dumps(key)) + r'\s*:\s*("(?:[^"\\]|\\.)*"|[^\s,}\]]+)')


def _owner_pattern(table: str) -> re.Pattern[str]:
    """The owner key's values written in a line."""
    return key_pattern(TABLES[table].owner_column)


def owner_texts(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    """Every value the owner key has in a line that is not a readable object. A line naming
    two different owners is not attributed to either (the caller sees two texts)."""
    found = []
    for written in pattern.findall(text):
        try:
            value = json.loads(written) if written.startswith('"') else written
        except json.JSONDecodeError:
            value = written.strip('"')
        found.append(str(value).strip())
    return tuple(dict.fromkeys(value for value in found if value))


def read_jsonl_table(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, file: str, cap: int
) -> RawTable:
    faults = RowFaults(cap)
    raw = RawTable(table=table, file=file, format="jsonl", faults=faults)
    columns: dict[str, int] = {}
    identifying = TABLES[table].identifying_columns
    owner = _owner_pattern(table)
    try:
        if starts_as_utf16(path):
            raw.fatal.append(utf16_problem(table, file))
            return raw
        with StagingFile() as staging, path.open("rb") as stream:
            for line_number, line in enumerate(bounded_lines(stream), start=1):
                if line_number == 1 and line.startswith(BYTE_ORDER_MARK):
                    line = line[len(BYTE_ORDER_MARK):]
                if not line.strip():
                    continue  # a blank line is not a record
                try:
                    text = line.decode("utf-8")
                except UnicodeDecodeError:
                    shown = line.decode("utf-8", "replace").strip()
                    faults.add(line_number, "encoding", shown, owners=(owner_texts(owner, shown),))
                    continue
                try:
                    record = json.loads(
                        text,
                        parse_float=JsonNumber,
                        parse_int=JsonNumber,
                        parse_constant=_reject_constant,
                        object_pairs_hook=_object_without_repeats,
                    )
                except RepeatedKey as repeat:
                    faults.add(line_number, "repeated_json_key", text.strip(), detail=repeat.key,
                               owners=(owner_texts(owner, text),))
                    continue
                except json.JSONDecodeError as error:
                    # Python's own words for the syntax error, quoted as they are.
                    faults.add(line_number, "not_json_object", text.strip(), detail=t(
                        "data.not_json_object.syntax", error=error.msg, position=error.colno),
                        owners=(owner_texts(owner, text),))
                    continue
                except NotANumber as error:
                    faults.add(line_number, "not_json_object", text.strip(),
                               detail=t("data.not_json_object.constant", name=error.name),
                               owners=(owner_texts(owner, text),))
                    continue
                if not isinstance(record, dict):
                    faults.add(line_number, "not_json_object", text.strip(),
                               detail=t("data.not_json_object.holds", kind=json_kind(record)),
                               owners=(owner_texts(owner, text),))
                    continue
                cells: list[str | None] = [None] * len(columns)
                for key, value in record.items():
                    index = columns.get(key)
                    if index is None:
                        index = columns[key] = len(columns)
                        check_columns(len(columns))
                        cells.append(None)
                    cells[index] = cell_text(value)
                    if key in identifying:
                        _note_mistyped_id(raw.mistyped_ids, key, value, line_number)
                staging.write(line_number, cells)
            staged = staging.finish()
            names = list(columns)
            raw.fatal.extend(header_problems(table, file, names))
            if raw.fatal:
                return raw
            if not names and faults.total == 0:
                # No record at all: an empty table. Its columns cannot be seen, so it is taken to
                # have every known column of its table; no value is invented by that.
                names = [c.name for c in TABLES[table].columns]
            raw.columns = names
            raw.relation = create_from_numbered_csv(con, table, staged, len(names), ragged=True)
    except OverBound as over:
        raw.fatal.append(bound_problem(table, file, over))
    except OSError as error:
        raw.fatal.append(fatal_problem(
            "unreadable_file", table, file, t("data.unreadable_file.reason", error=str(error)),
            t("data.unreadable_file.hint"),
        ))
    return raw
