"""What the engine's relation of each table is, and which of its columns stand for kpilang's.

By default a table is the relation named as in spec/data.md (or mapped in the URL's query string,
`?deals=crm.deals_closed`), its columns under their own names. A *column mapper* (a source
mapping, see kpilang.sources.in_database) may say instead that a kpilang column is another
column of the relation, a constant text, a column with a prefix put before its values, or local
times in a time zone of their own: the relation is then read through a SELECT that renames, and
every check and metric query runs over that SELECT as over a table named as in data.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .dialects import SOURCE_DIALECT, relation
from .rules import q


@dataclass(frozen=True)
class MappedColumn:
    """Where one kpilang column comes from: exactly one of `source` (the relation's column) and
    `constant` (one text for every row)."""

    source: str | None = None
    constant: str | None = None
    prefix: str | None = None
    """Put before every value that is not empty (ids numbered apart in two tables)."""
    timezone: str | None = None
    """For local times (a type without a time zone): the zone they are in, instead of the plan's."""


class ColumnMapper(Protocol):
    """What open_warehouse asks of a mapping of the engine's columns to kpilang's."""

    def provides(self, table: str) -> bool: ...

    def map_columns(self, table: str, relation: str, present: dict[str, str]) -> dict[str, MappedColumn]:
        """kpilang column → where it comes from, given the relation's columns and their types.
        Raises DataError (fatal problems naming the mapping's key) for what cannot be done in
        the engine exactly, or a column the relation lacks."""
        ...


# The engine type reported for a column made of text (a constant, a prefixed id).
TEXT_TYPE = "text"


@dataclass(frozen=True)
class TableRelation:
    table: str
    name: str
    """The relation as the engine names it (`crm.deals`)."""
    columns: dict[str, str]
    """kpilang column (or extra column) → the engine's type of the values read for it."""
    mapped: dict[str, MappedColumn] | None = None
    """None when the relation's columns are read under their own names."""

    @classmethod
    def plain(cls, table: str, name: str, columns: dict[str, str]) -> TableRelation:
        return cls(table, name, columns)

    @classmethod
    def through(cls, table: str, name: str, present: dict[str, str], mapped: dict[str, MappedColumn]) -> TableRelation:
        columns = {column: TEXT_TYPE if m.source is None or m.prefix is not None else present[m.source]
                   for column, m in mapped.items()}
        return cls(table, name, columns, mapped)

    def zone(self, column: str) -> str | None:
        found = (self.mapped or {}).get(column)
        return found.timezone if found is not None else None

    def from_sql(self) -> str:
        """The FROM item, in DuckDB's SQL, that reads as the table of data.md."""
        if self.mapped is None:
            return relation(self.name, SOURCE_DIALECT)
        picked = []
        for column, m in self.mapped.items():
            if m.constant is not None:
                value = _text(m.constant)
            else:
                value = q(m.source or column)
                if m.prefix is not None:
                    # An empty value stays empty, as in the files: the prefix goes before a value only.
                    text = f"CAST({value} AS VARCHAR)"
                    value = f"CASE WHEN {value} IS NULL OR {text} = '' THEN NULL ELSE {_text(m.prefix)} || {text} END"
            picked.append(f"{value} AS {q(column)}")
        return f"(SELECT {', '.join(picked)} FROM {relation(self.name, SOURCE_DIALECT)}) AS {q(self.table)}"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
