"""KPL019 unbounded-pay: a pay that grows without bound as an activity or quality metric grows.

**Why.** Money per call with no cap is an invitation to make calls, not sales: a manager who
dials a thousand one-minute calls earns more than one who closes a deal, and the budget has no
ceiling. The check proves it by interval reasoning: every other input held within a large but
finite range, does the pay become unbounded when this one metric is free? Then it confirms it on
months of concrete rows (see [proofs](index.md#proofs-and-witnesses)): adding rows the metric
counts, by the million, the billion and the trillion, must raise the pay a hundredfold at each
step. So `salary * long_calls / calls` is not flagged: long calls are calls too, and the share
never passes 100%. Uncapped commission on result metrics such as revenue is a legitimate choice
and is not flagged.

**Avoid.** `pay call_bonus "За звонки" = 50 * calls`

**Prefer.** `pay call_bonus "За звонки" = 50 * calls  cap 10000`, or money through the KPI score,
whose KPIs are capped.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.proofs import bounded_run, proofs
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    program = ctx.program
    if not program.pays:
        return
    analysis = proofs(ctx)
    baseline = bounded_run(analysis)
    growing = tuple(n for n, m in program.metrics.items() if m.kind != "result" and not analysis.ranges[n].hi.is_finite())
    if not growing:
        return
    together = bounded_run(analysis, growing)
    if all(together[name].hi.is_finite() or not baseline[name].hi.is_finite() for name in program.pays):
        return  # proven at once: no pay grows without bound with any of them
    for metric in growing:
        values = bounded_run(analysis, (metric,))
        for name, pay in program.pays.items():
            if values[name].hi.is_finite() or not baseline[name].hi.is_finite():
                continue
            # report the pay where the growth starts, not every pay that adds it up
            if any(dep in program.pays and not values[dep].hi.is_finite() for dep in program.depends_on.get(name, ())):
                continue
            if analysis.grows_without_bound(name, metric) is False:
                continue  # metrics that move together keep it bounded (a share of calls)
            yield Finding(t("KPL019.message", name=name, metric=metric), pay.name_span, help=t("KPL019.help"))

CHECK = Check("KPL019", "unbounded-pay", Severity.WARNING,
              "a pay that grows without bound as an activity or quality metric grows", run)
