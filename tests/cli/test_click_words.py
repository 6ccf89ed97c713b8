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


def test_the_help_option_speaks_each_runs_language_whichever_ran_first():
    # click keeps a command's help option once made; an English run before a Russian one (and a
    # Russian one before an English one) must not leave its words in the other's help.
    for first, then in (("en", "ru"), ("ru", "en"), ("en", "ru")):
        run("eval", "--help", "--lang", first)
        said = run("eval", "--help", "--lang", then).stdout
        if then == "ru":
            assert "Показать эту справку и выйти." in said and "Show this message" not in said
        else:
            assert "Show this message and exit." in said and "Показать" not in said


def test_a_commands_help_and_its_options_are_russian():
    result = run("eval", "--help", "--lang", "ru")
    assert "Рассчитать для каждого сотрудника метрики, KPI" in result.stdout
    assert "Папка с данными (см. формат данных)." in result.stdout
    nested = run("data", "check", "--help", env={"KPILANG_LANG": "ru"})
    assert "Проверить каждый столбец каждой строки папки с данными" in nested.stdout
    listing = run("--help", env={"KPILANG_LANG": "ru"})
    assert "планы KPI и премий отдела продаж" in listing.stdout and "Команды:" in listing.stdout
    assert run("eval", "--help").stdout.count("The data directory (see the data format).") == 1


HELPED = ["kpilang", "eval", "explain", "lint", "test", "cadence", "data", "data-check", "fmt", "hash", "diff", "init",
          "pull", "pull-amocrm", "pull-bitrix24"]


def _commands():
    import click

    ctx = click.Context(main)
    found = {"kpilang": main}
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        found[name] = command
        for sub, inner in getattr(command, "commands", {}).items():
            found[f"{name}-{sub}"] = inner
    return found


def test_the_english_help_in_the_catalog_is_the_commands_own_and_russian_has_every_entry():
    import inspect

    import click

    from kpilang.messages import catalog

    en, ru = catalog("en"), catalog("ru")
    commands = _commands()
    for path in HELPED:  # a command added later says its help in Russian once it has entries here
        command = commands[path]
        assert en[f"help-text.{path}.about"] == inspect.cleandoc(command.help), path
        for option in command.params:
            if isinstance(option, click.Option) and option.help and option.name != "help":
                key = f"help-text.{path}.{option.name}"
                assert en.get(key) == option.help, key
                assert key in ru, key
