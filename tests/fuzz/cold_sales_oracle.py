"""An independent oracle of the normative example: the cold_sales plan for July 2026, written out
by hand in plain Python from the data format and language references, sharing no code with
kpilang.

The oracle reads values by the documented rules (docs/data-format.md), decides which rows are
rejected (an unreadable value, an empty required cell, a repeated id or target key, an unknown
manager_id), and computes each person's pays as the plan says. For every manager it gives what
the evaluator may answer:

- `Pays(figures)`: the person is `ok` with exactly these figures, or has an error;
- `MUST_ERROR`: a row that may be theirs was rejected (or a figure has no value): an error;
- `SKIPPED`: the plan does not evaluate them (role, hiring date): skipped, or an error;
- `UNSURE`: the references do not settle what this data means; no claim is made.

Where the references leave a value's reading open, the parsers raise `Unsure` rather than guess,
so that the fuzzers built on this oracle only ever flag what the references settle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from typing import Any
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")
PERIOD = "2026-07"
PERIOD_START = datetime(2026, 7, 1, tzinfo=MOSCOW)
PERIOD_END = datetime(2026, 8, 1, tzinfo=MOSCOW)
ROLE = "cold"

COLUMNS = {
    "managers": ["id", "name", "role", "team", "salary", "hired_at"],
    "activities": ["id", "manager_id", "type", "started_at", "duration", "status"],
    "leads": ["id", "manager_id", "created_at", "first_response_at", "source", "status"],
    "deals": ["id", "manager_id", "client_id", "created_at", "closed_at", "stage", "amount", "is_new_client"],
    "targets": ["manager_id", "period", "name", "value"],
}
DATE_COLUMN = {"activities": "started_at", "leads": "created_at", "deals": "closed_at"}

# What the plan reads of each column, and how the value is read. Columns not listed here (deals'
# client_id and created_at, leads' first_response_at, source and status) change nobody's pay: the
# oracle does not read them, so it accepts either answer the evaluator may give for them.
KINDS = {
    "managers": {"id": "required_text", "name": "required_text", "role": "required_text",
                 "team": "required_text", "salary": "money_required"},
    "activities": {"id": "required_text", "manager_id": "required_text", "type": "required_text",
                   "started_at": "datetime_required", "duration": "duration", "status": "text"},
    "leads": {"id": "required_text", "manager_id": "required_text", "created_at": "datetime_required"},
    "deals": {"id": "required_text", "manager_id": "required_text", "closed_at": "datetime",
              "stage": "stage", "amount": "money", "is_new_client": "boolean"},
    "targets": {"manager_id": "required_text", "period": "period", "name": "required_text",
                "value": "number_required"},
}


class Bad(Exception):
    """The references say this value is rejected."""


class Unsure(Exception):
    """The references do not settle how this value is read."""


# ---- values -------------------------------------------------------------------------------------

_DECIMAL = re.compile(r"([0-9]+)(?:\.([0-9]+))?")
_SIGNED = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")
_DATETIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?")


def _decimal(text: str, pattern: re.Pattern) -> Decimal:
    match = pattern.fullmatch(text)
    if match is None:
        raise Bad(text)
    whole, fraction = match.group(1), match.group(2) or ""
    if len(fraction) > 18 or len(whole.lstrip("0")) + 18 > 38:
        raise Unsure(text)  # the column's scale decides; the oracle does not model it
    return Decimal(text)


def money(text: str) -> Decimal | None:
    if text == "":
        return None
    if text.startswith("-"):
        raise Unsure(text) if text.strip("-0.") == "" else Bad(text)  # is -0 negative?
    return _decimal(text, _DECIMAL)


def number(text: str) -> Decimal | None:
    return None if text == "" else _decimal(text, _SIGNED)


def duration(text: str) -> int | None:
    if text == "":
        return None
    if text.startswith("-") and text.strip("-0.") == "":
        raise Unsure(text)
    value = _decimal(text, _DECIMAL)
    if value != value.to_integral_value():
        raise Bad(text)
    if value >= 2**63:
        raise Unsure(text)
    return int(value)


def boolean(text: str) -> bool | None:
    if text == "":
        return None
    lowered = text.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise Bad(text)


def moment(text: str) -> datetime | None:
    """A date-time as an aware instant; local times are in Moscow (no clock change since 2014)."""
    if text == "":
        return None
    match = _DATETIME.fullmatch(text)
    if match is None:
        raise Bad(text)
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    if fraction is not None and len(fraction) > 6:
        raise Bad(text)
    if year == "0000":
        raise Unsure(text)
    if second == "60":
        raise Unsure(text)  # a leap second
    try:
        local = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                         int((fraction or "0").ljust(6, "0")))
    except ValueError as err:
        raise Bad(text) from err
    if offset is None:
        if local.year < 1920:
            raise Unsure(text)  # local mean time: the offset's seconds are not worth modelling
        return local.replace(tzinfo=MOSCOW, fold=1)
    if offset == "Z":
        return local.replace(tzinfo=timezone.utc)
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes >= 60 or (hours == 14 and minutes > 0):
        raise Bad(text)  # an offset no place on Earth has
    sign = -1 if offset[0] == "-" else 1
    try:
        return local.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
    except (ValueError, OverflowError) as err:
        raise Unsure(text) from err


def period_label(text: str) -> str:
    if text == "":
        raise Bad(text)
    if re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", text) or re.fullmatch(r"[0-9]{4}-Q[1-4]", text):
        if text.startswith("0000"):
            raise Unsure(text)
        return text
    week = re.fullmatch(r"([0-9]{4})-W([0-9]{2})", text)
    if week:
        year, number_ = int(week.group(1)), int(week.group(2))
        if year == 0:
            raise Unsure(text)
        weeks = date(year, 12, 28).isocalendar()[1]
        if 1 <= number_ <= weeks:
            return text
    raise Bad(text)


def read_value(kind: str, text: str) -> Any:
    if kind == "required_text":
        if text == "":
            raise Bad(text)
        return text
    if kind == "text":
        return None if text == "" else text
    if kind == "stage":
        if text not in ("open", "won", "lost"):
            raise Bad(text)
        return text
    if kind == "period":
        return period_label(text)
    required = kind.endswith("_required")
    base = kind.removesuffix("_required")
    value = {"money": money, "number": number, "duration": duration, "boolean": boolean,
             "datetime": moment}[base](text)
    if value is None and required:
        raise Bad(text)
    return value


# ---- rows ---------------------------------------------------------------------------------------

@dataclass
class Row:
    """One record of a table as the oracle reads it."""

    table: str
    cells: dict[str, str] | None
    """The record's text by column; None when its values cannot be told apart."""
    values: dict[str, Any] = field(default_factory=dict)
    bad: bool = False
    unsure: bool = False
    owner_hint: str | None = None
    """Whose row it was before it was damaged (for a row that names nobody readable)."""
    uncertain_owner: bool = False
    """The damaged row's raw text names another known person, whom a reader may take it for."""

    @property
    def manager_id(self) -> str | None:
        if self.cells is None:
            return None
        return self.cells.get("id" if self.table == "managers" else "manager_id") or None


