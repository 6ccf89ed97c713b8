"""Every check has a page in Russian (docs/checks/ru/), written for a head of sales, with the
same parts as the English one, and the two link to each other; the Russian index lists them all
with the catalog's Russian summaries."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpilang.checks.base import registry
from kpilang.checks.docs import page_name, render_russian_index
from kpilang.diagnostics import check_page

ROOT = Path(__file__).resolve().parents[2]
RUSSIAN = ROOT / "docs" / "checks" / "ru"
CHECKS = list(registry().values())


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.code)
def test_every_check_has_a_russian_page_with_why_avoid_prefer(check) -> None:
    page = ROOT / check_page(check.code, check.name, "ru")
    assert page.is_file(), f"no Russian page {page.name}"
    text = page.read_text(encoding="utf-8")
    assert text.startswith(f"# {check.code} {check.name}\n")
    for part in ("**Зачем.**", "**Как не надо.**", "**Как надо.**"):
        assert part in text, f"{page.name} has no {part}"
    assert f"](../{page_name(check)})" in text
    assert f"`# kpilang: ignore[{check.code}] -- причина`" in text
    words = re.findall(r"[А-Яа-яЁё]+", text)
    assert len(words) >= 40, f"{page.name} is hardly in Russian"


def test_no_russian_page_without_a_check() -> None:
    assert {p.name for p in RUSSIAN.glob("KPL*.md")} == {page_name(c) for c in CHECKS}


def test_russian_index_is_in_sync() -> None:
    assert (RUSSIAN / "index.md").read_text(encoding="utf-8") == render_russian_index()


def test_the_criteria_pages_name_every_check_of_every_criterion() -> None:
    from kpilang.checks.criteria import CRITERIA

    for page in (ROOT / "docs" / "checks" / "criteria.md", RUSSIAN / "criteria.md"):
        text = page.read_text(encoding="utf-8")
        for criterion in CRITERIA:
            for code in criterion.checks:
                assert f"[{code}](" in text, f"{page} does not link {code}"


def _lint(*args: str) -> str:
    from click.testing import CliRunner

    from kpilang.cli import main

    return CliRunner().invoke(main, ["lint", *args, str(ROOT / "tests" / "checks" / "corpus" / "bad-weights-90.kpi")]).stdout


def test_a_russian_diagnostic_links_its_russian_page() -> None:
    assert "  = подробнее: docs/checks/ru/KPL003-weights-sum.md" in _lint("--lang", "ru")
    assert "docs/checks/ru/" not in _lint()


@pytest.mark.parametrize("lang, folder", [("en", "docs/checks"), ("ru", "docs/checks/ru")])
def test_sarif_help_uri_is_the_page_in_the_readers_language(lang: str, folder: str) -> None:
    import json

    rules = json.loads(_lint("--format", "sarif", "--lang", lang))["runs"][0]["tool"]["driver"]["rules"]
    [rule] = [r for r in rules if r["id"] == "KPL003"]
    assert rule["helpUri"] == f"{folder}/KPL003-weights-sum.md"
    assert (ROOT / rule["helpUri"]).is_file()
