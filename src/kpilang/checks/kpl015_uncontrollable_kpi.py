"""KPL015 uncontrollable-kpi: a KPI that depends on a metric the plan's role cannot influence.

**Why.** A KPI the manager cannot influence is the second deadly mistake: the number of inbound
leads is marketing's, company-wide revenue is everyone's. Paying for it is a lottery, and the
team knows it. Controllability depends on the role: leads are controllable for cold-calling
managers who generate them, not for inbound managers who receive them. The check follows every
chain of dependencies (metric → KPI → KPI) and names the chain.

**Avoid.**
```
metric leads_in = count(leads)  kind activity  uncontrollable for inbound
kpi leads_kpi = leads_in  target 100  weight 20%        # in a plan for role inbound
```

**Prefer.** Measure what the manager does with what they receive: `deals_won / leads_in`
(conversion) instead of `leads_in`, or mark the metric uncontrollable only for the roles that
truly cannot influence it.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.diagnostics import Note, Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    program = ctx.program
    if program.plan is None:
        return
    for name, kpi in program.kpis.items():
        reach = program.reaches(name)
        for metric_name, metric in program.metrics.items():
            if metric_name not in reach:
                continue
            roles = [r for r in program.plan.roles if metric.uncontrollable_for_role(r)]
            if not roles:
                continue
            chain = program.chain(name, metric_name) or [name, metric_name]
            who = t("KPL015.every-role") if not metric.uncontrollable_for else t("KPL015.roles", roles=", ".join(roles))
            clause = metric.clause_spans.get("uncontrollable", metric.name_span)
            yield Finding(t("KPL015.message", name=name, metric=metric_name, who=who, chain=" → ".join(chain)), kpi.name_span,
                          notes=(Note(span=clause, message=t("KPL015.note", metric=metric_name)),),
                          help=t("KPL015.help", metric=metric_name))


CHECK = Check("KPL015", "uncontrollable-kpi", Severity.ERROR,
              "a KPI that depends on a metric the plan's role cannot influence", run)
