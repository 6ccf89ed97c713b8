"""`kpilang lint --criteria`: the seven criteria and controllability for each plan, met, not met
or cannot tell, with the findings behind each, as text or JSON, in English and in Russian."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kpilang.checks.base import registry
from kpilang.checks.criteria import CRITERIA, Status, judge, unmapped
from kpilang.cli import main
from kpilang.diagnostics import Diagnostic, Severity, Span

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "checks" / "corpus"
KEYS = ["specific", "measurable", "achievable", "relevant", "time-bound", "transparent", "stable", "controllable"]


def _criteria(*args: str) -> dict[str, dict]:
    result = CliRunner().invoke(main, ["lint", "--criteria", "--format", "json", *args])
    [plan] = json.loads(result.stdout)["plans"]
    return {c["criterion"]: c for c in plan["criteria"]}


def test_every_check_serves_a_criterion_or_is_known_to_serve_none() -> None:
    assert unmapped() == []
    codes = [code for c in CRITERIA for code in c.checks]
    assert len(codes) == len(set(codes)) and set(codes) <= set(registry())


def test_a_ready_plan_meets_every_criterion_lint_can_judge() -> None:
    criteria = _criteria(str(ROOT / "rules" / "cold_sales.kpi"))
    assert list(criteria) == KEYS
    assert {k: c["status"] for k, c in criteria.items()} == {**dict.fromkeys(KEYS, "met"), "stable": "cannot-tell"}
    assert criteria["achievable"]["not_run"] == ["KPL010"]


def test_a_plan_met_without_sales_is_not_relevant_and_shows_the_finding() -> None:
    criteria = _criteria(str(CORPUS / "bad-activity-carries-score.kpi"))
    assert criteria["relevant"]["status"] == "not-met"
    assert [f["code"] for f in criteria["relevant"]["findings"]][0] == "KPL004"
    assert criteria["relevant"]["findings"][0]["witness"]["quality_calls"]
    assert criteria["controllable"]["status"] == "met"


def test_an_uncontrollable_kpi_fails_controllability() -> None:
    criteria = _criteria(str(CORPUS / "bad-inbound-lead-count-declared.kpi"))
    assert criteria["controllable"]["status"] == "not-met"


def test_text_names_each_criterion_with_its_findings_in_english_and_russian() -> None:
    plan = str(CORPUS / "bad-weights-90.kpi")
    english = CliRunner().invoke(main, ["lint", "--criteria", plan])
    assert english.exit_code == 1
    lines = english.stdout.splitlines()
    transparent = next(i for i, line in enumerate(lines) if line.split()[:1] == ["transparent"])
    assert lines[transparent].split()[1:3] == ["not", "met"]
    assert "error[KPL003]" in lines[transparent + 1]
    russian = CliRunner().invoke(main, ["lint", "--criteria", "--lang", "ru", plan])
    assert "семь критериев" in russian.stdout and "прозрачный" in russian.stdout
    assert "ошибка[KPL003]" in russian.stdout and "сумма весов KPI — 90%" in russian.stdout
    assert "управляемый" in russian.stdout and "нельзя сказать" in russian.stdout


def test_criteria_refuse_the_formats_for_tools() -> None:
    result = CliRunner().invoke(main, ["lint", "--criteria", "--format", "sarif", str(ROOT / "rules" / "base.kpi")])
    assert result.exit_code == 2 and "--criteria" in result.stderr


def _finding(code: str, severity: Severity) -> Diagnostic:
    return Diagnostic(code=code, name="x", severity=severity, message="m",
                      span=Span(file="p.kpi", line=1, column=1, end_line=1, end_column=2))


def test_an_undecided_proof_cannot_tell() -> None:
    verdicts, _ = judge([_finding("KPL004", Severity.INFO)], ran=set(registry()))
    assert next(v for v in verdicts if v.criterion.key == "relevant").status is Status.CANNOT_TELL


def test_a_criterion_whose_checks_are_all_switched_off_cannot_tell() -> None:
    verdicts, _ = judge([], ran=set(registry()) - {"KPL011"})
    verdict = next(v for v in verdicts if v.criterion.key == "time-bound")
    assert verdict.status is Status.CANNOT_TELL and verdict.not_run == ["KPL011"]


def test_findings_of_no_criterion_are_kept_apart() -> None:
    verdicts, other = judge([_finding("KPL018", Severity.WARNING)], ran=set(registry()))
    assert [d.code for d in other] == ["KPL018"]
    assert all(v.status is not Status.NOT_MET for v in verdicts)


def test_a_plan_that_does_not_compile_cannot_tell_anything(tmp_path: Path) -> None:
    plan = tmp_path / "broken.kpi"
    plan.write_text((ROOT / "rules" / "base.kpi").read_text(encoding="utf-8").replace("weight 45%", "weight 45"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--criteria", "--format", "json", str(plan)])
    [verdict] = json.loads(result.stdout)["plans"]
    assert verdict["compiled"] is False
    assert {c["status"] for c in verdict["criteria"]} == {"cannot-tell"}
    assert verdict["other"] and not verdict["other"][0]["code"].startswith("KPL")
    text = CliRunner().invoke(main, ["lint", "--criteria", str(plan)]).stdout
    assert "the plan does not compile" in text
