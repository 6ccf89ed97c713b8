"""The words of every row problem: why a value or row was rejected and what to do about it.

Validation runs in SQL and marks each bad cell with a short code; a reader marks each row it
cannot split into cells the same way. This table maps a code to its sentences in the message
catalogs (`data.CODE.reason` and a hint, see `kpilang.messages`), so a problem keeps its code and
facts and is put into words, in English or Russian, only when it is shown. The code is also what
the JSON output's `code` carries.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpilang.messages import Text, t

PLAIN_DECIMAL_HINT = "data.plain-decimal"
WHOLE_SECONDS_HINT = "data.whole-seconds"


@dataclass(frozen=True)
class Reason:
    """A problem code, the catalog key of its hint (`data.CODE.hint` unless several codes share
    one), and the key of a text the hint goes on with as its `{then}`, if any."""

    code: str
    hint_key: str | None = None
    then: str | None = None

    def render(self, **facts: object) -> tuple[Text, Text]:
        """The reason and the hint, with the facts (column, value, first_row, …) filled in."""
        args = _in_words(facts)
        if self.then is not None:
            args["then"] = t(self.then)
        hint = t(f"data.{self.code}.hint", **args) if self.hint_key is None else t(self.hint_key, **args)
        return t(f"data.{self.code}.reason", **args), hint


def _in_words(facts: dict[str, object]) -> dict[str, object]:
    """Facts that are words rather than values, as catalog texts of their own."""
    args = dict(facts)
    if "what" in args:  # "amount" or "number", from the column's kind
        args["what"] = t(f"data.what.{args['what']}")
    if "found" in args:  # how many values a row has: the catalogs say it in their own words
        count = int(args["found"])
        args["found"] = t("data.field_count.found-one" if count == 1 else "data.field_count.found-many", count=count)
    return args


ROW_REASONS: dict[str, Reason] = {
    reason.code: reason
    for reason in (
        # Any column.
        Reason("empty"),
        Reason("padded"),
        # Money and numbers.
        Reason("currency", then=PLAIN_DECIMAL_HINT),
        Reason("digit_spaces", PLAIN_DECIMAL_HINT),
        Reason("comma", PLAIN_DECIMAL_HINT),
        Reason("not_a_number", PLAIN_DECIMAL_HINT),
        Reason("negative"),
        Reason("too_many_decimals"),
        Reason("too_large"),
        # Dates and times.
        Reason("datetime_form"),
        Reason("no_such_datetime"),
        Reason("sub_microsecond"),
        Reason("serial_date"),
        # Durations.
        Reason("negative_duration"),
        Reason("fractional_duration", WHOLE_SECONDS_HINT),
        Reason("clock_duration"),
        Reason("duration_form", WHOLE_SECONDS_HINT),
        # Booleans, closed lists, periods.
        Reason("bool_form"),
        Reason("not_allowed"),
        Reason("period_form"),
        Reason("no_week_53"),
        # Whole-table checks.
        Reason("duplicate_id"),
        Reason("duplicate_key"),
        Reason("unknown_manager"),
        Reason("near_manager_id"),
        Reason("manager_name"),
        # Rows the file reader could not split into cells.
        Reason("field_count"),
        Reason("runaway_quote"),
        Reason("unclosed_quote", "data.runaway_quote.hint"),
        Reason("merged_cells"),
        Reason("csv_syntax"),
        Reason("value_outside_header"),
        Reason("encoding"),
        Reason("not_json_object"),
        Reason("repeated_json_key"),
        # Rows of a CRM file that its mapping could not convert (sources/).
        Reason("source_value"),
        Reason("unmapped_value"),
        Reason("ambiguous_person"),
        Reason("near_person"),
        Reason("new_client_unknown"),
    )
}


def summary_reason(shown: int, omitted: int, first_reason: Text) -> Text:
    """The reason of the one problem that stands for the rows not listed in detail."""
    return t("data.summary", omitted=omitted, first_reason=first_reason, shown=shown)
