"""KPL015 uncontrollable-kpi: a KPI that rises with something the plan's role cannot influence.

**Why.** A KPI the manager cannot influence is the second deadly mistake: the number of inbound
leads is marketing's, company-wide revenue is everyone's. Paying for it is a lottery, and the
team knows it. Controllability depends on the role: leads are controllable for cold-calling
managers who generate them, not for inbound managers who receive them.

**What is uncontrollable.** What the author marks `uncontrollable` (for every role, or `for ROLE,
…`), and, where the author says nothing, what kpilang's own controllability model finds in the
data:

| the metric or figure | uncontrollable for | because |
|---|---|---|
| a count (or share) of `leads`, with a condition only on `source`, `created_at`, `id`, `manager_id` | inbound, chat, head | how many leads arrive is marketing's doing |
| a count (or share) of `activities` of `type = "chat"`, with a condition only on `type`, `started_at`, `id`, `manager_id` | inbound, chat, head | how many chats arrive is marketing's and the site's doing |
| a `managers` column other than `salary` | every role | a supervisor types it in (see also KPL008) |
| any metric of a `scope team` plan | every role but head | it is the team's total: reported once by KPL025 |

A condition on a column the manager fills in (`status`, `first_response_at`, `duration`, an
extra column) makes a count the manager's work again: `count(leads where status = "qualified")`
is controllable. The model knows the roles of `rules/` and says nothing about a role of another
name. An author who knows better overrules it for one metric, with a reason that the lint output
and the statements show: `controllable "leads come from the manager's own calls"`.

**How it enters the KPI matters.** The check follows every path from each KPI's attainment down
to the figure, through other KPIs and into the metrics' formulas, with the sign of its effect. A
figure that only divides something the manager does is a normaliser and is fine: `deals_won /
leads_received` is a conversion, and `leads_received` as a target (`target 10% * leads_received`)
is the same. A figure in a numerator, a sum, a product, a condition, a table lookup, or the KPI
alone (with either direction) is not, and the finding names the path:
`leads_in → kpi leads_kpi (numerator)`.

**Avoid.**
```
metric leads_in = count(leads)  kind activity                # in a plan for role inbound
kpi leads_kpi = leads_in  target 100  weight 20%
```

**Prefer.** Measure what the manager does with what they receive: `deals_won / leads_in`
(conversion) instead of `leads_in`; or, if the manager truly makes the figure, say why:
`controllable "the manager books these leads at their own events"`.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.controllability import Controllability, Source
from kpilang.checks.influence import Entry, entries, path_text
from kpilang.diagnostics import Note, Severity
from kpilang.messages import Text, t


def controllability(ctx: CheckContext) -> Controllability:
    return ctx.cached("controllability", lambda: Controllability(ctx.program))


def run(ctx: CheckContext):
    program = ctx.program
    if program.plan is None:
        return
    model = controllability(ctx)
    for name, kpi in program.kpis.items():
        found = entries(program, name, model.leaf, model.own)
        for key in dict.fromkeys(e.key for e in found):
            source = model.source(key)
            if not source.roles:
                continue
            bad = [e for e in found if e.key == key and not (e.polarity < 0 and e.normaliser)]
            if not bad:
                continue
            entry = bad[0]
            path = path_text(program, entry)
            notes = (Note(span=source.span or entry.span, message=_why(source)),)
            if source.overruled is not None:
                yield Finding(t("KPL015.overruled", name=name, metric=key, reason=source.overruled, chain=path),
                              kpi.name_span, notes=notes, severity=Severity.INFO)
                continue
            every = source.why in ("typed-in", "past") or (source.why == "declared" and not program.metrics[key].uncontrollable_for)
            who = t("KPL015.every-role") if every else t("KPL015.roles", roles=", ".join(source.roles))
            yield Finding(t("KPL015.message", name=name, metric=key, who=who, chain=path, how=_how(entry)),
                          kpi.name_span, notes=notes,
                          help=t("KPL015.help-typed-in" if source.why == "typed-in" else "KPL015.help", metric=key))


def _why(source: Source) -> Text:
    if source.why == "declared":
        return t("KPL015.note", metric=source.key)
    return t(f"KPL015.model.{source.why}", metric=source.key, roles=", ".join(source.roles))


def _how(entry: Entry) -> Text:
    if entry.polarity > 0:
        return t("KPL015.how.raises")
    if entry.polarity < 0:
        return t("KPL015.how.lowers")
    return t("KPL015.how.either")


CHECK = Check("KPL015", "uncontrollable-kpi", Severity.ERROR,
              "a KPI that rises with something the plan's role cannot influence", run)
