"""The message catalogs (src/kpilang/messages/{en,ru}.toml) against the code that uses them:
every key the code says (diagnostics, data problems, evaluation errors, command output) exists in
both languages with the same placeholders, every code the parser, compiler and checks emit has
Russian words, nothing is left unfilled, no diagnostic is built from a bare English string, and
Russian renderings are pinned by golden files."""

from __future__ import annotations

import ast as pyast
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang import messages
from kpilang.checks.base import registry
from kpilang.compile import compile_text
from kpilang.data.reasons import ROW_REASONS
from kpilang.diagnostics import Diagnostic, Note, Severity, Span, render_text
from kpilang.messages import LANGUAGES, Text, catalog, join, language, placeholders, t

from test_errors import CASES, GOLDEN, SRC  # the cases of every code, shared with this test

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
UNFILLED = re.compile(r"\{[A-Za-z_][A-Za-z_0-9]*\}")
DIAGNOSTIC_SOURCES = [
    *SRC.joinpath("syntax").rglob("*.py"), *SRC.joinpath("compile").rglob("*.py"),
    *SRC.joinpath("checks").rglob("*.py"), *SRC.joinpath("lint").rglob("*.py"),
]
MESSAGE_SOURCES = sorted(SRC.rglob("*.py"))
"""Every module that may say something through the catalogs."""


def _keys_used_in_code() -> tuple[set[str], list[str]]:
    """Literal keys of `t("…")` calls (or module constants holding one), and the f-string keys as
    regular expressions. A key held in a variable comes from a table that is read here too
    (data/reasons.py's ROW_REASONS)."""
    literal, patterns = set(), []
    trees = {path: pyast.parse(path.read_text(encoding="utf-8")) for path in MESSAGE_SOURCES}
    constants = {target.id: node.value.value for tree in trees.values() for node in tree.body
                 if isinstance(node, pyast.Assign) and isinstance(node.value, pyast.Constant)
                 for target in node.targets if isinstance(target, pyast.Name)}
    for path, tree in trees.items():
        for node in pyast.walk(tree):
            if not (isinstance(node, pyast.Call) and isinstance(node.func, pyast.Name) and node.func.id == "t"):
                continue
            key = node.args[0]
            if isinstance(key, pyast.Constant):
                literal.add(key.value)
            elif isinstance(key, pyast.JoinedStr):
                patterns.append("".join(re.escape(v.value) if isinstance(v, pyast.Constant) else "[^.]+"
                                        for v in key.values))
            elif isinstance(key, pyast.IfExp):
                literal |= {key.body.value, key.orelse.value}
            elif isinstance(key, pyast.Name) and isinstance(constants.get(key.id), str):
                literal.add(constants[key.id])  # a key named once, such as tracing.USED_BY
            elif isinstance(key, pyast.Attribute) and path.name == "reasons.py":
                continue  # Reason.hint_key and Reason.then: the ROW_REASONS keys below
            else:  # pragma: no cover - a new way of writing keys needs this test extended
                raise AssertionError(f"{path}:{node.lineno}: a message key the test cannot read")
    more_literal, more_patterns = _report_words()
    literal |= more_literal
    patterns += more_patterns
    for reason in ROW_REASONS.values():
        literal |= {f"data.{reason.code}.reason", reason.hint_key or f"data.{reason.code}.hint"}
        literal |= {reason.then} if reason.then else set()
    return literal, patterns


REPORT_WORDS = re.compile(r"""\b(?:w|words)\(\s*(f?)["']([a-z0-9_.{}\-]+)["']\s*(~)?""")
"""`w("payroll.title")` in the report's modules and templates: the key `report.payroll.title`
(`compare.…` as written; in compare_output.py every key is a `compare.` key)."""


def _report_words() -> tuple[set[str], list[str]]:
    literal, patterns = set(), []
    report = SRC / "report"
    for path in [*report.rglob("*.py"), *report.joinpath("templates").glob("*.j2")]:
        prefix = "compare." if path.name == "compare_output.py" else "report."
        for match in REPORT_WORDS.finditer(path.read_text(encoding="utf-8")):
            key = match.group(2)
            full = key if key.startswith("compare.") else prefix + key
            if "{" in full or match.group(3):  # `f"status.{p.status}"`, `'compare.status.' ~ p.status`
                patterns.append(re.escape(full.split("{")[0]) + "[^.]+")
            else:
                literal.add(full)
    return literal, patterns


def test_both_languages_have_the_same_keys_and_placeholders():
    en, ru = catalog("en"), catalog("ru")
    assert set(en) - set(ru) == set(), "keys without Russian"
    assert set(ru) - set(en) == set(), "Russian keys nothing in English has"
    different = {k: (placeholders(en[k]), placeholders(ru[k])) for k in en if placeholders(en[k]) != placeholders(ru[k])}
    assert different == {}


