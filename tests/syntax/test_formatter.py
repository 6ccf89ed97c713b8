"""The formatter's layout, case by case, and the `kpilang fmt` command."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main
from kpilang.syntax import ast
from kpilang.syntax.formatter import format_source
from kpilang.syntax.parser import parse

ROOT = Path(__file__).resolve().parents[2]


def fmt(text: str) -> str:
    formatted, diagnostics = format_source(textwrap.dedent(text), "plan.kpi")
    assert diagnostics == []
    return formatted


def pay_formula(expr: str) -> str:
    """The formatted formula of `pay p = EXPR`."""
    return fmt(f"pay p = {expr}").splitlines()[1].strip()


@pytest.mark.parametrize(("written", "formatted"), [
    ("(a + b) * c", "(a + b) * c"),
    ("a + (b * c)", "a + b * c"),
    ("(a - b) - c", "a - b - c"),
    ("a - (b - c)", "a - (b - c)"),
    ("a / (b / c)", "a / (b / c)"),
    ("-(a * b)", "-(a * b)"),
    ("(-a) * b", "-a * b"),
    ("- - 5", "--5"),
    ("a - -5", "a - -5"),
    ("(a or b) and c", "(a or b) and c"),
    ("a or (b and c)", "a or b and c"),
    ("not (a = b)", "not a = b"),
    ("not (a and b)", "not (a and b)"),
    ("(a = b) = c", "(a = b) = c"),
    ("(a otherwise b) otherwise c", "a otherwise b otherwise c"),
    ("a otherwise (b otherwise c)", "a otherwise (b otherwise c)"),
    ("(if a then b else c) otherwise d", "if a then b else c otherwise d"),
    ("if a then b else (c otherwise d)", "if a then b else (c otherwise d)"),
    ("if a otherwise b then c otherwise d else e", "if a otherwise b then c otherwise d else e"),
    ("1 + (if a then b else c)", "1 + (if a then b else c)"),
    ("min((a), (b + c))", "min(a, b + c)"),
    ("(a + b) in [1, (2 + 3)]", "a + b in [1, 2 + 3]"),
    ("x in []", "x in []"),
    ("1_000_000 * 8% + 15m", "1_000_000 * 8% + 15m"),
    ("0.50 + 2026-07-01", "0.50 + 2026-07-01"),
    ('"say \\"hi\\" \\\\ bye"', '"say \\"hi\\" \\\\ bye"'),
    ("targets . revenue", "targets.revenue"),
    ("true and false", "true and false"),
])
def test_expressions_get_only_the_parentheses_precedence_needs(written, formatted):
    assert pay_formula(written) == formatted


def test_aggregate_with_where_in_list_not_and_bare_column():
    text = 'metric m = count(deals where (stage in ["won","lost"]) and not (is_new_client))'
    assert fmt(text) == 'metric m =\n    count(deals where stage in ["won", "lost"] and not is_new_client)\n'


def test_the_normative_example_is_in_canonical_form():
    for path in (ROOT / "examples/cold_sales/cold_sales.kpi", ROOT / "tests/fixtures/normative/cold_sales.kpi"):
        text = path.read_text(encoding="utf-8")
        assert fmt(text) == text, path


def test_the_formatted_copies_mean_what_the_specification_example_means():
    spec = ROOT.parent / "shared/spec/example/cold_sales.kpi"
    if not spec.exists():
        pytest.skip("the specification is not next to this checkout")
    original, _ = parse(spec.read_text(encoding="utf-8"))
    for path in (ROOT / "examples/cold_sales/cold_sales.kpi", ROOT / "tests/fixtures/normative/cold_sales.kpi"):
        copy, _ = parse(path.read_text(encoding="utf-8"))
        assert ast.strip_spans(copy.items) == ast.strip_spans(original.items)
        assert [c.text for c in copy.comments] == [c.text for c in original.comments]


def test_plan_fields_and_table_bands_are_aligned():
    text = """
        plan p "P" { role cold, inbound  period month
          effective 2026-07-01 }
        table t graduated { below 100% : 3%  100% to 150% : 5%  from 150%: 7% }
    """
    assert fmt(text) == textwrap.dedent("""\
        plan p "P" {
            role      cold, inbound
            period    month
            effective 2026-07-01
        }

        table t graduated {
            below 100%   : 3%
            100% to 150% : 5%
            from 150%    : 7%
        }
    """)


def test_declaration_header_formula_and_aligned_clauses():
    text = 'kpi k "K" = a / b otherwise 0 target 8% weight 20% cap 150% lower is better\n' \
           "pay p = salary cap 2 * salary floor 0\n" \
           "metric m = count(leads) kind activity uncontrollable for cold, inbound\n"
    assert fmt(text) == textwrap.dedent("""\
        kpi k "K" =
            a / b otherwise 0
            target 8%
            weight 20%
            cap    150%
            lower is better

        pay p =
            salary
            cap   2 * salary
            floor 0

        metric m =
            count(leads)
            kind activity
            uncontrollable for cold, inbound
    """)


def test_an_override_of_the_controllability_model_keeps_its_reason():
    text = 'metric m = count(leads where source = "event") kind activity controllable "books \\"own\\" events"\n'
    assert fmt(text) == textwrap.dedent("""\
        metric m =
            count(leads where source = "event")
            kind activity
            controllable "books \\"own\\" events"
    """)
    module, _ = parse(fmt(text), "plan.kpi")
    [metric] = module.items
    assert [(c.keyword, c.value.value) for c in metric.clauses if c.keyword == "controllable"] == \
        [("controllable", 'books "own" events')]


def test_comments_stay_before_what_they_precede_and_at_the_end_of_their_line():
    text = """\
        # header of the file

        # about the plan
        plan p {  # opens the plan
            # about the role
            role cold   # the only role
            # before the closing brace
        }
        metric m = # the formula follows
            # explains the formula
            count(leads  # inside the formula
                  where source = "web")
            # about the kind
            kind result
        # the end of the file
    """
    assert fmt(text) == textwrap.dedent("""\
        # header of the file

        # about the plan
        plan p {  # opens the plan
            # about the role
            role cold  # the only role
            # before the closing brace
        }

        metric m =  # the formula follows
            # explains the formula
            count(leads where source = "web")  # inside the formula
            # about the kind
            kind result

        # the end of the file
    """)


def test_test_lists_wrap_and_keep_their_comments():
    values = ", ".join(f"metric_number_{i} = {i}" for i in range(8))
    text = f'test "t" {{ given {values} expect a = 1, # why a\n b = -2 }}'
    assert fmt(text) == textwrap.dedent("""\
        test "t" {
            given metric_number_0 = 0, metric_number_1 = 1, metric_number_2 = 2,
                  metric_number_3 = 3, metric_number_4 = 4, metric_number_5 = 5,
                  metric_number_6 = 6, metric_number_7 = 7
            expect a = 1,  # why a
                   b = -2
        }
    """)


def test_imports_stay_together_and_strings_are_re_escaped():
    text = 'import "a.kpi"\nimport "b \\"c\\".kpi"\nmetric m = count(leads)'
    assert fmt(text) == 'import "a.kpi"\nimport "b \\"c\\".kpi"\n\nmetric m =\n    count(leads)\n'


def test_empty_and_comment_only_files():
    assert fmt("") == ""
    assert fmt("\n\n# only a comment\n") == "# only a comment\n"


def test_a_file_that_does_not_parse_gives_diagnostics():
    formatted, diagnostics = format_source("metric m = count(", "bad.kpi")
    assert formatted is None
    assert diagnostics[0].code == "E0102"


# ---- the command -------------------------------------------------------------------------------

MESSY = 'metric m "M"=count(leads)   kind activity\n'
TIDY = 'metric m "M" =\n    count(leads)\n    kind activity\n'


@pytest.fixture
def plans(tmp_path):
    (tmp_path / "messy.kpi").write_text(MESSY, encoding="utf-8")
    (tmp_path / "tidy.kpi").write_text(TIDY, encoding="utf-8")
    return tmp_path


def test_fmt_rewrites_files_in_place(plans):
    result = CliRunner().invoke(main, ["fmt", str(plans)])
    assert result.exit_code == 0, result.output
    assert (plans / "messy.kpi").read_text(encoding="utf-8") == TIDY
    assert (plans / "tidy.kpi").read_text(encoding="utf-8") == TIDY
    assert "1 reformatted, 1 already formatted" in result.stderr


def test_fmt_check_lists_files_that_would_change_and_changes_nothing(plans):
    result = CliRunner().invoke(main, ["fmt", "--check", str(plans)])
    assert result.exit_code == 1
    assert "would reformat" in result.stdout and "messy.kpi" in result.stdout and "tidy.kpi" not in result.stdout
    assert (plans / "messy.kpi").read_text(encoding="utf-8") == MESSY
    assert CliRunner().invoke(main, ["fmt", "--check", str(plans / "tidy.kpi")]).exit_code == 0


def test_fmt_diff_prints_a_unified_diff_and_changes_nothing(plans):
    result = CliRunner().invoke(main, ["fmt", "--diff", str(plans / "messy.kpi")])
    assert result.exit_code == 0
    assert "-metric m \"M\"=count(leads)   kind activity" in result.stdout
    assert "+    count(leads)" in result.stdout
    assert (plans / "messy.kpi").read_text(encoding="utf-8") == MESSY
    assert CliRunner().invoke(main, ["fmt", "--diff", "--check", str(plans / "messy.kpi")]).exit_code == 1


def test_fmt_reports_a_file_that_does_not_parse_and_exits_2(plans):
    (plans / "broken.kpi").write_text("metric m = count(\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", str(plans)])
    assert result.exit_code == 2
    assert "error[E0102]" in result.stderr and "broken.kpi:1:17" in result.stderr
    assert (plans / "broken.kpi").read_text(encoding="utf-8") == "metric m = count(\n"
    assert (plans / "messy.kpi").read_text(encoding="utf-8") == TIDY  # the others are still formatted


def test_fmt_of_a_missing_path_exits_2(tmp_path):
    assert CliRunner().invoke(main, ["fmt", str(tmp_path / "nope.kpi")]).exit_code == 2


def test_windows_line_ends_and_a_byte_order_mark_become_the_canonical_text():
    text = (ROOT / "examples/cold_sales/cold_sales.kpi").read_text(encoding="utf-8")
    assert fmt("\ufeff" + text.replace("\n", "\r\n")) == text


def test_fmt_diff_marks_a_last_line_without_newline(tmp_path):
    (tmp_path / "p.kpi").write_text("pay p = 1", encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", "--diff", str(tmp_path / "p.kpi")])
    assert "-pay p = 1\n\\ No newline at end of file\n+pay p =\n+    1\n" in result.stdout
