"""The formula stage: from one person's metric values to KPIs, score, table look-ups and pays.

`FormulaEngine(program)` compiles the whole plan once into one Python function over `Decimal`
(see `plan_code`); `evaluate(inputs)` runs it for one person in the stage's own decimal context
and returns a `PersonOutcome`: every figure exact, every figure that could not be computed an
`EvalError` in plain words (never a quiet zero, and the figures that do not depend on it are still
computed), and, with `trace=True`, the steps a statement needs to explain every number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, field_validator

from kpilang.compile.program import Program
from kpilang.evaluate.eval_errors import ErrorExplainer
from kpilang.evaluate.formula_text import SourceText
from kpilang.evaluate.numbers import decimal_context
from kpilang.evaluate.plan_code import ExpressionCode, PlanCode
from kpilang.evaluate.results import PersonOutcome, trusted_builder
from kpilang.evaluate.tracing import TraceBuilder
from kpilang.syntax import ast

__all__ = ["FormulaEngine", "PersonInputs", "evaluate_person"]


class PersonInputs(BaseModel):
    """What the formulas of one person read, besides each other.

    `metrics`: metric name → value; `None` is *no value* (avg/min/max/median/share over no rows),
    a name absent from the dict was not computed at all. `salary` and `managers` come from the
    person's row in `managers`; `targets` from `targets` for the evaluated period.
    """

    model_config = ConfigDict(frozen=True)

    metrics: dict[str, Decimal | None]
    salary: Decimal | None = None
    targets: dict[str, Decimal] = {}
    managers: dict[str, Any] = {}
    role: str | None = None
    person: str | None = None
    """The person's id (managers.id), for messages."""
    period: str | None = None
    """The evaluated period (`2026-07`), for messages about missing targets."""
    history: dict[str, Decimal | None] = {}
    """Look-backs by their key (`previous(revenue, 1)`): the earlier periods' figures the
    formulas read (see `kpilang.evaluate.history`)."""

    @field_validator("managers")
    @classmethod
    def _whole_numbers_as_decimals(cls, columns: dict[str, Any]) -> dict[str, Any]:
        """A whole-number column comes out of the data as a Python int; the formulas take it as a
        Decimal, so that `managers.a / managers.b` is an exact quotient, never a binary float."""
        return {name: Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v
                for name, v in columns.items()}

    @classmethod
    def of_person(cls, *, metrics: dict[str, Decimal | None], salary: Any, targets: dict[str, Decimal],
                  managers: dict[str, Any], role: str | None, person: str | None, period: str | None,
                  history: dict[str, Decimal | None]) -> PersonInputs:
        """The same model as `PersonInputs(...)` of these fields, built without validation when
        validation would change nothing: every figure already a finite Decimal (or None where the
        field allows it), every text a str. Anything else (an int salary, a float, NaN) goes
        through validation as before. Evaluation builds one per person; validating figures the
        data's checks and the aggregates already made exact costs more than the formulas."""
        managers = cls._whole_numbers_as_decimals(managers)
        if not (_finite_or_none(salary) and all(map(_finite_or_none, metrics.values()))
                and all(map(_finite_or_none, history.values())) and all(map(_finite, targets.values()))
                and _text_or_none(role) and _text_or_none(person) and _text_or_none(period)):
            return cls(metrics=metrics, salary=salary, targets=targets, managers=managers, role=role,
                       person=person, period=period, history=history)
        # Validation copies each dict; so does this, so that the caller's dicts stay its own.
        return _trusted_inputs({"metrics": dict(metrics), "salary": salary, "targets": dict(targets),
                                "managers": managers, "role": role, "person": person, "period": period,
                                "history": dict(history)})


def _finite(value: Any) -> bool:
    return type(value) is Decimal and value.is_finite()


def _finite_or_none(value: Any) -> bool:
    return value is None or (type(value) is Decimal and value.is_finite())


def _text_or_none(value: Any) -> bool:
    return value is None or type(value) is str


_trusted_inputs = trusted_builder(PersonInputs)


class FormulaEngine:
    """One plan's formulas, compiled once, evaluated per person."""

    def __init__(self, program: Program):
        self.program = program
        self.text = SourceText(program.sources)
        self._code = PlanCode(program, self.text)
        self._explain = ErrorExplainer(program, self._code, self.text)
        self._run = self._code.run
        self._trace = TraceBuilder(program, self.text)
        self._expressions: dict[int, ExpressionCode] = {}

    @property
    def generated_source(self) -> str:
        """The Python source the plan was compiled to (for debugging and review)."""
        return self._code.source

    def evaluate(self, inputs: PersonInputs, *, trace: bool = True) -> PersonOutcome:
        """Every KPI, the score, every table look-up and pay of one person."""
        with decimal_context():
            outcome = self._run(inputs, self._explain)
            if trace:
                outcome = outcome.model_copy(update={"trace": self._trace.steps(inputs, outcome)})
        return outcome

    def evaluate_expression(self, expr: ast.Expr, lookup: Callable[[ast.Expr], Decimal | None]) -> Decimal | None:
        """The value of one expression of this program, its leaves read through `lookup`.

        `lookup(node)` is called for every Name, Dotted name and aggregate call in `expr` and
        returns its value, or None for no value. Arithmetic follows the language: no value
        propagates, division by zero gives None, `otherwise` replaces None. A table look-up
        outside the table's bands raises `kpilang.evaluate.table_lookup.LookupFailed`.
        The expression is compiled on first use and kept (per node) for later calls.
        """
        compiled = self._expressions.get(id(expr))
        if compiled is None or compiled.expr is not expr:
            compiled = ExpressionCode(expr, self._code.tables, lambda f: f in self.program.tables, self.text)
            self._expressions[id(expr)] = compiled
        with decimal_context():
            return compiled.fn(lookup)


def evaluate_person(program: Program, inputs: PersonInputs, *, trace: bool = True) -> PersonOutcome:
    """Compile `program` and evaluate one person (compile once with `FormulaEngine` for many)."""
    return FormulaEngine(program).evaluate(inputs, trace=trace)
