"""Golden files of `diff` and `cadence` output, kept in tests/change/golden/ and checked by the
suite's one golden switch (`check_golden` in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import check_golden

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, text: str) -> None:
    check_golden(GOLDEN / name, text)
