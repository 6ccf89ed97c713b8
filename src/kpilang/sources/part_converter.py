"""One file of a mapped table, record by record: the source column each rule reads, whether
`where`/`exclude` keep a record, and the record's cells converted by their rules (transforms.py,
the mapping's maps, people.py). A record the rules cannot convert is rejected with a fault placed
in time where its own date can be read; a value no map covers is gathered into one `Uncovered`
per source column and value, so that it is reported once, with its rows counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from kpilang.data.problems import DataError, DataProblem
from kpilang.data.readers.base import RowFaults, fatal_problem
from kpilang.data.schema import DATE_COLUMNS, TABLES, ColumnKind
from kpilang.messages import t

from .mapping import ColumnRule, Mapping, TablePart
from .people import PeopleIndex, Resolved
from .records import SourceFile, has_key, text_of, value_at
from .transforms import NotConverted, converted

# Rows quoted for one value that no map covers; the rest are counted.
QUOTED_ROWS = 10

# The value any other text of a map takes, where the CRM itself defines it so.
MAP_DEFAULT = "*"


class _Unmapped(Exception):
    def __init__(self, map_name: str, text: str):
        super().__init__(text)
        self.map, self.text = map_name, text


class _Ambiguous(Exception):
    """A person's text that names several people, or nearly somebody."""

    def __init__(self, text: str, resolved: Resolved):
        super().__init__(text)
        self.text, self.resolved = text, resolved


@dataclass
class Uncovered:
    """A value of one source column that a map does not cover, over all its records."""

    column: str
    map: str
    value: str
    rows: list[int] = field(default_factory=list)
    count: int = 0
    owners: set[tuple[str, ...]] = field(default_factory=set)
    # Where its records sit in time: the span of their instants, their periods (targets), and
    # whether any could not be placed (then the problem concerns every period).
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    periods: set[str] = field(default_factory=set)
    unplaced: bool = False

    def add(self, row: int, owners: tuple[str, ...], placed: dict[str, object]) -> None:
        self.count += 1
        if len(self.rows) < QUOTED_ROWS:
            self.rows.append(row)
        self.owners.add(owners)
        if "at" in placed:
            moment = placed["at"]
            self.first = moment if self.first is None else min(self.first, moment)
            self.last = moment if self.last is None else max(self.last, moment)
        elif "period" in placed:
            self.periods.add(placed["period"])
        elif not placed.get("undated"):
            self.unplaced = True

    def placed(self) -> dict[str, object]:
        """DataProblem's fields for the whole group."""
        if self.unplaced or len(self.periods) > 1 or (self.periods and self.first is not None):
            return {}
        if self.periods:
            return {"period": next(iter(self.periods))}
        if self.first is not None:
            return {"at": self.first, "until": self.last if self.last != self.first else None}
        return {"undated": True}


