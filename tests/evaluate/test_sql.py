"""Every aggregate and condition form, computed by the generated SQL on a small DuckDB database
whose tables have the types the data loader gives (DECIMAL money, BIGINT durations, naive UTC
TIMESTAMPs, BOOLEAN)."""

from datetime import datetime
from decimal import MAX_PREC, Decimal, localcontext

import duckdb
import pytest

from kpilang.compile.compiler import compile_text
from kpilang.evaluate.aggregate import run_aggregates
from kpilang.evaluate.period import parse_period
from kpilang.evaluate.aggregate_plan import collect_aggregates
from kpilang.evaluate.sql import DUCKDB, build_query

PLAN_HEAD = """
plan p "P" {
    role cold
    period month
    effective 2026-07-01
    timezone "Europe/Moscow"
    currency RUB
    strategy growth
    goal "g"
}
"""

MANAGERS = [("m1", "A", "cold", "north", "100.00"), ("m2", "B", "cold", "north", "100.00"),
            ("m3", "C", "cold", "south", "100.00")]

# id, manager_id, created_at (UTC), stage, closed_at (UTC), amount, client_id, is_new_client
DEALS = [
    ("d1", "m1", "2026-07-01 07:00:00", "won", "2026-07-03 09:00:00", "300000.00", "c1", True),
    ("d2", "m1", "2026-07-02 07:00:00", "won", "2026-07-09 12:30:00", "250000.25", "c2", None),
    ("d3", "m1", "2026-07-02 07:00:00", "lost", "2026-07-10 12:30:00", "80000.00", "c2", False),
    ("d4", "m1", "2026-07-02 07:00:00", "won", "2026-07-11 12:30:00", None, "c3", True),
    ("d5", "m1", "2026-07-02 07:00:00", "open", None, "500000.00", "c4", True),
    # 23:30 Moscow on 31 July is July's; 00:10 Moscow on 1 August is not.
    ("d6", "m1", "2026-07-02 07:00:00", "won", "2026-07-31 20:30:00", "1.01", "c5", False),
    ("d7", "m1", "2026-07-02 07:00:00", "won", "2026-07-31 21:10:00", "700000.00", "c6", True),
    ("d8", "m2", "2026-07-02 07:00:00", "won", "2026-07-12 10:00:00", "2.00", "c7", True),
    # 23:59 Moscow on 30 June is June's.
    ("d9", "m2", "2026-06-01 07:00:00", "won", "2026-06-30 20:59:00", "999.00", "c8", True),
]

# id, manager_id, type, started_at (UTC), duration, status
ACTIVITIES = [
    ("a1", "m1", "call", "2026-07-01 07:00:00", 30, "done"),
    ("a2", "m1", "call", "2026-07-01 08:00:00", 60, "done"),
    ("a3", "m1", "call", "2026-07-01 09:00:00", None, "done"),
    ("a4", "m1", "meeting", "2026-07-02 09:00:00", 3600, None),
    ("a5", "m3", "call", "2026-07-05 09:00:00", 120, "done"),
]

# id, manager_id, created_at, first_response_at
LEADS = [
    ("l1", "m1", "2026-07-02 06:00:00", "2026-07-02 06:10:00.5"),
    ("l2", "m1", "2026-07-10 06:00:00", "2026-07-10 08:00:00"),
    ("l3", "m1", "2026-07-11 06:00:00", None),
    ("l4", "m2", "2026-07-11 06:00:00", "2026-07-11 06:00:01"),
]


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    c.execute("SET TimeZone = 'UTC'")
    c.execute('CREATE TABLE managers (id VARCHAR, name VARCHAR, role VARCHAR, team VARCHAR, salary DECIMAL(38, 2))')
    c.executemany("INSERT INTO managers VALUES (?, ?, ?, ?, CAST(? AS DECIMAL(38, 2)))", MANAGERS)
    c.execute("CREATE TABLE deals (id VARCHAR, manager_id VARCHAR, created_at TIMESTAMP, stage VARCHAR, "
              "closed_at TIMESTAMP, amount DECIMAL(38, 2), client_id VARCHAR, is_new_client BOOLEAN)")
    c.executemany("INSERT INTO deals VALUES (?, ?, CAST(? AS TIMESTAMP), ?, CAST(? AS TIMESTAMP), "
                  "CAST(? AS DECIMAL(38, 2)), ?, ?)", DEALS)
    c.execute("CREATE TABLE activities (id VARCHAR, manager_id VARCHAR, type VARCHAR, started_at TIMESTAMP, "
              "duration BIGINT, status VARCHAR)")
    c.executemany("INSERT INTO activities VALUES (?, ?, ?, CAST(? AS TIMESTAMP), ?, ?)", ACTIVITIES)
    c.execute("CREATE TABLE leads (id VARCHAR, manager_id VARCHAR, created_at TIMESTAMP, first_response_at TIMESTAMP)")
    c.executemany("INSERT INTO leads VALUES (?, ?, CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP))", LEADS)
    yield c
    c.close()


