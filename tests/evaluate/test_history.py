"""Earlier periods: `previous(EXPR[, N])`, `retained(…)` and `churned(…)` on the demo data (July to
September 2026), checked against a plain reading of deals.csv; missing history and late hires are
errors for the person, never a zero; the earlier periods read are those the plan names, no more."""

from __future__ import annotations

import csv
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

import kpilang
from kpilang.compile import compile_text
from kpilang.evaluate.history import earlier_period
from kpilang.evaluate.period import parse_period

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
MOSCOW = ZoneInfo("Europe/Moscow")

PLAN = '''plan growth "Рост" {
    role      cold
    period    %s
    effective 2026-07-01
    timezone  "Europe/Moscow"
    currency  RUB
    strategy  growth
    goal      "Выручка: +20%% к прошлому периоду"
}
metric revenue "Выручка" = sum(deals.amount where stage = "won") kind result
metric won "Выигранные сделки" = count(deals where stage = "won") kind result
metric growth "Прирост выручки" = revenue - previous(revenue) kind result
metric kept "Вернувшиеся клиенты" = retained(deals.client_id where stage = "won") kind result
metric gone "Ушедшие клиенты" = churned(deals.client_id where stage = "won") kind result
kpi revenue_growth "Рост выручки" = revenue target previous(revenue) * 120%% weight 60%% cap 150%%
kpi wins "Сделки к позапрошлому периоду" = won target previous(won, 2) weight 40%% cap 150%%
pay total "Итого" = salary * kpi_score
'''


def _program(period: str = "month", text: str | None = None):
    result = compile_text(text or PLAN % period, "growth.kpi")
    assert result.program is not None, [str(d.message) for d in result.diagnostics]
    return result.program


