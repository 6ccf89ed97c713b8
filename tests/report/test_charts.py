"""The report's SVG charts: every value drawn is said in the text alternative; the series are
told apart without colour; a value label that would not fit above its bar is left out of the
drawing but never out of the bar's title or the text alternative; bad input is refused."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpilang.report.charts import STYLES, Series, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


values = st.lists(st.one_of(st.none(), st.decimals(min_value=-10**9, max_value=10**9, places=2,
                                                  allow_nan=False, allow_infinity=False)),
                  min_size=1, max_size=14)


@given(first=values, data=st.data())
def test_every_value_is_in_the_text_alternative_and_in_a_bar_title(first, data):
    second = data.draw(st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=0)),
                                min_size=len(first), max_size=len(first)))
    categories = [f"2026-{i + 1:02d}" for i in range(len(first))]
    series = [Series("payroll", first, [f"<{v}>" for v in first]), Series("salaries", second, [f"[{v}]" for v in second])]
    svg = _parse(bar_chart("Payroll & salaries", categories, series))
    assert svg.get("role") == "img"
    desc = svg.find(f"{SVG}desc").text
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    for s in series:
        for category, value, shown in zip(categories, s.values, s.shown):
            if value is None:
                assert f"{category} —" in desc
                assert not any(t.endswith(shown) and t.startswith(f"{s.name}, {category}") for t in titles)
            else:
                assert f"{category} {shown}" in desc
                assert f"{s.name}, {category}: {shown}" in titles
    bars = [r for r in svg.iter(f"{SVG}rect") if "bar" in r.get("class", "") and r.find(f"{SVG}title") is not None]
    assert len(bars) == sum(v is not None for s in series for v in s.values)
    for bar in bars:
        assert float(bar.get("height")) > 0 and float(bar.get("width")) > 0


def test_series_are_told_apart_without_colour():
    svg = _parse(bar_chart("t", ["a", "b"], [Series(n, [Decimal(1), Decimal(2)], ["1", "2"])
                                             for n in ("x", "y", "z")]))
    classes = {r.get("class") for r in svg.iter(f"{SVG}rect")}
    assert {f"bar {style}" for style in STYLES} <= classes
    hatched = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "bar hatched"]
    assert all(r.get("fill", "").startswith("url(#") for r in hatched)
    assert svg.find(f".//{SVG}pattern") is not None


def test_a_value_too_wide_for_its_bar_is_left_out_of_the_drawing_only():
    many = [f"2026-{i:02d}" for i in range(1, 13)]
    long = Series("payroll", [Decimal(10**9)] * 12, ["1 000 000 000,00 ₽"] * 12)
    svg = _parse(bar_chart("t", many, [long, long]))
    assert not [t for t in svg.iter(f"{SVG}text") if t.get("class") == "value"]
    assert svg.find(f"{SVG}desc").text.count("1 000 000 000,00 ₽") == 24
    few = _parse(bar_chart("t", ["2026-07"], [Series("payroll", [Decimal(5)], ["5 ₽"])]))
    assert [t.text for t in few.iter(f"{SVG}text") if t.get("class") == "value"] == ["5 ₽"]


def test_the_reference_line_is_dashed_and_in_the_legend():
    svg = _parse(bar_chart("t", ["a"], [Series("x", [Decimal("1.2")], ["120 %"])], reference=Decimal(1),
                           reference_label="100 % of plan"))
    lines = [line for line in svg.iter(f"{SVG}line") if "reference" in line.get("class", "")]
    assert len(lines) == 2  # the line across the chart and its sample in the legend
    assert "100 % of plan" in [t.text for t in svg.iter(f"{SVG}text")]


def test_text_is_escaped():
    svg = str(bar_chart("<script>", ["<b>"], [Series("a&b", [Decimal(1)], ["1"])]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a&amp;b" in svg


def test_coordinates_are_written_with_one_decimal():
    svg = str(bar_chart("t", ["a", "b", "c"], [Series("x", [Decimal("1") / 3, Decimal(2), None], ["a", "b", "c"])]))
    for number in re.findall(r'(?:x|y|width|height)="(-?[\d.]+)"', svg):
        assert re.fullmatch(r"-?\d+(\.\d)?", number), number


@pytest.mark.parametrize("categories, series", [
    ([], [Series("x", [], [])]),
    (["a"], []),
    (["a", "b"], [Series("x", [Decimal(1)], ["1"])]),
    (["a"], [Series(str(i), [Decimal(1)], ["1"]) for i in range(4)]),
])
def test_a_chart_that_cannot_be_drawn_is_refused(categories, series):
    with pytest.raises(ValueError):
        bar_chart("t", categories, series)
