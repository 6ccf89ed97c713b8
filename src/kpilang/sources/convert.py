"""A mapped table: a CRM's files turned into the raw table kpilang's data checks read.

Each record of each file is converted cell by cell with its column rules (transforms.py, the
mapping's maps, people.py), then staged as text like any reader's output, numbered by its own
row in its own file. A record the rules cannot convert is rejected and attributed to its owner;
values no map covers are reported once per distinct value. Records that `where`/`exclude` leave
out are counted, never dropped silently. What comes out goes through exactly the checks that
kpilang's own files go through.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from kpilang.data.problems import DataError, DataProblem
from kpilang.data.provided import PART_STRIDE, ProvidedTable
from kpilang.data.readers.base import RawTable, RowFaults, fatal_problem
from kpilang.data.schema import DATE_COLUMNS, TABLES, ColumnKind
from kpilang.data.sql import cell, literal
from kpilang.data.staging import StagingFile, create_from_numbered_csv
from kpilang.messages import t

from .mapping import ColumnRule, Mapping, TablePart
from .people import PeopleIndex, Resolved
from .records import (
    SourceFile, SourceFileError, Unreadable, has_key, path_head, read_records, text_of, value_at,
)
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


def find_part_file(folder: Path, part: TablePart, table: str) -> tuple[Path, str]:
    """The one file of a part present in the data folder."""
    present = [name for name in part.files if (folder / name).is_file()]
    if len(present) == 1:
        return folder / present[0], present[0]
    if not present:
        raise DataError([fatal_problem(
            "missing_table", table, str(folder),
            t("source.missing_file.reason", table=table, files=", ".join(part.files), folder=str(folder)),
            t("source.missing_file.hint"),
        )])
    raise DataError([fatal_problem(
        "ambiguous_table", table, str(folder),
        t("source.two_files.reason", table=table, files=", ".join(present)), t("source.two_files.hint"),
    )])


@dataclass
class _PartConverter:
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


def convert_table(
    con: duckdb.DuckDBPyConnection, mapping: Mapping, table: str, folder: Path, cap: int,
    people: PeopleIndex | None, plan_zone: str,
) -> ProvidedTable:
    """The table `table` of the mapping, read and converted from its files in `folder`. Raises
    DataError when a file is missing or unusable."""
    parts = mapping.parts(table)
    spec = TABLES[table]
    columns = list(dict.fromkeys(name for part in parts for name in part.columns))
    faults = RowFaults(cap)
    uncovered: dict[tuple[str, str], Uncovered] = {}
    accounts: dict[Path, _FileAccount] = {}
    files: list[str] = []
    converters: list[_PartConverter] = []
    located = [find_part_file(folder, part, table) for part in parts]
    with StagingFile() as staging:
        for index, (part, (path, name)) in enumerate(zip(parts, located)):
            offset = index * PART_STRIDE if len(parts) > 1 else 0
            file = SourceFile(table, path, str(path), part.file_format(name), part.encoding, part.delimiter, part.sheet)
            converter = _PartConverter(mapping, table, part, columns, people, plan_zone, faults, offset, uncovered,
                                       file)
            _read_part(converter, accounts.setdefault(path, _FileAccount()), staging)
            files.append(file.name)
            converters.append(converter)
        for found in uncovered.values():
            faults.add(found.rows[0], "unmapped_value", found.value, column=found.column,
                       owners=tuple(sorted(found.owners)), records=found.count, placed=found.placed(),
                       map=found.map, count=found.count, rows=_rows_text(found), text=found.value,
                       allowed=_allowed(spec.column(found.column)))
        staged = staging.finish()
        relation = create_from_numbered_csv(con, table, staged, len(columns))
    raw = RawTable(table=table, file=" + ".join(dict.fromkeys(files)), format="+".join(
        dict.fromkeys(parts[i].file_format(files[i]) for i in range(len(parts)))), columns=columns,
        relation=relation, faults=faults)
    if any(rule.derive == "first_won_deal" for part in parts for rule in part.columns.values()):
        rejected_clients = set().union(*(c.rejected_clients for c in converters))
        unreadable = any(account.faulted for account in accounts.values())
        _derive_new_clients(con, raw, faults, rejected_clients, unreadable)
    problems = _people_without_key(mapping, table, parts, people, files)
    paths = [path for path, _ in located]
    excluded = {str(path): len(account.left_out - account.taken) for path, account in accounts.items()}
    owner_rule = next((part.columns.get(spec.owner_column) for part in parts), None)
    hints = {}
    if owner_rule is not None and owner_rule.person not in (None, "id"):
        hints["unknown_manager"] = lambda problem: t("source.unknown_person.hint", value=problem.value)
    return ProvidedTable(raw, files, paths, excluded, problems, hints)


@dataclass
class _FileAccount:
    """The records of one file over every part that reads it: a record is left out only when no
    part takes it, and an unreadable one is rejected once."""

    taken: set[int] = field(default_factory=set)
    left_out: set[int] = field(default_factory=set)
    faulted: set[int] = field(default_factory=set)


def _read_part(converter: _PartConverter, account: _FileAccount, staging: StagingFile) -> None:
    """Convert and stage the records of one part's file."""
    file, part, faults, offset = converter.file, converter.part, converter.faults, converter.offset
    seen_records = 0
    try:
        for record in read_records(file, converter.owner_source()):
            if isinstance(record, Unreadable):
                if record.row not in account.faulted:
                    account.faulted.add(record.row)
                    faults.add(offset + record.row, record.code, record.value, owners=(record.owners,),
                               end_row=offset + record.end_row if record.end_row else None, **dict(record.facts))
                continue
            row, values = record
            seen_records += 1
            if file.format != "jsonl" and converter.chosen is None:
                converter.chosen = converter.choose_columns()
            if not converter.kept(values):
                account.left_out.add(row)
                continue
            account.taken.add(row)
            cells = converter.convert(row, values)
            if cells is not None:
                staging.write(offset + row, cells)
    except SourceFileError as error:
        raise DataError([error.problem]) from None
    if file.format != "jsonl" and converter.chosen is None:
        converter.choose_columns()  # a file of a header alone still needs its columns
    if file.format == "jsonl" and seen_records:
        def seen(key: str) -> bool:
            return key in file.columns or path_head(key) in file.columns

        for column, rule in part.columns.items():
            if rule.column and not rule.optional and not any(seen(c) for c in rule.column):
                raise DataError([converter.missing_column(column, rule)])
        for column in [*part.where, *part.exclude]:
            if not seen(column):
                raise DataError([converter.missing_filter_column(column)])


