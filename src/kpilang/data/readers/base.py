"""What every reader hands back: a raw table, the rows it could not read, and fatal problems."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from kpilang.messages import Text, t

from ..bounds import OverBound
from ..problems import DataProblem, preview
from ..schema import TABLES


Owners = tuple[str, ...]
"""The texts a raw record may name its owner by (see owner_candidates); empty when none."""


@dataclass(frozen=True)
class RowFault:
    """A row the reader could not turn into cells (wrong number of values, broken quoting,
    invalid UTF-8, a line that is not a JSON object). It counts as read and rejected.

    `owners` holds, for each physical record the fault stands for, the texts that may name its
    owner; a fault that swallowed several lines (an unclosed quote) stands for each of them, and
    `end_row` is its last line."""

    row: int
    code: str  # a key of reasons.ROW_REASONS
    value: str | None = None
    facts: tuple[tuple[str, object], ...] = ()
    owners: tuple[Owners, ...] = ((),)
    end_row: int | None = None
    # The column whose value made the row unusable, when one did (a mapped CRM value).
    column: str | None = None
    # Where the rows sit in time, when that could be read (DataProblem's period/at/until/undated).
    placed: tuple[tuple[str, object], ...] = ()


class RowFaults:
    """Unreadable rows: the first `cap` of each kind in detail, all of them counted, and for
    all of them the texts that may name their owner (so that a row not listed in detail still
    stops its owner's pay)."""

    def __init__(self, cap: int):
        self.cap = cap
        self.shown: list[RowFault] = []
        self.counts: Counter[str] = Counter()
        # Records rejected: a fault that swallowed several records counts each of them.
        self.total = 0
        # (kind, owner texts) of every fault's records, listed in detail or not.
        self.owner_texts: set[tuple[str, Owners]] = set()

    def add(
        self, row: int, code: str, value: object = None, *,
        owners: tuple[Owners, ...] = ((),), end_row: int | None = None, column: str | None = None,
        records: int | None = None, placed: dict[str, object] | None = None, **facts: object,
    ) -> None:
        """`owners` has the owner texts of each physical record the fault stands for (by
        default one record, whose owner is unknown). `records`, when given, is the number of
        records it stands for, `owners` then holding each distinct owner's texts once."""
        self.counts[code] += 1
        self.total += len(owners) if records is None else records
        self.owner_texts.update((code, texts) for texts in owners)
        if self.counts[code] <= self.cap:
            self.shown.append(
                RowFault(row, code, preview(value), tuple(facts.items()), owners, end_row, column,
                         tuple((placed or {}).items())))


def owner_index(table: str, columns: list[str]) -> int | None:
    """The position (from 0) of the table's owner column among a file's `columns`; None when
    the file has no such column."""
    owner = TABLES[table].owner_column
    return columns.index(owner) if owner in columns else None


def owner_candidates(fields: list[str], width: int, index: int | None) -> Owners:
    """The texts that may name a record's owner when its values cannot be told apart: the value
    at the owner column's position counted from the start, and counted from the end. A value
    that swallowed a separator, or one missing, moves every position after it; counting from
    the other end finds the owner's value when the damage is on the other side of it. Quotes
    and white space around a text are dropped; empty texts, and texts with bytes that are not
    UTF-8, are left out."""
    if index is None:
        return ()
    found = []
    if index < len(fields):
        found.append(fields[index])
    back = len(fields) - (width - index)
    if 0 <= back < len(fields):
        found.append(fields[back])
    texts = (text.strip().strip('"').strip() for text in found)
    return tuple(dict.fromkeys(text for text in texts if text and is_text(text)))


def is_text(value: str) -> bool:
    """Whether a value read from a file is text: bytes that are not UTF-8 are kept as lone
    surrogates so that their row can be reported, but such a value names nobody for sure."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class MistypedId:
    """An id or key column whose values are not text or whole numbers: nested values (a Parquet
    STRUCT, LIST or MAP; a JSON object or array) or fractional numbers (FLOAT, DOUBLE or a DECIMAL
    with decimals; a JSON number with a point or an exponent). Read as text they would never match
    the same id written plainly, so the column is unusable rather than its rows.

    Parquet tells the column's `stored_type`; a JSONL file tells the first `line` with such a value
    (and the `value`) and how many lines have one (`lines`)."""

    kind: str  # "nested" or "fractional"
    stored_type: str | None = None
    line: int | None = None
    value: str | None = None
    lines: int = 0


@dataclass
class RawTable:
    """One data file read as text.

    `relation` is something to select from (a DuckDB table, a view, or a parenthesised query
    straight over the file) with c0…cN VARCHAR, one per entry of `columns` (the header, in file
    order), and `_row` BIGINT, the row number problems report. `fatal` lists problems that make
    the file unusable; when it is not empty, `relation` is None.

    A relation read straight from the file, in its order, has no `_row` column: the k-th record
    (from 0) is row k + `position_offset`. That holds only once `positions_hold(records)` has
    confirmed it for the number of records DuckDB found; when it does not (blank lines, a line
    break inside a quoted value, a row DuckDB's strict reader refuses), `read_again()` returns
    the file read the careful way, with `_row` column.
    """

    table: str
    file: str
    format: str
    columns: list[str] = field(default_factory=list)
    relation: str | None = None
    faults: RowFaults | None = None
    fatal: list[DataProblem] = field(default_factory=list)
    # Columns whose stored type cannot hold an exact decimal (binary floating point in Parquet).
    float_columns: set[str] = field(default_factory=set)
    mistyped_ids: dict[str, MistypedId] = field(default_factory=dict)
    position_offset: int | None = None
    positions_hold: Callable[[int], bool] | None = None
    read_again: Callable[[], RawTable] | None = None


def number_cell_text(text: str) -> str:
    """A number's cell text as the checks read it: an exponent form (`1.5e3`, `1.5E-3`) is
    written out in plain digits exactly (Decimal from the text, never a float); any other text
    is kept as written, so a bad number is still quoted as the file has it."""
    if "e" in text or "E" in text:
        return format(Decimal(text), "f")
    return text


def fatal_problem(
    code: str, table: str, file: str, reason: Text, hint: Text, column: str | None = None
) -> DataProblem:
    """A problem that makes a file or table unusable: nothing is computed."""
    return DataProblem(
        table=table, file=file, row=None, column=column, value=None, code=code, reason=reason,
        hint=hint, fatal=True,
    )


def bound_problem(table: str, file: str, over: OverBound) -> DataProblem:
    """A file past one of the bounds of bounds.py: fatal, saying which bound, and where."""
    return fatal_problem(
        over.code, table, file, t(f"data.{over.code}.reason", file=file, **over.facts),
        t(f"data.{over.code}.hint", **over.facts),
    )


def utf16_problem(table: str, file: str) -> DataProblem:
    """A text file in UTF-16 (Excel's "Unicode Text") rather than UTF-8: the file, not its rows."""
    return fatal_problem(
        "utf16_file", table, file, t("data.utf16_file.reason", file=file), t("data.utf16_file.hint"),
    )


def header_problems(table: str, file: str, names: list[str]) -> list[DataProblem]:
    """A header must name every column, once."""
    problems = []
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            problems.append(fatal_problem(
                "unnamed_column", table, file,
                t("data.unnamed_column.reason", position=position), t("data.unnamed_column.hint"),
            ))
        elif name in seen:
            problems.append(fatal_problem(
                "repeated_column", table, file,
                t("data.repeated_column.reason", column=name), t("data.repeated_column.hint"),
                column=name,
            ))
        seen.add(name)
    return problems
