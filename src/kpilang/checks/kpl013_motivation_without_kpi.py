"""KPL013 motivation-without-kpi: no pay depends on a KPI or the KPI score.

**Why.** Motivation without KPI is chaos: the money follows something other than the goals the
plan declares, and the KPIs become decoration. A percentage of sales beside a KPI bonus is the
combined model and is fine; a plan where *no* pay reads a KPI is not.

**Avoid.** Only `pay commission = 5% * revenue` beside three KPIs.

**Prefer.** `pay bonus = salary * multiplier(kpi_score)` (and, if you like, a commission beside it).
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.support import pays_reaching_kpis, plan_name_span
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    program = ctx.program
    if program.plan is None or not program.pays or not program.kpis:
        return
    if not any(pays_reaching_kpis(program).values()):
        yield Finding(t("KPL013.message"),
                      plan_name_span(program),
                      help=t("KPL013.help"))


CHECK = Check("KPL013", "motivation-without-kpi", Severity.WARNING, "no pay depends on a KPI or the KPI score", run)
