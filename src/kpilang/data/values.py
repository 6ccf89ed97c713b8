"""SQL that reads one text cell as a typed value, and SQL that says why a cell cannot be read.

Every cell arrives as trimmed text (NULL when empty). For each column kind there are two
expressions over that text: a *check* that yields NULL for a good cell or a short reason code
(see reasons.py) for a bad one, and a *conversion* that yields the typed value of a good cell.
Both run set-based inside DuckDB, so validating ten million rows never loops in Python.

Money and numbers are parsed from their text straight into DECIMAL: no binary floating point is
involved anywhere, and a value is only accepted in one unambiguous form.
"""

from __future__ import annotations

from .schema import ColumnKind, ColumnSpec
from .sql import literal

# Largest number of digits after the decimal point kept exactly (DuckDB DECIMAL holds 38 digits).
MAX_SCALE = 18
DECIMAL_DIGITS = 38
# The smallest scale of a money column, so that a sum of whole amounts still reads as money
# (60000 is stored as 60000.00).
MONEY_MIN_SCALE = 2

PLAIN_DECIMAL = r"-?[0-9]+(\.[0-9]+)?"
FRACTION_DIGITS = r"\.([0-9]+)$"
# Signs and codes of the currencies kpilang's users meet; any letter also fails as a number.
CURRENCY = r"[$€£¥₽₴₸₹]|(?i)(rub|rur|usd|eur|gbp|руб|р\.)"
# A space of any width between digits is digit grouping: 1 234,50 (thin and no-break too).
DIGIT_SPACES = "[0-9][ \u00a0\u202f\u2009][0-9]"
DIGITS_AND_SEPARATORS = r"-?[0-9][0-9.,]*"

# ISO 8601 calendar date, optional time (T, t or a space between), optional UTC offset.
# The hour stops at 23: 24:00 as "end of day" is not accepted.
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?"
_OFFSET = r"([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)"
ISO_DATETIME = rf"[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}([Tt ]{_TIME}{_OFFSET}?)?"
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
# Matches only when a time is present and followed by an offset (a bare date ends in -31,
# which must not be mistaken for an offset).
ENDS_WITH_OFFSET = rf"[Tt ]{_TIME}{_OFFSET}$"
SUB_MICROSECOND = r"\.[0-9]{7,}"

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


def datetime_to_utc(ref: str, timezone: str) -> str:
    """An ISO 8601 text as a naive TIMESTAMP holding UTC.

    With an offset the text is an exact instant. Without one it is wall-clock time in
    `timezone`, converted by DuckDB's bundled ICU: a time that does not exist (clocks moved
    forward) is read with the offset in force just before the change, and a time that occurs
    twice (clocks moved back) is read as the later of the two instants. A bare date is midnight
    local time. The connection's TimeZone is UTC, so casting TIMESTAMPTZ to TIMESTAMP yields UTC.
    """
    text = f"upper({ref})"
    return (
        f"CASE WHEN {contains_match(ref, ENDS_WITH_OFFSET)} "
        f"THEN CAST(TRY_CAST({text} AS TIMESTAMPTZ) AS TIMESTAMP) "
        f"ELSE CAST(timezone({literal(timezone)}, TRY_CAST({text} AS TIMESTAMP)) AS TIMESTAMP) END"
    )


def typed_expression(kind: ColumnKind, ref: str, scale: int | None, timezone: str) -> str:
    """The typed value of a cell that passed its check (NULL stays NULL)."""
    if kind == ColumnKind.STRING:
        return ref
    if kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
        return f"TRY_CAST({ref} AS {duckdb_type(kind, scale)})"
    if kind == ColumnKind.INTEGER:
        return f"TRY_CAST({ref} AS BIGINT)"
    if kind == ColumnKind.DURATION:
        # "262.0" is accepted as whole seconds: only the digits before the point count.
        return f"TRY_CAST(regexp_extract({ref}, '^[0-9]+') AS BIGINT)"
    if kind == ColumnKind.BOOL:
        words = ", ".join(literal(w) for w in TRUE_WORDS)
        return f"CASE WHEN {ref} IS NULL THEN NULL ELSE lower({ref}) IN ({words}) END"
    if kind == ColumnKind.DATE:
        return f"TRY_CAST({ref} AS DATE)"
    if kind == ColumnKind.DATETIME:
        return datetime_to_utc(ref, timezone)
    raise ValueError(f"no conversion for {kind}")


