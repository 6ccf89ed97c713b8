"""A statement shows a pay's rounding only when it changes the figure: `72 000,00 → 72 000,00` is
no step a manager needs to read."""

from __future__ import annotations

from kpilang.explain import build_statements

from .conftest import evaluate_normative


def test_a_rounding_that_changes_nothing_is_not_shown(normative_report):
    [anna] = build_statements(normative_report, lang="ru", managers=["m1"])
    assert [p.rounding for p in anna.pays] == [None, None, None]  # 72 000,00, 23 000,01 and 155 000,01 are exact


def test_a_rounding_that_changes_the_pay_is_shown(data_copy):
    deals = data_copy / "deals.csv"
    deals.write_text(deals.read_text(encoding="utf-8").replace(",won,300000.00,", ",won,300000.25,"), encoding="utf-8")
    [anna] = build_statements(evaluate_normative(data_copy), lang="ru", managers=["m1"])
    commission = next(p for p in anna.pays if p.name == "commission")
    assert commission.rounding == "до 0,01\u00a0₽, половина вверх: 23\u00a0000,015\u00a0₽ → 23\u00a0000,02\u00a0₽"
