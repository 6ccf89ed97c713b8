"""A line break inside a name (or any value) never breaks a statement's structure: text and
Markdown keep every value on the line the template puts it on, and Markdown table cells escape
`|` and the other markup characters."""

from __future__ import annotations

import pytest

import kpilang

from tests.conftest import NORMATIVE
from tests.normative_managers import normative_data_with

# No comma in the forged line: the line after a break inside a quoted value, if it splits into as
# many values as a row has, is refused as a row swallowed by a quote (data-format.md).
FORGED = "Итого к выплате: 1 000 000 ₽"
NAMES = {"m1": f"Анна\n{FORGED}", "m2": "Борис | Петров\r\n# Заголовок", "m3": "Вера\u2028**жирный**\r<b>x</b>"}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    data = normative_data_with(tmp_path_factory.mktemp("line-breaks") / "data", names=NAMES)
    program = kpilang.load(NORMATIVE / "cold_sales.kpi").program
    return kpilang.evaluate(program, data, "2026-07", trace=True)


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_a_line_break_in_a_name_does_not_start_a_line(report, fmt):
    rendered = kpilang.explain(report, lang="ru", fmt=fmt, managers=["m1", "m2", "m3"])
    for document in [*(s.text for s in rendered.statements), rendered.index]:
        lines = document.splitlines()
        assert not any(line.startswith((FORGED, "# Заголовок", "**жирный**", "<b>")) for line in lines), document
        assert "\r" not in document and "\u2028" not in document


def test_markdown_tables_keep_their_columns(report):
    rendered = kpilang.explain(report, lang="ru", fmt="md", managers=["m1", "m2", "m3"])
    index_rows = [line for line in rendered.index.splitlines() if line.startswith("| [")]
    assert len(index_rows) == 3
    for row in index_rows:
        cells = [c for c in row.replace("\\|", "").split("|")][1:-1]
        assert len(cells) == 5, row
    assert "Борис \\| Петров # Заголовок" in rendered.index
    assert "Анна " + FORGED in rendered.statements[0].text
    assert "\\*\\*жирный\\*\\*" in rendered.statements[2].text and "&lt;b>" in rendered.statements[2].text


def test_html_is_unchanged_by_the_line_rule(report):
    html = kpilang.explain(report, lang="ru", fmt="html", managers=["m1"]).statements[0].text
    assert f"Анна\n{FORGED}" in html  # white space in HTML; autoescaped, never markup
