"""A source mapping applied to tables in a database (`--source FILE --data postgresql://…`).

A CRM's table copied into a database keeps the CRM's column names (ASSIGNED_BY_ID, OPPORTUNITY):
the mapping that reads the CRM's files says which is which, and the engine reads the table
through a SELECT that renames them (warehouse.relations). What the engine does exactly is done
there: a column under another name (the first of its alternatives the table has), a constant
text, a prefix before an id, the zone of local times. A typed column is taken as stored, as a
typed Excel cell is, whatever text format its rule names (`number`, `date`, `duration = "seconds"`);
a column of text where a number or a time is expected is refused by the type check.

What would need kpilang's own reading of each value is refused, naming the mapping's key: value
maps (a value no map covers must be reported), people found by another column than their id, and
aliases (a text naming several people or nearly somebody must be an error for them), yes/no texts
and clock durations (a text that is neither must reject its row), derived columns, tables built
from several parts or filtered by where/exclude (the rows left out must be counted). A view that
does it in SQL, named in the URL, is the way for these (docs/warehouse.md).
"""

from __future__ import annotations

from kpilang.data.problems import DataError, DataProblem
from kpilang.data.schema import TABLES, ColumnKind
from kpilang.messages import t
from kpilang.warehouse.relations import MappedColumn

from .mapping import ColumnRule, Mapping

def map_columns(mapping: Mapping, table: str, relation: str, present: dict[str, str]) -> dict[str, MappedColumn]:
    """kpilang column → where it comes from in `relation` (whose columns are `present`). Raises
    DataError naming each key of the mapping that cannot be applied in the engine."""
    parts = mapping.parts(table)
    at = f"tables.{table}"
    refused: list[DataProblem] = []
    if len(parts) > 1:
        raise DataError([_refusal(mapping, at, "parts", table)])
    part = parts[0]
    for key in ("where", "exclude"):
        if getattr(part, key):
            refused.append(_refusal(mapping, f"{at}.{key}", "where", table))
    found: dict[str, MappedColumn] = {}
    for name, rule in part.columns.items():
        key = f"{at}.columns.{name}"
        what = _not_in_engine(mapping, table, name, rule)
        if what is not None:
            refused.append(_refusal(mapping, f"{key}.{what}" if what != "aliases" else "aliases", what, table))
            continue
        if rule.value is not None:
            found[name] = MappedColumn(constant=rule.value)
            continue
        source = next((c for c in rule.column or [] if c in present), None)
        if source is None:
            if not rule.optional:
                refused.append(DataProblem(
                    table=table, file=relation, row=None, column=name, value=None, code="missing_column",
                    reason=t("source.in-database.missing-column", column=name, source=" | ".join(rule.column or []),
                             relation=relation),
                    hint=t("source.in-database.missing-column-hint", relation=relation,
                           columns=", ".join(list(present)[:40]) or "—"), fatal=True))
            continue
        zone = (rule.timezone or mapping.timezone) if rule.date is not None else None
        found[name] = MappedColumn(source=source, prefix=rule.prefix, timezone=zone)
    if refused:
        raise DataError(refused)
    return found


def _not_in_engine(mapping: Mapping, table: str, name: str, rule: ColumnRule) -> str | None:
    """The key of `rule` that cannot be applied in the engine exactly, or None."""
    if rule.derive is not None:
        return "derive"
    if rule.map is not None:
        return "map"
    if rule.person is not None and rule.person != "id":
        return "person"
    if rule.person is not None and mapping.aliases:
        return "aliases"
    if rule.boolean is not None:
        return "boolean"
    if rule.duration == "hms":
        return "duration"
    column = TABLES[table].column(name)
    if rule.value is not None and column is not None and column.kind is not ColumnKind.STRING:
        return "value"
    return None


def _refusal(mapping: Mapping, key: str, what: str, table: str) -> DataProblem:
    return DataProblem(
        table=table, file=mapping.origin, row=None, column=key, value=None, code="mapping",
        reason=t("source.in-database.reason", key=key, what=t(f"source.in-database.{what}")),
        hint=t("source.in-database.hint", table=table), fatal=True)
