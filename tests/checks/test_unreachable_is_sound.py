"""KPL027's claims are proofs: where it says a KPI's attainment reaches at most X, no month of
rows gives more. Months of concrete rows (any mix of every kind of row the plan's aggregates tell
apart, sales included) are evaluated exactly, as `kpilang eval` does, against the bound."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.checks.proofs import PlanProofs
from kpilang.compile import compile_file
from kpilang.lint import lint_file

CASES = Path(__file__).parent / "cases" / "KPL027-unreachable-target.yaml"
CORPUS = Path(__file__).parent / "corpus"
_REACH = re.compile(r"reaches at most (?P<reach>[\d.]+)%")


def _claims() -> list[tuple[str, str, str]]:
    """(name, plan text, KPI) for every KPI-level finding of the case file and the corpus."""
    sources = [(c["name"], c["source"]) for c in yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"] if c["expect"]]
    sources += [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("bad-*.kpi"))
                if "expect: KPL027" in p.read_text(encoding="utf-8")]
    return sources


@pytest.mark.parametrize(("name", "source"), _claims(), ids=[c[0] for c in _claims()])
@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.sampled_from([0, 1, 2, 3, 7, 10, 1000]), min_size=64, max_size=64))
def test_no_month_of_rows_beats_the_proven_bound(name: str, source: str, counts: list[int], tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("p")
    for lib in (CORPUS / "lib").glob("*.kpi"):
        (folder / "lib").mkdir(exist_ok=True)
        (folder / "lib" / lib.name).write_text(lib.read_text(encoding="utf-8"), encoding="utf-8")
    plan = folder / "p.kpi"
    plan.write_text(source, encoding="utf-8")
    program = compile_file(plan).program
    analysis = PlanProofs(program)
    model = analysis.months
    assert model is not None
    rows = {i: counts[i % len(counts)] for i in range(len(model.kinds))}
    params = analysis.witness_params()
    month = model.month(rows, params)
    if month is None:
        return
    values = analysis.evaluate(month.metrics, params)
    for finding in (d for d in lint_file(plan).diagnostics if d.code == "KPL027"):
        match = _REACH.search(finding.message)
        kpi = re.match(r"`(\w+)`", finding.message)
        if match is None or kpi is None or kpi[1] not in program.kpis:
            continue  # a pay's finding, or a cap (the cap itself is the bound)
        attainment = values[kpi[1]]
        assert not attainment.has_value or attainment.hi * 100 <= Decimal(match["reach"]) + Decimal("0.01"), \
            (finding.message, month.metrics)


def test_a_fractional_target_is_not_read_as_percent(tmp_path: Path) -> None:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    source = next(c["source"] for c in cases if "target of 1.5" in c["name"])
    plan = tmp_path / "p.kpi"
    plan.write_text(source, encoding="utf-8")
    [finding] = [d for d in lint_file(plan).diagnostics if d.code == "KPL027"]
    assert "1.5%" not in (finding.help or "") and "66.67%" in finding.message
