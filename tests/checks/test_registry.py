"""Every check is complete: a well-formed code and name, a docstring with why / avoid / prefer,
a committed page in docs/checks/ that matches it, and a case file with failing and passing cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kpilang.checks.base import registry
from kpilang.checks.docs import page_name, render_index, render_page

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "checks"
CASES = Path(__file__).parent / "cases"
CHECKS = list(registry().values())


def test_codes_are_unique_and_well_formed() -> None:
    assert len(CHECKS) >= 20
    for check in CHECKS:
        assert re.fullmatch(r"KPL\d{3}", check.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", check.name)
    assert len({c.name for c in CHECKS}) == len(CHECKS)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.code)
def test_docstring_says_why_avoid_prefer(check) -> None:
    assert check.doc.startswith(f"{check.code} {check.name}:")
    for part in ("**Why.**", "**Avoid.**", "**Prefer.**"):
        assert part in check.doc, f"{check.code} has no {part} section"


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.code)
def test_page_is_committed_and_in_sync(check) -> None:
    page = DOCS / page_name(check)
    assert page.is_file(), f"run `python -m kpilang.checks.docs docs/checks` to write {page.name}"
    assert page.read_text(encoding="utf-8") == render_page(check), \
        f"{page.name} is out of date: run `python -m kpilang.checks.docs docs/checks`"


def test_index_is_in_sync() -> None:
    assert (DOCS / "index.md").read_text(encoding="utf-8") == render_index()


def test_no_page_without_a_check() -> None:
    pages = {p.name for p in DOCS.glob("KPL*.md")}
    assert pages == {page_name(c) for c in CHECKS}


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.code)
def test_case_file_has_failing_and_passing_cases(check) -> None:
    path = CASES / f"{check.code}-{check.name}.yaml"
    assert path.is_file(), f"no case file {path.name}"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert spec["check"] == check.code
    assert any(c["expect"] for c in spec["cases"]), "no failing case"
    assert any(not c["expect"] for c in spec["cases"]), "no passing case"
