"""What the formula stage gives for one person: KPI figures, the score, table look-ups, pays, the
errors that kept a figure from being computed, and a trace of every step.

These models are the contract between evaluation (which fills them), the JSON output of
`kpilang eval` and the statements (which explain every number from `trace`). Every figure is an
exact `Decimal`; `None` means *no value* and always comes with an `EvalError` naming why, never a
silent zero. Pydantic dumps Decimals as strings in JSON mode, so `model_dump(mode="json")` keeps
them exact.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from kpilang.messages import Concat, Text

StepKind = Literal["metric", "kpi", "score", "table", "pay"]

ErrorCause = Literal[
    "division_by_zero",  # a divisor was 0
    "no_value",          # a metric had no value (avg/min/max/median/share over no rows) or a value it needs had none
    "missing_input",     # a metric, salary, target or manager column was not given at all
    "missing_target",    # targets has no row for this person, name and period
    "no_band",           # a table look-up whose argument falls in no band
    "bad_base",          # a graduated table's base is 0 or below
    "floor_above_cap",   # a pay's floor is higher than its cap: no figure satisfies both
    "arithmetic",        # a figure too large for exact decimal arithmetic
    "rejected_data",     # a data row this person's figures depend on was rejected
    "member_error",      # a team figure reads a member whose figures have an error or no value
    "missing_history",   # an earlier period a `previous(…)` reads is not in the data, or began before the person was hired
]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class EvalError(_Result):
    """Why one figure (a KPI, the score, a pay) has no value for this person.

    `message` says it in plain words with the numbers involved ("division by zero: calls is 0 in
    meetings / calls"); `formula` is the source text of the formula or clause that failed, at
    `file:line:column`; `help` says what to do about it. `message` and `help` are catalog texts
    (`eval.CODE.…` in `kpilang.messages`), put into words in the reader's language when shown;
    `code` names the exact kind of error (`target_zero`, `missing_target`, …) and `cause` its
    broader kind, both the same in every language.
    """

    subject: str
    message: Text
    formula: str
    file: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None
    cause: ErrorCause = "no_value"
    code: str
    help: Text | None = None

    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class KpiFigures(_Result):
    """One KPI for one person.

    attainment = value / target (target / value when lower is better) is `raw_attainment`;
    `attainment` is it clamped to [0, cap] (to [0, ∞) without a cap); `contribution` is
    weight × attainment.
    """

    value: Decimal | None
    target: Decimal | None
    raw_attainment: Decimal | None
    attainment: Decimal | None
    capped: bool
    """The raw attainment was above the cap and was lowered to it."""
    floored: bool = False
    """The raw attainment was below 0 and was raised to 0."""
    cap: Decimal | None = None
    lower_is_better: bool = False
    weight: Decimal
    contribution: Decimal | None


class TierPart(_Result):
    """The part of a graduated table's argument that falls inside one tier, and what it earns."""

    band: int
    """The tier's index in the table, from 0."""
    low: Decimal | None
    high: Decimal | None
    """The tier's edges in the argument's units (already scaled by the base, if any)."""
    rate: Decimal
    amount: Decimal
    """How much of the argument lies inside this tier."""
    result: Decimal
    """rate × amount."""


class TableHit(_Result):
    """One table look-up.

    Step table: the argument fell in band `band` (low ≤ argument < high) whose value is the result.
    Graduated table: `band` is the tier the argument reaches, `value` its rate, `parts` the amount
    inside every tier it crosses, and `result` = Σ rate × amount.
    """

    table: str
    subject: str
    """The KPI or pay whose formula made this look-up."""
    call: str
    """The call as written: `multiplier(kpi_score)`."""
    argument: Decimal
    base: Decimal | None = None
    """For `TABLE(x, base)` on a graduated table: the base the edges are fractions of."""
    graduated: bool = False
    band: int
    low: Decimal | None
    high: Decimal | None
    """The band's edges as written (fractions of the base for a graduated table with a base)."""
    value: Decimal
    result: Decimal
    parts: list[TierPart] = []


class PayFigures(_Result):
    """One pay for one person: the formula's `raw` value, then cap and floor, then rounding to the
    currency's minor unit half up (`value`, the figure later pays see)."""

    raw: Decimal | None
    cap: Decimal | None
    floor: Decimal | None
    capped: bool
    floored: bool
    unrounded: Decimal | None = None
    """After cap and floor, before rounding."""
    value: Decimal | None


class Step(_Result):
    """One line of the explanation: what was computed, from which formula, with which numbers."""

    subject: str
    kind: StepKind
    formula: str
    """The formula's source text, as written in the plan."""
    substituted: str | Concat
    """The formula with the numbers put in: `meetings / calls` → `12 / 120` (with the word for a
    figure without a value, said in the reader's language)."""
    value: Decimal | None
    notes: list[Text] = []


class PersonOutcome(_Result):
    """Everything the formula stage computed for one person."""

    metrics: dict[str, Decimal | None] = {}
    """The metric values the formulas read (as given)."""
    kpis: dict[str, KpiFigures]
    kpi_score: Decimal | None
    pays: dict[str, PayFigures]
    table_hits: list[TableHit]
    errors: list[EvalError]
    trace: list[Step]

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_for(self, subject: str) -> EvalError | None:
        for err in self.errors:
            if err.subject == subject:
                return err
        return None


M = TypeVar("M", bound=BaseModel)


class TrustedParts:
    """The steps of building a model without validation, for code generated per plan to inline
    (see `trusted_builder`): `new(cls)`, `set_dict(model, values)`, `set_fields(model, fields)`,
    `set_extra(model, None)`, `set_private(model, None)`."""

    new = staticmethod(object.__new__)
    set_dict = BaseModel.__dict__["__dict__"].__set__
    set_fields = BaseModel.__dict__["__pydantic_fields_set__"].__set__
    set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
    set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def trusted_builder(cls: type[M]) -> Callable[[dict[str, Any]], M]:
    """A constructor for figures the engine computed itself, skipping validation.

    The formula stage builds several of these models per person; validating Decimals it has just
    computed would cost more than computing them. `build(values)` needs every field, each already
    of its declared type, and gives a model equal to `cls(**values)` (the tests check this on
    every kind of outcome). It fills the instance the way pydantic's own `model_construct` does,
    through the slots pydantic declares. Anything built from outside data goes through normal
    validation.
    """
    fields = set(cls.model_fields)
    new, set_dict = TrustedParts.new, TrustedParts.set_dict
    set_fields, set_extra, set_private = TrustedParts.set_fields, TrustedParts.set_extra, TrustedParts.set_private

    def build(values: dict[str, Any]) -> M:
        model = new(cls)
        set_dict(model, values)
        set_fields(model, fields)
        set_extra(model, None)
        set_private(model, None)
        return model

    return build
