"""A commit that deletes a plan's file: the same plan under another name, or a plan leaving force.

The plan lives on when the commit adds a file (or git pairs one with it as a rename) whose plan
has the same meaning fingerprint: a rename that keeps the meaning is no change. A file git pairs
with it as a rename but meaning something else is judged as any change to the plan. Otherwise the
plan stops being in force on the commit's date, and that is a change in meaning too: allowed
when no version of it is in force yet, or when the date is the first day of a quarter (its last
quarter ran to the end, so its end falls on the quarter boundary); else `removed-in-force`,
unless the commit carries the `KPI-Override` trailer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kpilang.change.cadence.model import Entry, Version, Violation
from kpilang.change.cadence.rules import is_quarter_start, judge, next_quarter_start
from kpilang.change.fingerprint import fingerprint
from kpilang.change.git import Commit, paths_changed
from kpilang.change.revision import Compiled
from kpilang.compile import Program
from kpilang.messages import t


def judge_removal(repo, commit: Commit, file: str, day: date, previous: tuple[Program, str] | None,
                  versions: list[Version], at: Callable[[str, str], Compiled]) -> Entry:
    """The entry for `commit`, which deletes `file`; `previous` is the last version met in the
    history, `at(sha, path)` compiles a file at a commit."""
    entry = Entry(commit, file, "removed", day)
    if previous is None:
        return entry  # it never compiled as a plan: nobody was paid by it
    program, print_ = previous
    paired, added = _successors(repo, commit, file)
    for candidate in paired + added:
        moved = at(commit.sha, candidate).program
        if moved is not None and moved.plan is not None and fingerprint(moved) == print_:
            entry.kind, entry.renamed_to = "no change in meaning", candidate
            entry.effective, entry.fingerprint = moved.plan.effective, print_
            return entry
    for candidate in paired:
        moved = at(commit.sha, candidate).program
        if moved is not None and moved.plan is not None:
            changed = judge(commit, file, moved, previous, versions)
            changed.renamed_to = candidate
            return changed
    assert program.plan is not None
    in_force = next((v for v in reversed(versions) if v.effective <= day), None)
    if in_force is not None and not is_quarter_start(day):
        said = {"commit": commit.short, "day": day, "plan": program.plan.name, "file": file,
                "effective": in_force.effective}
        entry.violations.append(Violation(
            "removed-in-force", t("cadence.removal.in-force", **said),
            t("cadence.removal.in-force-help", next=next_quarter_start(day), override=t("cadence.rule.override"))))
    return entry


def _successors(repo, commit: Commit, file: str) -> tuple[list[str], list[str]]:
    """The files the commit may have moved the plan to: the one git pairs with `file` as a
    rename, and the plan files it adds."""
    if not commit.parents:
        return [], []
    changes = paths_changed(repo, commit.parents[0], commit.sha)
    paired = [new for status, old, new in changes if status == "R" and old == file]
    added = [new for status, _, new in changes if status == "A" and new.endswith(".kpi")]
    return paired, added
