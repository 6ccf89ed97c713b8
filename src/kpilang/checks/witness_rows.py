"""Months of concrete rows, so that every witness the linter shows is a month that can happen.

Metric values chosen one by one can contradict each other: "100 calls of a minute or more" next
to "1 call in all", or a share of long calls of 1,000%. A claim built on such values can be false
(a plan that cannot be met without sales reported as met). So a witness is a month of rows:

- for each table the plan's aggregates read, every kind of row its conditions tell apart: each
  value a condition names and one it does not, each threshold and one second (or unit) either side,
  a few sizes for the amounts and durations that are summed or averaged;
- a month is a count of rows of each kind (0, 1, 10, 100, 1,000, 10,000 or a million in the search);
- every aggregate is computed from those rows with the evaluator's own row semantics
  (`evaluate/rowwise.py` decides which rows count and what each brings), and every metric
  from its aggregates, exactly.

So the metric values of a witness always come from rows that could be in an export. In a month
without a sale no row is a won deal, and no row counts towards a `kind result` metric. A plan whose conditions
say something this model cannot write as rows (a date, a column of another table, an ordering
of texts) gets no row model, and its checks say they could not decide rather than guess.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from kpilang import schema
from kpilang.checks.intervals.aggregates import is_aggregate
from kpilang.checks.intervals.arithmetic import NO_VALUE, Interval, point
from kpilang.checks.intervals.plan import PlanIntervals
from kpilang.compile.members import reads_members
from kpilang.compile.program import Program, aggregate_table
from kpilang.evaluate.numbers import decimal_context, exact_mean, exact_sum
from kpilang.evaluate.rowwise import row_holds, row_value
from kpilang.syntax import ast

OTHER = "other"
"""A text no condition names (made unique against the plan's own texts)."""
MOMENT = datetime(2026, 7, 15, 12, 0, tzinfo=timezone.utc)
"""Where a row's date column puts it: inside the month. Other date-times are seconds after it."""
LATER_SECONDS = (0, 60, 900, 3600, 86400)
SIZES = {schema.DURATION: (60, 600, 3600), schema.MONEY: (10000, 1000000)}
OTHER_SIZES = (1, 100)
MAX_KINDS = 4096
"""More kinds of rows than this for one table (many columns, many values) and the model gives up."""
SOLD = "won"


class Unsupported(Exception):
    """The plan's aggregates say something rows of this model cannot show."""


@dataclass(frozen=True)
class RowKind:
    """One kind of row: its cells, and for each aggregate over its table whether the row counts
    and the value it brings."""

    table: str
    row: dict[str, Any]
    counts: dict[int, bool]  # aggregate call id → the row matches its condition
    values: dict[int, Any]  # aggregate call id → the row expression's value (summed, averaged …)


@dataclass(frozen=True)
class Month:
    """A month of rows: how many rows of each kind (by index), and every metric's value."""

    rows: dict[int, int]
    metrics: dict[str, Decimal | None]


class MonthModel:
    """The kinds of rows a plan's aggregates tell apart, and the metrics of a month of them."""

    def __init__(self, program: Program, engine: PlanIntervals):
        self.program = program
        self.engine = engine
        if any(reads_members(m.expr) for m in program.metrics.values()):
            raise Unsupported("a team figure over members")  # members are months of other plans
        self.calls: dict[int, ast.Call] = {}
        self.metric_calls: dict[str, list[int]] = {}
        for name, metric in program.metrics.items():
            found = [n for n in ast.walk(metric.expr) if isinstance(n, ast.Call) and is_aggregate(n)]
            self.metric_calls[name] = [id(c) for c in found]
            self.calls.update((id(c), c) for c in found)
        self.tables: dict[int, str] = {key: aggregate_table(call) for key, call in self.calls.items()}
        # count_distinct calls whose column no condition of its table reads: every row brings a
        # value of its own (a client id), so they count rows rather than values (see _distinct).
        read = {(t, c) for k, t in self.tables.items() if self.calls[k].where is not None
                for c in _columns(self.calls[k].where, t)}
        self.own_values = {k for k, call in self.calls.items() if call.func == "count_distinct"
                           and not {(self.tables[k], c) for c in _columns(call.args[0], self.tables[k])} & read}
        self.kinds: list[RowKind] = []
        for table in sorted(set(self.tables.values())):
            self.kinds.extend(self._kinds(table))
        results = [n for n, m in program.metrics.items() if m.kind == "result"]
        # A row that would count towards a result (or be a sale) is never in a month without one.
        self.allowed = [
            i for i, kind in enumerate(self.kinds)
            if not any(kind.counts.get(key) for name in results for key in self.metric_calls[name])
        ]
        self.results = results

    # ---- kinds of rows ----
    def _kinds(self, table: str) -> list[RowKind]:
        keys = [key for key, t in self.tables.items() if t == table]
        options = self._column_options(table, keys)
        names = sorted(options)
        total = 1
        for name in names:
            total *= len(options[name])
        if total > MAX_KINDS:
            raise Unsupported(f"{total} kinds of {table} rows")
        seen: dict[tuple, RowKind] = {}
        with decimal_context():
            for values in itertools.product(*(options[n] for n in names)):
                row = dict(zip(names, values))
                counts = {key: self.calls[key].where is None or row_holds(self.calls[key].where, row)
                          for key in keys}
                brought = {key: self._brought(self.calls[key], row) for key in keys}
                signature = tuple((counts[k], brought[k]) for k in keys)
                seen.setdefault(signature, RowKind(table, row, counts, brought))
        return list(seen.values())

    def _brought(self, call: ast.Call, row: dict[str, Any]) -> Any:
        if call.func in ("count", "share"):
            return None
        return row_value(call.args[0], row)

    def _column_options(self, table: str, keys: list[int]) -> dict[str, tuple[Any, ...]]:
        """The values each column the aggregates read takes in the kinds of rows."""
        spec = schema.TABLES[table]
        literals: dict[str, set[Any]] = {}
        summed: set[str] = set()
        texts: set[str] = set()
        for key in keys:
            call = self.calls[key]
            if call.where is not None:
                self._read_condition(call.where, table, literals, texts)
            if call.func not in ("count", "share"):
                arg = call.args[0]
                for column in _columns(arg, table):
                    literals.setdefault(column, set())
                    summed.add(column)
        other = OTHER
        while other in texts:
            other = "_" + other
        options: dict[str, tuple[Any, ...]] = {}
        for column, named in literals.items():
            known = spec.column(column)
            kind = known.type if known is not None else _kind_of(named)
            options[column] = self._values(table, column, kind, named, column in summed, other)
        return options

    def _read_condition(self, cond: ast.Expr, table: str, literals: dict[str, set[Any]], texts: set[str]) -> None:
        for node in ast.walk(cond):
            if isinstance(node, ast.DateLit):
                raise Unsupported("a date in a condition")
            if isinstance(node, ast.Str):
                texts.add(node.value)
            if isinstance(node, ast.Compare | ast.InList):
                sides = [node.left, node.right] if isinstance(node, ast.Compare) else [node.operand, *node.items]
                columns = [c for side in sides for c in _columns(side, table)]
                for column in columns:
                    literals.setdefault(column, set())
                    literals[column].update(_literal(side) for side in sides if _literal(side) is not None)
                    if isinstance(node, ast.Compare) and node.op not in ("=", "!=") and any(
                            isinstance(side, ast.Str) for side in sides):
                        raise Unsupported("texts compared by order")
        for column in _columns(cond, table):
            literals.setdefault(column, set())

    def _values(self, table: str, column: str, kind: str, named: set[Any], summed: bool, other: str) -> tuple[Any, ...]:
        if kind == schema.DATETIME:
            if column == schema.TABLES[table].date_column:
                return (MOMENT,)
            return tuple(MOMENT + timedelta(seconds=s) for s in LATER_SECONDS)
        if kind == schema.BOOL:
            return (True, False)
        if kind in (schema.STRING, schema.DATE):
            allowed = _allowed(table, column)
            if allowed is not None:
                # Without a sale, no deal of the month is won.
                chosen = [v for v in allowed if not (table == "deals" and column == "stage" and v == SOLD)]
                return tuple(chosen)
            return tuple(sorted(v for v in named if isinstance(v, str))) + (other,)
        numbers: set[Decimal] = {Decimal(0)}
        for value in named:
            if isinstance(value, Decimal):
                numbers.update({value, value - 1, value + 1})
        if summed:
            numbers.update(Decimal(s) for s in SIZES.get(kind, OTHER_SIZES))
        if kind in (schema.MONEY, schema.DURATION, schema.INTEGER):
            numbers = {n for n in numbers if n >= 0}  # the loader rejects negative amounts and durations
        if kind in (schema.DURATION, schema.INTEGER):
            numbers = {n for n in numbers if n == n.to_integral_value()}
        return tuple(sorted(numbers))

    # ---- a month ----
    def month(self, rows: dict[int, int], params: dict[str, Decimal]) -> Month | None:
        """The metrics of a month with `rows[i]` rows of kind i (None: a metric's formula needs
        something a month cannot give, such as a manager's column)."""
        with decimal_context():
            aggregates = {key: self._aggregate(key, rows) for key in self.calls}
        values: dict[str, Interval] = {k: point(v) for k, v in params.items()}
        metrics: dict[str, Decimal | None] = {}
        for name in self.program.order:
            metric = self.program.metrics.get(name)
            if metric is None:
                continue
            value = self.engine.expression(metric.expr, values, name, aggregates=aggregates)
            if value.has_value and not value.definite:
                return None
            metrics[name] = value.lo if value.has_value else None
            values[name] = point(value.lo) if value.has_value else NO_VALUE
        return Month(dict(rows), metrics)

    def without_results(self, month: Month) -> bool:
        """Whether every `kind result` metric is zero or has no value in the month."""
        return all(not month.metrics[name] for name in self.results)

    def _aggregate(self, key: int, rows: dict[int, int]) -> Interval:
        call = self.calls[key]
        table = self.tables[key]
        present = [(self.kinds[i], n) for i, n in rows.items() if n > 0 and self.kinds[i].table == table]
        matching = [(kind, n) for kind, n in present if kind.counts[key]]
        if call.func == "count":
            return point(sum(n for _, n in matching))
        if call.func == "share":
            everyone = sum(n for _, n in present)
            return point(Decimal(sum(n for _, n in matching)) / everyone) if everyone else NO_VALUE
        if call.func == "count_distinct":
            return point(self._distinct(key, matching))
        weighted = [(kind.values[key], n) for kind, n in matching if kind.values[key] is not None]
        value = _weighted(call.func, weighted)
        return NO_VALUE if value is None else point(value)

    def _distinct(self, key: int, matching: Iterable[tuple[RowKind, int]]) -> int:
        """Rows of one kind share every cell a condition reads; a column no condition reads (a
        client id) takes a value of its own on every row."""
        if key in self.own_values:
            return sum(n for kind, n in matching if kind.values[key] is not None)
        return len({kind.values[key] for kind, _ in matching if kind.values[key] is not None})


def _weighted(func: str, values: list[tuple[Decimal, int]]) -> Decimal | None:
    """sum, avg, min, max or median of values each held by `n` rows, without writing out the
    rows (a month may hold a million of a kind). Agrees with what the evaluator computes from the
    rows written out; tests/checks/test_witness_rows.py holds both to the same figures."""
    if func == "sum":
        return exact_sum(v * n for v, n in values)
    rows = sum(n for _, n in values)
    if not rows:
        return None
    if func == "avg":
        return exact_mean((v * n for v, n in values), count=rows)
    if func == "min":
        return min(v for v, _ in values)
    if func == "max":
        return max(v for v, _ in values)
    if func == "median":
        lower, upper = _nth(values, (rows - 1) // 2), _nth(values, rows // 2)
        return lower if lower == upper else exact_mean((lower, upper))
    raise ValueError(f"{func} is not an aggregate of values")  # pragma: no cover


def _nth(values: list[tuple[Decimal, int]], index: int) -> Decimal:
    """The index-th value (from 0) of the rows in ascending order."""
    seen = 0
    for value, n in sorted(values):
        seen += n
        if index < seen:
            return value
    raise IndexError(index)  # pragma: no cover


def build_model(program: Program, engine: PlanIntervals) -> MonthModel | None:
    try:
        return MonthModel(program, engine)
    except Unsupported:
        return None


def _columns(expr: ast.Expr, table: str) -> set[str]:
    """The columns of `table` an expression reads (bare in a condition, or `table.column`)."""
    found: set[str] = set()
    for node in ast.walk(expr):
        if isinstance(node, ast.Dotted):
            if node.table != table:
                raise Unsupported(f"{node.table}.{node.column} in a condition over {table}")
            found.add(node.column)
        elif isinstance(node, ast.Name) and node.name != table:
            found.add(node.name)
    return found


def _literal(expr: ast.Expr) -> Any:
    match expr:
        case ast.Str(value=v) | ast.Bool(value=v):
            return v
        case ast.Num(value=v) | ast.Percent(value=v):
            return v
        case ast.Duration(seconds=s):
            return Decimal(s)
    return None


def _kind_of(named: set[Any]) -> str:
    """The kind of an extra column, from the literals it is compared with."""
    if any(isinstance(v, bool) for v in named):
        return schema.BOOL
    if any(isinstance(v, str) for v in named):
        return schema.STRING
    return schema.DECIMAL


def _allowed(table: str, column: str) -> tuple[str, ...] | None:
    from kpilang.data.schema import TABLES

    spec = TABLES[table].column(column)
    return spec.allowed if spec is not None else None