# --- checks ------------------------------------------------------------------------------


def _decimal_check(ref: str, kind: ColumnKind, scale: int, non_negative: bool) -> str:
    typed = f"TRY_CAST({ref} AS {duckdb_type(kind, scale)})"
    negative = f"WHEN {typed} < 0 THEN 'negative' " if non_negative else ""
    return (
        f"WHEN {full_match(ref, PLAIN_DECIMAL)} THEN CASE "
        f"WHEN {fraction_digits(ref)} > {MAX_SCALE} THEN 'too_many_decimals' "
        f"WHEN {typed} IS NULL THEN 'too_large' "
        f"{negative}END "
        f"WHEN {contains_match(ref, CURRENCY)} THEN 'currency' "
        f"WHEN {contains_match(ref, DIGIT_SPACES)} THEN 'digit_spaces' "
        f"WHEN {full_match(ref, DIGITS_AND_SEPARATORS)} AND contains({ref}, ',') THEN 'comma' "
        f"ELSE 'not_a_number' "
    )


def _datetime_check(ref: str, timezone: str) -> str:
    return (
        f"WHEN NOT {full_match(ref, ISO_DATETIME)} THEN 'datetime_form' "
        f"WHEN {contains_match(ref, SUB_MICROSECOND)} THEN 'sub_microsecond' "
        f"WHEN ({datetime_to_utc(ref, timezone)}) IS NULL THEN 'no_such_datetime' "
    )


def _duration_check(ref: str) -> str:
    return (
        f"WHEN {full_match(ref, WHOLE_SECONDS)} THEN CASE "
        f"WHEN ({typed_expression(ColumnKind.DURATION, ref, None, 'UTC')}) IS NULL "
        f"THEN 'too_large' END "
        f"WHEN {full_match(ref, NEGATIVE_NUMBER)} THEN 'negative_duration' "
        f"WHEN {full_match(ref, FRACTIONAL_NUMBER)} THEN 'fractional_duration' "
        f"WHEN {full_match(ref, CLOCK_TIME)} THEN 'clock_duration' "
        f"ELSE 'duration_form' "
    )


def _bool_check(ref: str) -> str:
    words = ", ".join(literal(w) for w in BOOL_WORDS)
    return f"WHEN lower({ref}) NOT IN ({words}) THEN 'bool_form' "


def _string_check(ref: str, spec: ColumnSpec) -> str:
    if spec.allowed is not None:
        values = ", ".join(literal(v) for v in spec.allowed)
        return f"WHEN {ref} NOT IN ({values}) THEN 'not_allowed' "
    if spec.is_period:
        week_53_exists = f"weekofyear(make_date(CAST(left({ref}, 4) AS INTEGER), 12, 28)) = 53"
        return (
            f"WHEN NOT {full_match(ref, PERIOD)} THEN 'period_form' "
            f"WHEN {full_match(ref, WEEK_53)} AND NOT {week_53_exists} THEN 'no_week_53' "
        )
    return ""


def check_expression(spec: ColumnSpec, ref: str, scale: int | None, timezone: str) -> str | None:
    """A reason code for a bad cell, NULL for a good one; None when no cell can be bad."""
    empty = "'empty'" if spec.required else "NULL"
    kind = spec.kind
    if kind in (ColumnKind.MONEY, ColumnKind.NUMBER):
        assert scale is not None
        branches = _decimal_check(ref, kind, scale, spec.non_negative)
    elif kind == ColumnKind.DATETIME:
        branches = _datetime_check(ref, timezone)
    elif kind == ColumnKind.DURATION:
        branches = _duration_check(ref)
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
    """Aggregate: the largest count of fraction digits among the column's plain decimals
    that can be kept (over MAX_SCALE digits is a problem of its own)."""
    digits = fraction_digits(ref)
    return (
        f"max({digits}) FILTER (WHERE {full_match(ref, PLAIN_DECIMAL)} "
        f"AND {digits} <= {MAX_SCALE})"
    )


def column_scale(kind: ColumnKind, largest_fraction: int | None) -> int:
    floor = MONEY_MIN_SCALE if kind == ColumnKind.MONEY else 0
    return min(MAX_SCALE, max(floor, largest_fraction or 0))
