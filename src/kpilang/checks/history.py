"""Past periods for the achievability check: evaluate a plan on history and count, per KPI, how
many people reached its target.

`kpilang lint --history DATA` loads DATA once per plan (in the plan's timezone, with the tables the
plan reads), finds every period of the plan's kind that the data covers (by the dates of the
tables the plan aggregates, or the targets' periods), evaluates each with the evaluator people
are paid by, and counts the person-periods whose attainment reached 100%.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta, timezone
from zoneinfo import ZoneInfo
from pathlib import Path

from kpilang.checks.base import HistoryOutcome
from kpilang.compile.program import Program
from kpilang.evaluate.period import parse_period
from kpilang.data.problems import DataProblem
from kpilang.messages import Text, t
from kpilang.schema import TABLES


class HistoryError(ValueError):
    """History data that cannot be used: why (a catalog text, said in the reader's language) and,
    for data that cannot be loaded, every problem found in it."""

    def __init__(self, message: Text, problems: list[DataProblem] | None = None):
        self.message = message
        self.problems = problems or []
        super().__init__(message.render())


def history_loader(data: str | Path, source=None, cache=None) -> Callable[[Program], HistoryOutcome | None]:
    """`source` is a table provider (a CRM source mapping) for the data directory, or None;
    `cache` the cache of checked tables (kpilang.data.table_cache), or None."""
    folder = Path(data)
    if not folder.is_dir():
        raise HistoryError(t("lint.history-not-a-directory", data=data))

    def outcome_for(program: Program) -> HistoryOutcome | None:
        if program.plan is None or not program.kpis:
            return None
        return evaluate_history(program, folder, source, cache)

    return outcome_for


def evaluate_history(program: Program, folder: Path, source=None, cache=None) -> HistoryOutcome:
    from kpilang.data import load_data
    from kpilang.data.problems import DataError
    from kpilang.evaluate.run import data_needs, evaluate

    try:
        dataset = load_data(folder, timezone=program.plan.timezone, needs=data_needs(program), provider=source,
                            cache=cache)
    except DataError as err:
        raise HistoryError(t("lint.history-unusable", data=folder), err.problems) from None
    try:
        periods = past_periods(program, dataset)
        reached = {k: 0 for k in program.kpis}
        evaluated = {k: 0 for k in program.kpis}
        for period in periods:
            report = evaluate(program, dataset, period)
            for person in report.results:
                if person.outcome is None:
                    continue
                for name, figures in person.outcome.kpis.items():
                    if figures.attainment is None:
                        continue
                    evaluated[name] += 1
                    if figures.attainment >= 1:
                        reached[name] += 1
        return HistoryOutcome(data=str(folder), periods=tuple(periods), reached=reached, evaluated=evaluated)
    finally:
        dataset.close()


def past_periods(program: Program, dataset) -> list[str]:
    """The periods of the plan's kind that the history holds whole, oldest first.

    The data's first and last day are taken in the plan's timezone (a deal won at 00:10 on
    1 August, Moscow time, is August's). A period counts only if the data covers it from its
    first day to its last, and, when the plan reads per-person targets and the targets name
    periods of its kind, only if they name it. So an export taken in mid-October (holding the
    meetings planned for October) does not make October a period everyone missed, nor does one
    that starts on 3 June make June one. The price: an export that starts after a period's first
    day (say on 9 January, after the holidays) leaves that period out. Without dated rows at
    all, the periods the targets name.
    """
    con = dataset.connection
    zone = ZoneInfo(program.plan.timezone)
    days: list[date] = []
    tables = {t for m in program.metrics.values() for t in m.tables}
    for table in sorted(tables):
        column = TABLES[table].date_column
        if table not in dataset.tables:
            continue
        low, high = con.execute(f'SELECT min("{column}"), max("{column}") FROM "{table}"').fetchone()
        # The loaded tables hold UTC instants as naive timestamps.
        days += [d.replace(tzinfo=timezone.utc).astimezone(zone).date() for d in (low, high) if d is not None]
    targeted = _targeted_periods(program, dataset)
    if not days:
        return targeted
    first, last = min(days), max(days)
    spanned = [parse_period(label) for label in _periods_between(first, last, program.plan.period)]
    whole = [p.label for p in spanned if p.first_day >= first and p.end_day - timedelta(days=1) <= last]
    if targeted and program.target_names:
        return [label for label in whole if label in targeted]
    return whole


def _targeted_periods(program: Program, dataset) -> list[str]:
    """The periods of the plan's kind that the targets table names, oldest first."""
    if "targets" not in dataset.tables:
        return []
    labels = [row[0] for row in dataset.connection.execute('SELECT DISTINCT period FROM "targets"').fetchall()]
    return sorted(label for label in labels if _kind(label) == program.plan.period)


def _kind(label: str) -> str:
    return "quarter" if "-Q" in label else "week" if "-W" in label else "month"


def _periods_between(first: date, last: date, kind: str) -> list[str]:
    labels: list[str] = []
    day = first
    while day <= last:
        if kind == "month":
            labels.append(f"{day.year:04d}-{day.month:02d}")
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        elif kind == "quarter":
            quarter = (day.month - 1) // 3 + 1
            labels.append(f"{day.year:04d}-Q{quarter}")
            day = date(day.year + (quarter == 4), (quarter % 4) * 3 + 1, 1)
        else:
            iso = day.isocalendar()
            labels.append(f"{iso.year:04d}-W{iso.week:02d}")
            day = day - timedelta(days=day.weekday()) + timedelta(days=7)
    return labels
