"""Types of extra columns (those the schema does not name), inferred from every value.

An extra column gets the first kind that *every* non-empty value fits, in this order:

- bool: each value is true, false, 1 or 0 (any case) and at least one is true or false
  (a column of only 1s and 0s is an integer);
- integer: whole numbers of up to 18 digits without leading zeros (BIGINT);
- number: plain decimals such as 12.5, without leading zeros, that DECIMAL(38, s) holds
  exactly, s being the most fraction digits present;
- date: calendar dates such as 2024-03-01;
- datetime: ISO 8601 date-times, read like the known datetime columns (stored as UTC);
- string: anything else, and a column with no values.

Leading zeros keep a column text, because 00123 is an identifier, not the number 123. Since every
value fits its column's kind, an extra column never causes a row to be rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

from .schema import ColumnKind
from .sql import literal
from .values import (
    BOOL_WORDS,
    DECIMAL_DIGITS,
    ISO_DATE,
    ISO_DATETIME,
    MAX_SCALE,
    datetime_to_utc,
    fraction_digits,
    full_match,
)

INTEGER = r"-?(0|[1-9][0-9]{0,17})"
NUMBER = rf"-?(0|[1-9][0-9]*)(\.[0-9]{{1,{MAX_SCALE}}})?"
INTEGER_DIGITS = r"^-?([0-9]+)"


@dataclass(frozen=True)
class InferredType:
    kind: ColumnKind
    scale: int | None = None


def inference_probes(ref: str) -> dict[str, str]:
    """Aggregates over one column whose results decide its kind."""
    words = ", ".join(literal(w) for w in BOOL_WORDS)
    is_number = full_match(ref, NUMBER)
    datetime_ok = f"{full_match(ref, ISO_DATETIME)} AND {datetime_to_utc(ref)} IS NOT NULL"
    return {
        "values": f"count({ref})",
        "bools": f"count(*) FILTER (WHERE lower({ref}) IN ({words}))",
        "bool_words": f"count(*) FILTER (WHERE lower({ref}) IN ('true', 'false'))",
        "integers": f"count(*) FILTER (WHERE {full_match(ref, INTEGER)})",
        "numbers": f"count(*) FILTER (WHERE {is_number})",
        "scale": f"max({fraction_digits(ref)}) FILTER (WHERE {is_number})",
        "integer_digits": (
            f"max(length(regexp_extract({ref}, {literal(INTEGER_DIGITS)}, 1))) "
            f"FILTER (WHERE {is_number})"
        ),
        "dates": (
            f"count(*) FILTER (WHERE {full_match(ref, ISO_DATE)} "
            f"AND TRY_CAST({ref} AS DATE) IS NOT NULL)"
        ),
        "datetimes": f"count(*) FILTER (WHERE {datetime_ok})",
    }


def infer_type(stats: dict[str, int | None]) -> InferredType:
    values = stats["values"] or 0
    if values == 0:
        return InferredType(ColumnKind.STRING)
    if stats["bools"] == values and (stats["bool_words"] or 0) > 0:
        return InferredType(ColumnKind.BOOL)
    if stats["integers"] == values:
        return InferredType(ColumnKind.INTEGER)
    if stats["numbers"] == values:
        scale = stats["scale"] or 0
        if (stats["integer_digits"] or 0) + scale <= DECIMAL_DIGITS:
            return InferredType(ColumnKind.NUMBER, scale)
    if stats["dates"] == values:
        return InferredType(ColumnKind.DATE)
    if stats["datetimes"] == values:
        return InferredType(ColumnKind.DATETIME)
    return InferredType(ColumnKind.STRING)
