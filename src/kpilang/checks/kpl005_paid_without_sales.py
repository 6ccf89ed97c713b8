"""KPL005 paid-without-sales: a pay can grow above its all-zero value while every result metric is zero.

**Why.** Managers must see "actions → result → money". A bonus that rises with calls or meetings
while no deal is won pays for activity, not sales; it is the money side of KPL004. A fixed salary
is fine: the check asks whether the pay can exceed what it is when every metric is zero.

**Avoid.**
```
pay call_bonus "Премия за звонки" = 50 * calls
pay meeting_bonus = if meeting_rate >= 100% then 10000 else 0
```

**Prefer.** Tie money to the KPI score through a multiplier whose low band pays nothing
(`below 70% : 0`), or to result metrics (`2% * revenue`). Where paying for activity is deliberate,
say so with `# kpilang: ignore[KPL005] -- why`.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.proofs import proofs, shown
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    program = ctx.program
    if program.plan is None:
        return
    analysis = proofs(ctx)
    params = analysis.witness_params()
    reported: set[str] = set()
    for name, pay in program.pays.items():
        if not analysis.no_sales[name].varies:
            continue  # proven: without sales the pay does not move with any metric
        if any(dep in reported for dep in program.reaches(name)):
            continue  # the pay it is built from is reported already
        # The pay in a month with no rows at all; where it has no value there (a division by
        # calls), the lowest value it takes in a month of a single row.
        months = analysis.sale_free_months(name)
        if not months:
            yield Finding(t("KPL005.undecided", name=name), pay.name_span, severity=Severity.INFO)
            continue
        least = [analysis.evaluate(m.metrics, params, name)[name] for m in months]
        zero = least[0] if least[0].definite else min((v for v in least if v.definite), key=lambda v: v.lo, default=None)
        if zero is None:
            continue
        found = analysis.search(name, lambda x, z=zero.lo: x > z)
        if found is None:
            yield Finding(t("KPL005.undecided", name=name), pay.name_span, severity=Severity.INFO)
            continue
        reported.add(name)
        value = analysis.evaluate(found.metrics, params, name)[name].lo
        witness = analysis.witness_text(found.metrics, name)
        yield Finding(t("KPL005.message", name=name, low=zero.lo, high=value, witness=shown(witness)),
                      pay.name_span, witness=witness,
                      help=t("KPL005.help"))


CHECK = Check("KPL005", "paid-without-sales", Severity.WARNING,
              "a pay can rise above its all-zero value while every result metric is zero", run)
