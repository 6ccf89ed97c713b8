"""The numbers put into a formula for one person: the text of every name it reads (a metric, a
KPI's attainment, a pay, a target, a column of managers, an earlier period's figure), each
formatted the way that figure is shown everywhere else in the statement."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kpilang.compile.program import Program
from kpilang.evaluate.results import PersonOutcome
from kpilang.evaluate.run import PersonResult
from kpilang.evaluate.tracing import figure_of
from kpilang.explain.catalog import Messages
from kpilang.explain.formatting import LocaleFormat
from kpilang.explain.kinds import FigureKinds


class Leaves:
    """The text of every name a formula reads, for one person: formatted on first use, then kept."""

    __slots__ = ("program", "t", "fmt", "kinds", "person", "outcome", "known")

    def __init__(self, program: Program, t: Messages, fmt: LocaleFormat, kinds: FigureKinds, person: PersonResult,
                 outcome: PersonOutcome):
        self.program = program
        self.t = t
        self.fmt = fmt
        self.kinds = kinds
        self.person = person
        self.outcome = outcome
        self.known: dict[str, str] = {}

    def texts(self, keys: tuple[str, ...]) -> list[str]:
        known = self.known
        return [known[k] if k in known else self._text(k) for k in keys]

    def _text(self, key: str) -> str:
        t = self.t
        value = self._value(key)
        if value is None:
            text = t.no_value
        elif isinstance(value, Decimal):
            text = self.fmt.figure(value, self.kinds.leaf(key))
        elif isinstance(value, bool):  # a yes/no column of managers
            text = t.yes if value else t.no
        elif isinstance(value, date):  # a date column of managers (a date-time shows its day)
            text = self.fmt.date(value.date() if isinstance(value, datetime) else value)
        else:
            text = t.f("quoted", text=str(value))
        self.known[key] = text
        return text

    def _value(self, key: str) -> Any:
        # A statement's formulas have an outcome only where the evaluation built the person's
        # inputs (evaluate/run.py), so the names are read as the trace reads them.
        return figure_of(self.program, self.person.inputs, self.outcome, key)
