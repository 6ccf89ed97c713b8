"""The language's built-in words: aggregates and functions, plan fields and their values, reserved
names; and the closest known name to suggest for a misspelt one."""

from __future__ import annotations

import difflib
import functools

from kpilang.compile.program import SALARY, SCORE

AGGREGATES = ("count", "sum", "avg", "min", "max", "median", "count_distinct", "share")
SCALAR_FUNCTIONS = ("min", "max", "round")
ROUND_DIGITS_MAX = 12
"""The most digits `round(x, digits)` may keep after the point. Figures are exact to 34 significant
digits (evaluate/numbers.py), and rounding to N digits needs the value's digits before the point
plus N within them: 12 leaves 22 digits before it, more than any amount or score has, where
`round(x, 40)` failed for every value."""
PLAN_FIELDS = ("role", "period", "effective", "timezone", "currency", "strategy", "goal", "scope", "on_member_error")
REQUIRED_PLAN_FIELDS = ("role", "period", "effective", "currency", "strategy", "goal")
PERIODS = ("week", "month", "quarter")
STRATEGIES = ("growth", "retention", "scaling", "service")
KINDS = ("result", "activity", "quality")
BUILTIN_NAMES = (SCORE, SALARY, "targets", "managers", "members", "previous", "retained", "churned")
"""Names a plan cannot declare: the built-in figures and tables (`members` is the team's members,
compile/members.py), and the functions that look at earlier periods (a table named `previous`
would be called like one: compile/history.py)."""


@functools.cache
def currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def suggest(name: str, candidates) -> str | None:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return close[0] if close else None
