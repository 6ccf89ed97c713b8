"""Every check against its case file: it fires on the failing snippets, at the expected line and
column (and with the expected witness), and stays silent on the passing ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kpilang.checks.history import evaluate_history
from kpilang.compile import compile_file
from kpilang.diagnostics import Severity
from kpilang.lint import lint_file
from kpilang.lint.config import LintConfig

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).resolve().parents[2]
_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
"""Each finding can also be said in Russian (the words themselves are pinned by golden files)."""



def _cases():
    for path in sorted(CASES.glob("KPL*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            yield pytest.param(spec["check"], case, id=f"{path.stem}: {case['name']}")


@pytest.mark.parametrize(("code", "case"), list(_cases()))
def test_case(code: str, case: dict, tmp_path: Path) -> None:
    plan = tmp_path / "case.kpi"
    plan.write_text(case["source"], encoding="utf-8")
    history = None
    if "history" in case:
        program = compile_file(plan).program
        assert program is not None
        history = evaluate_history(program, ROOT / case["history"])
    result = lint_file(plan, config=LintConfig(), history=history)
    compile_errors = [d for d in result.diagnostics if not d.code.startswith("KPL") and d.severity is Severity.ERROR]
    assert not compile_errors, [d.message for d in compile_errors]
    found = sorted((d for d in result.diagnostics if d.code == code), key=lambda d: (d.span.line, d.span.column))
    expected = sorted(case["expect"], key=lambda e: (e["line"], e["column"]))
    assert [(d.span.line, d.span.column) for d in found] == [(e["line"], e["column"]) for e in expected], \
        [d.message for d in found]
    for diag, want in zip(found, expected):
        # an information is expected only where the case says so (an overruled model, say)
        assert diag.severity is not Severity.INFO or want.get("severity") == "info", diag.message
        if "says" in want:
            assert want["says"] in diag.message, diag.message
        if "severity" in want:
            assert diag.severity.value == want["severity"]
        if "witness" in want:
            assert diag.witness is not None
            assert {k: diag.witness.get(k) for k in want["witness"]} == want["witness"]
        assert diag.text is not None and (diag.help is None or diag.help_text is not None), diag.message
        russian = diag.localized("ru")
        assert _CYRILLIC.search(russian.message), russian.message
        assert russian.help is None or _CYRILLIC.search(russian.help), russian.help
        assert all(_CYRILLIC.search(n.message) or not re.search("[a-z]{3}", n.message) for n in russian.notes), \
            [n.message for n in russian.notes]