def compute(con, metric: str, *, team: bool = False, period: str = "2026-07", head: str = PLAN_HEAD):
    """The value of `metric m = …` for every manager (or team)."""
    result = compile_text(head + f"\nmetric m = {metric}\n")
    assert result.program is not None, [d.message for d in result.diagnostics]
    program = result.program
    plan = collect_aggregates(program)
    start, end = parse_period(period).bounds_utc("Europe/Moscow")
    values = run_aggregates(con, plan, start=start, end=end, timezone="Europe/Moscow", team=team,
                            tables_present={"deals", "activities", "leads"})
    key = plan.key_of(program.metrics["m"].expr)
    groups = ("north", "south", "east") if team else ("m1", "m2", "m3", "m9")
    return {g: values.of(g)[key] for g in groups}


# ---- count and the forms of a condition ----

def test_count_all_rows_in_period(con):
    assert compute(con, "count(deals)") == {"m1": 5, "m2": 1, "m3": 0, "m9": 0}


def test_period_boundary_in_the_plans_timezone(con):
    # d6 (23:30 Moscow, 31 July) counts; d7 (00:10 Moscow, 1 August) and d9 (30 June) do not.
    got = compute(con, 'sum(deals.amount where stage = "won")')
    assert got["m1"] == Decimal("550001.26")
    assert compute(con, 'sum(deals.amount where stage = "won")', period="2026-08")["m1"] == Decimal("700000.00")
    assert compute(con, 'sum(deals.amount where stage = "won")', period="2026-06")["m2"] == Decimal("999.00")


def test_rows_without_a_date_are_in_no_period(con):
    assert compute(con, 'count(deals where stage = "open")')["m1"] == 0


@pytest.mark.parametrize("cond,expected", [
    ('stage = "won"', 4),
    ('stage != "won"', 1),
    ("amount < 250000.25", 2),        # d3 80000, d6 1.01; d4 has no amount: not counted
    ("amount <= 250000.25", 3),
    ("amount > 250000.25", 1),
    ("amount >= 250000.25", 2),
    ('stage in ["won", "lost"]', 5),
    ('stage in ["open"]', 0),
    ("is_new_client", 2),             # d1, d4; d2 is empty, which is not true
    ("not is_new_client", 3),         # d2 (empty, so `is_new_client` is false), d3, d6
    ('stage = "won" and is_new_client', 2),
    ('stage = "lost" or is_new_client', 3),
    ("not (amount > 100)", 2),        # d4 (empty amount: the comparison is false) and d6
    ('not (stage = "won" or stage = "lost")', 0),
    ("created_at >= 2026-07-02", 4),  # midnight 2 July Moscow = 1 July 21:00 UTC; d1 is earlier
    ("closed_at - created_at > 8d", 3),  # d3, d4, d6
])
def test_conditions(con, cond, expected):
    assert compute(con, f"count(deals where {cond})")["m1"] == expected


def test_not_of_an_empty_bool_is_true(con):
    # d2's is_new_client is empty: `is_new_client` is false for it, so `not is_new_client` holds.
    assert compute(con, 'count(deals where not is_new_client and stage = "won")')["m1"] == 2


def test_duration_literals_are_seconds(con):
    assert compute(con, 'count(activities where type = "call" and duration >= 1m)') == {
        "m1": 1, "m2": 0, "m3": 1, "m9": 0}
    assert compute(con, "count(activities where duration < 31s)")["m1"] == 1
    assert compute(con, "count(activities where duration >= 1h)")["m1"] == 1


