"""`kpilang explain`: output places and exit codes per the command-line contract."""

from __future__ import annotations

from click.testing import CliRunner

from kpilang.cli import main

from .conftest import DATA, PERIOD, PLAN


def run(*args: str):
    return CliRunner().invoke(main, ["explain", str(PLAN), "--period", PERIOD, *args])


def test_everyone_to_stdout_in_russian_by_default():
    result = run("--data", str(DATA))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("Расчёт выплаты:") == 4
    assert "Итого к выплате: 155\xa0000,01\xa0₽" in result.stdout
    assert "за 2026-07 выписок: 4; выплата рассчитана: 4, отказано из-за ошибок: 0" in result.stderr


def test_only_the_managers_asked_for():
    result = run("--data", str(DATA), "--manager", "m2", "--manager", "m4", "--lang", "en", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("# Pay statement:") == 2
    assert "(m2)" in result.stdout and "(m4)" in result.stdout and "(m1)" not in result.stdout


def test_out_writes_one_file_per_person_and_an_index(tmp_path):
    out = tmp_path / "statements"
    result = run("--data", str(DATA), "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "m1.html", "m2.html", "m3.html", "m4.html"]
    assert result.stdout == ""
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="m3.html"' in index


def test_an_evaluation_error_is_explained_and_exits_1(data_copy):
    targets = data_copy / "targets.csv"
    targets.write_text("".join(line for line in targets.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith("m4,")), encoding="utf-8")
    result = run("--data", str(data_copy), "--manager", "m4", "--lang", "en")
    assert result.exit_code == 1
    text = result.stdout
    assert "Evaluation errors" in text
    assert "“Выполнение плана по выручке” was not computed: there is no target for this period" in text
    assert "KPI score: not computed" in text
    assert "Итого к выплате: —" in text  # no invented total
    assert "Процент с продаж: RUB\xa02,000.00" in text  # what does not depend on the error is still computed
    assert "1 refused (errors)" in result.stderr


def test_a_rejected_data_row_is_shown_to_the_person_it_touches(data_copy):
    deals = data_copy / "deals.csv"
    lines = deals.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    amount = header.index("amount")
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        if cells[header.index("manager_id")] == "m2" and cells[amount]:
            cells[amount] = "-5"
            lines[i] = ",".join(cells)
            break
    deals.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("--data", str(data_copy), "--manager", "m2")
    assert result.exit_code == 1
    assert "Проблемы в данных" in result.stdout
    assert "deals.csv" in result.stdout
    assert "Расчёт не выполнен: отклонена строка данных сотрудника" in result.stdout
    assert "KPI и выплаты не рассчитаны" in result.stdout
    # the loader's reason and advice and the evaluator's detail are in Russian too
    assert "строка отклонена (сумма меньше нуля: значение amount должно быть не меньше 0; значение: -5)" \
        in result.stdout
    assert ("Что сделать: исправьте значение; возврат или корректировку запишите отдельной записью, а не "
            "отрицательным значением amount") in result.stdout
    assert "Подробно: данные отклонены (строка " in result.stdout


def test_an_evaluation_error_in_russian_gives_the_russian_detail(data_copy):
    targets = data_copy / "targets.csv"
    targets.write_text("".join(line for line in targets.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith("m4,")), encoding="utf-8")
    result = run("--data", str(data_copy), "--manager", "m4")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    detail = next(line for line in lines if "Подробно: " in line)
    assert detail.split(": ", 1)[1].strip() == "нет цели «revenue» для m4 на 2026-07"


def test_usage_errors_exit_2(tmp_path):
    unknown = run("--data", str(DATA), "--manager", "nobody")
    assert unknown.exit_code == 2 and "nobody" in unknown.stderr and "m1, m2, m3, m4" in unknown.stderr
    skipped = run("--data", str(DATA), "--manager", "m5")
    assert skipped.exit_code == 2 and skipped.stderr == (
        "ошибка: по плану cold_sales за 2026-07 не рассчитывается сотрудник с id m5 (m5: роль inbound не входит "
        "в этот план)\n  = подсказка: в этом расчёте сотрудники: m1, m2, m3, m4\n")
    english = run("--data", str(DATA), "--manager", "m5", "--lang", "en")
    assert "error: no person with id m5 is paid by cold_sales in 2026-07 (m5: role inbound is not in this plan)" \
        in english.stderr
    assert run("--data", str(tmp_path / "missing")).exit_code == 2
    assert run("--data", str(DATA), "--templates", str(tmp_path / "missing")).exit_code == 2
    bad_period = CliRunner().invoke(main, ["explain", str(PLAN), "--data", str(DATA), "--period", "2026-Q3"])
    assert bad_period.exit_code == 2
    broken = tmp_path / "broken.kpi"
    broken.write_text("plan x {", encoding="utf-8")
    assert CliRunner().invoke(main, ["explain", str(broken), "--data", str(DATA), "--period", PERIOD]).exit_code == 2


def test_html_on_stdout_is_one_page():
    everyone = run("--data", str(DATA), "--format", "html")
    assert everyone.exit_code == 0, everyone.stderr
    assert everyone.stdout.count("<html") == 1 and everyone.stdout.count("<main") == 4
    assert "break-before: page" in everyone.stdout  # a printed page per person
    one = run("--data", str(DATA), "--format", "html", "--manager", "m3")
    assert one.stdout.count("<main") == 1 and "Вера Смирнова" in one.stdout


def test_the_index_adds_up_only_computed_pay(data_copy, tmp_path):
    targets = data_copy / "targets.csv"
    targets.write_text("".join(line for line in targets.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith("m4,")), encoding="utf-8")
    out = tmp_path / "out"
    result = run("--data", str(data_copy), "--out", str(out), "--format", "md", "--lang", "en")
    assert result.exit_code == 1
    index = (out / "index.md").read_text(encoding="utf-8")
    # 155 000.01 + 95 300.00 + 149 000.00: m4's total is not computed and not counted as zero
    assert "Sum of pay: RUB\xa0399,300.01 (3 employee(s))" in index
    assert "Not computed for 1 employee(s)" in index
    assert "| [m4](m4.md) | Глеб Кузнецов | not computed | not computed | has errors |" in index


def test_weekly_and_quarterly_periods_in_words(tmp_path, data_copy):
    plan = tmp_path / "weekly.kpi"
    plan.write_text(PLAN.read_text(encoding="utf-8").replace("period    month", "period    week"), encoding="utf-8")
    targets = data_copy / "targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8").replace("2026-07,", "2026-W28,"), encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(plan), "--data", str(data_copy), "--period", "2026-W28",
                                       "--manager", "m1", "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    assert "Period: week 28: Jul 6\u2009–\u200912, 2026 (2026-W28)" in result.stdout
    quarterly = tmp_path / "quarterly.kpi"
    quarterly.write_text(PLAN.read_text(encoding="utf-8").replace("period    month", "period    quarter"),
                         encoding="utf-8")
    targets.write_text(targets.read_text(encoding="utf-8").replace("2026-W28,", "2026-Q3,"), encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(quarterly), "--data", str(data_copy), "--period", "2026-Q3",
                                       "--manager", "m1"])
    assert result.exit_code == 0, result.stderr
    assert "Период: 3-й квартал 2026\u202fг. (2026-Q3)" in result.stdout
