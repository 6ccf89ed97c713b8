"""CSV files (UTF-8, comma-separated, double quotes, header row) as raw tables.

Problems must name the exact line of the file, which DuckDB's fast CSV scanner does not report.
So the common case reads the file twice at full speed, at the same time: DuckDB parses it
straight into the checked table (see validation.py), keeping the file's order, while a second
thread counts the line breaks in the bytes. When the file has exactly one line per record (no
blank line, no line break inside a quoted value, no lone carriage return), the k-th record is on
line k + 2 and nothing else is needed: the text of the cells is never stored.

Otherwise the file is read again the careful way: DuckDB's cells as text with each record's
line derived from the line breaks quoted before it, or, when DuckDB's strict reader refuses the
file or lines are skipped (blank lines, rows with the wrong number of values, broken quoting,
invalid UTF-8), Python's csv module, which reports every such row with its line. That is also
where a file in Windows-1251 (Excel's "CSV" on a Russian Windows) shows: it is one fatal problem
rather than a problem for each of its rows (see text_encoding.py).
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ...messages import t
from ..bounds import MAX_ROW_BYTES, OverBound, check_columns, row_too_large
from ..problems import DataProblem, preview
from ..sql import cell, literal
from ..staging import (
    LOAD_SCHEMA,
    NAME_PADDING,
    StagingFile,
    create_from_numbered_csv,
    csv_read_options,
    raw_table_name,
)
from .base import (
    RawTable,
    RowFaults,
    bound_problem,
    fatal_problem,
    header_problems,
    owner_candidates,
    owner_index,
    utf16_problem,
)
from .text_encoding import LineDecoder, Windows1251Text, starts_as_utf16, windows_1251_line

CHUNK_BYTES = 16 * 1024 * 1024

# Python's csv module refuses a value longer than this (131072 characters unless told): a value
# may be as long as a row, as it may in DuckDB's direct read, and no longer.
csv.field_size_limit(MAX_ROW_BYTES)


@dataclass(frozen=True)
class ByteLayout:
    lines: int  # lines holding anything, trailing empty lines not counted
    has_quotes: bool  # without a quote character no cell can span lines
    # A carriage return not followed by a line feed: DuckDB may end a record there, which the
    # line count (line feeds) would not see.
    lone_carriage_return: bool = False


# The end of a chunk looked at first for the line breaks that end it; stripping them from the
# whole chunk would copy all of it.
TAIL_BYTES = 4096


def _strip_breaks(chunk: bytes) -> tuple[bool, int]:
    """Whether the chunk holds anything but line breaks, and how many line feeds end it."""
    tail = chunk[-TAIL_BYTES:]
    body = tail.rstrip(b"\r\n")
    if not body and len(chunk) > len(tail):
        tail = chunk
        body = chunk.rstrip(b"\r\n")
    return bool(body), tail[len(body):].count(b"\n")


def scan_bytes(path: Path) -> ByteLayout:
    newlines = 0
    has_quotes = False
    trailing_breaks = 0  # line breaks after the last byte that is not a line break
    any_content = False
    carriage_returns = 0
    crlf = 0
    previous_ended_with_cr = False
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            newlines += chunk.count(b"\n")
            has_quotes = has_quotes or b'"' in chunk
            carriage_returns += chunk.count(b"\r")
            crlf += chunk.count(b"\r\n") + (previous_ended_with_cr and chunk.startswith(b"\n"))
            previous_ended_with_cr = chunk.endswith(b"\r")
            content, ending = _strip_breaks(chunk)
            if content:
                any_content = True
                trailing_breaks = ending
            else:
                trailing_breaks += ending
    lone = carriage_returns > crlf
    if not any_content:
        return ByteLayout(0, has_quotes, lone)
    return ByteLayout(newlines - trailing_breaks + 1, has_quotes, lone)


def read_header(path: Path, decoder: LineDecoder) -> list[str] | None:
    with path.open("rb") as stream:
        record = next(csv.reader(decoder.lines(stream), strict=True), None)
    if record is None:
        return None
    return [name.strip(NAME_PADDING) for name in record]


def is_utf8(values: list[str]) -> bool:
    # Undecodable bytes arrive as lone surrogates, which cannot be encoded back.
    try:
        "".join(values).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_csv_table(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, file: str, cap: int,
    unused: Callable[[str], bool] | None = None,
) -> RawTable:
    raw = RawTable(table=table, file=file, format="csv", faults=RowFaults(cap))
    decoder = LineDecoder()
    try:
        if starts_as_utf16(path):
            raw.fatal.append(utf16_problem(table, file))
            return raw
        header = read_header(path, decoder)
        check_columns(len(header or ()))
    except OverBound as over:
        raw.fatal.append(bound_problem(table, file, over))
        return raw
    except (OSError, csv.Error) as error:
        raw.fatal.append(fatal_problem(
            "unreadable_file", table, file, t("data.unreadable_file.csv", error=str(error)),
            t("data.unreadable_file.csv-hint"),
        ))
        return raw
    if not header:
        raw.fatal.append(fatal_problem(
            "no_header", table, file, t("data.no_header.reason"), t("data.no_header.hint"),
        ))
        return raw
    if not is_utf8(header):
        raw.fatal.append(_header_encoding_problem(table, file, decoder))
    # A Russian Excel's CSV may be both in Windows-1251 and separated by semicolons: both are said.
    separator = _other_separator(header)
    if separator is not None:
        raw.fatal.append(_wrong_delimiter_problem(table, file, separator))
    if raw.fatal:
        return raw
    raw.fatal.extend(header_problems(table, file, header))
    if raw.fatal:
        return raw
    raw.columns = header
    skipped = {i for i, name in enumerate(header) if unused is not None and unused(name)}
    width = len(header)
    # The bytes are scanned in a second thread while DuckDB reads the file: DuckDB releases
    # Python's lock while it works, so on a large file the scan costs little extra time.
    scanning = _SCANNER.submit(scan_bytes, path)
    raw.relation = _direct_relation(path, width, skipped)
    raw.position_offset = 2  # the header is line 1
    raw.positions_hold = lambda records: _one_line_per_record(scanning.result(), records)
    raw.read_again = lambda: _read_carefully(
        con, RawTable(table=table, file=file, format="csv", faults=RowFaults(cap), columns=header),
        path, skipped, scanning,
    )
    return raw


# Excel separates the values of its "CSV" with a semicolon where the decimal mark is a comma
# (Russia among those places); a tab-separated export is the other usual one.
OTHER_SEPARATORS = (";", "\t")


def _other_separator(header: list[str]) -> str | None:
    """The character the file separates its values with instead of a comma, when its header is
    one column that this character splits into several names. (No table has a single column, so
    such a header is never right as it is, whatever the names it holds.)"""
    if len(header) != 1:
        return None
    for separator in OTHER_SEPARATORS:
        names = [name.strip(NAME_PADDING) for name in header[0].split(separator)]
        if len([name for name in names if name]) > 1:
            return separator
    return None


def _wrong_delimiter_problem(table: str, file: str, separator: str) -> DataProblem:
    reason = (t("data.wrong_delimiter.reason-tab", file=file) if separator == "\t"
              else t("data.wrong_delimiter.reason", file=file, separator=separator))
    return fatal_problem("wrong_delimiter", table, file, reason, t("data.wrong_delimiter.hint"))


def _header_encoding_problem(table: str, file: str, decoder: LineDecoder) -> DataProblem:
    """A header that is not UTF-8: said to be Windows-1251 when it reads as Russian text so."""
    number, line = decoder.first_other
    found = windows_1251_line(number, line)
    if found is not None:
        return _not_utf8_problem(table, file, found)
    return fatal_problem(
        "header_encoding", table, file, t("data.header_encoding.reason"), t("data.header_encoding.hint"),
    )


def _not_utf8_problem(table: str, file: str, found: Windows1251Text) -> DataProblem:
    return fatal_problem(
        "not_utf8_file", table, file,
        t("data.not_utf8_file.reason", file=file, line=found.line, text=preview(found.text)),
        t("data.not_utf8_file.hint"),
    )


# One thread, shared: it only ever counts bytes, one file at a time.
_SCANNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kpilang-csv-scan")


def _one_line_per_record(layout: ByteLayout, records: int) -> bool:
    """Whether record k is on line k + 2. Each record takes at least one line, a blank line
    adds one without a record, and a quoted line break one more: so equal counts mean neither
    happened. A lone carriage return could end a record without a line feed and offset a blank
    line, so it always takes the careful way."""
    return not layout.lone_carriage_return and layout.lines == 1 + records


def _direct_relation(path: Path, width: int, skipped: set[int]) -> str:
    """Every record's cells as text, straight from the file (the `skipped` columns left empty)."""
    options = csv_read_options([cell(i) for i in range(width)], header=True)
    # DuckDB reads an empty field, quoted or not, as NULL, so cells are taken as they come.
    cells = ", ".join(
        f"CAST(NULL AS VARCHAR) AS {cell(i)}" if i in skipped else cell(i) for i in range(width)
    )
    # A skipped column is still read by a condition every row meets: DuckDB checks that a
    # column is UTF-8 only when it reads it, and a row with bytes that are not is rejected
    # whatever its columns (see _read_line_by_line).
    read_anyway = " AND ".join(f"NULLIF({cell(i)}, {cell(i)}) IS NULL" for i in sorted(skipped))
    where = f" WHERE {read_anyway}" if read_anyway else ""
    return f"(SELECT {cells} FROM read_csv({literal(str(path))}, {options}){where})"