def read_row(table: str, cells: dict[str, str] | None, owner_hint: str | None = None) -> Row:
    row = Row(table, cells, owner_hint=owner_hint)
    if cells is None:
        row.bad = True
        return row
    for column, kind in KINDS[table].items():
        try:
            row.values[column] = read_value(kind, cells.get(column, ""))
        except Bad:
            row.bad = True
        except Unsure:
            row.unsure = True
    return row


def _in_period(at: datetime | None) -> bool:
    return at is not None and PERIOD_START <= at < PERIOD_END


def concerns_period(row: Row) -> bool:
    """Whether a rejected row may change July's figures (its own period, when that was read)."""
    if row.cells is None or row.table == "managers":
        return True
    if row.table == "targets":
        try:
            return period_label(row.cells.get("period", "")) == PERIOD
        except (Bad, Unsure):
            return True
    try:
        at = moment(row.cells.get(DATE_COLUMN[row.table], ""))
    except (Bad, Unsure):
        return True
    if at is None:
        return row.table != "deals"  # an open deal without closed_at is in no period
    return _in_period(at)


# ---- the plan -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pays:
    metrics: dict[str, Decimal]
    pays: dict[str, Decimal]


MUST_ERROR = "must_error"
SKIPPED = "skipped"
UNSURE = "unsure"
_RANK = {MUST_ERROR: 1, SKIPPED: 2, UNSURE: 3}


def _rank(what: Any) -> int:
    return 0 if isinstance(what, Pays) else _RANK[what]

MULTIPLIER = [(Decimal("0.7"), Decimal(0)), (Decimal("0.9"), Decimal("0.5")), (Decimal(1), Decimal(1)),
              (Decimal("1.2"), Decimal("1.2"))]


def _clamp(value: Decimal, cap: Decimal) -> Decimal:
    return min(max(value, Decimal(0)), cap)


