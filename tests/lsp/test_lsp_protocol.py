"""`kpilang lsp` in a real client session over stdio: initialize, didOpen, didChange,
publishDiagnostics, hover, definition, completion, formatting and codeAction, as an editor
drives them; the findings are `kpilang lint`'s own."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_session import LspSession, at, lsp_session  # noqa: F401 - the fixture
from lsprotocol import types

from kpilang.lint import lint_file

ROOT = Path(__file__).resolve().parents[2]

LIBRARY = '''metric revenue "Выручка" =
    sum(deals.amount where stage = "won")
    kind result
'''

PLAN = '''import "lib.kpi"

plan demo "Демо" {
    role      cold
    period    month
    effective 2026-07-01
    currency  RUB
    strategy  growth
    goal      "Рост выручки"
}

metric calls "Звонки" =
    count(activities where type = "call")
    kind activity

kpi revenue_plan "План по выручке" =
    revenue
    target targets.revenue
    weight 60%
    cap    150%

kpi calls_plan "План по звонкам" =
    calls
    target 100
    weight 30%
    cap    150%

pay bonus "Премия" =
    salary * kpi_score
    cap salary
'''


def _project(tmp_path: Path, plan: str = PLAN, config: str | None = None) -> Path:
    (tmp_path / "lib.kpi").write_text(LIBRARY, encoding="utf-8")
    (tmp_path / "plan.kpi").write_text(plan, encoding="utf-8")
    if config is not None:
        (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    return tmp_path / "plan.kpi"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the tests that need no option of their own: each has its own folder."""
    folder = tmp_path_factory.mktemp("lsp")
    session = LspSession(folder)
    yield folder, session
    session.close()


@pytest.fixture
def project(server, request):
    """`project(PLAN_TEXT)`: the test's own folder (lib.kpi and plan.kpi) under the shared server."""
    folder, session = server

    def make(plan: str = PLAN) -> tuple[Path, LspSession]:
        here = folder / request.node.name
        here.mkdir()
        return _project(here, plan), session

    return make


def _codes(diagnostics) -> list[tuple[str, int]]:
    return sorted((str(d.code), d.range.start.line + 1) for d in diagnostics)


def test_the_findings_of_an_opened_plan_are_those_of_kpilang_lint(project):
    plan, session = project()
    found = session.diagnostics(session.open(plan))
    linted = lint_file(plan)
    assert linted.diagnostics, "the plan is meant to have findings (weights sum to 90%)"
    assert _codes(found) == sorted((d.code, d.span.line) for d in linted.diagnostics)
    weights = next(d for d in found if d.code == "KPL003")
    assert weights.source == "kpilang" and weights.severity is not None
    assert "help:" in weights.message  # the help travels in the message, where editors show it
    assert weights.code_description is not None and weights.code_description.href.endswith("KPL003-weights-sum.md")


def test_a_change_is_analysed_again_and_published_for_its_version(project):
    plan, session = project()
    uri = session.open(plan)
    assert "KPL003" in [d.code for d in session.diagnostics(uri, version=1)]
    session.change(uri, PLAN.replace("weight 30%", "weight 40%").replace("    calls\n", "    cals\n"), version=2)
    after = session.diagnostics(uri, version=2)
    assert [d.code for d in after] == ["E0201"]
    assert after[0].range.start == at(23, 4) and after[0].range.end == at(23, 8)
    assert "calls" in after[0].message


def test_the_configuration_of_the_project_is_honoured(tmp_path, lsp_session):
    plan = _project(tmp_path, config='[tool.kpilang]\nignore = ["weights-sum"]\n')
    session = lsp_session(tmp_path)
    assert "KPL003" not in [d.code for d in session.diagnostics(session.open(plan))]


def test_a_broken_configuration_is_said_and_the_defaults_are_used(tmp_path, lsp_session):
    plan = _project(tmp_path, config='[tool.kpilang]\nselekt = ["KPL003"]\n')
    session = lsp_session(tmp_path)
    found = session.diagnostics(session.open(plan))
    assert "KPL003" in [d.code for d in found]
    assert any("selekt" in d.message and d.severity == types.DiagnosticSeverity.Error for d in found)


def test_lang_ru_speaks_russian(tmp_path, lsp_session):
    plan = _project(tmp_path)
    session = lsp_session(tmp_path, "--lang", "ru")
    weights = next(d for d in session.diagnostics(session.open(plan)) if d.code == "KPL003")
    assert "подсказка:" in weights.message
    assert weights.code_description.href.endswith("ru/KPL003-weights-sum.md")


def test_without_lang_the_clients_initialization_option_counts(tmp_path, lsp_session, monkeypatch):
    monkeypatch.delenv("KPILANG_LANG", raising=False)
    plan = _project(tmp_path)
    session = lsp_session(tmp_path, options={"lang": "ru"})
    weights = next(d for d in session.diagnostics(session.open(plan)) if d.code == "KPL003")
    assert "подсказка:" in weights.message


