"""The cadence rules for one change after the plan's introduction, over many dates (Hypothesis),
against the rules as the issue states them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.change.cadence.model import Version
from kpilang.change.cadence.rules import judge as _judge, next_quarter_start as _next_quarter_start
from kpilang.change.fingerprint import fingerprint
from kpilang.change.git import Commit
from kpilang.compile import compile_text

from .plans import BASE, with_effective

INTRODUCED = date(2026, 7, 1)
BASE_PROGRAM = compile_text(BASE, "plan.kpi").program


def commit_on(day: date) -> Commit:
    # noon UTC is the same day in Moscow, the plan's time zone
    return Commit(sha="f" * 40, committed=datetime.combine(day, time(12), timezone.utc), author="a", subject="s",
                  overrides=())


def quarter_starts():
    return st.integers(2026 * 4, 2028 * 4 + 3).map(lambda q: date(q // 4, q % 4 * 3 + 1, 1))


@settings(max_examples=60, deadline=None)
@given(day=st.dates(date(2026, 7, 1), date(2028, 6, 30)),
       effective=st.one_of(quarter_starts(), st.dates(date(2026, 1, 1), date(2028, 12, 31))))
def test_one_change_after_the_introduction(day, effective):
    program = compile_text(with_effective(BASE, effective.isoformat()).replace("target 4", "target 5"), "plan.kpi").program
    versions = [Version(INTRODUCED, None)]
    entry = _judge(commit_on(day), "plan.kpi", program, (BASE_PROGRAM, fingerprint(BASE_PROGRAM)), versions)

    expected = set()
    if not (effective.day == 1 and effective.month in (1, 4, 7, 10)):
        expected.add("effective-not-quarter-start")
    if effective == INTRODUCED:
        expected.add("changes-plan-in-force")
    elif effective <= day:
        expected.add("retroactive")
    elif effective < _next_quarter_start(day):
        expected.add("too-soon")
    assert {v.rule for v in entry.violations} == expected
    assert entry.kind == ("change to the plan in force" if effective == INTRODUCED else "new version")


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_next_quarter_start(day):
    start = _next_quarter_start(day)
    assert start.day == 1 and start.month in (1, 4, 7, 10)
    assert day < start <= day + timedelta(days=92)
    assert (start.month - 1) // 3 != (day.month - 1) // 3 or start.year != day.year