def test_every_key_the_code_uses_is_in_the_catalogs():
    literal, patterns = _keys_used_in_code()
    assert len(literal) > 300, "the scan found too few keys to be reading the code"
    for lang in LANGUAGES:
        keys = set(catalog(lang))
        assert literal - keys == set(), f"keys missing from {lang}.toml"
        for pattern in patterns:
            assert any(re.fullmatch(pattern, k) for k in keys), f"no {lang} key matches {pattern}"


def test_every_catalog_entry_is_used_by_the_code():
    literal, patterns = _keys_used_in_code()
    rendering = {"join.and", "join.or", "severity.error", "severity.warning", "severity.info", "label.help",
                 "label.note", "label.witness", "summary.line", "summary.compile-error"}
    rendering |= {f"{code}.summary" for code in registry()}  # SARIF rules (lint/formats.py)
    unused = {k for k in catalog("en") if k not in literal | rendering and not any(re.fullmatch(p, k) for p in patterns)}
    assert unused == set(), "catalog entries nothing says"


def _emitted_codes() -> set[str]:
    codes = set()
    for path in DIAGNOSTIC_SOURCES:
        codes |= set(re.findall(r'"(E0\d{3})"', path.read_text(encoding="utf-8")))
    return codes | set(registry())


def test_every_emitted_code_has_russian_words():
    codes = _emitted_codes()
    assert {"E0101", "E0201", "E0903", "KPL001", "KPL022"} <= codes
    ru = catalog("ru")
    for code in sorted(codes):
        entries = [v for k, v in ru.items() if k.startswith(code + ".")]
        assert entries, f"{code} has no Russian message"
        assert all(CYRILLIC.search(v) for k, v in ru.items() if k.startswith(code + ".") and _has_words(catalog("en")[k])), code


def _has_words(english: str) -> bool:
    """Whether an English entry says something in words (not only code such as "`{name}(x)`",
    or a name such as "KPI `{name}`", which Russian writes the same way)."""
    prose = re.sub(r"`[^`]*`|\{[^}]*\}|\bkpi\b", "", english, flags=re.IGNORECASE)
    return bool(re.search(r"[a-z]{3,}", prose))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_renders_with_sample_values_and_nothing_left_unfilled(lang):
    for key, template in catalog(lang).items():
        sample = {name: f"<{name}>" for name in placeholders(template)}
        text = t(key, **sample).render(lang)
        assert not UNFILLED.search(text), (key, text)
        for value in sample.values():
            assert value in text, (key, text)


def test_nested_texts_and_joins_render_in_the_same_language():
    message = t("E0301.add", left=t("unit.money"), right=t("unit.count"))
    assert message.render("en") == "cannot add money and a count"
    assert message.render("ru") == "нельзя сложить: деньги и количество"
    either = join(["`a`", t("E0101.name"), t("E0101.number")], "or")
    assert either.render("en") == "`a`, a name or a number"
    assert either.render("ru") == "`a`, имя или число"
    assert str(t("did-you-mean", name="calls")) == "did you mean `calls`?"


def test_an_unknown_key_is_a_loud_error():
    with pytest.raises(messages.CatalogError):
        t("E9999.nothing").render("en")


def test_the_language_comes_from_the_option_then_the_environment(monkeypatch):
    assert language() == "en"
    assert language("RU") == "ru"
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "ru_RU.UTF-8")
    assert language() == "ru"
    assert language("en") == "en"
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "de")
    assert language() == "en"  # a language kpilang does not speak falls back to English
    with pytest.raises(ValueError, match="kpilang speaks en, ru"):
        language("de")


# ---- diagnostics carry keys --------------------------------------------------------------------

_WORDS_POSITIONS = {"error": (2, 4), "fail": (2, 4), "_meta": (3, 4), "bad": (0,), "Finding": (0, 2)}
"""Where each reporting call takes its message and help positionally (the rest are keywords)."""
_REPORTERS = {*_WORDS_POSITIONS, "Diagnostic", "Note"}


def test_no_diagnostic_is_built_from_a_bare_string():
    """A message, help or note written as a string literal would print English to every reader."""
    found = []
    for path in DIAGNOSTIC_SOURCES:
        tree = pyast.parse(path.read_text(encoding="utf-8"))
        for node in pyast.walk(tree):
            if not isinstance(node, pyast.Call):
                continue
            name = node.func.id if isinstance(node.func, pyast.Name) else getattr(node.func, "attr", None)
            if name not in _REPORTERS:
                continue
            words = [k.value for k in node.keywords if k.arg in ("message", "help")]
            words += [node.args[i] for i in _WORDS_POSITIONS.get(name, ()) if i < len(node.args)]
            if any(isinstance(w, pyast.Constant | pyast.JoinedStr | pyast.BinOp) and getattr(w, "value", "") is not None
                   for w in words):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{CASES.index(c)}")
