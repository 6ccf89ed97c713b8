"""The linter and earlier periods: a look-back is a figure fixed for the person this period, like a
target. A growth KPI is not met without a sale; a KPI of the past alone is (KPL004, with a
witness that evaluates to it); retention over won deals is nothing without a sale, churn grows
without one; a KPI that rises with an earlier period's figure rewards what nobody does now
(KPL015), while a growth target or a divisor of the past is fine."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kpilang.evaluate.formulas import FormulaEngine, PersonInputs
from kpilang.lint import lint_file
from kpilang.lint.config import LintConfig

HEAD = '''plan p "План" {
    role      cold
    period    month
    effective 2026-07-01
    currency  RUB
    strategy  growth
    goal      "Рост к прошлому месяцу"
}
metric revenue "Выручка" = sum(deals.amount where stage = "won") kind result
metric won "Выигранные сделки" = count(deals where stage = "won") kind result
metric calls "Звонки" = count(activities where type = "call") kind activity
metric leads_in "Заявки" = count(leads) kind activity uncontrollable
metric kept "Вернувшиеся клиенты" = retained(deals.client_id where stage = "won") kind result
metric lost "Ушедшие клиенты" = churned(deals.client_id where stage = "won") kind result
pay total "Итого" = salary * kpi_score
'''
CALLS_KPI = 'kpi calls_kpi "Звонки" = calls target 100 weight 20% cap 120%\n'


def _codes(source: str, tmp_path: Path):
    plan = tmp_path / "plan.kpi"
    plan.write_text(source, encoding="utf-8")
    result = lint_file(plan, config=LintConfig())
    assert result.program is not None, [str(d.message) for d in result.diagnostics]
    return result, {d.code for d in result.diagnostics}


def test_a_growth_kpi_is_not_met_without_a_sale(tmp_path):
    source = HEAD + CALLS_KPI + ('kpi growth "Рост выручки" = revenue target previous(revenue) * 120% '
                                 'weight 80% cap 150%\n')
    _, codes = _codes(source, tmp_path)
    assert "KPL004" not in codes and "KPL015" not in codes


def test_a_kpi_of_the_past_alone_is_met_without_a_sale_and_the_witness_says_so(tmp_path):
    source = HEAD + CALLS_KPI + 'kpi past "Прошлая выручка" = previous(revenue) target 100000 weight 80% cap 150%\n'
    result, codes = _codes(source, tmp_path)
    assert "KPL004" in codes
    finding = next(d for d in result.diagnostics if d.code == "KPL004")
    witness = finding.witness
    assert witness["revenue"] == "0" and "previous(revenue)" in witness
    # The witness evaluates to what the finding claims: a score of 100% or more without a sale.
    program = result.program
    metrics = {n: Decimal(witness.get(n, "0")) for n in program.metrics}
    outcome = FormulaEngine(program).evaluate(PersonInputs(
        metrics=metrics, salary=Decimal(witness.get("salary", "100000")),
        history={"previous(revenue)": Decimal(witness["previous(revenue)"])}), trace=False)
    assert outcome.kpi_score >= 1


def test_retention_over_won_deals_is_nothing_without_a_sale(tmp_path):
    source = HEAD + CALLS_KPI + ('kpi retention "Удержание" = kept / previous(won) otherwise 0 target 50% '
                                 'weight 80% cap 150%\n')
    _, codes = _codes(source, tmp_path)
    assert "KPL004" not in codes


def test_churn_as_a_kpi_to_raise_is_met_by_losing_clients(tmp_path):
    """`churned` grows when sales stop: without `lower is better` it pays for losing clients."""
    source = HEAD + CALLS_KPI + 'kpi churn "Отток" = lost target 5 weight 80% cap 150%\n'
    _, codes = _codes(source, tmp_path)
    assert "KPL004" in codes


def test_a_kpi_that_rises_with_an_earlier_figure_is_uncontrollable(tmp_path):
    source = HEAD + CALLS_KPI + ('kpi mixed "Выручка с прошлой" = revenue + previous(revenue) target 1000000 '
                                 'weight 80% cap 150%\n')
    result, codes = _codes(source, tmp_path)
    finding = next(d for d in result.diagnostics if d.code == "KPL015")
    assert "`previous(revenue)`" in str(finding.message)
    assert "an earlier period's figure: nothing done in this period changes it" in str(finding.notes[0].message)


def test_an_earlier_figure_as_a_divisor_normalises(tmp_path):
    source = HEAD + CALLS_KPI + ('kpi per_lead "Сделки на прошлые заявки" = won / previous(leads_in) otherwise 0 '
                                 'target 10% weight 80% cap 150%\n')
    _, codes = _codes(source, tmp_path)
    assert "KPL015" not in codes and "KPL004" not in codes
