"""Completion by place: what the text before the cursor calls for, with the names of the last
analysis that parsed."""

from __future__ import annotations

from pathlib import Path

from kpilang import schema
from kpilang.compile.names import KINDS, PERIODS, PLAN_FIELDS
from kpilang.lsp.analysis import analyse
from kpilang.lsp.completion import completions

PLAN = Path(__file__).resolve().parents[2] / "rules" / "cold_sales.kpi"


def _labels(text: str, marker: str = "‸", analysis=None) -> set[str]:
    before, _ = text.split(marker)
    line = before.count("\n") + 1
    column = len(before.rsplit("\n", 1)[-1]) + 1
    return {item.label for item in completions(analysis, text.replace(marker, ""), line, column)}


def test_inside_an_aggregate_the_tables_then_after_where_their_columns():
    assert _labels("metric m = count(‸") == set(schema.ACTIVITY_TABLES)
    assert _labels("metric m = count(deals ‸") == {"where"}
    after_where = _labels("metric m = count(deals where st‸")
    assert {"stage", "amount", "is_new_client"} <= after_where and "first_response_at" not in after_where


def test_after_a_table_and_a_dot_its_columns():
    assert _labels("metric m = sum(leads.‸") == {c.name for c in schema.TABLES["leads"].columns}


def test_after_targets_the_target_names_the_plan_uses():
    analysis = analyse(PLAN, PLAN.read_text(encoding="utf-8"))
    assert _labels("kpi k = revenue\n    target targets.‸", analysis=analysis) == {"revenue", "new_clients"}


def test_inside_a_plan_its_fields_and_their_values():
    assert _labels("plan p {\n    ‸\n}") == set(PLAN_FIELDS)
    assert _labels("plan p {\n    period ‸\n}") == set(PERIODS)
    assert "RUB" in _labels("plan p {\n    currency R‸\n}")
    assert _labels('plan p "a { b" {\n    role cold\n}\nmetric m = ‸') >= {"count", "kpi_score"}


def test_a_kind_clause_takes_the_kinds():
    assert _labels("metric m = count(deals)\n    kind ‸") == set(KINDS)


def test_nothing_inside_a_string():
    assert _labels('metric m "Звонки ‸') == set()


def test_elsewhere_declared_names_with_the_imported_ones_functions_and_keywords():
    analysis = analyse(PLAN, PLAN.read_text(encoding="utf-8"))
    offered = _labels("pay x = ‸", analysis=analysis)
    assert {"quality_calls", "revenue", "multiplier", "kpi_score", "salary", "sum", "round", "otherwise", "if"} <= offered
