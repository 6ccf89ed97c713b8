"""KPL012 complex-formula: a formula too deep or too long to check by hand.

**Why.** Transparency: a manager must be able to follow their pay with a calculator. A formula
nested six levels deep or thirty terms long is one nobody can explain, and one nobody notices
when it is wrong. The limits are `formula-depth` and `formula-length`.

**Avoid.** `pay bonus = if a > 1 then (b * (c + d / (e - f))) else (g * (h + (i - j) / k))`

**Prefer.** Split it: give the parts names (a KPI, a table, a separate pay) and combine them in
a short formula: `pay total = salary + bonus + commission`.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.support import formula_size
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    program, limits = ctx.program, ctx.limits
    exprs = [(t("KPL012.metric", name=n), d.expr) for n, d in program.metrics.items()]
    for n, d in program.kpis.items():
        exprs += [(t("KPL012.kpi", name=n), d.expr), (t("KPL012.target", name=n), d.target)]
    for n, d in program.pays.items():
        exprs += [(t("KPL012.pay", name=n), e) for e in (d.expr, d.cap, d.floor) if e is not None]
    for what, expr in exprs:
        depth, length = formula_size(expr)
        if depth > limits.formula_depth:
            yield Finding(t("KPL012.depth", what=what, depth=depth, limit=limits.formula_depth),
                          expr.span, help=t("KPL012.help"))
        elif length > limits.formula_length:
            yield Finding(t("KPL012.length", what=what, length=length, limit=limits.formula_length),
                          expr.span, help=t("KPL012.help"))


CHECK = Check("KPL012", "complex-formula", Severity.WARNING, "a formula too deep or too long to check by hand", run)
