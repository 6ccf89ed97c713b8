"""Aggregates whose row expression divides, computed row by row in exact Decimal (`rowwise.py`):
every form of a row condition, empty cells, differences of datetimes, several columns, rounding,
and a table whose plain aggregates come before its row-by-row ones.

The rows are those of `test_sql.py`; every expected figure is worked out by hand in a comment from
the rows that match (m1's deals closed in July, Moscow time: d1 won 300000.00 new, d2 won 250000.25
with an empty is_new_client, d3 lost 80000.00, d4 won with no amount and new, d6 won 1.01).
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from kpilang.compile.compiler import compile_text
from kpilang.evaluate.aggregate import MetricQueryError, run_aggregates
from kpilang.evaluate.period import parse_period
from kpilang.evaluate.aggregate_plan import collect_aggregates
from tests.evaluate.test_sql import PLAN_HEAD, compute, con  # noqa: F401 - `con` is the fixture

D = Decimal


@pytest.mark.parametrize(("metric", "expected"), [
    # or: d1 (new) 150000 + d3 (lost) 40000; d4 is new but has no amount, so no value, skipped
    ('sum(if stage = "lost" or is_new_client then deals.amount / 2 else 0)', "190000.00"),
    # and: d1 only
    ('sum(if stage = "won" and is_new_client then deals.amount / 2 else 0)', "150000.00"),
    # not: d3 only
    ('sum(if not (stage = "won") then deals.amount / 2 else 0)', "40000.00"),
    # in: d3 only; a list without a match adds nothing
    ('sum(if stage in ["lost", "open"] then deals.amount / 2 else 0)', "40000.00"),
    ('sum(if stage in ["open"] then deals.amount / 2 else 1)', "5"),
    # != : d3 only
    ('sum(if stage != "won" then deals.amount / 4 else 0)', "20000.00"),
    # = : d6 only
    ("sum(if amount = 1.01 then deals.amount / 2 else 0)", "0.505"),
    # >= takes the edge (d1 150000 + d2 125000.125), > does not (d1)
    ("sum(if amount >= 250000.25 then deals.amount / 2 else 0)", "275000.125"),
    ("sum(if amount > 250000.25 then deals.amount / 2 else 0)", "150000.00"),
    # <= takes the edge (d3 40000 + d6 0.505), < does not (d6)
    ("sum(if amount <= 80000 then deals.amount / 2 else 0)", "40000.505"),
    ("sum(if amount < 80000 then deals.amount / 2 else 0)", "0.505"),
])
def test_row_conditions(con, metric, expected):  # noqa: F811
    assert compute(con, metric)["m1"] == D(expected)


def test_an_empty_cell_makes_a_comparison_false(con):  # noqa: F811
    # d4's amount is empty: `amount > 100` is false for it, so it brings 1, as d6 (1.01) does;
    # (150000 + 125000.125 + 40000 + 1 + 1) / 5
    assert compute(con, "avg(if amount > 100 then deals.amount / 2 else 1)")["m1"] == D("63000.425")
    # …and so is `amount <= 100`: d4 brings 0 again, d6 brings 0.505
    assert compute(con, "sum(if amount <= 100 then deals.amount / 2 else 0)")["m1"] == D("0.505")
    # …and an empty cell is in no list: d4 brings amount / amount, no value, where d3 and d6 bring 10
    assert compute(con, "sum(if amount in [1.01, 80000] then 10 else deals.amount / deals.amount)")["m1"] == 22
    # an empty boolean is not true: d2 brings nothing
    assert compute(con, 'sum(if is_new_client then 0 else deals.amount / 2 where stage = "won")')["m1"] == D("125000.63")


def test_a_row_without_a_value_is_skipped_not_zero(con):  # noqa: F811
    # d4 has no amount: four values, and the smallest is d6's
    assert compute(con, 'min(deals.amount / 2 where stage = "won")')["m1"] == D("0.505")
    assert compute(con, "avg(-deals.amount / 2)")["m1"] == D("-78750.1575")  # −630001.26 / 2 / 4
    # `otherwise` gives d4 a value: 10 / 2
    assert compute(con, "sum((deals.amount otherwise 10) / 2)")["m1"] == D("315005.63")
    # a division by zero has no value: d3 (80000 − 80000) is skipped, the four others are 1
    assert compute(con, "count(deals where amount > 0)")["m1"] == 4
    assert compute(con, "sum(deals.amount / (amount - 80000) * 0 + 1)")["m1"] == 3


def test_differences_of_datetimes_are_exact_signed_seconds(con):  # noqa: F811
    # closed − created in hours: d1 50, d2 173.5, d3 197.5, d4 221.5, d6 709.5
    assert compute(con, "sum((deals.closed_at - created_at) / 3600)")["m1"] == D("1352")
    assert compute(con, "max((deals.closed_at - created_at) / 3600)")["m1"] == D("709.5")
    assert compute(con, "min((deals.created_at - closed_at) / 3600)")["m1"] == D("-709.5")
    assert compute(con, "max((deals.created_at - closed_at) / 3600)")["m1"] == D("-50")
    # half a second survives: l1 600.5 s, l2 7200 s
    assert compute(con, "min((leads.first_response_at - leads.created_at) / 2)")["m1"] == D("300.25")
    assert compute(con, "sum((leads.first_response_at - leads.created_at) / 2)")["m1"] == D("3900.25")
    assert compute(con, "sum((leads.created_at - leads.first_response_at) / 2)")["m1"] == D("-3900.25")


def test_durations_and_their_literals_row_by_row(con):  # noqa: F811
    # m1's activities: 30 s, 60 s, empty, 3600 s
    assert compute(con, "sum((activities.duration + 1m) / 60)")["m1"] == D("64.5")  # 1.5 + 2 + 61


def test_several_columns_read_by_one_row_expression(con):  # noqa: F811
    # stage, is_new_client and amount: d1 300000 / 2
    assert compute(con, 'sum(if stage = "won" and is_new_client then deals.amount / 2 else 0)')["m1"] == D("150000")
    # four columns, written with and without the table's name: d1 50 h + d4 221.5 h
    assert compute(con, 'sum(if is_new_client and stage = "won" then (deals.closed_at - created_at) / 3600 else 0)'
                   )["m1"] == D("271.5")


def test_min_max_and_round_inside_a_row_expression(con):  # noqa: F811
    # max(deals.amount / 2, 100000): d1 150000, d2 125000.125, d3 100000, d6 100000; d4 has no value
    assert compute(con, "sum(max(deals.amount / 2, 100000))")["m1"] == D("475000.125")
    assert compute(con, "sum(min(deals.amount / 2, 100000))")["m1"] == D("240000.505")
    # m2's 2.00 / 8 = 0.25 → 0.3 (halves go up); d6's 1.01 / 2 = 0.505 → 0.51
    assert compute(con, "sum(round(deals.amount / 8, 1))")["m2"] == D("0.3")
    assert compute(con, "max(round(deals.amount / 2, 2) where amount < 2)")["m1"] == D("0.51")
    assert compute(con, "min(round(-deals.amount / 2, 2) where amount < 2)")["m1"] == D("-0.51")


def test_median_and_avg_row_by_row(con):  # noqa: F811
    # halves of 1.01, 80000, 250000.25, 300000: the middle two are 40000 and 125000.125
    assert compute(con, "median(deals.amount / 2)")["m1"] == D("82500.0625")
    assert compute(con, "median(deals.amount / 2 where amount > 1000)")["m1"] == D("125000.125")
    assert compute(con, "avg(deals.amount / 2 where amount > 1000)")["m1"] == D("105000.0416666666666666666666666667")
    assert compute(con, "median(deals.amount / 2)")["m3"] is None
    assert compute(con, "sum(deals.amount / 2)")["m3"] == 0


def test_a_row_by_row_aggregate_after_a_plain_one_on_the_same_table(con):  # noqa: F811
    program = compile_text(PLAN_HEAD + '''
metric plain_sum = sum(deals.amount)
metric plain_count = count(deals)
metric halves = sum(deals.amount / 2)
metric thirds = sum(deals.amount / 4 where stage = "lost")
''').program
    assert program is not None
    plan = collect_aggregates(program)
    start, end = parse_period("2026-07").bounds_utc("Europe/Moscow")
    values = run_aggregates(con, plan, start=start, end=end, timezone="Europe/Moscow", team=False,
                            tables_present={"deals", "activities", "leads"})
    got = {name: values.of("m1")[plan.key_of(metric.expr)] for name, metric in program.metrics.items()}
    assert got == {"plain_sum": D("630001.26"), "plain_count": 5, "halves": D("315000.63"), "thirds": D("20000")}
    assert values.of("m2")[plan.key_of(program.metrics["halves"].expr)] == D("1.00")


@pytest.mark.parametrize("metric", ['sum(deals.amount where stage = "won")', 'sum(deals.amount / 2 where stage = "won")'])
def test_a_query_the_database_refuses_names_the_table_and_the_databases_first_line(metric):
    # `stage` holds numbers here: comparing it with text is refused by the database itself
    db = duckdb.connect()
    db.execute("CREATE TABLE managers (id VARCHAR, name VARCHAR, role VARCHAR, team VARCHAR, salary DECIMAL(38, 2))")
    db.execute("INSERT INTO managers VALUES ('m1', 'A', 'cold', 'north', 100)")
    db.execute("CREATE TABLE deals (id VARCHAR, manager_id VARCHAR, closed_at TIMESTAMP, stage INTEGER, "
               "amount DECIMAL(38, 2))")
    db.execute("INSERT INTO deals VALUES ('d1', 'm1', TIMESTAMP '2026-07-03 09:00:00', 1, 10)")
    program = compile_text(PLAN_HEAD + f"\nmetric m = {metric}\n").program
    start, end = parse_period("2026-07").bounds_utc("Europe/Moscow")
    with pytest.raises(MetricQueryError) as refused:
        run_aggregates(db, collect_aggregates(program), start=start, end=end, timezone="Europe/Moscow", team=False,
                       tables_present={"deals"})
    error = refused.value
    assert error.table == "deals"
    assert error.detail and "\n" not in error.detail and "SELECT" not in error.detail
    assert "won" in error.detail or "INTEGER" in error.detail or "Conversion" in error.detail
    assert str(error.message) == f"the metrics over deals cannot be computed on this data: {error.detail}"
    assert str(error) == str(error.message)  # what a traceback or a log shows
    assert "extra column" in str(error.hint)
    assert isinstance(error.__cause__, duckdb.Error)


def test_a_row_by_row_aggregate_by_team(con):  # noqa: F811
    # north: m1's halves 315000.63 (630001.26 / 2) + m2's d8 2.00 / 2 = 315001.63; south (m3) has no deals
    got = compute(con, "sum(deals.amount / 2)", team=True)
    assert got == {"north": D("315001.63"), "south": D("0"), "east": D("0")}
    # the largest half of each team: d1's 150000 in the north, none in the south
    got = compute(con, "max(deals.amount / 2)", team=True)
    assert got == {"north": D("150000"), "south": None, "east": None}


def test_rows_that_all_lack_a_value(con):  # noqa: F811
    # m1's only deal with client c3 is d4, whose amount is empty: the row is there, its value is not,
    # so the sum is 0 and the average, smallest and median have no value
    assert compute(con, 'sum(deals.amount / 2 where client_id = "c3")')["m1"] == D("0")
    assert compute(con, 'avg(deals.amount / 2 where client_id = "c3")')["m1"] is None
    assert compute(con, 'min(deals.amount / 2 where client_id = "c3")')["m1"] is None
    assert compute(con, 'median(deals.amount / 2 where client_id = "c3")')["m1"] is None


def test_a_row_by_row_aggregate_where_a_date_and_time_is_compared_with_a_date(con):  # noqa: F811
    # 2026-07-10 is midnight in Moscow, 21:00 UTC on 9 July: d2 (12:30 UTC on 9 July) is before it,
    # d3 (10 July) and d6 (31 July) after; d4 has no amount. 80000 / 2 + 1.01 / 2
    assert compute(con, "sum(deals.amount / 2 where closed_at >= 2026-07-10)")["m1"] == D("40000.505")
    assert compute(con, "sum(deals.amount / 2 where closed_at < 2026-07-10)")["m1"] == D("275000.125")


def test_a_row_condition_comparing_two_columns(con):  # noqa: F811
    # every one of m1's deals in July was closed after it was created: all the halves, 315000.63;
    # none the other way round
    assert compute(con, "sum(if closed_at > created_at then deals.amount / 2 else 0)")["m1"] == D("315000.63")
    assert compute(con, "sum(if created_at > closed_at then deals.amount / 2 else 0)")["m1"] == D("0")


def test_list_items_and_fallbacks_that_read_the_row(con):  # noqa: F811
    # every deal with an amount is in [its own amount, 1]: d1, d2, d3 and d6's halves; d4 has none
    assert compute(con, "sum(if amount in [amount, 1] then deals.amount / 2 else 0)")["m1"] == D("315000.63")
    # a lead without a response waits 0 s: l1 600.5 / 2 + l2 7200 / 2 + l3 0
    waited = "((leads.first_response_at otherwise leads.created_at) - leads.created_at) / 2"
    assert compute(con, f"sum({waited})")["m1"] == D("3900.25")
    assert compute(con, f"min({waited})")["m1"] == D("0")


def test_what_cannot_be_computed_row_by_row_is_refused_by_name():
    from kpilang.evaluate.rowwise import _aggregate, row_value
    from kpilang.syntax import ast

    with pytest.raises(TypeError, match="^inexact value of type float in column amount$"):
        row_value(ast.Name.model_construct(name="amount"), {"amount": 1.5})
    with pytest.raises(ValueError, match="^no row value for object$"):
        row_value(object(), {})
    with pytest.raises(ValueError, match="^count is not computed row by row$"):
        _aggregate("count", [D(1)])


def test_the_median_of_one_long_value_is_that_value(con):  # noqa: F811
    # m2's only deal in July is d8, 2.00: 2.00 / 3 to 34 digits is 0.666…67 (33 sixes, then 7), and
    # the median of one value is that value; doubling and halving it would round it to 0.666…65
    assert compute(con, "median(deals.amount / 3)")["m2"] == D("0." + "6" * 33 + "7")
