"""The folder `kpilang init` lays out beside the plan: `people.csv` and `targets.csv` to fill in
(kpilang's own format, so they are read as they are), a README that says where they go, and a
`.gitignore` that keeps people's data, payouts, statements and secrets out of the plan's
repository even after `git add .`."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main
from kpilang.compile import compile_file
from kpilang.workspace.init import PEOPLE_COLUMNS, TARGETS_COLUMNS

BOM = b"\xef\xbb\xbf"


def _init(tmp_path: Path, template: str = "cold_sales") -> Path:
    result = CliRunner().invoke(main, ["init", template, str(tmp_path / "otdel")])
    assert result.exit_code == 0, result.output
    return tmp_path / "otdel"


def _table(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(BOM), f"{path.name} has no byte-order mark: Excel would read it as ANSI"
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"))))


@pytest.mark.parametrize("template", ["cold_sales", "head_of_sales", "online_chats"])
def test_people_and_targets_templates_hold_one_example_of_the_plans_people(tmp_path, template):
    folder = _init(tmp_path, template)
    program = compile_file(folder / f"{template}.kpi").program
    people = _table(folder / "people.csv")
    assert people[0] == list(PEOPLE_COLUMNS) and len(people) == 2
    person = dict(zip(people[0], people[1]))
    assert person["role"] in program.plan.roles and person["crm_id"] == ""
    sample = list(csv.DictReader(io.StringIO((folder / "data" / "managers.csv").read_text(encoding="utf-8"))))
    assert {k: v for k, v in person.items() if k != "crm_id"} in [
        {k: row[k] for k in PEOPLE_COLUMNS if k != "crm_id"} for row in sample]
    targets = _table(folder / "targets.csv")
    assert targets[0] == list(TARGETS_COLUMNS)
    rows = [dict(zip(targets[0], row)) for row in targets[1:]]
    # Every target the plan reads, for that person, in one period of the plan's kind.
    assert sorted(r["name"] for r in rows) == sorted(program.target_names)
    assert {r["manager_id"] for r in rows} == {person["id"]} and len({r["period"] for r in rows}) == 1


def test_own_data_folder_as_the_readme_says_evaluates(tmp_path, monkeypatch):
    """The README's way: people.csv and targets.csv, filled in, beside the CRM export in a folder
    of their own, then `kpilang eval PLAN --data data/2026-07 --period 2026-07`."""
    folder = _init(tmp_path)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    command = "kpilang eval cold_sales.kpi --data data/2026-07 --period 2026-07"
    assert command in readme
    own = folder / "data" / "2026-07"
    own.mkdir()
    shutil.copy(folder / "people.csv", own / "people.csv")
    shutil.copy(folder / "targets.csv", own / "targets.csv")
    person = _table(own / "people.csv")[1][0]
    (own / "activities.csv").write_text(
        "id,manager_id,type,started_at,duration,status\n"
        f"a1,{person},call,2026-07-01T10:00:00+03:00,120,done\n"
        f"a2,{person},call,2026-07-02T10:00:00+03:00,30,done\n"
        f"a3,{person},meeting,2026-07-03T10:00:00+03:00,3600,done\n", encoding="utf-8")
    (own / "leads.csv").write_text("id,manager_id,created_at,first_response_at,source,status\n"
                                   f"l1,{person},2026-07-02T09:00:00+03:00,,cold,new\n", encoding="utf-8")
    (own / "deals.csv").write_text(
        "id,manager_id,created_at,closed_at,stage,amount,client_id,is_new_client\n"
        f"d1,{person},2026-07-01T10:00:00+03:00,2026-07-20T12:00:00+03:00,won,100000.00,c1,true\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, command.split()[1:] + ["--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [r["manager_id"] for r in out["results"]] == [person] and out["results"][0]["errors"] == []
    assert out["results"][0]["metrics"]["revenue"] == "100000.00"
    assert out["results"][0]["pays"]["total"] is not None and out["data_problems"] == []
    assert [(f["table"], Path(f["file"]).name) for f in out["inputs"]] == [
        ("managers", "people.csv"), ("activities", "activities.csv"), ("leads", "leads.csv"),
        ("deals", "deals.csv"), ("targets", "targets.csv")]


def _git(folder: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    done = subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_add_all_stages_no_data_payout_statement_or_secret(tmp_path, monkeypatch):
    folder = _init(tmp_path)
    monkeypatch.chdir(folder)
    runner = CliRunner()
    # What the tutorials make in the folder: statements, the payroll file, the JSON of a run...
    for args in (["explain", "cold_sales.kpi", "--data", "data", "--period", "2026-07", "--format", "html",
                  "--out", "statements"],
                 ["eval", "cold_sales.kpi", "--data", "data", "--period", "2026-07", "--format", "csv",
                  "--out", "payroll-2026-07.csv"],
                 ["eval", "cold_sales.kpi", "--data", "data", "--period", "2026-07", "--format", "json",
                  "--out", "july.json"]):
        assert runner.invoke(main, args).exit_code == 0, args
    # ...a computation's own folder, a snapshot of `kpilang pull`, Excel copies and secrets.
    own = folder / "data" / "2026-07"
    own.mkdir()
    shutil.copy("people.csv", own)
    (own / "manifest.json").write_text("{}", encoding="utf-8")
    (folder / "people.xlsx").write_bytes(b"PK")
    (folder / "payouts-q3.xlsx").write_bytes(b"PK")
    (folder / "bitrix24.token").write_text("secret", encoding="utf-8")
    (folder / "bitrix24-webhook.url").write_text("https://example.bitrix24.ru/rest/1/secret/", encoding="utf-8")
    (folder / "выписки").mkdir()
    (folder / "выписки" / "m0001.md").write_text("Итого", encoding="utf-8")
    assert (folder / "statements" / "index.html").is_file() and (folder / "payroll-2026-07.csv").is_file()
    _git(folder, "init", "-q")
    _git(folder, "add", ".")
    staged = set(_git(folder, "ls-files", "--cached").split("\n")) - {""}
    assert staged == {"cold_sales.kpi", "lib/common.kpi", "lib/leads.kpi", "lib/multiplier.kpi", "README.md",
                      ".gitignore"}
