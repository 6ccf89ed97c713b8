"""Formulas and metrics in words: `Проведённые встречи / Звонки от 1 минуты (если нет значения — 0)`,
the same formula with the person's numbers put in (`12 / 120`), and what a metric counts
("количество: действия, где тип = «call» и длительность ≥ 1 мин; июль 2026 г.").

The printer walks the syntax tree, so the words follow the formula's real structure (brackets only
where precedence needs them); every keyword, function and column name comes from the catalog.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

from kpilang.compile.history import is_history, is_previous, is_retention, periods_back
from kpilang.compile.program import SALARY, SCORE, Program
from kpilang.evaluate.plan_code import leaf_key
from kpilang.evaluate.aggregate_plan import is_aggregate
from kpilang.explain.catalog import Messages
from kpilang.explain.formatting import LocaleFormat
from kpilang.syntax import ast

Leaf = Callable[[ast.Expr], str | None]
"""Gives the text of a Name or Dotted node, or None to print it by its label."""

# Loosest first, as in the language reference.
_PRECEDENCE = {"otherwise": 0, "if": 1, "or": 2, "and": 3, "not": 4, "compare": 5, "+": 6, "-": 6, "*": 7, "/": 7,
               "neg": 8}
_ATOM = 9
_OPERATORS = {"+": "+", "-": "−", "*": "×", "/": "/"}
_COMPARE = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}


class FormulaWords:
    """Prints expressions of one program in one language."""

    def __init__(self, program: Program, t: Messages, fmt: LocaleFormat):
        self.program = program
        self.t = t
        self.fmt = fmt
        self.earlier_names: dict[int, str] = {}
        """Periods back → the earlier period's name, for `previous(…)` in words (set by a statement)."""
        self._table: str | None = None
        """The table whose bare column names a condition being printed reads."""

    # ---- names ----
    def label(self, name: str) -> str:
        """A declared name as the plan labels it (the name itself when it has no label)."""
        if name == SCORE:
            return self.t.kpi_score
        if name == SALARY:
            return self.t.salary
        return self.program.label(name) or name

    def column(self, table: str, column: str) -> str:
        return self.t.get(f"column_{column}") or column

    def table_noun(self, table: str) -> str:
        return self.t.get(f"table_{table}") or table

    def dotted(self, node: ast.Dotted) -> str:
        if node.table == "targets":  # a team plan's target row is the team's, not the head's own
            team = self.program.plan is not None and self.program.plan.scope == "team"
            return self.t.f("team_target_of" if team else "target_of", name=self.label(node.column) if node.column in self.program.metrics
                            else node.column)
        if node.table == "managers":
            return self.t.f("manager_column", column=self.column("managers", node.column))
        return self.column(node.table, node.column)

    # ---- literals ----
    def literal(self, node: ast.Expr) -> str:
        if isinstance(node, ast.Percent):
            return self.fmt.figure(node.value, "percent")
        if isinstance(node, ast.Num):
            return self.fmt.figure(node.value, "number")
        if isinstance(node, ast.Duration):
            return self.fmt.figure(Decimal(node.seconds), "duration")
        if isinstance(node, ast.Str):
            return self.t.f("quoted", text=node.value)
        if isinstance(node, ast.Bool):
            return self.t.yes if node.value else self.t.no
        if isinstance(node, ast.DateLit):
            return self.fmt.date(node.value)
        raise TypeError(type(node).__name__)

    # ---- expressions ----
    def words(self, expr: ast.Expr, leaf: Leaf | None = None) -> str:
        """`expr` in words; names by label unless `leaf` gives their text (numbers, usually)."""
        return self._print(expr, leaf or (lambda node: None))[0]

    def _print(self, node: ast.Expr, leaf: Leaf) -> tuple[str, int]:
        t = self.t
        if isinstance(node, ast.Name | ast.Dotted):
            text = leaf(node)
            if text is None:
                text = self.label(node.name) if isinstance(node, ast.Name) else self.dotted(node)
            return text, _ATOM
        if isinstance(node, ast.LITERAL_TYPES):
            return self.literal(node), _ATOM
        if isinstance(node, ast.Neg):
            return "−" + self._side(node.operand, leaf, _PRECEDENCE["neg"]), _PRECEDENCE["neg"]
        if isinstance(node, ast.Not):
            return t.f("op_not", operand=self._side(node.operand, leaf, _PRECEDENCE["not"] + 1)), _PRECEDENCE["not"]
        if isinstance(node, ast.Binary):
            said = self.difference(node, self._table)
            if said is not None:
                return said, _ATOM
            p = _PRECEDENCE[node.op]
            # `a - (b - c)` and `a / (b / c)` need their brackets; `a + (b + c)` prints alike either way.
            right_min = p + 1 if node.op in "-/" else p
            return (f"{self._side(node.left, leaf, p)} {_OPERATORS[node.op]} {self._side(node.right, leaf, right_min)}",
                    p)
        if isinstance(node, ast.Compare):
            p = _PRECEDENCE["compare"]
            return f"{self._side(node.left, leaf, p + 1)} {_COMPARE[node.op]} {self._side(node.right, leaf, p + 1)}", p
        if isinstance(node, ast.Logic):
            p = _PRECEDENCE[node.op]
            word = t.op_and if node.op == "and" else t.op_or
            return f"{self._side(node.left, leaf, p)} {word} {self._side(node.right, leaf, p + 1)}", p
        if isinstance(node, ast.InList):
            items = ", ".join(self._print(i, leaf)[0] for i in node.items)
            return t.f("op_in", operand=self._side(node.operand, leaf, _ATOM), items=items), _PRECEDENCE["compare"]
        if isinstance(node, ast.If):
            p = _PRECEDENCE["if"]
            return t.f("op_if", cond=self._side(node.cond, leaf, p + 1), then=self._side(node.then, leaf, p + 1),
                       otherwise=self._side(node.else_, leaf, p)), p
        if isinstance(node, ast.Otherwise):
            p = _PRECEDENCE["otherwise"]
            return t.f("op_otherwise", expr=self._side(node.expr, leaf, p + 1),
                       fallback=self._side(node.fallback, leaf, p + 1)), p
        if isinstance(node, ast.Call):
            return self._call(node, leaf), _ATOM
        raise TypeError(type(node).__name__)

    def _side(self, node: ast.Expr, leaf: Leaf, least: int) -> str:
        text, p = self._print(node, leaf)
        return f"({text})" if p < least else text

    def _call(self, node: ast.Call, leaf: Leaf) -> str:
        if is_history(node):  # earlier periods: the figure itself, or its words (never this period's numbers)
            return leaf(node) or self.lookback(node)
        args = ", ".join(self._print(a, leaf)[0] for a in node.args)
        if node.func in self.program.tables:
            return f"{self.label(node.func)}({args})"
        if is_aggregate(node):
            return self.counted(node)
        name = self.t.get(f"fn_{node.func}") or node.func
        return f"{name}({args})"

    def lookback(self, node: ast.Call) -> str:
        """`Выручка за июль 2026 г.`; `клиенты … и в прошлом периоде, и в этом` (`retained`)."""
        if is_retention(node):
            return self.t.f(f"history_{node.func}", counted=self.counted(node.model_copy(update={"func": "count_distinct"})))
        back = periods_back(node)
        what = self.words(node.args[0])
        if back in self.earlier_names:
            return self.t.f("history_previous_named", expr=what, period=self.earlier_names[back])
        return self.t.f("history_previous", expr=what, back=back)

    # ---- metrics ----
    def counted(self, node: ast.Expr, period: str | None = None, team: bool = False) -> str:
        """What a metric's aggregate counts, in words, with the period if given."""
        if not is_aggregate(node):
            text = self.words(node)
        else:
            assert isinstance(node, ast.Call)
            arg = node.args[0]
            table = _table_of(arg)
            noun = self.table_noun(table) if table else ""
            what = self.words(arg) if not isinstance(arg, ast.Name) else noun
            kind, rest = self.kind_of(table, node.where) if table and node.where is not None else (None, node.where)
            where = self.t.f("agg_where", cond=self.condition(rest, table)) if rest is not None else ""
            if kind is not None:  # `deals where stage = "won"`: won deals
                text = self.t.f(f"agg_kind_{node.func}", kind=kind, table=noun, expr=what, where=where)
            else:
                text = self.t.f(f"agg_{node.func}", table=noun, expr=what, where=where)
        if team:
            text = self.t.f("agg_team", text=text)
        if period:
            text = self.t.f("agg_period", text=text, period=period)
        return text

    def kind_of(self, table: str, cond: ast.Expr) -> tuple[str | None, ast.Expr | None]:
        """The kind of record a filter's equalities name, in the reader's words (`type = "call"`:
        calls; `type = "meeting" and status = "done"`: meetings held), and what is left of the
        filter; (None, the filter) when the catalog names no such kind."""
        parts = _conjuncts(cond)
        equal = [(i, column, value) for i, part in enumerate(parts) if (found := _equality(part, table)) is not None
                 for column, value in [found]]
        # two equalities that name a kind together (meetings held) before one alone (meetings)
        choices = [(a, b) for a in equal for b in equal if a[0] < b[0]] + [(a,) for a in equal]
        for choice in choices:
            key = "kind_" + "_".join([table, *(f"{column}_{value}" for _, column, value in choice)])
            kind = self.t.get(key) if all(_plain(value) for _, _, value in choice) else None
            if kind:
                used = {i for i, _, _ in choice}
                return kind, _joined([part for i, part in enumerate(parts) if i not in used])
        return None, cond

    def difference(self, node: ast.Binary, table: str | None) -> str | None:
        """`first_response_at - created_at` as what it means (the time to the first response), when
        the catalog says; None otherwise."""
        left, right = (_column_of(side, table) for side in (node.left, node.right))
        if node.op != "-" or left is None or right is None or left[0] != right[0]:
            return None
        return self.t.get(f"difference_{left[0]}_{left[1]}_{right[1]}") or None

    def condition(self, cond: ast.Expr, table: str | None) -> str:
        def leaf(node: ast.Expr) -> str | None:
            if isinstance(node, ast.Name):  # a bare column of the aggregated table
                return self.column(table or "", node.name)
            return None

        if isinstance(cond, ast.Name):  # a bare boolean column: `is_new_client`
            return self.t.f("flag_true", column=self.column(table or "", cond.name))
        if isinstance(cond, ast.Not) and isinstance(cond.operand, ast.Name):
            return self.t.f("flag_false", column=self.column(table or "", cond.operand.name))
        if isinstance(cond, ast.Logic):
            word = self.t.op_and if cond.op == "and" else self.t.op_or

            def side(node: ast.Expr) -> str:
                text = self.condition(node, table)
                # `a and (b or c)`: the brackets say which way it groups
                return f"({text})" if cond.op == "and" and isinstance(node, ast.Logic) and node.op == "or" else text

            return f"{side(cond.left)} {word} {side(cond.right)}"
        if isinstance(cond, ast.Not):
            return self.t.f("op_not", operand=f"({self.condition(cond.operand, table)})")
        self._table = table
        try:
            return self.words(cond, leaf)
        finally:
            self._table = None


