"""KPL025 team-scope-for-manager: `scope team` in a plan for a role that is not a head of sales.

**Why.** With `scope team` every metric sums the whole team: the team's revenue, the team's
calls. That is the result a head of sales answers for; for a rank-and-file manager it is other
people's work, which they cannot influence, and paying them for it is the lottery KPL015 warns
about, for every KPI at once. kpilang's controllability model takes the team's totals as a head
of sales' only (role `head`); this check reports it once, at `scope`, rather than once per KPI.

**Avoid.**
```
plan cold_sales "Холодные продажи" {
    role cold  period month  effective 2026-07-01
    currency RUB  strategy growth  goal "Новые клиенты"
    scope team
}
```

**Prefer.** Leave `scope` out (each person's own rows) in a manager's plan, and keep `scope team`
for the head of sales' plan (`role head`). A team bonus for managers, if wanted, is a pay of its
own in the head's plan, not a KPI of theirs.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.controllability import HEAD_ROLES, not_heads
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    plan = ctx.program.plan
    if plan is None or plan.scope != "team":
        return
    roles = not_heads(plan.roles)
    if not roles:
        return
    yield Finding(t("KPL025.message", roles=", ".join(roles)), plan.field_spans.get("scope", plan.span),
                  help=t("KPL025.help", heads=", ".join(sorted(HEAD_ROLES))))


CHECK = Check("KPL025", "team-scope-for-manager", Severity.ERROR,
              "`scope team` in a plan for a role that is not a head of sales", run)
