"""KPL020 no-value: a KPI or pay that can have no value, without `otherwise`.

**Why.** Division by zero, and an average, minimum, maximum, median or share over no rows, give
*no value*. A KPI or pay left without a value is an evaluation error for that person — their
statement cannot be computed. A new manager with no calls in their first week is exactly the
person who needs a clear statement.

**Avoid.** `kpi meeting_rate = meetings / calls  target 8%  weight 20%`

**Prefer.** Say what the value is when it cannot be computed:
`kpi meeting_rate = meetings / calls otherwise 0  target 8%  weight 20%`.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.intervals.plan import target_key, value_key
from kpilang.checks.proofs import proofs
from kpilang.checks.support import source_text
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    program = ctx.program
    analysis = proofs(ctx)
    for name, kpi in program.kpis.items():
        value, target = analysis.free[value_key(name)], analysis.free[target_key(name)]
        yield from _report("kpi", name, value.causes + target.causes, ctx.sources)
    for name in program.pays:
        yield from _report("pay", name, analysis.free[name].causes, ctx.sources)


def _report(kind: str, name: str, causes, sources):
    seen = set()
    for cause in causes:
        if cause.owner != name or cause.span in seen:
            continue
        seen.add(cause.span)
        text = source_text(sources, cause.span)
        if cause.what == "division":
            message = t(f"KPL020.{kind}-division", name=name, text=text)
        else:
            message = t(f"KPL020.{kind}", name=name, cause=cause.what)
        yield Finding(message, cause.span, help=t("KPL020.help", text=text))


CHECK = Check("KPL020", "no-value", Severity.WARNING, "a KPI or pay that can have no value, without otherwise", run)
