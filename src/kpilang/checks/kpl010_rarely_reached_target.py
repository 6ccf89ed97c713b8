"""KPL010 rarely-reached-target: a target that few people reached in past periods.

**Why.** An achievable target is positive *and* realistic. If fewer than one person in ten
(`history-min-share`, 10% by default) reached it in the past periods of your data, the target
is a wish: managers give up on the KPI in the first week, and the bonus it drives stops
motivating. The check evaluates the plan on the history given with `kpilang lint --history DATA`,
with the same evaluator that computes pay, and reports the figures. It counts only the periods
the data holds whole, from their first day to their last in the plan's timezone (and, for a
plan with per-person targets, only the periods the targets name): an export taken in
mid-October, with October's meetings already planned, does not count October as a month
everybody missed.

**Avoid.** A revenue target of 3 000 000 when last quarter's best manager made 1 200 000.

**Prefer.** Targets that a fair share of the team reached before, raised step by step; per-person
targets (`target targets.revenue`) where people's territories differ.
"""

from __future__ import annotations

from decimal import Decimal

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.support import percent_text
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    history = ctx.history
    if history is None:
        return
    for name, kpi in ctx.program.kpis.items():
        total = history.evaluated.get(name, 0)
        if total == 0:
            continue
        reached = history.reached.get(name, 0)
        share = Decimal(reached) / Decimal(total)
        if share < ctx.limits.history_min_share:
            periods = ", ".join(history.periods) if len(history.periods) <= 6 else \
                t("KPL010.periods", first=history.periods[0], last=history.periods[-1], count=len(history.periods))
            yield Finding(
                t("KPL010.message", name=name, reached=reached, total=total,
                  share=percent_text(share.quantize(Decimal("0.001"))), periods=periods,
                  limit=percent_text(ctx.limits.history_min_share)),
                kpi.clause_spans.get("target", kpi.target.span),
                help=t("KPL010.help"))


CHECK = Check("KPL010", "rarely-reached-target", Severity.WARNING,
              "a target that few people reached in past periods (with --history)", run, needs_history=True)
