"""The ready plans of rules/, compiled once for the whole directory."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from kpilang.compile import compile_file
from kpilang.workspace.templates import rules_dir

RULES = rules_dir()
PLAN_FILES = sorted(RULES.glob("*.kpi"))
LIBRARY_FILES = sorted((RULES / "lib").glob("*.kpi"))
TEMPLATE_NAMES = [p.stem for p in PLAN_FILES]


def command_exists(name: str) -> bool:
    """Whether the module of a `kpilang` command has been built yet."""
    return importlib.util.find_spec(f"kpilang.cli.{name}") is not None


@pytest.fixture(scope="session")
def compiled():
    return {p.stem: compile_file(p) for p in PLAN_FILES}


@pytest.fixture(scope="session")
def programs(compiled):
    return {name: result.program for name, result in compiled.items()}


def plan_path(name: str) -> Path:
    return RULES / f"{name}.kpi"
