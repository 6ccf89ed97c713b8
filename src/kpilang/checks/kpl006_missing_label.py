"""KPL006 missing-label: a KPI or pay without a human label.

**Why.** Statements show every KPI and pay to the manager. `revenue_plan` means something to the
author of the plan; "Выполнение плана по выручке" means something to the person paid by it. A
KPI without a label fails the first criterion: specific, named in words.

**Avoid.** `kpi revenue_plan = revenue ...`

**Prefer.** `kpi revenue_plan "Выполнение плана по выручке" = revenue ...`
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.diagnostics import Severity
from kpilang.messages import t


def run(ctx: CheckContext):
    for kind, group in (("kpi", ctx.program.kpis), ("pay", ctx.program.pays)):
        for name, decl in group.items():
            if not decl.label:
                yield Finding(t(f"KPL006.{kind}", name=name), decl.name_span,
                              help=t("KPL006.help", decl=kind, name=name))


CHECK = Check("KPL006", "missing-label", Severity.WARNING, "a KPI or pay without a human label", run)
