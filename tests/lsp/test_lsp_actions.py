"""Quick fixes on the findings as published: a did-you-mean fix replaces exactly the misspelt
word (in a dotted name, a quoted time zone, a plan field, an aggregate's table) and the plan then
compiles; an ignore comment silences the finding and asks for its reason through KPL021."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsprotocol import types

from kpilang.lsp.actions import code_actions
from kpilang.lsp.analysis import analyse
from kpilang.lsp.findings import lsp_diagnostics
from kpilang.lsp.positions import lines_of

RULES = Path(__file__).resolve().parents[2] / "rules"
PLAN = (RULES / "cold_sales.kpi").read_text(encoding="utf-8")


def _apply(text: str, edit: types.TextEdit) -> str:
    """`edit` applied to `text` (positions in UTF-16 code units, as published)."""
    lines = lines_of(text)

    def offset(position: types.Position) -> int:
        line = lines[position.line]
        units, chars = 0, 0
        while units < position.character:
            units += 2 if ord(line[chars]) > 0xFFFF else 1
            chars += 1
        return sum(len(l) + 1 for l in lines[:position.line]) + chars

    return text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]


@pytest.fixture
def folder(tmp_path) -> Path:
    shutil.copytree(RULES / "lib", tmp_path / "lib")
    return tmp_path


def _analysed(folder: Path, text: str):
    path = folder / "plan.kpi"
    path.write_text(text, encoding="utf-8")
    return path, lsp_diagnostics(analyse(path, text), "en")


@pytest.mark.parametrize(("right", "wrong"), [
    ("commission_tiers(revenue, targets.revenue)", "commission_tiers(revenue, targts.revenue)"),
    ('timezone  "Europe/Moscow"', 'timezone  "Europe/Moskow"'),
    ('count(activities where type = "meeting"', 'count(activitys where type = "meeting"'),
    ("    strategy  growth", "    stratgy  growth"),
    ("    meetings_done / quality_calls", "    meetings_done / quality_cals"),
])
def test_the_did_you_mean_fix_gives_back_a_plan_that_compiles(folder, right, wrong):
    assert PLAN.count(right) == 1
    broken = PLAN.replace(right, wrong)
    path, found = _analysed(folder, broken)
    uri = path.as_uri()
    actions = code_actions(uri, broken, [d for d in found if d.data], "en")
    assert len(actions) == 1 and actions[0].is_preferred
    fixed = _apply(broken, actions[0].edit.changes[uri][0])
    assert fixed == PLAN
    assert [d for d in _analysed(folder, fixed)[1] if d.severity == types.DiagnosticSeverity.Error] == []


def test_the_ignore_comment_silences_the_finding_and_kpl021_asks_for_the_reason(folder):
    uneven = PLAN.replace("weight 10%", "weight 20%")
    path, found = _analysed(folder, uneven)
    weights = [d for d in found if d.code == "KPL003"]
    action = code_actions(path.as_uri(), uneven, weights, "ru")[0]
    assert "KPL003" in action.title and "--" in action.title
    commented = _apply(uneven, action.edit.changes[path.as_uri()][0])
    codes = [d.code for d in _analysed(folder, commented)[1]]
    assert "KPL003" not in codes and "KPL021" in codes
    again = [d for d in _analysed(folder, commented.replace("ignore[KPL003] -- ", "ignore[KPL003] -- agreed"))[1]]
    assert "KPL021" not in [d.code for d in again]


def test_a_second_check_joins_the_ignore_comment_already_there(folder):
    text = "# kpilang: ignore[KPL003] -- agreed\n" + "pay x = 1\n"
    edit = code_actions("file:///p.kpi", text, [types.Diagnostic(
        range=types.Range(start=types.Position(line=1, character=0), end=types.Position(line=1, character=3)),
        message="m", code="KPL019", source="kpilang")], "en")[0].edit.changes["file:///p.kpi"][0]
    assert _apply(text, edit).split("\n")[0] == "# kpilang: ignore[KPL003, KPL019] -- agreed"


def test_no_ignore_comment_for_a_compile_error_or_a_finding_about_ignore_comments(folder):
    findings = [types.Diagnostic(range=types.Range(start=types.Position(line=0, character=0),
                                                   end=types.Position(line=0, character=1)),
                                 message="m", code=code, source="kpilang") for code in ("E0201", "KPL021", "KPL022")]
    assert code_actions("file:///p.kpi", "pay x = 1\n", findings, "en") == []
