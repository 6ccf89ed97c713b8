"""Data problems in Russian: every kind of rejected value, unreadable row and unusable file is said
in Russian from the same problem (its code and facts), with file and column names and values
verbatim, and the JSON keeps its keys and `code` whatever the language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpilang.data import DataError, load_data
from kpilang.data.reasons import ROW_REASONS
from kpilang.messages import catalog, placeholders

from .conftest import only, write

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
UNFILLED = re.compile(r"\{[A-Za-z_][A-Za-z_0-9]*\}")
DOCS = Path(__file__).resolve().parents[2] / "docs"

# One sample of every fact a row problem's words take.
FACTS = {
    "column": "amount", "value": "67 000,00", "what": "amount", "max_integer_digits": 36,
    "allowed": "open, won, lost", "first_row": 2, "key": "manager_id, period, name", "found": 3,
    "expected": 5, "first_line": 3, "last_line": 4, "detail": "deal_id", "letter": "G",
    "person": "m2", "source": "Сумма", "map": "stage", "count": 214, "rows": "12, 15, 40, …",
    "text": "Счёт выставлен", "candidates": "m2, m7", "why": "the deal names no client",
}


def _russian(text) -> str:
    said = text.render("ru")
    assert CYRILLIC.search(said) and not UNFILLED.search(said), said
    assert said != text.render("en")
    return said


@pytest.mark.parametrize("code", sorted(ROW_REASONS))
def test_every_row_problem_is_said_in_russian(code):
    reason, hint = ROW_REASONS[code].render(**FACTS)
    said = _russian(reason) + " " + _russian(hint)
    verbatim = ("column", "value", "first_row", "key", "letter", "allowed", "first_line", "detail",
                "person", "source", "map", "rows", "text", "candidates")
    for text in (reason, hint):
        for fact in set(placeholders(catalog("ru")[text.key])) & set(verbatim):
            assert str(FACTS[fact]) in said, (code, fact, said)


def test_a_row_count_is_said_in_the_words_of_each_language():
    reason, _ = ROW_REASONS["field_count"].render(found=1, expected=5)
    assert reason.render("en") == "this row has 1 value but the header has 5 columns"
    assert reason.render("ru") == "число значений в строке (1) не совпадает с числом столбцов в заголовке (5)"


def test_every_row_code_is_listed_in_the_data_format():
    page = (DOCS / "data-format.md").read_text(encoding="utf-8")
    assert [code for code in ROW_REASONS if f"`{code}`" not in page] == []


def test_rejected_rows_are_said_in_russian_with_their_values(load):
    data = load({
        "deals.csv": (
            "id,manager_id,created_at,stage,closed_at,amount,is_new_client\n"
            'd1,m1,2026-07-01,won,,"67 000,00",true\n'
            "d2,m1,31.07.2026,won,,1,true\n"
            "d3,m9,2026-07-01,won,,1,true\n"
            "d3,m1,2026-07-01,maybe,,1,true\n"
            "d5,m1,2026-07-01\n"
        ),
    })
    problems = {(p.row, p.column): p for p in data.problems}
    amount = problems[2, "amount"]
    assert amount.code == "digit_spaces"
    assert amount.reason.render("ru") == (
        "сумма не читается: пробелы между цифрами (местный формат вроде 1 234,50) не угадываются")
    assert amount.hint.render("ru") == "запишите число десятичной дробью с точкой и без пробелов, например 1234.50"
    assert problems[3, "created_at"].code == "datetime_form"
    assert problems[4, "manager_id"].reason.render("ru") == "неизвестный manager_id m9: такого id нет в managers"
    assert problems[5, "id"].reason.render("ru") == (
        "повторяющийся id d3: тот же id у строки 4, используется только эта первая строка")
    assert problems[5, "stage"].reason.render("ru") == (
        "неизвестное значение stage «maybe»: ожидается одно из open, won, lost")
    assert problems[6, None].code == "field_count"
    for problem in data.problems:
        english, russian = problem.to_json("en"), problem.to_json("ru")
        assert list(english) == list(russian)
        assert {k: v for k, v in english.items() if k not in ("reason", "hint")} == \
               {k: v for k, v in russian.items() if k not in ("reason", "hint")}
        assert CYRILLIC.search(russian["reason"]) and CYRILLIC.search(russian["hint"])


def _fatal(directory: Path, **kwargs) -> list:
    with pytest.raises(DataError) as caught:
        load_data(directory, timezone="UTC", **kwargs)
    return caught.value.problems


def test_unusable_files_are_said_in_russian(tmp_path):
    write(tmp_path / "a", {"deals.csv": "id,Manager_ID\n", "deals.jsonl": "{}\n"})
    (tmp_path / "a" / "leads.json").write_text("[]", encoding="utf-8")
    problems = _fatal(tmp_path / "a", needs={"deals": set(), "leads": set(), "calls": {"id"}})
    ambiguous = only(problems, code="ambiguous_table")
    assert ambiguous.reason.render("ru") == (
        "таблица deals лежит в нескольких файлах (deals.csv, deals.jsonl); какой из них имелся в виду, "
        "не угадывается")
    leads = only(problems, code="missing_table")
    assert leads.reason.render("ru") == "нет таблицы leads: план её читает"
    assert leads.hint.render("ru") == (
        "leads.json — не тот формат, который читает kpilang: запишите по одному объекту JSON на строку "
        "и назовите файл leads.jsonl")
    assert only(problems, code="unknown_table").reason.render("ru") == (
        "план читает таблицу «calls», но такой таблицы данных нет")

    write(tmp_path / "b", {"deals.csv": "id,Manager_ID,,id\n"})
    problems = _fatal(tmp_path / "b")
    assert only(problems, code="unnamed_column").reason.render("ru") == "у столбца 3 нет названия в заголовке"
    assert only(problems, code="repeated_column").reason.render("ru") == (
        "в заголовке дважды встречается столбец «id»")

    write(tmp_path / "c", {"deals.csv": "id,Manager_ID\n"})
    missing = only(_fatal(tmp_path / "c"), code="missing_required_column", column="manager_id")
    assert missing.reason.render("ru") == "в таблице deals нет обязательного столбца manager_id"
    assert missing.hint.render("ru") == (
        "в файле есть столбец «Manager_ID»: переименуйте его в manager_id (регистр букв в названиях важен)")

    nowhere = only(_fatal(tmp_path / "nowhere"))
    assert (nowhere.code, nowhere.reason.render("ru")) == ("not_a_directory", "источник данных — не папка")
    for problem in problems:
        _russian(problem.reason)
        _russian(problem.hint)


def test_unreadable_csv_files_are_said_in_russian(tmp_path):
    write(tmp_path / "a", {"deals.csv": ""})
    empty = only(_fatal(tmp_path / "a"), table="deals")
    assert (empty.code, empty.reason.render("ru")) == (
        "no_header", "в файле нет строки заголовков (он пуст или начинается с пустой строки)")
    (tmp_path / "b").mkdir()
    write(tmp_path / "b", {})
    (tmp_path / "b" / "deals.csv").write_bytes(b"id,manager\xff_id\n")
    broken = only(_fatal(tmp_path / "b"), table="deals")
    assert (broken.code, broken.reason.render("ru")) == (
        "header_encoding", "строка заголовков — не текст в кодировке UTF-8")
    assert broken.hint.render("en") == "save the file as UTF-8"
