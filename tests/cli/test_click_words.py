"""Under `--lang ru` (or KPILANG_LANG=ru), click's own words are Russian too: its usage errors and
the headings of `--help`; in English they stay click's, and a Russian run leaves click English."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kpilang.cli import main


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), prog_name="kpilang", env=env, catch_exceptions=False)


def test_a_missing_option_is_said_in_russian():
    result = run("eval", "plan.kpi", "--lang", "ru")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["Как вызывать: kpilang eval [OPTIONS] PLAN",
                                          "Справка: 'kpilang eval --help'.", "",
                                          "Ошибка: Не хватает параметра '--data'."]


def test_a_wrong_choice_is_said_in_russian_and_in_the_json_refusal():
    result = run("lint", "x.kpi", "--format", "json", "--format", "json", "--lang", "ru", "--bogus")
    [entry] = json.loads(result.stdout)["fatal"]
    assert entry["message"] == "Нет параметра '--bogus'."
    wrong = run("lint", "x.kpi", "--format", "xml", "--lang", "ru")
    assert "Ошибка: Неверное значение '--format': 'xml' — не одно из: 'text', 'json', 'sarif', 'github'." in wrong.stderr


def test_help_headings_follow_kpilang_lang():
    result = run("eval", "--help", env={"KPILANG_LANG": "ru"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Как вызывать: kpilang eval [OPTIONS] PLAN"
    assert "Параметры:" in lines and "[обязательный]" in result.stdout
    assert "Показать эту справку и выйти." in result.stdout


def test_english_stays_clicks_and_a_russian_run_leaves_click_english():
    run("eval", "--help", "--lang", "ru")
    result = run("eval", "plan.kpi")
    assert "Error: Missing option '--data'." in result.stderr
    assert run("eval", "--help").stdout.startswith("Usage: kpilang eval [OPTIONS] PLAN")