def _allowed(column) -> object:
    if column is not None and column.allowed:
        return t("source.allowed.list", values=" | ".join(column.allowed))
    return t("source.allowed.any")


def _rows_text(found: Uncovered) -> str:
    shown = ", ".join(str(row % PART_STRIDE) for row in found.rows)
    return shown + (", …" if found.count > len(found.rows) else "")


def _people_without_key(mapping: Mapping, table: str, parts: list[TablePart], people: PeopleIndex | None,
                        files: list[str]) -> list[DataProblem]:
    """A person whose key column (e.g. crm_id) is empty, in a table whose people are found by it:
    their rows cannot be found, so their figures cannot be computed."""
    if people is None:
        return []
    owner = TABLES[table].owner_column
    keys = {part.columns[owner].person for part in parts if owner in part.columns}
    problems = []
    for key in sorted(k for k in keys if k not in (None, "id", "name")):
        if key not in people.columns:
            raise DataError([fatal_problem(
                "missing_column", "managers", "managers", t("source.no_person_column.reason", key=key, table=table),
                t("source.no_person_column.hint", key=key), column=key,
            )])
        for person in people.without(key):
            problems.append(DataProblem(
                table=table, file=" + ".join(files), row=None, column=owner, value=None, code="no_person_key",
                reason=t("source.no_person_key.reason", person=person, key=key, table=table),
                hint=t("source.no_person_key.hint", key=key), fatal=False, manager_ids=[person],
            ))
    return problems


def _derive_new_clients(con: duckdb.DuckDBPyConnection, raw: RawTable, faults: RowFaults,
                        rejected_clients: set[str], unreadable: bool) -> None:
    """deals.is_new_client from the data (docs/crm/mapping.md): a won deal is a new client's when
    it is its client's first won deal, by closed_at then id. A won deal whose client cannot be
    told, or whose client has a deal that was rejected or could not be read, is rejected: which
    deal came first cannot be known."""
    position = {name: cell(i) for i, name in enumerate(raw.columns)}
    client, stage, closed, ident, flag, owner = (position.get(c, "NULL") for c in (
        "client_id", "stage", "closed_at", "id", "is_new_client", "manager_id"))
    relation = raw.relation
    unsure_clients = sorted(rejected_clients)
    doubtful = con.execute(
        f"SELECT _row, {owner}, {client} FROM {relation} WHERE {stage} = 'won' AND ("
        f"{client} IS NULL OR {'true' if unreadable else 'false'} OR {client} IN (SELECT unnest($clients)) "
        f"OR {client} IN (SELECT {client} FROM {relation} WHERE {stage} = 'won' AND TRY_CAST({closed} AS TIMESTAMPTZ) IS NULL))",
        {"clients": unsure_clients},
    ).fetchall()
    for row, person, client_text in doubtful:
        faults.add(row, "new_client_unknown", client_text, column="is_new_client",
                   owners=((person,) if person else (),),
                   why=t("source.new-client.no-client" if client_text is None else "source.new-client.doubtful"))
    if doubtful:
        con.execute(f"DELETE FROM {relation} WHERE _row IN (SELECT unnest($rows))",
                    {"rows": [row for row, _, _ in doubtful]})
    con.execute(
        f"UPDATE {relation} SET {flag} = 'true' FROM (SELECT _row FROM (SELECT _row, row_number() OVER ("
        f"PARTITION BY {client} ORDER BY TRY_CAST({closed} AS TIMESTAMPTZ), {ident}, _row) AS n FROM {relation} "
        f"WHERE {stage} = 'won') WHERE n = 1) AS first_won WHERE first_won._row = {relation}._row"
    )
    con.execute(
        f"UPDATE {relation} SET {flag} = 'false' WHERE {stage} = 'won' AND {flag} IS NULL"
    )
