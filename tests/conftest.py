"""Fixtures shared by the whole suite, and the one switch that rewrites golden files.

Golden files (and the outputs the docs show) are rewritten instead of compared when pytest runs
with `--update-golden` or with `KPILANG_UPDATE_GOLDEN=1` in the environment; `update_golden()`
is the one place that reads either. Review the rewritten files in the diff before committing:
they are what users read.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import Phase, settings

# CI draws the same examples on every run (derandomize): a red CI then means the change broke
# something, never a new draw of a property; new draws are the long fuzz runs' job and every
# developer's local run. Loaded here, before any test module's @settings inherits from it.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

# A mutation run (tests/mutation/run_mutmut.py sets the variable) runs the tests once per mutant:
# the same draws for every mutant, and no shrinking of a failure, which only the verdict matters
# for. A test's own max_examples still holds (an explicit @settings value wins over a profile).
MUTATION_RUN_ENV = "KPILANG_MUTATION_RUN"
settings.register_profile("mutation", derandomize=True, database=None, deadline=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate])
if os.environ.get(MUTATION_RUN_ENV) == "1":
    settings.load_profile("mutation")

# The cache of checked tables (kpilang.data.table_cache) that eval, explain and lint --history
# use: in a directory of the test run's own, never the cache directory of the user running the
# suite. Set at import, so that commands run as child processes use it too.
os.environ["KPILANG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kpilang-test-cache-")
atexit.register(shutil.rmtree, os.environ["KPILANG_CACHE_DIR"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
NORMATIVE = Path(__file__).resolve().parent / "fixtures" / "normative"
UPDATE_GOLDEN_ENV = "KPILANG_UPDATE_GOLDEN"
UPDATE_GOLDEN_OPTION = "--update-golden"
HOW_TO_UPDATE = f"rerun with {UPDATE_GOLDEN_ENV}=1 (or pytest {UPDATE_GOLDEN_OPTION}) and review the diff"

_option_given = False


@pytest.fixture(autouse=True)
def _english_unless_a_test_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command speaks English unless a test asks for Russian (`--lang ru`, or by setting
    `KPILANG_LANG` itself): the variable in the shell running the suite must not change that."""
    monkeypatch.delenv("KPILANG_LANG", raising=False)


@pytest.fixture
def normative_dir() -> Path:
    """The normative example (plan, data, expected figures), copied into the tests."""
    return NORMATIVE


def pytest_addoption(parser):
    parser.addoption(UPDATE_GOLDEN_OPTION, action="store_true", default=False,
                     help=f"rewrite golden files from the current output instead of comparing with them "
                          f"(the same as {UPDATE_GOLDEN_ENV}=1)")


def pytest_configure(config):
    global _option_given
    _option_given = bool(config.getoption(UPDATE_GOLDEN_OPTION, default=False))


def pytest_collection_modifyitems(config, items):
    """In a mutation run, the property tests go last: mutmut stops at the first failing test
    (`-x`) and a property test takes seconds to a minute, so a mutant that a plain test kills
    should not wait for them."""
    if os.environ.get(MUTATION_RUN_ENV) == "1":
        items.sort(key=lambda item: getattr(getattr(item, "obj", None), "is_hypothesis_test", False))


def update_golden() -> bool:
    """Whether this run rewrites golden files instead of comparing with them."""
    return _option_given or os.environ.get(UPDATE_GOLDEN_ENV) == "1"


def check_golden(path: Path, text: str) -> None:
    """Compare `text` with the golden file at `path`, or rewrite the file when `update_golden()`.
    An empty output is refused either way (a golden file that holds nothing proves nothing), and
    a missing golden file is a failure, not a silent pass."""
    assert text.strip(), f"refusing an empty output as the golden file {path}"
    if update_golden():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; {HOW_TO_UPDATE}"
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}; if the change is right, {HOW_TO_UPDATE}"


@pytest.fixture
def golden():
    """`golden(path, text)`: `check_golden` as a fixture."""
    return check_golden


# ---- the wheel, built once per run from the committed files and installed in a fresh venv ----

def _run_quiet(*args, cwd: Path) -> "subprocess.CompletedProcess":
    import subprocess

    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory) -> Path:
    """A wheel built from a clean copy of the files git tracks (what a fresh checkout has)."""
    import importlib.util
    import shutil
    import sys

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to know which files are committed")
    source = tmp_path_factory.mktemp("clean-copy")
    for name in filter(None, _run_quiet("git", "ls-files", "-z", cwd=ROOT).stdout.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    no_isolation = ["--no-isolation"] if importlib.util.find_spec("hatchling") else []
    built = _run_quiet(sys.executable, "-m", "build", "--wheel", *no_isolation, "--outdir", dist, source, cwd=source)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("kpilang-*.whl")
    return wheel


@pytest.fixture(scope="session")
def wheel_env(built_wheel, tmp_path_factory) -> Path:
    """A fresh venv holding only the wheel; its dependencies come from this environment, placed
    after the venv's own site-packages (so the wheel, not the source tree, is what imports)."""
    import os
    import sys
    import sysconfig
    import venv

    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(_run_quiet(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                           cwd=env_dir).stdout.strip())
    done = _run_quiet(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
                      "--quiet", built_wheel, cwd=env_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return env_dir
