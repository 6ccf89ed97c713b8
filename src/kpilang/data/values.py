"""SQL that reads one text cell as a typed value, and SQL that says why a cell cannot be read.

Every cell arrives as text exactly as written (NULL when empty). For each column kind there are
two expressions: a *conversion* giving the typed value, and a *check* giving NULL for a good cell
or a short reason code (see reasons.py) for a bad one. The check reads the converted value
instead of converting again, and the expensive classification of a bad value (is it a locale
format? a currency? spaces around it?) only runs for cells that already failed. All of it runs
set-based inside DuckDB, so validating ten million rows never loops in Python.

DuckDB's casts are lenient (they accept '1e2', '+5', ' 12.', '0x10', '2026-7-1'), so every
value must first match a strict pattern; only then is the cast trusted. Money and numbers go
from their text straight into DECIMAL: no binary floating point is involved anywhere.
"""

from __future__ import annotations

from .schema import ColumnKind, ColumnSpec
from .sql import literal

# Largest number of digits after the decimal point kept exactly (DuckDB DECIMAL holds 38 digits).
MAX_SCALE = 18
DECIMAL_DIGITS = 38
# The smallest scale of a money column, so that amounts read as money (60000 is 60000.00).
MONEY_MIN_SCALE = 2

PLAIN_DECIMAL = r"-?[0-9]+(\.[0-9]+)?"
# A plain decimal whose fraction fits DECIMAL's scale; the usual case, checked by one pattern.
KEEPABLE_DECIMAL = rf"-?[0-9]+(\.[0-9]{{1,{MAX_SCALE}}})?"
FRACTION_DIGITS = r"\.([0-9]+)$"
# Signs and codes of the currencies kpilang's users meet; any other letter fails as a number.
CURRENCY = r"[$€£¥₽₴₸₹]|(?i)(rub|rur|usd|eur|gbp|руб|р\.)"
# A space of any width between digits is digit grouping: 1 234,50 (no-break and thin too).
DIGIT_SPACES = "[0-9][ \u00a0\u202f\u2009][0-9]"
DIGITS_AND_SEPARATORS = r"-?[0-9][0-9.,]*"
# White space that is not part of a value; only used to say why a value was rejected.
SURROUNDING_SPACE = " \t\r\n\u00a0\u202f\u2009\ufeff"

# ISO 8601 calendar date, optional time (T or a space between), optional UTC offset. The hour
# stops at 23 (24:00 as "end of day" is not accepted); fractions of a second stop at 6 digits.
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
# An offset a clock can show: from -12:00 (Baker Island) to +14:00 (Line Islands), minutes
# 00-59, as +03:00, +0300 or +03. DuckDB reads any two digits (+25:00 moves the instant by a
# day, +03:60 is read as +04:00), so the bound is the pattern's.
_OFFSET = (
    r"(Z|\+(0[0-9]|1[0-3])(:?[0-5][0-9])?|\+14(:?00)?"
    r"|-(0[0-9]|1[01])(:?[0-5][0-9])?|-12(:?00)?)"
)
ISO_DATETIME = rf"[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}([T ]{_TIME}{_OFFSET}?)?"
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
SUB_MICROSECOND = r"\.[0-9]{7,}"
# Excel's serial number of a day (46204 is 2026-07-01; 46204.5 is noon), as a date cell formatted
# as a number is exported. Up to 7 digits: the serial of 9999-12-31 is 2958465.
EXCEL_SERIAL_DATE = r"[0-9]{1,7}(\.[0-9]+)?"

WHOLE_SECONDS = r"[0-9]+(\.0+)?"
NEGATIVE_NUMBER = r"-[0-9]+(\.[0-9]+)?"
FRACTIONAL_NUMBER = r"[0-9]+\.[0-9]+"
CLOCK_TIME = r"[0-9]+:[0-5][0-9](:[0-5][0-9])?"

PERIOD = r"[0-9]{4}-(0[1-9]|1[0-2])|[0-9]{4}-Q[1-4]|[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])"
WEEK_53 = r"[0-9]{4}-W53"

BOOL_WORDS = ("true", "false", "1", "0")
TRUE_WORDS = ("true", "1")


