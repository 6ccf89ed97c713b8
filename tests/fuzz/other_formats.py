"""The normative example's tables converted to JSON Lines, Excel and Parquet, one value of one row
changed there to any value the format can hold, and the oracle's reading of that value.

A case changes one table only; the other tables stay CSV (a data directory may mix formats). The
converted table holds the example's values typed as an export would type them: JSON numbers and
booleans, Excel numbers, Parquet DECIMAL, BIGINT, BOOLEAN and TIMESTAMP WITH TIME ZONE columns.
A value the references do not settle for its column (a number where an id is expected, a Python
float in Excel) is read as `Unsure`, and the oracle claims nothing about its owner.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.fuzz import cold_sales_oracle as oracle
from tests.fuzz.data_mutations import values_for
from tests.fuzz.normative_data import TABLES, known_ids, original_cells, owner

NUMERIC = {"salary", "amount", "value", "duration"}
BOOLEAN = {"is_new_client"}
DATETIME = {"started_at", "created_at", "closed_at", "first_response_at"}
KEYS = {"id", "manager_id"}


class Raw(str):
    """A JSON number as written (its exact digits)."""


def typed(column: str, text: str) -> Any:
    """The example's text as the value an export would write: numbers and yes/no typed."""
    if text == "":
        return None
    if column in NUMERIC:
        return Raw(text)
    if column in BOOLEAN:
        return text == "true"
    return text


# ---- what the oracle reads from a typed value --------------------------------------------------------

def plain(number: Decimal) -> str:
    return format(number, "f")


