"""Earlier periods for `previous(…)`, `retained(…)` and `churned(…)` (see `kpilang.compile.history`).

For a plan that looks back, the evaluation of a period also reads each earlier period its
formulas name, and only those: `previous(revenue)` in a monthly plan evaluated for 2026-08 reads
2026-07 as well; `previous(revenue, 12)` reads 2025-08; nothing in between. For each earlier
period the plan's aggregates are computed as for the evaluated one (same SQL, the earlier
period's bounds), the metrics follow, and each `previous(EXPR, N)` is EXPR over that period's
metrics. `retained` and `churned` compare the sets of values (clients) of the previous period and
of the evaluated one, per person (or team).

What cannot be compared is an error for the person, never a zero:
- **no data for the earlier period**: a table a look-back reads has no record (of anyone) dated
  in that period: the data does not reach back so far, and a zero would pay growth that never
  happened. Every person evaluated gets the error.
- **hired after the earlier period began** (the optional `managers.hired_at`): the person has no
  whole earlier period to be compared with. The error names the date; the plan's documentation
  says to pay newcomers by a plan of their own until they have one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Callable

from kpilang import schema
from kpilang.compile.history import history_calls, history_key, is_retention, lookbacks, periods_back
from kpilang.compile.program import Program
from kpilang.evaluate.aggregate import run_aggregates
from kpilang.evaluate.period import Period
from kpilang.evaluate.results import EvalError
from kpilang.evaluate.aggregate_plan import AggregatePlan
from kpilang.evaluate.sql import DUCKDB, GROUP_ALIAS, RowSql, period_and_grouping
from kpilang.messages import t
from kpilang.syntax import ast
from kpilang.syntax.formatter import format_expr


def earlier_period(period: Period, back: int) -> Period:
    """The period `back` periods before `period`, of the same kind: 2026-08 → 2026-07 (1),
    2025-08 (12); 2026-Q3 → 2026-Q2; 2026-W27 → 2026-W26."""
    if period.kind == "week":
        first = period.first_day - timedelta(days=7 * back)
        year, week, _ = first.isocalendar()
        return Period("week", f"{year:04d}-W{week:02d}", first, first + timedelta(days=7))
    months = 3 if period.kind == "quarter" else 1
    index = period.first_day.year * 12 + period.first_day.month - 1 - back * months
    first = date(index // 12, index % 12 + 1, 1)
    end_index = index + months
    end = date(end_index // 12, end_index % 12 + 1, 1)
    if period.kind == "quarter":
        return Period("quarter", f"{first.year:04d}-Q{(first.month - 1) // 3 + 1}", first, end)
    return Period("month", f"{first.year:04d}-{first.month:02d}", first, end)


@dataclass(frozen=True)
class EarlierPeriod:
    """One earlier period the plan reads: `back` periods before the evaluated one."""

    back: int
    period: Period
    start: datetime
    end: datetime
    """[start, end) as naive UTC instants, like the evaluated period's bounds."""
    tables: tuple[str, ...]
    """The data tables the look-backs read from it."""
    calls: tuple[ast.Call, ...]
    """The look-backs that need it (for the place an error points at)."""


@dataclass
class PersonHistory:
    """The earlier-period figures of one person (or team), for the formulas and the statement."""

    values: dict[str, Decimal | None] = field(default_factory=dict)
    """History key (`previous(revenue, 1)`, `retained(deals.client_id where …)`) → value."""
    metrics: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)
    """Periods back → the metrics of that period that a `previous(…)` reads."""
    labels: dict[int, str] = field(default_factory=dict)
    """Periods back → the period's label (`2026-07`)."""


