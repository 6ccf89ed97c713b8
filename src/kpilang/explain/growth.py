"""Growth in statements: for each `previous(…)` of the plan, both periods' figures and the change.

A statement of a plan that looks back says, for every figure it compares (`previous(revenue)`),
what it was in the earlier period, what it is in this one, and the change: for amounts and
counts the difference and the growth in percent (`+133 500,00 ₽ (+6,24 %)`); for a share or a
ratio of counts, shown as a percent, the difference in percentage points (`+5,55 п. п.`), since
a share going from 40 % to 45 % has grown by 5 points, not by 5 %.

It also says which figures read as percents although the plan's target is not written as one: a
ratio of two counts (`won / closed`) is a share of something, whatever its target looks like.
"""

from __future__ import annotations

from typing import Any

from kpilang.compile.history import lookbacks, periods_back
from kpilang.compile.program import Program, Unit
from kpilang.evaluate.history import earlier_period
from kpilang.explain.model import EarlierLine
from kpilang.syntax import ast


def is_ratio_of_counts(program: Program, expr: ast.Expr) -> bool:
    """`won / closed` (or `won / closed otherwise 0`) where both sides are count metrics."""
    if isinstance(expr, ast.Otherwise):
        expr = expr.expr
    if not (isinstance(expr, ast.Binary) and expr.op == "/"):
        return False
    return all(isinstance(side, ast.Name) and side.name in program.metrics
               and program.metrics[side.name].unit == Unit.COUNT for side in (expr.left, expr.right))


def lookback_kind(program: Program, metric_kinds: dict[str, str], call: ast.Call) -> str:
    """How the figure a look-back compares is shown: as its metric, or as a percent for a ratio
    of counts, or by the unit of what it reads."""
    expr = call.args[0]
    if isinstance(expr, ast.Name) and expr.name in program.metrics:
        return metric_kinds[expr.name]
    if is_ratio_of_counts(program, expr):
        return "percent"
    units = {program.metrics[n.name].unit for n in ast.walk(expr) if isinstance(n, ast.Name) and n.name in program.metrics}
    return "money" if Unit.MONEY in units else "number"


def earlier_period_names(builder: Any) -> dict[int, str]:
    """Periods back → the earlier period's name as the statement writes its own (`июль 2026 г.`)."""
    names = {}
    for call in lookbacks(builder.program).values():
        back = periods_back(call)
        earlier = earlier_period(builder.report.period, back)
        if earlier.kind == "month":
            names[back] = builder.fmt.month(earlier.first_day)
        elif earlier.kind == "quarter":
            names[back] = builder.fmt.quarter(earlier.first_day)
        else:
            names[back] = earlier.label
    return names


def earlier_lines(builder: Any, person: Any) -> list[EarlierLine]:
    """One line per look-back of the plan: both periods' figures and the change."""
    history = person.history
    if history is None or person.outcome is None:
        return []
    out = []
    names = earlier_period_names(builder)
    fig, signed, t = builder.fmt.figure, builder.fmt.signed, builder.t
    for key, call in lookbacks(builder.program).items():
        kind = builder.kinds.leaf(key)
        then = history.values.get(key)
        now = builder.engine.evaluate_expression(
            call.args[0], lambda node: person.metrics.get(node.name) if isinstance(node, ast.Name) else None)
        change = growth = None
        if then is not None and now is not None:
            if kind == "percent":
                change = t.f("growth_points", change=signed((now - then) * 100, "number"))
            else:
                change = signed(now - then, kind)
                if then > 0:
                    growth = signed(now / then - 1, "percent")
        label = builder.words.words(call.args[0])
        then_text, now_text = fig(then, kind, t.no_value), fig(now, kind, t.no_value)
        period = names[periods_back(call)]
        if change is None:
            line = t.f("growth_line_no_change", label=label, period=period, then=then_text,
                       current_period=builder.period, now=now_text)
        elif growth is None:
            line = t.f("growth_line", label=label, period=period, then=then_text, current_period=builder.period,
                       now=now_text, change=change)
        else:
            line = t.f("growth_line_percent", label=label, period=period, then=then_text,
                       current_period=builder.period, now=now_text, change=change, growth=growth)
        out.append(EarlierLine(key=key, label=label, period=period, then=then_text, now=now_text,
                               change=change, growth=growth, line=line))
    return out
