"""An HTML statement reads right to a manager: a bar's colour says what it means (below the
target, target met, over the cap) with a legend, never the red of an error for a KPI over its cap;
tables have captions and header scopes; the plan's fingerprint and the data's hashes stand in the
payroll office's footer, not in the summary at the top."""

from __future__ import annotations

import re

import pytest

from kpilang.explain import build_statements, load_messages, render_statements

from .conftest import evaluate_normative


@pytest.fixture(scope="module")
def report():
    return evaluate_normative()


@pytest.fixture(scope="module")
def statements(report):
    return build_statements(report, lang="ru")


def test_each_bar_is_below_met_or_capped_by_its_attainment(statements):
    states = {(s.manager_id, k.name): k.bar.state for s in statements for k in s.kpis if k.bar}
    kpis = {(s.manager_id, k.name): k for s in statements for k in s.kpis if k.bar}
    assert {"below", "met", "capped"} <= set(states.values()), states
    for key, kpi in kpis.items():
        assert (states[key] == "capped") == kpi.capped


def test_a_kpi_over_its_cap_is_not_drawn_in_the_colour_of_an_error(report, statements):
    rendered = render_statements(statements, report, fmt="html", lang="ru")
    capped = next(s for s in statements if any(k.capped for k in s.kpis))
    html = next(doc.text for doc in rendered.statements if doc.manager_id == capped.manager_id)
    assert 'class="fill capped"' in html and "fill over" not in html
    css = html[html.index("<style>"):html.index("</style>")]
    capped_rule = re.search(r"svg \.fill\.capped[^{]*\{([^}]*)\}", css)
    assert capped_rule and "--warn" not in capped_rule.group(1)
    t = load_messages("ru")
    assert t.bar_below in html and t.bar_met in html and t.bar_capped in html
    kpis = html[html.index(f"<h2>{t.kpis}</h2>"):html.index(f"<h2>{t.kpi_score}")]
    assert 'class="capped"' not in kpis  # the red of an error: this statement has none


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_tables_have_captions_and_every_header_a_scope(report, statements, lang):
    rendered = render_statements(build_statements(report, lang=lang), report, fmt="html", lang=lang)
    for html in [*(doc.text for doc in rendered.statements), rendered.index]:
        tables = re.findall(r"<table[^>]*>(.*?)</table>", html, flags=re.S)
        assert tables
        for table in tables:
            assert table.lstrip().startswith("<caption"), table[:80]
        assert re.findall(r"<th(?![^>]*scope=)", html) == []


@pytest.mark.parametrize("fmt", ["html", "md", "text"])
def test_the_fingerprint_is_in_the_payroll_footer_not_in_the_summary(report, fmt):
    statements = build_statements(report, lang="ru")
    rendered = render_statements(statements, report, fmt=fmt, lang="ru")
    t = load_messages("ru")
    for statement, doc in zip(statements, rendered.statements):
        before, footer = doc.text.split(t.payroll, 1)
        assert statement.fingerprint not in before and t.fingerprint not in before
        assert statement.fingerprint in footer
    if fmt == "html":
        before, footer = rendered.index.split(t.payroll, 1)
        assert statements[0].fingerprint not in before and statements[0].fingerprint in footer
