"""Hypothesis strategies that damage one row of one table of the normative example.

A mutation replaces one value (with one of the kind the column holds, one of another kind, a
near miss of the documented forms, or any text), edits the row's bytes (inserted, deleted or
flipped; quotes, separators, line breaks, NUL, a byte-order mark), changes its line ending or its
encoding, adds or drops a field, or duplicates, blanks or deletes the row.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from tests.fuzz import cold_sales_oracle as oracle
from tests.fuzz.normative_data import TABLES, csv_lines, original_cells, owner

# ---- values -------------------------------------------------------------------------------------

digits = st.from_regex(r"[0-9]{1,7}(\.[0-9]{1,3})?", fullmatch=True)
money_like = st.one_of(
    digits,
    st.sampled_from(["0", "007", "1234.5", "1 234,50", "1 234.50", "1,234.50", "1234,50", "1234.50 ₽", "$12",
                     "12 RUB", "1e5", "1.5E3", "+12", ".5", "5.", "-10.00", "-0", "-0.00", " 100", "100 ", "\t5",
                     "NaN", "inf", "0x10", "١٢٣", "１２", "9" * 21, "9" * 39, "1." + "0" * 19, "0." + "1" * 18,
                     "twelve", "1_000", "−5"]),
    digits.map(lambda d: "-" + d),
)
durations = st.one_of(
    st.integers(0, 4000).map(str),
    st.sampled_from(["59", "60", "61", "262.0", "262.00", "262.5", "-5", "-0", "4:22", "1m", "PT1M", " 60", "60 ",
                     "9" * 20, "1e2", "60.000000000000000001"]),
)
booleans = st.sampled_from(["true", "false", "1", "0", "TRUE", "False", "tRuE", "yes", "no", "да", "t", "2",
                            " true", "true "])
stages = st.sampled_from(["open", "won", "lost", "WON", "Won", " won", "won ", "closed", "выиграна"])
activity_types = st.sampled_from(["call", "meeting", "chat", "email", "task", "Call", " call", "call ",
                                  "meeting\u200b", "звонок"])
statuses = st.sampled_from(["done", "planned", "cancelled", "Done", " done", "done "])
periods = st.one_of(
    st.sampled_from(["2026-07", "2026-08", "2026-06", "2026-Q3", "2026-W27", "2026-W53", "2020-W53", "2026-W00",
                     "2026-7", "2026-13", "2026-00", "2026-q3", "2026-Q5", "2026/07", "07.2026", " 2026-07",
                     "2026-07 ", "0000-07", "202607", "2026-07-01"]),
    st.from_regex(r"[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4]|W[0-5][0-9])", fullmatch=True),
)
ids = st.one_of(
    st.sampled_from(["m1", "m2", "m3", "m4", "m5", "h1", "m6", "M1", "m1 ", " m1", "m01", "a0001", "a0002",
                     "d001", "d002", "l001", "1", "m1\u00a0"]),
    st.from_regex(r"[a-z][0-9]{1,4}", fullmatch=True),
)
offsets = st.sampled_from(["", "", "", "Z", "+03:00", "+0300", "+03", "-11:00", "+14:00", "-12:00", "+05:45",
                           "+14:01", "+15:00", "-15:00", "+24:00", "+99:99", "+03:60", "-23:59", "z", " +03:00",
                           "+3:00", "+03:00:00", "UTC", " Europe/Moscow"])


@st.composite
def datetimes(draw) -> str:
    """Date-times near and far from July 2026 in every documented form, and near misses."""
    year = draw(st.sampled_from(["2026", "2026", "2026", "2025", "2027", "0001", "9999", "0000", "1900", "26"]))
    month = draw(st.sampled_from(["07", "07", "06", "08", "01", "12", "00", "13", "7"]))
    day = draw(st.sampled_from(["01", "15", "30", "31", "28", "29", "00", "32", "1"]))
    text = f"{year}-{month}-{day}"
    if draw(st.integers(0, 5)) == 0:
        return text  # a date alone: midnight, local time
    separator = draw(st.sampled_from(["T", "T", " ", "t", "_"]))
    hour = draw(st.sampled_from(["00", "09", "20", "21", "23", "24", "25", "9"]))
    minute = draw(st.sampled_from(["00", "30", "59", "60"]))
    text += f"{separator}{hour}:{minute}"
    if draw(st.booleans()):
        text += ":" + draw(st.sampled_from(["00", "59", "60", "61"]))
        if draw(st.integers(0, 3)) == 0:
            text += "." + draw(st.from_regex(r"[0-9]{1,9}", fullmatch=True))
    return text + draw(offsets)


period_edges = st.sampled_from([
    "2026-06-30T21:00:00Z", "2026-06-30T20:59:59Z", "2026-06-30T23:59:59", "2026-07-01T00:00:00",
    "2026-07-01T00:00:00+03:00", "2026-07-01T00:00:00+04:00", "2026-07-31T23:59:59.999999",
    "2026-07-31T20:59:59.999999Z", "2026-07-31T21:00:00Z", "2026-08-01", "2026-08-01T00:00:00+02:00",
    "2026-07-31T23:30:00-01:00", "2026-07-01", "2026-06-30"])
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)

COLUMN_VALUES = {
    "id": ids, "manager_id": ids, "salary": money_like, "amount": money_like, "value": money_like,
    "duration": durations, "is_new_client": booleans, "stage": stages, "type": activity_types,
    "status": statuses, "period": periods, "name": st.sampled_from(["revenue", "Revenue", "revenue ", "calls"]),
    "role": st.sampled_from(["cold", "inbound", "head", "Cold", "cold "]),
    "team": st.sampled_from(["north", "south", ""]),
    "hired_at": st.sampled_from(["2024-03-01", "2026-07-31", "2026-08-01", "2026-09-15", "2026-08-01T10:00:00",
                                 "01.08.2026", ""]),
}
DATE_COLUMNS = {"started_at", "created_at", "closed_at", "first_response_at"}


def values_for(column: str) -> st.SearchStrategy[str]:
    own = st.one_of(datetimes(), period_edges) if column in DATE_COLUMNS else COLUMN_VALUES.get(column, any_text)
    return st.one_of(own, own, own, st.just(""), any_text, money_like, datetimes())


def csv_field(value: str, force_quotes: bool) -> str:
    if force_quotes or any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


# ---- rows ---------------------------------------------------------------------------------------

SPECIAL_BYTES = [b'"', b",", b"\r", b"\n", b"\r\n", b";", b"\t", b"\x00", b"\xef\xbb\xbf", b" ", b'""', b"\xff",
                 b"\xd0", b"\\", b"'"]


@dataclass(frozen=True)
class CsvCase:
    """Lines `first` .. `first + span - 1` of `table`'s CSV file (1 is the first data line) are
    replaced by `segment`."""

    table: str
    first: int
    span: int
    segment: bytes
    how: str

    def content(self) -> bytes:
        lines = list(csv_lines(self.table))
        lines[self.first:self.first + self.span] = [self.segment]
        return b"".join(lines)

    def owners(self) -> list[str]:
        return [owner(self.table, original_cells(self.table)[i - 1]) for i in range(self.first, self.first + self.span)]

    def __repr__(self) -> str:  # what Hypothesis prints for a falsifying example
        return f"CsvCase({self.table!r}, line {self.first + 1}, {self.how}: {self.segment!r})"


def _split_line(line: bytes) -> tuple[bytes, bytes]:
    body = line.rstrip(b"\r\n")
    return body, line[len(body):]


@st.composite
def csv_cases(draw) -> CsvCase:
    table = draw(st.sampled_from(TABLES))
    lines = csv_lines(table)
    first = draw(st.integers(1, len(lines) - 1))
    body, end = _split_line(lines[first])
    columns = oracle.COLUMNS[table]
    kind = draw(st.sampled_from(["value", "value", "value", "bytes", "special", "line_end", "encoding", "fields",
                                 "row"]))
    span = 1
    if kind == "value":
        fields = body.decode("utf-8").split(",")
        i = draw(st.integers(0, len(fields) - 1))
        fields[i] = csv_field(draw(values_for(columns[i])), draw(st.integers(0, 4)) == 0)
        segment, how = ",".join(fields).encode("utf-8") + end, f"{columns[i]} replaced"
    elif kind == "bytes":
        data = bytearray(body)
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(data)))
            op = draw(st.sampled_from(["insert", "delete", "flip"]))
            if op == "insert":
                data[at:at] = bytes([draw(st.integers(0, 255))])
            elif at < len(data) and op == "delete":
                del data[at]
            elif at < len(data):
                data[at] ^= 1 << draw(st.integers(0, 7))
        segment, how = bytes(data) + end, "bytes edited"
    elif kind == "special":
        at = draw(st.integers(0, len(body)))
        segment, how = body[:at] + draw(st.sampled_from(SPECIAL_BYTES)) + body[at:] + end, "bytes inserted"
    elif kind == "line_end":
        new_end = draw(st.sampled_from([b"\n", b"\r", b"", b"\r\r\n", b"\n\n", b"\r\n\r\n", b"\n\r"]))
        if new_end == b"" and first + 1 < len(lines):  # the next line joins this one
            span, segment = 2, body + lines[first + 1]
        else:
            segment = body + new_end
        how = f"line end {new_end!r}"
    elif kind == "encoding":
        encoding = draw(st.sampled_from(["cp1251", "koi8-r", "utf-16-le", "latin-1", "utf-8-sig"]))
        segment = body.decode("utf-8").encode(encoding, errors="replace") + end
        how = f"row in {encoding}"
    elif kind == "fields":
        fields = body.split(b",")
        op = draw(st.sampled_from(["drop", "add", "swap"]))
        i, j = draw(st.integers(0, len(fields) - 1)), draw(st.integers(0, len(fields) - 1))
        if op == "drop":
            del fields[i]
        elif op == "add":
            fields.insert(i, b"")
        else:
            fields[i], fields[j] = fields[j], fields[i]
        segment, how = b",".join(fields) + end, f"fields: {op}"
    else:
        op = draw(st.sampled_from(["duplicate", "delete", "blank_before", "spaces_line"]))
        segment = {"duplicate": lines[first] + lines[first], "delete": b"", "blank_before": end + lines[first],
                   "spaces_line": b"  " + end + lines[first]}[op]
        how = f"row: {op}"
    if segment.endswith(b"\r") and first + span < len(lines):
        # A lone carriage return may join the next line to this row: it is part of the case.
        segment += lines[first + span]
        span += 1
    return CsvCase(table, first, span, segment, how)
