"""`kpilang test`: PASS/FAIL lines, the summary, exit codes, the JSON form, a golden failure report.

Regenerate the golden file after a deliberate change of the output with
`KPILANG_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/cli/test_test_command.py` (or `--update-golden`)
and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

GOLDEN = Path(__file__).parent / "golden"


def invoke(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, ["test", *args])
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, ["test", *args])
    finally:
        os.chdir(old)


@pytest.fixture
def plans(tmp_path: Path, normative_dir: Path) -> Path:
    """A folder with the normative plan and a copy whose second test expects a wrong bonus."""
    shutil.copy(normative_dir / "cold_sales.kpi", tmp_path / "cold_sales.kpi")
    text = (normative_dir / "cold_sales.kpi").read_text(encoding="utf-8")
    wrong = text.replace("expect kpi_score = 100%, bonus = 60000,", "expect kpi_score = 100%, bonus = 65000,")
    assert wrong != text
    (tmp_path / "wrong").mkdir()
    (tmp_path / "wrong" / "cold_sales_wrong.kpi").write_text(wrong, encoding="utf-8")
    return tmp_path


def test_the_normative_example_passes(normative_dir):
    result = invoke(str(normative_dir / "cold_sales.kpi"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("PASS ") and lines[0].endswith("cold_sales.kpi:75 no sales, no bonus: activity alone is not enough")
    assert lines[1].startswith("PASS ") and lines[1].endswith(":81 plan met exactly")
    assert lines[-1] == "2 passed, 0 failed"


def test_a_wrong_expectation_fails_with_expected_and_actual(plans):
    result = invoke("wrong", cwd=plans)
    assert result.exit_code == 1
    assert "FAIL wrong/cold_sales_wrong.kpi:81 plan met exactly" in result.stdout
    assert "bonus: expected 65000, got 60000.00  [line 84]" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 passed, 1 failed"


def test_failure_report_matches_the_golden_file(plans, golden):
    result = invoke("wrong", cwd=plans)
    golden(GOLDEN / "test_command_failure.txt", result.stdout)


def test_a_directory_runs_every_plan_below_it(plans):
    result = invoke(".", cwd=plans)
    assert result.exit_code == 1
    assert result.stdout.count("PASS ") == 3 and result.stdout.count("FAIL ") == 1
    assert result.stdout.splitlines()[-1] == "3 passed, 1 failed"


def test_a_plan_that_does_not_compile_exits_2_with_its_diagnostics(plans):
    (plans / "broken.kpi").write_text(
        (plans / "cold_sales.kpi").read_text(encoding="utf-8").replace("salary * multiplier(kpi_score)",
                                                                         "salary * multiplyer(kpi_score)"),
        encoding="utf-8",
    )
    result = invoke("broken.kpi", "cold_sales.kpi", cwd=plans)
    assert result.exit_code == 2
    assert "unknown function or table `multiplyer`" in result.stderr
    assert "--> broken.kpi:" in result.stderr and "did you mean `multiplier`?" in result.stderr
    assert "broken.kpi does not compile" in result.stderr
    assert result.stdout.splitlines()[-1] == "2 passed, 0 failed"  # the other plan's tests still ran


def test_missing_path_exits_2(tmp_path):
    result = invoke(str(tmp_path / "nope.kpi"))
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr


def test_json_format(plans):
    result = invoke("--format", "json", ".", cwd=plans)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"] == {"passed": 3, "failed": 1, "not_compiled": 0}
    wrong = next(f for f in data["files"] if f["file"].endswith("cold_sales_wrong.kpi"))
    failed = next(t for t in wrong["tests"] if t["status"] == "fail")
    assert failed["name"] == "plan met exactly" and failed["line"] == 81
    bonus = next(e for e in failed["expectations"] if e["name"] == "bonus")
    assert (bonus["expected"], bonus["actual"], bonus["passed"]) == ("65000", "60000.00", False)
    assert any(step["subject"] == "bonus" and step["kind"] == "pay" for step in failed["trace"])
