"""What a check is, and what it is given to look at.

A check is one module in this package named `kplNNN_kebab_name.py` that defines `CHECK`, a
`Check` whose `run` yields diagnostics for one compiled program. The module's docstring is the
check's documentation (why / avoid / prefer) and becomes its page in `docs/checks/`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kpilang.compile.program import Program
from kpilang.diagnostics import Diagnostic, Note, Severity, Span
from kpilang.messages import Text


@dataclass(frozen=True)
class Limits:
    """The numbers the checks compare against; each can be changed in the configuration."""

    kpis_min: int = 2
    kpis_max: int = 4
    metrics_min: int = 6
    metrics_max: int = 8
    formula_depth: int = 6
    """The deepest nesting of operations a formula may have (`a * (b + c)` has depth 3)."""
    formula_length: int = 25
    """The most operations and operands a formula may have."""
    history_min_share: Decimal = Decimal("0.10")
    """A target reached by fewer than this share of people in past periods is unrealistic."""

    FIELDS = {
        "kpis-min": "kpis_min", "kpis-max": "kpis_max", "metrics-min": "metrics_min",
        "metrics-max": "metrics_max", "formula-depth": "formula_depth", "formula-length": "formula_length",
        "history-min-share": "history_min_share",
    }


@dataclass(frozen=True)
class HistoryOutcome:
    """How often each KPI's target was reached in past periods of a data source."""

    data: str
    periods: tuple[str, ...]
    reached: dict[str, int]
    """KPI → how many person-periods reached attainment ≥ 100%."""
    evaluated: dict[str, int]
    """KPI → how many person-periods had a value at all."""


@dataclass
class CheckContext:
    """Everything a check may read: the program, its sources, the limits and (optionally) history."""

    program: Program
    sources: dict[str, str]
    limits: Limits = field(default_factory=Limits)
    history: HistoryOutcome | None = None
    _cache: dict[str, Any] = field(default_factory=dict)

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """Share an expensive analysis (such as the interval proofs) between checks."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    severity: Severity
    summary: str
    """One line: what the check finds."""
    run: Callable[[CheckContext], Iterator["Finding"]] | None
    """None for the checks the linter itself applies (ignore comments), not run on a program."""
    doc: str = ""
    needs_history: bool = False

    def diagnostic(self, finding: "Finding", severity: Severity | None = None) -> Diagnostic:
        level = severity or self.severity
        if finding.severity is not None and finding.severity.rank < level.rank:
            level = finding.severity  # an undecided proof stays weaker than the check's level
        return Diagnostic(
            code=self.code, name=self.name, severity=level,
            message=finding.message, span=finding.span, help=finding.help, notes=finding.notes,
            witness=finding.witness,
        )


@dataclass(frozen=True)
class Finding:
    """One problem a check found; the linter turns it into a Diagnostic with the check's code."""

    message: Text
    """Said in the reader's language when printed (`kpilang.messages`)."""
    span: Span
    help: Text | None = None
    notes: tuple[Note, ...] = ()
    witness: dict[str, str] | None = None
    severity: Severity | None = None
    """Set only when a finding is weaker than the check's default (e.g. an undecided proof)."""


@functools.cache
def registry() -> dict[str, Check]:
    """Every check, by code, discovered from the modules of this package."""
    import importlib
    import pkgutil

    import kpilang.checks as package

    found: dict[str, Check] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.name.startswith("kpl"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        check: Check = module.CHECK
        expected = f"{check.code.lower()}_{check.name.replace('-', '_')}"
        if info.name != expected:
            raise RuntimeError(f"check module {info.name} should be named {expected}")
        if check.code in found:
            raise RuntimeError(f"two checks have the code {check.code}")
        found[check.code] = _with_doc(check, module.__doc__ or "")
    return found


def _with_doc(check: Check, doc: str) -> Check:
    from dataclasses import replace

    return replace(check, doc=doc.strip())


def by_name_or_code(key: str) -> Check | None:
    checks = registry()
    if key.upper() in checks:
        return checks[key.upper()]
    return next((c for c in checks.values() if c.name == key), None)
