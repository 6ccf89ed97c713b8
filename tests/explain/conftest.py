from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kpilang

NORMATIVE = Path(__file__).resolve().parent.parent / "fixtures" / "normative"
PLAN = NORMATIVE / "cold_sales.kpi"
DATA = NORMATIVE / "data"
PERIOD = "2026-07"


def evaluate_normative(data: Path = DATA):
    result = kpilang.load(PLAN)
    assert result.program is not None, result.diagnostics
    return kpilang.evaluate(result.program, data, PERIOD, trace=True)


@pytest.fixture(scope="session")
def normative_report():
    """The normative example evaluated for July 2026 (four people, no errors)."""
    return evaluate_normative()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the normative data, for tests that break or rename something."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
