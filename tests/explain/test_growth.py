"""Statements of plans that look back: both periods' figures and the change; a share's change in
percentage points («+5,5 п. п.»), never in percent; a ratio of counts shown as a percent."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import kpilang
from kpilang.compile import compile_text
from kpilang.explain import build_statements, render_statements
from kpilang.payouts.json import to_json

HEAD = '''plan p "План" {
    role      cold
    period    month
    effective 2026-07-01
    timezone  "Europe/Moscow"
    currency  RUB
    strategy  growth
    goal      "Больше выигранных сделок"
}
metric won "Выигранные сделки" = count(deals where stage = "won") kind result
metric closed "Закрытые сделки" = count(deals where stage in ["won", "lost"]) kind result
metric win_share "Доля выигранных" = share(deals where stage = "won") kind result
metric revenue "Выручка" = sum(deals.amount where stage = "won") kind result
'''


def _data(root: Path, july: tuple[int, int], august: tuple[int, int]) -> Path:
    """One manager; in each month `won` won deals of 1,000.00 among `total` closed ones."""
    root.mkdir()
    (root / "managers.csv").write_text("id,name,role,team,salary\nm1,Анна,cold,north,50000.00\n", encoding="utf-8")
    (root / "targets.csv").write_text("manager_id,period,name,value\nm1,2026-08,win_rate,0.9\n", encoding="utf-8")
    rows = ["id,manager_id,client_id,created_at,closed_at,stage,amount"]
    n = 0
    for month, (won, total) in (("07", july), ("08", august)):
        for i in range(total):
            n += 1
            stage = "won" if i < won else "lost"
            rows.append(f"d{n},m1,c{i % 7},2026-{month}-01T10:00:00+03:00,2026-{month}-15T10:00:00+03:00,{stage},1000.00")
    (root / "deals.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def _spaces(text: str) -> str:
    """Figures are written with no-break spaces (`44,5\u00a0%`); compared here as plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _report(text: str, data: Path):
    result = compile_text(text, "p.kpi")
    assert result.program is not None, [str(d.message) for d in result.diagnostics]
    return kpilang.evaluate(result.program, data, "2026-08", trace=True)


SHARE_PLAN = HEAD + '''kpi share_growth "Рост доли выигранных" = win_share otherwise 0
    target previous(win_share) + 5% weight 50% cap 150%
kpi revenue_growth "Рост выручки" = revenue target previous(revenue) * 110% weight 50% cap 150%
pay total "Итого" = salary * kpi_score
'''


def test_a_share_changes_by_percentage_points_in_russian_and_english(tmp_path):
    report = _report(SHARE_PLAN, _data(tmp_path / "d", july=(89, 200), august=(100, 200)))
    ru = build_statements(report, lang="ru")[0]
    lines = {g.key: g for g in ru.earlier}
    share = lines["previous(win_share)"]
    assert tuple(map(_spaces, (share.then, share.now, share.change))) == ("44,5 %", "50 %", "+5,5 п. п.")
    assert share.growth is None
    assert _spaces(share.line) == "Доля выигранных: июль 2026 г. — 44,5 %, август 2026 г. — 50 %; изменение +5,5 п. п."
    en = build_statements(report, lang="en")[0]
    assert {g.key: g for g in en.earlier}["previous(win_share)"].change == "+5.5\u00a0pp"


def test_an_amount_shows_both_periods_the_difference_and_the_growth(tmp_path):
    report = _report(SHARE_PLAN, _data(tmp_path / "d", july=(80, 100), august=(100, 120)))
    line = {g.key: g for g in build_statements(report, lang="ru")[0].earlier}["previous(revenue)"]
    assert _spaces(line.then) == "80 000,00 ₽" and _spaces(line.now) == "100 000,00 ₽"
    assert (_spaces(line.change), _spaces(line.growth)) == ("+20 000,00 ₽", "+25 %")
    text = _spaces(render_statements(build_statements(report, lang="ru"), report, fmt="text", lang="ru").statements[0].text)
    assert "Сравнение с прошлыми периодами" in text
    assert "Выручка: июль 2026 г. — 80 000,00 ₽, август 2026 г. — 100 000,00 ₽; изменение +20 000,00 ₽ (+25 %)" in text
    assert "Цель: Выручка за июль 2026 г. × 110 % = 88 000,00 ₽" in text
    page = _spaces(render_statements(build_statements(report, lang="ru"), report, fmt="html", lang="ru").statements[0].text)
    assert "изменение +20 000,00 ₽ (+25 %)" in page


def test_the_json_of_a_plan_that_looks_back_holds_the_earlier_figures(tmp_path):
    report = _report(SHARE_PLAN, _data(tmp_path / "d", july=(80, 100), august=(100, 120)))
    person = to_json(report)["results"][0]
    assert person["earlier"]["periods"] == [{"back": 1, "period": "2026-07",
                                             "metrics": {"win_share": "0.8", "revenue": "80000.00"}}]
    assert person["earlier"]["values"] == {"previous(win_share)": "0.8", "previous(revenue)": "80000.00"}
    json.dumps(person)


def test_a_plan_without_look_backs_has_no_earlier_section(tmp_path):
    plain = HEAD + 'kpi wins "Сделки" = won target 10 weight 100% cap 150%\npay total "Итого" = salary * kpi_score\n'
    report = _report(plain, _data(tmp_path / "d", july=(1, 2), august=(1, 2)))
    assert build_statements(report, lang="ru")[0].earlier == []
    assert "earlier" not in to_json(report)["results"][0]


def test_a_ratio_of_counts_with_a_percent_target_reads_as_percents(tmp_path):
    """`won / closed` against `target 90%` or a per-person target of 0.9: both read in percent."""
    for target in ("90%", "targets.win_rate"):
        plan = HEAD + f'''kpi win_rate "Доля выигранных" = won / closed otherwise 0 target {target} weight 100% cap 120%
pay total "Итого" = salary * kpi_score
'''
        report = _report(plan, _data(tmp_path / target.replace(".", "_"), july=(1, 2), august=(81, 100)))
        person = report.results[0]
        assert person.ok, person.errors
        assert person.outcome.kpis["win_rate"].attainment == Decimal("0.9")  # 81 % of a 90 % target
        kpi = build_statements(report, lang="ru")[0].kpis[0]
        assert tuple(map(_spaces, (kpi.value, kpi.target, kpi.attainment))) == ("81 %", "90 %", "90 %")


def test_the_account_managers_statement_compares_august_with_july():
    root = Path(__file__).resolve().parents[2]
    program = kpilang.load(root / "rules" / "account_managers.kpi").program
    report = kpilang.evaluate(program, root / "examples" / "demo", "2026-08", trace=True)
    larisa = next(s for s in build_statements(report, lang="ru") if s.manager_id == "m0009")
    line = {g.key: g for g in larisa.earlier}["previous(revenue)"]
    person = next(r for r in report.results if r.manager_id == "m0009")
    then, now = person.history.values["previous(revenue)"], person.metrics["revenue"]
    fmt = _spaces
    assert fmt(line.line).startswith("Выручка по выигранным сделкам: июль 2026 г. — ")
    assert fmt(line.change) == fmt(("+" if now >= then else "-") + f"{abs(now - then):,.2f}".replace(",", " ").replace(".", ",") + " ₽")
    kept = next(m for m in larisa.metrics if m.name == "clients_kept")
    assert kept.value == "4"
    assert "только те, что были и в прошлом периоде, и в этом" in kept.counted
