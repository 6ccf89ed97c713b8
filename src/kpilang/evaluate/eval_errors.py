"""Turning a figure that has no value into an `EvalError` in plain words.

Called by the compiled plan function only when a KPI, the score or a pay comes out with no value
(or a formula raised), with the function's local variables. It walks the failing formula again
with the reference evaluator to find where the no value came from, and says it with the numbers:
"division by zero: calls is 0 in meetings / calls", "no target `revenue` for m4 in 2026-07".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Any, NamedTuple

from kpilang.compile.members import is_member_aggregate
from kpilang.compile.program import SALARY, SCORE, Program
from kpilang.diagnostics import Span
from kpilang.evaluate.formula_code import is_manager_column, kinded_comparison
from kpilang.evaluate.formula_text import SourceText
from kpilang.evaluate.no_value import Reason, ReferenceEvaluator
from kpilang.evaluate.numbers import percent, plain
from kpilang.evaluate.plan_code import NotANumber, PlanCode, Subject, TableFunctions, leaf_key
from kpilang.evaluate.results import EvalError
from kpilang.evaluate.table_lookup import LookupFailed
from kpilang.messages import Text, t
from kpilang.syntax import ast

# The aggregates that have no value over no rows; each is named in the catalogs
# (`eval.metric_without_value.avg`, …).
_EMPTY_WITHOUT_VALUE = ("avg", "min", "max", "median", "share")


class ErrorExplainer:
    """`explainer(errors, subject_index, exception_or_None, local_variables)` appends one EvalError."""

    def __init__(self, program: Program, code: PlanCode, text: SourceText):
        self.program = program
        self.code = code
        self.text = text
        self.tables: TableFunctions = code.tables

    def __call__(self, errors: list[EvalError], index: int, exc: BaseException | None, frame: dict[str, Any]) -> None:
        subject = self.code.subjects[index]
        errors.append(self.explain(subject, exc, frame))

    # ---- per kind of figure ----
    def explain(self, subject: Subject, exc: BaseException | None, frame: dict[str, Any]) -> EvalError:
        index = self.code.subjects.index(subject)
        if subject.kind == "score":
            return self._score(frame)
        definition = subject.definition
        if exc is not None:
            return self._raised(subject, exc, frame)
        if subject.kind == "kpi":
            value, target = frame.get(f"a{index}"), frame.get(f"b{index}")
            if value is None:
                return self._from_reason(subject, definition.expr, frame)
            if target is None:
                return self._from_reason(subject, definition.target, frame, part="target")
            if definition.lower_is_better:
                return self._error(
                    subject, definition.expr, "division_by_zero", "value_zero",
                    t("eval.value_zero.message", name=subject.name, target=plain(target)),
                    definition.expr.span, t("eval.value_zero.help"),
                )
            return self._error(
                subject, definition.target, "division_by_zero", "target_zero",
                t("eval.target_zero.message", name=subject.name),
                definition.target.span, t("eval.target_zero.help"),
            )
        # a pay
        raw, cap, floor = frame.get(f"a{index}"), frame.get(f"b{index}"), frame.get(f"c{index}")
        if raw is None:
            return self._from_reason(subject, definition.expr, frame)
        if definition.cap is not None and cap is None:
            return self._from_reason(subject, definition.cap, frame, part="cap")
        if definition.floor is not None and floor is None:
            return self._from_reason(subject, definition.floor, frame, part="floor")
        return self._error(
            subject, definition.floor, "floor_above_cap", "floor_above_cap",
            t("eval.floor_above_cap.message", name=subject.name, floor=self.text.text(definition.floor.span),
              floor_value=plain(floor), cap=self.text.text(definition.cap.span), cap_value=plain(cap)),
            definition.clause_spans["floor"],
            t("eval.floor_above_cap.help"),
        )

    def _score(self, frame: dict[str, Any]) -> EvalError:
        # A plan without KPIs has no score to compute (the compiler orders `kpi_score` only after
        # KPIs): a formula reading it gets the `no_kpis` reason of `leaf_reason` instead.
        formula = " + ".join(f"{percent(k.weight)} × {n}" for n, k in self.program.kpis.items())
        by_name = {s.name: s for s in self.code.subjects if s.kind == "kpi"}
        # The score is explained only when a KPI's contribution has no value, which is when the KPI
        # has none: `failed` is never empty.
        failed = [name for name in self.program.kpis if frame.get(by_name[name].var) is None]
        first = self.program.kpis[failed[0]]
        names = ", ".join(f"`{n}`" for n in failed)
        message = t("eval.kpis_without_value.one" if len(failed) == 1 else "eval.kpis_without_value.many",
                    names=names)
        return EvalError(subject=SCORE, message=message, formula=formula, code="kpis_without_value",
                         help=t("eval.kpis_without_value.help", names=names), **_position(first.name_span))

    def _raised(self, subject: Subject, exc: BaseException, frame: dict[str, Any]) -> EvalError:
        if isinstance(exc, NotANumber):
            expr = getattr(subject.definition, exc.part)
        else:
            expr = self._part_formula(subject, frame)
        if isinstance(exc, TypeError):
            column = manager_column_of_wrong_kind(expr, frame["inputs"])
            if column is not None:
                return self._error(subject, expr, "arithmetic", column.code, column.message, column.node.span,
                                   column.help)
        if isinstance(exc, LookupFailed):
            call = exc.call  # the tables fill it in wherever they raise (`TableFunctions`)
            call_text = self.text.text(call.span)
            return self._error(subject, expr, exc.cause, exc.code,
                               t("eval.lookup.message", call=call_text, message=exc.message), call.span, exc.help)
        if isinstance(exc, InvalidOperation | DivisionByZero | Overflow):
            code, message = "inexact", t("eval.arithmetic.inexact", error=type(exc).__name__)
        else:
            code, message = "incompatible_values", t("eval.arithmetic.incompatible", error=str(exc))
        return self._error(subject, expr, "arithmetic", code, message, expr.span, t("eval.arithmetic.help"))

    def _part_formula(self, subject: Subject, frame: dict[str, Any]) -> Any:
        """The formula or clause that was being computed when it raised."""
        index = self.code.subjects.index(subject)
        d = subject.definition
        if subject.kind == "kpi":
            return d.target if f"a{index}" in frame and f"b{index}" not in frame else d.expr
        if f"a{index}" in frame and f"b{index}" not in frame and d.cap is not None:
            return d.cap
        if f"b{index}" in frame and f"c{index}" not in frame and d.floor is not None:
            return d.floor
        return d.expr

    def _from_reason(self, subject: Subject, expr: Any, frame: dict[str, Any], part: str | None = None) -> EvalError:
        evaluator = ReferenceEvaluator(
            self.text,
            leaf_value=lambda node: frame.get(self.code.vars.get(leaf_key(node))),
            leaf_reason=lambda node: self.leaf_reason(node, frame["inputs"]),
            table_call=self.tables.result,
            is_table=lambda f: f in self.program.tables,
        )
        # The reference evaluator reads the values the compiled code computed and looks up the same
        # tables with them: it finds the same no value, and a table that refuses raised in the
        # compiled code first.
        _, reason = evaluator.evaluate(expr)
        message = reason.message
        if part is not None and reason.cause not in ("missing_target",):
            message = t(f"eval.part.{part}", message=message)
        return self._error(subject, expr, reason.cause, reason.code, message, reason.node.span, reason.help)

    # ---- leaves ----
    def leaf_reason(self, node: Any, inputs: Any) -> Reason:
        key = leaf_key(node)
        p = self.program
        if key in p.metrics:
            if key not in inputs.metrics:
                return _reason("missing_input", "metric_not_given", node, name=key)
            metric = p.metrics[key]
            func = metric.expr.func if isinstance(metric.expr, ast.Call) else None
            if is_member_aggregate(metric.expr):  # a team figure: a member's error says why, if any
                return Reason("no_value", "metric_without_value", t("eval.metric_without_value.of-members", name=key),
                              node, t("eval.metric_without_value.members-help", name=key))
            if func in _EMPTY_WITHOUT_VALUE:
                return Reason("no_value", "metric_without_value",
                              t("eval.metric_without_value.of-no-rows", name=key,
                                what=t(f"eval.metric_without_value.{func}")),
                              node, t("eval.metric_without_value.help", name=key))
            return _reason("no_value", "metric_without_value", node, name=key)
        if key == SALARY:
            return _reason("missing_input", "salary_empty", node)
        if key is not None and key.startswith("targets."):
            name = key.removeprefix("targets.")
            person, period = inputs.person, inputs.period
            wording = ("for-person-in-period" if person and period else "for-person" if person
                       else "in-period" if period else "message")
            row = f"manager_id={person or '…'}, period={period or '…'}, name={name}, value=…"
            return Reason("missing_target", "missing_target",
                          t(f"eval.missing_target.{wording}", name=name, person=person, period=period), node,
                          t("eval.missing_target.help", row=row, name=name))
        if key is not None and key.startswith("managers."):
            return _reason("missing_input", "manager_column_empty", node, name=key)
        if key == SCORE:
            if not p.kpis:
                return _reason("no_value", "no_kpis", node)
            return _reason("no_value", "score_without_value", node)
        if key in p.kpis:
            return _reason("no_value", "kpi_without_value", node, name=key)
        if key in p.pays:
            return _reason("no_value", "pay_without_value", node, name=key)
        return Reason("no_value", "no_value", t("eval.no_value.message", text=self.text.text(node.span)), node)

    def _error(self, subject: Subject, formula: Any, cause: str, code: str, message: Text, span: Span,
               help: Text | None) -> EvalError:
        return EvalError(subject=subject.name, message=message, formula=self.text.text(formula.span), cause=cause,
                         code=code, help=help, **_position(span))


class WrongKind(NamedTuple):
    """A manager column whose value for this person is not of the kind the formula reads it as."""

    node: ast.Dotted
    code: str
    message: Text
    help: Text


def manager_column_of_wrong_kind(expr: Any, inputs: Any) -> WrongKind | None:
    """The manager column `expr` reads as a number, or as a condition, whose value for this
    person is not one (see `_column_of_wrong_kind`), with the message and the help that say so;
    None when there is none."""
    column = _column_of_wrong_kind(expr, inputs)
    if column is None:
        return None
    node, value, wanted = column
    name = f"managers.{node.column}"
    code = f"manager_column_not_a_{wanted}"
    return WrongKind(node, code, t(f"eval.{code}.message", name=name, value=_shown(value)),
                     t(f"eval.{code}.help", name=name))


def _column_of_wrong_kind(expr: Any, inputs: Any) -> tuple[ast.Dotted, Any, str] | None:
    """The manager column `expr` reads whose value for this person is not of the kind it is read
    as, and that kind (`number`, `yes_no`, `date`): a column standing as a condition itself must
    hold a yes/no, one compared with a date a date, any other a number (one compared with a text,
    a yes/no or another manager column is compared as it is, as formula_code.py compares it).
    First where a number is computed with it (outside any condition), then inside a condition, in
    formula order."""
    columns = inputs.managers
    compared_with = {id(side): other for node in ast.walk(expr) for side, other in _compared_as_it_is(node)}
    found = []
    for node, in_condition, as_condition in _leaves(expr):
        if not is_manager_column(node):
            continue
        value = columns.get(node.column)
        other = compared_with.get(id(node))
        if isinstance(other, ast.DateLit):
            wanted, fits = "date", type(value) is type(other.value)
        elif other is not None:
            continue
        elif as_condition:
            wanted, fits = "yes_no", isinstance(value, bool)
        else:
            wanted, fits = "number", type(value) is Decimal
        if value is not None and not fits:
            found.append((node, value, in_condition, wanted))
    found.sort(key=lambda f: f[2])  # stable: in formula order, values before conditions
    return (found[0][0], found[0][1], found[0][3]) if found else None


def _compared_as_it_is(node: Any) -> list[tuple[Any, Any]]:
    """The sides of a comparison or an `in` list compared as they are, not as numbers, each with
    what it is compared with (the `in` list itself for its operand and items)."""
    if isinstance(node, ast.Compare):
        return [(side, other) for side, other in ((node.left, node.right), (node.right, node.left))
                if kinded_comparison(other)]
    if isinstance(node, ast.InList):
        return [(side, node) for side in (node.operand, *node.items)]
    return []


def _leaves(expr: Any, in_condition: bool = False, as_condition: bool = False):
    """(node, whether it is inside a condition, whether it stands as a condition itself)."""
    yield expr, in_condition, as_condition
    if isinstance(expr, ast.If):
        yield from _leaves(expr.cond, True, True)
        yield from _leaves(expr.then, in_condition)
        yield from _leaves(expr.else_, in_condition)
    elif isinstance(expr, ast.Logic):
        yield from _leaves(expr.left, True, True)
        yield from _leaves(expr.right, True, True)
    elif isinstance(expr, ast.Not):
        yield from _leaves(expr.operand, True, True)
    else:
        # A comparison or `in` is a yes/no, which the compiler allows only as a condition: it is
        # already inside one.
        for child in ast.children(expr):
            yield from _leaves(child, in_condition)


def _shown(value: Any) -> str:
    """A manager column's value as the data has it: `2024-03-01`, `true`, «Юг»."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    return f"«{value}»"


def _reason(cause: str, code: str, node: Any, **facts: object) -> Reason:
    """A reason said by its code's own message and help (`eval.CODE.message`, `eval.CODE.help`)."""
    return Reason(cause, code, t(f"eval.{code}.message", **facts), node, t(f"eval.{code}.help", **facts))


def _position(span: Span) -> dict[str, Any]:
    return {"file": span.file, "line": span.line, "column": span.column, "end_line": span.end_line,
            "end_column": span.end_column}
