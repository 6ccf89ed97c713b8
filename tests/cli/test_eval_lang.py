"""`kpilang eval --lang en|ru`, `kpilang test --lang en|ru` and `KPILANG_LANG`: the table, the
errors, the data problems and the summary in the reader's language, end to end on the demo export
(which has documented dirty rows); every JSON entry's `code` the same in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"
DEMO = ROOT / "examples" / "demo"
GOLDEN = Path(__file__).parent / "golden"
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
EVAL = ["eval", str(PLAN), "--data", str(DEMO), "--period", "2026-07"]
ENGLISH_WORDS = ("was rejected", "person(s)", "warning:", "= help:", "skipped (", "figures would", "unreadable",
                 "duplicate id", "error:", "│ ok ")


def run(*args: str, env: dict[str, str | None] | None = None):
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "200", **(env or {})})


def test_the_demo_in_russian_says_every_line_in_russian():
    result = run(*EVAL, "--lang", "ru")
    assert result.exit_code == 1, result.output
    out = result.stdout + result.stderr
    assert not [w for w in ENGLISH_WORDS if w in out]
    header = next(line for line in result.stdout.splitlines() if "балл KPI" in line)
    assert "сотрудник" in header and "имя" in header and "статус" in header
    assert "│ ок " in result.stdout and "ошибок: 1" in result.stdout
    errors = [line for line in result.stdout.splitlines() if line.startswith(("m0007 data:", "m0011 data:"))]
    assert errors and all("данные отклонены (строка" in line for line in errors)
    assert any(line.startswith("пропущены (роль ") for line in result.stdout.splitlines())
    warnings = [line for line in result.stderr.splitlines() if line.startswith("предупреждение: отклонённые данные:")]
    assert len(warnings) == 5
    # file and column names and the values stay as they are written
    assert ("предупреждение: отклонённые данные: таблица deals, файл " + str(DEMO / "deals.csv")
            + ", строка 31, столбец amount: сумма не читается: пробелы между цифрами (местный формат вроде "
              "1 234,50) не угадываются (значение: «152 400,00»)") in warnings
    assert result.stderr.splitlines()[-1] == (
        "за 2026-07 сотрудников по плану: 10; выплата рассчитана: 8, отказано из-за ошибок: 2; "
        "пропущено: 30; проблем в данных: 5, из них нет цели: 0; отклонено строк: 5")


def test_kpilang_lang_chooses_russian_and_the_option_wins():
    english = run(*EVAL)
    russian = run(*EVAL, "--lang", "ru")
    from_environment = run(*EVAL, env={"KPILANG_LANG": "ru"})
    assert (from_environment.stdout, from_environment.stderr) == (russian.stdout, russian.stderr)
    overridden = run(*EVAL, "--lang", "en", env={"KPILANG_LANG": "ru"})
    assert (overridden.stdout, overridden.stderr) == (english.stdout, english.stderr)
    assert "10 person(s) evaluated for 2026-07: 8 paid, 2 refused (errors), 30 skipped; 5 data problem(s)" in english.stderr


def _entries(report: dict) -> list[tuple[str, dict]]:
    """Every entry that carries words: each person's errors, the skipped, the data problems."""
    entries = [("error", e) for person in report["results"] for e in person["errors"]]
    entries += [("skipped", s) for s in report["skipped"]]
    entries += [("data_problem", p) for p in report["data_problems"]]
    return entries


def test_json_codes_are_the_same_in_both_languages_and_only_the_words_change():
    english = json.loads(run(*EVAL, "--format", "json").stdout)
    russian = json.loads(run(*EVAL, "--format", "json", "--lang", "ru").stdout)
    words = {"message", "help", "reason", "hint"}
    english_entries, russian_entries = _entries(english), _entries(russian)
    assert len(english_entries) == len(russian_entries) > 30
    for (kind, en), (_, ru) in zip(english_entries, russian_entries):
        assert en["code"] and en["code"] == ru["code"], (kind, en, ru)
        assert list(en) == list(ru)
        assert {k: v for k, v in en.items() if k not in words} == {k: v for k, v in ru.items() if k not in words}
        for key in words & set(en):
            if en[key] is not None:
                assert CYRILLIC.search(ru[key]) and ru[key] != en[key], (kind, key, ru[key])
    for section in ("results", "data_problems", "skipped"):
        assert len(english[section]) == len(russian[section])
    assert {e["code"] for _, e in english_entries} >= {"rejected_data", "role_not_in_plan", "duplicate_id",
                                                       "datetime_form", "unknown_manager", "negative",
                                                       "digit_spaces"}


def test_csv_errors_follow_the_language():
    russian = run(*EVAL, "--format", "csv", "--lang", "ru").stdout
    assert "данные отклонены (строка 202 файла activities.csv)" in russian
    assert "was rejected" not in russian


def test_eval_help_documents_the_language_option():
    result = CliRunner().invoke(main, ["eval", "--help"])
    assert "--lang [en|ru]" in result.output and "KPILANG_LANG" in result.output
    assert "--lang [en|ru]" in CliRunner().invoke(main, ["test", "--help"]).output


