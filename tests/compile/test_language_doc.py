"""Every example in docs/language.md and its Russian version docs/language.ru.md compiles; every
example marked as an error fails with the code its first line names. Examples without a `plan`
block continue the page's first example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpilang.compile import compile_text
from kpilang.syntax.formatter import format_source

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ("language.md", "language.ru.md")
BLOCK = re.compile(r"^```(kpi|kpi-error)\n(.*?)^```$", re.S | re.M)


def _blocks(page: str) -> list[tuple[int, str, str]]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return [(text[: m.start()].count("\n") + 1, m.group(1), m.group(2)) for m in BLOCK.finditer(text)]


def _has_plan(source: str) -> bool:
    return re.search(r"^plan\s", source, re.M) is not None


def _contexts(page: str) -> list[tuple[int, str, str, str]]:
    """(line in the doc, kind, the text compiled, the example itself)."""
    blocks = _blocks(page)
    assert blocks and blocks[0][1] == "kpi" and _has_plan(blocks[0][2]), "the page opens with a full plan"
    story = blocks[0][2]
    out = [(blocks[0][0], "kpi", story, story)]
    for line, kind, source in blocks[1:]:
        compiled = source if _has_plan(source) else story + "\n" + source
        out.append((line, kind, compiled, source))
        if kind == "kpi" and not _has_plan(source):
            story = compiled
    return out


CONTEXTS = _contexts("language.md")
RUSSIAN = _contexts("language.ru.md")


def test_the_russian_reference_has_the_same_examples():
    """The Russian page translates the words, not the plans: the same examples, in the same order."""
    assert [c[3] for c in RUSSIAN] == [c[3] for c in CONTEXTS]


def test_the_page_has_examples_of_both_kinds():
    kinds = [kind for _, kind, _, _ in CONTEXTS]
    assert kinds.count("kpi") >= 10 and kinds.count("kpi-error") >= 3


@pytest.mark.parametrize(("line", "kind", "compiled", "example"), CONTEXTS, ids=[f"line-{c[0]}" for c in CONTEXTS])
def test_example_compiles_or_fails_as_stated(line, kind, compiled, example):
    result = compile_text(compiled, "language.kpi")
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    if kind == "kpi":
        assert errors == [], [(d.code, d.message, d.span.line) for d in errors]
    else:
        code = re.match(r"#\s*(E\d{4})\b", example)
        assert code, f"the error example at line {line} must start with `# E….`"
        assert errors and errors[0].code == code.group(1), [(d.code, d.message) for d in errors]


@pytest.mark.parametrize(("line", "kind", "compiled", "example"),
                         [c for c in CONTEXTS if c[1] == "kpi"], ids=lambda v: f"line-{v}" if isinstance(v, int) else "")
def test_examples_are_in_canonical_layout(line, kind, compiled, example):
    formatted, diagnostics = format_source(example, "example.kpi")
    assert diagnostics == []
    assert formatted == example


def test_the_pages_plan_passes_its_own_test(tmp_path):
    """The `test` example states figures; with every example of the page in place they must hold."""
    from click.testing import CliRunner

    from kpilang.cli import main

    story = [c for c in CONTEXTS if c[1] == "kpi" and not _has_plan(c[3])][-1][2]
    (tmp_path / "language.kpi").write_text(story, encoding="utf-8")
    result = CliRunner().invoke(main, ["test", str(tmp_path / "language.kpi")])
    assert result.exit_code == 0, result.output
    assert "1 passed, 0 failed" in result.output
