from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NORMATIVE = Path(__file__).resolve().parent / "fixtures" / "normative"


@pytest.fixture
def normative_dir() -> Path:
    """The normative example (plan, data, expected figures), copied into the tests."""
    return NORMATIVE
