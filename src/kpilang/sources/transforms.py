"""The value transforms a mapping may apply to a CRM's text: dates in the CRM's format and zone,
Russian numbers, clock durations, yes/no flags, value maps (docs/crm/mapping.md).

Each turns one source value into the text kpilang's own files would hold, or raises
NotConverted with what was expected; nothing is guessed. A typed Excel cell (a number, a date, a
time) is taken exactly as stored, whatever the text format the mapping names.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from kpilang.data.readers.jsonl_file import JsonNumber
from kpilang.data.readers.xlsx_file import ExactNumber

from .mapping import ColumnRule
from .records import text_of

# Russian digit grouping: ordinary, no-break and narrow no-break spaces between groups of three.
_GROUP = "[ \u00a0\u202f]"
RU_NUMBER = re.compile(rf"-?(?:\d{{1,3}}(?:{_GROUP}\d{{3}})+|\d+)(?:,\d+)?")
PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
CLOCK = re.compile(r"(?:(\d+):)?([0-5]?\d):([0-5]\d)")
UNIX = re.compile(r"-?\d{1,15}")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


class NotConverted(ValueError):
    """A value the rule cannot turn into kpilang's form: `expected` says what it wanted."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected
        self.text = ""  # the source text, filled in by the converter


def _zone(name: str | None) -> ZoneInfo | None:
    return ZoneInfo(name) if name else None


def to_date(value: object, formats: list[str], zone_name: str | None, date_only: bool) -> str:
    """A timestamp (or a date, for a date column) in ISO 8601; with a zone, a naive time gets
    that zone's offset."""
    zone = _zone(zone_name)
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    else:
        text = text_of(value) or ""
        moment = _parsed(text, formats)
    if date_only:
        return moment.date().isoformat()
    if moment.tzinfo is None and zone is not None:
        moment = moment.replace(tzinfo=zone)
        # A time the clocks skipped (a spring-forward gap) does not come back the same.
        back = moment.astimezone(dt.timezone.utc).astimezone(zone)
        if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
            raise NotConverted(f"a time that exists in {zone_name}")
    return moment.isoformat()


def _parsed(text: str, formats: list[str]) -> dt.datetime:
    for form in formats:
        if form in ("unix", "unix_ms"):
            if UNIX.fullmatch(text):
                unit = "milliseconds" if form == "unix_ms" else "seconds"
                try:
                    return EPOCH + dt.timedelta(**{unit: int(text)})
                except OverflowError:
                    raise NotConverted(form) from None
            continue
        if form == "iso":
            try:
                return dt.datetime.fromisoformat(text)
            except ValueError:
                continue
        try:
            return dt.datetime.strptime(text, form)
        except ValueError:
            continue
    raise NotConverted(" | ".join(formats))


def to_number(value: object, style: str) -> str:
    """An exact decimal in kpilang's plain form."""
    if isinstance(value, (ExactNumber, JsonNumber)):
        return text_of(value) or ""
    text = text_of(value) or ""
    if style == "ru":
        if RU_NUMBER.fullmatch(text):
            return re.sub(_GROUP, "", text).replace(",", ".")
        raise NotConverted("1 234,50")
    if PLAIN_NUMBER.fullmatch(text):
        return text
    raise NotConverted("1234.50")


def to_duration(value: object, style: str) -> str:
    """Whole seconds."""
    if isinstance(value, dt.time):
        return str(value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, dt.timedelta):
        return text_of(value) or ""
    text = text_of(value) or ""
    if style == "hms":
        clock = CLOCK.fullmatch(text)
        if clock is None:
            raise NotConverted("H:MM:SS")
        hours, minutes, seconds = (int(part or 0) for part in clock.groups())
        return str(hours * 3600 + minutes * 60 + seconds)
    return text


def to_boolean(value: object, texts: tuple[str, str]) -> str:
    text = text_of(value)
    if text == texts[0]:
        return "true"
    if text == texts[1]:
        return "false"
    raise NotConverted(f"{texts[0]} | {texts[1]}")


def converted(rule: ColumnRule, value: object, *, zone: str | None, date_only: bool) -> str:
    """The rule's transform (other than `map` and `person`) applied to a value that is not empty."""
    if rule.date is not None:
        return to_date(value, rule.date, rule.timezone or zone, date_only)
    if rule.number is not None:
        return to_number(value, rule.number)
    if rule.duration is not None:
        return to_duration(value, rule.duration)
    if rule.boolean is not None:
        return to_boolean(value, rule.boolean)
    return text_of(value) or ""
