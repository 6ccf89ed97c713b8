"""`kpilang lint --lang en|ru` and `KPILANG_LANG`: which language the findings are said in, in every
format, and that the choice changes the words only (codes, positions, exit status stay)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kpilang.cli import main

PLAN = """plan p "P" {
    role cold  period month  effective 2026-07-01
    currency RUB  strategy growth  goal "g"
}
metric calls = count(activities where type = "call")
kpi k "K" = cals target 10 weight 100% cap 150%
"""


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "plan.kpi"
    path.write_text(PLAN, encoding="utf-8")
    return str(path)


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["lint", *args], env=env)


def test_english_is_the_default(plan):
    result = run(plan)
    assert result.exit_code == 1
    assert "error[E0201]: unknown name `cals`" in result.stdout
    assert "  = help: did you mean `calls`?" in result.stdout
    assert "1 file(s): 1 error(s), 0 warning(s)" in result.stderr


def test_lang_ru_says_the_finding_and_the_summary_in_russian(plan):
    result = run(plan, "--lang", "ru")
    assert result.exit_code == 1
    assert "ошибка[E0201]: неизвестное имя «cals»" in result.stdout
    assert "  = подсказка: возможно, вы имели в виду «calls»?" in result.stdout
    assert "файлов: 1; ошибок: 1, предупреждений: 0" in result.stderr
    assert "error" not in result.stdout and "help:" not in result.stdout


def test_kpilang_lang_chooses_russian_and_the_option_wins_over_it(plan):
    assert "ошибка[E0201]" in run(plan, env={"KPILANG_LANG": "ru"}).stdout
    assert "error[E0201]" in run(plan, "--lang", "en", env={"KPILANG_LANG": "ru"}).stdout
    assert "error[E0201]" in run(plan, env={"KPILANG_LANG": "fr"}).stdout  # not a language kpilang speaks


def test_an_unknown_language_is_refused_with_the_choices(plan):
    result = run(plan, "--lang", "de")
    assert result.exit_code == 2
    assert "'en'" in result.output and "'ru'" in result.output


def test_json_in_russian_changes_only_the_words(plan):
    english = json.loads(run(plan, "--format", "json").stdout)
    russian = json.loads(run(plan, "--format", "json", "--lang", "ru").stdout)
    [en], [ru] = english["diagnostics"], russian["diagnostics"]
    assert (ru["message"], ru["help"]) == ("неизвестное имя «cals»", "возможно, вы имели в виду «calls»?")
    assert {k: v for k, v in ru.items() if k not in ("message", "help")} == \
        {k: v for k, v in en.items() if k not in ("message", "help")}
    assert russian["summary"] == english["summary"]


def test_sarif_and_github_in_russian(plan):
    sarif = json.loads(run(plan, "--format", "sarif", "--lang", "ru").stdout)
    [result] = sarif["runs"][0]["results"]
    assert result["message"]["text"] == "неизвестное имя «cals»\nподсказка: возможно, вы имели в виду «calls»?"
    assert result["ruleId"] == "E0201" and result["level"] == "error"
    github = run(plan, "--format", "github", "--lang", "ru").stdout
    assert github.startswith("::error file=")
    assert "::неизвестное имя «cals»%0Aподсказка: возможно, вы имели в виду «calls»?" in github


def test_an_unreadable_file_is_reported_in_the_chosen_language(tmp_path):
    path = tmp_path / "latin1.kpi"
    path.write_bytes('# план\n'.encode("cp1251"))
    result = run(str(path), "--lang", "ru")
    assert result.exit_code == 2
    assert f"ошибка: {path}:1:3: не текст в UTF-8 (байт 3); сохраните файл в UTF-8" in result.stderr


def test_other_commands_print_compile_errors_in_kpilang_lang(plan):
    result = CliRunner().invoke(main, ["test", plan], env={"KPILANG_LANG": "ru"})
    assert "ошибка[E0201]: неизвестное имя «cals»" in result.output


def test_refusals_are_said_in_the_chosen_language(tmp_path, plan):
    missing = run(str(tmp_path / "nope.kpi"), "--lang", "ru")
    assert missing.exit_code == 2
    assert missing.stderr == f"ошибка: нет такого файла или папки: {tmp_path / 'nope.kpi'}\n"
    (tmp_path / "kpilang.toml").write_text('[limits]\nkpis-max = "four"\n', encoding="utf-8")
    config = run(plan, "--lang", "ru")
    assert config.exit_code == 2
    assert config.stderr == (f"ошибка: {tmp_path / 'kpilang.toml'}: limits: `kpis-max` должен быть целым числом ≥ 0, "
                             "а не 'four'\n  = подсказка: исправьте файл настроек или уберите этот ключ\n")
    assert run(plan).stderr == (f"error: {tmp_path / 'kpilang.toml'}: limits: `kpis-max` must be a whole number ≥ 0, "
                                "not 'four'\n  = help: fix the configuration file, or remove the key\n")
    history = run(plan, "--history", str(tmp_path / "nowhere"), "--lang", "ru")
    assert history.exit_code == 2
    assert history.stderr.endswith("  = подсказка: укажите папку с данными, в которой лежат таблицы, которые читают "
                                   "планы (см. описание формата данных)\n")


def test_history_data_that_cannot_be_used_is_said_in_russian_with_every_problem(tmp_path):
    plan = tmp_path / "plan.kpi"
    plan.write_text(PLAN.replace("cals", "calls"), encoding="utf-8")
    data = tmp_path / "history"
    data.mkdir()
    (data / "managers.csv").write_text("id,name,role,team,salary\nm1,A,cold,t1,100000.00\n", encoding="utf-8")
    result = run(str(plan), "--history", str(data), "--lang", "ru")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ошибка: --history {data}: данные нельзя использовать:\n  - ")
    assert "activities" in result.stderr
    assert "the data cannot be used" not in result.stderr
    english = run(str(plan), "--history", str(data))
    assert english.stderr.startswith(f"error: --history {data}: the data cannot be used:\n  - ")
