"""Money is exact: stored as DECIMAL(38, s) from its text, never through a float, and anything
that is not a plain decimal is rejected with a reason rather than guessed."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpilang.data import load_data

from .conftest import assert_accounted, write

HEADER = ["id", "manager_id", "created_at", "stage", "amount"]


def deals_csv(amounts: list[str]) -> str:
    out = io.StringIO()
    # Quoting every field keeps a carriage return inside a value (csv.writer leaves it bare).
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(HEADER)
    for i, amount in enumerate(amounts):
        writer.writerow([f"d{i}", "m1", "2026-07-01", "won", amount])
    return out.getvalue()


def test_the_scale_is_the_most_fraction_digits_present(load):
    data = load({"deals.csv": deals_csv(["1150000.50", "3", "0.125"])})
    assert data.problems == []
    kind = data.connection.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'deals' AND column_name = 'amount'"
    ).fetchone()[0]
    assert kind == "DECIMAL(38,3)"
    total = data.connection.execute("SELECT sum(amount) FROM deals").fetchone()[0]
    assert total == Decimal("1150003.625")


def test_money_has_at_least_two_decimal_places(load):
    data = load({"deals.csv": deals_csv(["1150000", "3"])})
    total = data.connection.execute("SELECT sum(amount) FROM deals").fetchone()[0]
    assert str(total) == "1150003.00"


def test_eighteen_fraction_digits_are_kept_exactly(load):
    data = load({"deals.csv": deals_csv(["0.100000000000000001", "12345678901234567890.5"])})
    assert data.problems == []
    values = sorted(v for (v,) in data.connection.execute("SELECT amount FROM deals").fetchall())
    assert values == [Decimal("0.100000000000000001"), Decimal("12345678901234567890.5")]


def test_a_value_too_large_for_the_column_is_rejected(load):
    data = load({"deals.csv": deals_csv(["9" * 37, "0.5"])})
    [problem] = data.problems
    assert (problem.row, problem.column) == (2, "amount")
    assert str(problem.reason) == "too large: amount holds at most 36 digits before the decimal point"


def test_salary_is_money_and_cannot_be_negative(load):
    data = load({"managers.csv": "id,name,role,team,salary\nm1,A,cold,n,-1\nm2,B,cold,n,1.5\n"})
    [problem] = data.problems
    assert (problem.row, problem.column, problem.manager_ids) == (2, "salary", ["m1"])
    assert data.connection.execute("SELECT salary FROM managers").fetchall() == [(Decimal("1.50"),)]


PLAIN = re.compile(r"-?[0-9]+(\.[0-9]{1,18})?")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(
    st.one_of(
        st.text(max_size=12),
        st.text(alphabet="0123456789.,- $₽\u00a0eE+", max_size=12),
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    ),
    min_size=1, max_size=30,
))
def test_any_text_in_a_money_cell_is_an_exact_decimal_or_a_reported_problem(tmp_path_factory, amounts):
    directory = write(tmp_path_factory.mktemp("money"), {"deals.csv": deals_csv(amounts)})
    with load_data(directory, timezone="UTC") as data:
        assert_accounted(data)
        stored = dict(data.connection.execute("SELECT id, amount FROM deals").fetchall())
        rejected = {p.value for p in data.problems if p.column == "amount"}
        plain = [t for t in amounts if PLAIN.fullmatch(t)]
        scale = max([2] + [len(t.partition(".")[2]) for t in plain])
        for i, text in enumerate(amounts):
            if text == "":
                assert f"d{i}" in stored and stored[f"d{i}"] is None
            elif PLAIN.fullmatch(text) and 0 <= Decimal(text) < Decimal(10) ** (38 - scale):
                assert stored[f"d{i}"] == Decimal(text), text
            elif f"d{i}" not in stored:
                assert text[:79] in {v[:79] for v in rejected if v is not None}, (text, data.problems)
            else:
                # Accepted although not plain: impossible by construction.
                raise AssertionError(f"{text!r} was accepted as {stored[f'd{i}']!r}")