def _won_deals() -> list[dict]:
    """Won deals as deals.csv holds them, each with its local month; rows the loader rejects
    (an amount that is no plain non-negative decimal) left out: their people get errors."""
    out = []
    with (DEMO / "deals.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["stage"] != "won" or not row["closed_at"]:
                continue
            try:
                amount = Decimal(row["amount"])
            except Exception:
                continue
            local = datetime.fromisoformat(row["closed_at"]).astimezone(MOSCOW)
            out.append({**row, "amount": amount, "month": f"{local.year:04d}-{local.month:02d}"})
    return out


def _plain(manager: str, month: str) -> tuple[Decimal, int, set[str]]:
    rows = [r for r in _won_deals() if r["manager_id"] == manager and r["month"] == month]
    return sum((r["amount"] for r in rows), Decimal(0)), len(rows), {r["client_id"] for r in rows if r["client_id"]}


def test_previous_periods_and_retention_agree_with_a_plain_reading_of_the_demo_deals():
    report = kpilang.evaluate(_program(), DEMO, "2026-09")
    checked = 0
    for person in report.results:
        if not person.ok:
            continue
        now, won_now, clients_now = _plain(person.manager_id, "2026-09")
        before, _, clients_before = _plain(person.manager_id, "2026-08")
        _, won_two_back, _ = _plain(person.manager_id, "2026-07")
        assert person.metrics["revenue"] == now
        assert person.metrics["growth"] == now - before
        assert person.metrics["kept"] == len(clients_now & clients_before)
        assert person.metrics["gone"] == len(clients_before - clients_now)
        kpi = person.outcome.kpis["revenue_growth"]
        assert kpi.target == before * Decimal("1.2")
        assert person.outcome.kpis["wins"].target == won_two_back
        assert person.history.labels == {1: "2026-08", 2: "2026-07"}
        assert person.history.metrics[1]["revenue"] == before
        assert person.history.metrics[2]["won"] == won_two_back
        checked += 1
    assert checked >= 3


def test_growth_of_a_known_manager_is_exact():
    report = kpilang.evaluate(_program(), DEMO, "2026-09")
    anna = next(r for r in report.results if r.manager_id == "m0001")
    # deals.csv: 2,274,000.00 won in September, 2,140,500.00 in August, 9 deals in July's won column
    assert anna.metrics["growth"] == Decimal("133500.00")
    assert anna.outcome.kpis["revenue_growth"].target == Decimal("2568600.0000")
    assert anna.metrics["gone"] == 9 and anna.metrics["kept"] == 0


def test_missing_history_is_an_error_for_every_person_never_a_zero():
    report = kpilang.evaluate(_program(), DEMO, "2026-07")
    assert report.results and all(not r.ok for r in report.results)
    anna = next(r for r in report.results if r.manager_id == "m0001")
    assert anna.outcome is None and all(v is None for v in anna.metrics.values())
    codes = {e.code for e in anna.errors}
    assert codes == {"no_history"}
    messages = [e.message.render("en") for e in anna.errors]
    assert any(m.startswith("no data for 2026-06: deals has no record dated in 2026-06") for m in messages)
    assert any("нет данных за 2026-06" in e.message.render("ru") for e in anna.errors)


def test_two_periods_back_needs_that_period_too():
    report = kpilang.evaluate(_program(), DEMO, "2026-08")  # previous(won, 2) reads June
    anna = next(r for r in report.results if r.manager_id == "m0001")
    assert [e.message.render("en").split(":")[0] for e in anna.errors] == ["no data for 2026-06"]
    # The error points at the look-back that needs June, `previous(won, 2)`, found here in the text.
    [error] = anna.errors
    written = "previous(won, 2)"
    [(number, line)] = [(n, line) for n, line in enumerate(PLAN.splitlines(), start=1) if written in line]
    column = line.index(written) + 1
    assert (error.file, error.line, error.column, error.end_line, error.end_column) == (
        "growth.kpi", number, column, number, column + len(written))
    assert error.formula == written and error.subject == "history" and error.cause == "missing_history"
    assert error.message.render("en") == ("no data for 2026-06: deals has no record dated in 2026-06, "
                                          "and previous(won, 2) compares with that period")
    assert error.help.render("en") == ("add the records of 2026-06 to the data (pull or export that period too), "
                                       "or evaluate a period whose earlier period the data covers")


def _demo_with(tmp_path, manager: str, hired_at: str) -> Path:
    data = tmp_path / "demo"
    shutil.copytree(DEMO, data)
    managers = data / "managers.csv"
    lines = managers.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith(manager + ","):
            cells = line.split(",")
            cells[5] = hired_at
            line = ",".join(cells)
        out.append(line)
    managers.write_text("\n".join(out) + "\n", encoding="utf-8")
    return data


@pytest.mark.parametrize(("hired_at", "compared"), [("2026-07-01", True), ("2026-07-02", False), ("2026-06-30", True)])
def test_a_person_hired_after_the_earliest_period_began_gets_an_error(tmp_path, hired_at, compared):
    """September looks back to July (`previous(won, 2)`): hired on 1 July, July is whole; a day
    later it is not, and the person's figures are refused with the date."""
    report = kpilang.evaluate(_program(), _demo_with(tmp_path, "m0001", hired_at), "2026-09")
    anna = next(r for r in report.results if r.manager_id == "m0001")
    if compared:
        assert anna.ok
        return
    assert [e.code for e in anna.errors] == ["hired_after_lookback"]
    assert anna.errors[0].message.render("en").startswith(f"hired on {hired_at}, after 2026-07 began")
    assert anna.outcome is None


def test_a_rejected_row_of_the_earlier_period_withholds_the_figures_of_a_plan_that_looks_back():
    # deals.csv row 21 (m0011, closed in July) has a negative amount
    looking_back = kpilang.evaluate(_program(), DEMO, "2026-08")
    plain = kpilang.evaluate(kpilang.load(Path(__file__).resolve().parents[2] / "rules" / "cold_sales.kpi").program,
                             DEMO, "2026-08")
    assert [e.code for e in next(r for r in looking_back.results if r.manager_id == "m0011").errors] == ["rejected_data"]
    assert all(e.code != "rejected_data" for r in plain.results if r.manager_id == "m0011" for e in r.errors)


def test_only_the_periods_named_are_read(tmp_path):
    """September with `previous(won, 2)` and `previous(revenue)` reads July and August; a plan with
    `previous(revenue)` alone reads August but not July, so July's rejected row touches nobody."""
    only_last = PLAN.replace("target previous(won, 2)", "target 5")
    report = kpilang.evaluate(_program(text=only_last % "month"), DEMO, "2026-09")
    m0011 = next(r for r in report.results if r.manager_id == "m0011")
    assert m0011.ok, m0011.errors
    assert m0011.history.labels == {1: "2026-08"}
    both = kpilang.evaluate(_program(), DEMO, "2026-09")
    assert [e.code for e in next(r for r in both.results if r.manager_id == "m0011").errors] == ["rejected_data"]


def test_a_quarterly_plan_looks_back_by_quarters():
    report = kpilang.evaluate(_program("quarter"), DEMO, "2026-Q3")
    anna = next(r for r in report.results if r.manager_id == "m0001")
    assert {e.message.render("en").split(":")[0] for e in anna.errors} == {"no data for 2026-Q2", "no data for 2026-Q1"}


SIGNED_ON = """id,manager_id,client_id,created_at,closed_at,stage,amount,is_new_client,signed_on
d1,m1,c1,2026-07-01T10:00:00+03:00,2026-07-05T10:00:00+03:00,won,1.00,true,2026-07-01
d2,m1,c2,2026-07-01T10:00:00+03:00,2026-07-05T10:00:00+03:00,won,3.00,true,2026-07-02
d3,m1,c2,2026-08-01T10:00:00+03:00,2026-08-05T10:00:00+03:00,won,5.00,false,2026-07-02
d4,m1,c3,2026-08-01T10:00:00+03:00,2026-08-05T10:00:00+03:00,won,7.00,true,2026-08-02
d5,m1,c4,2026-07-01T10:00:00+03:00,2026-07-05T02:00:00+03:00,won,11.00,true,
d6,m1,c2,2026-09-01T10:00:00+03:00,2026-09-05T10:00:00+03:00,won,13.00,false,2026-07-02
"""
"""Deals with an extra column of dates, `signed_on`, from July to September: the column's kind (a
date) is known only from the data. d5 closed at 2:00 on 5 July in Moscow, 23:00 UTC on 4 July."""


def _signed_on_plan(metrics: str) -> str:
    """A plan of test_run.py's head with these metrics, a KPI of `on_the_day` and a pay."""
    from tests.evaluate.test_run import HEAD

    return HEAD + metrics + """kpi k = on_the_day
    target 1
    weight 100%
pay total = salary * kpi_score
"""


def _signed_on_person(tmp_path, period: str, metrics: str):
    """m1 evaluated for `period` on SIGNED_ON under `_signed_on_plan(metrics)`, without errors."""
    from tests.evaluate.test_run import make, person

    program, data = make(tmp_path, _signed_on_plan(metrics), deals=SIGNED_ON)
    m1 = person(kpilang.evaluate(program, data, period), "m1")
    assert m1.ok, m1.errors
    return m1


def test_an_earlier_period_reads_an_extra_date_column_as_dates(tmp_path):
    """July read for August: `signed_on = 2026-07-02` is that day (d2 in July; d3 in August, the same
    client), not midnight in Moscow (21:00 UTC on 1 July, which no date equals). By hand: July's count
    is 1 (d2), its half amount 3.00 / 2 = 1.5 (row by row), and client c2 was won so in both months."""
    m1 = _signed_on_person(tmp_path, "2026-08", """
metric on_the_day = count(deals where deals.signed_on = 2026-07-02)
metric half = sum(deals.amount / 2 where deals.signed_on = 2026-07-02)
metric count_before = previous(on_the_day)
metric half_before = previous(half)
metric kept = retained(deals.client_id where deals.signed_on = 2026-07-02)
metric late = count(deals where deals.closed_at >= 2026-07-05)
metric late_before = previous(late)
metric late_gone = churned(deals.client_id where deals.closed_at >= 2026-07-05)
""")
    assert (m1.metrics["on_the_day"], m1.metrics["half"]) == (1, Decimal("2.5"))
    assert (m1.metrics["count_before"], m1.metrics["half_before"]) == (1, Decimal("1.5"))
    assert m1.metrics["kept"] == 1
    # July's deals closed from midnight of 5 July in Moscow: d1, d2 and d5 (before midnight UTC).
    assert (m1.metrics["late"], m1.metrics["late_before"]) == (2, 3)
    # Their clients: c1, c2 and c4 in July, c2 and c3 in August; c1 and c4 are gone.
    assert m1.metrics["late_gone"] == 2


def test_a_look_back_two_periods_beside_a_retention_one_period_back(tmp_path):
    """September: `retained` reads August, `previous(…, 2)` reads July, and no figure reads
    August's metrics. By hand: July has one deal signed on 2 July (d2); client c2 was won in
    August (d3) and September (d6) under that condition."""
    m1 = _signed_on_person(tmp_path, "2026-09", """
metric on_the_day = count(deals where deals.signed_on = 2026-07-02)
metric two_back = previous(on_the_day, 2)
metric kept = retained(deals.client_id where deals.signed_on = 2026-07-02)
metric any_kept = retained(deals.client_id)
metric any_gone = churned(deals.client_id)
""")
    assert (m1.metrics["on_the_day"], m1.metrics["two_back"], m1.metrics["kept"]) == (1, 1, 1)
    # Without a condition: August's clients c2 and c3, September's c2.
    assert (m1.metrics["any_kept"], m1.metrics["any_gone"]) == (1, 1)
    assert m1.history.labels == {1: "2026-08", 2: "2026-07"}


@pytest.mark.parametrize(("period", "back", "expected", "first", "end"), [
    ("2026-08", 1, "2026-07", date(2026, 7, 1), date(2026, 8, 1)),
    ("2026-01", 1, "2025-12", date(2025, 12, 1), date(2026, 1, 1)),
    ("2026-08", 12, "2025-08", date(2025, 8, 1), date(2025, 9, 1)),
    ("2026-03", 14, "2025-01", date(2025, 1, 1), date(2025, 2, 1)),
    ("2026-Q1", 1, "2025-Q4", date(2025, 10, 1), date(2026, 1, 1)),
    ("2026-Q3", 4, "2025-Q3", date(2025, 7, 1), date(2025, 10, 1)),
    ("2026-W01", 1, "2025-W52", date(2025, 12, 22), date(2025, 12, 29)),
    ("2021-W01", 1, "2020-W53", date(2020, 12, 28), date(2021, 1, 4)),
])
def test_earlier_period_counts_back_across_years(period, back, expected, first, end):
    earlier = earlier_period(parse_period(period), back)
    assert (earlier.label, earlier.first_day, earlier.end_day) == (expected, first, end)
    assert parse_period(earlier.label) == earlier


def test_the_account_managers_template_retains_and_grows_on_the_demo_data():
    """rules/account_managers.kpi for August: Лариса Иванова (m0009) won 8 clients in July and 6
    in August, 4 of them again (3,000 each); the growth target is July's revenue + 10%."""
    program = kpilang.load(Path(__file__).resolve().parents[2] / "rules" / "account_managers.kpi").program
    report = kpilang.evaluate(program, DEMO, "2026-08")
    larisa = next(r for r in report.results if r.manager_id == "m0009")
    assert larisa.ok, larisa.errors
    now, _, clients_now = _plain("m0009", "2026-08")
    before, _, clients_before = _plain("m0009", "2026-07")
    assert len(clients_before) == 8 and len(clients_now & clients_before) == 4
    assert larisa.metrics["clients_kept"] == 4
    assert larisa.outcome.pays["retention_bonus"].value == Decimal("12000.00")  # 4 × 3,000
    growth = larisa.outcome.kpis["revenue_growth"]
    assert growth.target == max(before * Decimal("1.1"), Decimal(100_000))
    assert growth.value == now


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["month", "quarter", "week"]), st.integers(min_value=2000, max_value=2100),
       st.integers(min_value=1, max_value=52), st.integers(min_value=1, max_value=60),
       st.integers(min_value=1, max_value=60))
