"""KPL027 unreachable-target: a KPI or a bonus that no month of any person can ever reach.

**Why.** An achievable target is one that somebody can reach. Some targets are out of reach
by construction, whatever the team does, and the plan itself proves it, without any history:
a share (at most 100%) compared with a target written as `95` instead of `95%` (the attainment
stops at about 1%); a target above what the metric can ever be (a share with a target of
120%); a `cap` below 100% (the KPI is never met); or weights and caps that keep the KPI score
below the first band of the multiplier that pays anything, or below the score an `if`
demands, so the bonus is never paid. Managers see a goal that cannot be met and stop trying;
the plan promises money it never pays. The check bounds every attainment and the score over
every possible month by interval reasoning (see [proofs](index.md#proofs-and-witnesses)) and
reports the highest attainment the plan allows and the band it misses. A ratio of two counts of
the same rows, the numerator's a subset of the denominator's (`chats_answered / chats_total`), is
known to be a share as well. A target that *can* be
reached but rarely is, is KPL010's business, judged on history.

**Avoid.**
```
metric fast_replies = share(leads where first_response_at - created_at <= 15m)  kind quality
kpi sla "Ответ за 15 минут" = fast_replies otherwise 0  target 95  weight 20%  cap 120%
```
The attainment of `sla` is at most 1.05%: `fast_replies` is at most 100%, the target 95 (that
is, 9 500%). And, with every KPI capped at 100%:
```
pay bonus = if kpi_score > 100% then 20000 else 0
```
The score reaches at most 100%, so the bonus is never paid.

**Prefer.** Write shares as percents (`target 95%`); keep targets within what the metric can
be; let caps be at least 100%; and check that the caps and weights let a strong month reach
every band of the multiplier (`kpi_score >= 100%` rather than `> 100%` when 100% is the most a
score can be).
"""

from __future__ import annotations

from decimal import Decimal

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.intervals.arithmetic import ONE, Interval
from kpilang.checks.intervals.plan import target_key, value_key
from kpilang.checks.intervals.tables import step_lookup
from kpilang.checks.proofs import BIG, _plain, percent, proofs
from kpilang.checks.subsets import highest_share
from kpilang.checks.support import source_text
from kpilang.compile.program import SCORE, KpiDef, Program
from kpilang.diagnostics import Note, Severity
from kpilang.messages import Figure, t
from kpilang.syntax import ast


def run(ctx: CheckContext):
    program = ctx.program
    if program.plan is None or not program.kpis:
        return
    analysis = proofs(ctx)
    for name, kpi in program.kpis.items():
        finding = _unreachable_kpi(ctx, kpi, analysis.free)
        if finding is not None:
            yield finding
    yield from _unreachable_pays(ctx, analysis)


def _unreachable_kpi(ctx: CheckContext, kpi: KpiDef, free: dict[str, Interval]) -> Finding | None:
    """The KPI whose attainment stays below 100% in every month (a proof from the bounds)."""
    attainment, value, target = free[kpi.name], free[value_key(kpi.name)], free[target_key(kpi.name)]
    if not (attainment.has_value and value.has_value and target.has_value) or target.hi <= 0:
        return None  # no value at all is KPL020's; a target never above zero is KPL009's
    share = highest_share(ctx.program, kpi.expr)
    if share is not None and share < value.hi and not kpi.lower_is_better and target.lo > 0:
        # a share of counts the intervals could not bound: its attainment is at most share / target
        value = value._replace(hi=share)
        capped = kpi.cap if kpi.cap is not None else attainment.hi
        attainment = attainment._replace(hi=min(attainment.hi, share / target.lo, capped))
    if attainment.hi >= ONE:
        return None
    span = kpi.clause_spans.get("target", kpi.target.span)
    reach = percent(attainment.hi)
    if kpi.cap is not None and kpi.cap < ONE:
        return Finding(t("KPL027.capped", name=kpi.name, cap=percent(kpi.cap)),
                       kpi.clause_spans.get("cap", span), help=t("KPL027.capped-help"))
    written = source_text(ctx.sources, kpi.target.span)
    if (not kpi.lower_is_better and target.is_point and value.hi <= ONE and isinstance(kpi.target, ast.Num)
            and ONE < target.lo <= 100 and target.lo == target.lo.to_integral_value()):
        # a whole number of percent written without `%` (95 for 95%); 1.5 may mean 150%
        return Finding(t("KPL027.share-target", name=kpi.name, reach=reach, most=percent(value.hi),
                         target=written, whole=percent(target.lo)),
                       span, help=t("KPL027.share-target-help", percent=f"{_plain(target.lo)}%"))
    if kpi.lower_is_better:
        return Finding(t("KPL027.below-least", name=kpi.name, reach=reach, least=Figure(_plain(value.lo)), target=written),
                       span, help=t("KPL027.target-help"))
    most = percent(value.hi) if isinstance(kpi.target, ast.Percent) else Figure(_plain(value.hi))
    return Finding(t("KPL027.above-most", name=kpi.name, reach=reach, most=most, target=written),
                   span, help=t("KPL027.target-help"))


