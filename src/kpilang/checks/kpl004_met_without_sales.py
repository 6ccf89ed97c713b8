"""KPL004 met-without-sales: the KPI score can reach 100% while every result metric is zero.

**Why.** "It can be met without a single sale" is the surest sign of a bad KPI set. If calls,
meetings and other activities alone can lift the score to 100%, managers are paid for being busy,
and the plan stops pulling towards revenue. The check proves it either way: interval reasoning
over every formula bounds the score when every `kind result` metric is zero; when the bound does
not rule 100% out, it looks for concrete metric values that reach it and reports them as a
witness, which evaluates exactly to the claim.

**Avoid.**
```
kpi calls_kpi = calls            target 800  weight 60%  cap 150%
kpi meetings_kpi = meetings      target 40   weight 40%  cap 150%
```
Witness: calls = 1000, meetings = 100, revenue = 0 → score 135%.

**Prefer.** Give result KPIs (revenue, new clients) enough weight, and cap activity KPIs, so that
activity alone stays below 100%: in the example, 150% cap × 20% weight on the meeting rate gives
at most 30% without sales. Mark every metric that measures sales `kind result`.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.proofs import BIG, percent, proofs, shown
from kpilang.checks.support import plan_name_span
from kpilang.compile.program import SCORE
from kpilang.diagnostics import Note, Severity

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
    zero = ("every result metric (" + ", ".join(f"`{n}`" for n in results) + ") is zero") if results else \
        "no metric is marked `kind result`"
    found = analysis.search(SCORE, lambda s: s >= ONE)
    notes = tuple(
        Note(span=k.name_span, message=f"`{k.name}` can reach {percent(analysis.no_sales[k.name].hi)} × {percent(k.weight)} = "
                                       f"{percent(analysis.no_sales[k.name].hi * k.weight)} of the score without sales"
             if analysis.no_sales[k.name].hi < BIG else
                                       f"`{k.name}` can grow without limit without sales")
        for k in program.kpis.values() if analysis.no_sales[k.name].has_value and analysis.no_sales[k.name].hi > 0
    )
    if found is None:
        yield Finding(f"cannot prove that the KPI score stays below 100% without sales: it is bounded only by "
                      f"{percent(bound.hi) if bound.hi.is_finite() else 'nothing'} when {zero}",
                      plan_name_span(program), severity=Severity.WARNING, notes=notes,
                      help="cap the activity KPIs (`cap 150%`) and weigh the result KPIs so that activity alone "
                           "stays below 100%")
        return
    values = analysis.evaluate(found, analysis.witness_params(), SCORE)
    witness = analysis.witness_text(found, SCORE)
    yield Finding(f"the KPI score reaches {percent(values[SCORE].lo)} without a single sale: "
                  f"{shown(witness)}", plan_name_span(program), witness=witness, notes=notes,
                  help="results must carry the plan: raise the weight of the result KPIs or cap the activity "
                       "KPIs so that activity alone stays below 100%; "
                       + ("" if results else "mark the metrics that measure sales `kind result`; ")
                       + "a `test` with these values keeps the fix honest")


CHECK = Check("KPL004", "met-without-sales", Severity.ERROR,
              "the KPI score can reach 100% while every result metric is zero", run)