def cell_text(column: str, value: Any, *, fmt: str) -> str:
    """The text the oracle reads for `value` in `column`; raises oracle.Unsure where the
    references do not settle it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        if column in BOOLEAN:
            return "true" if value else "false"
        raise oracle.Unsure(value)
    if isinstance(value, Raw | int | Decimal):
        if column not in NUMERIC:
            raise oracle.Unsure(value)  # a number for text: the "wrong key types" class for ids
        number = Decimal(str(value))
        if not number.is_finite():
            raise oracle.Unsure(value)
        if isinstance(value, Raw) and re.search(r"[eE]", value) and abs(number.adjusted()) > 30:
            raise oracle.Unsure(value)
        return plain(number)
    if isinstance(value, float):
        raise oracle.Unsure(value)
    if isinstance(value, datetime):
        if column not in DATETIME:
            raise oracle.Unsure(value)
        return value.isoformat()
    if isinstance(value, date):
        if column not in DATETIME:
            raise oracle.Unsure(value)
        return value.isoformat()
    if isinstance(value, str):
        if "\x00" in value or "\ufeff" in value or (fmt == "xlsx" and value.startswith("=")):
            raise oracle.Unsure(value)
        return value
    raise oracle.Unsure(value)


def oracle_row(table: str, values: dict[str, Any] | None, fmt: str, original_owner: str) -> oracle.Row:
    if values is None:
        return oracle.Row(table, None, owner_hint=original_owner)
    cells = {}
    unsure = False
    for column in oracle.COLUMNS[table]:
        try:
            cells[column] = cell_text(column, values.get(column), fmt=fmt)
        except oracle.Unsure:
            unsure = True
            cells[column] = ""
    if unsure:
        key = "id" if table == "managers" else "manager_id"
        return oracle.Row(table, {key: original_owner}, unsure=True, owner_hint=original_owner)
    return oracle.read_row(table, cells)


# ---- changed values ---------------------------------------------------------------------------------

json_numbers = st.one_of(
    st.from_regex(r"-?(0|[1-9][0-9]{0,12})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,2})?", fullmatch=True).map(Raw),
    st.sampled_from(["0", "-0", "1e400", "1E-400", "12345678901234567890.12", "1.5e3", "60", "59.999"]).map(Raw),
)
moments = st.datetimes(min_value=datetime(2026, 6, 25), max_value=datetime(2026, 8, 5),
                       timezones=st.sampled_from([None, timezone.utc, timezone(timedelta(hours=3)),
                                                  timezone(timedelta(hours=-11)), timezone(timedelta(hours=14))]))


def json_values(column: str) -> st.SearchStrategy[Any]:
    return st.one_of(values_for(column), values_for(column), json_numbers, st.booleans(), st.none(),
                     st.sampled_from([{"a": 1}, [1, 2], []]))


def xlsx_values(column: str) -> st.SearchStrategy[Any]:
    text = values_for(column).filter(lambda s: not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", s))
    return st.one_of(text, text, st.integers(-10**6, 10**15), st.booleans(), st.none(),
                     moments.map(lambda d: d.replace(tzinfo=None, microsecond=0)),
                     st.dates(min_value=date(1901, 1, 1)),
                     st.floats(allow_nan=False, allow_infinity=False, width=64))


@dataclass(frozen=True)
class TypedCase:
    """Row `index` (0-based) of `table`, written in `fmt`, with `column` set to `value` (or the
    key removed, for JSON Lines, when `value` is REMOVED), or the whole line replaced by `line`."""

    fmt: str
    table: str
    index: int
    column: str | None
    value: Any = None
    line: bytes | None = None

    def rows(self) -> list[dict[str, Any]]:
        out = [{c: typed(c, v) for c, v in cells.items()} for cells in original_cells(self.table)]
        if self.column is not None:
            if self.value is REMOVED:
                out[self.index].pop(self.column)
            else:
                out[self.index][self.column] = self.value
        return out

    def original_owner(self) -> str:
        return owner(self.table, original_cells(self.table)[self.index])


class _Removed:
    def __repr__(self) -> str:
        return "REMOVED"


REMOVED = _Removed()


@st.composite
def typed_cases(draw, fmt: str) -> TypedCase:
    table = draw(st.sampled_from(TABLES))
    index = draw(st.integers(0, len(original_cells(table)) - 1))
    column = draw(st.sampled_from(oracle.COLUMNS[table]))
    if fmt == "jsonl":
        if draw(st.integers(0, 4)) == 0:
            return TypedCase(fmt, table, index, None, line=draw(damaged_json_line(table, index)))
        value = draw(st.one_of(json_values(column), st.just(REMOVED)))
    elif fmt == "xlsx":
        value = draw(xlsx_values(column))
    else:
        value = draw(parquet_values(column))
    return TypedCase(fmt, table, index, column, value)


# ---- JSON Lines ---------------------------------------------------------------------------------------

def json_line(row: dict[str, Any]) -> bytes:
    parts = []
    for key, value in row.items():
        if isinstance(value, Raw):
            text = str(value)
        else:
            text = json.dumps(value, ensure_ascii=False)
        parts.append(json.dumps(key) + ": " + text)
    return ("{" + ", ".join(parts) + "}").encode("utf-8")


@st.composite
def damaged_json_line(draw, table: str, index: int) -> bytes:
    row = {c: typed(c, v) for c, v in original_cells(table)[index].items()}
    data = bytearray(json_line(row))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "special", "delete", "flip"]))
        if op == "insert":
            data[at:at] = bytes([draw(st.integers(0, 255))])
        elif op == "special":
            data[at:at] = draw(st.sampled_from([b'"', b",", b"\n", b"\r", b"}", b"{", b"NaN", b"\\", b"\xe2\x80\xa8",
                                                b'"manager_id": "m2", ', b" ", b"\xff"]))
        elif at < len(data) and op == "delete":
            del data[at]
        elif at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


def jsonl_content(case: TypedCase) -> bytes:
    lines = [json_line(row) for row in case.rows()]
    if case.line is not None:
        lines[case.index] = case.line
    return b"\n".join(lines) + b"\n"


def _no_repeats(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a repeated key")
    return dict(pairs)


def _no_constant(name):
    raise ValueError(name)


def read_json_line(line: bytes) -> dict[str, Any] | None:
    """The oracle's reading of one JSON Lines record: an object, or None when it is rejected."""
    try:
        value = json.loads(line.decode("utf-8"), parse_float=Raw, parse_int=Raw, parse_constant=_no_constant,
                           object_pairs_hook=_no_repeats)
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def jsonl_oracle_rows(case: TypedCase) -> list[oracle.Row]:
    rows = [oracle_row(case.table, row, "jsonl", case.original_owner()) for row in _jsonl_records(case)]
    if case.line is not None:
        # A reader may take a damaged line's manager_id from its raw text: when that holds another
        # known person's id, the oracle makes no claim about the owner.
        others = {f'"{mid}"' for mid in known_ids() - {case.original_owner()}}
        text = case.line.decode("utf-8", errors="replace")
        for row in rows:
            if row.cells is None and any(o in text for o in others):
                row.uncertain_owner = True
    return rows


