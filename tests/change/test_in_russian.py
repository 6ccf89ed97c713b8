"""`diff`, `cadence`, `fmt` and `hash` with `--lang ru` (or `KPILANG_LANG=ru`): the sentences,
errors and help in Russian, while the JSON keeps its keys, codes and English values, so that a
script reads the same fields in either language. The full Russian texts are pinned by the golden
files of test_golden.py."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kpilang.cli import main

from .conftest import PLAN
from .plans import BASE, NORMATIVE_PLAN, with_effective

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def in_repo(repo, monkeypatch):
    monkeypatch.chdir(repo.path)
    return repo


# ---- diff ----------------------------------------------------------------------------------------


def test_diff_of_a_plan_that_does_not_compile_says_why_in_russian(in_repo):
    in_repo.write(PLAN, BASE.replace("target 4", "target four"))
    result = run("diff", "--lang", "ru", f"HEAD:{PLAN}", PLAN)
    assert result.exit_code == 2 and result.stdout == ""
    assert "ошибка[E0201]: неизвестное имя «four»" in result.stderr  # the compiler's own words, in Russian
    assert result.stderr.endswith(f"ошибка: {PLAN} не компилируется, поэтому его смысл неизвестен\n"
                                  "  = подсказка: исправьте ошибки, показанные выше (`kpilang lint`)\n")


def test_diff_refusals_in_russian(in_repo):
    assert run("diff", "--lang", "ru", f"nope:{PLAN}", PLAN).stderr == (
        "ошибка: нет такой ревизии: nope\n"
        "  = подсказка: проверьте имя; в CI сначала загрузите её (например, `git fetch origin main`)\n")
    assert run("diff", "--lang", "ru", "HEAD:rules/missing.kpi", PLAN).stderr == (
        "ошибка: нет такого файла или папки: HEAD:rules/missing.kpi\n")
    assert run("diff", "--lang", "ru", "HEAD:rules", PLAN).stderr == (
        "ошибка: сравнивать можно папку с папкой или план с планом\n  = подсказка: `HEAD:rules` — папка\n")


def test_diff_follows_kpilang_lang(in_repo, monkeypatch):
    in_repo.write(PLAN, BASE.replace("target 4", "target 5"))
    monkeypatch.setenv("KPILANG_LANG", "ru")
    assert "KPI new_clients_kpi: цель `4` → `5`" in run("diff", f"HEAD:{PLAN}", PLAN).stdout
    assert "kpi new_clients_kpi: target `4` → `5`" in run("diff", "--lang", "en", f"HEAD:{PLAN}", PLAN).stdout


def test_diff_json_is_the_same_in_both_languages(in_repo):
    in_repo.write(PLAN, with_effective(BASE, "2026-10-01").replace("kind activity\n\nmetric meetings",
                                                                    "kind result\n\nmetric meetings"))
    english = run("diff", "--format", "json", f"HEAD:{PLAN}", PLAN)
    russian = run("diff", "--format", "json", "--lang", "ru", f"HEAD:{PLAN}", PLAN)
    assert english.exit_code == russian.exit_code == 0
    assert english.stdout == russian.stdout
    changes = json.loads(english.stdout)["changes"]
    assert {"action": "changed", "what": "metric", "name": "calls", "part": "kind", "old": "activity",
            "new": "result"} in changes


# ---- cadence -------------------------------------------------------------------------------------


def test_a_cadence_violation_in_russian(in_repo):
    in_repo.write(PLAN, BASE.replace("target 4", "target 5"))
    short = in_repo.commit("Новые клиенты: цель 5", "2026-07-20T10:00:00+03:00")[:10]
    result = run("cadence", "--lang", "ru")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"  {short}  2026-07-20  в силе с 2026-07-01  изменение действующего плана  — Новые клиенты: цель 5" in lines
    assert "      KPI new_clients_kpi: цель `4` → `5`" in lines
    assert (f"      ошибка[changes-plan-in-force]: коммит {short} (2026-07-20) меняет план cold_sales "
            f"({PLAN}), действующий с 2026-07-01") in lines
    assert ("        = подсказка: оформите изменение отдельной версией: `effective 2026-10-01` или позже; или, если "
            "это юридически необходимое или срочное исправление, закончите сообщение коммита строкой "
            "`KPI-Override: <причина>`, чтобы исключение было записано") in lines
    assert lines[-2:] == ["нарушения:", f"  {short} cold_sales: changes-plan-in-force: коммит {short} (2026-07-20) "
                                        f"меняет план cold_sales ({PLAN}), действующий с 2026-07-01"]
    assert result.stderr == "планов: 1; нарушений: 1, исключений: 0\n"


def test_cadence_json_keeps_its_codes_and_says_its_sentences_in_russian(in_repo):
    in_repo.write(PLAN, BASE.replace("target 4", "target 5"))
    in_repo.commit("target 5", "2026-07-20T10:00:00+03:00")
    in_repo.write("rules/draft.kpi", BASE)
    english = json.loads(run("cadence", "--format", "json", PLAN, "rules/draft.kpi").stdout)
    russian = json.loads(run("cadence", "--format", "json", "--lang", "ru", PLAN, "rules/draft.kpi").stdout)

    def codes(data):
        entries = data["plans"][0]["history"]
        return ([(e["kind"], [(c["action"], c["what"], c["part"], c["old"], c["new"]) for c in e["changes"]],
                  [v["rule"] for v in e["violations"]]) for e in entries],
                [(s["file"], s["code"]) for s in data["skipped"]], data["summary"])

    assert codes(english) == codes(russian)
    assert english["skipped"] == [{"file": "rules/draft.kpi", "code": "never-committed",
                                   "reason": "not in the history (never committed)"}]
    assert russian["skipped"][0]["reason"] == "его нет в истории (ни разу не закоммичен)"
    last = russian["plans"][0]["history"][-1]
    assert last["changes"][0]["text"] == "KPI new_clients_kpi: цель `4` → `5`"
    assert CYRILLIC.search(last["violations"][0]["message"]) and CYRILLIC.search(last["violations"][0]["help"])


def test_a_version_that_does_not_compile_says_why_in_russian(in_repo):
    in_repo.write(PLAN, BASE.replace("target 4", "target four"))
    in_repo.commit("broken", "2026-07-20T10:00:00+03:00")
    result = run("cadence", "--lang", "ru")
    assert result.exit_code == 1
    assert "не компилируется  — broken" in result.stdout
    assert f":{PLAN}:" in result.stdout and "почему: " in result.stdout and "неизвестное имя «four»" in result.stdout
    assert "ошибка[does-not-compile]: файл плана" in result.stdout


def test_cadence_refusals_in_russian(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("cadence", "--lang", "ru")
    assert result.exit_code == 2
    assert result.stderr == (f"ошибка: {tmp_path} — не внутри репозитория git\n"
                             "  = подсказка: запустите команду в клоне репозитория, в котором хранятся планы\n")


# ---- fmt and hash --------------------------------------------------------------------------------


def test_fmt_check_in_russian(tmp_path):
    messy = tmp_path / "messy.kpi"
    messy.write_text(BASE.replace("    ", "  "), encoding="utf-8")
    result = run("fmt", "--check", "--lang", "ru", str(NORMATIVE_PLAN), str(messy))
    assert result.exit_code == 1
    assert result.stdout == f"будет переформатирован: {messy}\n"
    assert result.stderr == "файлов: 2; будет переформатировано: 1, уже отформатировано: 1\n"
    english = run("fmt", "--check", str(NORMATIVE_PLAN), str(messy))
    assert (english.stdout, english.stderr) == (f"would reformat {messy}\n",
                                                "2 file(s): 1 would be reformatted, 1 already formatted\n")


def test_fmt_diff_names_its_sides_in_russian(tmp_path):
    messy = tmp_path / "messy.kpi"
    messy.write_text(BASE.replace("    ", "  "), encoding="utf-8")
    russian = run("fmt", "--diff", "--lang", "ru", str(messy)).stdout.splitlines()
    assert russian[:2] == [f"--- {messy} (сейчас)", f"+++ {messy} (после форматирования)"]
    assert run("fmt", "--diff", str(messy)).stdout.splitlines()[:2] == [f"--- {messy} (now)", f"+++ {messy} (formatted)"]


def test_fmt_errors_in_russian(tmp_path):
    broken = tmp_path / "broken.kpi"
    broken.write_text("plan x {\n", encoding="utf-8")
    latin1 = tmp_path / "latin1.kpi"
    latin1.write_bytes("# é\n".encode("latin-1"))
    result = run("fmt", "--lang", "ru", str(broken), str(latin1))
    assert result.exit_code == 2
    assert result.stderr.startswith("ошибка[E01")
    assert f"ошибка: {latin1}:1:3: не текст в UTF-8 (байт 3); сохраните файл в UTF-8\n" in result.stderr
    assert result.stderr.endswith("файлов: 2; переформатировано: 0, уже отформатировано: 0; "
                                  "не тронуто из-за ошибок: 2\n")
    assert run("fmt", "--lang", "ru", str(tmp_path / "nope.kpi")).stderr == (
        f"ошибка: нет такого файла или папки: {tmp_path / 'nope.kpi'}\n")


def test_hash_errors_in_russian(tmp_path):
    bad = tmp_path / "bad.kpi"
    bad.write_text(BASE.replace("target 4", "target nothing"), encoding="utf-8")
    result = run("hash", "--lang", "ru", str(bad), str(NORMATIVE_PLAN))
    assert result.exit_code == 2
    assert result.stdout.endswith(f"  {NORMATIVE_PLAN}\n")  # the plan that compiles is still fingerprinted
    assert "ошибка[E0201]: неизвестное имя «nothing»" in result.stderr
    assert result.stderr.endswith(f"ошибка: {bad} не компилируется, поэтому у него нет отпечатка\n")
    assert run("hash", "--lang", "ru", str(tmp_path / "nope.kpi")).stderr == (
        f"ошибка: нет такого файла или папки: {tmp_path / 'nope.kpi'}\n")


# ---- each kind of change, in words ---------------------------------------------------------------


def test_each_kind_of_change_in_russian():
    from kpilang.change.diff import diff_programs
    from kpilang.compile import compile_text

    def program(text: str):
        return compile_text(text, "plan.kpi").program

    new = (BASE.replace("kind activity\n\nmetric meetings", "kind result\n\nmetric meetings")
           .replace("target 8%", "target 8%\n    lower is better")
           .replace("cap 2 * salary", "cap 3 * salary\n    floor salary")
           .replace('table multiplier "Мультипликатор KPI" {', 'table multiplier "Мультипликатор KPI" graduated {')
           .replace("uncontrollable  # marketing decides how many leads arrive", "uncontrollable for head")
           .replace("pay commission", 'pay bonus_meetings "За встречи" = 500 * meetings\n\npay commission')
           .replace("table multiplier", 'kpi deals_kpi "Сделки" =\n    deals_won\n    target 10\n    weight 10%\n\n'
                                        'table multiplier')
           .replace("weight 30%", "weight 20%"))
    result = diff_programs(program(BASE), program(new))
    lines = [c.describe("ru") for c in result.changes]
    assert "метрика calls: вид activity → result" in lines
    assert "KPI meeting_rate: направление больше — лучше → меньше — лучше" in lines
    assert "выплата bonus: потолок `2 * salary` → `3 * salary`" in lines
    assert "выплата bonus: нижняя граница (нет) → `salary`" in lines
    assert "таблица multiplier: вид обычная → ступенчатая" in lines
    assert "метрика leads_in: управляемость неуправляемая → неуправляемая для head" in lines
    assert "добавлено: KPI deals_kpi = deals_won (цель 10, вес 10%)" in lines
    assert "добавлено: выплата bonus_meetings = 500 * meetings" in lines
    english = [c.describe() for c in result.changes]
    assert "kpi deals_kpi: added = deals_won (target 10, weight 10%)" in english
    assert "metric leads_in: controllability uncontrollable → uncontrollable for head" in english
    back = diff_programs(program(new), program(BASE))
    assert "удалено: выплата bonus_meetings (было 500 * meetings)" in [c.describe("ru") for c in back.changes]


def test_bands_added_and_removed_in_russian():
    from kpilang.change.diff import diff_programs
    from kpilang.compile import compile_text

    new = BASE.replace("from 120% : 1.5", "120% to 150% : 1.5\n    from 150% : 2")
    result = diff_programs(compile_text(BASE, "a.kpi").program, compile_text(new, "b.kpi").program)
    assert [c.describe("ru") for c in result.changes if c.what == "table"] == [
        "таблица multiplier: добавлен диапазон 120% to 150% : 1.5",
        "таблица multiplier: удалён диапазон from 120% : 1.5",
        "таблица multiplier: добавлен диапазон from 150% : 2",
    ]
