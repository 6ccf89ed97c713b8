"""CSV files (UTF-8, comma-separated, double quotes, header row) as raw tables.

Problems must name the exact line of the file, which DuckDB's fast CSV scanner does not report.
So the common case reads the file twice at full speed, at the same time: DuckDB parses it
straight into the checked table (see validation.py), keeping the file's order, while a second
thread counts the line breaks in the bytes. When the file has exactly one line per record (no
blank line, no line break inside a quoted value, no lone carriage return), the k-th record is on
line k + 2 and nothing else is needed: the text of the cells is never stored.

Otherwise the file is read again the careful way: DuckDB's cells as text with each record's
line derived from the line breaks quoted before it (csv_staged.py), or, when DuckDB's strict reader refuses the
file or lines are skipped (blank lines, rows with the wrong number of values, broken quoting,
invalid UTF-8), Python's csv module, which reports every such row with its line (csv_lines.py). That is also
where a file in Windows-1251 (Excel's "CSV" on a Russian Windows) shows: it is one fatal problem
rather than a problem for each of its rows (see text_encoding.py).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb

from ...messages import t
from ..bounds import OverBound, check_columns
from ..problems import DataProblem, preview
from ..staging import NAME_PADDING
from .base import RawTable, RowFaults, bound_problem, fatal_problem, header_problems, utf16_problem
from .csv_bytes import ByteLayout, scan_bytes
from .csv_lines import is_utf8, read_line_by_line
from .csv_staged import direct_relation, numbered, read_staged
from .text_encoding import LineDecoder, Windows1251Text, starts_as_utf16, windows_1251_line


def read_header(path: Path, decoder: LineDecoder) -> list[str] | None:
    with path.open("rb") as stream:
        record = next(csv.reader(decoder.lines(stream), strict=True), None)
    if record is None:
        return None
    return [name.strip(NAME_PADDING) for name in record]


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
    raw.relation = direct_relation(path, width, skipped)
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


def _read_carefully(
    con: duckdb.DuckDBPyConnection, raw: RawTable, path: Path, skipped: set[int],
    scanning: Future,
) -> RawTable:
    """The file as a raw table with `_row`: through DuckDB with lines derived from quoted line
    breaks when it can, line by line otherwise. A file found to be in Windows-1251 while read
    line by line comes back with that fatal problem and no relation."""
    width = len(raw.columns)
    staged = read_staged(con, raw.table, path, width, skipped)
    layout = scanning.result()
    raw.relation = None if staged is None else numbered(con, raw.table, staged, width, layout)
    if raw.relation is None:
        decoder = LineDecoder()
        try:
            raw.relation = read_line_by_line(con, raw.table, path, raw.columns, raw.faults, decoder)
        except OverBound as over:
            raw.fatal.append(bound_problem(raw.table, raw.file, over))
            return raw
        # DuckDB accepts only UTF-8, so a file in another encoding always comes this way.
        found = decoder.windows_1251()
        if found is not None:
            raw.relation = None
            raw.fatal.append(_not_utf8_problem(raw.table, raw.file, found))
    return raw


