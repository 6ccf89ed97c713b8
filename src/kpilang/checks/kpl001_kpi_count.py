"""KPL001 kpi-count: a plan with fewer than 2 or more than 4 KPIs.

**Why.** The design formula is 1 strategy → 1 goal → 2–4 KPIs. With one KPI a manager optimises
one number at the cost of everything else; with five or more each KPI weighs so little that none
of them moves behaviour, and nobody remembers what they are paid for. "Too many KPIs" is the
first of the deadly mistakes.

**Avoid.**
```
kpi calls_kpi = calls ...       # five KPIs, each 20%:
kpi meetings_kpi = meetings ... # nobody can say what matters
kpi revenue_plan = revenue ...
kpi new_clients_kpi = new_clients ...
kpi crm_kpi = tasks_done ...
```

**Prefer.** Two to four KPIs that follow the strategy; keep the rest as metrics (they stay
visible in statements without moving the pay). The limits are `kpis-min` and `kpis-max`.
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
    kpis = list(program.kpis.values())
    if len(kpis) > limits.kpis_max:
        extra = kpis[limits.kpis_max]
        yield Finding(t("KPL001.too-many", count=len(kpis), max=limits.kpis_max),
                      extra.name_span,
                      help=t("KPL001.too-many-help", min=limits.kpis_min, max=limits.kpis_max))
    elif len(kpis) < limits.kpis_min:
        yield Finding(t("KPL001.too-few-one" if len(kpis) == 1 else "KPL001.too-few", count=len(kpis), min=limits.kpis_min),
                      plan_name_span(program),
                      help=t("KPL001.too-few-help", min=limits.kpis_min, max=limits.kpis_max))


CHECK = Check("KPL001", "kpi-count", Severity.ERROR, "a plan with fewer than 2 or more than 4 KPIs", run)
