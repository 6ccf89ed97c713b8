"""A template library (a folder with kpilang-templates.toml) is gated as templates: nobody is paid
by it, so a change at any date passes, but its newest version must compile; the project's own
rules/ is such a library."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.change.cadence import check_cadence
from kpilang.change.cadence.templates import MARKER
from kpilang.cli import main

from .conftest import PLAN
from .plans import BASE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _in_repo(repo, monkeypatch):
    monkeypatch.chdir(repo.path)


def change_in_force(repo) -> None:
    repo.write(PLAN, BASE.replace("target 4", "target 5"))
    repo.commit("raise the new-clients target", "2026-07-15T10:00:00+03:00")


def test_a_change_to_a_plan_in_force_fails_outside_a_template_library(repo):
    change_in_force(repo)
    assert [v.rule for _, _, v in check_cadence(repo.path).violations] == ["changes-plan-in-force"]


def test_the_same_change_to_a_template_passes_and_is_listed(repo):
    change_in_force(repo)
    repo.write("rules/" + MARKER, "# templates\n")
    repo.commit("rules/ is a template library", "2026-07-16T10:00:00+03:00")
    report = check_cadence(repo.path)
    assert report.violations == []
    history = report.histories[0]
    assert history.template and [e.kind for e in history.entries][-1] == "change to the plan in force"
    result = CliRunner().invoke(main, ["cadence", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["plans"][0]["template"] is True
    text = CliRunner().invoke(main, ["cadence", "--lang", "ru"], catch_exceptions=False)
    assert "шаблон (в его библиотеке есть kpilang-templates.toml)" in text.stdout


def test_a_template_whose_newest_version_does_not_compile_fails(repo):
    repo.write("rules/" + MARKER, "# templates\n")
    repo.write(PLAN, "plan broken {\n")
    repo.commit("broken template", "2026-07-16T10:00:00+03:00")
    assert [v.rule for _, _, v in check_cadence(repo.path).violations] == ["does-not-compile"]


def test_the_marker_in_a_sibling_folder_does_not_make_a_plan_a_template(repo):
    change_in_force(repo)
    repo.write("templates/" + MARKER, "# templates\n")
    repo.commit("another folder is a template library", "2026-07-16T10:00:00+03:00")
    assert [v.rule for _, _, v in check_cadence(repo.path).violations] == ["changes-plan-in-force"]


def test_the_projects_rules_folder_is_a_template_library_and_ci_gates_it():
    assert (ROOT / "rules" / MARKER).is_file()
    assert "kpilang cadence rules/" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_init_does_not_copy_the_marker(tmp_path):
    result = CliRunner().invoke(main, ["init", "cold_sales", str(tmp_path / "otdel")], catch_exceptions=False)
    assert result.exit_code == 0
    assert not list((tmp_path / "otdel").rglob(MARKER))
