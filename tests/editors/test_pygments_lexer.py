"""The Pygments lexer: registered for `*.kpi` and the `kpi` code blocks, reading every shipped
plan and every kpilang example of the docs without an error token, and taking its words from the
grammar and the compiler's lists."""

from __future__ import annotations

import pytest
from highlighting_corpus import corpus
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name

from kpilang.compile.names import AGGREGATES, PLAN_FIELDS
from kpilang.syntax.pygments_lexer import KpilangLexer
from kpilang.syntax.vocabulary import vocabulary

CORPUS = corpus()


def _tokens(text: str) -> list[tuple]:
    return list(KpilangLexer().get_tokens(text))


def test_the_lexer_is_found_through_its_entry_point():
    assert isinstance(get_lexer_for_filename("plan.kpi"), KpilangLexer)
    assert isinstance(get_lexer_by_name("kpi"), KpilangLexer)
    assert isinstance(get_lexer_by_name("kpilang"), KpilangLexer)


def test_the_corpus_holds_every_plan_and_the_docs_examples():
    assert sum(name.startswith("rules/") for name in CORPUS) >= 6
    assert sum(name.startswith("docs/language.md") for name in CORPUS) >= 10


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_no_error_token(name):
    text = CORPUS[name]
    tokens = _tokens(text)
    assert [value for kind, value in tokens if kind in Error] == []
    assert "".join(value for _, value in tokens).rstrip("\n") == text.rstrip("\n")


def test_a_character_no_token_begins_with_is_an_error():
    assert (Error, "@") in _tokens("pay x = salary @ 2\n")


@pytest.mark.parametrize("word", vocabulary().keywords)
def test_every_word_the_grammar_reserves_is_a_keyword(word):
    kind, value = _tokens(f"{word}\n")[0]
    assert value == word and kind in Keyword


def test_aggregates_plan_fields_and_declared_names_are_told_apart():
    tokens = [(kind, value) for kind, value in _tokens('metric calls = count(activities where type = "call")\n')
              if value.strip()]
    assert tokens[:2] == [(Keyword.Declaration, "metric"), (Name.Function, "calls")]
    assert (Name.Builtin, "count") in tokens and "count" in AGGREGATES
    assert (Name.Constant, "period") in _tokens("plan p { period month }\n") and "period" in PLAN_FIELDS


def test_a_name_in_another_script_is_one_name():
    assert (Name, "звонки") in _tokens("pay x = звонки * 2\n")
