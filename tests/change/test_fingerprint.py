"""The meaning fingerprint: blind to layout, comments, labels, order and number spelling; it
moves with any change in what the plan computes."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.change import fingerprint
from kpilang.compile import compile_text

from .plans import BASE, declarations, join


def fp(text: str) -> str:
    result = compile_text(text, "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    return fingerprint(result.program)


BASE_FP = fp(BASE)


def test_is_sha256_hex():
    assert re.fullmatch(r"[0-9a-f]{64}", BASE_FP)


def test_comments_and_blank_lines_do_not_count():
    text = "# a new header comment\n\n" + BASE.replace("weight 50%", "weight 50%   # half of the score\n\n")
    assert fp(text) == BASE_FP


def test_labels_and_goal_do_not_count():
    text = BASE.replace('"Премия"', '"Квартальная премия"').replace(
        'goal      "Новые клиенты: +20% к прошлому кварталу"', 'goal "Больше новых клиентов"')
    assert fp(text) == BASE_FP


def test_number_spelling_does_not_count():
    text = (BASE.replace("targets.revenue = 1000000", "targets.revenue = 1_000_000")
            .replace("target 8%", "target 0.080")
            .replace("2% * revenue", "0.02 * revenue")
            .replace("duration >= 1m", "duration >= 60s")
            .replace("70% to 90%   : 0.5", "0.7 to 0.9 : 0.50"))
    assert fp(text) == BASE_FP


def test_a_duration_is_its_seconds_but_not_a_bare_number():
    assert fp(BASE.replace("duration >= 1m", "duration >= 60s")) == BASE_FP
    assert fp(BASE.replace("duration >= 1m", "duration >= 2m")) != BASE_FP
    # `60` computes as `1m` does, but the fingerprint is recorded in payrolls and statements:
    # it stays as defined (version 1) rather than follow every equivalence
    assert fp(BASE.replace("duration >= 1m", "duration >= 60")) != BASE_FP


def test_tests_do_not_count():
    text = BASE.replace("expect kpi_score = 30%, bonus = 0, total = 60000",
                        "expect kpi_score = 30%, bonus = 0")
    assert fp(text) == BASE_FP


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(len(declarations(BASE)))), st.sampled_from([" ", "  ", "\t"]),
       st.sampled_from(["\n", "\n\n", "\n# --\n"]))
def test_order_and_layout_do_not_count(order, indent, gap):
    decls = declarations(BASE)
    shuffled = [decls[i] for i in order]
    relaid = [re.sub(r"\n[ \t]+", "\n" + indent, d) for d in shuffled]
    assert fp(join(relaid, gap)) == BASE_FP


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=60).filter(lambda w: w != 50))
def test_any_weight_change_counts(new_weight):
    # weights must add up to 100%: move the difference to another KPI
    text = (BASE.replace("weight 50%", f"weight {new_weight}%")
                .replace("weight 30%", f"weight {80 - new_weight}%"))
    assert fp(text) != BASE_FP


def test_meaning_changes_count():
    for old, new in [
        ("target 4", "target 5"),
        ("cap    150%\n}".replace("}", ""), "cap    140%\n"),
        ("from 120%    : 1.5", "from 120%    : 1.6"),
        ("2% * revenue", "3% * revenue"),
        ("effective 2026-07-01", "effective 2026-10-01"),
        ("role      cold", "role      cold, inbound"),
        ('stage = "won")\n    kind result\n\nmetric revenue', 'stage = "lost")\n    kind result\n\nmetric revenue'),
    ]:
        assert old in BASE, old
        assert fp(BASE.replace(old, new, 1)) != BASE_FP, (old, new)


def test_role_order_does_not_count():
    two = BASE.replace("role      cold", "role cold, inbound")
    assert fp(two) == fp(BASE.replace("role      cold", "role inbound, cold"))


@settings(max_examples=20, deadline=None)
@given(st.permutations(range(len(declarations(BASE)))))
def test_the_formatter_keeps_the_fingerprint(order):
    """`kpilang fmt` promises to change layout only: the fingerprint is the judge."""
    from kpilang.syntax.formatter import format_source

    decls = declarations(BASE)
    text = join([decls[i] for i in order])
    formatted, diagnostics = format_source(text, "plan.kpi")
    assert formatted is not None, diagnostics
    assert fp(formatted) == BASE_FP


def spellings(value: Decimal) -> list[str]:
    """Ways to write one non-negative number: plain, with trailing zeros, with `_` between
    thousands, and as a percent."""
    plain = format(value, "f")
    whole, _, frac = plain.partition(".")
    grouped = f"{int(whole):_}" + (f".{frac}" if frac else "")
    with_zeros = plain + ("0" if frac else ".00")
    percent = format((value * 100).normalize(), "f") + "%"
    return [plain, with_zeros, grouped, percent]


targets = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100000"), places=4, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(targets, st.data())
def test_every_spelling_of_a_target_has_one_fingerprint(value, data):
    first, second = data.draw(st.sampled_from(spellings(value))), data.draw(st.sampled_from(spellings(value)))
    assert fp(BASE.replace("target 8%", f"target {first}")) == fp(BASE.replace("target 8%", f"target {second}"))


@settings(max_examples=40, deadline=None)
@given(targets, targets)
def test_different_targets_have_different_fingerprints(a, b):
    same = fp(BASE.replace("target 8%", f"target {format(a, 'f')}")) == fp(BASE.replace("target 8%", f"target {format(b, 'f')}"))
    assert same == (a == b)


def test_moving_a_metric_into_a_library_is_no_change(tmp_path):
    from kpilang.compile import compile_file

    calls = 'metric calls "Звонки от 1 минуты" =\n    count(activities where type = "call" and duration >= 1m)\n    kind activity\n'
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "activity.kpi").write_text(calls, encoding="utf-8")
    (tmp_path / "plan.kpi").write_text('import "lib/activity.kpi"\n' + BASE.replace(calls, ""), encoding="utf-8")
    result = compile_file(tmp_path / "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    assert fingerprint(result.program) == BASE_FP


def test_the_normative_plan_keeps_its_recorded_fingerprint():
    """Payrolls and statements record this hash. If it moves, something changed what the
    fingerprint hashes (a new field in the compiled program, say): decide whether that field is
    meaning, and if the hash must change, raise FINGERPRINT_VERSION and say so in docs/ci.md."""
    assert BASE_FP == "7cf721cfc65f6f29ece14d3e3637a5e9f9609413eb9165bbd8f3edc3b4e0834d"


OVERRULED = BASE.replace("kind activity\n    uncontrollable", 'kind activity\n    controllable "the manager calls the leads back"\n    #')


def test_overruling_the_controllability_model_counts_but_not_the_reasons_wording():
    assert fp(OVERRULED) != BASE_FP
    reworded = OVERRULED.replace('"the manager calls the leads back"', '"leads come from the manager\'s own calls"')
    assert fp(reworded) == fp(OVERRULED)


def test_a_plan_without_an_override_keeps_the_fingerprint_it_had():
    # The override is left out of the meaning where it is absent, so no plan written before it
    # existed changes its fingerprint (the quarterly gate would call that a change of meaning).
    result = compile_text(BASE, "plan.kpi")
    assert all("controllable_because" not in m for m in result.program.dump_meaning()["metrics"].values())
