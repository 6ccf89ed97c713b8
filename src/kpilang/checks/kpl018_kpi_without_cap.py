"""KPL018 kpi-without-cap: a KPI without a `cap`.

**Why.** Without a cap one KPI can carry the whole score: 400% on calls makes up for 0% on
revenue, and one lucky deal can make the payout explode. Uncapped payouts are a deadly mistake.

**Avoid.** `kpi calls_kpi = calls  target 800  weight 30%`

**Prefer.** `kpi calls_kpi = calls  target 800  weight 30%  cap 150%`
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    for name, kpi in ctx.program.kpis.items():
        if kpi.cap is None:
            yield Finding(t("KPL018.message", name=name), kpi.name_span, help=t("KPL018.help"))


CHECK = Check("KPL018", "kpi-without-cap", Severity.WARNING, "a KPI without a cap", run)