@dataclass
class PartConverter:
    """Converts the records of one file of a table. `offset` is added to the file's own row
    numbers (see data.provided.PART_STRIDE); `faults` and `uncovered` are the whole table's."""

    mapping: Mapping
    table: str
    part: TablePart
    columns: list[str]
    people: PeopleIndex | None
    plan_zone: str
    faults: RowFaults
    offset: int
    uncovered: dict[tuple[str, str], Uncovered]
    file: SourceFile
    chosen: dict[str, str | None] | None = None  # kpilang column → source column
    rejected_clients: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.spec = TABLES[self.table]
        self.owner = self.spec.owner_column
        self.zone = self.mapping.timezone

    def choose_columns(self, by_record: dict | None = None) -> dict[str, str | None]:
        """The source column of each rule: the first alternative the file has."""
        chosen: dict[str, str | None] = {}
        for name, rule in self.part.columns.items():
            if rule.column is None:
                chosen[name] = None
                continue
            if by_record is not None:
                chosen[name] = next((c for c in rule.column if has_key(by_record, c)), rule.column[0])
            else:
                chosen[name] = next((c for c in rule.column if c in self.file.columns), None)
                if chosen[name] is None and not rule.optional:
                    raise DataError([self.missing_column(name, rule)])
        if by_record is None:
            # A filter on a column the file lacks would leave every record out: refused instead.
            for column in [*self.part.where, *self.part.exclude]:
                if column not in self.file.columns:
                    raise DataError([self.missing_filter_column(column)])
        return chosen

    def missing_filter_column(self, column: str) -> DataProblem:
        return fatal_problem(
            "missing_column", self.spec.name, self.file.name,
            t("source.missing_filter_column.reason", source=column),
            t("source.missing_column.hint", columns=", ".join(self.file.columns[:40]) or "—"),
        )

    def missing_column(self, name: str, rule: ColumnRule) -> DataProblem:
        return fatal_problem(
            "missing_column", self.spec.name, self.file.name,
            t("source.missing_column.reason", column=name, source=" | ".join(rule.column or [])),
            t("source.missing_column.hint", columns=", ".join(self.file.columns[:40]) or "—"),
            column=name,
        )

    def owner_source(self) -> str | None:
        rule = self.part.columns.get(self.owner)
        return rule.column[0] if rule is not None and rule.column else None

    def kept(self, values: dict) -> bool:
        for column, allowed in self.part.where.items():
            if text_of(value_at(values, column)) not in allowed:
                return False
        for column, left_out in self.part.exclude.items():
            if text_of(value_at(values, column)) in left_out:
                return False
        return True

    def convert(self, row: int, values: dict) -> list[str | None] | None:
        """The record's cells in `columns` order, or None when it is rejected (a fault is added,
        placed in time where the record's own date could be read)."""
        if self.file.format == "jsonl":
            chosen = self.choose_columns(values)
        else:
            if self.chosen is None:
                self.chosen = self.choose_columns()
            chosen = self.chosen
        cells: dict[str, str | None] = {}
        owners: tuple[str, ...] = ()
        for name in sorted(self.part.columns, key=lambda name: name != self.owner):
            try:
                value = self._cell(name, values, chosen)
            except _Unmapped as missing:
                found = self.uncovered.setdefault((name, missing.text), Uncovered(name, missing.map, missing.text))
                found.add(self.offset + row, owners, self._placement(values, chosen))
            except _Ambiguous as person:
                self.faults.add(self.offset + row, person.resolved.code, person.text, column=name,
                                owners=tuple((c,) for c in person.resolved.candidates), records=1,
                                placed=self._placement(values, chosen),
                                candidates=", ".join(person.resolved.candidates), text=person.text)
            except NotConverted as failed:
                self.faults.add(self.offset + row, "source_value", failed.text, column=name, owners=(owners,),
                                placed=self._placement(values, chosen), source=chosen.get(name) or name,
                                expected=failed.expected)
            else:
                if name == self.owner and value:
                    owners = (value,)
                cells[name] = value
                continue
            self._note_rejected(values, chosen)
            return None
        return [cells.get(name) for name in self.columns]

    def _cell(self, name: str, values: dict, chosen: dict[str, str | None]) -> str | None:
        """One kpilang cell of a record: None when empty; raises _Unmapped, _Ambiguous or
        NotConverted (with the source text) when the rule cannot give it."""
        rule = self.part.columns[name]
        if rule.derive is not None:
            return None
        source = chosen[name]
        raw_value = rule.value if rule.value is not None else None if source is None else value_at(values, source)
        text = text_of(raw_value)
        if text is None or text == "":
            return None
        if rule.map is not None:
            table = self.mapping.maps[rule.map]
            value = table.get(text, table.get(MAP_DEFAULT))
            if value is None:
                raise _Unmapped(rule.map, text)
        elif rule.person is not None:
            resolved = self.people.resolve(text, rule.person) if self.people else None
            if resolved is not None and resolved.person is None and not resolved.unknown:
                raise _Ambiguous(text, resolved)
            value = text if resolved is None or resolved.person is None else resolved.person
        else:
            column = self.spec.column(name)
            try:
                value = converted(rule, raw_value, zone=self.zone,
                                  date_only=column is not None and column.kind is ColumnKind.DATE)
            except NotConverted as failed:
                failed.text = text
                raise
        return value if rule.prefix is None else rule.prefix + value

    def _placement(self, values: dict, chosen: dict[str, str | None]) -> dict[str, object]:
        """Where a rejected record sits in time (worked out only for a record that is rejected),
        as DataProblem's fields: the period of a targets row,
        the instant (naive UTC) of a dated row, `undated` when its optional date is empty; empty
        when that cannot be read (a problem then concerns every period)."""
        column = "period" if self.table == "targets" else DATE_COLUMNS.get(self.table)
        if column is None or column not in self.part.columns:
            return {}
        try:
            value = self._cell(column, values, chosen)
        except (_Unmapped, _Ambiguous, NotConverted):
            return {}
        if self.table == "targets":
            return {"period": value} if value else {}
        if value is None:
            return {"undated": True}
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return {}
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(self.plan_zone))
        return {"at": moment.astimezone(dt.timezone.utc).replace(tzinfo=None)}

    def _note_rejected(self, values: dict, chosen: dict) -> None:
        """A rejected deal's client, for the derivation of new clients."""
        source = chosen.get("client_id")
        if source is not None:
            client = text_of(value_at(values, source))
            if client:
                self.rejected_clients.add(client)
