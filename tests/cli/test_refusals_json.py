"""With `--format json`, a command that cannot do its job says why in its JSON document too
(`fatal`: code, message, file, help), not only on standard error, and keeps its exit status 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

NORMATIVE = Path(__file__).resolve().parent.parent / "fixtures" / "normative"
MIXED = "# Продажи\n".encode("utf-8") + "# план\n".encode("cp1251")


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False, prog_name="kpilang")


def fatal_of(result) -> list[dict]:
    assert result.exit_code == 2, result.output
    return json.loads(result.stdout)["fatal"]


def data_args(data=NORMATIVE / "data"):
    return ["--data", data, "--period", "2026-07"]


def test_a_usage_error_is_a_fatal_entry_with_the_help_to_read():
    result = run("eval", NORMATIVE / "cold_sales.kpi", "--format", "json")
    [entry] = fatal_of(result)
    assert entry["code"] == "usage"
    assert entry["message"] == "Missing option '--data'."
    assert entry["help"] == "see `kpilang eval --help`"
    assert "Missing option '--data'." in result.stderr  # still said to people


def test_a_usage_error_of_data_check_is_said_in_json_written_with_an_equals_sign():
    [entry] = fatal_of(run("data", "check", "--format=json", "--bogus"))
    assert entry["code"] == "usage" and "--bogus" in entry["message"]
    assert entry["help"] == "see `kpilang data check --help`"


def test_a_missing_plan_file_is_named_with_its_file():
    [entry] = fatal_of(run("eval", "nowhere.kpi", *data_args(), "--format", "json"))
    assert entry == {"code": "run.no-plan-file", "message": "no such plan file: nowhere.kpi", "file": "nowhere.kpi",
                     "help": None}


def test_a_plan_that_does_not_compile_lists_its_errors_then_the_refusal(tmp_path):
    plan = tmp_path / "p.kpi"
    plan.write_text((NORMATIVE / "cold_sales.kpi").read_text(encoding="utf-8").replace("revenue", "revenu", 1),
                    encoding="utf-8")
    entries = fatal_of(run("eval", plan, *data_args(), "--format", "json"))
    assert entries[-1]["code"] == "run.does-not-compile-computed" and entries[-1]["file"] == str(plan)
    assert entries[-1]["help"] and "kpilang lint" in entries[-1]["help"]
    first = entries[0]
    assert first["code"].startswith("E") and first["file"] == str(plan) and first["line"] >= 1
    assert len(entries) >= 2


def test_data_that_cannot_be_used_lists_each_fatal_problem(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(NORMATIVE / "data", data)
    (data / "managers.csv").unlink()
    entries = fatal_of(run("eval", NORMATIVE / "cold_sales.kpi", *data_args(data), "--format", "json"))
    assert any(e["code"] == "missing_table" and e["table"] == "managers" and e["help"] for e in entries), entries
    assert entries[-1]["code"] == "run.data-unusable-computed" and entries[-1]["file"] == str(data)


def test_a_run_that_did_its_job_has_an_empty_fatal_list():
    result = run("eval", NORMATIVE / "cold_sales.kpi", *data_args(), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["fatal"] == []


def test_without_json_nothing_is_printed_on_stdout_for_a_refusal():
    result = run("eval", "nowhere.kpi", *data_args())
    assert result.exit_code == 2 and result.stdout == ""


def test_lint_keeps_its_document_and_lists_an_unreadable_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.kpi").write_bytes(MIXED)
    shutil.copy(NORMATIVE / "cold_sales.kpi", tmp_path / "good.kpi")
    result = run("lint", "p.kpi", "good.kpi", "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 2
    assert document["summary"]["files"] == 2
    [entry] = document["fatal"]
    assert entry["code"] == "plan-file.not-utf8" and entry["file"] == "p.kpi"


def test_lint_of_a_path_that_does_not_exist_and_its_criteria_document(tmp_path):
    [entry] = fatal_of(run("lint", tmp_path / "none", "--format", "json"))
    assert entry["code"] == "cli.no-such-path" and entry["file"] == str(tmp_path / "none")
    result = run("lint", NORMATIVE / "cold_sales.kpi", "--criteria", "--format", "json")
    assert json.loads(result.stdout)["fatal"] == []


def test_test_lists_a_plan_that_does_not_compile(tmp_path):
    plan = tmp_path / "p.kpi"
    plan.write_text("plan x {\n", encoding="utf-8")
    result = run("test", plan, "--format", "json")
    document = json.loads(result.stdout)
    assert result.exit_code == 2
    [entry] = document["fatal"]
    assert entry["code"] == "test.not-compiled" and entry["file"] == str(plan)
    assert document["files"][0]["compiled"] is False


def test_cadence_outside_a_repository_says_so_in_json(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    [entry] = fatal_of(run("cadence", "--format", "json"))
    assert entry["code"].startswith("git.") or entry["code"].startswith("cadence."), entry
    assert entry["message"]


def test_data_check_without_a_timezone_says_so_in_russian(tmp_path):
    [entry] = fatal_of(run("data", "check", NORMATIVE / "data", "--format", "json", "--lang", "ru"))
    assert entry["code"] == "data-check.no-timezone"
    assert entry["help"] and not entry["help"].isascii()


@pytest.mark.parametrize("lang, words", [("en", "see `kpilang test --help`"), ("ru", "см. `kpilang test --help`")])
def test_the_usage_help_speaks_the_readers_language(lang, words):
    [entry] = fatal_of(run("test", "--format", "json", "--lang", lang))
    assert entry["help"] == words