def test_each_compile_error_can_be_said_in_russian(case):
    result = compile_text(case[2], "plan.kpi")
    first = result.diagnostics[0]
    assert first.text is not None and (first.help is None or first.help_text is not None)
    assert all(n.text is not None for n in first.notes)
    russian = first.localized("ru")
    assert CYRILLIC.search(russian.message), russian.message
    assert russian.help is None or CYRILLIC.search(russian.help), russian.help
    assert first.message == first.localized("en").message  # English stays the original text
    assert (russian.code, russian.span, russian.severity) == (first.code, first.span, first.severity)


def test_russian_leaves_the_json_message_english_unless_asked():
    result = compile_text(CASES[16][2], "plan.kpi")
    diag = result.diagnostics[0]
    assert diag.to_json()["message"] == "unknown name `cals`"
    assert diag.localized("ru").to_json()["message"] == "неизвестное имя «cals»"
    assert "text" not in diag.to_json() and "text" not in diag.model_dump()


def test_a_diagnostic_without_a_key_prints_as_written():
    span = Span(file="a.kpi", line=1, column=1, end_line=1, end_column=2)
    plain = Diagnostic(code="E0000", name="x", severity=Severity.ERROR, message="as written", span=span,
                       notes=(Note(span=span, message="a note"),))
    assert plain.localized("ru") == plain
    assert render_text(plain, {}, "ru").splitlines()[0] == "ошибка[E0000]: as written"


def test_a_message_given_as_text_keeps_english_in_message():
    span = Span(file="a.kpi", line=1, column=1, end_line=1, end_column=2)
    d = Diagnostic(code="E0201", name="unknown-name", severity=Severity.ERROR,
                   message=t("E0201.unknown-name", name="x"), span=span, help=t("did-you-mean", name="y"))
    assert (d.message, d.help) == ("unknown name `x`", "did you mean `y`?")
    assert isinstance(d.text, Text) and d.help_text == t("did-you-mean", name="y")


# ---- Russian renderings (golden files) ----------------------------------------------------------

def test_every_compile_error_rendered_in_russian_matches_the_golden_file(golden):
    """One file with every case of test_errors.py, as a head of sales reads it: review it whole."""
    blocks = []
    for case in CASES:
        result = compile_text(case[2], "plan.kpi")
        blocks.append("\n\n".join(render_text(d, result.sources, "ru") for d in result.diagnostics))
    golden(GOLDEN / "ru" / "all-cases.txt", "\n\n".join(blocks) + "\n")


def test_russian_follows_kpilang_lang_when_no_language_is_given(monkeypatch):
    result = compile_text(CASES[16][2], "plan.kpi")
    english = render_text(result.diagnostics[0], result.sources)
    monkeypatch.setenv(messages.LANGUAGE_VARIABLE, "ru")
    russian = render_text(result.diagnostics[0], result.sources)
    assert english.startswith("error[E0201]: unknown name `cals`")
    assert russian.startswith("ошибка[E0201]: неизвестное имя «cals»")
    assert "= подсказка: возможно, вы имели в виду «calls»?" in russian


_KEYS_WITH_PLACEHOLDERS = sorted(k for k, v in catalog("en").items() if placeholders(v))


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(_KEYS_WITH_PLACEHOLDERS), value=st.text(max_size=20), lang=st.sampled_from(LANGUAGES))
def test_any_value_is_printed_verbatim_in_any_language(key, value, lang):
    """A name from a plan may hold braces, quotes or Cyrillic; it is printed as it is, never read
    as another placeholder (or, where the template asks for `{name!r}`, as Python writes it, which
    shows white space around a value)."""
    template = catalog(lang)[key]
    text = t(key, **{name: value for name in placeholders(template)}).render(lang)
    quoted = {field for _, field, _, conversion in string.Formatter().parse(template) if conversion == "r"}
    assert value in text if set(placeholders(template)) - quoted else repr(value) in text


def test_each_checks_english_summary_is_the_one_its_page_shows():
    """The catalog's one-line summaries (SARIF rules) cannot drift from the checks' own."""
    en = catalog("en")
    assert {code: en[f"{code}.summary"] for code in registry()} == {code: c.summary for code, c in registry().items()}