def test_earlier_periods_are_contiguous_and_add_up(kind, year, index, a, b):
    label = {"month": f"{year}-{(index - 1) % 12 + 1:02d}", "quarter": f"{year}-Q{(index - 1) % 4 + 1}",
             "week": f"{year}-W{index:02d}"}[kind]
    period = parse_period(label)
    one = earlier_period(period, 1)
    assert one.kind == period.kind and one.end_day == period.first_day
    assert earlier_period(period, a + b) == earlier_period(earlier_period(period, a), b)


class ExactParameters:
    """A connection that runs each query only if the names of its `$name` parameters and of the
    values bound are the same, letter for letter: DuckDB matches them ignoring case, the other
    engines (kpilang.warehouse writes the values in by exact name) do not."""

    def __init__(self, connection):
        self.connection = connection
        self.queries = 0

    def execute(self, sql, params=None):
        import re

        named = set(re.findall(r"\$([A-Za-z_]\w*)", sql))
        assert named == set(params or {}), (sql, sorted(params or {}))
        self.queries += 1
        return self.connection.execute(sql, params) if params is not None else self.connection.execute(sql)

    def __getattr__(self, name):
        return getattr(self.connection, name)


def test_every_query_of_a_plan_that_looks_back_names_its_parameters_exactly(tmp_path):
    from kpilang.data import load_data
    from kpilang.evaluate.run import data_needs
    from tests.evaluate.test_run import make, person

    program, data = make(tmp_path, _signed_on_plan("""
metric on_the_day = count(deals where deals.signed_on = 2026-07-02)
metric two_back = previous(on_the_day, 2)
metric kept = retained(deals.client_id where deals.signed_on = 2026-07-02)
"""), deals=SIGNED_ON)
    with load_data(data, timezone="Europe/Moscow", needs=data_needs(program)) as dataset:
        exact = ExactParameters(dataset.connection)
        dataset.connection = exact
        m1 = person(kpilang.evaluate(program, dataset, "2026-09"), "m1")
    assert m1.ok and (m1.metrics["two_back"], m1.metrics["kept"]) == (1, 1)
    assert exact.queries > 0