class History:
    """Everything a plan reads of earlier periods, for one evaluated period."""

    def __init__(self, program: Program, period: Period, timezone: str):
        self.program = program
        self.period = period
        self.timezone = timezone
        self.lookbacks = lookbacks(program)
        self.retention = {history_key(c): c for c in history_calls(program) if is_retention(c)}
        needs: dict[int, tuple[set[str], list[ast.Call]]] = {}
        for call in self.lookbacks.values():
            tables, calls = needs.setdefault(periods_back(call), (set(), []))
            calls.append(call)
            for node in ast.walk(call.args[0]):
                if isinstance(node, ast.Name) and node.name in program.metrics:
                    tables.update(program.metrics[node.name].tables)
        for call in self.retention.values():
            tables, calls = needs.setdefault(1, (set(), []))
            calls.append(call)
            tables.add(call.args[0].table)
        self.earlier: list[EarlierPeriod] = []
        for back in sorted(needs):
            earlier = earlier_period(period, back)
            start, end = earlier.bounds_utc(timezone)
            tables, calls = needs[back]
            self.earlier.append(EarlierPeriod(back, earlier, start, end, tuple(sorted(tables)), tuple(calls)))
        self.uncovered: list[tuple[EarlierPeriod, str]] = []
        self._by_group: dict[Any, PersonHistory] = {}

    @property
    def active(self) -> bool:
        return bool(self.earlier)

    def concerns(self, problem: Any) -> bool:
        """Whether a rejected data row lies in an earlier period the plan reads (a target row of an
        earlier period does not: no look-back reads targets)."""
        return any(problem.concerns("", e.start, e.end) for e in self.earlier)

    # ---- computing ----
    def compute(self, dataset: Any, plan: AggregatePlan, groups: list[Any], team: bool,
                metrics_of: Callable[[dict[str, Decimal | None]], dict[str, Decimal | None]],
                evaluate_expression: Callable[..., Decimal | None]) -> None:
        """Read the earlier periods and work out every group's look-backs.

        `metrics_of(aggregates)` gives the metrics of one group from its aggregate values (the
        evaluator's own `metric_values`); `evaluate_expression(expr, lookup)` is the formula
        engine's."""
        con = dataset.connection
        column_type = dataset.column_type
        for earlier in self.earlier:
            for table in earlier.tables:
                if not self._has_rows(con, table, earlier):
                    self.uncovered.append((earlier, table))
        for group in groups:
            self._by_group[group] = PersonHistory(labels={e.back: e.period.label for e in self.earlier})
        for earlier in self.earlier:
            calls = [c for c in self.lookbacks.values() if periods_back(c) == earlier.back]
            if not calls:
                continue
            values = run_aggregates(con, plan, start=earlier.start, end=earlier.end, timezone=self.timezone,
                                    team=team, tables_present=set(dataset.tables), column_type=column_type)
            read = {n.name for c in calls for n in ast.walk(c.args[0]) if isinstance(n, ast.Name)}
            for group in groups:
                metrics = metrics_of(values.of(group))
                mine = self._by_group[group]
                mine.metrics[earlier.back] = {name: metrics[name] for name in self.program.metrics if name in read}
                for call in calls:  # EXPR reads metrics alone, by name (kpilang.compile.history)
                    mine.values[history_key(call)] = evaluate_expression(
                        call.args[0], lambda node, m=metrics: m[node.name])
        for key, call in self.retention.items():
            before = self._distinct(con, call, self.earlier[0], team, column_type)
            now_start, now_end = self.period.bounds_utc(self.timezone)
            now = self._distinct(con, call, (now_start, now_end), team, column_type)
            for group in groups:
                was, is_ = before.get(group, set()), now.get(group, set())
                kept = was & is_ if call.func == "retained" else was - is_
                self._by_group[group].values[key] = Decimal(len(kept))

    def _has_rows(self, con: Any, table: str, earlier: EarlierPeriod) -> bool:
        column = DUCKDB.ident(schema.TABLES[table].date_column)
        row = con.execute(f"SELECT count(*) FROM {DUCKDB.ident(table)} WHERE {column} >= $start AND {column} < $end",
                          {"start": earlier.start, "end": earlier.end}).fetchone()
        return bool(row and row[0])

    def _distinct(self, con: Any, call: ast.Call, bounds: Any, team: bool, column_type: Any) -> dict[Any, set[Any]]:
        """Group → the different non-empty values of the call's column in rows matching its
        condition, over the bounds (an EarlierPeriod or a (start, end) pair)."""
        start, end = (bounds.start, bounds.end) if isinstance(bounds, EarlierPeriod) else bounds
        column = call.args[0]
        params: dict[str, Any] = {}
        row = RowSql(column.table, "t", self.timezone, DUCKDB, params, column_type)
        value = row.value(column)
        cond = row.cond(call.where) if call.where is not None else "TRUE"
        period, group, source = period_and_grouping(
            column.table, table_ref=DUCKDB.ident(column.table), managers_ref=DUCKDB.ident("managers"),
            start=start, end=end, team=team, dialect=DUCKDB, params=params)
        sql = (f"SELECT DISTINCT {group} AS {GROUP_ALIAS}, {value} AS v FROM {source} "
               f"WHERE {period} AND {cond} AND {value} IS NOT NULL")
        out: dict[Any, set[Any]] = {}
        for grp, v in con.execute(sql, params).fetchall():
            out.setdefault(grp, set()).add(v)
        return out

    # ---- per person ----
    def of(self, group: Any) -> PersonHistory:
        """The look-backs of a group `compute` was given (every person or team evaluated)."""
        return self._by_group[group]

    def errors_for(self, hired: date | None) -> list[EvalError]:
        """Why this person's figures cannot be compared with the earlier periods; empty if they can."""
        errors = [self._error(earlier, "no_history", table=table, period=earlier.period.label)
                  for earlier, table in self.uncovered]
        if hired is not None:
            first = self.earlier[-1]  # the earliest period read binds
            if hired > first.period.first_day:
                errors.append(self._error(first, "hired_after_lookback", date=hired.isoformat(),
                                          period=first.period.label))
        return errors

    def _error(self, earlier: EarlierPeriod, code: str, **facts: object) -> EvalError:
        call = earlier.calls[0]
        span = call.span
        formula = format_expr(call)
        return EvalError(
            subject="history", message=t(f"eval.{code}.message", formula=formula, **facts), formula=formula,
            file=span.file, line=span.line, column=span.column, end_line=span.end_line, end_column=span.end_column,
            cause="missing_history", code=code, help=t(f"eval.{code}.help", **facts))
