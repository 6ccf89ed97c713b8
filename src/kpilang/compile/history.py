"""Earlier periods in formulas: `previous(EXPR)`, `previous(EXPR, N)`, `retained(…)`, `churned(…)`.

`previous(EXPR, N)` is EXPR computed for the period N periods before the evaluated one (N = 1 when
left out): months for a monthly plan, quarters for a quarterly one. EXPR is a metric or an
expression of metrics (with literals, arithmetic, `min`, `max`, `round`, `if`, `otherwise`); it
has EXPR's unit. It may stand in a metric, a KPI, a target, a pay.

`retained(TABLE.COLUMN where COND)` counts the different values of the column (clients, say) that
have a matching row of the person both in the previous period and in the evaluated one;
`churned(TABLE.COLUMN where COND)` those that have one in the previous period but none in this
one. Both are counts, and like the other aggregates they stand only in a metric.

This module types those calls for `Typer` (which hands them over) and says which earlier periods
a compiled program reads; the evaluator's side is `kpilang.evaluate.history`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kpilang.compile.members import is_member_aggregate
from kpilang.compile.names import AGGREGATES
from kpilang.compile.program import Program, Unit
from kpilang.messages import t
from kpilang.syntax import ast
from kpilang.syntax.formatter import format_expr

PREVIOUS = "previous"
RETENTION_FUNCTIONS = ("retained", "churned")
HISTORY_FUNCTIONS = (PREVIOUS, *RETENTION_FUNCTIONS)
MAX_PERIODS_BACK = 60
"""How far back `previous(x, N)` may look: five years of months is more than any plan compares
with, and the bound keeps a typo (`previous(x, 1000)`) from asking for data of another century."""


def is_previous(node: Any) -> bool:
    return isinstance(node, ast.Call) and node.func == PREVIOUS


def is_retention(node: Any) -> bool:
    return isinstance(node, ast.Call) and node.func in RETENTION_FUNCTIONS


def is_history(node: Any) -> bool:
    return isinstance(node, ast.Call) and node.func in HISTORY_FUNCTIONS


def periods_back(call: ast.Call) -> int:
    """N of `previous(EXPR, N)`; 1 for `previous(EXPR)` and for retention."""
    if is_previous(call) and len(call.args) == 2:
        return int(call.args[1].value)
    return 1


def history_key(call: ast.Call) -> str:
    """One name per meaning: `previous(revenue)` and `previous(revenue, 1)` read the same figure, written
    the short way."""
    if is_previous(call):
        back = periods_back(call)
        return f"{PREVIOUS}({format_expr(call.args[0])}{'' if back == 1 else f', {back}'})"
    return format_expr(call)


def history_calls(program: Program) -> list[ast.Call]:
    """Every `previous`, `retained` and `churned` of the program's formulas, in declaration order."""
    exprs: list[Any] = [m.expr for m in program.metrics.values()]
    for kpi in program.kpis.values():
        exprs += [kpi.expr, kpi.target]
    for pay in program.pays.values():
        exprs += [pay.expr, pay.cap, pay.floor]
    return [n for e in exprs if e is not None for n in ast.walk(e) if is_history(n)]


def lookbacks(program: Program) -> dict[str, ast.Call]:
    """history key → a `previous(…)` call of the program with that meaning."""
    return {history_key(c): c for c in history_calls(program) if is_previous(c)}


def looks_back(program: Program, name: str) -> bool:
    """Whether the figure `name` reads an earlier period, itself or through what it reads."""
    for n in {name} | program.reaches(name):
        decl = program.metrics.get(n) or program.kpis.get(n) or program.pays.get(n)
        if decl is None:
            continue
        exprs = [decl.expr] + [getattr(decl, a, None) for a in ("target", "cap", "floor")]
        if any(is_history(node) for e in exprs if e is not None for node in ast.walk(e)):
            return True
    return False


# ---- typing, for Typer ---------------------------------------------------------------------------


def type_call(typer: Any, e: ast.Call) -> Unit | None:
    """The unit of a `previous`, `retained` or `churned` call, or None after reporting why not."""
    if e.func == PREVIOUS:
        return _previous(typer, e)
    return _retention(typer, e)


def _fail(typer: Any, message, span, help=None) -> None:
    typer.fail("E0710", "bad-history", message, span, help)
    return None


