"""Graduated tables pay Σ rate × (the part of the argument inside each tier), on both paths: the
figure alone (`result`: a table inside a metric's expression, plan tests, evaluation without an
explanation) and the figure with its explanation (`hit`).

Every expected figure is written out by hand in the test or computed by `tiered`, a few lines of
tier arithmetic of the test's own: tiers taken as written, each paying on max(0, min(x, top) − low).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from kpilang.compile.compiler import compile_text
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs
from kpilang.evaluate.plan_tests import run_plan_tests
from kpilang.evaluate.table_lookup import GraduatedTable, LookupFailed

D = Decimal

HEADER = '''plan p "P" {
    role cold  period month  effective 2026-07-01  currency RUB  strategy growth  goal "g"
}
metric revenue = sum(deals.amount where stage = "won")
kpi level = revenue
    target 1
    weight 100%
'''

TABLES = '''
table three graduated { below 100 : 3%  100 to 300 : 4%  from 300 : 5% }
table of_target graduated { below 50% : 3%  50% to 100% : 4%  from 100% : 5% }
table starts_late graduated { 100 to 200 : 5%  from 200 : 10% }
table bounded graduated { below 100 : 3%  100 to 200 : 5% }
table top_first graduated { from 300 : 5%  100 to 300 : 4%  below 100 : 3% }
'''


def _program(body: str = ""):
    result = compile_text(HEADER + TABLES + body, "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    return result.program


@pytest.fixture(scope="module")
def tables() -> dict[str, GraduatedTable]:
    return {name: GraduatedTable(t) for name, t in _program().tables.items()}


def tiered(x: Decimal, tiers: list[tuple[Decimal, Decimal | None, Decimal]], base: Decimal = D(1)) -> Decimal:
    """The test's own graduated arithmetic, tiers in any order: Σ rate × max(0, min(x, top) − low)."""
    total = D(0)
    for low, high, rate in tiers:
        low, top = low * base, (x if high is None else min(x, high * base))
        total += rate * max(D(0), top - low)
    return total


def both_paths(table: GraduatedTable, x: str, base: str | None = None) -> Decimal:
    """The figure of `result`, after checking that `hit` gives the very same one."""
    argument, base_value = D(x), (None if base is None else D(base))
    figure = table.result(argument, base_value)
    traced, hit = table.hit(argument, base_value, "pay", "call")
    assert traced == figure and hit.result == figure
    assert sum((part.result for part in hit.parts), D(0)) == figure
    return figure


# ---- figures written out by hand ------------------------------------------------------------------


@pytest.mark.parametrize(("x", "expected"), [
    ("50", "1.50"),          # 3% × 50
    ("100", "3.00"),         # 3% × 100, nothing in the second tier
    ("250", "9.00"),         # 3% × 100 + 4% × 150
    ("400", "16.00"),        # 3% × 100 + 4% × 200 + 5% × 100: every tier adds to the total
    ("0", "0"),
])
def test_every_reached_tier_adds_its_part(tables, x, expected):
    assert both_paths(tables["three"], x) == D(expected)


@pytest.mark.parametrize(("x", "base", "expected"), [
    # edges 50% and 100% of a base of 800 000 are 400 000 and 800 000
    ("1000000", "800000", "38000.00"),  # 3% × 400 000 + 4% × 400 000 + 5% × 200 000
    ("600000", "800000", "20000.00"),   # 3% × 400 000 + 4% × 200 000
    ("300000", "800000", "9000.00"),    # 3% × 300 000
    ("30", "40", "1.00"),               # edges 20 and 40: 3% × 20 + 4% × 10
])
def test_edges_are_fractions_of_the_base(tables, x, base, expected):
    assert both_paths(tables["of_target"], x, base) == D(expected)


def test_a_first_tier_above_zero_pays_from_its_lower_edge(tables):
    late = tables["starts_late"]
    assert both_paths(late, "150") == D("2.50")   # 5% × (150 − 100)
    assert both_paths(late, "250") == D("10.00")  # 5% × 100 + 10% × 50
    assert both_paths(late, "100") == D(0)
    with pytest.raises(LookupFailed) as below:
        late.result(D("99.99"))
    assert below.value.code == "below_first_tier" and below.value.cause == "no_band"
    with pytest.raises(LookupFailed):
        late.hit(D("99.99"), None, "pay", "call")


