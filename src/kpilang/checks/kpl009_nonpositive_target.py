"""KPL009 nonpositive-target: a KPI whose target is zero or negative.

**Why.** Attainment is value / target. A zero target has no attainment at all (division by zero,
an evaluation error for every person); a negative one turns the KPI upside down. Either way the
target is not achievable in any meaningful sense.

**Avoid.** `kpi new_clients_kpi = new_clients  target 0  weight 30%`

**Prefer.** A positive target: `target 4`, or a per-person one from the targets table,
`target targets.new_clients`.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.intervals.plan import target_key
from kpilang.checks.proofs import proofs
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    program = ctx.program
    if not program.kpis:
        return
    analysis = proofs(ctx)
    for name, kpi in program.kpis.items():
        target = analysis.free[target_key(name)]
        if target.has_value and target.hi <= 0:
            message = t("KPL009.point", name=name, value=target.lo) if target.is_point else t("KPL009.never-positive", name=name)
            yield Finding(message, kpi.target.span, help=t("KPL009.help"))


CHECK = Check("KPL009", "nonpositive-target", Severity.ERROR, "a KPI whose target is zero or negative", run)
