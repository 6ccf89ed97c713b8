"""Properties of the formatter over generated plans: idempotent, meaning kept, comments kept,
no trailing white space."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from kpilang.syntax import ast
from kpilang.syntax.formatter import format_module
from kpilang.syntax.parser import parse
from kpilang.compile import compile_text
from tests.syntax.plan_strategies import compiling_plans, plan_texts

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parsed(text: str) -> ast.Module:
    module, diagnostics = parse(text, "plan.kpi")
    assert diagnostics == [], (text, [d.message for d in diagnostics])
    assert module is not None
    return module


@PROPERTY_SETTINGS
@given(plan_texts())
def test_format_keeps_meaning_and_comments_and_is_idempotent(case):
    text, comments = case
    original = _parsed(text)
    formatted = format_module(original, text)

    again = _parsed(formatted)
    assert ast.strip_spans(again.items) == ast.strip_spans(original.items)
    assert sorted(c.text for c in again.comments) == sorted(c.rstrip() for c in comments)
    assert format_module(again, formatted) == formatted
    assert formatted == "" or (formatted.endswith("\n") and not formatted.endswith("\n\n"))
    assert all(line == line.rstrip() for line in formatted.split("\n"))



@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(compiling_plans())
def test_format_keeps_the_compiled_meaning_of_plans_that_compile(case):
    text, comments = case
    before = compile_text(text, "plan.kpi")
    assert before.ok, (text, [(d.code, d.message) for d in before.diagnostics])
    formatted = format_module(_parsed(text), text)
    after = compile_text(formatted, "plan.kpi")
    assert after.ok
    assert after.program.dump_meaning() == before.program.dump_meaning()
    assert [t.name for t in after.program.tests] == [t.name for t in before.program.tests]
    assert sorted(c.text for c in _parsed(formatted).comments) == sorted(c.rstrip() for c in comments)