def _conjuncts(cond: ast.Expr) -> list[ast.Expr]:
    """`a and b and c` as [a, b, c]; any other condition as itself."""
    if isinstance(cond, ast.Logic) and cond.op == "and":
        return [*_conjuncts(cond.left), *_conjuncts(cond.right)]
    return [cond]


def _joined(parts: list[ast.Expr]) -> ast.Expr | None:
    if not parts:
        return None
    joined = parts[0]
    for part in parts[1:]:
        joined = ast.Logic(op="and", left=joined, right=part, span=joined.span)
    return joined


def _column_of(node: ast.Expr, table: str | None) -> tuple[str, str] | None:
    """(table, column) of a column reference: `deals.stage`, or a bare `stage` of `table`."""
    if isinstance(node, ast.Dotted) and node.table not in ("targets", "managers"):
        return node.table, node.column
    if isinstance(node, ast.Name) and table is not None:
        return table, node.name
    return None


def _equality(node: ast.Expr, table: str) -> tuple[str, str] | None:
    """(column, value) of `column = "value"` on `table`."""
    if isinstance(node, ast.Compare) and node.op == "=" and isinstance(node.right, ast.Str):
        column = _column_of(node.left, table)
        if column is not None and column[0] == table:
            return column[1], node.right.value
    return None


