"""What the cadence gate finds: each plan's history of commits (entries), its versions, the
violations and the files skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from kpilang.change.diff import Change
from kpilang.change.git import Commit
from kpilang.messages import Text


Kind = Literal["introduced", "new version", "revision", "change to the plan in force", "no change in meaning",
               "does not compile", "removed"]

RULES = {
    "effective-not-quarter-start": "the effective date must be the first day of a quarter",
    "changes-plan-in-force": "a change must not touch the version in force",
    "retroactive": "a change must not take effect in the past",
    "too-soon": "a change takes effect no earlier than the first day of the next quarter",
    "not-after-previous": "a new version takes effect later than the version in force",
    "does-not-compile": "the plan at the checked commit must compile",
    "removed-in-force": "a plan in force leaves it only on the first day of a quarter",
}


@dataclass(frozen=True)
class Violation:
    rule: str
    text: Text
    help_text: Text

    @property
    def message(self) -> str:
        return str(self.text)

    @property
    def help(self) -> str:
        return str(self.help_text)


@dataclass(frozen=True)
class Skip:
    """A file the gate does not walk: `code` says why (`never-committed`, `library`)."""

    path: str
    code: str
    text: Text


@dataclass
class Entry:
    """One commit in a plan's history and what it did to the plan."""

    commit: Commit
    path: str
    kind: Kind
    committed_on: date
    """The commit's date in the plan's time zone."""
    effective: date | None = None
    fingerprint: str | None = None
    changes: tuple[Change, ...] = ()
    """What changed in meaning, against the version in the commit's first parent."""
    revises: date | None = None
    """For a revision: the effective date of the pending version it revises."""
    via_library: bool = False
    """The plan file is unchanged; a library it imports changed."""
    renamed_to: str | None = None
    """For a commit that deletes the plan's file: the file it moved the plan to."""
    checked: bool = True
    violations: list[Violation] = field(default_factory=list)
    why: Text | None = None
    """Why a version could not be judged (its first compile error)."""

    @property
    def reason(self) -> str | None:
        return None if self.why is None else str(self.why)

    @property
    def override(self) -> str | None:
        return "; ".join(self.commit.overrides) if self.commit.overrides else None

    @property
    def change_lines(self) -> tuple[str, ...]:
        """The changes in English."""
        return tuple(c.describe() for c in self.changes)

    @property
    def failing(self) -> list[Violation]:
        """Violations that count: those of a checked commit without an override."""
        return [] if (not self.checked or self.override) else self.violations


@dataclass
class Version:
    """One version of the plan: the commit that made it and the later commits that revised it
    (before it took effect, or, breaking the rules, after)."""

    effective: date
    first: Entry
    revisions: list[Entry] = field(default_factory=list)


@dataclass
class PlanHistory:
    path: str
    """The plan file's path at the last commit looked at."""
    plan: str | None
    entries: list[Entry]
    versions: list[Version] = field(default_factory=list)
    template: bool = False
    """In a template library (see templates.py): only TEMPLATE_RULES are checked."""


@dataclass
class CadenceReport:
    histories: list[PlanHistory]
    skips: list[Skip]
    """Files that are not plans (libraries) or have no history."""
    base: str | None

    @property
    def skipped(self) -> list[tuple[str, str]]:
        """(path, why) for each file skipped, in English."""
        return [(s.path, str(s.text)) for s in self.skips]

    @property
    def violations(self) -> list[tuple[PlanHistory, Entry, Violation]]:
        return [(h, e, v) for h in self.histories for e in h.entries for v in e.failing]

    @property
    def overrides(self) -> list[tuple[PlanHistory, Entry]]:
        return [(h, e) for h in self.histories for e in h.entries if e.checked and e.override]


