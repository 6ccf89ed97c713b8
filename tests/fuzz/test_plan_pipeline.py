"""Plan fuzzing through the whole pipeline: compile, lint with every check, fmt, eval on the
normative data, the report as JSON, CSV and a table, and explain in Russian and English as text,
Markdown and HTML. No plan may raise an exception other than the ones a stage documents (see
plan_pipeline.py). The parse/compile/fmt-only fuzzer is tests/compile/test_fuzz.py."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzz.budget import bounded, long_run
from tests.fuzz.plan_pipeline import NORMATIVE_TEXT, mutated_plans, normative_with_formula, run_pipeline
from tests.syntax.plan_strategies import compiling_plans

def assert_no_crash(text: str) -> None:
    run_pipeline(text)

@bounded(25)
@given(normative_with_formula())
def test_any_formula_in_the_normative_plan_goes_through_every_stage(text):
    assert_no_crash(text)

@bounded(80)
@given(mutated_plans())
def test_a_mutated_plan_goes_through_every_stage(text):
    assert_no_crash(text)

@bounded(12)
@given(compiling_plans())
def test_a_random_compiling_plan_goes_through_every_stage(plan):
    assert_no_crash(plan[0])

@pytest.mark.slow
@pytest.mark.parametrize("generator", ["formula", "mutated", "compiling"])
def test_plans_go_through_every_stage_long_run(generator):
    strategy = {"formula": normative_with_formula(), "mutated": mutated_plans(),
                "compiling": compiling_plans().map(lambda plan: plan[0])}[generator]

    @long_run()
    @given(strategy)
    def run(text):
        assert_no_crash(text)

    run()

# ---- what the fuzzer found: each a minimal reproducer, kept as a regression case ------------------

def _with_pay(formula: str) -> str:
    return NORMATIVE_TEXT + f"\npay fuzz =\n    {formula}\n"

@pytest.mark.parametrize("text", [
    pytest.param(_with_pay(" + ".join(["salary"] * 200)), id="a-sum-of-200-terms"),
    pytest.param(_with_pay("-" * 200 + "salary"), id="200-minus-signs"),
    pytest.param(_with_pay("round(bonus, 23)"), id="round-to-23-digits"),
    pytest.param(_with_pay("managers.salary"), id="a-pay-of-managers-salary"),
])
def test_what_the_plan_fuzzer_found(text):
    run_pipeline(text)
