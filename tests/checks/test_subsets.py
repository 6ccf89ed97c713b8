"""A ratio of counts is a share (at most 1) only when every row the numerator counts is counted
by the denominator too: the same table and a condition that requires the denominator's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kpilang.checks.subsets import highest_share
from kpilang.compile import compile_file

HEAD = """plan p "P" {
    role chat  period month  effective 2026-07-01
    currency RUB  strategy service  goal "g"
}
metric chats = count(activities where type = "chat")  kind activity
metric done = count(activities where type = "chat" and status = "done")  kind activity
metric done_any = count(activities where status = "done")  kind activity
metric all_rows = count(activities)  kind activity
metric either = count(activities where type = "chat" or status = "done")  kind activity
metric won = count(deals where stage = "won")  kind result
"""


@pytest.mark.parametrize(("formula", "bound"), [
    ("done / chats", Decimal(1)),
    ("done / chats otherwise 0", Decimal(1)),
    ("done / chats otherwise 2", Decimal(2)),
    ("chats / all_rows", Decimal(1)),
    ("chats / chats", Decimal(1)),
    ("chats / done", None),
    ("done_any / chats", None),
    ("either / chats", None),
    ("won / chats", None),
    ("done / chats otherwise done / all_rows", None),
    ("done - chats", None),
])
def test_only_a_count_of_a_subset_of_rows_over_its_whole_is_a_share(formula: str, bound, tmp_path: Path) -> None:
    plan = tmp_path / "p.kpi"
    plan.write_text(HEAD + f'kpi k "K" = {formula} target 1 weight 100% cap 150%\n', encoding="utf-8")
    program = compile_file(plan).program
    assert program is not None
    assert highest_share(program, program.kpis["k"].expr) == bound
