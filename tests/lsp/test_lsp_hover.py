"""Hover by what is under the cursor: a declaration (in the plan or an import) with its label
and unit, a data table, a column (in a dotted name or inside an aggregate's rows), a target,
`kpi_score` and `salary`, an aggregate; nothing over a keyword or a literal."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpilang.lsp.analysis import analyse
from kpilang.lsp.hover import hover_text

PLAN = Path(__file__).resolve().parents[2] / "rules" / "cold_sales.kpi"


@pytest.fixture(scope="module")
def analysis():
    return analyse(PLAN, PLAN.read_text(encoding="utf-8"))


def _hover(analysis, word: str, nth: int = 0, offset: int = 1, lang: str = "en") -> str | None:
    """The hover `offset` characters into the `nth` occurrence of `word` after the imports."""
    lines = analysis.text.split("\n")
    found = [(number, line.index(word)) for number, line in enumerate(lines, start=1)
             if word in line and not line.lstrip().startswith(("#", "import"))]
    number, column = found[nth]
    result = hover_text(analysis, number, column + 1 + offset, lang)
    return result[0] if result else None


def test_a_declared_metric_shows_its_formula_label_and_unit(analysis):
    text = _hover(analysis, "quality_calls", nth=1)
    assert 'count(activities where type = "call" and duration >= 1m)' in text
    assert '"Звонки от 1 минуты"' in text and "unit: a count" in text


def test_an_imported_one_says_where_it_is_declared(analysis):
    text = _hover(analysis, "multiplier(kpi_score)")
    assert "table multiplier" in text and "declared in rules/lib/multiplier.kpi" in text


def test_in_russian(analysis):
    assert "единица: деньги" in _hover(analysis, "    revenue\n".strip(), nth=0, lang="ru")


def test_a_data_table_lists_its_columns_and_a_column_gives_its_kind(analysis):
    table = _hover(analysis, "activities where type")
    assert table.startswith("data table `activities`") and "- `duration`: duration" in table
    assert _hover(analysis, "duration >= 1m") == "`activities.duration`: duration"


def test_a_target_and_the_built_in_names(analysis):
    assert _hover(analysis, "targets.revenue", offset=9).startswith("`targets.revenue`: the person's target")
    assert _hover(analysis, "targets.revenue", offset=2).startswith("data table `targets`")
    assert "weight" in _hover(analysis, "kpi_score)")
    assert "managers table" in _hover(analysis, "salary *")


def test_an_aggregate_and_nothing_over_a_keyword_or_a_number(analysis):
    assert _hover(analysis, "count(activities").startswith("`count`: an aggregate")
    assert _hover(analysis, "where type") is None
    assert _hover(analysis, "150%") is None
