"""The proofs agree with the formula engine, the evaluator people are paid by.

A witness reported by met-without-sales (KPL004) or paid-without-sales (KPL005), evaluated by
`FormulaEngine`, reproduces the claim. And for random inputs the interval bounds the checks rely
on contain what the engine computes, and a single-point evaluation equals it exactly.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpilang.checks.proofs import PlanProofs
from kpilang.compile import compile_file
from kpilang.compile.history import lookbacks
from kpilang.compile.program import SALARY, SCORE, Unit
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs
from kpilang.lint import lint_file
from kpilang.lint.config import LintConfig
from kpilang.syntax import ast

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).resolve().parents[2]
NORMATIVE = ROOT / "tests" / "fixtures" / "normative" / "cold_sales.kpi"


def _failing(code: str):
    spec = yaml.safe_load((CASES / next(p.name for p in CASES.glob(f"{code}-*.yaml"))).read_text(encoding="utf-8"))
    return [pytest.param(c["source"], id=c["name"]) for c in spec["cases"]
            if c["expect"] and all(e.get("severity") != "warning" or code != "KPL004" for e in c["expect"])]


def _inputs(program, witness: dict[str, str]) -> PersonInputs:
    """The witness as the engine's inputs. A metric it leaves out is zero, or, if it reads only
    won deals (so has no rows without a sale) and is an average or the like, has no value."""
    no_rows = {n for n, v in PlanProofs(program).fixed.items() if not v.has_value}
    metrics = {n: None if n in no_rows else Decimal(witness.get(n, "0")) for n in program.metrics}
    targets = {k.split(".", 1)[1]: Decimal(v) for k, v in witness.items() if k.startswith("targets.")}
    return PersonInputs(metrics=metrics, salary=Decimal(witness.get(SALARY, "100000")), targets=targets, role="cold")


def _lint(source: str, tmp_path: Path):
    plan = tmp_path / "plan.kpi"
    plan.write_text(source, encoding="utf-8")
    return lint_file(plan, config=LintConfig())


@pytest.mark.parametrize("source", _failing("KPL004"))
def test_met_without_sales_witness_reaches_100_percent(source: str, tmp_path: Path) -> None:
    result = _lint(source, tmp_path)
    found = [d for d in result.diagnostics if d.code == "KPL004"]
    assert found and found[0].witness is not None
    program = result.program
    witness = found[0].witness
    for name, metric in program.metrics.items():
        if metric.kind == "result":
            assert Decimal(witness[name]) == 0
    outcome = FormulaEngine(program).evaluate(_inputs(program, witness), trace=False)
    assert not outcome.errors
    assert outcome.kpi_score >= 1
    assert f"{(outcome.kpi_score * 100).normalize():f}%" in found[0].message


@pytest.mark.parametrize("source", _failing("KPL005"))
def test_paid_without_sales_witness_raises_the_pay(source: str, tmp_path: Path) -> None:
    result = _lint(source, tmp_path)
    found = [d for d in result.diagnostics if d.code == "KPL005"]
    assert found
    program = result.program
    engine = FormulaEngine(program)
    for diag in found:
        pay = diag.message.split("`")[1]
        inputs = _inputs(program, diag.witness)
        zero = inputs.model_copy(update={"metrics": {n: Decimal(0) for n in program.metrics}})
        with_witness = engine.evaluate(inputs, trace=False).pays[pay].value
        at_zero = engine.evaluate(zero, trace=False).pays[pay].value
        if at_zero is None:  # no value at zero: the least activity, each metric at 1 and in turn at 0
            ones = {n: Decimal(0 if m.kind == "result" else 1) for n, m in program.metrics.items()}
            tries = [ones] + [{**ones, n: Decimal(0)} for n, m in program.metrics.items() if m.kind != "result"]
            values = [engine.evaluate(inputs.model_copy(update={"metrics": t}), trace=False).pays[pay].value for t in tries]
            at_zero = min(v for v in values if v is not None)
        assert with_witness > at_zero
        assert f"from {at_zero} to {with_witness}" in diag.message


def _witnessed(code: str):
    spec = yaml.safe_load((CASES / next(p.name for p in CASES.glob(f"{code}-*.yaml"))).read_text(encoding="utf-8"))
    return [pytest.param(c["source"], id=c["name"]) for c in spec["cases"] if any("witness" in e for e in c["expect"])]


@pytest.mark.parametrize("source", _witnessed("KPL026"))
def test_rewards_fewer_sales_witness_tops_the_kpi_without_a_sale(source: str, tmp_path: Path) -> None:
    result = _lint(source, tmp_path)
    found = [d for d in result.diagnostics if d.code == "KPL026" and d.witness is not None]
    assert found
    program = result.program
    outcome = FormulaEngine(program).evaluate(_inputs(program, found[0].witness), trace=False)
    for name, metric in program.metrics.items():
        if metric.kind == "result":
            assert Decimal(found[0].witness[name]) == 0
    kpi = found[0].message.split("`")[1]
    top = program.kpis[kpi].cap or Decimal(1)
    assert outcome.kpis[kpi].attainment >= top


PLANS = sorted([NORMATIVE, *(ROOT / "rules").glob("*.kpi")])


def _metric_value(unit: Unit, top: Decimal):
    if unit == Unit.COUNT:
        return st.integers(min_value=0, max_value=5000).map(Decimal)
    if unit == Unit.DURATION:
        return st.integers(min_value=0, max_value=200_000).map(Decimal)
    if unit == Unit.NUMBER:
        return st.decimals(min_value=0, max_value=min(top, Decimal(1000)), places=3, allow_nan=False)
    return st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)


@st.composite
def _person(draw, program, proofs):
    metrics = {n: draw(_metric_value(m.unit, proofs.ranges[n].hi)) for n, m in program.metrics.items()}
    targets = {t: draw(st.decimals(min_value=Decimal("0.01"), max_value=2_000_000, places=2)) for t in program.target_names}
    salary = draw(st.decimals(min_value=0, max_value=500_000, places=2))
    # An earlier period's figure (`previous(revenue)`) is a value of the unit of what it reads.
    history = {key: draw(_metric_value(_lookback_unit(program, call), proofs.params[key].hi))
               for key, call in lookbacks(program).items()}
    return metrics, targets, salary, history


def _lookback_unit(program, call) -> Unit:
    units = {program.metrics[n.name].unit for n in ast.walk(call.args[0]) if isinstance(n, ast.Name)}
    return units.pop() if len(units) == 1 else Unit.NUMBER


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.parent.name + "/" + p.name)
def test_bounds_contain_and_points_equal_the_engine(plan: Path) -> None:
    program = compile_file(plan).program
    if program is None or program.plan is None:
        pytest.skip("a library file has no figures")
    proofs = PlanProofs(program)
    engine = FormulaEngine(program)
    role = program.plan.roles[0]

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(_person(program, proofs))
    def check(person) -> None:
        metrics, targets, salary, history = person
        outcome = engine.evaluate(PersonInputs(metrics=metrics, targets=targets, salary=salary, role=role,
                                               history=history), trace=False)
        exact = proofs.evaluate(metrics, {SALARY: salary, **{f"targets.{t}": v for t, v in targets.items()}, **history})
        figures = {**{k: f.attainment for k, f in outcome.kpis.items()}, SCORE: outcome.kpi_score,
                   **{p: f.value for p, f in outcome.pays.items()}}
        for name, value in figures.items():
            bound = proofs.free[name]
            if value is None:
                assert bound.maybe_none or not bound.has_value, name
                assert not exact[name].definite, name
                continue
            assert bound.lo <= value <= bound.hi, (name, value, bound)
            assert exact[name].definite and exact[name].lo == value, (name, value, exact[name])
        # The same person in a month without a single sale: what no activity can move takes its
        # one value (or none), the rest stays; the score must respect the no-sales bound.
        without_sales = {**metrics, **{n: v.lo if v.has_value else None for n, v in proofs.fixed.items()}}
        dry = engine.evaluate(PersonInputs(metrics=without_sales, targets=targets, salary=salary, role=role,
                                           history=history), trace=False)
        if dry.kpi_score is not None:
            assert dry.kpi_score <= proofs.no_sales[SCORE].hi, (without_sales, dry.kpi_score)

    check()