def test_a_first_tier_above_zero_is_scaled_by_the_base():
    late = GraduatedTable(_program("table late_share graduated { 10% to 20% : 5%  from 20% : 10% }")
                          .tables["late_share"])
    # with a base of 1000 the tiers are 100 to 200 and from 200
    assert both_paths(late, "250", "1000") == D("10.00")
    with pytest.raises(LookupFailed) as below:
        late.result(D("99"), D("1000"))
    assert below.value.code == "below_first_tier"


def test_a_value_on_the_upper_edge_of_a_bounded_last_tier_is_in_no_band(tables):
    bounded = tables["bounded"]
    assert both_paths(bounded, "199.99") == D("7.9995")  # 3% × 100 + 5% × 99.99
    for look in (lambda: bounded.result(D(200)), lambda: bounded.hit(D(200), None, "pay", "call")):
        with pytest.raises(LookupFailed) as past:
            look()
        assert past.value.code == "past_last_tier" and past.value.cause == "no_band"
    share = GraduatedTable(_program("table share graduated { below 50% : 3%  50% to 100% : 5% }").tables["share"])
    assert both_paths(share, "600", "800") == D("22.00")  # edges 400 and 800: 3% × 400 + 5% × 200
    with pytest.raises(LookupFailed) as scaled:
        share.result(D(800), D(800))
    assert scaled.value.code == "past_last_tier"
    assert str(scaled.value.message).startswith("800 reaches past 800, where the tiers of graduated table `share` stop")
    with pytest.raises(LookupFailed) as scaled_up:
        share.result(D(900), D(600))  # the tiers stop at 100% of 600
    assert str(scaled_up.value.message).startswith("900 reaches past 600, where")


def test_tiers_written_top_band_first_pay_as_in_order(tables):
    assert both_paths(tables["top_first"], "400") == D("16.00")  # the same tiers as `three`
    assert both_paths(tables["top_first"], "250") == D("9.00")
    assert both_paths(tables["top_first"], "50") == D("1.50")


def test_a_value_on_a_lower_edge_is_explained_by_the_tier_starting_there(tables):
    figure, hit = tables["three"].hit(D(100), None, "pay", "call")
    assert figure == D("3.00")
    assert (hit.band, hit.low, hit.high, hit.value) == (1, D(100), D(300), D("0.04"))
    assert [(p.band, p.amount) for p in hit.parts] == [(0, D(100))]
    _zero, first = tables["starts_late"].hit(D(100), None, "pay", "call")
    assert (first.band, [(p.band, p.amount) for p in first.parts]) == (0, [(0, D(0))])


def test_the_explanation_names_the_reached_tier_and_its_parts(tables):
    _figure, hit = tables["top_first"].hit(D(250), None, "pay", "call")
    # the tier `100 to 300` is written second (index 1)
    assert (hit.band, hit.low, hit.high, hit.value) == (1, D(100), D(300), D("0.04"))
    assert [(p.band, p.low, p.high, p.amount, p.result) for p in hit.parts] == [
        (2, D(0), D(100), D(100), D("3.00")), (1, D(100), D(300), D(150), D("6.00"))]


# ---- the untraced path inside a plan ---------------------------------------------------------------


def _person(revenue: str) -> PersonInputs:
    return PersonInputs(metrics={"revenue": D(revenue)}, salary=D(50000), targets={"revenue": D(800000)},
                        person="m1", period="2026-07")


@pytest.mark.parametrize("trace", [False, True])
def test_a_plan_pays_the_tiered_commission_with_or_without_an_explanation(trace):
    engine = FormulaEngine(_program('''
pay tiered = three(revenue)
pay shared = of_target(revenue, targets.revenue)
pay reordered = top_first(revenue)
'''))
    outcome = engine.evaluate(_person("1000000"), trace=trace)
    assert outcome.errors == []
    # 3% × 100 + 4% × 200 + 5% × 999 700
    assert outcome.pays["tiered"].value == D("49996.00")
    assert outcome.pays["reordered"].value == D("49996.00")
    assert outcome.pays["shared"].value == D("38000.00")