@pytest.fixture
def wrong(tmp_path: Path, normative_dir: Path) -> Path:
    """The normative plan with a test that expects a wrong bonus and one whose target is 0."""
    text = (normative_dir / "cold_sales.kpi").read_text(encoding="utf-8")
    wrong = text.replace("expect kpi_score = 100%, bonus = 60000,", "expect kpi_score = 100%, bonus = 65000,")
    assert wrong != text
    wrong += ('\ntest "a target of zero" {\n    given salary = 50000, calls = 10, meetings = 1, revenue = 0, new_clients = 0,\n'
              '          deals_won = 0, leads_in = 0, targets.revenue = 0\n    expect kpi_score = 0\n}\n')
    path = tmp_path / "cold_sales_wrong.kpi"
    path.write_text(wrong, encoding="utf-8")
    return path


def test_failed_plan_tests_in_russian_match_the_golden_file(wrong, golden, monkeypatch):
    monkeypatch.chdir(wrong.parent)
    result = CliRunner().invoke(main, ["test", wrong.name, "--lang", "ru"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "пройдено: 1, не пройдено: 2"
    golden(GOLDEN / "test_command_failure.ru.txt", result.stdout)


def test_a_figure_without_value_is_said_in_the_readers_language_in_the_trace(wrong):
    russian = CliRunner().invoke(main, ["test", str(wrong), "--lang", "ru"]).stdout
    assert "→ выполнение (нет значения)" in russian
    assert "= 50% × (нет значения) + 20% × 1.25 + 30% × 0" in russian and "(no value)" not in russian
    english = CliRunner().invoke(main, ["test", str(wrong)]).stdout
    assert "= 50% × (no value) + 20% × 1.25 + 30% × 0" in english and "нет значения" not in english
    data = json.loads(CliRunner().invoke(main, ["test", str(wrong), "--format", "json", "--lang", "ru"]).stdout)
    score = next(step for test in data["files"][0]["tests"] for step in test["trace"] if step["kind"] == "score"
                 and step["value"] is None)
    assert score["substituted"] == "50% × (нет значения) + 20% × 1.25 + 30% × 0"


def test_plan_test_json_errors_carry_their_code_in_both_languages(wrong):
    english = json.loads(CliRunner().invoke(main, ["test", str(wrong), "--format", "json"]).stdout)
    russian = json.loads(CliRunner().invoke(main, ["test", str(wrong), "--format", "json", "--lang", "ru"]).stdout)
    en_errors = [e for t in english["files"][0]["tests"] for e in t["errors"]]
    ru_errors = [e for t in russian["files"][0]["tests"] for e in t["errors"]]
    assert en_errors and [e["code"] for e in en_errors] == [e["code"] for e in ru_errors]
    assert "target_zero" in {e["code"] for e in en_errors}
    assert all(CYRILLIC.search(e["message"]) for e in ru_errors)


def test_usage_errors_are_said_in_russian():
    quarter = run("eval", str(PLAN), "--data", str(DEMO), "--period", "2026-Q3", "--lang", "ru")
    assert quarter.exit_code == 2
    assert quarter.stderr == ("ошибка: план рассчитывается помесячно, а `2026-Q3` — квартал\n"
                              "  = подсказка: укажите месяц, например --period 2026-07\n")
    month = run("eval", str(PLAN), "--data", str(DEMO), "--period", "2026-13", "--lang", "ru")
    assert month.stderr.splitlines()[0] == "ошибка: в `2026-13` нет месяца 13"
    nowhere = run("eval", str(PLAN), "--data", "nowhere", "--period", "2026-07", "--lang", "ru")
    assert nowhere.stderr.splitlines()[0] == "ошибка: нет такой папки с данными: nowhere"
    english = run("eval", str(PLAN), "--data", str(DEMO), "--period", "2026-Q3")
    assert english.stderr == ("error: the plan is paid by month, but `2026-Q3` is a quarter\n"
                              "  = help: give a month, e.g. --period 2026-07\n")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_table_speaks_the_readers_language(lang, golden):
    """ru: the plan's labels as headers and Russian numbers (`155 000,01`, `115,0 %`, no-break
    spaces); en: the names and English numbers (`155,000.01`, `115.0%`)."""
    example = ROOT / "examples" / "cold_sales"
    result = run("eval", str(PLAN), "--data", str(example / "data"), "--period", "2026-07", "--lang", lang)
    assert result.exit_code == 0, result.output
    m1 = next(line for line in result.stdout.splitlines() if "│ m1 " in line)
    header = next(line for line in result.stdout.splitlines() if line.startswith("┃"))
    if lang == "ru":
        assert "155\u00a0000,01" in m1 and "115,0\u00a0%" in m1
        assert "Выполнение плана по выручке" in header and "Итого к выплате" in header and "балл KPI" in header
    else:
        assert "155,000.01" in m1 and "115.0%" in m1
        assert "revenue_plan" in header and "total" in header and "kpi_score" in header
    golden(GOLDEN / f"eval_table.{lang}.txt", result.stdout)
