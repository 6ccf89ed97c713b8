"""An HTML statement opened in headless Chromium: the page loads, the SVG charts and the key figures
are in the rendered DOM. Without Chromium the test is skipped with the reason, except in CI
(CI=true), where a missing browser is a failure: the check must not silently disappear."""

from __future__ import annotations

import re
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kpilang.explain import build_statements, render_statements

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but chromium is not installed (apt-get install -y chromium)")
        pytest.skip("chromium is not installed: apt-get install -y chromium to run the browser check")
    return path


def dump_dom(page: Path, profile: Path) -> str:
    done = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize("lang, figures", [
    ("ru", ["155\xa0000,01\xa0₽", "105,000025\xa0%", "72\xa0000,00\xa0₽", "вы здесь"]),
    ("en", ["RUB\xa0155,000.01", "105.000025%", "RUB\xa072,000.00", "you are here"]),
])
def test_statement_renders_in_chromium(normative_report, tmp_path, lang, figures):
    statements = build_statements(normative_report, lang=lang, managers=["m1"])
    rendered = render_statements(statements, normative_report, fmt="html", lang=lang)
    written = rendered.write(tmp_path / "out")
    dom = dump_dom(written[0], tmp_path / "profile")
    assert dom.count("<svg") == 4  # a bar per KPI (3) and the multiplier table
    assert re.search(r'class="fill (below|met|capped)"', dom) and 'class="band hit"' in dom and 'class="point"' in dom
    text = dom.replace("&nbsp;", "\xa0")
    for figure in figures:
        assert figure in text, figure
    assert "@media print" in dom


def test_missing_chromium_fails_in_ci_and_skips_elsewhere(monkeypatch):
    here = sys.modules[__name__]

    monkeypatch.setattr(here, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(here.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but chromium is not installed"):
        here.chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        here.chromium()
