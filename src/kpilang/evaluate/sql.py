"""The one place that turns a plan's aggregates into SQL.

Every `count(…)`, `sum(…)`, `avg(…)`, `min(…)`, `max(…)`, `median(…)`, `count_distinct(…)` and
`share(…)` of a program becomes one or two columns of a per-table query: one query per data
table computes every aggregate the plan needs over that table, grouped by person (or by team for
`scope team` plans) and filtered to the period by the table's date column. User literals are
bound as parameters, never pasted into the text.

Exactness: money is DECIMAL in the database and stays DECIMAL here (no DOUBLE anywhere). Two
aggregates that SQL engines compute through binary floating point are split into exact parts:
`avg` is fetched as a sum and a count of the non-empty values and divided in Python's Decimal
(in the formula stage's context, `numbers.decimal_context`, 34 significant digits);
`median` is fetched as the lower and upper middle values (`quantile_disc` of the values and of
their negations, which picks actual values, never interpolates) and averaged in Decimal, so the
median of 1.01 and 2.00 is exactly 1.505. `share` is fetched as two counts.

Empty cells: every comparison, `in` list and bare yes/no column is wrapped so that an empty cell
makes it false (not SQL's unknown), hence `not (duration >= 1m)` holds for a row without a
duration. sum/avg/min/max/median skip empty values. Over no rows, count and sum give 0 while
avg/min/max/median/share give no value (None).

A row expression with a division has no exact SQL form (SQL engines divide decimals in floating
point), so such an aggregate is fetched row by row and computed in Python's Decimal by
`rowwise.py`; everything else is computed inside the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from kpilang import schema
from kpilang.evaluate.aggregate_plan import Aggregate
from kpilang.evaluate.numbers import decimal_context, exact_mean
from kpilang.evaluate.period import local_midnight_utc
from kpilang.syntax import ast

ColumnType = Callable[[str, str], str]
"""(table, column) → the loaded column's kind (`DataSet.column_type`); raises KeyError if unknown."""

TEAM_COLUMN = "team"
GROUP_ALIAS = "grp"