def _jsonl_records(case: TypedCase) -> list[dict[str, Any] | None]:
    records: list[dict[str, Any] | None] = [dict(r) for r in case.rows()]
    if case.line is None:
        # A value that is not JSON text (a nested object) is read as its JSON text.
        return [{k: (json.dumps(v) if isinstance(v, dict | list) else v) for k, v in r.items()} for r in records]
    pieces = [p for p in case.line.split(b"\n") if p.strip(b" \t\r") != b""]
    replaced = []
    for piece in pieces:
        record = read_json_line(piece)
        if record is not None:
            record = {k: (json.dumps(v) if isinstance(v, dict | list) else v) for k, v in record.items()}
        replaced.append(record)
    records[case.index:case.index + 1] = replaced
    return records


# ---- Excel --------------------------------------------------------------------------------------------

def xlsx_content(case: TypedCase, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    columns = oracle.COLUMNS[case.table]
    sheet.append(columns)
    for row in case.rows():
        sheet.append([_xlsx_cell(row.get(c)) for c in columns])
    book.save(path)


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, Raw):
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() and "." not in value else number
    return value


def xlsx_oracle_rows(case: TypedCase) -> list[oracle.Row]:
    out = []
    for row in case.rows():
        values = {c: _xlsx_read(c, _xlsx_cell(v)) for c, v in row.items()}
        out.append(oracle_row(case.table, values, "xlsx", case.original_owner()))
    return out


def _xlsx_read(column: str, value: Any) -> Any:
    if isinstance(value, str) and value == "":
        return None  # an empty string is an empty cell
    if isinstance(value, datetime) and value.tzinfo is None and column in DATETIME:
        return value  # local time, as Excel stores it
    return value


# ---- Parquet ------------------------------------------------------------------------------------------

PARQUET_TYPES = {"salary": "DECIMAL(18, 2)", "amount": "DECIMAL(18, 2)", "value": "DECIMAL(18, 2)",
                 "duration": "BIGINT", "is_new_client": "BOOLEAN", "started_at": "TIMESTAMPTZ",
                 "created_at": "TIMESTAMPTZ", "closed_at": "TIMESTAMPTZ", "first_response_at": "TIMESTAMPTZ"}


def parquet_values(column: str) -> st.SearchStrategy[Any]:
    kind = PARQUET_TYPES.get(column, "VARCHAR")
    if kind.startswith("DECIMAL"):
        own = st.decimals(min_value=Decimal("-9999999999999999.99"), max_value=Decimal("9999999999999999.99"),
                          places=2, allow_nan=False, allow_infinity=False)
    elif kind == "BIGINT":
        own = st.one_of(st.integers(-10, 5000), st.integers(-2**63, 2**63 - 1))
    elif kind == "BOOLEAN":
        own = st.booleans()
    elif kind == "TIMESTAMPTZ":
        own = moments.map(lambda d: d if d.tzinfo is not None else d.replace(tzinfo=timezone.utc))
    else:
        own = values_for(column).filter(lambda s: "\x00" not in s)
    return st.one_of(own, own, own, st.none())


def parquet_content(case: TypedCase, path: Path) -> None:
    import duckdb

    columns = oracle.COLUMNS[case.table]
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        listed = ", ".join(f'"{c}" {PARQUET_TYPES.get(c, "VARCHAR")}' for c in columns)
        con.execute(f"CREATE TABLE t ({listed})")
        marks = ", ".join("?" for _ in columns)
        for row in case.rows():
            con.execute(f"INSERT INTO t VALUES ({marks})", [_parquet_value(c, row.get(c)) for c in columns])
        con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    finally:
        con.close()


def _parquet_value(column: str, value: Any) -> Any:
    if isinstance(value, Raw):
        return Decimal(value) if column != "duration" else int(value)
    if column in DATETIME and isinstance(value, str):
        moment = oracle.moment(value)
        return moment.astimezone(timezone.utc)
    return value


def parquet_oracle_rows(case: TypedCase) -> list[oracle.Row]:
    out = []
    for row in case.rows():
        values = {c: _parquet_read(c, _parquet_value(c, v)) for c, v in row.items()}
        out.append(oracle_row(case.table, values, "parquet", case.original_owner()))
    return out


def _parquet_read(column: str, value: Any) -> Any:
    if column == "duration" and isinstance(value, int) and not isinstance(value, bool):
        return Raw(str(value))
    if isinstance(value, Decimal):
        return Raw(str(value))
    return value
