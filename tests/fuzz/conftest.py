"""The fuzzers' long runs are opt-in: a test marked `slow` here runs only when asked for with
`-m slow` (e.g. `pytest -m slow tests/fuzz`); CI's plain `pytest` runs the bounded ones."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="a long fuzzing run: opt in with -m slow")
    for item in items:
        if "slow" in item.keywords and HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)
