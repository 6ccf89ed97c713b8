"""KPL014 kpi-without-motivation: a KPI that no pay depends on.

**Why.** A KPI without motivation is just reporting: it has a target and a weight, but meeting it
changes nothing in the pay, so managers learn to ignore it — and then the other KPIs too.

**Avoid.** KPIs and a score, but only `pay commission = 5% * revenue`.

**Prefer.** Let the money follow the KPIs, usually through the score:
`pay bonus = salary * multiplier(kpi_score)`. A metric you only want to see needs no KPI.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.support import pays_reaching_kpis
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    program = ctx.program
    if program.plan is None:
        return
    motivated = set().union(*pays_reaching_kpis(program).values()) if program.pays else set()
    for name, kpi in program.kpis.items():
        if name not in motivated:
            yield Finding(t("KPL014.message", name=name), kpi.name_span, help=t("KPL014.help"))


CHECK = Check("KPL014", "kpi-without-motivation", Severity.WARNING, "a KPI that no pay depends on", run)
