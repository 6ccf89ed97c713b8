"""KPL004 met-without-sales: the KPI score can reach 100% while every result metric is zero.

**Why.** "It can be met without a single sale" is the surest sign of a bad KPI set. If calls,
meetings and other activities alone can lift the score to 100%, managers are paid for being busy,
and the plan stops pulling towards revenue. The check proves it either way: interval reasoning
over every formula bounds the score in a month without a single sale (no won deal: whatever
reads only won deals has no rows, every `kind result` metric is zero; see
[proofs](index.md#proofs-and-witnesses)); when the bound does
not rule 100% out, it looks for a month of concrete rows without a sale that reaches it and
reports that month's metric values as a witness, which evaluates exactly to the claim.

**Avoid.**
```
kpi calls_kpi = calls            target 800  weight 60%  cap 150%
kpi meetings_kpi = meetings      target 40   weight 40%  cap 150%
```
Witness: calls = 1000, meetings = 100, revenue = 0 → score 135%.

**Prefer.** Give result KPIs (revenue, new clients) enough weight, and cap activity KPIs, so that
activity alone stays below 100%: in the example, 150% cap × 20% weight on the meeting rate gives
at most 30% without sales. Mark every metric that measures sales `kind result`: a metric over
won deals is recognised as a sale anyway, but a result counted elsewhere (say, leads converted) is
known only by its `kind`. An average deal size is no way around it: without a sale it has no value.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.proofs import BIG, percent, proofs, shown
from kpilang.checks.support import plan_name_span
from kpilang.compile.program import SCORE
from kpilang.diagnostics import Note, Severity
from kpilang.messages import t

ONE = 1


def run(ctx: CheckContext):
    program = ctx.program
    if program.plan is None or not program.kpis:
        return
    analysis = proofs(ctx)
    bound = analysis.no_sales[SCORE]
    if not bound.has_value or bound.hi < ONE:
        return  # proven: without sales the score stays below 100%
    results = [n for n, m in program.metrics.items() if m.kind == "result"]
    zero = t("KPL004.results-zero", names=", ".join(f"`{n}`" for n in results)) if results else t("KPL004.no-results")
    found = analysis.search(SCORE, lambda s: s >= ONE)
    notes = tuple(
        Note(span=k.name_span, message=t("KPL004.note", name=k.name, reach=percent(analysis.no_sales[k.name].hi),
                                         weight=percent(k.weight), share=percent(analysis.no_sales[k.name].hi * k.weight))
             if analysis.no_sales[k.name].hi < BIG else t("KPL004.note-unbounded", name=k.name))
        for k in program.kpis.values() if analysis.no_sales[k.name].has_value and analysis.no_sales[k.name].hi > 0
    )
    if found is None:
        yield Finding(t("KPL004.undecided", bound=percent(bound.hi) if bound.hi.is_finite() else t("KPL004.nothing"), when=zero),
                      plan_name_span(program), severity=Severity.WARNING, notes=notes,
                      help=t("KPL004.undecided-help"))
        return
    values = analysis.evaluate(found.metrics, analysis.witness_params(), SCORE)
    witness = analysis.witness_text(found.metrics, SCORE)
    yield Finding(t("KPL004.message", score=percent(values[SCORE].lo), witness=shown(witness)), plan_name_span(program), witness=witness, notes=notes,
                  help=t("KPL004.help" if results else "KPL004.help-mark-results"))


CHECK = Check("KPL004", "met-without-sales", Severity.ERROR,
              "the KPI score can reach 100% while every result metric is zero", run)
