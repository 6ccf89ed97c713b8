"""Text from the data is never markup: a name such as `<script>` is shown, not run, in HTML and in
Markdown; user templates run in Jinja2's sandbox."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import kpilang
from kpilang.cli import main
from kpilang.explain import TemplateError, build_statements, render_statements

from .conftest import PERIOD, PLAN

EVIL = '<script>alert("x")</script> & [link](http://x) *bold*'


@pytest.fixture
def evil_report(data_copy):
    managers = data_copy / "managers.csv"
    text = managers.read_text(encoding="utf-8").replace("Анна Иванова", EVIL.replace('"', '""'))
    managers.write_text(text.replace('""x""', '""x""'), encoding="utf-8")
    lines = managers.read_text(encoding="utf-8").splitlines()
    # the name holds a comma-free, quoted value: CSV quoting keeps the quotes inside it
    lines = [line.replace(EVIL.replace('"', '""'), '"' + EVIL.replace('"', '""') + '"') for line in lines]
    managers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = kpilang.load(PLAN)
    report = kpilang.evaluate(result.program, data_copy, PERIOD, trace=True)
    assert any(p.name == EVIL for p in report.results), [p.name for p in report.results]
    return report


def test_html_escapes_names(evil_report):
    statements = build_statements(evil_report, lang="ru", managers=["m1"])
    html = render_statements(statements, evil_report, fmt="html", lang="ru")
    page = html.statements[0].text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; [link]" in page
    assert "<script>" not in html.index and "&lt;script&gt;" in html.index


def test_markdown_escapes_names(evil_report):
    statements = build_statements(evil_report, lang="en", managers=["m1"])
    md = render_statements(statements, evil_report, fmt="md", lang="en").statements[0].text
    assert "<script>" not in md
    assert r"&lt;script>alert(\"x\")" not in md  # quotes are not markup
    assert r"&lt;script>alert(" in md
    assert r"\[link\](http://x) \*bold\*" in md


def test_user_templates_override_ours_by_name(normative_report, tmp_path):
    (tmp_path / "statement.txt.j2").write_text("{{ s.name }}: {{ s.total }} ({{ t.total }})\n", encoding="utf-8")
    statements = build_statements(normative_report, lang="ru", managers=["m1"], templates=tmp_path)
    rendered = render_statements(statements, normative_report, fmt="text", lang="ru", templates=tmp_path)
    assert rendered.statements[0].text == "Анна Иванова: 155\xa0000,01\xa0₽ (Итого)\n"
    assert rendered.index.startswith("Расчёты выплат")  # the index was not overridden: ours


def test_user_messages_override_ours(normative_report, tmp_path):
    (tmp_path / "messages.en.toml").write_text('total = "Grand total"\n', encoding="utf-8")
    statements = build_statements(normative_report, lang="en", managers=["m1"], templates=tmp_path)
    rendered = render_statements(statements, normative_report, fmt="md", lang="en", templates=tmp_path)
    assert "Grand total" in rendered.index


@pytest.mark.parametrize("source", [
    "{{ s.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ t._entries }}",
])
def test_user_templates_run_in_the_sandbox(normative_report, tmp_path, source):
    (tmp_path / "statement.txt.j2").write_text(source, encoding="utf-8")
    statements = build_statements(normative_report, lang="ru", managers=["m1"])
    with pytest.raises(TemplateError):
        render_statements(statements, normative_report, fmt="text", lang="ru", templates=tmp_path)


def test_a_broken_user_template_is_a_usage_error(tmp_path):
    (tmp_path / "statement.html.j2").write_text("{% if %}", encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(PLAN), "--data", str(PLAN.parent / "data"), "--period", PERIOD,
                                       "--format", "html", "--templates", str(tmp_path)])
    assert result.exit_code == 2
    assert "statement.html.j2" in result.stderr
