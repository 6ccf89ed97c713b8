"""KPL026 rewards-fewer-sales: a KPI whose attainment rises as sales fall, or tops out without one.

**Why.** A KPI's direction says which way is good. `lower is better` on a conversion, a revenue
or a share of won deals, or a higher-is-better share of *lost* deals, turns it around: the
weaker the month, the higher the attainment, and the plan pays for poor work. The check asks two
questions of every KPI that reads sales:

- **the proof, with a witness**: can a month without a single sale give the KPI its top
  attainment (its cap, or 100% without one)? The same proofs as KPL004 answer it: interval
  bounds rule it out, or a month of concrete rows without a won deal reaches it, and the finding
  shows that month's metric values, which evaluate exactly to the claim (where neither settles
  it, only the sign below is judged);
- **the sign**: does the attainment fall as a sales metric (`kind result`, or an aggregate over won
  deals) grows, along every path (see KPL015 for how paths are followed)? A sales figure that
  only divides another one (the deals of an average deal size) is a normaliser and counts for
  nothing here. A conversion with `lower is better` has no value in a month without a sale (it
  divides by zero), so this answer comes without a witness, as a warning.

It is a check of its own rather than a part of KPL004: KPL004 judges the whole KPI set (can the
*score* reach 100% without sales, activity KPIs included, which may rightly top out in a month
without a sale), while this one judges one KPI's direction, and its fix is different: turn the
direction around, not reweigh the set.

**Avoid.**
```
metric won = count(deals where stage = "won")  kind result
metric leads_in = count(leads)  kind activity
kpi conversion = won / leads_in otherwise 0  target 20%  weight 30%  cap 150%  lower is better
metric lost = share(deals where stage = "lost")  kind quality
kpi lost_share = lost otherwise 0  target 30%  weight 20%  cap 120%     # higher is better
```

**Prefer.** A result KPI is higher-is-better (`won / leads_in`); a KPI about losses is better
stated as the win rate, `share(deals where stage = "won")`, higher-is-better.
"""

from __future__ import annotations

from decimal import Decimal

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.controllability import aggregates
from kpilang.checks.influence import entries, path_text
from kpilang.checks.intervals.aggregates import is_aggregate, reads_only_sales
from kpilang.checks.proofs import percent, proofs, shown
from kpilang.compile.program import Program, aggregate_table
from kpilang.diagnostics import Severity
from kpilang.messages import t
from kpilang.syntax import ast

ONE = Decimal(1)


def run(ctx: CheckContext):
    program = ctx.program
    if program.plan is None:
        return
    for name, kpi in program.kpis.items():
        found = entries(program, name, lambda node, owner: _sales_leaf(program, node, owner),
                        lambda metric: _is_sales(program, metric))
        if not found and not _reads_deal_stage(program, name):
            continue
        top = kpi.cap if kpi.cap is not None else ONE
        top_text = t("KPL026.cap", cap=percent(top)) if kpi.cap is not None else t("KPL026.target")
        analysis = proofs(ctx)  # computed once per plan, shared with KPL004 and KPL005
        bound = analysis.no_sales[name]
        month = analysis.search(name, lambda a: a >= top) if bound.has_value and bound.hi >= top else None
        if month is not None:
            witness = analysis.witness_text(month.metrics, name)
            reached = analysis.evaluate(month.metrics, analysis.witness_params(), name)[name].lo
            yield Finding(t("KPL026.message", name=name, reach=percent(reached), top=top_text, witness=shown(witness)),
                          kpi.name_span, witness=witness, help=t("KPL026.help"))
            continue
        falling = [e for e in found if e.polarity < 0 and not e.normaliser]
        if falling and all(e.polarity <= 0 for e in found):
            yield Finding(t("KPL026.falling-lower" if kpi.lower_is_better else "KPL026.falling", name=name,
                            chain=path_text(program, falling[0])), kpi.name_span,
                          help=t("KPL026.help"), severity=Severity.WARNING)


def _is_sales(program: Program, metric: str) -> bool:
    m = program.metrics.get(metric)
    return m is not None and (m.kind == "result" or any(reads_only_sales(c) for c in aggregates(m.expr)))


def _sales_leaf(program: Program, node: ast.Expr, owner: str) -> str | None:
    """A sales figure: a `kind result` metric, or an aggregate over won deals inside a metric."""
    if isinstance(node, ast.Name) and node.name in program.metrics and program.metrics[node.name].kind == "result":
        return node.name
    if isinstance(node, ast.Call) and owner in program.metrics and is_aggregate(node) and reads_only_sales(node):
        return owner
    return None


def _reads_deal_stage(program: Program, kpi: str) -> bool:
    """Whether the KPI reads deals by their stage (`share(deals where stage = "lost")`): about sales,
    even if no aggregate reads only won deals."""
    for name in program.reaches(kpi):
        metric = program.metrics.get(name)
        if metric is None:
            continue
        for call in aggregates(metric.expr):
            if aggregate_table(call) == "deals" and call.where is not None and any(
                    (isinstance(n, ast.Name) and n.name == "stage") or (isinstance(n, ast.Dotted) and n.column == "stage")
                    for n in ast.walk(call.where)):
                return True
    return False


CHECK = Check("KPL026", "rewards-fewer-sales", Severity.ERROR,
              "a KPI whose attainment rises as sales fall, or tops out in a month without a sale", run)
