"""`kpilang init` from an installed wheel: the templates and the demo data are package data
(`kpilang/rules`, `kpilang/demo`), so a folder started outside any checkout compiles, passes its
tests and evaluates.

The wheel is built from the committed files alone and installed into a fresh virtual environment
with `--no-deps`; dependencies come from this environment through a `.pth` line (offline).
About 10–20 s.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def installed(wheel_env) -> Path:
    """The `kpilang` script of a fresh environment holding only the wheel built from HEAD's files."""
    return wheel_env / ("Scripts/kpilang.exe" if os.name == "nt" else "bin/kpilang")


def test_installed_init_starts_a_folder_that_runs(installed, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    listing = _run(installed, "init", cwd=tmp_path, env=env)
    assert listing.returncode == 0, listing.stderr
    assert "cold_sales" in listing.stdout and "head_of_sales" in listing.stdout

    created = _run(installed, "init", "cold_sales", "otdel", cwd=tmp_path, env=env)
    assert created.returncode == 0, created.stderr
    folder = tmp_path / "otdel"
    assert (folder / "lib" / "common.kpi").is_file() and (folder / "data" / "deals.csv").is_file()
    for command in (["lint", "cold_sales.kpi"], ["test", "cold_sales.kpi"],
                    ["eval", "cold_sales.kpi", "--data", "data", "--period", "2026-07"]):
        result = _run(installed, *command, cwd=folder, env=env)
        assert result.returncode == 0, (command, result.stdout + result.stderr)
