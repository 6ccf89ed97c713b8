"""`PersonInputs.of_person` (what evaluation builds for each person) gives exactly the model that
validation gives, whether it skips validation (figures already exact) or not."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from kpilang.evaluate.formulas import PersonInputs

D = Decimal

FIELDS = {
    "metrics": {"calls": D("120"), "revenue": D("1500000.50"), "rate": None},
    "salary": D("60000.00"),
    "targets": {"revenue": D("1000000")},
    "managers": {"portfolio_clients": 12, "team": "north", "active": True, "share": D("0.5")},
    "role": "cold",
    "person": "m001",
    "period": "2026-07",
    "history": {"previous(revenue, 1)": D("900000"), "previous(calls, 1)": None},
}


@pytest.mark.parametrize("change", [
    {},
    {"salary": None, "role": None, "person": None, "period": None, "history": {}, "targets": {}},
    {"salary": 60000},                          # a whole-number salary: validation makes it a Decimal
    {"metrics": {"calls": 120}},                # so for a metric
    {"targets": {"revenue": 1000000}},          # and a target
    {"salary": D("-0")},
    {"salary": 1.5},                            # whatever validation makes of it, so does this
])
def test_the_same_model_as_validation(change):
    fields = {**FIELDS, **change}
    built = PersonInputs.of_person(**fields)
    validated = PersonInputs(**fields)
    assert type(built) is PersonInputs
    assert built == validated
    assert built.model_dump() == validated.model_dump()
    assert built.model_fields_set == validated.model_fields_set
    # every figure an exact Decimal, as the formulas need
    assert all(type(v) is Decimal for v in built.metrics.values() if v is not None)
    assert type(built.salary) in (Decimal, type(None))
    assert built.managers["portfolio_clients"] == D(12) and type(built.managers["portfolio_clients"]) is Decimal
    assert built.managers["active"] is True  # a yes/no column stays one


def test_the_dicts_are_the_models_own():
    fields = {**FIELDS, "metrics": dict(FIELDS["metrics"]), "targets": dict(FIELDS["targets"])}
    built = PersonInputs.of_person(**fields)
    fields["metrics"]["calls"] = D(1)
    fields["targets"]["revenue"] = D(1)
    assert built.metrics["calls"] == D(120) and built.targets["revenue"] == D(1000000)


@pytest.mark.parametrize("bad", [{"salary": D("NaN")}, {"metrics": {"calls": D("Infinity")}},
                                 {"targets": {"revenue": None}}])
def test_what_validation_refuses_is_still_refused(bad):
    with pytest.raises(ValidationError):
        PersonInputs(**{**FIELDS, **bad})
    with pytest.raises(ValidationError):
        PersonInputs.of_person(**{**FIELDS, **bad})
