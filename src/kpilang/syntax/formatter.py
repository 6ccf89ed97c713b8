"""`Module` → the one canonical layout of a kpilang file, comments kept.

Layout: declarations separated by one blank line (consecutive imports stay together); a plan's
fields and a table's bands aligned in columns; `metric`/`kpi`/`pay` as a header line
`kind name "label" =`, the formula indented 4 on the next line and one clause per line; a test's
`given`/`expect` lists wrapped at `WIDTH` columns. Expressions are printed on one line with only
the parentheses precedence needs; literals are printed as written (`1_000_000`, `8%`, `15m`).

Comments are not part of the syntax tree, so they are placed by position. The file is cut into
line units (a header, a plan field, a formula, a clause, a band, a test value, a closing brace):
a comment with code before it on its line trails the unit that began last before it; a comment on
a line of its own leads the unit it sits inside, or else the next unit, or else the end of the
file. A blank line after an own-line comment at the top level is kept, so a file's header comment
stays apart from its first declaration.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from kpilang.diagnostics import Diagnostic
from kpilang.syntax import ast
from kpilang.syntax.parser import parse

INDENT = "    "
WIDTH = 88
"""Where `given`/`expect` lists wrap. Formulas are never wrapped: one formula, one line."""

Pos = tuple[int, int]


class FormatterError(Exception):
    """The formatted text would not mean what the original meant: a bug in the formatter, never
    the user's fault. Raised instead of writing a file that changed meaning."""


def format_source(text: str, file: str = "<input>") -> tuple[str | None, list[Diagnostic]]:
    """Parse and format `text`. Returns (formatted text, []) or (None, parse diagnostics).

    The result is parsed again and compared with the original (same syntax tree, same comments);
    a difference raises `FormatterError` so that a formatter bug can never change a plan."""
    module, diagnostics = parse(text, file)
    if module is None:
        return None, diagnostics
    formatted = format_module(module, text)
    check_equivalent(module, formatted, file)
    return formatted, []


def check_equivalent(module: ast.Module, formatted: str, file: str = "<input>") -> None:
    again, diagnostics = parse(formatted, file)
    if again is None:
        raise FormatterError(f"the formatted text of {file} does not parse: {diagnostics[0].message}")
    if ast.strip_spans(again.items) != ast.strip_spans(module.items):
        raise FormatterError(f"formatting {file} would change its meaning")
    if sorted(c.text for c in again.comments) != sorted(c.text for c in module.comments):
        raise FormatterError(f"formatting {file} would lose or change a comment")


# ---- expressions ---------------------------------------------------------------------------------

# Binding strength, loosest first, as in the grammar.
_OTHERWISE, _IF, _OR, _AND, _NOT, _COMPARE, _SUM, _PRODUCT, _UNARY, _ATOM = range(1, 11)


def _level(e: ast.Expr) -> int:
    match e:
        case ast.Otherwise():
            return _OTHERWISE
        case ast.If():
            return _IF
        case ast.Logic(op="or"):
            return _OR
        case ast.Logic(op="and"):
            return _AND
        case ast.Not():
            return _NOT
        case ast.Compare() | ast.InList():
            return _COMPARE
        case ast.Binary(op="+" | "-"):
            return _SUM
        case ast.Binary():
            return _PRODUCT
        case ast.Neg():
            return _UNARY
    return _ATOM


