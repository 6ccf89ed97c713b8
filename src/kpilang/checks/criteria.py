"""The seven criteria of a correct KPI, and controllability: which checks judge each, and the
verdict for one linted plan (`kpilang lint --criteria`).

The source article names seven criteria without listing them; kpilang's definitions (domain.md,
docs/checks/criteria.md) make each one a question a machine can answer, some only by a proxy
(a KPI is "specific" here when it has a human label and reads data; what it means is for people).
A criterion is **not met** when one of its checks reports an error or a warning, **cannot tell**
when none of its checks could judge (a proof left undecided, every check switched off, or, for
"stable", a question about the repository's history that `kpilang cadence` answers), and **met**
otherwise. Every check belongs to at most one criterion; the others (structure, tables and
bounds, ignore comments) are shown apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from kpilang.checks.base import Check, registry
from kpilang.diagnostics import Diagnostic, Severity


class Status(str, Enum):
    MET = "met"
    NOT_MET = "not-met"
    CANNOT_TELL = "cannot-tell"


@dataclass(frozen=True)
class Criterion:
    key: str
    """`specific`, …; the catalog's words for it are under `criteria.<key>`."""
    checks: tuple[str, ...]
    judged_elsewhere: bool = False
    """True for "stable": lint sees one version of a plan, `kpilang cadence` sees its history."""


CRITERIA: tuple[Criterion, ...] = (
    Criterion("specific", ("KPL006", "KPL007", "KPL023", "KPL024")),
    Criterion("measurable", ("KPL008", "KPL020")),
    Criterion("achievable", ("KPL009", "KPL010", "KPL027")),
    Criterion("relevant", ("KPL004", "KPL005", "KPL013", "KPL014", "KPL026")),
    Criterion("time-bound", ("KPL011",)),
    Criterion("transparent", ("KPL003", "KPL012")),
    Criterion("stable", (), judged_elsewhere=True),
    Criterion("controllable", ("KPL015", "KPL025")),
)
"""The seven criteria in the order domain.md gives them, then controllability."""

OTHER = "other"
"""The group of the checks that serve none of the criteria: the design formula's counts
(KPL001, KPL002), tables and bounds (KPL016–KPL019), ignore comments (KPL021, KPL022)."""


def criterion_of(code: str) -> Criterion | None:
    return next((c for c in CRITERIA if code in c.checks), None)


@dataclass
class Verdict:
    criterion: Criterion
    status: Status
    findings: list[Diagnostic] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)
    """Checks of the criterion that did not run: switched off, or needing `--history`."""


def judge(diagnostics: Iterable[Diagnostic], ran: set[str]) -> tuple[list[Verdict], list[Diagnostic]]:
    """The verdict on every criterion from one plan's findings, and the findings that belong to
    none of them. `ran`: the codes of the checks that ran on the plan."""
    diagnostics = list(diagnostics)
    verdicts = []
    for criterion in CRITERIA:
        findings = [d for d in diagnostics if d.code in criterion.checks]
        not_run = [code for code in criterion.checks if code not in ran]
        if any(d.severity in (Severity.ERROR, Severity.WARNING) for d in findings):
            status = Status.NOT_MET
        elif criterion.judged_elsewhere or findings or (criterion.checks and len(not_run) == len(criterion.checks)):
            status = Status.CANNOT_TELL  # an undecided proof, or nothing here could judge
        else:
            status = Status.MET
        verdicts.append(Verdict(criterion, status, findings, not_run))
    known = {code for c in CRITERIA for code in c.checks}
    other = [d for d in diagnostics if d.code not in known]
    return verdicts, other


def checks_that_ran(enabled: Iterable[Check], history: bool) -> set[str]:
    """The codes of the enabled checks that run on a plan (`--history` runs the rest)."""
    return {c.code for c in enabled if c.run is not None and (history or not c.needs_history)}


def unmapped() -> list[str]:
    """Checks that serve no criterion and are not among the known others (a new check must say
    which it serves, or join the others on purpose)."""
    others = {"KPL001", "KPL002", "KPL016", "KPL017", "KPL018", "KPL019", "KPL021", "KPL022"}
    return [code for code in registry() if criterion_of(code) is None and code not in others]