def test_a_plan_that_only_retains_points_its_missing_history_at_the_retained_call():
    # June is not in the demo data: the error is every person's, and it points at the one
    # look-back that needs June, the `retained(…)` call (its place found in the plan's text).
    text = PLAN.replace("metric growth \"Прирост выручки\" = revenue - previous(revenue) kind result\n", "") \
        .replace("metric gone \"Ушедшие клиенты\" = churned(deals.client_id where stage = \"won\") kind result\n", "") \
        .replace("target previous(revenue) * 120%%", "target 1000").replace("target previous(won, 2)", "target 5")
    report = kpilang.evaluate(_program(text=text % "month"), DEMO, "2026-07")
    anna = next(r for r in report.results if r.manager_id == "m0001")
    [error] = anna.errors
    call = 'retained(deals.client_id where stage = "won")'
    line = next(n for n, row in enumerate((text % "month").splitlines(), start=1) if call in row)
    column = (text % "month").splitlines()[line - 1].index(call) + 1
    assert (error.code, error.formula) == ("no_history", call)
    assert (error.line, error.column, error.end_column) == (line, column, column + len(call))


def test_a_look_back_of_an_expression_reads_its_metrics_tables_in_the_earlier_period():
    text = PLAN.replace("revenue - previous(revenue) kind result", "previous(revenue * 2) kind result") \
        .replace("target previous(won, 2)", "target 5")
    report = kpilang.evaluate(_program(text=text % "month"), DEMO, "2026-08")
    anna = next(r for r in report.results if r.manager_id == "m0001")
    july, _, _ = _plain("m0001", "2026-07")
    assert anna.metrics["growth"] == 2 * july