def _plain(value: str) -> bool:
    """A value that can be part of a catalog key."""
    return re.fullmatch(r"[a-z][a-z0-9_]*", value) is not None


def _table_of(arg: ast.Expr) -> str | None:
    if isinstance(arg, ast.Name):
        return arg.name
    if isinstance(arg, ast.Dotted):
        return arg.table
    for child in ast.walk(arg):
        if isinstance(child, ast.Dotted):
            return child.table
    return None


_SLOT = re.compile("\ue000(\\d+)\ue001")


class Substitution:
    """A formula in words with a slot for each name it reads, compiled once per formula: per person
    only the slots are filled (`12 / 120 (если нет значения — 0)`)."""

    __slots__ = ("keys", "_format")

    def __init__(self, words: FormulaWords, expr: ast.Expr):
        keys: list[str] = []

        def slot(node: ast.Expr) -> str | None:
            key = leaf_key(node) if isinstance(node, ast.Dotted) or is_previous(node) else getattr(node, "name", None)
            if key is None:
                return None
            keys.append(key)
            return f"\ue000{len(keys) - 1}\ue001"

        pieces = _SLOT.split(words.words(expr, slot))
        self.keys = tuple(keys)
        # pieces alternate: text, slot index, text, …
        self._format = "".join("{%s}" % p if i % 2 else p.replace("{", "{{").replace("}", "}}")
                               for i, p in enumerate(pieces))

    def fill(self, values: list[str]) -> str:
        return self._format.format(*values)
