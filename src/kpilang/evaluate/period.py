"""The evaluated period: `2026-07`, `2026-Q3` or `2026-W27`, and its bounds as UTC instants.

A period is taken in the plan's timezone: July for a plan in Europe/Moscow starts at 00:00 on
1 July Moscow time, so a deal closed at 23:30 on 31 July Moscow time is July's even though it is
already 20:30 UTC. The bounds are naive UTC datetimes because the data tables store instants
that way; the day boundaries are converted with zoneinfo, which knows every DST change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Literal
from zoneinfo import ZoneInfo

from kpilang.messages import t

PeriodKind = Literal["week", "month", "quarter"]

_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})")
_QUARTER = re.compile(r"(?P<year>\d{4})-[Qq](?P<quarter>\d)")
_WEEK = re.compile(r"(?P<year>\d{4})-[Ww](?P<week>\d{2})")

_EXAMPLES = {"month": "2026-07", "quarter": "2026-Q3", "week": "2026-W27"}


class PeriodError(ValueError):
    """A period that cannot be read, or that does not fit the plan: a usage error.

    `code` names it and its words in the catalogs (`period.CODE.message`, `.hint`), which `facts`
    fill in; `message` and `hint` are said in the reader's language when shown."""

    def __init__(self, code: str, **facts: object):
        self.code = code
        self.message = t(f"period.{code}.message", **facts)
        self.hint = t(f"period.{code}.hint", **facts)
        super().__init__(str(self.message))


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    label: str
    """The canonical text: `2026-07`, `2026-Q3`, `2026-W27`; also the `targets.period` value."""
    first_day: date
    end_day: date
    """The day after the last day (the period is [first_day, end_day))."""

    def bounds_utc(self, tz: str) -> tuple[datetime, datetime]:
        """[start, end) as naive UTC datetimes: local midnight of the first day and of the day
        after the last, in `tz`."""
        return local_midnight_utc(self.first_day, tz), local_midnight_utc(self.end_day, tz)


def local_midnight_utc(day: date, tz: str) -> datetime:
    """The UTC instant (naive) of 00:00 on `day` in `tz`.

    Where a DST change skips midnight, the offset in force before the change is used (zoneinfo's
    fold=0), the same rule the data loader applies to local times that do not exist.
    """
    local = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def parse_period(text: str) -> Period:
    """Read `2026-07`, `2026-Q3` or `2026-W27` (ISO week); raise PeriodError otherwise."""
    raw = text.strip()
    if m := _MONTH.fullmatch(raw):
        year, month = int(m["year"]), int(m["month"])
        if not 1 <= month <= 12:
            raise PeriodError("no_such_month", text=text, month=month)
        first = date(year, month, 1)
        end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return Period("month", f"{year:04d}-{month:02d}", first, end)
    if m := _QUARTER.fullmatch(raw):
        year, quarter = int(m["year"]), int(m["quarter"])
        if not 1 <= quarter <= 4:
            raise PeriodError("no_such_quarter", text=text, quarter=quarter)
        first = date(year, 3 * quarter - 2, 1)
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return Period("quarter", f"{year:04d}-Q{quarter}", first, end)
    if m := _WEEK.fullmatch(raw):
        year, week = int(m["year"]), int(m["week"])
        weeks_in_year = date(year, 12, 28).isocalendar().week
        if not 1 <= week <= weeks_in_year:
            raise PeriodError("no_such_week", text=text, year=year, weeks=weeks_in_year)
        first = date.fromisocalendar(year, week, 1)
        return Period("week", f"{year:04d}-W{week:02d}", first, first + timedelta(days=7))
    raise PeriodError("not_a_period", text=text)


def period_for_plan(text: str, plan_period: PeriodKind) -> Period:
    """Read a period and check that it is of the kind the plan is paid by."""
    period = parse_period(text)
    if period.kind != plan_period:
        raise PeriodError(
            "wrong_kind", text=text, paid_by=t(f"period.paid-by.{plan_period}"), kind=t(f"period.is.{period.kind}"),
            give=t(f"period.give.{plan_period}"), example=_EXAMPLES[plan_period],
        )
    return period


def check_in_force(period: Period, plan_name: str, effective: date) -> None:
    """Refuse to pay people by a plan for a period that ends before the plan takes effect.

    `kpilang eval` applies this; `evaluate` itself does not, because the history check of the
    linter deliberately evaluates a new plan on past periods ("would this target have been met").
    """
    if period.end_day <= effective:
        raise PeriodError("not_in_force", plan=plan_name, effective=effective.isoformat(), period=period.label)
