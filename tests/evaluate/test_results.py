"""The result models' own behaviour (`results.py`): where an error points, finding a figure's
error, and the unvalidated builder the formula stage uses giving exactly the model that
validation would give."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpilang.evaluate.results import (
    EvalError, KpiFigures, PayFigures, PersonOutcome, TableHit, TierPart, trusted_builder,
)

D = Decimal


def _error(subject: str, line: int = 3, column: int = 7) -> EvalError:
    return EvalError(subject=subject, message=f"{subject} failed", formula="a / b", file="plan.kpi", line=line,
                     column=column, code="division_by_zero", cause="division_by_zero")


def _outcome(*errors: EvalError) -> PersonOutcome:
    return PersonOutcome(kpis={}, kpi_score=None, pays={}, table_hits=[], errors=list(errors), trace=[])


def test_an_error_points_at_file_line_and_column():
    assert _error("bonus", line=12, column=5).location() == "plan.kpi:12:5"


def test_an_outcome_is_ok_only_without_errors():
    assert _outcome().ok is True
    assert _outcome(_error("bonus")).ok is False


def test_error_for_finds_the_error_of_that_figure_only():
    first, second = _error("revenue_kpi", line=4), _error("bonus", line=9)
    outcome = _outcome(first, second)
    assert outcome.error_for("bonus") is second
    assert outcome.error_for("revenue_kpi") is first
    assert outcome.error_for("calls_kpi") is None
    # two errors for one subject: the first one listed
    twice = _outcome(_error("bonus", line=1), _error("bonus", line=2))
    assert twice.error_for("bonus").line == 1


KPI = dict(value=D("120"), target=D("100"), raw_attainment=D("1.2"), attainment=D("1.1"), capped=True,
           floored=False, cap=D("1.1"), lower_is_better=False, weight=D("0.5"), contribution=D("0.55"))
PAY = dict(raw=D("1000.005"), cap=None, floor=D("0"), capped=False, floored=False, unrounded=D("1000.005"),
           value=D("1000.01"))
HIT = dict(table="multiplier", subject="bonus", call="multiplier(kpi_score)", argument=D("0.8"), base=None,
           graduated=True, band=1, low=D("0.7"), high=None, value=D("1.2"), result=D("0.36"),
           parts=[TierPart(band=0, low=D("0"), high=D("0.7"), rate=D("0"), amount=D("0.7"), result=D("0")),
                  TierPart(band=1, low=D("0.7"), high=None, rate=D("1.2"), amount=D("0.1"), result=D("0.12"))])


@pytest.mark.parametrize(("model", "values"), [(KpiFigures, KPI), (PayFigures, PAY), (TableHit, HIT)])
def test_the_trusted_builder_gives_the_validated_model(model, values):
    built = trusted_builder(model)(dict(values))
    validated = model(**values)
    assert type(built) is model
    assert built == validated
    assert built.model_dump() == validated.model_dump() == values | (
        {"parts": [p.model_dump() for p in HIT["parts"]]} if model is TableHit else {})
    # every field counts as given, as when each is passed to the constructor
    assert built.model_fields_set == validated.model_fields_set == set(values)
    assert built.model_dump(exclude_unset=True) == validated.model_dump(exclude_unset=True)
    assert built.model_dump(mode="json") == validated.model_dump(mode="json")
    assert built.__pydantic_extra__ is None and built.__pydantic_private__ is None
    assert built.model_copy() == validated
