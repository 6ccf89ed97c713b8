"""Formulas of any depth: the parser reads them all, a formula deeper than `MAX_NESTING` is one
E0106 error at the formula (in every command, since every command parses first), and the deepest
accepted formula of every shape goes through every command without a RecursionError (or the
evaluator's generated Python running past its own parser's limit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main
from kpilang.compile import compile_text
from kpilang.syntax.formatter import format_source
from kpilang.syntax.nesting import MAX_NESTING, nesting
from kpilang.syntax.parser import parse

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cold_sales"
BASE = (EXAMPLE / "cold_sales.kpi").read_text(encoding="utf-8").split('test "')[0]
"""The example plan without its test (whose figures a new pay would not change, but need not be kept)."""


def _pay(formula: str) -> str:
    return f"pay deep =\n    {formula}\n"


def _where(condition: str) -> str:
    return (f"metric deep_calls = count(activities where {condition})\n    kind activity\n\n"
            "pay deep_pay =\n    if deep_calls > 0 then salary else 0\n")


SHAPES = {
    # name: (the formula nested `n` operations deep, the declaration around it)
    "flat sum": (lambda n: " + ".join(["salary"] * (n + 1)), _pay),
    "sum of values that may have none": (lambda n: " + ".join(["revenue * 1%"] * n), _pay),
    "if chain": (lambda n: "if calls > 1 then salary else " * (n - 1) + "salary", _pay),
    "not chain": (lambda n: "if " + "not " * (n - 1) + "true then salary else 0", _pay),
    "unary minus": (lambda n: "-" * n + "salary", _pay),
    "otherwise chain": (lambda n: " otherwise ".join(["salary / calls"] * (n - 1) + ["salary"]), _pay),
    "and chain": (lambda n: "if " + " and ".join(["calls > 1"] * (n - 1)) + " then salary else 0", _pay),
    "nested min": (lambda n: "min(" * n + "salary" + ", salary)" * n, _pay),
    "right-nested product": (lambda n: "1 * (" * n + "salary" + ")" * n, _pay),
    "not chain in a where": (lambda n: "not " * (n - 2) + 'type = "call"', _where),
    "sum in a where": (lambda n: "duration > " + " + ".join(["1s"] * (n - 1)), _where),
}


def _plan(shape: str, depth: int) -> str:
    formula, declaration = SHAPES[shape]
    return BASE + "\n" + declaration(formula(depth))


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_is_as_deep_as_asked(shape):
    module, diagnostics = parse(_plan(shape, 20))
    assert module is not None, diagnostics
    deep = [item for item in module.items if item.decl in ("metric", "pay") and item.name.name.startswith("deep")]
    assert nesting(deep[0].expr) == 20


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 10 * MAX_NESTING])
def test_a_formula_past_the_limit_is_one_error_at_the_formula(shape, depth):
    text = _plan(shape, depth)
    result = compile_text(text, "deep.kpi")
    assert [d.code for d in result.diagnostics] == ["E0106"], [(d.code, d.message) for d in result.diagnostics]
    error = result.diagnostics[0]
    start = text.index("deep_calls = ") + 13 if SHAPES[shape][1] is _where else text.index("pay deep =\n") + 15
    line, column = text.count("\n", 0, start) + 1, start - text.rindex("\n", 0, start)
    assert (error.span.file, error.span.line, error.span.column) == ("deep.kpi", line, column)
    assert f"at most {MAX_NESTING}" in error.message and error.help
    formatted, diagnostics = format_source(text, "deep.kpi")
    assert [d.code for d in diagnostics] == ["E0106"]


def test_the_error_says_how_deep_the_formula_is_in_both_languages():
    result = compile_text(_plan("flat sum", 800), "deep.kpi")
    error = result.diagnostics[0]
    assert "800 operations" in error.message
    assert "глубина вложенности действий в этой формуле — 800" in error.localized("ru").message and "80" in error.localized("ru").help


@pytest.mark.parametrize("shape", SHAPES)
def test_the_deepest_accepted_formula_goes_through_every_command(shape, tmp_path):
    text = _plan(shape, MAX_NESTING)
    result = compile_text(text, "deep.kpi")
    assert result.ok, [(d.code, d.message) for d in result.diagnostics]
    plan = tmp_path / "deep.kpi"
    plan.write_text(text, encoding="utf-8")
    data = ["--data", str(EXAMPLE / "data"), "--period", "2026-07"]
    runner = CliRunner()
    for command in (["lint"], ["fmt", "--check"], ["hash"], ["test"], ["eval", *data], ["explain", *data],
                    ["diff", str(plan)]):
        outcome = runner.invoke(main, [command[0], str(plan), *command[1:]])
        assert outcome.exception is None or isinstance(outcome.exception, SystemExit), (command, outcome.exception)
        assert "RecursionError" not in outcome.output and "Traceback" not in outcome.output, command
        assert "E0106" not in outcome.output, command
        if command[0] == "eval":
            assert "4 person(s) evaluated" in outcome.output and "0 refused (errors)" in outcome.output, outcome.output
