"""KPL002 metric-count: a plan with fewer than 6 or more than 8 metrics.

**Why.** The design formula is 2–4 KPIs resting on 6–8 metrics. Fewer metrics means the head of
sales cannot see how the result is made (calls, meetings, conversion); many more means a report
nobody reads.

**Avoid.** A plan whose only metric is revenue: when the plan is missed, nobody can say whether
the calls, the meetings or the conversion failed.

**Prefer.** Six to eight metrics: the results, and the activities and qualities that lead to
them. The limits are `metrics-min` and `metrics-max`.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.support import plan_name_span
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    program, limits = ctx.program, ctx.limits
    if program.plan is None:
        return
    metrics = list(program.metrics.values())
    if len(metrics) > limits.metrics_max:
        yield Finding(t("KPL002.too-many", count=len(metrics), min=limits.metrics_min, max=limits.metrics_max),
                      metrics[limits.metrics_max].name_span, help=t("KPL002.too-many-help"))
    elif len(metrics) < limits.metrics_min:
        yield Finding(t("KPL002.too-few-one" if len(metrics) == 1 else "KPL002.too-few", count=len(metrics),
                        min=limits.metrics_min, max=limits.metrics_max),
                      plan_name_span(program), help=t("KPL002.too-few-help"))


CHECK = Check("KPL002", "metric-count", Severity.WARNING, "a plan with fewer than 6 or more than 8 metrics", run)