def test_empty_text_cell_compares_false_both_ways(con):
    assert compute(con, 'count(activities where status = "done")')["m1"] == 3
    assert compute(con, 'count(activities where status != "done")')["m1"] == 0


# ---- value aggregates ----

def test_sum_skips_empty_cells_and_is_zero_over_no_rows(con):
    got = compute(con, "sum(deals.amount)")
    assert got == {"m1": Decimal("630001.26"), "m2": Decimal("2.00"), "m3": 0, "m9": 0}


def test_sum_of_durations(con):
    assert compute(con, "sum(activities.duration)")["m1"] == 3690


def test_avg_is_exact_and_no_value_over_no_rows(con):
    got = compute(con, 'avg(deals.amount where stage = "won")')
    # (300000 + 250000.25 + 1.01) / 3, d4 has no amount and is skipped
    with localcontext(prec=34):  # the evaluator's documented precision
        assert got["m1"] == Decimal("550001.26") / 3
    assert got["m2"] == Decimal("2.00")
    assert got["m3"] is None and got["m9"] is None


def test_min_and_max(con):
    assert compute(con, "min(deals.amount)")["m1"] == Decimal("1.01")
    assert compute(con, "max(deals.amount)")["m1"] == Decimal("300000.00")
    assert compute(con, "min(deals.amount)")["m3"] is None
    assert compute(con, "max(deals.amount)")["m9"] is None


def test_median_is_the_exact_mean_of_the_two_middle_values(con):
    # m1's amounts in July: 1.01, 80000.00, 250000.25, 300000.00 → (80000 + 250000.25) / 2
    assert compute(con, "median(deals.amount)")["m1"] == Decimal("165000.125")
    assert compute(con, 'median(deals.amount where stage = "won")')["m1"] == Decimal("250000.25")
    assert compute(con, "median(deals.amount)")["m2"] == Decimal("2.00")
    assert compute(con, "median(deals.amount)")["m3"] is None


def test_median_of_two_keeps_the_half_cent(con):
    got = compute(con, 'median(deals.amount where amount < 100000 and amount > 1)')
    assert got["m1"] == Decimal("40000.505")


def test_count_distinct(con):
    assert compute(con, "count_distinct(deals.client_id)")["m1"] == 4  # c1, c2 (twice), c3, c5
    assert compute(con, 'count_distinct(deals.client_id where stage = "lost")')["m1"] == 1
    assert compute(con, "count_distinct(deals.client_id)")["m3"] == 0


def test_share(con):
    got = compute(con, 'share(deals where stage = "won")')
    assert got["m1"] == Decimal("0.8")  # 4 won of 5 closed in July
    assert got["m2"] == 1
    assert got["m3"] is None


def test_datetime_minus_datetime_is_exact_seconds(con):
    got = compute(con, "avg(leads.first_response_at - leads.created_at)")
    # l1 600.5 s, l2 7200 s, l3 has no response and is skipped
    assert got["m1"] == Decimal("3900.25")
    assert compute(con, "max(leads.first_response_at - leads.created_at)")["m2"] == 1


def test_response_time_condition(con):
    assert compute(con, "count(leads where first_response_at - created_at <= 15m)")["m1"] == 1
    assert compute(con, "count(leads where not (first_response_at - created_at <= 15m))")["m1"] == 2


def test_arithmetic_in_row_expressions(con):
    assert compute(con, "sum(deals.amount * 2 + 1)")["m1"] == Decimal("1260006.52")
    assert compute(con, "sum(deals.amount * 3%)")["m1"] == Decimal("18900.0378")
    assert compute(con, "sum(-deals.amount)")["m2"] == Decimal("-2.00")


def test_division_in_a_row_expression_is_exact(con):
    got = compute(con, "sum(deals.amount / 3)")
    with localcontext(prec=34):  # the evaluator's documented precision: each row's quotient…
        rows = [Decimal(v) / 3 for v in ("300000.00", "250000.25", "80000.00", "1.01")]
    with localcontext(prec=MAX_PREC):  # …added exactly, whatever the order of the rows…
        total = sum(rows, Decimal(0))
    with localcontext(prec=34):  # …and rounded once
        want = +total
    assert got["m1"] == want == Decimal("210000.42")
    assert got["m3"] == 0
    assert compute(con, "avg(deals.amount / 3)")["m3"] is None
    assert compute(con, 'median(deals.amount / 2 where stage = "won")')["m1"] == Decimal("125000.125")


