"""What `kpilang data check` says about a data folder: per table, the rows read, used, rejected
and left out, the values no map covers, the people nobody lists, the dates covered and which
months lie wholly inside them. It is what a head of sales runs first on a new export."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .dataset import DataSet
from .problems import DataProblem
from .schema import DATE_COLUMNS, TABLE_ORDER


@dataclass
class TableSurvey:
    table: str
    file: str
    rows_read: int
    rows_used: int
    rows_rejected: int
    rows_excluded: int
    rows_of_unknown_people: int
    first_day: dt.date | None = None  # the earliest date in the table's date column (local)
    last_day: dt.date | None = None
    complete_months: list[str] = field(default_factory=list)


@dataclass
class Survey:
    tables: list[TableSurvey]
    uncovered: list[DataProblem]
    unknown_people: dict[str, dict[str, int]]  # table → manager_id text → rows (those listed)
    problems: list[DataProblem]
    period: str | None = None
    # For --period: the tables whose dates do not cover the whole period.
    period_gaps: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems and not self.period_gaps


def months_inside(first: dt.date, last: dt.date) -> list[str]:
    """The months whose every day lies in [first, last]."""
    months = []
    start = first if first.day == 1 else _next_month(first)
    while (following := _next_month(start)) - dt.timedelta(days=1) <= last:
        months.append(f"{start:%Y-%m}")
        start = following
    return months


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def survey(data: DataSet, period_days: tuple[str, dt.date, dt.date] | None = None) -> Survey:
    """`period_days`: (label, first day, the day after the last) of a period to check coverage of."""
    zone = ZoneInfo(data.timezone)
    tables = []
    gaps = []
    for name in TABLE_ORDER:
        info = data.tables.get(name)
        if info is None:
            continue
        entry = TableSurvey(name, info.file, info.rows_read, info.rows_used, info.rows_rejected, info.rows_excluded,
                            info.rows_of_unknown_people)
        column = DATE_COLUMNS.get(name)
        if column is not None:
            first, last = data.connection.execute(f'SELECT min("{column}"), max("{column}") FROM "{name}"').fetchone()
            if first is not None:
                entry.first_day = _local(first, zone)
                entry.last_day = _local(last, zone)
                entry.complete_months = months_inside(entry.first_day, entry.last_day)
            if period_days is not None and (entry.first_day is None or entry.first_day > period_days[1]
                                            or entry.last_day < period_days[2] - dt.timedelta(days=1)):
                gaps.append(name)
        tables.append(entry)
    uncovered = [p for p in data.problems if p.code == "unmapped_value"]
    unknown: dict[str, Counter] = {}
    for problem in data.problems:
        # One row's problem (a line of a file, a key of a database table), not a summary of many.
        one_row = problem.row is not None or problem.key is not None
        if problem.code == "unknown_manager" and problem.value is not None and one_row:
            unknown.setdefault(problem.table, Counter())[problem.value] += 1
    return Survey(tables, uncovered, {t: dict(c.most_common()) for t, c in unknown.items()}, data.problems,
                  period_days[0] if period_days else None, gaps)


def _local(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(zone).date()
