"""The words of every data problem: why a value was rejected and what to do about it.

Validation runs in SQL and marks each bad cell with a short code; this catalogue turns a code
into the sentence the user reads. Keeping the words in one place keeps them consistent and lets
the documentation quote them.
"""

from __future__ import annotations

from dataclasses import dataclass

PLAIN_DECIMAL_HINT = "write it as a plain decimal with a dot and no spaces, e.g. 1234.50"
ISO_DATETIME_HINT = (
    "write it in ISO 8601, e.g. 2026-07-31T23:30:00+03:00, 2026-07-31T23:30:00 "
    "(local time in the plan's timezone) or 2026-07-31"
)


@dataclass(frozen=True)
class Reason:
    reason: str
    hint: str

    def render(self, **facts: object) -> tuple[str, str]:
        return self.reason.format(**facts), self.hint.format(**facts)


ROW_REASONS: dict[str, Reason] = {
    # Any column.
    "empty": Reason(
        "empty {column}: this column is required",
        "fill in {column}, or remove the row if it is not real",
    ),
    "padded": Reason(
        "spaces around the value {value!r}: values are read exactly as written",
        "remove the spaces (or other white space) before and after the value",
    ),
    # Money and numbers.
    "currency": Reason(
        "unreadable {what}: currency signs and codes are not accepted",
        "remove the currency (amounts are in the plan's currency) and " + PLAIN_DECIMAL_HINT,
    ),
    "digit_spaces": Reason(
        "unreadable {what}: spaces between digits (a locale format such as 1 234,50) are never "
        "guessed",
        PLAIN_DECIMAL_HINT,
    ),
    "comma": Reason(
        "unreadable {what}: a comma is not accepted (1,234.50 and 1234,50 mean different things "
        "in different locales, so it is never guessed)",
        PLAIN_DECIMAL_HINT,
    ),
    "not_a_number": Reason(
        "unreadable {what}: expected a plain decimal such as 1234.50",
        PLAIN_DECIMAL_HINT,
    ),
    "negative": Reason(
        "negative {what}: {column} must be 0 or more",
        "correct the value; record a refund or a correction as its own record, not as a "
        "negative {column}",
    ),
    "too_many_decimals": Reason(
        "too many digits after the decimal point: at most 18 are kept exactly",
        "round the value in the source to at most 18 decimal places",
    ),
    "too_large": Reason(
        "too large: {column} holds at most {max_integer_digits} digits before the decimal point",
        "check the value: it is probably several values run together",
    ),
    # Dates and times.
    "datetime_form": Reason(
        "unparsable date: expected ISO 8601 such as 2026-07-31T23:30:00+03:00",
        ISO_DATETIME_HINT,
    ),
    "no_such_datetime": Reason(
        "no such date or time (the month has fewer days, or the hour or minute is out of range)",
        "correct the date in the source",
    ),
    "sub_microsecond": Reason(
        "more precise than a microsecond: fractions of a second are kept to 6 digits",
        "round the seconds to at most 6 decimal places",
    ),
    # Durations.
    "negative_duration": Reason(
        "negative duration: a duration is 0 seconds or more",
        "correct the value in the source",
    ),
    "fractional_duration": Reason(
        "duration is not a whole number of seconds",
        "write the duration in whole seconds, e.g. 262",
    ),
    "clock_duration": Reason(
        "duration written as a clock time (minutes:seconds or hours:minutes:seconds)",
        "write the duration in whole seconds, e.g. 262 for 4:22",
    ),
    "duration_form": Reason(
        "unreadable duration: expected whole seconds such as 262",
        "write the duration in whole seconds, e.g. 262",
    ),
    # Booleans, closed lists, periods.
    "bool_form": Reason(
        "unreadable yes/no value: expected true, false, 1 or 0",
        "write true or false (1 and 0 are accepted too)",
    ),
    "not_allowed": Reason(
        "unknown {column} {value!r}: expected one of {allowed}",
        "map the values of your CRM to {allowed} (lower case) when exporting",
    ),
    "period_form": Reason(
        "unreadable period: expected a month such as 2026-07, a quarter such as 2026-Q3 or an "
        "ISO week such as 2026-W27",
        "write the period as YYYY-MM, YYYY-Qn or YYYY-Www",
    ),
    "no_week_53": Reason(
        "no such week: this year has only 52 ISO weeks",
        "check the week number",
    ),
    # Whole-table checks.
    "duplicate_id": Reason(
        "duplicate id {value}: row {first_row} has the same id, only that first row is used",
        "give every row its own id, or remove the repeated row",
    ),
    "duplicate_key": Reason(
        "duplicate row: row {first_row} has the same {key} ({value}); only that first row is used",
        "keep one row per {key}",
    ),
    "unknown_manager": Reason(
        "unknown manager_id {value}: no such id in managers",
        "add the person to managers, or correct the manager_id",
    ),
    # Rows the file reader could not split into cells.
    "field_count": Reason(
        "this row has {found} but the header has {expected} columns",
        "quote values that contain a comma or a line break, and give every row the same number "
        "of values as the header",
    ),
    "runaway_quote": Reason(
        "an opening quote is never closed: lines {first_line} to {last_line} were read as one row",
        "close the quote (a quote inside a quoted value is written twice: \"\")",
    ),
    "csv_syntax": Reason(
        "unreadable row: {detail}",
        "quote a value that contains a comma, a quote or a line break, and write a quote inside "
        "a quoted value twice (\"\")",
    ),
    "value_outside_header": Reason(
        "this row has a value in column {letter}, which has no name in the header",
        "name the column in the header row, or clear the cell",
    ),
    "encoding": Reason(
        "this row is not valid UTF-8 text",
        "save the file as UTF-8",
    ),
    "not_json_object": Reason(
        "not a JSON object: {detail}",
        'write one JSON object per line, e.g. {{"id": "d001", "manager_id": "m1"}}',
    ),
    "repeated_json_key": Reason(
        "the key {detail!r} appears twice in this object; which value is meant is not guessed",
        "keep one value per key",
    ),
}

def summary_reason(shown: int, omitted: int, first_reason: str) -> str:
    return (
        f"…and {omitted} more rows with the same problem ({first_reason}); "
        f"only the first {shown} are listed"
    )
