"""No person is paid while a rejected row may be theirs: whom a rejected row touches (its person;
under scope team everyone evaluated in its person's team; everyone evaluated when whose it is
cannot be told) and the exact error each gets in its place, in English and in Russian."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import kpilang
from kpilang.data import DataProblem
from kpilang.evaluate.data_errors import data_error, data_errors
from kpilang.messages import t
from tests.evaluate.test_run import HEAD

PLAN = HEAD + """
metric revenue = sum(deals.amount where stage = "won")
kpi revenue_plan = revenue
    target 100000
    weight 100%
pay bonus = salary * kpi_score / 10
"""

# i1 is in m1's and m2's team but not of the plan's role: not evaluated, yet their deals count
# towards the team's figures under scope team. h1's team has no one evaluated.
MANAGERS = """id,name,role,team,salary
m1,Anna,cold,north,60000
m2,Boris,cold,north,50000
m3,Vera,cold,south,40000
i1,Irina,inbound,north,45000
h1,Egor,head,hq,90000
"""

HEADER = "id,manager_id,client_id,created_at,closed_at,stage,amount,is_new_client\n"


def deal(deal_id: str, manager: str, amount: str) -> str:
    return f"{deal_id},{manager},c{deal_id},2026-07-01T10:00:00+03:00,2026-07-10T10:00:00+03:00,won,{amount},true\n"


# Line 2: m1's 100000; line 3: m3's 20000. The rows under test follow, from line 4.
GOOD = deal("d1", "m1", "100000.00") + deal("d2", "m3", "20000.00")

EMPTY_REASON_EN = "empty manager_id: this column is required"
EMPTY_REASON_RU = "не заполнен столбец manager_id: он обязателен"
NEGATIVE_REASON_EN = "negative amount: amount must be 0 or more"
NEGATIVE_REASON_RU = "сумма меньше нуля: значение amount должно быть не меньше 0"
NEGATIVE_HINT_EN = "correct the value; record a refund or a correction as its own record, not as a negative amount"
NEGATIVE_HINT_RU = ("исправьте значение; возврат или корректировку запишите отдельной записью, "
                    "а не отрицательным значением amount")
INCOMPLETE_HELP_EN = "correct those lines so that each row has its own manager_id in its own column, then run again"
INCOMPLETE_HELP_RU = ("исправьте эти строки, чтобы в каждой был свой manager_id в своём столбце, "
                      "и запустите расчёт снова")


def evaluate(tmp_path: Path, rows: str, scope: str = ""):
    (tmp_path / "plan.kpi").write_text(PLAN.format(scope=scope), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "managers.csv").write_text(MANAGERS, encoding="utf-8")
    (data / "deals.csv").write_text(HEADER + GOOD + rows, encoding="utf-8")
    loaded = kpilang.load(tmp_path / "plan.kpi")
    assert loaded.program is not None, [d.message for d in loaded.diagnostics]
    report = kpilang.evaluate(loaded.program, data, "2026-07")
    return {r.manager_id: r for r in report.results}, data / "deals.csv"


def bonus(result) -> Decimal:
    assert result.ok, [str(e.message) for e in result.errors]
    return result.outcome.pays["bonus"].value


def words(error, lang: str) -> tuple[str, str | None]:
    return error.message.render(lang), None if error.help is None else error.help.render(lang)


def place(error) -> tuple:
    return (error.subject, error.code, error.cause, Path(error.file), error.line, error.column, error.formula)


def rejected_en(line: int, whose: str = "this person's") -> str:
    return (f"row {line} of deals.csv was rejected: {NEGATIVE_REASON_EN} (column amount); "
            f"{whose} figures would be computed from partial data, so none are given")


def rejected_ru(line: int, whose: str = "этого сотрудника") -> str:
    return (f"данные отклонены (строка {line} файла deals.csv): {NEGATIVE_REASON_RU} (столбец amount); "
            f"цифры {whose} были бы посчитаны по неполным данным, поэтому они не выдаются")


def incomplete_en(lines: str, reason: str = EMPTY_REASON_EN) -> str:
    return (f"table deals (deals.csv) is incomplete: rows were rejected on lines {lines} ({reason}), "
            "and whose they are cannot be told (their manager_id is empty or cannot be read unambiguously); "
            "anyone's figures would be computed from partial data, so none are given")


def incomplete_ru(lines: str, reason: str = EMPTY_REASON_RU) -> str:
    return (f"таблица deals (deals.csv) неполная: строки {lines} отклонены ({reason}), "
            "и чьи они, понять нельзя (manager_id в них пуст или не читается однозначно); "
            "цифры любого сотрудника были бы посчитаны по неполным данным, поэтому они не выдаются")


# ---- whom a rejected row touches, on real evaluations ----

def test_a_rejected_row_withholds_only_its_persons_figures(tmp_path):
    results, deals = evaluate(tmp_path, deal("d3", "m2", "-5") + deal("d4", "m2", "50000.00"))
    # m1: 100000 of 100000, score 1, bonus 60000 × 1 / 10; m3: 20000 of 100000, 40000 × 0.2 / 10.
    assert bonus(results["m1"]) == Decimal("6000")
    assert bonus(results["m3"]) == Decimal("800")
    m2 = results["m2"]
    assert m2.outcome is None and m2.metrics == {"revenue": None}
    [error] = m2.errors
    assert place(error) == ("data", "rejected_data", "rejected_data", deals, 4, 0, "")
    assert words(error, "en") == (rejected_en(4), NEGATIVE_HINT_EN)
    assert words(error, "ru") == (rejected_ru(4), NEGATIVE_HINT_RU)


def test_each_rejected_row_of_a_person_is_its_own_error_in_the_order_of_the_lines(tmp_path):
    results, deals = evaluate(tmp_path, deal("d3", "m2", "-5") + deal("d4", "m2", "-7"))
    assert [(e.code, e.line) for e in results["m2"].errors] == [("rejected_data", 4), ("rejected_data", 5)]
    assert [e.message.render("en") for e in results["m2"].errors] == [rejected_en(4), rejected_en(5)]
    assert bonus(results["m1"]) == Decimal("6000") and bonus(results["m3"]) == Decimal("800")


@pytest.mark.parametrize("owner", ["m2", "i1"])
def test_under_scope_team_a_rejected_row_withholds_its_whole_teams_figures(tmp_path, owner):
    # m2 is evaluated; i1 is not (another role) but their deals are the north team's too.
    results, deals = evaluate(tmp_path, deal("d3", owner, "-5"), scope="scope team")
    for pid in ("m1", "m2"):
        result = results[pid]
        assert result.outcome is None and result.metrics == {"revenue": None}
        [error] = result.errors
        assert place(error) == ("data", "rejected_data", "rejected_data", deals, 4, 0, "")
        assert words(error, "en") == (rejected_en(4, "this person's team's"), NEGATIVE_HINT_EN)
        assert words(error, "ru") == (rejected_ru(4, "команды этого сотрудника"), NEGATIVE_HINT_RU)
    # The south team has only m3's 20000: score 0.2, bonus 40000 × 0.2 / 10.
    assert bonus(results["m3"]) == Decimal("800")


@pytest.mark.parametrize("owner", [
    "m9",  # in no team: the row is listed among the data problems, and no team's figures read it
    "h1",  # in a team where no one is evaluated
])
def test_under_scope_team_a_row_of_no_evaluated_team_withholds_nobody(tmp_path, owner):
    results, _ = evaluate(tmp_path, deal("d3", owner, "-5"), scope="scope team")
    # north: m1's 100000, score 1; south: m3's 20000, score 0.2.
    assert [bonus(results[p]) for p in ("m1", "m2", "m3")] == [Decimal("6000"), Decimal("5000"), Decimal("800")]


@pytest.mark.parametrize("scope", ["", "scope team"])
def test_a_row_whose_owner_cannot_be_told_withholds_everyones_figures(tmp_path, scope):
    results, deals = evaluate(tmp_path, deal("d3", "", "5.00"), scope=scope)
    assert sorted(results) == ["m1", "m2", "m3"]
    for result in results.values():
        assert result.outcome is None and result.metrics == {"revenue": None}
        [error] = result.errors
        assert place(error) == ("data", "incomplete_table", "rejected_data", deals, 4, 0, "")
        assert words(error, "en") == (incomplete_en("4"), INCOMPLETE_HELP_EN)
        assert words(error, "ru") == (incomplete_ru("4"), INCOMPLETE_HELP_RU)


def test_a_person_with_an_own_rejected_row_in_an_incomplete_table_gets_both_errors(tmp_path):
    results, deals = evaluate(tmp_path, deal("d3", "", "5.00") + deal("d4", "m2", "-5") + deal("d5", "", "5.00"))
    assert [(e.code, e.line, e.message.render("en")) for e in results["m2"].errors] == [
        ("rejected_data", 5, rejected_en(5)), ("incomplete_table", 4, incomplete_en("4, 6"))]
    for pid in ("m1", "m3"):
        assert [(e.code, e.line, e.message.render("en")) for e in results[pid].errors] == [
            ("incomplete_table", 4, incomplete_en("4, 6"))]


def test_an_unclosed_quote_that_swallows_a_row_without_owner_names_its_lines_as_a_span(tmp_path):
    # The quote opened on line 4 swallows lines 5 and 6 (m3's and m1's rows): one record, lines 4–6.
    rows = deal("d3", "", "5.00").replace(",true\n", ',"true\n') + deal("d4", "m3", "5.00") + deal("d5", "m1", "5.00")
    results, deals = evaluate(tmp_path, rows)
    reason_en = "an opening quote on line 4 is never closed: it swallowed lines 4 to 6, each rejected"
    reason_ru = "открывающая кавычка в строке 4 не закрыта: она захватила строки с 4 по 6, и все они отклонены"
    for result in results.values():
        [error] = result.errors
        assert place(error) == ("data", "incomplete_table", "rejected_data", deals, 4, 0, "")
        assert words(error, "en") == (incomplete_en("4–6", reason_en), INCOMPLETE_HELP_EN)
        assert words(error, "ru") == (incomplete_ru("4–6", reason_ru), INCOMPLETE_HELP_RU)


def test_the_lines_named_stop_at_five(tmp_path):
    # Six rows without owner, lines 4 to 9 (m2's row, line 6, has its own error).
    rows = "".join(deal(f"e{i}", "", "5.00") for i in range(2)) + deal("d5", "m2", "-5") + "".join(
        deal(f"f{i}", "", "5.00") for i in range(4))
    results, deals = evaluate(tmp_path, rows)
    [error] = results["m1"].errors
    assert words(error, "en") == (incomplete_en("4, 5, 7, 8, 9, …"), INCOMPLETE_HELP_EN)
    assert words(error, "ru") == (incomplete_ru("4, 5, 7, 8, 9, …"), INCOMPLETE_HELP_RU)
    assert error.line == 4


# ---- the errors' words for the problems only other sources give (a database's row, a whole file) ----

def problem(row: int | None, *, table: str = "deals", file: str = "/data/deals.csv", reason=None, end_row=None,
            owner_unknown: bool = True, column: str | None = None, key: str | None = None) -> DataProblem:
    return DataProblem(
        table=table, file=file, row=row, column=column, value=None, code="empty",
        reason=reason if reason is not None else t("data.empty.reason", column="manager_id"),
        hint=t("data.empty.hint", column="manager_id"), fatal=False,
        manager_ids=[] if owner_unknown else ["m1"], owner_unknown=owner_unknown, end_row=end_row, key=key)


def negative(column: str) -> object:
    return t("data.negative.reason", what=t("data.what.amount"), column=column)


@pytest.mark.parametrize(("rows", "lines"), [
    ([9, 3, 3, 5, 7], "3, 5, 7, 9"),            # sorted, each line once
    ([2, 4, 6, 8, 10], "2, 4, 6, 8, 10"),       # five lines: all of them, nothing more
    ([2, 4, 6, 8, 10, 12], "2, 4, 6, 8, 10, …"),
    ([4, None], "4, …"),                         # a row without a line is one more
    ([None], "…"),
])
def test_the_lines_of_an_incomplete_table(rows, lines):
    [error] = data_errors([problem(row) for row in rows], False)
    assert error.message.render("en") == incomplete_en(lines)
    assert error.message.render("ru") == incomplete_ru(lines)


def test_an_incomplete_tables_reason_and_line_are_those_of_its_first_row_with_a_line():
    other = t("data.empty.reason", column="closed_at")
    problems = [problem(None, reason=other), problem(7), problem(3, reason=other)]
    [error] = data_errors(problems, True)
    assert error.message.render("en") == incomplete_en("3, 7, …")
    assert (error.subject, error.code, error.cause, error.file, error.line, error.column, error.formula) == (
        "data", "incomplete_table", "rejected_data", "/data/deals.csv", 7, 0, "")
    assert error.help.render("en") == INCOMPLETE_HELP_EN


def test_an_incomplete_table_without_any_line_is_placed_at_line_0_with_its_first_reason():
    other = t("data.empty.reason", column="closed_at")
    [error] = data_errors([problem(None, reason=other), problem(None)], False)
    assert error.message.render("en") == incomplete_en("…", "empty closed_at: this column is required")
    assert error.line == 0


def test_each_incomplete_table_is_one_error_and_a_problem_listed_twice_is_one():
    activity = problem(5, table="activities", file="/data/activities.csv")
    deals_row = problem(4)
    own = problem(8, owner_unknown=False, reason=negative("amount"), column="amount")
    errors = data_errors([own, deals_row, activity, own, deals_row], False)
    assert [(e.code, e.line, Path(e.file).name) for e in errors] == [
        ("rejected_data", 8, "deals.csv"), ("incomplete_table", 4, "deals.csv"),
        ("incomplete_table", 5, "activities.csv")]
    assert errors[2].message.render("en").startswith(
        "table activities (activities.csv) is incomplete: rows were rejected on lines 5 (")


def test_a_database_rows_error_names_its_key_and_a_whole_files_error_its_file():
    by_key = problem(None, owner_unknown=False, key="id=d017", file="crm.deals", column="amount",
                     reason=negative("amount"))
    assert data_error(by_key, False).message.render("en") == (
        f"the row id=d017 of crm.deals was rejected: {NEGATIVE_REASON_EN} (column amount); "
        "this person's figures would be computed from partial data, so none are given")
    assert data_error(by_key, True).message.render("ru") == (
        f"данные отклонены (строка id=d017 таблицы crm.deals): {NEGATIVE_REASON_RU} (столбец amount); "
        "цифры команды этого сотрудника были бы посчитаны по неполным данным, поэтому они не выдаются")
    whole = problem(None, owner_unknown=False, file="/data/deals.csv")
    error = data_error(whole, False)
    assert error.message.render("en") == (
        f"deals.csv was rejected: {EMPTY_REASON_EN}; "
        "this person's figures would be computed from partial data, so none are given")
    assert error.message.render("ru") == (
        f"данные отклонены (файл deals.csv): {EMPTY_REASON_RU}; "
        "цифры этого сотрудника были бы посчитаны по неполным данным, поэтому они не выдаются")
    assert (error.subject, error.code, error.cause, error.file, error.line, error.column, error.formula) == (
        "data", "rejected_data", "rejected_data", "/data/deals.csv", 0, 0, "")
    assert error.help.render("en") == "fill in manager_id, or remove the row if it is not real"
