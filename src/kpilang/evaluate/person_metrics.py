"""One person's (or team's) metric values from the plan's aggregates: each metric in dependency
order, an aggregate read from the data's results, any other formula computed over those."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpilang.compile.history import history_key, is_history
from kpilang.compile.members import is_member_aggregate
from kpilang.compile.program import Program
from kpilang.evaluate.results import EvalError
from kpilang.evaluate.aggregate_plan import AggregatePlan, is_aggregate
from kpilang.evaluate.team import member_key
from kpilang.messages import t
from kpilang.syntax import ast


def single_aggregates(program: Program, plan: AggregatePlan) -> dict[str, str]:
    """The aggregate's key of each metric that is one aggregate over data rows, in the order of
    the plan's metrics: found once per plan rather than per person (each test walks the
    expression)."""
    return {name: plan.key_of(m.expr) for name, m in program.metrics.items() if is_aggregate(m.expr)}


def metric_values(program: Program, plan: AggregatePlan, aggregates: dict[str, Decimal | None],
                  engine: Any, history: dict[str, Decimal | None] | None = None,
                  single: dict[str, str] | None = None) -> tuple[dict[str, Decimal | None], list[EvalError]]:
    """Every metric's value for one person (or team), in dependency order, and the errors of
    metrics that combine aggregates through a table whose bands the value misses. `history`
    holds the person's look-backs (`previous(…)`, `retained(…)`) by their key; a metric that
    looks back has no value without it (as when the metrics of an earlier period are computed).
    `single`: `single_aggregates(program, plan)`, when the caller has it."""
    from kpilang.evaluate.table_lookup import LookupFailed

    errors: list[EvalError] = []
    if single is None:
        single = single_aggregates(program, plan)
    # A single aggregate depends on no other metric: all of them first, in the metrics' order.
    out: dict[str, Decimal | None] = {name: aggregates[key] for name, key in single.items()}
    if len(out) == len(program.metrics):  # every metric is one (the common plan): nothing else to compute
        return out, errors
    for name in program.order:
        metric = program.metrics.get(name)
        if metric is None or name in single:
            continue

        def lookup(node: Any, _out=out) -> Decimal | None:
            if is_aggregate(node):
                return aggregates[plan.key_of(node)]
            if is_member_aggregate(node):
                return aggregates[member_key(node)]
            if is_history(node):
                return (history or {}).get(history_key(node))
            if isinstance(node, ast.Name):
                return _out[node.name]
            if isinstance(node, str):
                return _out[node]
            raise KeyError(node)

        try:
            out[name] = engine.evaluate_expression(metric.expr, lookup)
        except LookupFailed as failed:
            out[name] = None
            span = metric.expr.span
            errors.append(EvalError(
                subject=name, message=t("eval.lookup.metric", name=name, message=failed.message),
                formula=engine.text.text(span), file=span.file, line=span.line, column=span.column,
                end_line=span.end_line, end_column=span.end_column, cause="no_band", code=failed.code,
                help=failed.help))
    return {name: out[name] for name in program.metrics}, errors

