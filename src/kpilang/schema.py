"""The activity data tables as the language sees them: known columns, their types and units.

A view of the data contract in `kpilang.data.schema` (the one place that states it) shaped for
the compiler and the evaluator: which columns a formula may name, their types, and the column
that places a row in a period.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpilang.data.schema import DATE_COLUMNS, ColumnKind
from kpilang.data.schema import TABLES as DATA_TABLES

STRING = ColumnKind.STRING.value
MONEY = ColumnKind.MONEY.value
DURATION = ColumnKind.DURATION.value
DATETIME = ColumnKind.DATETIME.value
BOOL = ColumnKind.BOOL.value
DECIMAL = ColumnKind.NUMBER.value
DATE = ColumnKind.DATE.value
INTEGER = ColumnKind.INTEGER.value


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: tuple[Column, ...]
    date_column: str | None
    """The column that places a row in a period; None for tables not filtered by period."""

    def column(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


TABLES: dict[str, TableSchema] = {
    name: TableSchema(
        name,
        tuple(Column(c.name, c.kind.value, c.required) for c in spec.columns),
        DATE_COLUMNS[name],
    )
    for name, spec in DATA_TABLES.items()
}

ACTIVITY_TABLES = ("activities", "leads", "deals")
"""Tables a metric can aggregate (managers and targets are read per person, not aggregated)."""
