"""Team aggregates against a naive oracle, on generated plans and data.

The generated world of `test_differential` (a plan for role `cold`, people in two teams, deals and
activities) becomes the members' plan; a head per team is added, paid by a generated team plan
over the members: a count or share of members whose score passes a threshold drawn around the
score's band edges, or the sum, mean, smallest, largest or median of a member's figure, under
either treatment of members who cannot be read. The oracle takes each member's figures from the
naive oracle of `test_differential` (which imports nothing of the engine), finds the members the
way the language reference says, and aggregates them in Fractions, rounded once to 34 digits.
"""

from __future__ import annotations

import dataclasses
import tempfile
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

import kpilang
from tests.evaluate.test_differential import World, oracle, render_plan, worlds, write_data

HEADS = {"h1": "north", "h2": "south"}
THRESHOLDS = [Decimal("0.5"), Decimal("0.7"), Decimal(1), Decimal("1.2")]
FIGURES = {"kpi_score": "kpi_score", "pays.total": "pays.total", "pays.bonus": "pays.bonus"}


def team_plan(func: str, figure: str, op: str, threshold: Decimal, policy: str) -> str:
    where = f"kpi_score {op} {threshold * 100}%"
    if func in ("count", "share"):
        aggregate = f"{func}(members where {where})"
    else:
        aggregate = f"{func}(members.{figure})"
    return ('import members "member.kpi"\n\nplan head "Head" {\n  role head\n  period month\n'
            '  effective 2026-07-01\n  timezone "Europe/Moscow"\n  currency RUB\n  strategy growth\n'
            f'  goal "g"\n  scope team\n  on_member_error {policy}\n}}\n'
            f"metric team = {aggregate}\n"
            "kpi k = team otherwise 0\n  target 1\n  weight 100%\npay total = salary\n")


def _rounded(exact: Fraction) -> Decimal:
    with localcontext(prec=34, rounding=ROUND_HALF_EVEN):
        return Decimal(exact.numerator) / Decimal(exact.denominator)


def expected(w: World, func: str, figure: str, op: str, threshold: Decimal, policy: str) -> dict[str, tuple]:
    """Head → (error?, value) as the language reference defines it."""
    people = oracle(w)
    out = {}
    for head, team in HEADS.items():
        readable, problems = [], 0
        for person in w.managers:
            if person["team"] != team or person["role"] == "head":  # the heads are no one's members
                continue
            result = people.get(person["id"])
            if person["role"] != "cold" or result is None or result["error"]:
                problems += 1  # no plan pays `inbound`, or an evaluation error
                continue
            readable.append({"kpi_score": result["kpi_score"], "pays.total": result["pays"]["total"],
                             "pays.bonus": result["pays"]["bonus"]})
        if problems and policy == "fail":
            out[head] = (True, None)
            continue
        meets = [m for m in readable if (m["kpi_score"] >= threshold if op == ">=" else m["kpi_score"] > threshold)]
        values = sorted(Fraction(m[figure]) for m in readable)
        if func == "count":
            value = Decimal(len(meets))
        elif func == "share":
            value = _rounded(Fraction(len(meets), len(readable))) if readable else None
        elif func == "sum":
            value = _rounded(sum(values, Fraction(0)))
        elif not values:
            value = None
        elif func == "avg":
            value = _rounded(sum(values, Fraction(0)) / len(values))
        elif func in ("min", "max"):
            value = _rounded(values[0] if func == "min" else values[-1])
        else:
            middle = len(values) // 2
            value = _rounded(values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2)
        out[head] = (False, value)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(worlds(), st.sampled_from(["count", "share", "sum", "avg", "min", "max", "median"]),
       st.sampled_from(list(FIGURES)), st.sampled_from([">=", ">"]), st.sampled_from(THRESHOLDS),
       st.sampled_from(["fail", "exclude"]))
def test_team_aggregates_agree_with_the_oracle(w: World, func, figure, op, threshold, policy):
    w = dataclasses.replace(w, team=False, managers=w.managers + [
        {**w.managers[0], "id": head, "name": f"Head {head}", "role": "head", "team": team} for head, team in HEADS.items()])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "member.kpi").write_text(render_plan(w), encoding="utf-8")
        (root / "head.kpi").write_text(team_plan(func, figure, op, threshold, policy), encoding="utf-8")
        (root / "data").mkdir()
        write_data(w, root / "data")
        compiled = kpilang.load(root / "head.kpi")
        assert compiled.program is not None, [str(d.message) for d in compiled.diagnostics]
        report = kpilang.evaluate(compiled.program, root / "data", "2026-07")
    want = expected(w, func, figure, op, threshold, policy)
    got = {r.manager_id: r for r in report.results}
    assert set(got) == set(want)
    for head, (error, value) in want.items():
        person = got[head]
        assert any(e.code == "member_error" for e in person.errors) == error, (head, person.errors)
        assert person.metrics["team"] == value, head
