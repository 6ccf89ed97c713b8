"""Formulas compiled to Python (`formula_code.py`): the Python each construct compiles to, and
figures for a person worked out by hand, including where a figure has no value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kpilang.compile.compiler import compile_text
from kpilang.evaluate.formula_code import Code, CodeSpace, FormulaCompiler
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs
from kpilang.syntax import ast
from kpilang.syntax.parser import parse
from tests.evaluate.test_formulas import HEADER

D = Decimal


def pays(body: str, team: str | None = None, **metrics: str | None) -> dict[str, Decimal | None]:
    result = compile_text(HEADER + body, "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    outcome = FormulaEngine(result.program).evaluate(PersonInputs(
        metrics={k: None if v is None else D(v) for k, v in metrics.items()}, salary=D(1000),
        managers={"team": team}, person="m1", period="2026-07"))
    return {name: pay.value for name, pay in outcome.pays.items()}


IN_LISTS = '''
pay listed = if managers.team in ["north", "south"] then 100 else 0
pay alone = if managers.team in ["north"] then 100 else 0
pay counted = if calls in [1, meetings, 3] then 10 else 20
'''


@pytest.mark.parametrize(("team", "calls", "meetings", "expected"), [
    ("south", "2", "2", {"listed": D("100.00"), "alone": D("0.00"), "counted": D("10.00")}),   # 2 is meetings
    ("north", "3", "2", {"listed": D("100.00"), "alone": D("100.00"), "counted": D("10.00")}),
    ("west", "5", "2", {"listed": D("0.00"), "alone": D("0.00"), "counted": D("20.00")}),
    # a list of one is that one value, not a text to find a part in: `nor` is not `north`
    ("nor", "1", "2", {"listed": D("0.00"), "alone": D("0.00"), "counted": D("10.00")}),
    # no team: the test has no value, nor has the pay; no meetings: 3 is in the list, yet an item
    # without a value leaves the test without one
    (None, "3", None, {"listed": None, "alone": None, "counted": None}),
    ("north", None, "1", {"listed": D("100.00"), "alone": D("100.00"), "counted": None}),
])
def test_a_value_in_a_list(team, calls, meetings, expected):
    assert pays(IN_LISTS, team=team, calls=calls, meetings=meetings) == expected


# ---- the Python each construct compiles to --------------------------------------------------------
# The module's promise: an operand known never to be None is used as it is (`2% * a` is `C0 * a`),
# one that may be None is tested first and the result is None then, a division is None also for
# a divisor of 0, and anything computed is evaluated once, into a temporary, in order. Here `a`
# and `b` are names that always have a value, `m` and `n` names that may have none, `tiers` a
# table (`T(...)`) and an aggregate a leaf (`L(sum)`).


def compiled(expression: str) -> tuple[str, bool, dict]:
    module, problems = parse(f"pay x = {expression}\n", "f.kpi")
    assert not problems, problems
    space = CodeSpace()

    def leaf(node):
        if isinstance(node, ast.Name):
            return Code(node.name, node.name in ("m", "n"))
        return Code(f"L({node.func})", True)

    compiler = FormulaCompiler(space, leaf, lambda call, names: f"T({', '.join(names)})", lambda f: f == "tiers")
    code = compiler.compile(module.items[0].expr)
    return code.source, code.may_be_none, space.namespace


@pytest.mark.parametrize(("expression", "source", "may_be_none", "constants"), [
    # constants by name, one name per value: 2% twice is one C0; 15m is 900 seconds
    ("2% * a + 15m", "((C0 * a) + C1)", False, {"C0": D("0.02"), "C1": D("900")}),
    ("2% * a + 2% * b", "((C0 * a) + (C0 * b))", False, {"C0": D("0.02")}),
    ("1.0 + 1", "(C0 + C1)", False, {"C0": D("1.0"), "C1": D("1")}),
    ('a = "x"', "(a == C0)", False, {"C0": "x"}),
    # a literal alone: a constant that always has a value
    ("15m", "C0", False, {"C0": D("900")}),
    ('"north"', "C0", False, {"C0": "north"}),
    ("2026-07-01", "C0", False, {"C0": date(2026, 7, 1)}),
    ("2%", "C0", False, {"C0": D("0.02")}),
    # a text, a date and a number with the same digits are three constants
    ('if a = "2026" then 2026 else 0', "(C1 if (a == C0) else C2)", False,
     {"C0": "2026", "C1": D("2026"), "C2": D("0")}),
    ('if a > 1 then 2026-07-01 else "2026-07-01"', "(C1 if (a > C0) else C2)", False,
     {"C0": D("1"), "C1": date(2026, 7, 1), "C2": "2026-07-01"}),
    ("true", "True", False, {}),
    ("false", "False", False, {}),
    # operands that may have no value are tested, left to right
    ("2% * m", "(None if m is None else C0 * m)", True, {"C0": D("0.02")}),
    ("-a", "(-a)", False, {}),
    ("-m", "(None if m is None else -m)", True, {}),
    ("not a", "((not a))", False, {}),
    ("not m", "(None if m is None else (not m))", True, {}),
    ("m >= 1", "(None if m is None else m >= C0)", True, {"C0": D("1")}),
    ("m != 1", "(None if m is None else m != C0)", True, {"C0": D("1")}),
    ("(a + b) * m", "(None if ((_t1 := (a + b)) is None and False) or m is None else _t1 * m)", True, {}),
    # a division: no value for a divisor of 0 too (`not` holds for both)
    ("a / b", "(None if not b else a / b)", True, {}),
    ("m / n", "(None if m is None or not n else m / n)", True, {}),
    ("(a + b) / m", "(None if ((_t1 := (a + b)) is None and False) or not m else _t1 / m)", True, {}),
    ("(a + m) / b", "(None if (_t1 := (None if m is None else a + m)) is None or not b else _t1 / b)", True, {}),
    ("(a + m) / (b * n)", "(None if (_t1 := (None if m is None else a + m)) is None"
                          " or not (_t2 := (None if n is None else b * n)) else _t1 / _t2)", True, {}),
    ("a / (m + 1)", "(None if not (_t1 := (None if m is None else m + C0)) else a / _t1)", True, {"C0": D("1")}),
    # and, or: stop at false (true), and at no value
    ("a and m", "(a if a is False else m)", True, {}),
    ("m and n", "(m if m is None or m is False else n)", True, {}),
    ("a or m", "(a if a is True else m)", True, {}),
    ("m or n", "(m if m is None or m is True else n)", True, {}),
    # in a list: a tuple, also of one
    ("m in [1, a, n]", "(None if m is None or n is None else m in (C0, a, n,))", True, {"C0": D("1")}),
    ("(a + b) in [m]", "(None if ((_t1 := (a + b)) is None and False) or m is None else _t1 in (m,))", True, {}),
    # if: a condition without a value is no value
    ("if a > 1 then a else 2", "(a if (a > C0) else C1)", False, {"C0": D("1"), "C1": D("2")}),
    ("if a > 1 then m else 2", "(m if (a > C0) else C1)", True, {"C0": D("1"), "C1": D("2")}),
    ("if a > 1 then 1 else m", "(C0 if (a > C0) else m)", True, {"C0": D("1")}),  # 1 twice: one name
    ("if m then 1 else 2", "(None if m is None else (C0 if m else C1))", True, {"C0": D("1"), "C1": D("2")}),
    ("if m > 1 then a else n", "(None if (_t1 := (None if m is None else m > C0)) is None else (a if _t1 else n))",
     True, {"C0": D("1")}),
    # otherwise: the fallback only where there is no value; none needed for a value always there
    ("m otherwise 0", "(m if m is not None else C0)", False, {"C0": D("0")}),
    ("m otherwise (n + 1)", "(m if m is not None else (None if n is None else n + C0))", True, {"C0": D("1")}),
    ("(m + 1) otherwise n", "(_t1 if (_t1 := (None if m is None else m + C0)) is not None else n)", True,
     {"C0": D("1")}),
    ("a otherwise m", "a", False, {}),
    # tables get arguments that have a value; aggregates are leaves
    ("tiers(a)", "(T(a))", False, {}),
    ("tiers(m, a)", "(None if m is None else T(m, a))", True, {}),
    ("tiers(a + m)", "(None if (_t1 := (None if m is None else a + m)) is None else T(_t1))", True, {}),
    ("sum(deals.amount)", "L(sum)", True, {}),
    ("2026-07-01 > m", "(None if m is None else C0 > m)", True, {"C0": date(2026, 7, 1)}),
])
def test_the_python_each_construct_compiles_to(expression, source, may_be_none, constants):
    got_source, got_may_be_none, namespace = compiled(expression)
    assert (got_source, got_may_be_none) == (source, may_be_none)
    assert namespace == constants


def test_min_max_and_round_of_values_are_functions_in_the_namespace():
    source, may_be_none, namespace = compiled("min(m, 2)")
    assert (source, may_be_none) == ("(None if m is None else C0(m, C1))", True)
    assert namespace == {"C0": min, "C1": D("2")}
    source, may_be_none, namespace = compiled("max(a, b, 3)")
    assert (source, may_be_none) == ("(C0(a, b, C1))", False)
    assert namespace == {"C0": max, "C1": D("3")}
    source, may_be_none, namespace = compiled("round(m / 3, 2)")
    assert source == "(None if (_t1 := (None if m is None or not C2 else m / C2)) is None else C0(_t1, C1))"
    assert (namespace["C1"], namespace["C2"]) == (D("0.01"), D("3"))
    assert namespace["C0"](D("2.345"), D("0.01")) == D("2.35")  # half up
    assert compiled("round(a, 0)")[:2] == ("(C0(a, C1))", False)
    assert compiled("round(a, 0)")[2]["C1"] == D("1")
    # one name per function, however often it is called; round's quantum for 0 digits is the 1 already there
    source, _, namespace = compiled("min(a, 1) + max(a, 1) + round(a, 0) + round(b, 0)")
    assert source == "((((C0(a, C1)) + (C2(a, C1))) + (C3(a, C1))) + (C3(b, C1)))"
    assert (namespace["C0"], namespace["C1"], namespace["C2"]) == (min, D("1"), max)
    assert namespace["C3"](D("2.5"), D("1")) == D("3")  # round half up


def test_a_constant_is_known_by_its_type_and_its_text():
    space = CodeSpace()
    names = [space.constant(D("1")), space.constant("1"), space.constant(D("1.0")), space.constant(D("1")),
             space.constant(min, key=("builtin", "min")), space.constant(max, key=("builtin", "max")),
             space.constant(min, key=("builtin", "min"))]
    assert names == ["C0", "C1", "C2", "C0", "C3", "C4", "C3"]
    assert space.namespace == {"C0": D("1"), "C1": "1", "C2": D("1.0"), "C3": min, "C4": max}
    assert [space.temp(), space.temp()] == ["_t1", "_t2"]


def test_a_node_the_compiler_does_not_know_is_refused_by_its_kind():
    compiler = FormulaCompiler(CodeSpace(), lambda node: Code("x", False), lambda call, names: "", lambda f: False)
    with pytest.raises(AssertionError, match="^cannot compile Module$"):
        compiler.compile(parse("", "f.kpi")[0])