def _read_carefully(
    con: duckdb.DuckDBPyConnection, raw: RawTable, path: Path, skipped: set[int],
    scanning: Future,
) -> RawTable:
    """The file as a raw table with `_row`: through DuckDB with lines derived from quoted line
    breaks when it can, line by line otherwise. A file found to be in Windows-1251 while read
    line by line comes back with that fatal problem and no relation."""
    width = len(raw.columns)
    staged = _read_staged(con, raw.table, path, width, skipped)
    layout = scanning.result()
    raw.relation = None if staged is None else _numbered(con, raw.table, staged, width, layout)
    if raw.relation is None:
        decoder = LineDecoder()
        try:
            raw.relation = _read_line_by_line(con, raw.table, path, raw.columns, raw.faults, decoder)
        except OverBound as over:
            raw.fatal.append(bound_problem(raw.table, raw.file, over))
            return raw
        # DuckDB accepts only UTF-8, so a file in another encoding always comes this way.
        found = decoder.windows_1251()
        if found is not None:
            raw.relation = None
            raw.fatal.append(_not_utf8_problem(raw.table, raw.file, found))
    return raw


def _read_staged(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, width: int, skipped: set[int]
) -> str | None:
    """Every record's cells as text, in file order (the `skipped` columns left empty); None
    when DuckDB's strict reader refuses the file, which it still parses whole."""
    staged = f"{LOAD_SCHEMA}.scanned_{table}"
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {staged} AS SELECT * FROM {_direct_relation(path, width, skipped)}"
        )
    except duckdb.Error:
        # A malformed row or invalid UTF-8: the line-by-line reader reports each such row.
        con.execute(f"DROP TABLE IF EXISTS {staged}")
        return None
    return staged