def quote(value: str) -> str:
    """A string literal for `value`: the grammar's two escapes, `\\\\` and `\\"`."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_expr(e: ast.Expr, at_least: int = 0) -> str:
    """`e` on one line, parenthesised if it binds looser than its place needs (`at_least`)."""
    text = _expr(e)
    return f"({text})" if _level(e) < at_least else text


def _expr(e: ast.Expr) -> str:
    f = format_expr
    match e:
        case ast.Num(text=t) | ast.Percent(text=t) | ast.Duration(text=t):
            return t
        case ast.DateLit(value=v):
            return v.isoformat()
        case ast.Str(value=v):
            return quote(v)
        case ast.Bool(value=v):
            return "true" if v else "false"
        case ast.Name(name=n):
            return n
        case ast.Dotted(table=t, column=c):
            return f"{t}.{c}"
        case ast.Neg(operand=o):
            return "-" + f(o, _UNARY)
        case ast.Not(operand=o):
            return "not " + f(o, _NOT)
        case ast.Binary(op=op, left=left, right=right):
            level = _level(e)
            return f"{f(left, level)} {op} {f(right, level + 1)}"
        case ast.Logic(op=op, left=left, right=right):
            level = _level(e)
            return f"{f(left, level)} {op} {f(right, level + 1)}"
        case ast.Compare(op=op, left=left, right=right):
            return f"{f(left, _SUM)} {op} {f(right, _SUM)}"
        case ast.InList(operand=o, items=items):
            return f"{f(o, _SUM)} in [" + ", ".join(f(i) for i in items) + "]"
        case ast.If(cond=c, then=t, else_=el):
            return f"if {f(c)} then {f(t)} else {f(el, _IF)}"
        case ast.Otherwise(expr=x, fallback=fb):
            return f"{f(x, _OTHERWISE)} otherwise {f(fb, _IF)}"
        case ast.Call(func=func, args=args, where=where):
            inner = ", ".join(f(a) for a in args)
            if where is not None:
                inner = f"{inner} where {f(where)}" if inner else f"where {f(where)}"
            return f"{func}({inner})"
    raise TypeError(f"not an expression: {type(e).__name__}")  # pragma: no cover


# ---- line units and comment placement ------------------------------------------------------------


@dataclass
class _Unit:
    """A piece of source that becomes one output line (or, for a test's list, several)."""

    start: Pos
    end: Pos
    leading: list[ast.Comment] = field(default_factory=list)
    trailing: list[ast.Comment] = field(default_factory=list)


def _start(span) -> Pos:
    return (span.line, span.column)


def _end(span) -> Pos:
    return (span.end_line, span.end_column)


def _close(span) -> Pos:
    """Where a block's closing `}` is: the last character of the block's span."""
    return (span.end_line, span.end_column - 1)


class _Layout:
    def __init__(self, module: ast.Module, source: str) -> None:
        self.lines = source.split("\n")
        self.units: dict[tuple[int, str], _Unit] = {}
        for item in module.items:
            self._collect(item)
        self.eof: list[ast.Comment] = []
        self._place(module.comments)

    # units
    def _add(self, node, role: str, start: Pos, end: Pos) -> None:
        self.units[(id(node), role)] = _Unit(start, end)

    def unit(self, node, role: str) -> _Unit:
        return self.units[(id(node), role)]

    @staticmethod
    def _header_end(node) -> Pos:
        # The label and `=` have no span of their own. Ending the header at the name means that a
        # comment on its own line between `=` and the formula leads the formula, where it belongs.
        return _end(node.name.span)

    def _collect(self, item) -> None:
        match item:
            case ast.Import():
                self._add(item, "line", _start(item.span), _end(item.span))
            case ast.Plan():
                self._add(item, "header", _start(item.span), self._header_end(item))
                for f in item.fields:
                    self._add(f, "line", _start(f.span), _end(f.span))
                self._add(item, "close", _close(item.span), _end(item.span))
            case ast.Metric() | ast.Kpi() | ast.Pay():
                self._add(item, "header", _start(item.span), self._header_end(item))
                self._add(item, "formula", _start(item.expr.span), _end(item.expr.span))
                for c in item.clauses:
                    self._add(c, "line", _start(c.span), _end(c.span))
            case ast.Table():
                self._add(item, "header", _start(item.span), self._header_end(item))
                for b in item.bands:
                    self._add(b, "line", _start(b.span), _end(b.span))
                self._add(item, "close", _close(item.span), _end(item.span))
            case ast.Test():
                line, column = _start(item.span)
                self._add(item, "header", (line, column), (line, column + len("test")))
                for s in item.sections:
                    line, column = _start(s.span)
                    self._add(s, "keyword", (line, column), (line, column + len(s.keyword)))
                    for a in s.assignments:
                        self._add(a, "line", _start(a.span), _end(a.span))
                self._add(item, "close", _close(item.span), _end(item.span))

    # comments
    def _own_line(self, c: ast.Comment) -> bool:
        line = self.lines[c.line - 1] if c.line - 1 < len(self.lines) else ""
        return line[: c.column - 1].strip() == ""

    def blank_after(self, c: ast.Comment) -> bool:
        return c.line < len(self.lines) and self.lines[c.line].strip() == ""

    def _place(self, comments: list[ast.Comment]) -> None:
        ordered = sorted(self.units.values(), key=lambda u: u.start)
        starts = [u.start for u in ordered]
        for c in sorted(comments, key=lambda c: (c.line, c.column)):
            pos = (c.line, c.column)
            i = bisect.bisect_left(starts, pos)  # ordered[:i] begin before the comment
            before = ordered[i - 1] if i > 0 else None
            if not self._own_line(c) and before is not None:
                before.trailing.append(c)
            elif before is not None and pos < before.end:
                before.leading.append(c)
            elif i < len(ordered):
                ordered[i].leading.append(c)
            else:
                self.eof.append(c)


# ---- rendering -----------------------------------------------------------------------------------


class _Printer:
    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.out: list[str] = []

    def comments_before(self, unit: _Unit, indent: str, top_level: bool = False) -> list[ast.Comment]:
        """Print the comments that go on lines of their own before `unit`: its leading comments
        and, since a line ends with at most one comment, all its trailing comments but the last.
        Returns that last trailing comment (or nothing) for the caller to put at the line's end."""
        extra = unit.trailing[:-1]
        for c in unit.leading:
            self.out.append(indent + c.text)
            if top_level and self.layout.blank_after(c):
                self.out.append("")
        for c in extra:
            self.out.append(indent + c.text)
        return unit.trailing[-1:]

    def line(self, unit: _Unit, indent: str, text: str, top_level: bool = False, comment_indent: str | None = None) -> None:
        trailing = self.comments_before(unit, indent if comment_indent is None else comment_indent, top_level)
        self.out.append(indent + text + (f"  {trailing[0].text}" if trailing else ""))

    def module(self, module: ast.Module) -> str:
        previous = None
        for item in module.items:
            if previous is not None and not (isinstance(previous, ast.Import) and isinstance(item, ast.Import)):
                self.out.append("")
            self.item(item)
            previous = item
        if self.layout.eof:
            if self.out:
                self.out.append("")
            for c in self.layout.eof:
                self.out.append(c.text)
                if self.layout.blank_after(c) and c is not self.layout.eof[-1]:
                    self.out.append("")
        return "\n".join(self.out) + "\n" if self.out else ""

    def item(self, item) -> None:
        u = self.layout.unit
        match item:
            case ast.Import():
                word = f"{item.members.name} " if item.members is not None else ""
                self.line(u(item, "line"), "", f"import {word}{quote(item.path)}", top_level=True)
            case ast.Plan():
                self.line(u(item, "header"), "", f"plan {item.name.name}{_label(item.label)} {{", top_level=True)
                width = max((len(f.name.name) for f in item.fields), default=0)
                for f in item.fields:
                    values = ", ".join(format_expr(v) for v in f.values)
                    self.line(u(f, "line"), INDENT, f"{f.name.name.ljust(width)} {values}")
                self.line(u(item, "close"), "", "}", comment_indent=INDENT)  # comments inside the block
            case ast.Metric() | ast.Kpi() | ast.Pay():
                self.line(u(item, "header"), "", f"{item.decl} {item.name.name}{_label(item.label)} =", top_level=True)
                self.line(u(item, "formula"), INDENT, format_expr(item.expr))
                width = max((len(c.keyword) for c in item.clauses if c.value is not None), default=0)
                for c in item.clauses:
                    self.line(u(c, "line"), INDENT, _clause(c, width))
            case ast.Table():
                graduated = " graduated" if item.graduated else ""
                self.line(u(item, "header"), "", f"table {item.name.name}{_label(item.label)}{graduated} {{",
                          top_level=True)
                lefts = [_band_left(b) for b in item.bands]
                width = max((len(left) for left in lefts), default=0)
                for band, left in zip(item.bands, lefts):
                    self.line(u(band, "line"), INDENT, f"{left.ljust(width)} : {format_expr(band.value)}")
                self.line(u(item, "close"), "", "}", comment_indent=INDENT)  # comments inside the block
            case ast.Test():
                self.line(u(item, "header"), "", f"test {quote(item.name)} {{", top_level=True)
                for section in item.sections:
                    self.section(section)
                self.line(u(item, "close"), "", "}", comment_indent=INDENT)  # comments inside the block

    def section(self, section: ast.TestSection) -> None:
        """`given a = 1, b = 2, …` filled up to WIDTH, continuation lines aligned after the keyword.
        A value with a comment before it starts a new line; one with a comment after it ends one."""
        keyword = self.layout.unit(section, "keyword")
        trailing = self.comments_before(keyword, INDENT)
        first = INDENT + section.keyword
        continuation = " " * (len(first) + 1)
        current: str | None = None  # the line being filled; None when no line is open
        keyword_printed = False
        if trailing:
            self.out.append(f"{first}  {trailing[0].text}")
            keyword_printed = True
        count = len(section.assignments)
        for i, a in enumerate(section.assignments):
            unit = self.layout.unit(a, "line")
            text = f"{format_expr(a.target)} = {format_expr(a.value)}" + ("," if i < count - 1 else "")
            if unit.leading or len(unit.trailing) > 1:
                if current is not None:
                    self.out.append(current)
                    current = None
                if not keyword_printed:
                    self.out.append(first)
                    keyword_printed = True
                tail = self.comments_before(unit, continuation)
            else:
                tail = unit.trailing
            if current is not None and len(current) + 1 + len(text) > WIDTH:
                self.out.append(current)
                current = None
            if current is None:
                current = continuation + text if keyword_printed else f"{first} {text}"
                keyword_printed = True
            else:
                current += " " + text
            if tail:
                self.out.append(f"{current}  {tail[0].text}")
                current = None
        if current is not None:
            self.out.append(current)
        elif not keyword_printed:
            self.out.append(first)


def _label(label: str | None) -> str:
    return f" {quote(label)}" if label is not None else ""


def _clause(c: ast.Clause, width: int) -> str:
    if c.value is not None:
        return f"{c.keyword.ljust(width)} {format_expr(c.value)}"
    if c.keyword == "uncontrollable" and c.words:
        return "uncontrollable for " + ", ".join(w.name for w in c.words)
    if c.words:
        return c.keyword + " " + " ".join(w.name for w in c.words)
    return c.keyword


def _band_left(b: ast.Band) -> str:
    if b.kind == "below":
        return f"below {format_expr(b.high)}"
    if b.kind == "from":
        return f"from {format_expr(b.low)}"
    return f"{format_expr(b.low)} to {format_expr(b.high)}"


def format_module(module: ast.Module, source: str) -> str:
    """The canonical text of `module`, which was parsed from `source` (needed to place comments)."""
    if source.startswith("\ufeff"):
        source = source[1:]
    layout = _Layout(module, source)
    return _Printer(layout).module(module)
