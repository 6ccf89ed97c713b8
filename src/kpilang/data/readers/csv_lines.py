"""A CSV file read line by line with Python's csv module, every rejected row with its lines.

The way of last resort (csv_file.py), taken when DuckDB's strict reader refuses the file or
lines were skipped: every row the rules reject (a wrong number of values, broken quoting, bytes
that are not UTF-8) is reported with its line and attributed to the managers it may belong to,
and the rows that pass are staged with their lines.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import duckdb

from ...messages import t
from ..bounds import MAX_ROW_BYTES, row_too_large
from ..staging import StagingFile, create_from_numbered_csv
from .base import RowFaults, owner_candidates, owner_index
from .text_encoding import LineDecoder

# Python's csv module refuses a value longer than this (131072 characters unless told): a value
# may be as long as a row, as it may in DuckDB's direct read, and no longer.
csv.field_size_limit(MAX_ROW_BYTES)


def is_utf8(values: list[str]) -> bool:
    # Undecodable bytes arrive as lone surrogates, which cannot be encoded back.
    try:
        "".join(values).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _row_inside(taken: list[str], width: int) -> int | None:
    """The offset of the first line after a record's first that splits at the commas into as
    many values as the header has columns (see _rows_inside_values), None when none does."""
    for offset, text in enumerate(taken[1:], start=1):
        if len(text.rstrip("\r\n").split(",")) == width:
            return offset
    return None



def _in_words(error: csv.Error) -> str:
    """Python's csv messages, minus the advice meant for programmers."""
    text = str(error)
    if "new-line character seen in unquoted field" in text:
        return "a carriage return (CR) inside a value that is not quoted"
    return text


class _RecordLines:
    """The physical lines the csv reader takes, kept until the record they make is handled:
    a record it cannot parse is reported line by line (each line may be a record of its own
    that a stray quote swallowed)."""

    def __init__(self, lines: Iterator[str]):
        self._lines = lines
        self.taken: list[str] = []

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.taken.append(line)
            yield line

    def handed(self) -> list[str]:
        taken, self.taken = self.taken, []
        return taken


def read_line_by_line(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, columns: list[str], faults: RowFaults,
    decoder: LineDecoder,
) -> str:
    width = len(columns)
    owner = owner_index(table, columns)
    # The records just before the current one, for a short record that a line break cut off
    # from them (see _cut_from).
    recent: deque[list[str]] = deque(maxlen=width)
    with StagingFile() as staging, path.open("rb") as stream:
        # A binary file's lines end at line feeds only, as scan_bytes counts them.
        lines = _RecordLines(decoder.lines(stream))
        reader = csv.reader(lines, strict=True)
        next(reader)  # the header, already checked
        lines.handed()
        last_line = reader.line_num
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                first_line, last_line = last_line + 1, reader.line_num
                if "field larger than field limit" in str(error):
                    raise row_too_large(first_line) from None
                _add_unparsed(faults, error, first_line, lines.handed(), width, owner)
                recent.clear()
                continue
            line, last_line = last_line + 1, reader.line_num
            taken = lines.handed()
            if not record:
                continue  # a blank line is not a row
            inside = _row_inside(taken, width) if len(taken) > 1 else None
            if inside is not None:
                # A stray quote closed by another: the rows in between would vanish into a value.
                _add_spanning(faults, "unclosed_quote", line, taken, width, owner,
                              detail=t("data.unclosed_quote.row-inside", line=line + inside))
                continue
            if not is_utf8(record):
                shown = ",".join(record).encode("utf-8", "replace").decode("utf-8")
                faults.add(line, "encoding", shown,
                           owners=(owner_candidates(record, width, owner),))
            elif len(record) != width:
                cut = _cut_from(recent, len(record), width)
                owners = tuple(dict.fromkeys(
                    owner_candidates(values, width, owner) for values in (record, *cut)))
                faults.add(line, "field_count", ",".join(record), owners=owners, records=1,
                           found=len(record), expected=width)
            else:
                staging.write(line, record)
            recent.append(record)
        staged = staging.finish()
        return create_from_numbered_csv(con, table, staged, width)


def _cut_from(recent: deque[list[str]], values: int, width: int) -> list[list[str]]:
    """The records just before a record of `values` values that, joined to it across line
    breaks typed into values, make exactly one row of the header's `width`: a line break cuts a
    record into short ones, and the first of them may even pass as a whole row (its last value
    left empty, where that value may be empty). Their owners may have lost part of a row, so the
    short record's error is theirs too. None when no such run ends here."""
    joined = values
    for back, record in enumerate(reversed(recent), start=1):
        joined += len(record) - 1  # the break joins two values into one
        if joined == width:
            return list(recent)[-back:]
        if joined > width:
            break
    return []


def _add_unparsed(
    faults: RowFaults, error: csv.Error, first_line: int, taken: list[str], width: int,
    owner: int | None,
) -> None:
    """A record the csv module could not parse (an unclosed quote, a value over the size
    limit, a carriage return in an unquoted value). Each non-blank physical line it took counts
    as a record, and each line's owner is looked for in its own text split at the commas."""
    if "unexpected end of data" in str(error):
        _add_spanning(faults, "runaway_quote", first_line, taken, width, owner)
    elif len(taken) > 1:
        _add_spanning(faults, "unclosed_quote", first_line, taken, width, owner,
                      detail=_in_words(error))
    else:
        _add_spanning(faults, "csv_syntax", first_line, taken, width, owner,
                      detail=_in_words(error))


def _add_spanning(
    faults: RowFaults, code: str, first_line: int, taken: list[str], width: int,
    owner: int | None, **facts: object,
) -> None:
    """A record rejected with every physical line it took: each non-blank one counts as a
    record, attributed by its own text split at the commas."""
    last_line = first_line + len(taken) - 1
    records = [text for text in taken if text.strip("\r\n")] or [""]
    owners = tuple(owner_candidates(text.rstrip("\r\n").split(","), width, owner)
                   for text in records)
    shown = records[0].rstrip("\r\n")
    faults.add(first_line, code, shown, owners=owners,
               end_row=last_line if last_line > first_line else None,
               first_line=first_line, last_line=last_line, **facts)
