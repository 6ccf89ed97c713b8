"""How well the checks judge realistic plans: recall on bad plans, false alarms on clean ones.

`corpus/` holds plans written from the domain (domain.md) and the practitioner's logic, not from
the checks' code: `clean-*.kpi`, well-designed plans, one per role of `rules/`, covering the three
motivation models; and `bad-*.kpi`, each a realistic plan with one main defect, marked on its line
with `# expect: KPL0xx` (alternatives `KPL015|KPL025`: either code counts). A defect is **found**
when an error or a warning with one of its codes starts in the declaration that holds the marked
line (the lines from one blank line to the next: a finding on `kpi x =` counts for a defect marked
on that KPI's `target` line). A plan-wide defect is marked on the `plan` line.

The figures are stated in docs/checks/index.md (`CORPUS_FIGURES` in `kpilang.checks.docs`); the
test fails if recall drops below them, if any clean plan draws an error or a warning, and if the
docs state other figures than the corpus gives (after a change that finds more, raise them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from kpilang.checks.docs import CORPUS_FIGURES
from kpilang.diagnostics import Diagnostic, Severity
from kpilang.lint import lint_file
from kpilang.workspace.templates import MOTIVATION_MODELS, motivation_model

CORPUS = Path(__file__).parent / "corpus"
BAD = sorted(CORPUS.glob("bad-*.kpi"))
CLEAN = sorted(CORPUS.glob("clean-*.kpi"))
ROOT = Path(__file__).resolve().parents[2]
_MARK = re.compile(r"#\s*expect:\s*(?P<codes>KPL\d{3}(?:\|KPL\d{3})*)\s*$")

@dataclass(frozen=True)
class Defect:
    plan: Path
    line: int
    codes: tuple[str, ...]
    block: range
    """The lines of the declaration that holds the marked line."""


def defect_of(plan: Path) -> Defect:
    lines = plan.read_text(encoding="utf-8").splitlines()
    marks = [(number, m["codes"]) for number, text in enumerate(lines, start=1) if (m := _MARK.search(text))]
    assert len(marks) == 1, f"{plan.name}: one main defect, one `# expect:` mark (found {len(marks)})"
    line, codes = marks[0]
    start = line
    while start > 1 and lines[start - 2].strip():
        start -= 1
    end = line
    while end < len(lines) and lines[end].strip():
        end += 1
    return Defect(plan, line, tuple(codes.split("|")), range(start, end + 1))


def alarms(plan: Path) -> list[Diagnostic]:
    result = lint_file(plan)
    compile_errors = [d for d in result.diagnostics if not d.code.startswith("KPL")]
    assert not compile_errors, [f"{d.span}: {d.message}" for d in compile_errors]
    return [d for d in result.diagnostics if d.severity in (Severity.ERROR, Severity.WARNING)]


def found(defect: Defect) -> bool:
    return any(d.code in defect.codes and Path(d.span.file).resolve() == defect.plan.resolve()
               and d.span.line in defect.block for d in alarms(defect.plan))


def test_corpus_is_big_enough_and_covers_every_role_and_model() -> None:
    assert len(BAD) >= 20 and len(CLEAN) >= 6
    programs = [lint_file(plan).program for plan in CLEAN]
    assert {role for p in programs for role in p.plan.roles} == {"base", "cold", "inbound", "account", "chat", "head"}
    assert {motivation_model(p) for p in programs} == set(MOTIVATION_MODELS)


@pytest.mark.parametrize("plan", CLEAN, ids=lambda p: p.stem)
def test_clean_plan_draws_no_error_or_warning(plan: Path) -> None:
    assert [f"{d.code} {d.span}: {d.message}" for d in alarms(plan)] == []


def test_recall_does_not_drop_below_the_measured_figure() -> None:
    defects = [defect_of(p) for p in BAD]
    missed = [f"{d.plan.name}:{d.line} {'|'.join(d.codes)}" for d in defects if not found(d)]
    hits = len(defects) - len(missed)
    assert hits >= CORPUS_FIGURES.found, f"recall {hits}/{len(defects)}, below the documented figure; missed: {missed}"
    assert (hits, len(defects), len(CLEAN)) == (CORPUS_FIGURES.found, CORPUS_FIGURES.defects, CORPUS_FIGURES.clean), \
        f"the corpus gives {hits} of {len(defects)} on {len(CLEAN)} clean plans: update CORPUS_FIGURES (missed: {missed})"


def test_docs_state_the_measured_figures() -> None:
    text = (ROOT / "docs" / "checks" / "index.md").read_text(encoding="utf-8")
    assert f"**{CORPUS_FIGURES.found} of {CORPUS_FIGURES.defects}**" in text
    assert f"{CORPUS_FIGURES.clean} clean plans" in text
