"""The rendered lint output of one plan with many faults, in every format, against golden files.

Rewrite the golden files after a deliberate change with KPILANG_UPDATE_GOLDEN=1 (or
`pytest --update-golden`), then review the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
PLAN = "tests/checks/golden/activity_only.kpi"



@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("json", "json"), ("github", "github")])
def test_lint_output_matches_golden(fmt: str, suffix: str, monkeypatch: pytest.MonkeyPatch, golden) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["lint", PLAN, "--format", fmt])
    assert result.exit_code == 1
    golden(GOLDEN / f"activity_only.{suffix}", result.stdout)


@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("json", "json"), ("sarif", "sarif"), ("github", "github")])
def test_lint_output_in_russian_matches_golden(fmt: str, suffix: str, monkeypatch: pytest.MonkeyPatch, golden) -> None:
    """The same findings with `--lang ru`: messages, help, notes and labels in Russian; codes,
    names, positions and the JSON keys exactly as in English."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["lint", PLAN, "--format", fmt, "--lang", "ru"])
    assert result.exit_code == 1
    output = result.stdout
    if fmt == "sarif":  # the tool's version changes with every release; the findings do not
        output = re.sub(r'"version": "\d[^"]*"', '"version": "…"', output.replace('"version": "2.1.0"', '"sarif": "2.1.0"'))
    golden(GOLDEN / "ru" / f"activity_only.{suffix}", output)
