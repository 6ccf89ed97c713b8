"""The wheel works outside the repository: built from the committed files alone, installed into a
fresh virtual environment, `kpilang lint` finds its grammar as package data and checks the example.

The fresh environment installs only the wheel (`--no-deps`); its dependencies come from the test
run's own environment through a `.pth` line, so the test works offline. The build runs without
isolation when hatchling is importable here (offline too), and isolated otherwise. About 10-20 s.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to know which files are committed")
    source = tmp_path_factory.mktemp("clean-copy")
    tracked = _run("git", "ls-files", "-z", cwd=ROOT).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    no_isolation = ["--no-isolation"] if importlib.util.find_spec("hatchling") else []
    built = _run(sys.executable, "-m", "build", "--wheel", *no_isolation, "--outdir", out, source, cwd=source)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel_file,) = out.glob("kpilang-*.whl")
    return wheel_file


def test_the_wheel_ships_the_grammar(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "kpilang/grammar/kpilang.lark" in names
    assert "kpilang/syntax/parser.py" in names
    assert not [n for n in names if n.startswith(("tests/", "bench/"))]


def test_the_installed_wheel_lints_the_example_outside_the_repository(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).stdout.strip())
    installed = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet",
                     wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # Dependencies from this environment, placed after the fresh site-packages (the wheel wins).
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

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
