"""A manager's extra column is read as the kind its place in the formula needs, and a value of
another kind is that person's error naming the column and the value, never a quiet 1, 0 or true.

The kind of an extra column comes from the data (docs/data-format.md, "Extra columns"): a column
of true/false is a yes/no, but one `да` among them makes it a text, where Python would take any
word (`false`, `нет`) for true. Every figure below is worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import kpilang
from tests.evaluate.test_managers_columns import PLAN, _data, _plan

PEOPLE = ("m1", "m2", "m3", "m4")  # the normative managers the plan evaluates (m5 and h1 are of other roles)
QUOTA = ["100", "50", "200", "10", "1", "1"]
YES_NO = ["true", "false", "false", "true", "false", "false"]


def evaluate(tmp_path, pay: str, tables: str = "", **columns: list[str]):
    text = PLAN.replace(PLAN.splitlines()[-2], f'pay fixed "Fixed" = {pay}') + tables
    tmp_path.mkdir(parents=True, exist_ok=True)
    report = kpilang.evaluate(_plan(tmp_path, text), _data(tmp_path, {"quota": QUOTA, **columns}), "2026-07")
    return {r.manager_id: r for r in report.results}


def fixed(person):
    return person.outcome.pays["fixed"].value


def error_of(person):
    [error] = [e for e in person.errors if e.subject == "fixed"]
    return error


def test_a_yes_no_column_as_a_condition(tmp_path):
    people = evaluate(tmp_path, "if managers.vip then 1000 else 0", vip=YES_NO)
    assert {p: fixed(r) for p, r in people.items()} == {
        "m1": Decimal("1000.00"), "m2": Decimal("0.00"), "m3": Decimal("0.00"), "m4": Decimal("1000.00")}
    people = evaluate(tmp_path / "b", "if not managers.vip and 1 = 1 then 7 else 0", vip=YES_NO)
    assert fixed(people["m1"]) == Decimal("0.00") and fixed(people["m2"]) == Decimal("7.00")


def test_a_text_column_as_a_condition_is_an_error_not_true(tmp_path):
    # One `да` makes the column a text: `false` and `нет` are words then, and a word is no yes/no.
    people = evaluate(tmp_path, "if managers.is_new then 1000 else 0",
                      is_new=["true", "false", "да", "нет", "false", "true"])
    for pid, shown in [("m1", "true"), ("m2", "false"), ("m3", "да"), ("m4", "нет")]:
        assert not people[pid].ok
        error = error_of(people[pid])
        assert error.code == "manager_column_not_a_yes_no"
        assert error.message.render("en") == f"`managers.is_new` is «{shown}» for this person, not a yes/no"
        assert error.message.render("ru") == f"в `managers.is_new` у этого сотрудника «{shown}», а не да/нет (true/false)"
        assert "`managers.is_new = \"yes\"`" in error.help.render("en")
        assert fixed(people[pid]) is None


def test_a_text_column_compared_with_its_words_is_read_as_it_is(tmp_path):
    people = evaluate(tmp_path, 'if managers.is_new = "да" or managers.is_new = "true" then 1000 else 0',
                      is_new=["true", "false", "да", "нет", "false", "true"])
    assert [fixed(people[p]) for p in ("m1", "m2", "m3", "m4")] == [
        Decimal("1000.00"), Decimal("0.00"), Decimal("1000.00"), Decimal("0.00")]


def test_a_number_column_as_a_condition_is_an_error(tmp_path):
    # 1 and 0 alone make a whole number column: a condition needs true or false
    people = evaluate(tmp_path, "if managers.flag then 1000 else 0", flag=["1", "0", "1", "0", "1", "0"])
    error = error_of(people["m2"])
    assert error.code == "manager_column_not_a_yes_no"
    assert error.message.render("en") == "`managers.flag` is «0» for this person, not a yes/no"


def test_a_yes_no_column_in_arithmetic_is_an_error_not_1(tmp_path):
    people = evaluate(tmp_path, "managers.salary * managers.vip", vip=YES_NO)
    for pid, shown in [("m1", "true"), ("m2", "false")]:
        error = error_of(people[pid])
        assert error.code == "manager_column_not_a_number"
        assert error.message.render("en") == f"`managers.vip` is {shown} for this person, not a number"
        assert fixed(people[pid]) is None
    assert people["m1"].outcome.pays["bonus"].value is not None  # what does not read it is still paid


def test_a_yes_no_column_as_a_table_argument_min_max_round_or_compared_with_a_number_is_an_error(tmp_path):
    table = "\ntable level {\n    below 0.5 : 1\n    from 0.5 : 1.2\n}\n"
    pays = ["1000 * level(managers.vip)", "max(managers.vip, 0) * 10", "round(managers.vip, 0)",
            "if managers.vip > 0 then 1 else 2", "-managers.vip", "managers.vip / 2", "2 - managers.vip"]
    for n, pay in enumerate(pays):
        people = evaluate(tmp_path / str(n), pay, table if "level" in pay else "", vip=YES_NO)
        error = error_of(people["m1"])
        assert error.code == "manager_column_not_a_number", pay
        assert error.message.render("en") == "`managers.vip` is true for this person, not a number", pay
        assert fixed(people["m1"]) is None, pay


def test_a_number_column_compared_with_a_number_is_read_as_a_number(tmp_path):
    people = evaluate(tmp_path, "if managers.quota >= 100 then managers.quota * 2 else max(managers.quota, 3)")
    assert [fixed(people[p]) for p in PEOPLE] == [
        Decimal("200.00"), Decimal("50.00"), Decimal("400.00"), Decimal("10.00")]


def test_the_column_named_is_the_one_of_the_wrong_kind_after_columns_that_fit(tmp_path):
    # hired_at is a date compared with a date and team a text compared with a word: both fit, so
    # the error names `x`, a text read as a number after them, not them.
    for n, pay in enumerate(["if managers.hired_at < 2025-01-01 and managers.x > 3 then 1 else 2",
                             'if managers.team = "north" and managers.x > 3 then 1 else 2']):
        people = evaluate(tmp_path / str(n), pay, x=["abc"] * 6)
        error = error_of(people["m1"])  # m1: hired 2024-03-01, team north
        assert error.code == "manager_column_not_a_number", pay
        assert error.message.render("en") == "`managers.x` is «abc» for this person, not a number", pay


def test_a_column_in_an_in_list_is_read_as_it_is_and_not_named_for_another_columns_fault(tmp_path):
    people = evaluate(tmp_path, 'if managers.team in ["north", "south"] and managers.x > 3 then 1 else 2', x=["abc"] * 6)
    error = error_of(people["m1"])
    assert error.message.render("en") == "`managers.x` is «abc» for this person, not a number"
