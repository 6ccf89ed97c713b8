"""A git repository holding the cold-sales plan in two versions, beside a copy of the demo data:
the July version (in force from 2026-07-01) and a revision that takes effect on 2026-08-01 with
less weight on revenue; and, not committed, `revised.kpi`: that revision in force from July."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main
from tests.change.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[2]
PLAN = (ROOT / "examples" / "cold_sales" / "cold_sales.kpi").read_text(encoding="utf-8")


def august_version(text: str = PLAN) -> str:
    assert text.count("weight 50%") == 1 and text.count("effective 2026-07-01") == 1
    return text.replace("weight 50%", "weight 40%").replace("effective 2026-07-01", "effective 2026-08-01")


def july_repo(folder: Path, plan: str, data: str) -> GitRepo:
    """A repository in `folder` with the demo data in `data` and the July plan at `plan`,
    committed on 10 June 2026."""
    repo = GitRepo(folder)
    shutil.copytree(ROOT / "examples" / "demo", repo.path / data)
    repo.write(plan, PLAN)
    repo.commit("Cold sales plan, in force from July", "2026-06-10T10:00:00+03:00")
    return repo


@pytest.fixture(scope="session")
def history(tmp_path_factory) -> Path:
    repo = july_repo(tmp_path_factory.mktemp("report-history") / "work", "rules/cold.kpi", "demo")
    repo.write("rules/cold.kpi", august_version())
    repo.commit("Less weight on revenue from August", "2026-07-15T10:00:00+03:00")
    # not committed: the revision as a plan in force from July, for comparing period by period
    repo.write("revised.kpi", PLAN.replace("weight 50%", "weight 40%"))
    return repo.path


def run(folder: Path, *args: str):
    """`kpilang ARGS` run in `folder`: (exit status, standard output, standard error)."""
    import os

    here = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(here)
    return result.exit_code, result.stdout, result.stderr


def eval_json(folder: Path, plan: str, period: str, *extra: str) -> dict:
    code, out, _ = run(folder, "eval", plan, "--data", "demo", "--period", period, "--format", "json", *extra)
    assert code in (0, 1)
    return json.loads(out)


def final_pays(evaluated: dict) -> dict[str, Decimal | None]:
    """manager_id → the `total` pay as eval's JSON gives it (None when not computed)."""
    return {p["manager_id"]: (Decimal(p["pays"]["total"]) if p["pays"]["total"] is not None else None)
            for p in evaluated["results"]}
