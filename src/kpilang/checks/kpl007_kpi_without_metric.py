"""KPL007 kpi-without-metric: a KPI that depends on no metric.

**Why.** A KPI is an indicator computed from data. One built only from constants, salary or
targets measures nothing the manager does: its attainment is the same whatever happens in the
month, so it is a fixed bonus in disguise.

**Avoid.** `kpi loyalty "Лояльность" = 1  target 1  weight 20%`

**Prefer.** Build every KPI on a metric: `kpi meeting_rate = meetings / calls otherwise 0`.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    program = ctx.program
    for name, kpi in program.kpis.items():
        if not any(dep in program.metrics for dep in program.reaches(name)):
            yield Finding(t("KPL007.message", name=name),
                          kpi.name_span, help=t("KPL007.help"))


CHECK = Check("KPL007", "kpi-without-metric", Severity.ERROR, "a KPI that depends on no metric", run)
