"""Trojan Source: a bidirectional control character makes a line look different from what
kpilang reads. Names never held one (they are not letters); texts and comments are refused too,
each character an E0107 error at its own place, in every command (every command parses first)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.compile import compile_text
from kpilang.diagnostics import BIDI_CONTROLS, render_text
from kpilang.syntax.formatter import format_source
from tests.compile.test_errors import CALLS
from tests.compile.test_errors import PLAN as PLAN_HEADER

PLAN = PLAN_HEADER + CALLS
CONTROLS = [chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))]


def test_the_set_is_unicodes_bidi_controls():
    assert [c for c in map(chr, range(0x110000)) if BIDI_CONTROLS.fullmatch(c)] == CONTROLS


@pytest.mark.parametrize("control", CONTROLS)
def test_a_control_in_a_text_is_an_error_at_its_place(control):
    source = PLAN.replace('type = "call"', f'type = "call{control} "')
    result = compile_text(source, "plan.kpi")
    assert result.program is None
    error = result.diagnostics[0]
    assert (error.code, error.name) == ("E0107", "bidi-control")
    assert (error.span.line, error.span.column, error.span.end_column) == (9, 51, 52)
    assert f"U+{ord(control):04X}" in error.message and "Trojan Source" in error.help


def test_the_classic_attack_in_a_comment_is_refused():
    # An override and isolates that make a condition seem to sit inside the comment, or the reverse.
    source = PLAN + 'pay p = if calls > 0 then salary else 0  # \u202e } \u2066 if calls > 100 \u2069 \u2066\n'
    result = compile_text(source, "plan.kpi")
    assert [d.code for d in result.diagnostics] == ["E0107"] * 4
    assert [d.span.column for d in result.diagnostics] == [44, 48, 65, 67]
    assert all(d.span.line == 10 for d in result.diagnostics)


def test_fmt_refuses_it_too_and_says_so_in_russian():
    source = PLAN.replace('"Grow"', '"Grow\u202e"')
    formatted, diagnostics = format_source(source, "plan.kpi")
    assert [d.code for d in diagnostics] == ["E0107"]
    russian = diagnostics[0].localized("ru")
    assert "управляющий символ" in russian.message and "Trojan Source" in russian.help


@settings(deadline=None)  # each example compiles or loads Unicode tables: a busy machine is no failure
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20))
def test_a_text_without_controls_is_never_refused_for_them(words):
    words = BIDI_CONTROLS.sub("", words).replace("\\", "").replace('"', "").replace("\n", "").replace("\r", "")
    result = compile_text(PLAN.replace('"Grow"', f'"{words}"'), "plan.kpi")
    assert "E0107" not in [d.code for d in result.diagnostics]


def test_the_quoted_line_under_the_error_shows_no_control_itself():
    # Printed as it is, the override would reorder the very line that reports it.
    source = PLAN + 'pay p = if calls > 0 then salary else 0  # \u202e } \u2066 if calls > 100 \u2069 \u2066\n'
    result = compile_text(source, "plan.kpi")
    shown = render_text(result.diagnostics[0], {"plan.kpi": source}, "en")
    assert not BIDI_CONTROLS.search(shown)
    quoted = next(line for line in shown.splitlines() if line.startswith("10 | "))
    caret = next(line for line in shown.splitlines() if line.strip(" |").startswith("^"))
    assert quoted[caret.index("^")] == "\ufffd"
