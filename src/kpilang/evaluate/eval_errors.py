"""Turning a figure that has no value into an `EvalError` in plain words.

Called by the compiled plan function only when a KPI, the score or a pay comes out with no value
(or a formula raised), with the function's local variables. It walks the failing formula again
with the reference evaluator to find where the no value came from, and says it with the numbers:
"division by zero: calls is 0 in meetings / calls", "no target `revenue` for m4 in 2026-07".
"""

from __future__ import annotations

from decimal import DivisionByZero, InvalidOperation, Overflow
from typing import Any

from kpilang.compile.program import SALARY, SCORE, Program
from kpilang.diagnostics import Span
from kpilang.evaluate.formula_text import SourceText
from kpilang.evaluate.no_value import Reason, ReferenceEvaluator
from kpilang.evaluate.numbers import percent, plain
from kpilang.evaluate.plan_code import PlanCode, Subject, TableFunctions, leaf_key
from kpilang.evaluate.results import EvalError
from kpilang.evaluate.table_lookup import LookupFailed
from kpilang.syntax import ast

_AGGREGATE_WORDS = {
    "avg": "the average", "min": "the smallest value", "max": "the largest value", "median": "the median",
    "share": "the share",
}


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
                    subject, definition.expr, "division_by_zero",
                    f"division by zero: the value of `{subject.name}` is 0, and a `lower is better` KPI's attainment "
                    f"is target / value ({plain(target)} / 0)",
                    definition.expr.span,
                    "a lower-is-better KPI needs a value above 0; if 0 is possible, measure something that cannot be 0",
                )
            return self._error(
                subject, definition.target, "division_by_zero",
                f"division by zero: the target of `{subject.name}` is 0, so its attainment (value / target) "
                "cannot be computed",
                definition.target.span, "a target must be above 0; check the target for this person and period",
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
            subject, definition.floor, "floor_above_cap",
            f"the floor of `{subject.name}` ({self.text.text(definition.floor.span)} = {plain(floor)}) is above its cap "
            f"({self.text.text(definition.cap.span)} = {plain(cap)}): no amount satisfies both",
            definition.clause_spans.get("floor", definition.floor.span),
            "make the floor lower than the cap for everyone, e.g. with `min(…)` in the floor",
        )

    def _score(self, frame: dict[str, Any]) -> EvalError:
        kpis = [s for s in self.code.subjects if s.kind == "kpi"]
        formula = " + ".join(f"{percent(k.weight)} × {n}" for n, k in self.program.kpis.items())
        if not kpis:
            span = self.program.plan.span if self.program.plan else _file_start(self.program.file)
            return EvalError(subject=SCORE, message="the plan has no KPIs, so there is no kpi_score",
                             formula="", cause="no_value", help="declare KPIs, or do not use kpi_score",
                             **_position(span))
        by_name = {s.name: s for s in kpis}
        failed = [name for name in self.program.kpis if frame.get(by_name[name].var) is None]
        if failed:
            first = self.program.kpis[failed[0]]
            names = ", ".join(f"`{n}`" for n in failed)
            message = (f"kpi_score has no value: KPI {names} has none (see its error)" if len(failed) == 1
                       else f"kpi_score has no value: KPIs {names} have none (see their errors)")
            return EvalError(subject=SCORE, message=message, formula=formula, cause="no_value",
                             help="fix what keeps " + names + " from being computed", **_position(first.name_span))
        raise AssertionError("kpi_score failed with every KPI computed")

    def _raised(self, subject: Subject, exc: BaseException, frame: dict[str, Any]) -> EvalError:
        expr = self._part_formula(subject, frame)
        if isinstance(exc, LookupFailed):
            call = exc.call if exc.call is not None else expr
            call_text = self.text.text(call.span)
            return self._error(subject, expr, exc.cause, f"{call_text}: {exc.message}", call.span, exc.help)
        if isinstance(exc, InvalidOperation | DivisionByZero | Overflow):
            message = f"this figure cannot be computed exactly ({type(exc).__name__}): a value is too large or invalid"
        else:
            message = f"values of kinds that do not combine: {exc}"
        return self._error(subject, expr, "arithmetic", message, expr.span,
                           "check the data this formula reads for values out of the ordinary")

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
            leaf_value=lambda node: frame.get(self.code.vars.get(leaf_key(node), "")),
            leaf_reason=lambda node: self.leaf_reason(node, frame.get("inputs")),
            table_call=self.tables.result,
            is_table=lambda f: f in self.program.tables,
        )
        try:
            value, reason = evaluator.evaluate(expr)
        except LookupFailed as exc:  # the compiled code raised first in practice; kept for safety
            return self._raised(subject, exc, frame)
        if reason is None:  # cannot happen while both evaluators agree; say so rather than guess
            reason = Reason("no_value", f"`{self.text.text(expr.span)}` gave no value", expr)
        message = reason.message
        if part is not None and reason.cause not in ("missing_target",):
            message = f"the {part} has no value: {message}"
        return self._error(subject, expr, reason.cause, message, reason.node.span, reason.help)

    # ---- leaves ----
    def leaf_reason(self, node: Any, inputs: Any) -> Reason:
        key = leaf_key(node)
        p = self.program
        if key in p.metrics:
            if inputs is not None and key not in inputs.metrics:
                return Reason("missing_input", f"metric `{key}` was not given", node,
                              f"compute `{key}` from the data, or in a test add `given {key} = …`")
            metric = p.metrics[key]
            what = _AGGREGATE_WORDS.get(metric.expr.func) if isinstance(metric.expr, ast.Call) else None
            detail = f" ({what} of no rows)" if what else ""
            return Reason("no_value", f"metric `{key}` has no value for this person in this period{detail}", node,
                          f"say what counts when there is nothing to measure: `{key} otherwise …`")
        if key == SALARY:
            return Reason("missing_input", "the salary is empty for this person", node,
                          "fill in `salary` in managers (or in a test, `given salary = …`)")
        if key is not None and key.startswith("targets."):
            name = key.split(".", 1)[1]
            person = getattr(inputs, "person", None)
            period = getattr(inputs, "period", None)
            whom = (f" for {person}" if person else "") + (f" in {period}" if period else "")
            row = f"manager_id={person or '…'}, period={period or '…'}, name={name}, value=…"
            return Reason("missing_target", f"no target `{name}`{whom}", node,
                          f"add a row to targets: {row} (or in a test, `given targets.{name} = …`)")
        if key is not None and key.startswith("managers."):
            return Reason("missing_input", f"`{key}` is empty for this person", node,
                          f"fill in the column in managers (or in a test, `given {key} = …`)")
        if key == SCORE:
            if not p.kpis:
                return Reason("no_value", "the plan has no KPIs, so there is no kpi_score", node)
            return Reason("no_value", "kpi_score has no value (see its error)", node,
                          "fix what keeps the KPIs from being computed")
        if key in p.kpis:
            return Reason("no_value", f"KPI `{key}` has no value (see its error)", node,
                          f"fix what keeps `{key}` from being computed")
        if key in p.pays:
            return Reason("no_value", f"pay `{key}` has no value (see its error)", node,
                          f"fix what keeps `{key}` from being computed")
        return Reason("no_value", f"`{self.text.text(node.span)}` has no value", node)

    def _error(self, subject: Subject, formula: Any, cause: str, message: str, span: Span,
               help: str | None) -> EvalError:
        return EvalError(subject=subject.name, message=message, formula=self.text.text(formula.span), cause=cause,
                         help=help, **_position(span))


def _position(span: Span) -> dict[str, Any]:
    return {"file": span.file, "line": span.line, "column": span.column, "end_line": span.end_line,
            "end_column": span.end_column}


def _file_start(file: str) -> Span:
    return Span(file=file, line=1, column=1, end_line=1, end_column=1)
