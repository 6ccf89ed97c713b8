"""What an aggregate over a team plan's members can give, for the proofs (`intervals/`).

A member is paid by one of the plans the team plan imports as `members`, so each of a member's
figures ranges over what that plan's own proofs say it can be: over every month, or, for the
month without a single sale, over that plan's month without one (no member sold either: a sale
of any member would be a sale of the team). So `share(members where kpi_score >= 100%)` is 0
without a sale exactly when no members' plan can reach 100% without one, and may be anything
from 0 to 1 when one can: a team figure is never assumed to need a sale because it is marked
`kind result`, nor to be metable without one because it is not.

A member whose figure has no value makes the team figure an error or leaves the member out; so
only the members whose figures have values are counted here, which the ranges below allow for.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpilang.checks.intervals.arithmetic import INF, UNKNOWN, ZERO, Interval, point, replace
from kpilang.compile.members import PAYS, figures_of
from kpilang.compile.program import Program
from kpilang.syntax import ast

ONE = Decimal(1)


def _member_proofs(engine: Any, program: Program) -> Any:
    """The proofs of one members' plan, made once per team plan's analysis."""
    from kpilang.checks.proofs import PlanProofs  # the proofs read this module: imported when used

    known = engine.member_proofs.get(id(program))
    if known is None or known.program is not program:
        known = engine.member_proofs[id(program)] = PlanProofs(program)
    return known


def member_figures(engine: Any, program: Program, without_sales: bool) -> dict[str, Interval]:
    """Every figure a member paid by `program` may show, under each name a member aggregate can
    give it (`kpi_score` and `members.kpi_score`, `pays.total` and `members.pays.total`)."""
    proofs = _member_proofs(engine, program)
    run = proofs.no_sales if without_sales else proofs.free
    out: dict[str, Interval] = {}
    for key in figures_of(program):
        value = run.get(key[len(PAYS) + 1:] if key.startswith(PAYS + ".") else key, UNKNOWN)
        out[key] = out[f"members.{key}"] = replace(value, causes=(), varies=True)
    return out


def member_aggregate_range(engine: Any, call: ast.Call, without_sales: bool) -> Interval:
    """What `call` (an aggregate over members) can give in a team plan evaluated by `engine`."""
    plans = [m.program for m in engine.program.member_plans]
    figures = [member_figures(engine, p, without_sales) for p in plans]
    if call.func in ("count", "share"):
        conditions = [engine.expression(call.where, f, "") if call.where is not None else point(1) for f in figures]
        valued = [c for c in conditions if c.has_value]
        can_hold = any(c.hi >= ONE for c in valued)
        can_fail = any(c.lo < ONE for c in valued)
        if call.func == "count":
            return Interval(ZERO, INF, whole=True) if can_hold else point(0)
        return Interval(ZERO if can_fail else ONE, ONE if can_hold else ZERO, maybe_none=True)
    values = [v for v in (engine.expression(call.args[0], f, "") for f in figures) if v.has_value]
    if not values:
        return Interval(ZERO, ZERO, has_value=call.func == "sum", maybe_none=call.func != "sum")
    lo, hi = min(v.lo for v in values), max(v.hi for v in values)
    if call.func == "sum":  # any number of members, each within [lo, hi]
        return Interval(ZERO if lo >= 0 else -INF, ZERO if hi <= 0 else INF)
    return Interval(lo, hi, maybe_none=True)