def test_a_plan_test_expects_the_tiered_figure():
    program = _program('''
pay tiered = three(revenue)
test "three tiers" {
    given salary = 50000, revenue = 400
    expect three(revenue) = 16, tiered = 16.00
}
test "wrong total" {
    given salary = 50000, revenue = 400
    expect tiered = 5.00
}
''')
    right, wrong = run_plan_tests(program)
    assert right.passed, [(e.name, e.expected, e.actual) for e in right.expectations]
    assert not wrong.passed


# ---- against the test's own arithmetic -------------------------------------------------------------

THREE = [(D(0), D(100), D("0.03")), (D(100), D(300), D("0.04")), (D(300), None, D("0.05"))]
OF_TARGET = [(D(0), D("0.5"), D("0.03")), (D("0.5"), D(1), D("0.04")), (D(1), None, D("0.05"))]
amounts = st.decimals(min_value=D(0), max_value=D(10_000_000), places=2)


@settings(max_examples=150, deadline=None)
@given(x=amounts, base=st.decimals(min_value=D("0.01"), max_value=D(5_000_000), places=2))
def test_graduated_figures_agree_with_plain_tier_arithmetic(tables, x, base):
    assert both_paths(tables["three"], str(x)) == tiered(x, THREE)
    assert both_paths(tables["top_first"], str(x)) == tiered(x, THREE)
    assert both_paths(tables["of_target"], str(x), str(base)) == tiered(x, OF_TARGET, base)


# ---- what a refused look-up says -------------------------------------------------------------------


def _refusal(table: str, x: str, base: str | None = None, extra: str = "") -> LookupFailed:
    graduated = GraduatedTable(_program(extra).tables[table])
    with pytest.raises(LookupFailed) as refused:
        graduated.result(D(x), None if base is None else D(base))
    return refused.value


def test_each_refusal_names_the_table_and_the_figures():
    below = _refusal("starts_late", "-5")
    assert (below.cause, below.code) == ("no_band", "below_first_tier")
    assert str(below.message) == "-5 is below the first tier of graduated table `starts_late`, which starts at 100"
    assert "from 100 up" in str(below.help)
    past = _refusal("bounded", "250.5")
    assert str(past.message) == ("250.5 reaches past 200, where the tiers of graduated table `bounded` stop "
                                 "(a gap between tiers, or a last tier with an upper edge)")
    assert "`bounded`" in str(past.help)
    base = _refusal("of_target", "10", "-3")
    assert (base.cause, base.code) == ("bad_base", "bad_base")
    assert str(base.message) == ("the base of graduated table `of_target` is -3; its tiers are fractions of the "
                                 "base, so the base must be above 0")
    overlap = _refusal("overlap", "10", extra="table overlap graduated { below 200 : 3%  from 100 : 5% }")
    assert (overlap.cause, overlap.code) == ("no_band", "tiers_overlap")
    assert str(overlap.message) == ("graduated table `overlap`: its tiers overlap from 100 to 200, so the rate "
                                    "there is ambiguous")
    assert "`overlap`" in str(overlap.help)


def test_a_step_table_refusal_lists_its_bands():
    from kpilang.evaluate.table_lookup import StepTable

    holes = StepTable(_program("table holes { below 0 : 1  1 to 2 : 2  from 3 : 3 }").tables["holes"])
    with pytest.raises(LookupFailed) as refused:
        holes.result(D("2.5"))
    assert str(refused.value.message) == "2.5 falls in no band of table `holes` (its bands: below 0, 1 to 2, from 3)"


def test_a_gap_between_tiers_pays_below_it_and_refuses_past_it():
    gap = GraduatedTable(_program("table gap graduated { below 100 : 3%  from 200 : 5% }").tables["gap"])
    assert gap.result(D("50"), None) == D("1.5")  # 50 × 3%
    past = _refusal("gap", "150", extra="table gap graduated { below 100 : 3%  from 200 : 5% }")
    assert str(past.message) == ("150 reaches past 100, where the tiers of graduated table `gap` stop "
                                 "(a gap between tiers, or a last tier with an upper edge)")
