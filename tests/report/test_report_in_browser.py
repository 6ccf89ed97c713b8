"""The report page in headless Chromium (Debian's `chromium`, driven by Playwright without a
browser download): it renders, a screenshot is taken, nothing is cut or overlapping at 1280 px
nor at A4 print width, it prints to an A4 PDF, and every figure in the rendered page equals the
one `eval --format json` gives, down to the text a reader sees for money.

One page load per width keeps it cheap (marked `browser`: `-m "not browser"` leaves it out).
Without Chromium or Playwright the test is skipped with the reason, except in CI (CI=true), where
that is a failure: the check must not silently disappear (Chromium is found as the statements'
browser test finds it, and that test checks the finding).
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.explain.test_html_in_browser import chromium

from .conftest import eval_json, run
from .figures import expected_figures

pytestmark = pytest.mark.browser

PERIODS = ["2026-07", "2026-08", "2026-09"]
A4_PRINT_WIDTH = 703
"""A4's 210 mm less the page's 12 mm margins on each side, in CSS pixels (96 per inch)."""

# Every element that shows text: its box must hold its content (nothing cut), and no two text
# boxes of one table row, or of one chart, may cross (nothing overlapping).
LAYOUT_CHECK = """() => {
  const problems = [];
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth + 1)
    problems.push(`the page is ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
  const name = el => (el.dataset.key || el.tagName + ':' + el.textContent.trim().slice(0, 40));
  for (const el of document.querySelectorAll('h1,h2,h3,p,li,td,th,figcaption,pre,span')) {
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== 'inline')
      problems.push(`cut: ${name(el)} needs ${el.scrollWidth}px, has ${el.clientWidth}px`);
    const box = el.getBoundingClientRect();
    if (box.right > page.clientWidth + 1) problems.push(`past the right edge: ${name(el)}`);
  }
  const crossing = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  for (const row of document.querySelectorAll('tr')) {
    const cells = [...row.children].map(c => c.getBoundingClientRect());
    for (let i = 0; i + 1 < cells.length; i++)
      if (crossing(cells[i], cells[i + 1])) problems.push(`overlapping cells in a row: ${row.textContent.trim().slice(0, 60)}`);
  }
  for (const svg of document.querySelectorAll('svg')) {
    const frame = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()]);
    for (const [text, box] of texts)
      if (box.left < frame.left - 1 || box.right > frame.right + 1 || box.top < frame.top - 1 || box.bottom > frame.bottom + 1)
        problems.push(`chart text outside its chart: ${text}`);
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++)
        if (crossing(texts[i][1], texts[j][1])) problems.push(`chart texts overlap: ${texts[i][0]} / ${texts[j][0]}`);
  }
  return problems;
}"""

FIGURES = """() => [...document.querySelectorAll('[data-key]')].map(
  el => [el.dataset.key, el.dataset.value === undefined ? null : el.dataset.value, el.textContent])"""


def browser_path() -> str:
    """Debian's chromium, as the statements' browser test finds it (skipped, or failed in CI,
    without it), and Playwright to drive it (the same without it)."""
    path = chromium()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "playwright is not installed: pip install -e '.[test]' to run the browser check"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {missing}")
        pytest.skip(missing)
    return path


@pytest.fixture(scope="module")
def report_page(history, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "report.html"
    code, _, err = run(history, "report", "HEAD~1:rules/cold.kpi", "--data", "demo", "--periods",
                       "2026-07..2026-09", "--out", str(out))
    assert code == 1 and out.exists(), err
    return out


@pytest.fixture(scope="module")
def browser():
    path = browser_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def compare_page(history, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "compare.html"
    code, _, err = run(history, "compare", "HEAD~1:rules/cold.kpi", "revised.kpi", "--data", "demo", "--periods",
                       "2026-07..2026-09", "--format", "html", "--out", str(out), "--lang", "ru")
    assert code == 1 and out.exists(), err
    return out


@pytest.mark.parametrize("width, media", [(1280, "screen"), (A4_PRINT_WIDTH, "print")])
def test_the_comparison_page_fits_a_screen_and_a4(browser, compare_page, width, media):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.emulate_media(media=media)
    page.goto(compare_page.as_uri())
    assert page.evaluate(LAYOUT_CHECK) == []


def _money_shown(text: str) -> Decimal:
    """`1 082 010,00 ₽` → 1082010.00 (Russian digits grouping and decimal comma)."""
    digits = re.sub(r"[^\d,\-−]", "", text).replace(",", ".").replace("−", "-")
    return Decimal(digits)


def test_the_page_renders_on_a_screen_without_anything_cut_or_overlapping(browser, report_page, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(report_page.as_uri())
    shot = tmp_path / "report-1280.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    assert page.evaluate(LAYOUT_CHECK) == []
    assert page.locator("svg[role=img]").count() >= 5


def test_the_page_prints_on_a4_without_anything_cut_or_overlapping(browser, report_page, tmp_path):
    page = browser.new_page(viewport={"width": A4_PRINT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    page.goto(report_page.as_uri())
    page.screenshot(path=str(tmp_path / "report-a4.png"), full_page=True)
    assert page.evaluate(LAYOUT_CHECK) == []
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf[:5] == b"%PDF-"


def test_every_figure_in_the_rendered_page_is_the_one_eval_gives(browser, report_page, history):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(report_page.as_uri())
    rendered = {key: (value, text) for key, value, text in page.evaluate(FIGURES)}
    expected = expected_figures({p: eval_json(history, "HEAD~1:rules/cold.kpi", p) for p in PERIODS},
                                history / "demo")
    for key, value in expected.items():
        assert key in rendered, f"{key} is not on the rendered page"
        shown_value, text = rendered[key]
        assert (None if shown_value is None else Decimal(shown_value)) == value, key
        if value is not None and key.startswith(("pay:", "payroll:", "salary-fund:", "pay-sum:")):
            assert _money_shown(text) == value, f"{key} reads {text!r}"


def test_missing_playwright_fails_in_ci_and_skips_elsewhere(monkeypatch):
    import builtins
    import sys

    here = sys.modules[__name__]
    monkeypatch.setattr(here, "chromium", lambda: "/usr/bin/chromium")
    real_import = builtins.__import__

    def no_playwright(name, *args, **kwargs):
        if name.startswith("playwright"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_playwright)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but playwright is not installed"):
        here.browser_path()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="playwright is not installed"):
        here.browser_path()
