"""Every ready plan in rules/ explains every person of the demo data, in both languages and all
formats: nothing crashes, every computed final pay is in its statement, and every person with an
error has it explained instead of a figure."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape

import kpilang
from kpilang.explain import FORMATS, build_statements, render_statements

ROOT = Path(__file__).resolve().parents[2]
PLANS = sorted((ROOT / "rules").glob("*.kpi"))
DEMO = ROOT / "examples" / "demo"


@pytest.mark.skipif(not DEMO.is_dir(), reason="the demo data is not in this checkout")
@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_ready_plan_statements(plan):
    result = kpilang.load(plan)
    assert result.program is not None
    report = kpilang.evaluate(result.program, DEMO, "2026-07")
    assert report.results
    for lang in ("ru", "en"):
        statements = build_statements(report, lang=lang)
        for fmt in FORMATS:
            rendered = render_statements(statements, report, fmt=fmt, lang=lang)
            for statement, doc in zip(statements, rendered.statements):
                shown = (lambda text: str(escape(text))) if fmt == "html" else (lambda text: text)
                if statement.total is not None:
                    assert shown(statement.total) in doc.text
                else:
                    assert statement.errors, statement.manager_id
                    assert shown(statement.errors[0].text) in doc.text
            assert rendered.index
