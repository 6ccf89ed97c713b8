"""Property: whatever mix of good and bad cells a file has, the rows kpilang rejects, and the
(row, column) of every problem, are exactly those a plain Python reading of data.md's rules
gives; the clean table holds the other rows. The values come from small sets whose verdict is
known, so the oracle stays obvious."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytest

from kpilang.data import DataError, load_data
from kpilang.data.attribution import UNKNOWN_ROWS_MIN

from .conftest import write

KNOWN_PEOPLE = {"m1", "m2"}
GOOD_TIMES = ("2026-07-01T10:00:00+03:00", "2026-07-01", "2026-07-31 23:30")
BAD_TIMES = ("01.07.2026", " 2026-07-01", "2026-07-01T24:00:00")
GOOD_DURATIONS = ("60", "0", "15.0", "")
BAD_DURATIONS = ("-5", "1.5", "1:30", "60 ")

rows = st.lists(
    st.tuples(
        st.sampled_from(["a1", "a2", "a3", ""]),
        st.sampled_from(["m1", "m2", "m9", ""]),
        st.sampled_from(["call", ""]),
        st.sampled_from(GOOD_TIMES + BAD_TIMES + ("",)),
        st.sampled_from(GOOD_DURATIONS + BAD_DURATIONS),
    ),
    min_size=1,
    max_size=12,
)


def expected_problems(body: list[tuple[str, str, str, str, str]]) -> set[tuple[int, str]]:
    problems = set()
    seen_ids: set[str] = set()
    for line, (id_, manager, type_, started, duration) in enumerate(body, start=2):
        for column, value in (("id", id_), ("manager_id", manager), ("type", type_),
                              ("started_at", started)):
            if value == "":
                problems.add((line, column))
        if started in BAD_TIMES:
            problems.add((line, "started_at"))
        if duration in BAD_DURATIONS:
            problems.add((line, "duration"))
        if id_ and id_ in seen_ids:
            problems.add((line, "id"))
        seen_ids.add(id_)
        if manager and manager not in KNOWN_PEOPLE:
            problems.add((line, "manager_id"))
    return problems


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=rows)
def test_rejected_rows_and_problems_match_the_rules(tmp_path_factory, body):
    text = "id,manager_id,type,started_at,duration\n" + "".join(
        ",".join(f'"{v}"' if v.strip() != v else v for v in row) + "\n" for row in body
    )
    directory = write(tmp_path_factory.mktemp("data"), {"activities.csv": text})
    unknown = sum(1 for row in body if row[1] == "m9")
    if unknown >= UNKNOWN_ROWS_MIN and 2 * unknown > sum(1 for row in body if row[1]):
        # Most rows name nobody in managers: the table is refused as a whole.
        with pytest.raises(DataError):
            load_data(directory, timezone="Europe/Moscow")
        return
    with load_data(directory, timezone="Europe/Moscow") as data:
        want = expected_problems(body)
        got = {(p.row, p.column) for p in data.problems if p.table == "activities"}
        assert got == want
        bad_lines = {line for line, _ in want}
        info = data.tables["activities"]
        assert info.rows_read == len(body)
        assert info.rows_rejected == len(bad_lines)
        assert info.rows_used == len(body) - len(bad_lines)
        kept = data.connection.execute("SELECT count(*) FROM activities").fetchone()[0]
        assert kept == info.rows_used
