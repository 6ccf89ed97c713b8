"""KPL003 weights-sum: KPI weights that do not add up to exactly 100%.

**Why.** The KPI score is the weighted sum of attainments. With weights summing to 90%, a
manager who meets every target scores 90% and misses the multiplier; with 110%, the company
pays for more than the plan. Either way the plan does not mean what it says.

**Avoid.**
```
kpi revenue_plan = revenue  target targets.revenue  weight 50%
kpi meeting_rate = meetings / calls otherwise 0  target 8%  weight 30%   # 80% in all
```

**Prefer.** Weights that add up to exactly 100%: `weight 50%`, `weight 20%`, `weight 30%`.
"""

from __future__ import annotations

from decimal import Decimal

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.support import percent_text, plan_name_span
from kpilang.diagnostics import Note, Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    program = ctx.program
    if program.plan is None or not program.kpis:
        return
    total = sum((k.weight for k in program.kpis.values()), Decimal(0))
    if total == 1:
        return
    notes = tuple(Note(span=k.clause_spans.get("weight", k.name_span), message=t("KPL003.note", name=k.name, weight=percent_text(k.weight)))
                  for k in program.kpis.values())
    gap = Decimal(1) - total
    yield Finding(t("KPL003.message", total=percent_text(total)), plan_name_span(program),
                  help=t("KPL003.add-help", gap=percent_text(gap)) if gap > 0 else t("KPL003.take-help", gap=percent_text(-gap)),
                  notes=notes)


CHECK = Check("KPL003", "weights-sum", Severity.ERROR, "KPI weights that do not add up to exactly 100%", run)
