"""Past periods for the achievability check: evaluate a plan on history and count, per KPI, how
many people reached its target.

`kpilang lint --history DATA` loads DATA once per plan (in the plan's timezone, with the tables the
plan reads), finds every period of the plan's kind that the data covers (by the dates of the
tables the plan aggregates, or the targets' periods), evaluates each with the evaluator people
are paid by, and counts the person-periods whose attainment reached 100%.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from kpilang.checks.base import HistoryOutcome
from kpilang.compile.program import Program
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


def history_loader(data: str | Path) -> Callable[[Program], HistoryOutcome | None]:
    folder = Path(data)
    if not folder.is_dir():
        raise HistoryError(t("lint.history-not-a-directory", data=data))

    def outcome_for(program: Program) -> HistoryOutcome | None:
        if program.plan is None or not program.kpis:
            return None
        return evaluate_history(program, folder)

    return outcome_for


def evaluate_history(program: Program, folder: Path) -> HistoryOutcome:
    from kpilang.data import load_data
    from kpilang.data.problems import DataError
    from kpilang.evaluate.run import data_needs, evaluate

    try:
        dataset = load_data(folder, timezone=program.plan.timezone, needs=data_needs(program))
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
    """Every period of the plan's kind that the data's dates cover, oldest first."""
    con = dataset.connection
    days: list[date] = []
    tables = {t for m in program.metrics.values() for t in m.tables}
    for table in sorted(tables):
        column = TABLES[table].date_column
        if table not in dataset.tables:
            continue
        low, high = con.execute(f'SELECT min("{column}"), max("{column}") FROM "{table}"').fetchone()
        days += [d.date() for d in (low, high) if d is not None]
    if not days and "targets" in dataset.tables:
        labels = [row[0] for row in con.execute('SELECT DISTINCT period FROM "targets"').fetchall()]
        return sorted(label for label in labels if _kind(label) == program.plan.period)
    if not days:
        return []
    return _periods_between(min(days), max(days), program.plan.period)


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
