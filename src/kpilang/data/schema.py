"""The five activity tables: which columns they must have, which are known, and their types.

This is the single place that states the data contract of `spec/data.md`; the readers,
the validation and the documentation follow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ColumnKind(str, Enum):
    """What a column holds, as the rest of kpilang sees it.

    The DuckDB storage of each kind is fixed so that the evaluator can rely on it:
    string VARCHAR, money and number DECIMAL(38, s), integer BIGINT, datetime TIMESTAMP in UTC,
    date DATE, duration BIGINT whole seconds, bool BOOLEAN.
    """

    STRING = "string"
    MONEY = "money"
    INTEGER = "integer"
    NUMBER = "number"
    DATETIME = "datetime"
    DATE = "date"
    DURATION = "duration"
    BOOL = "bool"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: ColumnKind
    required: bool = False
    # Money that can only be zero or more (a salary, a deal amount); a target value may be negative.
    non_negative: bool = False
    # A closed list of values (deal stages); None means any text.
    allowed: tuple[str, ...] | None = None
    # The text must be a period such as 2026-07, 2026-Q3 or 2026-W27.
    is_period: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    # Columns whose values together identify a row; a repeat is rejected.
    key: tuple[str, ...]
    # Whether rows belong to a person through manager_id (checked against managers.id).
    belongs_to_manager: bool

    @property
    def identifying_columns(self) -> tuple[str, ...]:
        """The ids (id, manager_id, client_id) and key columns: they name a row, a person or a
        client and are matched as text, so a value must be text or a whole number."""
        ids = [c.name for c in self.columns if c.name == "id" or c.name.endswith("_id")]
        return tuple(dict.fromkeys([*self.key, *ids]))

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def owner_column(self) -> str:
        """The column that says whose a row is: a person's own id in managers, manager_id
        elsewhere."""
        return "manager_id" if self.belongs_to_manager else "id"

    def column(self, name: str) -> ColumnSpec | None:
        for spec in self.columns:
            if spec.name == name:
                return spec
        return None


_S, _M, _DT, _DUR, _B, _N = (
    ColumnKind.STRING,
    ColumnKind.MONEY,
    ColumnKind.DATETIME,
    ColumnKind.DURATION,
    ColumnKind.BOOL,
    ColumnKind.NUMBER,
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            name="managers",
            columns=(
                ColumnSpec("id", _S, required=True),
                ColumnSpec("name", _S, required=True),
                ColumnSpec("role", _S, required=True),
                ColumnSpec("team", _S, required=True),
                ColumnSpec("salary", _M, required=True, non_negative=True),
            ),
            key=("id",),
            belongs_to_manager=False,
        ),
        TableSpec(
            name="activities",
            columns=(
                ColumnSpec("id", _S, required=True),
                ColumnSpec("manager_id", _S, required=True),
                ColumnSpec("type", _S, required=True),
                ColumnSpec("started_at", _DT, required=True),
                ColumnSpec("duration", _DUR),
                ColumnSpec("status", _S),
            ),
            key=("id",),
            belongs_to_manager=True,
        ),
        TableSpec(
            name="leads",
            columns=(
                ColumnSpec("id", _S, required=True),
                ColumnSpec("manager_id", _S, required=True),
                ColumnSpec("created_at", _DT, required=True),
                ColumnSpec("first_response_at", _DT),
                ColumnSpec("source", _S),
                ColumnSpec("status", _S),
            ),
            key=("id",),
            belongs_to_manager=True,
        ),
        TableSpec(
            name="deals",
            columns=(
                ColumnSpec("id", _S, required=True),
                ColumnSpec("manager_id", _S, required=True),
                ColumnSpec("created_at", _DT, required=True),
                ColumnSpec("stage", _S, required=True, allowed=("open", "won", "lost")),
                ColumnSpec("closed_at", _DT),
                ColumnSpec("amount", _M, non_negative=True),
                ColumnSpec("client_id", _S),
                ColumnSpec("is_new_client", _B),
            ),
            key=("id",),
            belongs_to_manager=True,
        ),
        TableSpec(
            name="targets",
            columns=(
                ColumnSpec("manager_id", _S, required=True),
                ColumnSpec("period", _S, required=True, is_period=True),
                ColumnSpec("name", _S, required=True),
                # A target takes the unit of the KPI it serves, so it is a plain number here.
                ColumnSpec("value", _N, required=True),
            ),
            key=("manager_id", "period", "name"),
            belongs_to_manager=True,
        ),
    )
}

# The order tables are loaded in: managers first, because every other table is checked
# against the people it lists.
TABLE_ORDER: tuple[str, ...] = ("managers", "activities", "leads", "deals", "targets")

# The column that places a row in a period (spec/data.md); the evaluator reads it from here.
DATE_COLUMNS: dict[str, str | None] = {
    "managers": None,
    "activities": "started_at",
    "leads": "created_at",
    "deals": "closed_at",
    "targets": None,
}
