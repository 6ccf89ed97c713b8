"""How each figure of a program is shown: as a count, a number, a percent, money or a duration.

Decided once per program from the plan's units and from how its author wrote targets and table
bands, so that a statement shows a share as `8 %` where the plan says `target 8%`."""

from __future__ import annotations

from kpilang.compile.history import lookbacks
from kpilang.compile.program import SALARY, SCORE, Program
from kpilang.explain.formatting import FigureKind, unit_kind
from kpilang.explain.growth import is_ratio_of_counts, lookback_kind
from kpilang.explain.source_text import span_text
from kpilang.syntax import ast


class FigureKinds:
    """How each figure of one program is shown: as a count, a number, a percent, money or a duration.

    A KPI or metric that is a fraction is shown as a percent when the plan writes its target as
    one (`target 8%`) or when it is a `share(...)`; table edges and values follow how the table's
    bands are written (`70% to 90%` → percents, `: 0.5` → a number)."""

    def __init__(self, program: Program):
        self.program = program
        self.metric: dict[str, FigureKind] = {}
        for name, metric in program.metrics.items():
            is_share = isinstance(metric.expr, ast.Call) and metric.expr.func == "share"
            self.metric[name] = "percent" if is_share else unit_kind(metric.unit)
        self.kpi: dict[str, FigureKind] = {}
        self.target_kind: dict[str, FigureKind] = {}
        for name, kpi in program.kpis.items():
            kind = unit_kind(kpi.unit)
            if kind == "number" and (isinstance(kpi.target, ast.Percent) or is_ratio_of_counts(program, kpi.expr)):
                kind = "percent"
            self.kpi[name] = kind
            if isinstance(kpi.target, ast.Dotted) and kpi.target.table == "targets":
                self.target_kind.setdefault(kpi.target.column, kind)
        self.table_key: dict[str, FigureKind] = {}
        self.table_value: dict[str, FigureKind] = {}
        sources = program.sources
        for name, table in program.tables.items():
            edges_percent = values_percent = False
            for band in table.bands:
                text = span_text(sources, band.span)
                edges, _, value = text.rpartition(":")
                edges_percent |= "%" in edges
                values_percent |= "%" in value
            key = unit_kind(table.key_unit)
            self.table_key[name] = "percent" if edges_percent and key == "number" else key
            value_kind = unit_kind(table.value_unit)
            self.table_value[name] = "percent" if (values_percent or table.graduated) and value_kind == "number" \
                else value_kind

        # A table's argument as the call site shows it: `commission_tiers(revenue, …)` is money.
        self.table_argument: dict[str, FigureKind] = {}
        for decl in (*program.kpis.values(), *program.pays.values()):
            for node in ast.walk(decl.expr):
                if isinstance(node, ast.Call) and node.func in program.tables and node.args:
                    arg = node.args[0]
                    if isinstance(arg, ast.Name | ast.Dotted):
                        key = arg.name if isinstance(arg, ast.Name) else f"{arg.table}.{arg.column}"
                        self.table_argument.setdefault(node.func, self.leaf(key))
        for name in program.tables:
            self.table_argument.setdefault(name, self.table_key[name])
        self.lookback = {key: lookback_kind(program, self.metric, call) for key, call in lookbacks(program).items()}

    def leaf(self, key: str) -> FigureKind:
        p = self.program
        if key in p.metrics:
            return self.metric[key]
        if key in p.kpis or key == SCORE:
            return "percent"
        if key in p.pays or key == SALARY:
            return "money"
        if key.startswith("targets."):
            return self.target_kind.get(key.split(".", 1)[1], "number")
        return self.lookback.get(key, "number")


__all__ = ["FigureKinds"]