def full_match(ref: str, pattern: str) -> str:
    return f"regexp_full_match({ref}, {literal(pattern)})"


def contains_match(ref: str, pattern: str) -> str:
    return f"regexp_matches({ref}, {literal(pattern)})"


def fraction_digits(ref: str) -> str:
    """How many digits follow the decimal point (0 for a whole number)."""
    return f"length(regexp_extract({ref}, {literal(FRACTION_DIGITS)}, 1))"


def stripped(ref: str) -> str:
    return f"trim({ref}, {literal(SURROUNDING_SPACE)})"


def duckdb_type(kind: ColumnKind, scale: int | None) -> str:
    if kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
        return f"DECIMAL({DECIMAL_DIGITS}, {scale})"
    return {
        ColumnKind.STRING: "VARCHAR",
        ColumnKind.INTEGER: "BIGINT",
        ColumnKind.DATETIME: "TIMESTAMP",
        ColumnKind.DATE: "DATE",
        ColumnKind.DURATION: "BIGINT",
        ColumnKind.BOOL: "BOOLEAN",
    }[kind]


def max_integer_digits(kind: ColumnKind, scale: int | None) -> int:
    if kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
        return DECIMAL_DIGITS - (scale or 0)
    return 18


# --- conversions -------------------------------------------------------------------------


def datetime_to_utc(ref: str) -> str:
    """An ISO 8601 text as a naive TIMESTAMP holding UTC.

    Loading runs with the connection's TimeZone set to the plan's timezone, so one cast to
    TIMESTAMPTZ reads a text with an offset as that exact instant and a text without one as
    wall-clock time in the plan's timezone (a bare date is local midnight). DuckDB's bundled
    ICU resolves clock changes: a time that does not exist (clocks moved forward) is read with
    the offset in force just before the change, and a time that occurs twice (clocks moved
    back) is read as the later of the two instants. The instant's microseconds since the epoch
    then make the naive UTC TIMESTAMP, with no further time zone arithmetic.
    """
    return f"make_timestamp(epoch_us(TRY_CAST({ref} AS TIMESTAMPTZ)))"


def typed_expression(kind: ColumnKind, ref: str, scale: int | None) -> str:
    """The typed value of a cell: right for a cell that passes its check, NULL for an empty one,
    and meaningless for a cell that fails (such rows never reach the clean table)."""
    if kind == ColumnKind.STRING:
        return ref
    if kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
        return f"TRY_CAST({ref} AS {duckdb_type(kind, scale)})"
    if kind == ColumnKind.INTEGER:
        return f"TRY_CAST({ref} AS BIGINT)"
    if kind == ColumnKind.DURATION:
        # The check admits only digits, optionally followed by ".0" (a spreadsheet or a float
        # column writes whole seconds so), which DuckDB's cast reads as that whole number.
        return f"TRY_CAST({ref} AS BIGINT)"
    if kind == ColumnKind.BOOL:
        words = ", ".join(literal(w) for w in TRUE_WORDS)
        return f"lower({ref}) IN ({words})"
    if kind == ColumnKind.DATE:
        return f"TRY_CAST({ref} AS DATE)"
    if kind == ColumnKind.DATETIME:
        return datetime_to_utc(ref)
    raise ValueError(f"no conversion for {kind}")


# --- checks ------------------------------------------------------------------------------


def _padded(ref: str, good_pattern: str) -> str:
    """A value that would be good without the white space around it."""
    return f"WHEN {full_match(stripped(ref), good_pattern)} THEN 'padded' "


def _decimal_check(ref: str, typed: str, non_negative: bool) -> str:
    negative = f"WHEN {typed} < 0 THEN 'negative' " if non_negative else ""
    return (
        f"WHEN {full_match(ref, KEEPABLE_DECIMAL)} THEN CASE "
        f"WHEN {typed} IS NULL THEN 'too_large' "
        f"{negative}END "
        f"WHEN {full_match(ref, PLAIN_DECIMAL)} THEN 'too_many_decimals' "
        + _padded(ref, PLAIN_DECIMAL)
        + f"WHEN {contains_match(ref, CURRENCY)} THEN 'currency' "
        f"WHEN {contains_match(ref, DIGIT_SPACES)} THEN 'digit_spaces' "
        f"WHEN {full_match(ref, DIGITS_AND_SEPARATORS)} AND contains({ref}, ',') THEN 'comma' "
        f"ELSE 'not_a_number' "
    )


