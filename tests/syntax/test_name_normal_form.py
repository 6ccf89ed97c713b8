"""Names are read in Unicode's compatibility normal form (NFKC), as Python reads identifiers: `ﬁx`
written with the ligature and `fix` are one name, not two that look alike; a name whose normal
form is no name, or is a keyword, is E0109 at the name."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.compile import compile_text
from kpilang.syntax.formatter import format_source
from kpilang.syntax.parser import parse
from tests.compile.test_errors import CALLS, PLAN
from tests.syntax.plan_strategies import KEYWORDS


@pytest.mark.parametrize(("written", "used"), [("ﬁx", "fix"), ("fix", "ﬁx"), ("ｃａｌｌｓ", "calls"), ("ｃａｌｌｓ", "ｃalls")])
def test_a_name_and_its_compatibility_spelling_are_one_name(written, used):
    source = PLAN + CALLS.replace("metric calls", f"metric {written}") + f"pay p = salary * {used} / {used} otherwise 0\n"
    result = compile_text(source, "plan.kpi")
    assert result.ok, [(d.code, d.message) for d in result.diagnostics]
    assert unicodedata.normalize("NFKC", written) in result.program.metrics


def test_declaring_both_spellings_is_a_duplicate():
    source = PLAN + CALLS.replace("metric calls", "metric fix") + CALLS.replace("metric calls", "metric ﬁx")
    result = compile_text(source, "plan.kpi")
    assert [d.code for d in result.diagnostics if d.severity.value == "error"] == ["E0202"]
    assert "`fix` is declared twice" in result.diagnostics[0].message


def test_fmt_writes_the_normal_form():
    source = PLAN + CALLS.replace("metric calls", "metric ﬁx")
    formatted, diagnostics = format_source(source, "plan.kpi")
    assert diagnostics == []
    assert "metric fix =" in formatted and "ﬁ" not in formatted


@pytest.mark.parametrize(("written", "normal"), [("a¼", "a1⁄4"), ("ｉｆ", "if"), ("²", "2")])
def test_a_name_whose_normal_form_is_no_name_is_an_error_at_it(written, normal):
    result = compile_text(PLAN + CALLS.replace("metric calls", f"metric {written}"), "plan.kpi")
    assert result.program is None
    error = result.diagnostics[0]
    assert (error.code, error.name) == ("E0109", "bad-name")
    assert (error.span.line, error.span.column, error.span.end_column) == (9, 8, 8 + len(written))
    assert f"`{written}`" in error.message and f"`{normal}`" in error.message
    assert "NFKC" in error.localized("ru").message


@settings(deadline=None)  # each example compiles or loads Unicode tables: a busy machine is no failure
@given(st.from_regex(r"[^\W\d]\w{0,5}", fullmatch=True).filter(lambda n: n not in KEYWORDS))
def test_every_name_is_read_in_its_normal_form_or_refused(written):
    normal = unicodedata.normalize("NFKC", written)
    module, diagnostics = parse(f"metric {written} = count(leads)\n", "plan.kpi")
    if module is None:
        assert [d.code for d in diagnostics] == ["E0109"] and normal != written
        assert not re.fullmatch(r"[^\W\d]\w*", normal) or normal in KEYWORDS  # the grammar's NAME
    else:
        assert module.items[0].name.name == normal
