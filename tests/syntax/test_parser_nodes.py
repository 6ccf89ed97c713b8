"""The parser builds nodes without pydantic's validation for speed; they must be exactly the nodes
validation would have built, with the spans a reader expects."""

from __future__ import annotations

import gc

from hypothesis import HealthCheck, given, settings

from kpilang.syntax import ast
from kpilang.syntax.parser import parse
from tests.syntax.plan_strategies import plan_texts


def _revalidated(module: ast.Module) -> ast.Module:
    return ast.Module.model_validate(module.model_dump())


def test_the_example_equals_its_validated_copy(normative_dir):
    module, _ = parse((normative_dir / "cold_sales.kpi").read_text(encoding="utf-8"), "cold_sales.kpi")
    assert _revalidated(module) == module


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_texts())
def test_generated_plans_equal_their_validated_copies(case):
    module, diagnostics = parse(case[0], "plan.kpi")
    assert diagnostics == []
    assert _revalidated(module) == module


def test_spans_cover_parentheses_of_the_operands_and_closing_braces():
    text = 'pay p = (a + b) * c\ntable t {\n    below 1 : 0\n}\nkpi k = x target 1 weight 1% lower is better\n'
    module, _ = parse(text, "f.kpi")
    pay, table, kpi = module.items
    assert (pay.expr.span.column, pay.expr.span.end_column) == (9, 20)  # `(a + b) * c`
    assert (pay.expr.left.span.column, pay.expr.left.span.end_column) == (10, 15)  # `a + b`
    assert (table.span.line, table.span.end_line, table.span.end_column) == (2, 4, 2)  # through `}`
    flag = kpi.clauses[-1]
    assert (flag.keyword, flag.span.column, flag.span.end_column) == ("lower is better", 30, 45)


def test_the_garbage_collector_is_restored_after_a_parse():
    assert gc.isenabled()
    parse("pay p = ", "f.kpi")
    parse("pay p = 1", "f.kpi")
    assert gc.isenabled()
    gc.disable()
    try:
        parse("pay p = 1", "f.kpi")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_the_program_froze_stay_frozen():
    gc.freeze()
    try:
        parse("pay p = 1", "f.kpi")
        assert gc.get_freeze_count() > 0  # the parse's `unfreeze()` would have thawed them all
    finally:
        gc.unfreeze()
    parse("pay p = 1", "f.kpi")
    assert gc.get_freeze_count() == 0  # the parse's own freeze is undone
