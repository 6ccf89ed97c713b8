"""A statement of a team plan that also looks back: the section comparing earlier periods and the
team section side by side, in every format, and the JSON's `earlier` beside its `team`."""

from __future__ import annotations

from pathlib import Path

import pytest

import kpilang
from kpilang.bundled import rules_dir
from kpilang.explain import build_statements, render_statements
from kpilang.payouts.json import to_json
from tests.evaluate.test_team import DEMO, FIELDS, MEMBER_PLANS

FIGURES = '''metric rev "Выручка команды" = sum(deals.amount where stage = "won")
metric met "Доля выполнивших план" = share(members where kpi_score >= 100%)
kpi growth "Рост выручки" = rev target previous(rev) weight 50% cap 150%
kpi k "Выполнившие план" = met otherwise 0 target 50% weight 50%
pay total = salary * kpi_score
'''


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("head")
    imports = "".join(f'import members "{rules_dir() / p}.kpi"\n' for p in MEMBER_PLANS)
    (root / "head.kpi").write_text(f'{imports}\nplan head "H" {{\n{FIELDS}    on_member_error exclude\n}}\n\n{FIGURES}',
                                   encoding="utf-8")
    result = kpilang.load(root / "head.kpi")
    assert result.program is not None, [str(d.message) for d in result.diagnostics]
    return kpilang.evaluate(result.program, DEMO, "2026-09", trace=True)


def _paid(report):
    statements = [s for s in build_statements(report, lang="ru") if s.earlier and s.team_figures]
    assert statements, [(r.manager_id, [e.code for e in r.errors]) for r in report.results]
    return statements


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_the_statement_has_the_earlier_periods_then_the_team(report, fmt):
    statements = _paid(report)
    rendered = render_statements(statements, report, fmt=fmt, lang="ru").statements[0].text
    earlier, team = rendered.find("Сравнение с прошлыми периодами"), rendered.find("Команда: кто стоит за показателями")
    assert 0 <= earlier < team, rendered
    assert "Выручка команды: август 2026 г. — " in rendered.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_json_holds_both_the_earlier_figures_and_the_team(report):
    paid = {s.manager_id for s in _paid(report)}
    for person in to_json(report)["results"]:
        if person["manager_id"] in paid:
            assert person["earlier"]["periods"][0]["period"] == "2026-08"
            assert [f["metric"] for f in person["team"]] == ["met"]
