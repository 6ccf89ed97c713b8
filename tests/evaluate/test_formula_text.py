"""A formula's text as the plan's author wrote it, and with the numbers put in (`formula_text.py`):
what statements, the trace and error messages quote. Each expectation is the source text written
out by hand."""

from __future__ import annotations

from kpilang.compile.compiler import compile_text
from kpilang.diagnostics import Span
from kpilang.evaluate.formula_text import SourceText
from kpilang.syntax import ast

HEADER = '''plan p "P" {
    role cold  period month  effective 2026-07-01  currency RUB  strategy growth  goal "g"
}
metric revenue = sum(deals.amount where stage = "won")
metric calls = count(activities where type = "call")
'''


def span(line: int, column: int, end_line: int, end_column: int, file: str = "f.kpi") -> Span:
    return Span(file=file, line=line, column=column, end_line=end_line, end_column=end_column)


def whole(source: str, file: str = "f.kpi") -> Span:
    """The span of all of `source` (1-based lines and columns, end exclusive)."""
    lines = source.split("\n")
    return span(1, 1, len(lines), len(lines[-1]) + 1, file)


def one_line(source: str) -> str:
    return SourceText({"f.kpi": source}).text(whole(source))


# ---- the text of a span -------------------------------------------------------------------------


def test_a_span_is_sliced_by_line_and_column_end_exclusive():
    source = "pay a = salary\npay bonus = 2% * revenue\n    cap 1000\n"
    text = SourceText({"f.kpi": source, "g.kpi": "metric x = 1"})
    assert text.text(span(2, 13, 2, 25)) == "2% * revenue"          # line 2, columns 13..24
    assert text.text(span(1, 1, 1, 4)) == "pay"
    assert text.text(span(2, 5, 3, 13)) == "bonus = 2% * revenue cap 1000"
    assert text.text(span(3, 9, 3, 13)) == "1000"
    assert text.text(span(1, 12, 1, 13, file="g.kpi")) == "1"      # each file its own lines
    assert text.text(span(2, 13, 2, 25)) == "2% * revenue"          # again, from the lines already found


def test_a_file_the_plan_does_not_have_gives_no_text():
    text = SourceText({"f.kpi": "pay a = salary"})
    assert text.text(span(1, 9, 1, 15, file="other.kpi")) == ""
    assert text.text(span(1, 9, 1, 15)) == "salary"


def test_white_space_is_one_space_and_none_at_either_end():
    assert one_line("  salary\n\t+   2%  *\n\n revenue  \n") == "salary + 2% * revenue"
    assert one_line("a\tb") == "a b"
    assert one_line("ab") == "ab"
    assert one_line("   ") == ""


def test_comments_are_dropped_and_the_line_after_them_kept():
    assert one_line("salary # the fixed part\n+ bonus") == "salary + bonus"
    assert one_line("salary# no space before\n+bonus") == "salary +bonus"
    assert one_line("salary # to the end") == "salary"
    assert one_line("# only a comment\nbonus") == "bonus"


def test_strings_keep_their_spaces_hashes_and_escaped_quotes():
    assert one_line('team = "north  #1"  # a comment') == 'team = "north  #1"'
    assert one_line('a = "say \\"x  # y\\""   + b') == 'a = "say \\"x  # y\\"" + b'
    assert one_line('"a\\\\"  # two backslashes end the string\nb') == '"a\\\\" b'
    assert one_line('x = "open\n  to the end') == 'x = "open\n  to the end'
    assert one_line('"\\') == '"\\'  # a backslash last: kept as it is


# ---- the text with the numbers put in --------------------------------------------------------------


def _program(body: str):
    result = compile_text(HEADER + body, "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    return result.program


def test_names_are_replaced_in_the_order_they_are_written():
    program = _program("pay bonus = revenue  *  2%   # a share\n    + calls * (revenue - salary)\n")
    text = SourceText(program.sources)
    figures = {"revenue": "1000", "calls": "12", "salary": "500"}

    def put_in(node):
        return figures.get(node.name) if isinstance(node, ast.Name) else None

    expr = program.pays["bonus"].expr
    assert text.text(expr.span) == "revenue * 2% + calls * (revenue - salary)"
    assert text.substituted(expr, put_in) == "1000 * 2% + 12 * (1000 - 500)"
    assert text.substituted(expr, lambda node: None) == "revenue * 2% + calls * (revenue - salary)"


def test_a_node_replaced_whole_is_not_looked_into():
    program = _program("pay bonus = (revenue - salary) * 2% + salary\n")
    text = SourceText(program.sources)
    expr = program.pays["bonus"].expr

    def put_in(node):
        if isinstance(node, ast.Binary) and node.op == "-":
            return "500"
        return "1000" if isinstance(node, ast.Name) else None

    assert text.substituted(expr, put_in) == "(500) * 2% + 1000"
    # the whole formula replaced: only that text, nothing of the source around it
    assert text.substituted(expr, lambda node: "9" if node is expr else None) == "9"


def test_a_formula_of_a_file_the_plan_does_not_have_gives_no_text():
    program = _program("pay bonus = revenue * 2%\n")
    expr = program.pays["bonus"].expr
    assert SourceText({"other.kpi": "pay bonus = revenue * 2%\n"}).substituted(expr, lambda node: "1") == ""
