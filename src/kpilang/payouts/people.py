"""The figures of an evaluation as the outputs for people hold them: one row per person, one
typed column per figure, and the rounding rule of shares.

The CSV (both dialects) and the XLSX are drawn from these rows; the JSON is not: it keeps every
digit. A figure that could not be computed is None (an empty cell), never a zero.

**Shares for people.** An attainment, a KPI's contribution and the KPI score are fractions of a
target (1.1500005 is 115.00005%). For people they are rounded half-up to `SHARE_PLACES`
decimals of the fraction, one decimal of the percent (1.150, 115.0%), exactly in Decimal; the
JSON keeps the exact value, which is the one pay is computed from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from kpilang.evaluate.numbers import digits_quantum, room_for, round_half_up
from kpilang.evaluate.run import EvalReport, PersonResult
from kpilang.explain.formatting import unit_kind
from kpilang.messages import DEFAULT_LANGUAGE, t

SHARE_PLACES = 3
"""Decimals of a share (attainment, contribution, KPI score) for people: 0.1 of a percent."""

Kind = Literal["text", "money", "count", "number", "duration", "share"]
"""What a column holds, which decides how a spreadsheet shows it: a figure's kind as statements
name it (`explain.formatting.unit_kind`), a share, or text."""

Cell = Decimal | str | None


def share(value: Decimal | None) -> Decimal | None:
    """An attainment, contribution or score rounded for people (1.1500005 → 1.150, half-up)."""
    if value is None:
        return None
    with room_for(value):
        return round_half_up(value, digits_quantum(SHARE_PLACES))


@dataclass(frozen=True)
class Column:
    key: str
    """The column's name for machines: `manager_id`, `calls`, `revenue_plan.attainment`, `bonus`."""
    header: str
    """Its name for people, in the reader's language, from the plan's labels where it has them."""
    kind: Kind


@dataclass(frozen=True)
class PeopleSheet:
    """The people of a report as a table of typed cells."""

    columns: list[Column]
    rows: list[list[Cell]]

    def without(self, *keys: str) -> PeopleSheet:
        """The same sheet without the columns named `keys`."""
        kept = [i for i, c in enumerate(self.columns) if c.key not in keys]
        return PeopleSheet([self.columns[i] for i in kept], [[row[i] for i in kept] for row in self.rows])


_KPI_PARTS = ("value", "target", "attainment", "contribution")


def people_sheet(report: EvalReport, lang: str = DEFAULT_LANGUAGE) -> PeopleSheet:
    """Id, name, role, team, each metric, each KPI's value, target, attainment and contribution,
    the score, each pay, the status and the errors' messages (in `lang`)."""
    program = report.program

    def named(name: str) -> str:
        return program.label(name) or name

    columns = [Column("manager_id", t("payouts.column.id").render(lang), "text"),
               Column("name", t("payouts.column.name").render(lang), "text"),
               Column("role", t("payouts.column.role").render(lang), "text"),
               Column("team", t("payouts.column.team").render(lang), "text")]
    columns += [Column(name, named(name), _kind(m.unit)) for name, m in program.metrics.items()]
    for name, kpi in program.kpis.items():
        kinds: dict[str, Kind] = {"value": _kind(kpi.unit), "target": _kind(kpi.unit),
                                  "attainment": "share", "contribution": "share"}
        columns += [Column(f"{name}.{part}", t(f"payouts.column.kpi-{part}", kpi=named(name)).render(lang), kinds[part])
                    for part in _KPI_PARTS]
    columns.append(Column("kpi_score", t("payouts.column.score").render(lang), "share"))
    columns += [Column(name, named(name), "money") for name in program.pays]
    columns += [Column("status", t("payouts.column.status").render(lang), "text"),
                Column("errors", t("payouts.column.errors").render(lang), "text")]
    return PeopleSheet(columns, [_row(report, person, lang) for person in report.results])


def _kind(unit) -> Kind:
    kind = unit_kind(unit)
    assert kind in ("money", "count", "number", "duration"), kind
    return kind  # type: ignore[return-value]


def _row(report: EvalReport, person: PersonResult, lang: str) -> list[Cell]:
    program = report.program
    outcome = person.outcome
    row: list[Cell] = [person.manager_id, person.name, person.role, person.team]
    row += [person.metrics.get(name) for name in program.metrics]
    for name in program.kpis:
        f = outcome.kpis.get(name) if outcome is not None else None
        row += [f.value, f.target, share(f.attainment), share(f.contribution)] if f else [None] * len(_KPI_PARTS)
    row.append(share(outcome.kpi_score) if outcome is not None else None)
    for name in program.pays:
        f = outcome.pays.get(name) if outcome is not None else None
        row.append(f.value if f else None)
    row += [status(person, lang), "; ".join(e.message.render(lang) for e in person.errors) or None]
    return row


def status(person: PersonResult, lang: str = DEFAULT_LANGUAGE) -> str:
    """`ok`, `1 error`, `3 errors` in `lang`."""
    errors = len(person.errors)
    if person.ok:
        return t("run.ok").render(lang)
    return t("run.error-one" if errors == 1 else "run.error-many", count=errors).render(lang)
