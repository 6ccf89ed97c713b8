"""Look-alike names: a name mixing alphabets (KPL023) and two names that look the same (KPL024,
Unicode TR39 skeletons). A wholly Russian or wholly English name is normal and never warned of."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.checks.lookalikes import scripts, skeleton
from kpilang.lint import lint_file
from kpilang.lint.config import LintConfig

LATIN_TO_CYRILLIC = str.maketrans("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ")
"""Latin letters and their Cyrillic twins, the look-alikes of a keyboard switched mid-word."""

PLAN = '''plan p "P" {{
    role cold  period month  effective 2026-07-01
    currency RUB  strategy growth  goal "g"
}}
metric {first} "Первая" = count(activities where type = "call")  kind activity
metric {second} "Вторая" = count(activities where type = "meeting")  kind activity
pay bonus "Премия" = salary * 1%
'''


def _codes(first: str, second: str) -> list[tuple[str, int]]:
    result = lint_file("plan.kpi", config=LintConfig(), text=PLAN.format(first=first, second=second))
    assert not [d for d in result.diagnostics if d.code.startswith("E")], result.diagnostics
    return [(d.code, d.span.line) for d in result.diagnostics if d.code in ("KPL023", "KPL024")]


@pytest.mark.parametrize(("first", "second"), [("calls", "сalls"), ("сумма", "cумма"), ("bonus_l", "bonus_1"),
                                               ("count_O", "count_0")])
def test_two_names_that_look_the_same_are_warned_of_at_the_second(first, second):
    assert ("KPL024", 6) in _codes(first, second)


@pytest.mark.parametrize(("first", "second"), [("calls", "звонки"), ("сумма", "summa"), ("calls", "calls_done"),
                                               ("modern", "rnodern")])
def test_names_that_differ_visibly_are_not(first, second):
    assert _codes(first, second) == []


def test_a_mixed_name_is_warned_of_even_alone():
    assert _codes("calls", "cумма") == [("KPL023", 6)]


@settings(deadline=None)  # each example compiles or loads Unicode tables: a busy machine is no failure
@given(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True))
def test_a_name_typed_on_the_other_layout_has_the_same_skeleton(name):
    assert skeleton(name.translate(LATIN_TO_CYRILLIC)) == skeleton(name)


@settings(deadline=None)  # each example compiles or loads Unicode tables: a busy machine is no failure
@given(st.from_regex(r"[а-яё][а-яё0-9_]{0,10}", fullmatch=True))
def test_a_wholly_russian_name_is_one_alphabet(name):
    assert list(scripts(name)) == ["CYRILLIC"]


def test_the_letters_of_each_alphabet_are_named():
    assert scripts("cумма_2") == {"LATIN": "c", "CYRILLIC": "умма"}