class Dialect:
    """What differs between SQL engines, kept small so another engine could be targeted.

    The base class speaks the SQL that DuckDB and PostgreSQL share; an engine overrides what it
    spells differently.
    """

    def placeholder(self, name: str) -> str:
        """A named parameter: the text may use it several times, bound once."""
        return f"${name}"

    def ident(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def count_rows(self, cond: str | None) -> str:
        return "count(*)" if cond is None else f"count(*) FILTER (WHERE {cond})"

    def filtered(self, func: str, value: str, cond: str | None) -> str:
        return f"{func}({value})" if cond is None else f"{func}({value}) FILTER (WHERE {cond})"

    def count_distinct(self, value: str, cond: str | None) -> str:
        return self.filtered("count", f"DISTINCT {value}", cond)

    def lower_middle(self, value: str, cond: str | None) -> str:
        return self.filtered("quantile_disc", f"{value}, 0.5", cond)

    def upper_middle(self, value: str, cond: str | None) -> str:
        return "-" + self.filtered("quantile_disc", f"-({value}), 0.5", cond)

    def seconds_between(self, later: str, earlier: str) -> str:
        """datetime − datetime as exact seconds (timestamps hold microseconds)."""
        return f"((epoch_us({later}) - epoch_us({earlier})) * CAST(0.000001 AS DECIMAL(7, 6)))"

    def false_if_empty(self, cond: str) -> str:
        return f"COALESCE({cond}, FALSE)"


DUCKDB = Dialect()


@dataclass
class Query:
    """SQL text, its parameters, and how to read each aggregate's value from a result row."""

    table: str
    sql: str
    params: dict[str, Any]
    columns: list[str]
    finishers: dict[str, Callable[[dict[str, Any]], Decimal | None]]
    """Aggregate key → a function of the row (column name → value) giving the exact value."""
    rows_column: str = "n_rows"
    """The column holding how many of the group's rows fall in the period."""


class RowSql:
    """Translates row expressions and conditions over one table into SQL with parameters."""

    def __init__(self, table: str, alias: str, timezone: str, dialect: Dialect, params: dict[str, Any],
                 column_type: ColumnType | None = None):
        self.table = table
        self.alias = alias
        self.timezone = timezone
        self.d = dialect
        self.params = params
        self.column_type = column_type

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return self.d.placeholder(name)

    def column(self, name: str) -> str:
        return f"{self.alias}.{self.d.ident(name)}"

    def kind_of(self, e: Any) -> str | None:
        """The kind of a column (`datetime`, `date`, `money`, …); None for anything else."""
        name = e.column if isinstance(e, ast.Dotted) else e.name if isinstance(e, ast.Name) else None
        if name is None:
            return None
        col = schema.TABLES[self.table].column(name)
        if col is not None:
            return col.type
        if self.column_type is not None:
            try:
                return self.column_type(self.table, name)
            except KeyError:
                return None
        return None

    def is_datetime(self, e: Any) -> bool:
        return self.kind_of(e) == schema.DATETIME

    # values
    def value(self, e: Any) -> str:
        match e:
            case ast.Dotted(column=c) | ast.Name(name=c):
                return self.column(c)
            case ast.Num(value=v) | ast.Percent(value=v):
                return self.bind(_plain(v))
            case ast.Duration(seconds=s):
                return self.bind(s)
            case ast.Str(value=v) | ast.Bool(value=v):
                return self.bind(v)
            case ast.DateLit(value=v):
                return self.bind(local_midnight_utc(v, self.timezone))
            case ast.Neg(operand=o):
                return f"(-{self.value(o)})"
            case ast.Binary(op="-", left=l, right=r) if self.is_datetime(l) and self.is_datetime(r):
                return self.d.seconds_between(self.value(l), self.value(r))
            case ast.Binary(op=op, left=l, right=r) if op in "+-*":
                return f"({self.value(l)} {op} {self.value(r)})"
            case ast.If(cond=c, then=t, else_=f):
                return f"(CASE WHEN {self.cond(c)} THEN {self.value(t)} ELSE {self.value(f)} END)"
            case ast.Otherwise(expr=x, fallback=f):
                return f"COALESCE({self.value(x)}, {self.value(f)})"
            case ast.Call(func="min" | "max" as fn, args=args):
                parts = [self.value(a) for a in args]
                empty = " OR ".join(f"{p} IS NULL" for p in parts)
                pick = "LEAST" if fn == "min" else "GREATEST"
                return f"(CASE WHEN {empty} THEN NULL ELSE {pick}({', '.join(parts)}) END)"
            case ast.Call(func="round", args=[x, ast.Num(value=digits)]):
                return f"round({self.value(x)}, {int(digits)})"
            case ast.Compare() | ast.InList() | ast.Logic() | ast.Not():
                return self.cond(e)
        raise ValueError(f"no SQL form for {type(e).__name__} in a row expression")

    def compared(self, e: Any, other: Any) -> str:
        """One side of a comparison. A date literal stands for midnight in the plan's timezone
        when compared with a date and time, but for the date itself against a date column."""
        if isinstance(e, ast.DateLit) and self.kind_of(other) == "date":
            return self.bind(e.value)
        return self.value(e)

    # conditions (never unknown: an empty cell makes a comparison false)
    def cond(self, e: Any) -> str:
        match e:
            case ast.Logic(op=op, left=l, right=r):
                return f"({self.cond(l)} {op.upper()} {self.cond(r)})"
            case ast.Not(operand=o):
                return f"(NOT {self.cond(o)})"
            case ast.Compare(op=op, left=l, right=r):
                sql_op = "<>" if op == "!=" else op
                return self.d.false_if_empty(f"{self.compared(l, r)} {sql_op} {self.compared(r, l)}")
            case ast.InList(operand=o, items=items):
                left = self.value(o)
                if not items:
                    return "FALSE"
                listed = ", ".join(self.value(i) for i in items)
                return self.d.false_if_empty(f"{left} IN ({listed})")
            case ast.Bool(value=v):
                return "TRUE" if v else "FALSE"
            case ast.Dotted() | ast.Name():
                return self.d.false_if_empty(self.value(e))
            case ast.If() | ast.Otherwise():
                return self.d.false_if_empty(self.value(e))
        raise ValueError(f"no SQL condition for {type(e).__name__}")


def _plain(value: Decimal) -> Decimal:
    """A literal as a plain decimal (1E+3 → 1000), so that it binds as an exact DECIMAL."""
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def build_query(
    table: str,
    aggregates: list[Aggregate],
    *,
    table_ref: str,
    managers_ref: str,
    start,
    end,
    timezone: str,
    team: bool,
    dialect: Dialect = DUCKDB,
    column_type: ColumnType | None = None,
) -> Query:
    """One grouped query computing every (non-rowwise) aggregate over `table` for the period.

    The result has one row per person (column `grp` = manager_id) or, with `team`, per team
    (`grp` = managers.team); a person or team without rows in the period has no row, and
    `finish_missing` gives the values for them.
    """
    d = dialect
    params: dict[str, Any] = {}
    row = RowSql(table, "t", timezone, d, params, column_type)
    select: list[str] = []
    columns: list[str] = []
    finishers: dict[str, Callable[[dict[str, Any]], Decimal | None]] = {}

    def add(expr: str, name: str) -> None:
        select.append(f"{expr} AS {d.ident(name)}")
        columns.append(name)

    for agg in aggregates:
        if agg.rowwise:
            continue
        k = agg.key
        cond = row.cond(agg.where) if agg.where is not None else None
        if agg.func == "count":
            add(d.count_rows(cond), k)
            finishers[k] = _count_finisher(k)
        elif agg.func == "share":
            add(d.count_rows(cond), f"{k}_hit")
            add(d.count_rows(None), f"{k}_all")
            finishers[k] = _share_finisher(k)
        elif agg.func == "count_distinct":
            add(d.count_distinct(row.value(agg.arg), cond), k)
            finishers[k] = _count_finisher(k)
        elif agg.func == "sum":
            add(d.filtered("sum", row.value(agg.arg), cond), k)
            finishers[k] = _sum_finisher(k)
        elif agg.func in ("min", "max"):
            add(d.filtered(agg.func, row.value(agg.arg), cond), k)
            finishers[k] = _plain_finisher(k)
        elif agg.func == "avg":
            value = row.value(agg.arg)
            add(d.filtered("sum", value, cond), f"{k}_sum")
            add(d.filtered("count", value, cond), f"{k}_n")
            finishers[k] = _avg_finisher(k)
        elif agg.func == "median":
            value = row.value(agg.arg)
            add(d.lower_middle(value, cond), f"{k}_lo")
            add(d.upper_middle(value, cond), f"{k}_hi")
            finishers[k] = _median_finisher(k)
        else:  # pragma: no cover - AGGREGATE_FUNCTIONS is exhaustive
            raise ValueError(agg.func)
    add(d.count_rows(None), "n_rows")

    period, group, source = period_and_grouping(table, table_ref=table_ref, managers_ref=managers_ref,
                                                start=start, end=end, team=team, dialect=d, params=params)
    sql = (f"SELECT {group} AS {GROUP_ALIAS}, {', '.join(select)} FROM {source} "
           f"WHERE {period} GROUP BY {group}")
    return Query(table=table, sql=sql, params=params, columns=columns, finishers=finishers)


def finish_missing(aggregates: list[Aggregate]) -> dict[str, Decimal | None]:
    """The values of every aggregate for a person (or team) with no rows in the period."""
    return {a.key: (Decimal(0) if a.func in ("count", "count_distinct", "sum") else None) for a in aggregates}


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):  # pragma: no cover - aggregates never return booleans
        raise TypeError("a yes/no value is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return Decimal(value)
    raise TypeError(f"inexact value of type {type(value).__name__} from the database")


def _count_finisher(k: str):
    return lambda r: _dec(r[k]) or Decimal(0)


def _sum_finisher(k: str):
    return lambda r: Decimal(0) if r[k] is None else _dec(r[k])


def _plain_finisher(k: str):
    return lambda r: _dec(r[k])


def _avg_finisher(k: str):
    def finish(r: dict[str, Any]) -> Decimal | None:
        n = _dec(r[f"{k}_n"]) or Decimal(0)
        if n == 0:
            return None
        with decimal_context():
            return _dec(r[f"{k}_sum"]) / n
    return finish


def _median_finisher(k: str):
    def finish(r: dict[str, Any]) -> Decimal | None:
        lo, hi = _dec(r[f"{k}_lo"]), _dec(r[f"{k}_hi"])
        if lo is None or hi is None:
            return None
        return lo if lo == hi else exact_mean((lo, hi))
    return finish


def _share_finisher(k: str):
    def finish(r: dict[str, Any]) -> Decimal | None:
        total = _dec(r[f"{k}_all"]) or Decimal(0)
        if total == 0:
            return None
        with decimal_context():
            return _dec(r[f"{k}_hit"]) / total
    return finish


def literal_date(value: date, timezone: str):
    """A date literal as the instant it stands for in conditions: midnight in the plan's
    timezone (as naive UTC, like the stored datetimes)."""
    return local_midnight_utc(value, timezone)


def period_and_grouping(table: str, *, table_ref: str, managers_ref: str, start, end, team: bool,
                        dialect: Dialect, params: dict[str, Any]) -> tuple[str, str, str]:
    """The parts every per-person query of `table` shares: the condition that keeps the
    period's rows (by the table's date column, bounds bound as parameters), the grouping
    expression (the person, or for `scope team` the person's team) and the FROM source."""
    d = dialect
    date_col = schema.TABLES[table].date_column
    params["period_start"], params["period_end"] = start, end
    period = (f"t.{d.ident(date_col)} >= {d.placeholder('period_start')} "
              f"AND t.{d.ident(date_col)} < {d.placeholder('period_end')}")
    if team:
        group = f"m.{d.ident(TEAM_COLUMN)}"
        source = f"{table_ref} AS t JOIN {managers_ref} AS m ON m.{d.ident('id')} = t.{d.ident('manager_id')}"
    else:
        group = f"t.{d.ident('manager_id')}"
        source = f"{table_ref} AS t"
    return period, group, source
