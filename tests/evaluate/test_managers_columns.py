"""`managers.COLUMN` wherever the language allows it: KPIs, targets, pays, caps, `if` conditions,
tests' `given`, statements and the linter's proofs. `managers.salary` is the figure `salary`."""

from __future__ import annotations

import json
from decimal import Decimal

from click.testing import CliRunner

import kpilang
from kpilang.cli import main
from kpilang.evaluate.plan_tests import run_tests_in_file

from tests.evaluate.test_sql import PLAN_HEAD
from tests.normative_managers import normative_data_with

PLAN = PLAN_HEAD.lstrip("\n") + """\
metric calls "Calls" = count(activities where type = "call") kind activity
metric revenue "Revenue" = sum(deals.amount where stage = "won") kind result
kpi call_plan "Call plan" = calls target managers.quota weight 60% cap 150%
kpi revenue_plan "Revenue plan" = revenue target managers.salary * 10 weight 40% cap 150%
pay fixed "Fixed" = if managers.vip and managers.hired_at < 2025-01-01 then managers.base / managers.parts * managers.rate else 0
pay bonus "Bonus" = managers.salary * kpi_score cap 2 * managers.salary floor managers.salary / 10
"""


def _data(tmp_path, extra: dict[str, list[str]]):
    """The normative data, with extra columns of managers (one value per row, in file order)."""
    return normative_data_with(tmp_path / "data", columns=extra)


COLUMNS = {  # m1, m2, m3, m4, m5, h1
    "quota": ["100", "50", "200", "10", "1", "1"],
    "vip": ["true", "false", "false", "true", "false", "false"],
    "base": ["1000", "999", "5", "7", "1", "1"],
    "parts": ["3", "4", "1", "2", "1", "1"],
    "rate": ["1.5", "2", "1", "0.5", "1", "1"],
}


def _plan(tmp_path, text: str = PLAN):
    path = tmp_path / "staff.kpi"
    path.write_text(text, encoding="utf-8")
    compiled = kpilang.load(path)
    assert compiled.program is not None, [d.message for d in compiled.diagnostics]
    return compiled.program


def test_managers_salary_and_extra_columns_in_targets_pays_caps_and_conditions(tmp_path):
    report = kpilang.evaluate(_plan(tmp_path), _data(tmp_path, COLUMNS), "2026-07")
    people = {r.manager_id: r for r in report.results}
    assert all(r.ok for r in people.values()), {p: r.errors for p, r in people.items()}
    m1 = people["m1"].outcome
    # target managers.salary * 10 = 600 000; managers.quota = 100
    assert m1.kpis["revenue_plan"].target == Decimal("600000")
    assert m1.kpis["call_plan"].target == Decimal(100)
    # hired 2024-03-01, vip: 1000 / 3 × 1.5, the whole numbers divided exactly (never as floats)
    assert m1.pays["fixed"].value == (Decimal(1000) / Decimal(3) * Decimal("1.5")).quantize(Decimal("0.01"))
    assert m1.pays["bonus"].value == (Decimal(60000) * m1.kpi_score).quantize(Decimal("0.01"))
    # m2 is not vip; m4 was hired in July 2026
    assert people["m2"].outcome.pays["fixed"].value == Decimal("0.00")
    assert people["m4"].outcome.pays["fixed"].value == Decimal("0.00")


def test_whole_number_columns_divide_exactly(tmp_path):
    text = PLAN.replace("if managers.vip and managers.hired_at < 2025-01-01 then managers.base / managers.parts * managers.rate else 0",
                        "managers.base / managers.parts * 3")
    report = kpilang.evaluate(_plan(tmp_path, text), _data(tmp_path, COLUMNS), "2026-07")
    m2 = next(r for r in report.results if r.manager_id == "m2")
    assert m2.ok, m2.errors  # 999 / 4 in Python is the float 249.75, which Decimal refuses to multiply
    assert m2.outcome.pays["fixed"].raw == Decimal("749.25")


def test_a_date_used_as_a_number_is_the_persons_error_naming_the_column(tmp_path):
    text = PLAN.replace("managers.base / managers.parts * managers.rate", "managers.hired_at")
    report = kpilang.evaluate(_plan(tmp_path, text), _data(tmp_path, COLUMNS), "2026-07")
    m1 = next(r for r in report.results if r.manager_id == "m1")
    assert not m1.ok
    error = next(e for e in m1.errors if e.subject == "fixed")
    assert error.code == "manager_column_not_a_number"
    assert error.message.render("en") == "`managers.hired_at` is 2024-03-01 for this person, not a number"
    assert "managers.hired_at" in error.message.render("ru")
    assert m1.outcome.pays["bonus"].value is not None  # what does not read it is still computed


def test_text_in_arithmetic_is_the_persons_error_naming_the_column(tmp_path):
    text = PLAN.replace("managers.base / managers.parts * managers.rate", "managers.team * 2")
    program = _plan(tmp_path, text.replace("managers.team", "managers.region"))
    report = kpilang.evaluate(program, _data(tmp_path, {**COLUMNS, "region": ["south"] * 6}), "2026-07")
    m1 = next(r for r in report.results if r.manager_id == "m1")
    error = next(e for e in m1.errors if e.subject == "fixed")
    assert error.code == "manager_column_not_a_number"
    assert "`managers.region` is «south»" in error.message.render("en")


def test_given_sets_managers_salary_columns_and_dates(tmp_path):
    text = PLAN + """
test "vip hired before 2025" {
    given calls = 100, revenue = 600000, managers.quota = 100, managers.salary = 60000, managers.vip = true,
          managers.hired_at = 2024-03-01, managers.base = 900, managers.parts = 3, managers.rate = 2
    expect call_plan = 100%, revenue_plan = 100%, fixed = 600, bonus = 60000
}
test "salary given as salary serves managers.salary" {
    given calls = 100, revenue = 600000, managers.quota = 100, salary = 60000
    expect bonus = 60000
}
"""
    path = tmp_path / "staff.kpi"
    path.write_text(text, encoding="utf-8")
    report = run_tests_in_file(path)
    assert [o.passed for o in report.tests] == [True, True], [(o.missing, o.problems, o.errors)
                                                                   for o in report.tests]


def test_statement_shows_the_values_of_manager_columns(tmp_path):
    report = kpilang.evaluate(_plan(tmp_path), _data(tmp_path, COLUMNS), "2026-07", trace=True)
    statement = kpilang.explain(report, lang="en", fmt="text", managers=["m1"]).statements[0].text
    assert "if yes and March 1, 2024 < January 1, 2025 then 1,000 / 3 × 1.5" in statement
    assert "Target: salary from the employee record × 10 = RUB 600,000.00" in statement.replace("\u00a0", " ")
    ru = kpilang.explain(report, lang="ru", fmt="text", managers=["m1"]).statements[0].text
    assert "если да и 1 марта 2024 г. < 1 января 2025 г." in ru.replace("\u202f", " ").replace("\xa0", " ")


def test_lint_proves_with_managers_salary_and_survives_extra_columns(tmp_path):
    text = PLAN + "pay per_call \"Per call\" = calls * 100 cap managers.salary\n"
    path = tmp_path / "staff.kpi"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(path), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    diagnostics = json.loads(result.stdout)["diagnostics"]
    paid = [d for d in diagnostics if d["code"] == "KPL005"]
    assert paid and paid[0]["witness"]["calls"], diagnostics