def _previous(typer: Any, e: ast.Call) -> Unit | None:
    if e.where is not None:
        return _fail(typer, t("E0710.previous-where"), e.where.span, t("E0710.previous-help"))
    if len(e.args) not in (1, 2):
        return _fail(typer, t("E0710.previous-arguments"), e.span, t("E0710.previous-help"))
    if len(e.args) == 2:
        n = e.args[1]
        if not (isinstance(n, ast.Num) and n.value == n.value.to_integral_value() and 1 <= n.value <= MAX_PERIODS_BACK):
            return _fail(typer, t("E0710.periods-back", most=MAX_PERIODS_BACK), n.span, t("E0710.previous-help"))
    expr = e.args[0]
    for node in ast.walk(expr):
        if not _reads_metrics_only(typer, node):
            return None
    owner_context = typer.context
    # Typed without an owner: the formula depends on the look-back (a value of its own, given
    # by name in a test), not on this period's metrics inside it.
    unit = type(typer)(typer.c, "", "scalar").unit(expr)
    if unit is None:
        return None
    typer.dep(history_key(e))
    if owner_context == "metric":
        # A metric made of an earlier period's figures reads data all the same (E0701 is for a
        # metric that reads none), and the tables of the metrics it looks back at.
        typer.aggregates.append(e)
        for node in ast.walk(expr):
            decl = typer.c.decls.get(node.name) if isinstance(node, ast.Name) else None
            if isinstance(decl, ast.Metric):
                compiled = typer.c.compile_metric(decl)
                if compiled is not None:
                    typer.tables.update(compiled.tables)
    return Unit.NUMBER if unit == Unit.FLEX else unit


def _reads_metrics_only(typer: Any, node: Any) -> bool:
    """EXPR of `previous(EXPR)` names metrics only, none of which looks back itself: the earlier
    period's salary, targets or pays are not kept anywhere, and a look back from a look back
    would need yet earlier data for a figure nobody sees."""
    if is_history(node):
        return bool(_fail(typer, t("E0710.nested", func=node.func), node.span, t("E0710.nested-help")))
    if isinstance(node, ast.Call) and node.func in AGGREGATES and not (node.func in ("min", "max") and len(node.args) >= 2):
        return bool(_fail(typer, t("E0710.aggregate", func=node.func), node.span, t("E0710.metric-help")))
    if isinstance(node, ast.Dotted):
        return bool(_fail(typer, t("E0710.not-a-metric", name=f"{node.table}.{node.column}"), node.span,
                          t("E0710.metric-help")))
    if isinstance(node, ast.Name):
        decl = typer.c.decls.get(node.name)
        if not isinstance(decl, ast.Metric):
            if decl is None and node.name not in ("kpi_score", "salary"):
                return True  # the unknown name is reported with its suggestion when typed
            return bool(_fail(typer, t("E0710.not-a-metric", name=node.name), node.span, t("E0710.metric-help")))
        if _metric_reaches(typer, node.name, is_history, set()):
            return bool(_fail(typer, t("E0710.metric-looks-back", name=node.name), node.span,
                              t("E0710.nested-help")))
        # A team figure is computed from the members' evaluations of this period only: the
        # members' earlier periods are not evaluated, so an earlier team figure has no source.
        if _metric_reaches(typer, node.name, is_member_aggregate, set()):
            return bool(_fail(typer, t("E0710.team-figure", name=node.name), node.span,
                              t("E0710.team-figure-help")))
    return True


def _metric_reaches(typer: Any, name: str, found: Callable[[Any], bool], seen: set[str]) -> bool:
    """Whether metric `name`, itself or through the metrics it reads, holds a node `found` accepts."""
    if name in seen:
        return False
    seen.add(name)
    decl = typer.c.decls.get(name)
    if not isinstance(decl, ast.Metric):
        return False
    for node in ast.walk(decl.expr):
        if found(node):
            return True
        if isinstance(node, ast.Name) and _metric_reaches(typer, node.name, found, seen):
            return True
    return False


def _retention(typer: Any, e: ast.Call) -> Unit | None:
    if typer.context != "metric":
        typer.fail("E0706", "aggregate-outside-metric", t("E0706.message", func=e.func), e.func_span,
                   t("E0706.help", func=e.func))
        return None
    if len(e.args) != 1 or not isinstance(e.args[0], ast.Dotted):
        return _fail(typer, t("E0710.retention-column", func=e.func), e.span, t("E0710.retention-help", func=e.func))
    # Typed as what it counts: the different values of one column, over one table's rows.
    unit = typer.aggregate(e.model_copy(update={"func": "count_distinct"}))
    typer.aggregates[-1] = e
    return unit
