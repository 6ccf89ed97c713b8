"""`kpilang init`: listing the ready plans, starting a folder that runs as is, never overwriting."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang import bundled
from kpilang.workspace import templates
from kpilang.cli import main
from kpilang.compile import compile_file

NAMES = ["account_managers", "base", "cold_sales", "head_of_sales", "inbound_leads", "online_chats"]


def _run(*args: str):
    return CliRunner().invoke(main, ["init", *args])


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_lists_templates_with_label_roles_and_model():
    result = _run()
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["TEMPLATE", "LABEL", "ROLES", "MOTIVATION", "MODEL"]
    listed = {line.split()[0]: line for line in lines[1:]}
    assert sorted(listed) == NAMES
    assert "Холодные продажи" in listed["cold_sales"]
    assert listed["cold_sales"].rstrip().endswith("fixed + KPI bonus + % of sales")
    assert "head (team)" in listed["head_of_sales"]
    assert listed["inbound_leads"].rstrip().endswith("salary × multiplier")
    assert listed["online_chats"].rstrip().endswith("bonus for meeting KPI")


def test_creates_a_folder_that_compiles(tmp_path):
    dest = tmp_path / "my_plan"
    result = _run("cold_sales", str(dest))
    assert result.exit_code == 0, result.output
    expected = {"cold_sales.kpi", "lib/common.kpi", "lib/leads.kpi", "lib/multiplier.kpi", "README.md", ".gitignore",
                "people.csv", "targets.csv", *(f"data/{t}.csv" for t in templates.DATA_TABLES)}
    assert {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()} == expected
    assert (dest / "cold_sales.kpi").read_bytes() == (templates.rules_dir() / "cold_sales.kpi").read_bytes()
    compiled = compile_file(dest / "cold_sales.kpi")
    assert compiled.program is not None and compiled.diagnostics == []
    lint = CliRunner().invoke(main, ["lint", "--format", "json", str(dest)])
    assert lint.exit_code == 0
    assert json.loads(lint.stdout)["summary"]["errors"] == 0


@pytest.mark.skipif(importlib.util.find_spec("kpilang.cli.test") is None,
                    reason="`kpilang test` (the test runner) is not built yet")
@pytest.mark.parametrize("name", NAMES)
def test_created_plan_passes_its_tests(tmp_path, name):
    assert _run(name, str(tmp_path / name)).exit_code == 0
    result = CliRunner().invoke(main, ["test", str(tmp_path / name / f"{name}.kpi")])
    assert result.exit_code == 0, result.output


def test_sample_data_is_the_roles_slice_of_the_demo(tmp_path):
    result = _run("inbound_leads", str(tmp_path / "p"))
    assert result.exit_code == 0
    data, demo = tmp_path / "p" / "data", templates.demo_data_dir()
    people = _rows(data / "managers.csv")
    assert people and {p["role"] for p in people} == {"inbound"}
    ids = {p["id"] for p in people}
    assert ids == {p["id"] for p in _rows(demo / "managers.csv") if p["role"] == "inbound"}
    readme = (tmp_path / "p" / "README.md").read_text(encoding="utf-8")
    left_out = []
    for table in templates.DATA_TABLES[1:]:
        demo_lines = (demo / f"{table}.csv").read_bytes().splitlines(keepends=True)
        copied = (data / f"{table}.csv").read_bytes().splitlines(keepends=True)
        assert copied[0] == demo_lines[0]
        wanted = [line for line, row in zip(demo_lines[1:], _rows(demo / f"{table}.csv")) if row["manager_id"] in ids]
        assert wanted, f"no {table} rows for the inbound managers"
        # These people's rows byte for byte and in order; the only ones missing are named in the README.
        missing = [line for line in wanted if line not in copied]
        assert [line for line in wanted if line in copied] == copied[1:]
        for line in missing:
            row_id = line.decode("utf-8").split(",")[0]
            assert f"{table}.csv, строка {row_id}" in readme
        left_out += missing
    # The demo's locale-formatted amount belongs to an inbound manager: reported, not copied.
    assert len(left_out) == 1 and "1 234,50" in readme
    assert "left out" in result.stderr


def test_sample_data_loads_without_a_rejected_row(tmp_path):
    from kpilang.data import load_data

    assert _run("cold_sales", str(tmp_path / "p")).exit_code == 0
    dataset = load_data(tmp_path / "p" / "data", timezone="Europe/Moscow")
    try:
        assert dataset.problems == []
    finally:
        dataset.close()


def test_head_of_sales_gets_whole_teams(tmp_path):
    assert _run("head_of_sales", str(tmp_path / "p")).exit_code == 0
    people = _rows(tmp_path / "p" / "data" / "managers.csv")
    heads = {p["team"] for p in people if p["role"] == "head"}
    assert heads and {p["team"] for p in people} == heads
    assert {p["role"] for p in people} - {"head"}, "a team-scope plan needs the team members' rows"


def test_refuses_to_overwrite_a_non_empty_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("мои заметки", encoding="utf-8")
    result = _run("base", str(tmp_path))
    assert result.exit_code == 2
    assert "not empty" in result.stderr and "help:" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_refuses_a_file_as_the_folder(tmp_path):
    target = tmp_path / "plan.kpi"
    target.write_text("", encoding="utf-8")
    assert _run("base", str(target)).exit_code == 2
    assert target.read_text(encoding="utf-8") == ""


def test_uses_an_existing_empty_folder(tmp_path):
    assert _run("base", str(tmp_path)).exit_code == 0
    assert (tmp_path / "base.kpi").is_file()


def test_default_folder_is_named_after_the_template(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _run("online_chats.kpi")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "online_chats" / "online_chats.kpi").is_file()
    assert "kpilang eval online_chats.kpi --data data --period 2026-07" in result.stderr


def test_unknown_template_suggests_a_close_name(tmp_path):
    result = _run("cold", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert "no template named `cold`" in result.stderr and "cold_sales" in result.stderr
    assert not (tmp_path / "x").exists()


def test_installed_package_data_wins_over_the_checkout(tmp_path, monkeypatch):
    package = tmp_path / "kpilang"
    (package / "rules").mkdir(parents=True)
    (package / "demo").mkdir()
    monkeypatch.setattr(bundled.resources, "files", lambda name: package)
    assert templates.rules_dir() == package / "rules"
    assert templates.demo_data_dir() == package / "demo"


def test_source_checkout_is_used_without_package_data(tmp_path, monkeypatch):
    monkeypatch.setattr(bundled.resources, "files", lambda name: tmp_path)
    root = Path(__file__).resolve().parents[2]
    assert templates.rules_dir() == root / "rules"
    assert templates.demo_data_dir() == root / "examples" / "demo"


@pytest.mark.skipif(importlib.util.find_spec("kpilang.cli.eval") is None, reason="`kpilang eval` is not built yet")
def test_created_folder_evaluates(tmp_path):
    dest = tmp_path / "p"
    assert _run("cold_sales", str(dest)).exit_code == 0
    cwd = os.getcwd()
    os.chdir(dest)
    try:
        result = CliRunner().invoke(main, ["eval", "cold_sales.kpi", "--data", "data", "--period", "2026-07",
                                           "--format", "json"])
    finally:
        os.chdir(cwd)
    if isinstance(result.exception, ImportError):
        pytest.skip(f"the evaluator is incomplete: {result.exception}")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert not report["data_problems"] and not any(r["errors"] for r in report["results"])
    assert {r["manager_id"] for r in report["results"]} == {
        p["id"] for p in _rows(dest / "data" / "managers.csv")}


def test_init_speaks_russian_when_asked(tmp_path: Path) -> None:
    listing = CliRunner().invoke(main, ["init", "--lang", "ru"])
    assert listing.exit_code == 0
    assert listing.stdout.splitlines()[0].split() == ["ШАБЛОН", "НАЗВАНИЕ", "РОЛИ", "МОДЕЛЬ", "МОТИВАЦИИ"]
    assert "оклад × мультипликатор" in listing.stdout and "head (команда)" in listing.stdout
    unknown = CliRunner().invoke(main, ["init", "cold_salez"], env={"KPILANG_LANG": "ru"})
    assert unknown.exit_code == 2
    assert unknown.stderr.splitlines() == ["ошибка: шаблона «cold_salez» нет",
                                           "  = подсказка: возможно, вы имели в виду «cold_sales»?"]
    created = CliRunner().invoke(main, ["init", "cold_sales", str(tmp_path / "otdel"), "--lang", "ru"])
    assert created.exit_code == 0
    assert created.stderr.startswith(f"создана папка {tmp_path / 'otdel'}/ по шаблону «cold_sales»:")
    readme = (tmp_path / "otdel" / "README.md").read_text(encoding="utf-8")
    assert "сумма меньше нуля: значение amount должно быть не меньше 0" in readme  # the left-out row's reason
