"""The wheel works outside the repository: built from the committed files alone, installed into a
fresh virtual environment, `kpilang lint` finds its grammar as package data and checks the example.

The fresh environment installs only the wheel (`--no-deps`); its dependencies come from the test
run's own environment through a `.pth` line, so the test works offline. The build runs without
isolation when hatchling is importable here (offline too), and isolated otherwise. About 10-20 s.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def wheel(built_wheel) -> Path:
    return built_wheel


def test_the_wheel_ships_the_grammar(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "kpilang/grammar/kpilang.lark" in names
    assert "kpilang/syntax/parser.py" in names
    assert not [n for n in names if n.startswith(("tests/", "bench/"))]


def test_the_wheel_ships_the_crm_presets(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for preset in ("bitrix24", "bitrix24-export", "amocrm", "amocrm-export"):
        assert f"kpilang/sources/presets/{preset}.toml" in names, preset


def test_the_installed_wheel_lints_the_example_outside_the_repository(wheel_env, tmp_path):
    env_dir = wheel_env
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

    work = tmp_path / "work"
    shutil.copytree(ROOT / "examples" / "cold_sales", work / "cold_sales")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    where = _run(python, "-c", "import kpilang, importlib.resources as r; print(kpilang.__file__); "
                 "print(r.files('kpilang').joinpath('grammar/kpilang.lark').is_file())", cwd=work, env=env)
    location, packaged = where.stdout.split()
    assert Path(location).is_relative_to(env_dir), "kpilang was imported from outside the fresh environment"
    assert packaged == "True"

    kpilang = env_dir / ("Scripts/kpilang.exe" if os.name == "nt" else "bin/kpilang")
    lint = _run(kpilang, "lint", "cold_sales/cold_sales.kpi", cwd=work, env=env)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    broken = work / "broken.kpi"
    broken.write_text("metric m = count(\n", encoding="utf-8")
    lint = _run(kpilang, "lint", broken.name, cwd=work, env=env)
    assert lint.returncode == 1 and "error[E0102]" in lint.stdout


def test_the_wheel_is_typed_and_its_version_names_the_grammar_it_carries(wheel, wheel_env, tmp_path):
    assert "kpilang/py.typed" in zipfile.ZipFile(wheel).namelist()
    kpilang = wheel_env / ("Scripts/kpilang.exe" if os.name == "nt" else "bin/kpilang")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    shown = _run(kpilang, "--version", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("kpilang ") and lines[1].startswith("grammar ") and lines[2].startswith("catalogs en ")


def test_ci_builds_the_wheel_and_runs_it_from_a_fresh_environment():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "-m build --wheel" in script
    assert re.search(r"pip install [^\n]*dist/kpilang-\*\.whl", script)
    assert '.venv-wheel/bin/kpilang" --version' in script