def test_a_finding_in_an_imported_file_is_shown_at_its_import(project):
    plan, session = project()
    (plan.parent / "lib.kpi").write_text(LIBRARY.replace("stage =", "stag ="), encoding="utf-8")
    found = session.diagnostics(session.open(plan))
    column = next(d for d in found if d.code == "E0201")
    assert column.range.start == at(1, 0) and "lib.kpi" in column.message
    assert column.related_information[0].location.uri == (plan.parent / "lib.kpi").resolve().as_uri()
    assert column.related_information[0].location.range.start == at(2, 27)


def test_hover_shows_a_declaration_its_label_and_unit(project):
    plan, session = project()
    uri = session.open(plan)
    hover = session.run(session.client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(17, 6))))  # `revenue`, imported
    text = hover.contents.value
    assert 'sum(deals.amount where stage = "won")' in text
    assert '"Выручка"' in text and "unit: money" in text and "lib.kpi" in text
    assert hover.range.start == at(17, 4) and hover.range.end == at(17, 11)


def test_hover_over_a_code_in_an_ignore_comment_gives_the_checks_summary(project):
    plan, session = project(PLAN.replace("weight 60%", "weight 60%  # kpilang: ignore[KPL003] -- agreed"))
    uri = session.open(plan)
    hover = session.run(session.client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(19, 36))))
    assert "**KPL003** `weights-sum`" in hover.contents.value
    assert "100%" in hover.contents.value


def test_definition_goes_to_the_imported_declaration(project):
    plan, session = project()
    uri = session.open(plan)
    found = session.run(session.client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(17, 6))))
    assert found.uri == (plan.parent / "lib.kpi").resolve().as_uri()
    assert found.range.start == at(1, 7) and found.range.end == at(1, 14)
    on_import = session.run(session.client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(1, 10))))
    assert on_import.uri == (plan.parent / "lib.kpi").resolve().as_uri()


def _labels(session, uri: str, position: types.Position) -> list[str]:
    found = session.run(session.client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=position)))
    return [item.label for item in (found.items if isinstance(found, types.CompletionList) else found)]


def test_completion_offers_columns_fields_names_and_keywords(project):
    plan, session = project()
    uri = session.open(plan)
    session.diagnostics(uri)
    typing = PLAN.replace("    salary * kpi_score", "    salary * kpi_score + deals.") \
        .replace("    goal ", "    sc\n    goal ")
    session.change(uri, typing, version=2)
    columns = _labels(session, uri, at(30, 31))
    assert {"amount", "stage", "closed_at"} <= set(columns) and "revenue" not in columns
    fields = _labels(session, uri, at(9, 6))
    assert {"scope", "currency", "timezone"} <= set(fields)
    general = _labels(session, uri, at(31, 4))
    assert {"revenue", "calls", "revenue_plan", "kpi_score", "count", "sum", "target", "weight"} <= set(general)


def test_formatting_gives_the_layout_of_kpilang_fmt(project):
    messy = PLAN.replace("    weight 60%\n", "  weight   60%\n").replace("kpi calls_plan", "kpi   calls_plan")
    plan, session = project(messy)
    uri = session.open(plan)
    edits = session.run(session.client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri), options=types.FormattingOptions(tab_size=4, insert_spaces=True))))
    assert len(edits) == 1 and edits[0].range.start == at(1, 0)
    assert edits[0].new_text == PLAN


def test_code_actions_fix_a_misspelt_name_and_add_an_ignore_comment(project):
    plan, session = project(PLAN.replace("    calls\n", "    cals\n"))
    uri = session.open(plan)
    misspelt = session.diagnostics(uri)

    def actions(diagnostics):
        return session.run(session.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=diagnostics))))

    fix = actions(misspelt)[0]
    edit = fix.edit.changes[uri][0]
    assert "calls" in fix.title and edit.new_text == "calls"
    assert edit.range.start == at(23, 4) and edit.range.end == at(23, 8)

    session.change(uri, PLAN, version=2)
    weights = [d for d in session.diagnostics(uri, version=2) if d.code == "KPL003"]
    ignore = actions(weights)[0]
    inserted = ignore.edit.changes[uri][0]
    assert inserted.range.start == types.Position(line=weights[0].range.start.line, character=0)
    assert inserted.new_text.strip() == "# kpilang: ignore[KPL003] --"


def test_after_a_burst_of_changes_the_findings_shown_last_are_those_of_the_last_text(project):
    plan, session = project()
    uri = session.open(plan)
    session.diagnostics(uri, version=1)
    for version, weight in enumerate(("31%", "32%", "33%", "34%", "40%"), start=2):
        session.change(uri, PLAN.replace("weight 30%", f"weight {weight}"), version=version)
    assert "KPL003" not in [d.code for d in session.diagnostics(uri, version=6)]  # 60% + 40%
    for params in session.published[uri]:
        if params.version in (2, 3, 4, 5):  # an intermediate text may be shown, but only with its own findings
            assert "KPL003" in [d.code for d in params.diagnostics]
