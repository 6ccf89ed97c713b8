"""Fixtures shared by the whole suite, and the one switch that rewrites golden files.

Golden files (and the outputs the docs show) are rewritten instead of compared when pytest runs
with `--update-golden` or with `KPILANG_UPDATE_GOLDEN=1` in the environment; `update_golden()`
is the one place that reads either. Review the rewritten files in the diff before committing:
they are what users read.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NORMATIVE = Path(__file__).resolve().parent / "fixtures" / "normative"
UPDATE_GOLDEN_ENV = "KPILANG_UPDATE_GOLDEN"
UPDATE_GOLDEN_OPTION = "--update-golden"
HOW_TO_UPDATE = f"rerun with {UPDATE_GOLDEN_ENV}=1 (or pytest {UPDATE_GOLDEN_OPTION}) and review the diff"

_option_given = False


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
