"""`kpilang eval` and `kpilang explain` on a plan that compiles but that `kpilang lint` rejects:
they compute and explain it as written (same results, same JSON, same exit status) and say on
stderr, before the results, which lint errors it has, in the reader's language. The checks are
the linter's own: its configuration and the plan's ignore comments decide as they do for `lint`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main
from kpilang.compile import compile_file
from kpilang.payouts.json import render_json
from kpilang.evaluate.run import evaluate

NORMATIVE = Path(__file__).resolve().parent.parent / "fixtures" / "normative"
PLAN_LINE = 'plan cold_sales "Холодные продажи" {'


def run(*args: str):
    return CliRunner().invoke(main, [*map(str, args)], env={"KPILANG_LANG": None, "COLUMNS": "200"},
                              catch_exceptions=False)


@pytest.fixture
def weights_90(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The normative plan with `revenue_plan` weighing 40% instead of 50% (KPL003: 90% in all),
    in a folder of its own, which is the working directory (paths are shown as given)."""
    text = (NORMATIVE / "cold_sales.kpi").read_text(encoding="utf-8")
    assert text.count("    weight 50%\n") == 1
    (tmp_path / "w90.kpi").write_text(text.replace("    weight 50%\n", "    weight 40%\n"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return Path("w90.kpi")


def eval_args(plan: Path, *extra: str) -> list[str]:
    return ["eval", str(plan), "--data", str(NORMATIVE / "data"), "--period", "2026-07", *extra]


def explain_args(plan: Path, *extra: str) -> list[str]:
    return ["explain", str(plan), "--data", str(NORMATIVE / "data"), "--period", "2026-07", *extra]


ENGLISH = [
    "warning: w90.kpi has 1 lint error(s):",
    "  w90.kpi:4:6: KPL003 weights-sum: the KPI weights add up to 90%, not 100%",
]
RUSSIAN = [
    "предупреждение: ошибок линтера в w90.kpi: 1",
    "  w90.kpi:4:6: KPL003 weights-sum: сумма весов KPI — 90%, а не 100%",
]


def test_eval_says_the_lint_errors_before_the_figures_and_still_exits_0(weights_90: Path) -> None:
    lint = run("lint", weights_90)
    assert lint.exit_code == 1 and "error[KPL003]" in lint.stdout
    result = run(*eval_args(weights_90))
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines == ENGLISH + [
        "the figures are computed from the plan as written; run `kpilang lint w90.kpi` for each error and what to do",
        "4 person(s) evaluated for 2026-07: 4 paid, 0 refused (errors), 2 skipped; 0 data problem(s), 0 of them missing target(s); 0 row(s) rejected",
    ]
    assert "93.5%" in result.stdout  # m1's score with the weights as written: 40% of 115% + …


def test_eval_says_them_in_russian(weights_90: Path) -> None:
    result = run(*eval_args(weights_90, "--lang", "ru"))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:3] == RUSSIAN + [
        "суммы рассчитаны по плану как он написан; `kpilang lint w90.kpi` покажет каждую ошибку и что с ней сделать"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_json_on_stdout_is_the_report_and_nothing_else(weights_90: Path, lang: str) -> None:
    result = run(*eval_args(weights_90, "--format", "json", "--lang", lang))
    assert result.exit_code == 0, result.output
    report = evaluate(compile_file(weights_90).program, NORMATIVE / "data", "2026-07")
    assert result.stdout == render_json(report, lang, fatal=[])
    assert result.stderr.splitlines()[:2] == (ENGLISH if lang == "en" else RUSSIAN)


def test_with_out_the_warning_is_still_said_and_the_file_holds_only_the_results(weights_90: Path) -> None:
    result = run(*eval_args(weights_90, "--format", "csv", "--out", "july.csv"))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines()[:2] == ENGLISH
    assert "lint" not in Path("july.csv").read_text(encoding="utf-8")


def test_explain_says_them_in_the_statements_language(weights_90: Path) -> None:
    russian = run(*explain_args(weights_90))
    assert russian.exit_code == 0, russian.output
    assert russian.stderr.splitlines()[:3] == RUSSIAN + [
        "выписки объясняют план как он написан; `kpilang lint w90.kpi` покажет каждую ошибку и что с ней сделать"]
    english = run(*explain_args(weights_90, "--lang", "en"))
    assert english.exit_code == 0, english.output
    assert english.stderr.splitlines()[:3] == ENGLISH + [
        "the statements explain the plan as written; run `kpilang lint w90.kpi` for each error and what to do"]


def test_an_ignore_comment_silences_the_warning_as_it_silences_lint(weights_90: Path) -> None:
    text = weights_90.read_text(encoding="utf-8")
    weights_90.write_text(text.replace(PLAN_LINE, PLAN_LINE + "  # kpilang: ignore[KPL003] -- agreed for July"),
                          encoding="utf-8")
    assert run("lint", weights_90).exit_code == 0
    result = run(*eval_args(weights_90))
    assert result.exit_code == 0, result.output
    assert "lint" not in result.stderr


@pytest.mark.parametrize("config, warned", [
    ('ignore = ["weights-sum"]\n', False),
    ('[severity]\nKPL003 = "warning"\n', False),  # only errors are said
    ('select = ["KPL003"]\n', True),
])
def test_the_nearest_kpilang_toml_decides_as_it_does_for_lint(weights_90: Path, config: str, warned: bool) -> None:
    Path("kpilang.toml").write_text(config, encoding="utf-8")
    lint = run("lint", weights_90)
    assert (lint.exit_code == 1) is warned
    result = run(*eval_args(weights_90))
    assert result.exit_code == 0, result.output
    assert (result.stderr.splitlines()[:2] == ENGLISH) is warned
    assert ("lint error" in result.stderr) is warned


def test_a_configuration_that_cannot_be_used_is_said_and_the_figures_still_follow(weights_90: Path) -> None:
    Path("kpilang.toml").write_text('select = "KPL003"\n', encoding="utf-8")
    assert run("lint", weights_90).exit_code == 2
    result = run(*eval_args(weights_90))
    assert result.exit_code == 0, result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith("warning: w90.kpi was not checked for lint errors: ")
    assert "kpilang.toml" in first and first.endswith("; the figures are computed from the plan as written")


def test_a_plan_lint_accepts_gets_no_warning() -> None:
    result = run(*eval_args(NORMATIVE / "cold_sales.kpi"))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["4 person(s) evaluated for 2026-07: 4 paid, 0 refused (errors), 2 skipped; 0 data problem(s), 0 of them missing target(s); 0 row(s) rejected"]
