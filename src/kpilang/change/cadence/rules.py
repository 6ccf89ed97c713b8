"""The cadence rules for one commit that changes a plan's meaning, and the calendar they use
(the rules themselves are told in `kpilang.change.cadence.history`'s docstring)."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from kpilang.change.cadence.model import Entry, Version, Violation
from kpilang.change.diff import diff_programs
from kpilang.change.fingerprint import fingerprint
from kpilang.change.git import Commit
from kpilang.compile import Program
from kpilang.messages import t


def judge(commit: Commit, file: str, program: Program, previous: tuple[Program, str] | None,
           versions: list[Version], parents: list[tuple[Program, str]] | None = None) -> Entry:
    """Classify one commit's version and check the rules; `previous` is the last version met in
    the history, `parents` the versions in the commit's parents (when they compile)."""
    assert program.plan is not None
    effective = program.plan.effective
    day = local_date(commit.committed, program.plan.timezone)
    print_ = fingerprint(program)
    entry = Entry(commit, file, "introduced", day, effective=effective, fingerprint=print_)
    if parents is None:
        parents = [previous] if previous is not None else []
    if previous is None and not parents:
        if not is_quarter_start(effective):
            entry.violations.append(_not_quarter_start(effective))
        versions.append(Version(effective, entry))
        return entry
    before = parents or [previous]
    if any(old_print == print_ for _, old_print in before):
        entry.kind = "no change in meaning"
        return entry
    entry.changes = diff_programs(before[0][0], program).changes

    in_force = next((v for v in reversed(versions) if v.effective <= day), None)
    pending = versions[-1] if versions and versions[-1].effective > day else None
    next_quarter = next_quarter_start(day)
    if pending is not None:
        entry.kind, entry.revises = "revision", pending.effective
        pending.effective = effective
        pending.revisions.append(entry)
    elif in_force is not None and effective == in_force.effective:
        entry.kind = "change to the plan in force"
        in_force.revisions.append(entry)
    else:
        entry.kind = "new version"
        versions.append(Version(effective, entry))

    if not is_quarter_start(effective):
        entry.violations.append(_not_quarter_start(effective))
    override = t("cadence.rule.override")
    said = {"commit": commit.short, "plan": program.plan.name, "file": file, "effective": effective}
    if in_force is not None and effective == in_force.effective:
        entry.violations.append(Violation(
            "changes-plan-in-force", t("cadence.rule.changes-plan-in-force", **said, day=day),
            t("cadence.rule.changes-plan-in-force-help", next=next_quarter, override=override)))
    elif effective <= day:
        entry.violations.append(Violation(
            "retroactive", t("cadence.rule.retroactive", **said, day=day),
            t("cadence.rule.earliest-help", next=next_quarter, override=override)))
    elif effective < next_quarter:
        entry.violations.append(Violation(
            "too-soon", t("cadence.rule.too-soon", **said, day=day),
            t("cadence.rule.earliest-help", next=next_quarter, override=override)))
    elif in_force is not None and effective <= in_force.effective:
        entry.violations.append(Violation(
            "not-after-previous", t("cadence.rule.not-after-previous", **said, in_force=in_force.effective),
            t("cadence.rule.not-after-previous-help", next=max(next_quarter, next_quarter_start(in_force.effective)),
              override=override)))
    return entry


def _not_quarter_start(effective: date) -> Violation:
    nearest = next_quarter_start(effective) if not is_quarter_start(effective) else effective
    return Violation("effective-not-quarter-start", t("cadence.rule.not-quarter-start", effective=effective),
                     t("cadence.rule.not-quarter-start-help", nearest=nearest))


def local_date(moment: datetime, timezone: str) -> date:
    return moment.astimezone(zoneinfo.ZoneInfo(timezone)).date()


def is_quarter_start(day: date) -> bool:
    return day.day == 1 and day.month in (1, 4, 7, 10)


def next_quarter_start(day: date) -> date:
    month = (day.month - 1) // 3 * 3 + 4
    return date(day.year + 1, 1, 1) if month > 12 else date(day.year, month, 1)
