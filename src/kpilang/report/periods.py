"""A range of periods (`2026-07..2026-09`) and the evaluation of plans over it.

The data directory is read once for every group of periods whose plan versions read the same
tables and columns in the same time zone, and each period is evaluated from the loaded tables:
a report over twelve months costs one load and twelve evaluations, not twelve loads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kpilang.evaluate.period import Period, PeriodError, check_in_force, parse_period, period_for_plan
from kpilang.messages import t

MAX_PERIODS = 120
"""Ten years of months: a range longer than this is a typo (`2026-07..2062-07`), not a report."""


class RangeError(ValueError):
    """A range of periods that cannot be read: its words (`report.range.…`) and what to do."""

    def __init__(self, message, hint):
        super().__init__(str(message))
        self.message = message
        self.hint = hint


def parse_range(text: str, kind: str | None = None) -> list[Period]:
    """The periods from the first to the last of `A..B` (both included), or the one period `A`;
    all of one kind (`kind`, the plan's, when given). Raises RangeError or PeriodError."""
    first_text, dots, last_text = text.partition("..")
    first = parse_period(first_text) if kind is None else period_for_plan(first_text, kind)
    if not dots:
        return [first]
    last = parse_period(last_text) if kind is None else period_for_plan(last_text, kind)
    if last.kind != first.kind:
        raise RangeError(t("report.range.mixed", text=text), t("report.range.hint"))
    if last.first_day < first.first_day:
        raise RangeError(t("report.range.backwards", text=text, first=first.label, last=last.label),
                         t("report.range.hint"))
    periods = [first]
    while periods[-1].label != last.label:
        if len(periods) >= MAX_PERIODS:
            raise RangeError(t("report.range.too-long", text=text, limit=MAX_PERIODS), t("report.range.hint"))
        periods.append(_following(periods[-1]))
    return periods


def _following(period: Period) -> Period:
    """The period that starts the day after `period` ends, of the same kind."""
    end = period.end_day
    if period.kind == "month":
        return parse_period(f"{end.year:04d}-{end.month:02d}")
    if period.kind == "quarter":
        return parse_period(f"{end.year:04d}-Q{(end.month - 1) // 3 + 1}")
    year, week, _ = end.isocalendar()
    return parse_period(f"{year:04d}-W{week:02d}")


@dataclass(frozen=True)
class PlanVersion:
    """One version of a plan, as the command line or the history named it."""

    spec: str
    """How it was named: a path, or `REV:path`."""
    program: Any
    fingerprint: str
    commit: Any = None
    """The git commit that holds this version (`change.git.Commit`), when it came from history."""

    @property
    def effective(self) -> date:
        return self.program.plan.effective


@dataclass(frozen=True)
class PeriodRun:
    """One period evaluated by one version of a plan."""

    period: Period
    version: PlanVersion
    report: Any
    """The `EvalReport`."""


def evaluate_periods(versions: dict[str, PlanVersion], periods: Iterable[Period], data: str | Path, *,
                     source: Any = None, in_force: bool = True,
                     progress: Callable[[int, int], None] | None = None, cache: Any = None) -> list[PeriodRun]:
    """Evaluate each period by its version (`versions`: period label → version), in order.

    With `in_force`, a period that ends before its version takes effect is refused (PeriodError),
    as `kpilang eval` refuses it; `compare` turns it off to ask what a plan to come would have
    paid. Raises DataError for data that cannot be used, as `evaluate` does. `cache` is the cache
    of checked tables (kpilang.data.table_cache), or None."""
    from kpilang.data import load_data
    from kpilang.evaluate.run import data_needs, evaluate

    periods = list(periods)
    for period in periods:
        version = versions[period.label]
        if in_force:
            check_in_force(period, version.program.plan.name, version.program.plan.effective)
    groups: dict[tuple, list[Period]] = {}
    for period in periods:
        program = versions[period.label].program
        needs = data_needs(program)
        key = (program.plan.timezone, tuple(sorted((table, tuple(sorted(cols))) for table, cols in needs.items())))
        groups.setdefault(key, []).append(period)
    runs: dict[str, PeriodRun] = {}
    for (timezone, _), members in groups.items():
        needs = data_needs(versions[members[0].label].program)
        dataset = load_data(Path(data), timezone=timezone, needs=needs, provider=source, cache=cache)
        try:
            for period in members:
                version = versions[period.label]
                report = evaluate(version.program, dataset, period.label)
                runs[period.label] = PeriodRun(period, version, report)
                if progress is not None:
                    progress(len(runs), len(periods))
        finally:
            dataset.close()
    return [runs[p.label] for p in periods]


def same_version(version: PlanVersion, periods: Iterable[Period]) -> dict[str, PlanVersion]:
    return {period.label: version for period in periods}


__all__ = ["MAX_PERIODS", "PeriodError", "PeriodRun", "PlanVersion", "RangeError", "evaluate_periods",
           "parse_range", "same_version"]
