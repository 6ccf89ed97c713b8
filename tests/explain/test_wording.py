"""Metrics and formulas in words: what was counted (table, conditions, period, team), brackets only
where the grouping needs them, every word from the language's catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

import kpilang
from kpilang.explain.catalog import MessageError, load_messages
from kpilang.explain.formatting import LocaleFormat
from kpilang.explain.wording import FormulaWords, Substitution

PLAN = """
plan p "П" {{
    role cold
    period month
    effective 2026-07-01
    timezone "Europe/Moscow"
    currency RUB
    strategy growth
    goal "g"
    {scope}
}}
metric calls "Звонки" = count(activities where type = "call" and duration >= 1m)
metric contacted "Контакты" = count_distinct(activities.client_id where status = "done" and (duration >= 90s or type = "email"))
metric fast "Быстрые ответы" = share(leads where first_response_at - created_at <= 15m)
metric qualified "Квалифицированные" = share(leads where status in ["qualified", "converted"])
metric avg_deal "Средняя сделка" = avg(deals.amount where stage = "won" and not is_new_client)
metric revenue "Выручка" = sum(deals.amount where stage = "won")
kpi revenue_plan "План" = revenue target targets.revenue weight 60% cap 150%
kpi speed "Скорость" = fast otherwise 0 target 80% weight 40%
table m "Мульт" {{ below 100% : 0  from 100% : 1 }}
pay bonus "Премия" = salary * m(kpi_score) - (salary - 1000) / 2
pay total "Итого" = if kpi_score >= 100% then salary + bonus else max(salary, 1000)
"""


def program(tmp_path: Path, scope: str = ""):
    path = tmp_path / "p.kpi"
    path.write_text(PLAN.format(scope=scope), encoding="utf-8")
    result = kpilang.load(path)
    assert result.program is not None, [d.message for d in result.diagnostics]
    return result.program


def words(program, lang):
    return FormulaWords(program, load_messages(lang), LocaleFormat(lang, "RUB"))


def test_what_each_aggregate_counts_in_russian(tmp_path):
    p = program(tmp_path)
    w = words(p, "ru")
    counted = {name: w.counted(m.expr, "июль 2026 г.") for name, m in p.metrics.items()}
    # a filter that names a kind of record says it in words (`type = "call"`: calls)
    assert counted["calls"] == "количество: звонки, где длительность ≥ 1 мин; июль 2026 г."
    assert counted["contacted"] == ("количество разных значений «клиент», где статус = «done» и "
                                    "(длительность ≥ 90 с или тип = «email»); июль 2026 г.")
    # a difference of two columns says what it means
    assert counted["fast"] == ("доля записей «заявки», где время до первого ответа ≤ 15 мин от всех записей «заявки»; "
                               "июль 2026 г.")
    assert counted["qualified"].startswith("доля записей «заявки», где статус — одно из: «qualified», «converted»")
    assert counted["avg_deal"].startswith("среднее «сумма сделки»: выигранные сделки, где новый клиент: нет")
    assert counted["revenue"] == "сумма «сумма сделки»: выигранные сделки; июль 2026 г."


def test_what_each_aggregate_counts_in_english_for_a_team(tmp_path):
    p = program(tmp_path, "scope team")
    w = words(p, "en")
    assert w.counted(p.metrics["revenue"].expr, "July 2026", team=True) == \
        "sum of deal amount of won deals, over the whole team; July 2026"


def test_formulas_keep_their_grouping(tmp_path):
    p = program(tmp_path)
    w = words(p, "en")
    assert w.words(p.pays["bonus"].expr) == "Salary × Мульт(KPI score) − (Salary − 1,000) / 2"
    assert w.words(p.pays["total"].expr) == \
        "if KPI score ≥ 100% then Salary + Премия, otherwise max(Salary, 1,000)"
    assert w.words(p.kpis["speed"].expr) == "Быстрые ответы (if it has no value: 0)"
    assert w.words(p.kpis["revenue_plan"].target) == "personal target “Выручка”"


def test_substitution_fills_numbers_into_the_worded_formula(tmp_path):
    p = program(tmp_path)
    sub = Substitution(words(p, "ru"), p.pays["bonus"].expr)
    assert sub.keys == ("salary", "kpi_score", "salary")
    assert sub.fill(["60 000,00 ₽", "105 %", "60 000,00 ₽"]) == \
        "60 000,00 ₽ × Мульт(105 %) − (60 000,00 ₽ − 1\xa0000) / 2"


def test_catalogs_have_the_same_keys():
    assert load_messages("ru").keys() == load_messages("en").keys()


def test_a_catalog_override_must_name_real_messages(tmp_path):
    (tmp_path / "messages.ru.toml").write_text('totl = "x"\n', encoding="utf-8")
    with pytest.raises(MessageError, match="totl"):
        load_messages("ru", tmp_path)


@pytest.mark.parametrize("text", ["{subject.__class__}", "{subject[0]}", "{0}", "{subject:{width}}"])
def test_a_wording_file_cannot_reach_into_objects(tmp_path, text):
    (tmp_path / "messages.en.toml").write_text(f'table_used_by = "{text}"\n', encoding="utf-8")
    with pytest.raises(MessageError, match="table_used_by"):
        load_messages("en", tmp_path)


def test_two_equalities_name_a_kind_together_and_an_unknown_value_stays_as_written(tmp_path):
    text = PLAN.format(scope="") + (
        'metric held "Встречи" = count(activities where type = "meeting" and status = "done")\n'
        'metric odd "Странные" = count(deals where stage = "archived")\n')
    path = tmp_path / "q.kpi"
    path.write_text(text, encoding="utf-8")
    p = kpilang.load(path).program
    assert words(p, "ru").counted(p.metrics["held"].expr) == "количество: проведённые встречи"
    assert words(p, "en").counted(p.metrics["held"].expr) == "number of meetings held"
    assert words(p, "en").counted(p.metrics["odd"].expr) == "number of deals where stage = “archived”"
