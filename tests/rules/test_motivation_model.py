"""`motivation_model` names the model a plan's pays follow, for the template listing."""

from __future__ import annotations

import pytest

from kpilang.compile import compile_text
from kpilang.workspace.templates import MOTIVATION_MODELS, motivation_model

HEADER = '''
plan p "П" { role cold period month effective 2026-07-01 currency RUB strategy growth goal "Цель" }
metric revenue "Выручка" = sum(deals.amount where stage = "won") kind result
metric calls "Звонки" = count(activities where type = "call") kind activity
kpi revenue_plan "План" = revenue target targets.revenue weight 70% cap 150%
kpi calls_kpi "Звонки" = calls target 100 weight 30% cap 120%
table multiplier "М" { below 70% : 0  from 70% : 1 }
'''

PAYS = {
    "kpi_bonus": 'pay bonus "Премия" = if kpi_score >= 100% then 20000 else 0',
    "salary_multiplier": 'pay bonus "Премия" = salary * multiplier(kpi_score)\n'
                         'pay total "Итого" = salary + bonus',
    "combined": 'pay bonus "Премия" = 30% * salary * multiplier(kpi_score)\n'
                'pay commission "Процент" = 2% * revenue\n'
                'pay total "Итого" = salary + bonus + commission',
    "other": 'pay commission "Процент" = 2% * revenue',
}


@pytest.mark.parametrize("model", PAYS)
def test_model_follows_the_pays(model):
    result = compile_text(HEADER + PAYS[model], "plan.kpi")
    assert result.program is not None, result.diagnostics
    assert motivation_model(result.program) == model


def test_every_model_has_words():
    assert set(MOTIVATION_MODELS) == set(PAYS) - {"other"}
