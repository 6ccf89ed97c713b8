"""`kpilang lint` end to end: exit codes, the four output formats, configuration and ignores.

The SARIF output is validated against the SARIF 2.1.0 JSON schema vendored in tests/checks/
(the 2.1.0 schema as published by SchemaStore, shipped in the MIT-licensed npm package
@microsoft/jest-sarif).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from kpilang.cli import main

ROOT = Path(__file__).resolve().parents[2]
NORMATIVE = ROOT / "tests" / "fixtures" / "normative" / "cold_sales.kpi"
SCHEMA = ROOT / "tests" / "checks" / "sarif-schema-2.1.0.json"

HEADER = """plan p "P" {
    role cold  period month  effective 2026-07-01
    currency RUB  strategy growth  goal "g"
}
"""
ACTIVITY_ONLY = HEADER + """metric calls = count(activities where type = "call")  kind activity
metric meetings = count(activities where type = "meeting")  kind activity
metric revenue = sum(deals.amount where stage = "won")  kind result
kpi calls_kpi "C" = calls target 800 weight 60% cap 150%
kpi meetings_kpi "M" = meetings target 40 weight 40% cap 150%
pay bonus "B" = salary * kpi_score
pay call_bonus "За звонки" = 50 * calls
"""



def run(*args: str):
    return CliRunner().invoke(main, ["lint", *args])


@pytest.fixture
def bad_plan(tmp_path: Path) -> Path:
    path = tmp_path / "bad.kpi"
    path.write_text(ACTIVITY_ONLY, encoding="utf-8")
    return path


def test_normative_example_is_clean() -> None:
    result = run(str(NORMATIVE), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == {"diagnostics": [], "summary": {"files": 1, "errors": 0, "warnings": 0}, "fatal": []}


def test_errors_exit_1_and_json_carries_the_witness(bad_plan: Path) -> None:
    result = run(str(bad_plan), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    met = [d for d in data["diagnostics"] if d["code"] == "KPL004"]
    assert met and met[0]["name"] == "met-without-sales" and met[0]["severity"] == "error"
    assert met[0]["witness"]["revenue"] == "0"
    assert all(isinstance(v, str) for v in met[0]["witness"].values())
    assert (met[0]["line"], met[0]["column"]) == (1, 6)
    assert data["summary"]["errors"] == sum(d["severity"] == "error" for d in data["diagnostics"])
    assert {"KPL005", "KPL019"} <= {d["code"] for d in data["diagnostics"]}


def test_text_shows_source_caret_and_witness(bad_plan: Path) -> None:
    result = run(str(bad_plan))
    assert result.exit_code == 1
    assert "error[KPL004]: the KPI score reaches" in result.stdout
    assert "1 | plan p" in result.stdout and "^" in result.stdout
    assert "= witness: calls = " in result.stdout
    assert "1 file(s): 1 error(s)" in result.stderr


def test_sarif_is_valid_sarif_2_1_0(bad_plan: Path) -> None:
    result = run(str(bad_plan), "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    run_ = log["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert rules["KPL004"]["name"] == "met-without-sales"
    first = next(r for r in run_["results"] if r["ruleId"] == "KPL004")
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert first["properties"]["witness"]["revenue"] == "0"
    assert rules[first["ruleId"]] is run_["tool"]["driver"]["rules"][first["ruleIndex"]]


def test_sarif_of_a_clean_plan_is_valid_too() -> None:
    result = run(str(NORMATIVE), "--format", "sarif")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(json.loads(result.stdout))
    assert result.exit_code == 0


def test_github_annotations(bad_plan: Path) -> None:
    result = run(str(bad_plan), "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    error = next(line for line in lines if "KPL004" in line)
    assert error.startswith(f"::error file={bad_plan},line=1,col=6,")
    assert "title=KPL004 met-without-sales::" in error
    assert "%0A" in error and "\n" not in error
    assert any(line.startswith("::warning ") for line in lines)


def test_compile_errors_are_reported_and_fail(tmp_path: Path) -> None:
    path = tmp_path / "broken.kpi"
    path.write_text(HEADER + "kpi k = revnue target 1 weight 100%\n", encoding="utf-8")
    result = run(str(path), "--format", "json")
    assert result.exit_code == 1
    codes = {d["code"] for d in json.loads(result.stdout)["diagnostics"]}
    assert codes and not any(c.startswith("KPL") for c in codes)


def test_missing_file_exits_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "nope.kpi")).exit_code == 2


def test_directory_lints_every_plan(tmp_path: Path, bad_plan: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.kpi").write_text(NORMATIVE.read_text(encoding="utf-8"), encoding="utf-8")
    data = json.loads(run(str(tmp_path), "--format", "json").stdout)
    assert data["summary"]["files"] == 2
    assert {d["file"] for d in data["diagnostics"]} == {str(bad_plan)}


def test_config_ignore_select_severity_and_limits(tmp_path: Path, bad_plan: Path) -> None:
    (tmp_path / "kpilang.toml").write_text(
        'ignore = ["met-without-sales"]\n[severity]\nKPL019 = "error"\n[limits]\nkpis-min = 1\nkpis-max = 1\n', encoding="utf-8")
    data = json.loads(run(str(bad_plan), "--format", "json").stdout)
    codes = {d["code"]: d["severity"] for d in data["diagnostics"]}
    assert "KPL004" not in codes
    assert codes["KPL019"] == "error"
    assert codes["KPL001"] == "error"  # two KPIs are too many with kpis-max = 1
    (tmp_path / "kpilang.toml").write_text('select = ["KPL019"]\n', encoding="utf-8")
    from kpilang.lint.config import _cached
    _cached.cache_clear()
    data = json.loads(run(str(bad_plan), "--format", "json").stdout)
    assert {d["code"] for d in data["diagnostics"]} == {"KPL019"}


def test_pyproject_tool_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.kpilang]\nignore = ["KPL019", "KPL005", "KPL004"]\n',
                                             encoding="utf-8")
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "p.kpi").write_text(ACTIVITY_ONLY, encoding="utf-8")
    data = json.loads(run(str(plans), "--format", "json").stdout)
    assert not {"KPL004", "KPL005", "KPL019"} & {d["code"] for d in data["diagnostics"]}


@pytest.mark.parametrize("config, words", [
    ('selec = ["KPL001"]\n', "unknown key `selec`"),
    ('ignore = ["KPL999"]\n', "no check `KPL999`"),
    ('[severity]\nKPL001 = "fatal"\n', '"error", "warning" or "info"'),
    ('[limits]\nkpis-max = "four"\n', "whole number"),
    ('[limits]\nhistory-min-share = 0.1\n', "as a string"),
    ("ignore = [\n", "not valid TOML"),
])
def test_bad_configuration_exits_2_with_the_reason(tmp_path: Path, bad_plan: Path, config: str, words: str) -> None:
    (tmp_path / "kpilang.toml").write_text(config, encoding="utf-8")
    result = run(str(bad_plan))
    assert result.exit_code == 2
    assert words in result.stderr and "kpilang.toml" in result.stderr


def test_ignore_comment_silences_only_its_line(tmp_path: Path) -> None:
    text = ACTIVITY_ONLY.replace('pay call_bonus "За звонки" = 50 * calls',
                                 '# kpilang: ignore[KPL005, KPL019] -- a launch-month incentive, agreed with finance\n'
                                 'pay call_bonus "За звонки" = 50 * calls')
    path = tmp_path / "p.kpi"
    path.write_text(text, encoding="utf-8")
    found = json.loads(run(str(path), "--format", "json").stdout)["diagnostics"]
    codes = [d["code"] for d in found]
    assert "KPL019" not in codes and "KPL022" not in codes and "KPL021" not in codes
    assert not [d for d in found if d["code"] == "KPL005" and "call_bonus" in d["message"]]
    assert [d for d in found if d["code"] == "KPL005" and "`bonus`" in d["message"]]  # another line: still reported
    assert "KPL004" in codes


def test_history_flags_a_target_nobody_reached(tmp_path: Path) -> None:
    text = NORMATIVE.read_text(encoding="utf-8").replace("    target 4\n", "    target 40\n")
    plan = tmp_path / "cold.kpi"
    plan.write_text(text, encoding="utf-8")
    data = ROOT / "tests" / "fixtures" / "normative" / "data"
    result = run(str(plan), "--history", str(data), "--format", "json")
    assert result.exit_code == 0, result.output  # a warning: the plan is still usable
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "KPL010"]
    assert len(found) == 1
    # The data runs from 3 June to 1 August (Moscow time): only July is held whole.
    assert "`new_clients_kpi` was reached in 0 of 4 person-periods (0%) in 2026-07" in found[0]["message"]
    assert run(str(NORMATIVE), "--history", str(data)).exit_code == 0


def test_history_that_is_not_a_directory_exits_2(tmp_path: Path) -> None:
    result = run(str(NORMATIVE), "--history", str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert "not a data directory" in result.stderr


def test_a_library_imported_by_two_plans_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "tables.kpi").write_text(
        'table m "M" { below 70% : 0  70% to 120% : 1.2  from 120% : 1 }\n', encoding="utf-8")
    for name in ("a", "b"):
        (tmp_path / f"{name}.kpi").write_text(
            f'import "lib/tables.kpi"\nplan {name} "{name}" {{\n    role cold  period month  effective 2026-07-01\n'
            '    currency RUB  strategy growth  goal "g"\n}\n'
            'metric r = sum(deals.amount where stage = "won")  kind result\n', encoding="utf-8")
    found = json.loads(run(str(tmp_path), "--format", "json").stdout)["diagnostics"]
    falling = [d for d in found if d["code"] == "KPL017"]
    assert len(falling) == 1 and falling[0]["file"].endswith("tables.kpi")


def test_sarif_with_compile_errors_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "broken.kpi"
    path.write_text(HEADER + "kpi k = revnue target 1 weight 100%\n", encoding="utf-8")
    result = run(str(path), "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert log["runs"][0]["results"][0]["level"] == "error"


def test_a_file_that_is_not_utf8_is_named_and_the_others_are_linted(tmp_path: Path) -> None:
    (tmp_path / "a_latin1.kpi").write_bytes('plan p "Продажи" {}\n'.encode("cp1251"))
    (tmp_path / "b_good.kpi").write_text(NORMATIVE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run(str(tmp_path), "--format", "json")
    assert result.exit_code == 2
    assert "a_latin1.kpi:1:9: not UTF-8 text (byte 9); save it as UTF-8" in result.stderr
    assert json.loads(result.stdout)["summary"]["errors"] == 0