def _datetime_check(ref: str, typed: str) -> str:
    return (
        f"WHEN NOT {full_match(ref, ISO_DATETIME)} THEN CASE "
        f"WHEN {contains_match(ref, SUB_MICROSECOND)} THEN 'sub_microsecond' "
        f"WHEN {full_match(ref, EXCEL_SERIAL_DATE)} THEN 'serial_date' "
        f"WHEN {full_match(stripped(ref), ISO_DATETIME)} THEN 'padded' "
        f"ELSE 'datetime_form' END "
        f"WHEN {typed} IS NULL THEN 'no_such_datetime' "
    )


def _duration_check(ref: str, typed: str) -> str:
    return (
        f"WHEN {full_match(ref, WHOLE_SECONDS)} THEN CASE WHEN {typed} IS NULL "
        f"THEN 'too_large' END "
        + _padded(ref, WHOLE_SECONDS)
        + f"WHEN {full_match(ref, NEGATIVE_NUMBER)} THEN 'negative_duration' "
        f"WHEN {full_match(ref, FRACTIONAL_NUMBER)} THEN 'fractional_duration' "
        f"WHEN {full_match(ref, CLOCK_TIME)} THEN 'clock_duration' "
        f"ELSE 'duration_form' "
    )


def _bool_check(ref: str) -> str:
    words = ", ".join(literal(w) for w in BOOL_WORDS)
    return (
        f"WHEN lower({ref}) NOT IN ({words}) THEN CASE "
        f"WHEN lower({stripped(ref)}) IN ({words}) THEN 'padded' ELSE 'bool_form' END "
    )


def _string_check(ref: str, spec: ColumnSpec) -> str:
    if spec.allowed is not None:
        values = ", ".join(literal(v) for v in spec.allowed)
        return (
            f"WHEN {ref} NOT IN ({values}) THEN CASE "
            f"WHEN {stripped(ref)} IN ({values}) THEN 'padded' ELSE 'not_allowed' END "
        )
    if spec.is_period:
        week_53_exists = f"weekofyear(make_date(CAST(left({ref}, 4) AS INTEGER), 12, 28)) = 53"
        return (
            f"WHEN NOT {full_match(ref, PERIOD)} THEN CASE "
            f"WHEN {full_match(stripped(ref), PERIOD)} THEN 'padded' ELSE 'period_form' END "
            f"WHEN {full_match(ref, WEEK_53)} AND NOT {week_53_exists} THEN 'no_week_53' "
        )
    return ""


def check_expression(spec: ColumnSpec, ref: str, typed: str) -> str | None:
    """A reason code for a bad cell, NULL for a good one; None when no cell can be bad.

    `ref` is the cell's text and `typed` its already converted value.
    """
    empty = "'empty'" if spec.required else "NULL"
    kind = spec.kind
    if kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
        branches = _decimal_check(ref, typed, spec.non_negative)
    elif kind == ColumnKind.DATETIME:
        branches = _datetime_check(ref, typed)
    elif kind == ColumnKind.DURATION:
        branches = _duration_check(ref, typed)
    elif kind == ColumnKind.BOOL:
        branches = _bool_check(ref)
    elif kind == ColumnKind.STRING:
        branches = _string_check(ref, spec)
    else:
        raise ValueError(f"known columns are never of kind {kind}")
    if not branches and not spec.required:
        return None
    return f"CASE WHEN {ref} IS NULL THEN {empty} {branches}END"


def scale_probe(ref: str) -> str:
    """Aggregate: the most fraction digits among the column's plain decimals that can be kept
    (a value with more than MAX_SCALE is a problem of its own)."""
    return f"max({fraction_digits(ref)}) FILTER (WHERE {full_match(ref, KEEPABLE_DECIMAL)})"


def column_scale(kind: ColumnKind, largest_fraction: int | None) -> int:
    floor = MONEY_MIN_SCALE if kind == ColumnKind.MONEY else 0
    return min(MAX_SCALE, max(floor, largest_fraction or 0))
