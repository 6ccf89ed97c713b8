"""KPL011 effective-mid-period: an `effective` date that is not the first day of a period.

**Why.** A plan is time-bound: it applies from the start of a week, month or quarter. Starting on
the 15th splits a period between two plans, and a manager's month is then computed under rules
that changed half-way through it.

**Avoid.** `period month  effective 2026-07-15`

**Prefer.** The first day of the period: `2026-07-01` for a month, `2026-07-01` for the third
quarter, a Monday for a week.
"""

from __future__ import annotations

from datetime import timedelta

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    plan = ctx.program.plan
    if plan is None:
        return
    day = plan.effective
    if plan.period == "week":
        start = day - timedelta(days=day.weekday())
    elif plan.period == "quarter":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    else:
        start = day.replace(day=1)
    if day != start:
        yield Finding(t(f"KPL011.{plan.period}", day=day.isoformat()),
                      plan.field_spans.get("effective", plan.span),
                      help=t(f"KPL011.{plan.period}-help", start=start.isoformat()))


CHECK = Check("KPL011", "effective-mid-period", Severity.WARNING,
              "an effective date that is not the first day of a period", run)
