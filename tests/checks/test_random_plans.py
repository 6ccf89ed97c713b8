"""Random plans: whatever compiles, the linter finishes without an exception, every finding points
into the file, and every witness it reports is reproduced by the formula engine."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpilang.compile.program import SALARY
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs
from kpilang.lint import lint_file
from kpilang.lint.config import LintConfig

HEADER = """plan p "P" {
    role cold  period month  effective 2026-07-01
    currency RUB  strategy growth  goal "g"
}
metric calls "C" = count(activities where type = "call")  kind activity
metric meetings "M" = count(activities where type = "meeting")  kind activity
metric deals_won "W" = count(deals where stage = "won")  kind result
metric revenue "R" = sum(deals.amount where stage = "won")  kind result
metric answered "A" = share(leads where status = "qualified")  kind quality
metric avg_deal "D" = avg(deals.amount where stage = "won")  kind quality
"""
COUNTS = ["calls", "meetings", "deals_won", "answered"]
literals = st.sampled_from(["1", "2", "0.5", "10%", "150%", "0"])


def numbers(depth: int):
    leaf = st.one_of(st.sampled_from(COUNTS), literals)
    if depth == 0:
        return leaf
    sub = numbers(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(sub, st.sampled_from(["+", "-", "*", "/"]), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(sub, sub).map(lambda t: f"min({t[0]}, {t[1]})"),
        st.tuples(sub, sub).map(lambda t: f"({t[0]} otherwise {t[1]})"),
        st.tuples(sub, sub, sub).map(lambda t: f"(if {t[0]} > {t[1]} then {t[1]} else {t[2]})"),
    )


@st.composite
def plans(draw) -> str:
    lines = [HEADER]
    n = draw(st.integers(min_value=2, max_value=3))
    weights = draw(st.sampled_from([[50, 50], [30, 70], [90, 10]])) if n == 2 else [40, 30, 30]
    for i, weight in enumerate(weights):
        expr = draw(st.one_of(numbers(2), st.just("revenue"), st.just("avg_deal")))
        target = "targets.revenue" if expr in ("revenue", "avg_deal") else draw(st.sampled_from(["1", "8%", "100", "targets.k"]))
        cap = draw(st.sampled_from(["", " cap 150%", " cap 120%"]))
        lower = draw(st.sampled_from(["", "", " lower is better"]))
        lines.append(f'kpi k{i} "K{i}" = {expr} target {target} weight {weight}%{cap}{lower}')
    edges = sorted(set(draw(st.lists(st.sampled_from([50, 70, 90, 100, 120, 150]), min_size=1, max_size=4))))
    values = draw(st.lists(st.sampled_from(["0", "0.5", "1", "1.2", "1.5"]), min_size=len(edges) + 1, max_size=len(edges) + 1))
    gap = draw(st.booleans()) and len(edges) > 2
    bands = [f"below {edges[0]}% : {values[0]}"]
    for j, (low, high) in enumerate(zip(edges, edges[1:])):
        if gap and j == 0:
            continue
        bands.append(f"{low}% to {high}% : {values[j + 1]}")
    if draw(st.booleans()):
        bands.append(f"from {edges[-1]}% : {values[-1]}")
    lines.append('table m "M" { ' + "  ".join(bands) + " }")
    lines.append('table tiers "T" graduated { below 100% : 3%  from 100% : 5% }')
    lines.append('pay bonus "B" = salary * m(kpi_score)' + draw(st.sampled_from(["", " cap 2 * salary"])))
    lines.append(draw(st.sampled_from([
        'pay extra "E" = 50 * calls', 'pay extra "E" = tiers(revenue, targets.revenue)',
        'pay extra "E" = 2% * revenue', 'pay extra "E" = salary * k0 otherwise 0',
        'pay extra "E" = 1% * avg_deal'])))
    lines.append('pay total "T" = salary + bonus + extra')
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(plans())
def test_lint_never_crashes_and_witnesses_hold(tmp_path_factory, text: str) -> None:
    path = Path(tmp_path_factory.mktemp("plan")) / "p.kpi"
    path.write_text(text, encoding="utf-8")
    result = lint_file(path, config=LintConfig())
    lines = text.splitlines()
    for d in result.diagnostics:
        assert 1 <= d.span.line <= len(lines) and 1 <= d.span.column <= len(lines[d.span.line - 1]) + 1, d
    if result.program is None:
        return
    program = result.program
    engine = FormulaEngine(program)
    for d in result.diagnostics:
        if d.code not in ("KPL004", "KPL005") or d.witness is None:
            continue
        # A metric the figure reads that the witness leaves out has no value in its month.
        metrics = {n: Decimal(d.witness[n]) if n in d.witness else None for n in program.metrics}
        targets = {k.split(".", 1)[1]: Decimal(v) for k, v in d.witness.items() if k.startswith("targets.")}
        for name in program.target_names:
            targets.setdefault(name, Decimal(100))
        inputs = PersonInputs(metrics=metrics, salary=Decimal(d.witness.get(SALARY, "100000")), targets=targets, role="cold")
        outcome = engine.evaluate(inputs, trace=False)
        if d.code == "KPL004":
            assert outcome.kpi_score is not None and outcome.kpi_score >= 1, (d.message, text)
        else:
            pay = d.message.split("`")[1]
            assert outcome.pays[pay].value is not None and str(outcome.pays[pay].value) in d.message, (d.message, text)
