"""A mapping as the loader's table provider (`load_data(..., provider=MappedSource(mapping))`) and as
the column mapper of a database (`open_data_url(..., mapper=MappedSource(mapping))`)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from kpilang.data.problems import DataError
from kpilang.data.provided import ProvidedTable
from kpilang.data.readers.base import RawTable, fatal_problem
from kpilang.messages import t

from .convert import convert_table
from .mapping import Mapping, load_mapping
from .people import PeopleIndex


class MappedSource:
    """The tables a mapping names, read from the CRM's files; the others stay kpilang's own."""

    def __init__(self, mapping: Mapping):
        self.mapping = mapping
        self.name = mapping.name
        self._people: PeopleIndex | None = None

    @classmethod
    def named(cls, name_or_path: str) -> MappedSource:
        """The source a `--source` value names (raises DataError for an unusable mapping)."""
        return cls(load_mapping(name_or_path))

    def provides(self, table: str) -> bool:
        return bool(self.mapping.parts(table))

    def claimed_files(self) -> frozenset[str]:
        return frozenset(name for parts in self.mapping.tables.values() for part in parts for name in part.files)

    def read(self, con: duckdb.DuckDBPyConnection, table: str, folder: Path, cap: int,
             managers: RawTable | None, timezone: str) -> ProvidedTable:
        if managers is not None and managers.relation is not None and self._people is None:
            self._people = PeopleIndex.from_relation(con, managers.relation, managers.columns, self.mapping.aliases)
            strays = {text: person for text, person in self.mapping.aliases.items() if person not in self._people.ids}
            if strays:
                raise DataError([fatal_problem(
                    "mapping", "", self.mapping.origin,
                    t("source.stray_alias.reason", text=text, person=person, file=managers.file),
                    t("source.stray_alias.hint"), column=f"aliases.{text}",
                ) for text, person in strays.items()])
        return convert_table(con, self.mapping, table, folder, cap, self._people, timezone)

    def map_columns(self, table: str, relation: str, present: dict[str, str]):
        """The mapping applied to a table in a database (see in_database.py)."""
        from .in_database import map_columns

        return map_columns(self.mapping, table, relation, present)
