"""Spans and LSP positions: a place in any text (letters outside the Basic Multilingual Plane
included, which UTF-16 counts twice) goes to the client's units and back unchanged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kpilang.diagnostics import Span
from kpilang.lsp.positions import line_column, lines_of, span_range

TEXTS = st.lists(st.text(alphabet=st.sampled_from("ab Я€😀\t\""), max_size=12), min_size=1, max_size=5).map("\n".join)


@given(TEXTS, st.data())
def test_a_place_goes_to_client_units_and_back(text, data):
    lines = lines_of(text)
    line = data.draw(st.integers(1, len(lines)))
    column = data.draw(st.integers(1, len(lines[line - 1]) + 1))
    at = span_range(Span(file="f", line=line, column=column, end_line=line, end_column=column), lines).start
    assert at.character == len(lines[line - 1][:column - 1].encode("utf-16-le")) // 2
    assert line_column(at, lines) == (line, column)
