"""The activity data tables as the language sees them: known columns, their types and units.

One source of truth for the compiler (which columns a formula may name, and their units) and for
the data loader (which columns are required, how to parse them).
"""

from __future__ import annotations

from dataclasses import dataclass

# Column types. "money" is an exact decimal in the plan's currency; "duration" is whole seconds;
# "datetime" is an instant (stored as UTC); "decimal" is an exact plain number.
STRING, MONEY, DURATION, DATETIME, BOOL, DECIMAL = "string", "money", "duration", "datetime", "bool", "decimal"


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


def _t(name: str, date_column: str | None, *cols: tuple[str, str, bool]) -> TableSchema:
    return TableSchema(name, tuple(Column(*c) for c in cols), date_column)


TABLES: dict[str, TableSchema] = {
    t.name: t
    for t in (
        _t("managers", None,
           ("id", STRING, True), ("name", STRING, True), ("role", STRING, True), ("team", STRING, True),
           ("salary", MONEY, True)),
        _t("activities", "started_at",
           ("id", STRING, True), ("manager_id", STRING, True), ("type", STRING, True),
           ("started_at", DATETIME, True), ("duration", DURATION, False), ("status", STRING, False)),
        _t("leads", "created_at",
           ("id", STRING, True), ("manager_id", STRING, True), ("created_at", DATETIME, True),
           ("first_response_at", DATETIME, False), ("source", STRING, False), ("status", STRING, False)),
        _t("deals", "closed_at",
           ("id", STRING, True), ("manager_id", STRING, True), ("created_at", DATETIME, True),
           ("stage", STRING, True), ("closed_at", DATETIME, False), ("amount", MONEY, False),
           ("client_id", STRING, False), ("is_new_client", BOOL, False)),
        _t("targets", None,
           ("manager_id", STRING, True), ("period", STRING, True), ("name", STRING, True),
           ("value", DECIMAL, True)),
    )
}

ACTIVITY_TABLES = ("activities", "leads", "deals")
"""Tables a metric can aggregate (managers and targets are read per person, not aggregated)."""

DEAL_STAGES = ("open", "won", "lost")