def _unreachable_pays(ctx: CheckContext, analysis):
    """Multiplier lookups and conditions of pays that the score (or a KPI) can never reach."""
    program = ctx.program
    free = analysis.free
    for pay_name, pay in program.pays.items():
        exprs = [e for e in (pay.expr, pay.cap, pay.floor) if e is not None]
        for node in (n for e in exprs for n in ast.walk(e)):
            if isinstance(node, ast.Call) and node.func in program.tables and not program.tables[node.func].graduated:
                if not node.args or not _reads_attainment(program, node.args[0]):
                    continue
                table = program.tables[node.func]
                arg = analysis.engine.expression(node.args[0], free, pay_name)
                paying = [b for b in table.bands if b.value > 0]
                if not arg.has_value or arg.hi >= BIG or not paying:
                    continue
                if step_lookup(table, arg).hi > 0:
                    continue
                first = min(paying, key=lambda b: b.low if b.low is not None else -BIG)
                yield Finding(t("KPL027.table", call=source_text(ctx.sources, node.span), table=table.name,
                                arg=source_text(ctx.sources, node.args[0].span), reach=percent(arg.hi),
                                band=_band_start(first.low)),
                              node.span, notes=_score_notes(program, free, node.args[0]),
                              help=t("KPL027.pay-help"))
            elif isinstance(node, ast.If) and isinstance(node.cond, ast.Compare) \
                    and _reads_attainment(program, node.cond):
                cond = analysis.engine.expression(node.cond, free, pay_name)
                if not cond.has_value or cond.hi != 0:
                    continue
                side = node.cond.left if _reads_attainment(program, node.cond.left) else node.cond.right
                reach = analysis.engine.expression(side, free, pay_name)
                if not reach.has_value or reach.hi >= BIG:
                    continue
                yield Finding(t("KPL027.condition", cond=source_text(ctx.sources, node.cond.span),
                                arg=source_text(ctx.sources, side.span), reach=percent(reach.hi)),
                              node.cond.span, notes=_score_notes(program, free, side),
                              help=t("KPL027.pay-help"))


def _reads_attainment(program: Program, expr: ast.Expr) -> bool:
    return any(isinstance(n, ast.Name) and (n.name == SCORE or n.name in program.kpis) for n in ast.walk(expr))


def _score_notes(program: Program, free: dict[str, Interval], expr: ast.Expr) -> tuple[Note, ...]:
    """Where the score's bound comes from: each KPI's highest attainment times its weight."""
    if not any(isinstance(n, ast.Name) and n.name == SCORE for n in ast.walk(expr)):
        return ()
    return tuple(
        Note(span=k.name_span, message=t("KPL027.note", name=k.name, reach=percent(free[k.name].hi),
                                         weight=percent(k.weight), share=percent(free[k.name].hi * k.weight)))
        for k in program.kpis.values() if free[k.name].has_value and free[k.name].hi < BIG
    )


def _band_start(low: Decimal | None) -> str:
    return percent(low) if low is not None else "-∞"


CHECK = Check("KPL027", "unreachable-target", Severity.WARNING,
              "a KPI or a bonus that no month can reach, proved from the plan alone", run)
