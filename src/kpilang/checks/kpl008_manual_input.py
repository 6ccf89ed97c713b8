"""KPL008 manual-input: a KPI or pay that reads a hand-entered column of `managers`.

**Why.** "No manual corrections by the head": a column such as `managers.rating` or
`managers.adjustment` is typed in by someone, so the figure it feeds can be changed without any
trace in the CRM. It breaks the measurable criterion and the trust in the statement. `salary` is
the fixed pay and is fine.

**Avoid.** `pay bonus = salary * multiplier(kpi_score) * managers.coefficient`

**Prefer.** Compute the figure from activity data with a metric; if a manual value is truly part
of the contract, keep it out of KPIs and explain it in the plan with an ignore comment and a reason.
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.compile.program import SALARY
from kpilang.diagnostics import Severity
from kpilang.syntax import ast
from kpilang.messages import t


def run(ctx: CheckContext):
    program = ctx.program
    decls = [("kpi", n, d, [d.expr, d.target]) for n, d in program.kpis.items()]
    decls += [("pay", n, d, [e for e in (d.expr, d.cap, d.floor) if e is not None]) for n, d in program.pays.items()]
    for kind, name, _decl, exprs in decls:
        for expr in exprs:
            for node in ast.walk(expr):
                if isinstance(node, ast.Dotted) and node.table == "managers" and node.column != SALARY:
                    yield Finding(t(f"KPL008.{kind}", name=name, column=node.column),
                                  node.span,
                                  help=t("KPL008.help"))


CHECK = Check("KPL008", "manual-input", Severity.WARNING, "a KPI or pay that reads a hand-entered managers column", run)
