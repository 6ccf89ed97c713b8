"""The sample data of `kpilang init`: a slice of the demo dataset that loses nothing of the people
it keeps, and a cleaning step that removes exactly the rows the data loader rejects."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.workspace.templates import DATA_TABLES, demo_data_dir, demo_slice, without_rejected_rows

ROLES = ("base", "cold", "inbound", "account", "chat", "head")
DEMO = {t: (demo_data_dir() / f"{t}.csv").read_bytes() for t in DATA_TABLES}


def _records(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


PEOPLE = _records(DEMO["managers"])
DEMO_ROWS = {t: list(zip(DEMO[t].splitlines(keepends=True)[1:], _records(DEMO[t]))) for t in DATA_TABLES}
"""Each table's lines (after the header) with the record each holds."""


@settings(max_examples=15, deadline=None)
@given(roles=st.sets(st.sampled_from(ROLES)), team_scope=st.booleans())
def test_slice_keeps_every_row_of_its_people_and_nothing_else(roles, team_scope):
    chosen = {p["id"] for p in PEOPLE if p["role"] in roles}
    if team_scope:
        teams = {p["team"] for p in PEOPLE if p["id"] in chosen}
        chosen = {p["id"] for p in PEOPLE if p["team"] in teams}
    sliced = demo_slice(tuple(sorted(roles)), team_scope=team_scope)
    assert set(sliced.people) == chosen
    for table in DATA_TABLES:
        demo_lines = DEMO[table].splitlines(keepends=True)
        lines = sliced.files[table].splitlines(keepends=True)
        assert lines[0] == demo_lines[0]
        key = "id" if table == "managers" else "manager_id"
        wanted = [line for line, row in DEMO_ROWS[table] if row[key] in chosen]
        assert lines[1:] == wanted


def test_slices_of_all_roles_cover_the_demo_except_unknown_people():
    known = {p["id"] for p in PEOPLE}
    slices = [demo_slice((role,)) for role in ROLES]
    for table in DATA_TABLES[1:]:
        kept = sum(len(one.files[table].splitlines()) - 1 for one in slices)
        assert kept == sum(row["manager_id"] in known for _, row in DEMO_ROWS[table])


def test_cleaning_removes_only_rejected_rows_and_is_final():
    cleaned, left_out = without_rejected_rows(DEMO, "Europe/Moscow")
    removed = {t: len(DEMO[t].splitlines()) - len(cleaned[t].splitlines()) for t in DATA_TABLES}
    assert sum(removed.values()) == len(left_out) > 0
    assert {row.table for row in left_out} == {t for t, n in removed.items() if n}
    for row in left_out:
        assert row.reason and row.row_id
    again, nothing = without_rejected_rows(cleaned, "Europe/Moscow")
    assert nothing == () and again == cleaned
