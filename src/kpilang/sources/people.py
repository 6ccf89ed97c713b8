"""Which person a CRM's text names: its user id or full name, resolved to a `managers.id`.

Nothing is guessed (docs/crm/mapping.md, People): an alias of the mapping first; then, by the
rule's `person` setting, the id itself, the one person whose column (e.g. `crm_id`) holds the
text, or the one person whose name it is. Two people matching is an error for both. A text that
matches nobody but nearly is somebody's name (ё written е, first and last name swapped) is an
error for that person. A text that matches nobody is left as it is: the data checks then report
it as a row of somebody the people file does not list.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import duckdb

from kpilang.data.sql import cell


def name_key(text: str) -> str:
    """A name as compared: compatibility form, letter case folded, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def loose_name_key(text: str) -> str:
    """A name as compared for a near miss: ё as е, the words in any order."""
    return " ".join(sorted(name_key(text).replace("ё", "е").split()))


@dataclass(frozen=True)
class Resolved:
    """`person` when the text names exactly one person; otherwise `candidates` are the people
    it may name (an error for each), and `unknown` says it names nobody at all."""

    person: str | None = None
    candidates: tuple[str, ...] = ()
    code: str | None = None  # ambiguous_person | near_person

    @property
    def unknown(self) -> bool:
        return self.person is None and not self.candidates


class PeopleIndex:
    """The people of the mapped managers table, indexed by id, by name and by each column a
    mapping resolves people by."""

    def __init__(self, rows: list[dict[str, str | None]], aliases: dict[str, str], columns: list[str] | None = None):
        self.columns = columns if columns is not None else sorted({key for row in rows for key in row})
        self.ids = {row["id"] for row in rows if row.get("id")}
        self.aliases = aliases
        self.rows = rows
        self._by: dict[str, dict[str, set[str]]] = {}
        self._loose: dict[str, set[str]] = {}
        for row in rows:
            if row.get("id") and row.get("name"):
                self._loose.setdefault(loose_name_key(row["name"]), set()).add(row["id"])

    @classmethod
    def from_relation(cls, con: duckdb.DuckDBPyConnection, relation: str, columns: list[str],
                      aliases: dict[str, str]) -> PeopleIndex:
        """From a raw managers table (text cells, before its checks)."""
        select = ", ".join(cell(i) for i in range(len(columns))) or "NULL"
        rows = [dict(zip(columns, values)) for values in con.execute(f"SELECT {select} FROM {relation}").fetchall()]
        return cls(rows, aliases, list(columns))

    def _index(self, column: str) -> dict[str, set[str]]:
        if column not in self._by:
            index: dict[str, set[str]] = {}
            for row in self.rows:
                value = row.get(column)
                if row.get("id") and value and value.strip():
                    key = name_key(value) if column == "name" else value.strip()
                    index.setdefault(key, set()).add(row["id"])
            self._by[column] = index
        return self._by[column]

    def without(self, column: str) -> list[str]:
        """The people whose `column` is empty: their rows cannot be found by it."""
        return sorted(row["id"] for row in self.rows if row.get("id") and not (row.get(column) or "").strip())

    def resolve(self, text: str, by: str) -> Resolved:
        alias = self.aliases.get(text.strip())
        if alias is not None:
            return Resolved(person=alias)
        if by == "id":
            return Resolved(person=text)
        key = name_key(text) if by == "name" else text.strip()
        found = self._index(by).get(key, set())
        if len(found) == 1:
            return Resolved(person=next(iter(found)))
        if found:
            return Resolved(candidates=tuple(sorted(found)), code="ambiguous_person")
        near = self._loose.get(loose_name_key(text), set()) if by == "name" else set()
        if near:
            return Resolved(candidates=tuple(sorted(near)), code="near_person")
        # A text that is somebody's kpilang id (or one nearly) is not taken for theirs either.
        if text.strip() in self.ids and by != "id":
            return Resolved(candidates=(text.strip(),), code="near_person")
        return Resolved()