# ---- team scope ----

def test_team_scope_groups_by_the_managers_team(con):
    got = compute(con, "count(deals)", team=True)
    assert got == {"north": 6, "south": 0, "east": 0}  # m1 5 + m2 1
    got = compute(con, "sum(activities.duration)", team=True)
    assert got["north"] == 3690 and got["south"] == 120


# ---- the SQL itself ----

def test_user_literals_are_bound_never_pasted():
    result = compile_text(PLAN_HEAD + '\nmetric m = count(deals where stage = "it\'s \\"won\\"" and amount > 12.5)\n')
    program = result.program
    plan = collect_aggregates(program)
    query = build_query("deals", plan.by_table["deals"], table_ref='"deals"', managers_ref='"managers"',
                        start=datetime(2026, 7, 1), end=datetime(2026, 8, 1), timezone="UTC", team=False)
    assert "won" not in query.sql and "12.5" not in query.sql
    assert 'it\'s "won"' in query.params.values()
    assert Decimal("12.5") in query.params.values()


def test_no_double_in_the_sql():
    result = compile_text(PLAN_HEAD + "\nmetric a = avg(deals.amount)\nmetric b = median(deals.amount)\n"
                          "metric c = share(deals where amount > 1)\n")
    plan = collect_aggregates(result.program)
    query = build_query("deals", plan.by_table["deals"], table_ref='"deals"', managers_ref='"managers"',
                        start=datetime(2026, 7, 1), end=datetime(2026, 8, 1), timezone="UTC", team=False)
    lowered = query.sql.lower()
    assert "double" not in lowered and "float" not in lowered and "avg(" not in lowered and "median(" not in lowered


def test_identical_aggregates_are_computed_once():
    result = compile_text(PLAN_HEAD + '\nmetric a = count(deals where stage = "won")\n'
                          'metric b = count(deals where stage = "won") * 2\n')
    plan = collect_aggregates(result.program)
    assert len(plan.aggregates) == 1


def test_one_query_per_table(con):
    result = compile_text(PLAN_HEAD + '\nmetric a = count(deals)\nmetric b = sum(deals.amount)\n'
                          'metric c = count(activities)\n')
    plan = collect_aggregates(result.program)
    assert sorted(plan.by_table) == ["activities", "deals"]
    assert len(plan.by_table["deals"]) == 2


def test_dialect_placeholders_are_named():
    assert DUCKDB.placeholder("p0") == "$p0"
    assert DUCKDB.ident('a"b') == '"a""b"'


def test_every_query_is_written_in_the_dialect_given(con):
    """Plain and row-by-row aggregates alike: a dialect that notes what it quotes sees every
    table and column the queries read."""
    from kpilang.evaluate.sql import Dialect

    class NotingDialect(Dialect):
        def __init__(self):
            self.quoted: set[str] = set()

        def ident(self, name: str) -> str:
            self.quoted.add(name)
            return super().ident(name)

    program = compile_text(PLAN_HEAD + "\nmetric won = count(deals where stage = \"won\")\n"
                           "metric halves = sum(deals.amount / 2)\n").program
    plan = collect_aggregates(program)
    start, end = parse_period("2026-07").bounds_utc("Europe/Moscow")
    dialect = NotingDialect()
    values = run_aggregates(con, plan, start=start, end=end, timezone="Europe/Moscow", team=False,
                            tables_present={"deals"}, dialect=dialect)
    # m1's July deals: d1, d2, d4, d6 won; halves of 300000 + 250000.25 + 80000 + 1.01
    assert values.of("m1")[plan.key_of(program.metrics["won"].expr)] == 4
    assert values.of("m1")[plan.key_of(program.metrics["halves"].expr)] == Decimal("315000.63")
    assert {"deals", "managers", "stage", "amount", "closed_at", "manager_id"} <= dialect.quoted


def test_aggregates_over_a_table_the_data_lacks_are_refused_by_name(con):
    program = compile_text(PLAN_HEAD + "\nmetric m = count(deals)\n").program
    start, end = parse_period("2026-07").bounds_utc("Europe/Moscow")
    with pytest.raises(LookupError, match="^the data has no table deals$"):
        run_aggregates(con, collect_aggregates(program), start=start, end=end, timezone="Europe/Moscow",
                       team=False, tables_present=set())
