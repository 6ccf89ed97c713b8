"""What a plan change costs: every person's final pay under two plans on the same data, period by
period, the difference, and who loses more than a given share.

A person one plan evaluates and the other skips is listed with the side that pays them; a
person whose pay one plan cannot compute (an evaluation error, a rejected row) has no figure on
that side and no difference, never a zero. Totals add up the figures each plan computed and say
how many were left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Literal

from kpilang.evaluate.numbers import digits_quantum, room_for, round_half_up
from kpilang.messages import t
from kpilang.report.periods import PeriodRun

SHARE_DIGITS = 6
"""Decimals of a change's share of the old pay: 0.0001 of a percent."""

Status = Literal["both", "only_old", "only_new", "error"]


class ThresholdError(ValueError):
    def __init__(self, text: str):
        super().__init__(text)
        self.message = t("compare.threshold.bad", text=text)
        self.hint = t("compare.threshold.hint")


def parse_threshold(text: str) -> Decimal:
    """`10%` → 0.10, `0.1` → 0.1: the share of the old pay a fall must exceed to be listed first."""
    raw = text.strip()
    try:
        value = Decimal(raw[:-1].strip()) / 100 if raw.endswith("%") else Decimal(raw)
    except InvalidOperation:
        raise ThresholdError(text) from None
    if not value.is_finite() or value < 0:
        raise ThresholdError(text)
    return value


@dataclass(frozen=True)
class PersonChange:
    manager_id: str
    name: str | None
    period: str
    old_total: Decimal | None
    new_total: Decimal | None
    status: Status
    """`both` computed by both plans; `only_old` / `only_new` one plan skips the person;
    `error` a plan evaluates the person but cannot compute the pay."""
    skipped_reason: object = None
    """For `only_…`: why the other plan skips the person (a catalog text)."""

    @property
    def difference(self) -> Decimal | None:
        if self.old_total is None or self.new_total is None:
            return None
        return self.new_total - self.old_total

    @property
    def share(self) -> Decimal | None:
        """The difference as a share of the old pay, rounded half up to `SHARE_DIGITS` decimals
        (None when the old pay is not above zero). Shown only: who falls past the threshold is
        decided on the exact amounts (`falls_more_than`)."""
        difference = self.difference
        if difference is None or self.old_total is None or self.old_total <= 0:
            return None
        with room_for(difference, self.old_total):
            return round_half_up(difference / self.old_total, digits_quantum(SHARE_DIGITS))

    def falls_more_than(self, threshold: Decimal) -> bool:
        difference = self.difference
        if difference is None or difference >= 0:
            return False
        assert self.old_total is not None
        return -difference > threshold * self.old_total if self.old_total > 0 else True


@dataclass(frozen=True)
class Totals:
    period: str | None
    """None for the whole range."""
    old: Decimal
    new: Decimal
    old_missing: int
    """People paid by the old plan whose pay it could not compute (left out of `old`)."""
    new_missing: int

    @property
    def difference(self) -> Decimal:
        return self.new - self.old

    @property
    def complete(self) -> bool:
        return not self.old_missing and not self.new_missing


@dataclass
class Comparison:
    old: str
    new: str
    currency: str
    periods: list[str]
    threshold: Decimal
    people: list[PersonChange]
    """Those whose pay falls by more than the threshold first (largest fall first), then those
    one plan skips, then everyone else by id and period."""
    by_period: list[Totals]
    totals: Totals
    meaning: object = None
    """The change in meaning (`change.diff.DiffResult`)."""
    has_errors: bool = False
    """Someone's pay could not be computed, or data rows were rejected."""
    old_runs: list[PeriodRun] = field(default_factory=list)
    new_runs: list[PeriodRun] = field(default_factory=list)

    @property
    def losers(self) -> list[PersonChange]:
        return [p for p in self.people if p.falls_more_than(self.threshold)]


def _finals(run: PeriodRun) -> tuple[dict[str, tuple[str | None, Decimal | None]], dict[str, object]]:
    """manager_id → (name, final pay or None) of everyone the run evaluates, and manager_id →
    why it skips the others."""
    final = run.version.program.final_pay
    pays = {}
    for person in run.report.results:
        figures = person.outcome.pays.get(final) if person.outcome is not None and final else None
        value = figures.value if figures is not None and person.ok else None
        pays[person.manager_id] = (person.name, value)
    return pays, {s.manager_id: s.reason for s in run.report.skipped}


def compare_runs(old: str, new: str, old_runs: list[PeriodRun], new_runs: list[PeriodRun],
                 threshold: Decimal, meaning: object = None) -> Comparison:
    """The comparison of two plans' runs over the same periods (in the same order)."""
    people: list[PersonChange] = []
    by_period: list[Totals] = []
    for old_run, new_run in zip(old_runs, new_runs, strict=True):
        label = old_run.period.label
        old_pays, old_skips = _finals(old_run)
        new_pays, new_skips = _finals(new_run)
        for manager_id in sorted(old_pays.keys() | new_pays.keys()):
            old_name, old_total = old_pays.get(manager_id, (None, None))
            new_name, new_total = new_pays.get(manager_id, (None, None))
            if manager_id not in new_pays:
                status, reason = "only_old", new_skips.get(manager_id)
            elif manager_id not in old_pays:
                status, reason = "only_new", old_skips.get(manager_id)
            elif old_total is None or new_total is None:
                status, reason = "error", None
            else:
                status, reason = "both", None
            people.append(PersonChange(manager_id, old_name or new_name, label, old_total, new_total, status, reason))
        by_period.append(_total(label, [p for p in people if p.period == label], old_pays, new_pays))
    totals = Totals(None, sum((p.old for p in by_period), Decimal(0)), sum((p.new for p in by_period), Decimal(0)),
                    sum(p.old_missing for p in by_period), sum(p.new_missing for p in by_period))
    ordered = _ordered(people, threshold)
    has_errors = any(r.report.has_errors for r in (*old_runs, *new_runs))
    currency = old_runs[0].report.currency if old_runs else ""
    return Comparison(old, new, currency, [r.period.label for r in old_runs], threshold, ordered, by_period, totals,
                      meaning, has_errors, old_runs, new_runs)


def _total(label: str, people: list[PersonChange], old_pays, new_pays) -> Totals:
    old = sum((p.old_total for p in people if p.old_total is not None), Decimal(0))
    new = sum((p.new_total for p in people if p.new_total is not None), Decimal(0))
    old_missing = sum(1 for p in people if p.manager_id in old_pays and p.old_total is None)
    new_missing = sum(1 for p in people if p.manager_id in new_pays and p.new_total is None)
    return Totals(label, old, new, old_missing, new_missing)


def _ordered(people: list[PersonChange], threshold: Decimal) -> list[PersonChange]:
    def rank(person: PersonChange) -> tuple:
        if person.falls_more_than(threshold):
            return (0, person.difference, person.manager_id, person.period)
        if person.status in ("only_old", "only_new"):
            return (1, Decimal(0), person.manager_id, person.period)
        return (2, Decimal(0), person.manager_id, person.period)

    return sorted(people, key=rank)