def _kopecks(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def person_pays(salary: Decimal, target: Decimal, acts: list[Row], leads: list[Row], deals: list[Row]) -> Pays | str:
    calls = sum(1 for a in acts if a.values["type"] == "call" and a.values["duration"] is not None
                and a.values["duration"] >= 60)
    meetings = sum(1 for a in acts if a.values["type"] == "meeting" and a.values["status"] == "done")
    won = [d for d in deals if d.values["stage"] == "won"]
    revenue = sum((d.values["amount"] for d in won if d.values["amount"] is not None), Decimal(0))
    new_clients = sum(1 for d in won if d.values["is_new_client"] is True)
    metrics = {"calls": Decimal(calls), "meetings": Decimal(meetings), "deals_won": Decimal(len(won)),
               "revenue": revenue, "new_clients": Decimal(new_clients), "leads_in": Decimal(len(leads))}
    if target == 0:
        return MUST_ERROR  # revenue / target has no value
    with localcontext() as ctx:
        ctx.prec = 60
        cap = Decimal("1.5")
        rate = Decimal(meetings) / Decimal(calls) if calls else Decimal(0)
        score = (Decimal("0.5") * _clamp(revenue / target, cap) + Decimal("0.2") * _clamp(rate / Decimal("0.08"), cap)
                 + Decimal("0.3") * _clamp(Decimal(new_clients) / 4, cap))
        ctx.prec = 34
        ctx.rounding = ROUND_HALF_EVEN
        score = +score
        ctx.prec = 60
        multiplier = next((m for edge, m in MULTIPLIER if score < edge), Decimal("1.5"))
        bonus = _kopecks(min(salary * multiplier, 2 * salary))
        commission = _kopecks(Decimal("0.02") * revenue)
        total = _kopecks(salary + bonus + commission)
    return Pays(metrics, {"bonus": bonus, "commission": commission, "total": total})


def _hired_after_july(managers: list[Row]) -> dict[str, bool | None]:
    """manager id → whether `hired_at` (an extra column, typed by all of its values) skips them."""
    texts = [(m.cells.get("id", ""), m.cells.get("hired_at", "")) for m in managers if m.cells is not None]
    days: dict[str, date] = {}
    for mid, text in texts:
        if text == "":
            continue
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            try:
                moment(text)
            except (Bad, Unsure):
                return {mid: False for mid, _ in texts}  # a text or number column: it skips nobody
            # A date-time: whether the column is then one of date-times is the extra-column rule's call.
            return {mid: None for mid, _ in texts}
        try:
            days[mid] = date.fromisoformat(text)
        except ValueError:
            return {mid: False for mid, _ in texts}
    return {mid: days.get(mid, date.min) >= date(2026, 8, 1) for mid, _ in texts}


def expectations(tables: dict[str, list[Row]]) -> dict[str, Any]:
    """manager id → Pays | MUST_ERROR | SKIPPED | UNSURE, for every id the data names."""
    out: dict[str, Any] = {}

    def demand(mid: str | None, what: Any) -> None:
        """Record what `mid` may get; the weakest claim wins (a skipped person may keep an error
        for a rejected row, and where the references are silent nothing is claimed)."""
        if mid is None:
            return
        if mid not in out or _rank(what) > _rank(out[mid]):
            out[mid] = what

    rejected: list[Row] = []
    unsure: list[Row] = []

    def sort_rows(table: str, key) -> list[Row]:
        """The table's rows that pass every check, in order; the others go to `rejected`/`unsure`."""
        seen: dict[Any, Row] = {}
        clean = []
        for row in tables[table]:
            if row.cells is None or row.bad:
                rejected.append(row)
                continue
            try:
                k = key(row)
            except KeyError:  # a key cell the references leave open
                unsure.append(row)
                continue
            if k in seen:
                if seen[k].unsure or row.unsure:
                    unsure.extend([seen[k], row])
                else:
                    rejected.append(row)
                continue
            seen[k] = row
            if row.unsure:
                unsure.append(row)
                continue
            clean.append(row)
        return clean

    managers = sort_rows("managers", lambda r: r.values["id"])
    known = {m.values["id"] for m in managers}
    hired_later = _hired_after_july(tables["managers"])
    by_owner: dict[str, dict[str, list[Row]]] = {mid: {"activities": [], "leads": [], "deals": []} for mid in known}
    for table in ("activities", "leads", "deals"):
        for row in sort_rows(table, lambda r: r.values["id"]):
            if row.values["manager_id"] not in known:
                rejected.append(row)
            elif table == "deals" and row.values["closed_at"] is None:
                continue
            elif _in_period(row.values[DATE_COLUMN[table]]):
                by_owner[row.values["manager_id"]][table].append(row)
    targets: dict[str, Decimal] = {}
    for row in sort_rows("targets", lambda r: (r.values["manager_id"], r.values["period"], r.values["name"])):
        if row.values["manager_id"] not in known:
            rejected.append(row)
        elif row.values["period"] == PERIOD and row.values["name"] == "revenue":
            targets[row.values["manager_id"]] = row.values["value"]

    for manager in managers:
        mid = manager.values["id"]
        if manager.values["role"] != ROLE:
            demand(mid, SKIPPED)
        elif hired_later.get(mid) is None:
            demand(mid, UNSURE)
        elif hired_later[mid]:
            demand(mid, SKIPPED)
        elif mid not in targets:
            demand(mid, MUST_ERROR)
        else:
            data = by_owner[mid]
            demand(mid, person_pays(manager.values["salary"], targets[mid], data["activities"], data["leads"],
                                    data["deals"]))
    for row in rejected:
        if concerns_period(row):
            demand(row.manager_id, MUST_ERROR)
            demand(row.owner_hint, UNSURE if row.uncertain_owner else MUST_ERROR)
    for row in unsure:
        demand(row.manager_id, UNSURE)
        demand(row.owner_hint, UNSURE)
    # Claims are made about people only: the managers the data lists, read or rejected.
    people = {m.values["id"] for m in managers}
    people |= {r.manager_id for r in rejected + unsure if r.table == "managers"}
    people |= {r.owner_hint for r in rejected + unsure if r.table == "managers"}
    return {mid: what for mid, what in out.items() if mid in people}