def _quoted_breaks(width: int) -> str:
    """Line breaks quoted inside a record's cells: each one moves the following records down.
    They are counted only in the rare records that have one (contains is a cheap byte scan)."""
    has_break = " OR ".join(f"contains({cell(i)}, chr(10))" for i in range(width))
    counted = " + ".join(
        f"coalesce(strlen({cell(i)}) - strlen(replace({cell(i)}, chr(10), '')), 0)"
        for i in range(width)
    )
    return f"CASE WHEN {has_break} THEN {counted} ELSE 0 END"


def _rows_inside_values(width: int) -> str:
    """Whether a record's quoted value holds a line that splits at the commas into as many
    values as the header has columns: likely a row of its own that a stray quote swallowed,
    up to a stray quote that closed it. A line in the middle of the value is whole; the value's
    last line goes on with the record's remaining values after it."""
    tests = []
    for i in range(width):
        lines = f"string_split({cell(i)}, chr(10))"
        whole = (f"list_count(list_filter(list_slice({lines}, 2, -2), "
                 f"lambda line: len(string_split(line, ',')) = {width})) > 0")
        last = f"len(string_split({lines}[-1], ',')) + {width - 1 - i} = {width}"
        tests.append(f"CASE WHEN contains({cell(i)}, chr(10)) THEN {whole} OR {last} ELSE false END")
    return " OR ".join(tests)


def _row_inside(taken: list[str], width: int) -> int | None:
    """The offset of the first line after a record's first that splits at the commas into as
    many values as the header has columns (see _rows_inside_values), None when none does."""
    for offset, text in enumerate(taken[1:], start=1):
        if len(text.rstrip("\r\n").split(",")) == width:
            return offset
    return None


def _numbered(
    con: duckdb.DuckDBPyConnection, table: str, staged: str, width: int, layout: ByteLayout
) -> str | None:
    """The staged records with the line each starts on; None when lines cannot be derived
    from positions. Without a quote character in the file no cell can hold a line break."""
    breaks = _quoted_breaks(width) if layout.has_quotes and width else "0"
    rows_inside = _rows_inside_values(width) if layout.has_quotes and width else "false"
    records, quoted_breaks, swallowing = con.execute(
        f"SELECT count(*), coalesce(sum({breaks}), 0), count(*) FILTER (WHERE {rows_inside}) "
        f"FROM {staged}"
    ).fetchone()
    if layout.lone_carriage_return or layout.lines != 1 + records + quoted_breaks or swallowing:
        # Blank lines were skipped somewhere (or a lone carriage return may have ended a
        # record), so positions no longer give lines; or a quoted value may have swallowed
        # rows, which the line-by-line reader rejects line by line.
        con.execute(f"DROP TABLE {staged}")
        return None
    columns = ", ".join(cell(i) for i in range(width))
    name = raw_table_name(table)
    # The table keeps the file's order (DuckDB preserves insertion order), so rowid is the
    # record's position; the header is line 1.
    if quoted_breaks == 0:
        con.execute(
            f"CREATE OR REPLACE VIEW {name} AS SELECT CAST(rowid + 2 AS BIGINT) AS _row"
            f"{', ' if width else ''}{columns} FROM {staged}"
        )
    else:
        con.execute(
            f"CREATE OR REPLACE TABLE {name} AS SELECT CAST(rowid + 2 + coalesce(sum({breaks}) "
            f"OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) "
            f"AS BIGINT) AS _row{', ' if width else ''}{columns} FROM {staged}"
        )
        con.execute(f"DROP TABLE {staged}")
    return name


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


def _read_line_by_line(
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
