"""Golden files: the four people of the normative example in ru and en, as text, Markdown and HTML,
and the index of each. Regenerate with `pytest tests/explain --update-golden` and review the diff:
every change of wording or layout shows up there. The plan's meaning fingerprint is written as
`{fingerprint}` in the golden files (its algorithm belongs to change control, and may be versioned
without any statement changing); a separate test checks the real one is in every statement."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpilang.change.fingerprint import fingerprint
from kpilang.explain import FORMATS, build_statements, render_statements

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_statements_match_golden_files(normative_report, golden, lang, fmt):
    statements = build_statements(normative_report, lang=lang)
    rendered = render_statements(statements, normative_report, fmt=fmt, lang=lang)
    assert [s.manager_id for s in rendered.statements] == ["m1", "m2", "m3", "m4"]
    real = fingerprint(normative_report.program)
    for doc in rendered.statements:
        assert real in doc.text
        golden(GOLDEN / lang / doc.file_name, doc.text.replace(real, "{fingerprint}"))
    golden(GOLDEN / lang / rendered.index_name, rendered.index.replace(real, "{fingerprint}"))
