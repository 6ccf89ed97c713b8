"""Running a plan's `test` blocks: `given` values in, figures out, compared exactly.

A test sets metric values, `salary`, `targets.NAME` and `managers.COLUMN` directly (no data is
read), evaluates the plan's formulas for that one imagined person, and compares every `expect`
as an exact decimal: a KPI by its attainment, `kpi_score`, a pay by its rounded amount, a metric
by its value, a table by its result (`multiplier(kpi_score)`, or the bare table name when the plan
calls it once). A value an expectation needs but `given` lacks is a test error that names it:
a test never passes on a figure made up from a missing input.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, DivisionByZero, InvalidOperation, Overflow
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kpilang.compile import compile_file
from kpilang.compile.program import SALARY, SCORE, Program, TestDef
from kpilang.data.values import ISO_DATE
from kpilang.diagnostics import Diagnostic
from kpilang.evaluate.eval_errors import manager_column_of_wrong_kind
from kpilang.evaluate.formula_text import SourceText
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs
from kpilang.compile.history import PREVIOUS, is_history
from kpilang.evaluate.plan_code import leaf_key
from kpilang.evaluate.results import EvalError, PersonOutcome, Step
from kpilang.evaluate.table_lookup import LookupFailed
from kpilang.evaluate.tracing import USED_BY, figure_of
from kpilang.messages import Text, t
from kpilang.syntax import ast


class ExpectationOutcome(BaseModel):
    """One `expect NAME = VALUE` of a test."""

    name: str
    """As written: `kpi_score`, `bonus`, `multiplier(kpi_score)`."""
    kind: str
    """metric | kpi | score | pay | table | target"""
    expected: Decimal | str | bool
    actual: Decimal | str | bool | None
    passed: bool
    problem: Text | None = None
    """Why there is no figure to compare: an evaluation error, or inputs `given` lacks (words of
    the `test.` catalog entries, said in the reader's language when shown)."""
    line: int
    column: int


class PlanTestOutcome(BaseModel):
    """One `test` block."""

    name: str
    file: str
    line: int
    column: int
    passed: bool
    expectations: list[ExpectationOutcome]
    missing: list[str] = []
    """Inputs the expectations need that `given` does not set."""
    problems: list[Text] = []
    """Given values that cannot be used (a metric given a text, …)."""
    errors: list[EvalError] = []
    """Evaluation errors of the figures the test checks and of what they are computed from."""
    trace: list[Step] = []
    """The steps that produced the figures of the failed expectations."""


class FileTestReport(BaseModel):
    """The tests of one plan file, or why they could not run."""

    file: str
    compiled: bool
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    tests: list[PlanTestOutcome] = []

    @property
    def passed(self) -> int:
        return sum(t.passed for t in self.tests)

    @property
    def failed(self) -> int:
        return sum(not t.passed for t in self.tests)


def run_tests_in_file(path: str | Path) -> FileTestReport:
    """Compile a plan file and run its tests; a plan that does not compile runs no test."""
    result = compile_file(path)
    compiled = result.program is not None
    return FileTestReport(file=str(path), compiled=compiled, diagnostics=result.diagnostics, sources=result.sources,
                          tests=run_plan_tests(result.program) if compiled else [])


def run_plan_tests(program: Program, engine: FormulaEngine | None = None) -> list[PlanTestOutcome]:
    """Run every test block of a compiled program, in the order written."""
    engine = engine or FormulaEngine(program)
    return [_run_one(program, engine, test) for test in program.tests]


# ---- one test ------------------------------------------------------------------------------------


def _run_one(program: Program, engine: FormulaEngine, test: TestDef) -> PlanTestOutcome:
    inputs, given_keys, problems = _inputs(test)
    outcome = engine.evaluate(inputs)  # with its trace: a failed expectation shows its steps
    expectations: list[ExpectationOutcome] = []
    missing_all: list[str] = []
    relevant: set[str] = set()
    failed_subjects: set[str] = set()
    for tv in test.expect:
        kind, name, needs, call, subjects = _describe(program, tv.target)
        relevant |= subjects
        missing = _missing_inputs(program, needs, given_keys)
        for m in missing:
            if m not in missing_all:
                missing_all.append(m)
        if missing:
            actual, problem = None, t("test.not-given", missing=", ".join(missing), name=name)
        else:
            actual, problem = _actual(program, engine, inputs, outcome, kind, name, call)
        passed = problem is None and _equal(actual, tv.value)
        if not passed:
            failed_subjects |= subjects
        expectations.append(ExpectationOutcome(
            name=name, kind=kind, expected=tv.value, actual=actual, passed=passed, problem=problem,
            line=tv.span.line, column=tv.span.column,
        ))
    # The errors of the checked figures and of everything they are computed from, so that a
    # failure shows its root cause (a division by zero in a KPI), not only "bonus has no value".
    for subject in list(relevant):
        relevant |= program.reaches(subject)
    errors = [e for e in outcome.errors if e.subject in relevant]
    passed = not problems and all(e.passed for e in expectations)
    trace = _trace_for(program, outcome, failed_subjects)  # none when no expectation failed
    return PlanTestOutcome(
        name=test.name, file=test.span.file, line=test.span.line, column=test.span.column, passed=passed,
        expectations=expectations, missing=missing_all, problems=problems, errors=errors, trace=trace,
    )


def _inputs(test: TestDef) -> tuple[PersonInputs, set[str], list[str]]:
    metrics: dict[str, Decimal | None] = {}
    targets: dict[str, Decimal] = {}
    managers: dict[str, Any] = {}
    salary = None
    history: dict[str, Decimal | None] = {}
    keys: set[str] = set()
    problems: list[Text] = []
    for tv in test.given:
        key = leaf_key(tv.target)
        keys.add(key)
        number = tv.value if isinstance(tv.value, Decimal) else None
        table, _, column = key.partition(".")  # `managers.salary` is read as `salary` (leaf_key)
        if table == "managers":
            managers[column] = _as_in_managers(tv.value)
            continue
        if number is None:
            problems.append(t("test.not-a-number", key=key, value=_shown(tv.value), line=tv.span.line))
            continue
        if key == SALARY:
            salary = number
        elif table == "targets":
            targets[column] = number
        elif is_history(tv.target):
            history[key] = number
        else:
            metrics[key] = number
    inputs = PersonInputs(metrics=metrics, salary=salary, targets=targets, managers=managers, history=history)
    return inputs, keys, problems


def _as_in_managers(value: Any) -> Any:
    """A `given managers.X` value as the same cell of managers would be read: a date written as
    one (`2024-03-01`, which a test holds as its text) is a date, as in an extra column of dates."""
    if isinstance(value, str) and re.fullmatch(ISO_DATE, value):
        try:
            return date.fromisoformat(value)
        except ValueError:  # 2024-02-30: not a day, so a text
            return value
    return value


def _describe(program: Program, target: Any) -> tuple[str, str, set[str], ast.Call | None, set[str]]:
    """(kind, name as written, the names whose figures it reads, the table call if any, the
    figures whose steps a failure shows).

    A failure shows the steps of the figures read and, for a table expected by its name, of the
    declaration whose formula makes its one call. A call written in the test (`multiplier(kpi_score)`)
    is the test's own look-up, which no declaration makes."""
    if isinstance(target, ast.Call):
        needs = _names_in(target)
        return "table", SourceText(program.sources).text(target.span), needs, target, needs
    key = leaf_key(target)
    if key in program.tables:
        user, call = _only_call(program, key)
        needs = _names_in(call)
        return "table", key, needs, call, needs | {user}
    kind = ("score" if key == SCORE else "kpi" if key in program.kpis else "pay" if key in program.pays
            else "metric" if key in program.metrics else "target")
    return kind, key, {key}, None, {key}


def _missing_inputs(program: Program, subjects: set[str], given: set[str]) -> list[str]:
    """The inputs (metrics, salary, targets.X, managers.X) the subjects need and `given` lacks."""
    missing: list[str] = []
    seen: set[str] = set()
    stack = list(subjects)  # in any order: the inputs found are sorted
    while stack:
        node = stack.pop()
        if node in seen or node in given:
            continue
        seen.add(node)
        if node in program.metrics or node == SALARY or node.startswith(("targets.", "managers.", PREVIOUS + "(")):
            missing.append(node)
            continue
        stack.extend(program.depends_on.get(node, ()))
    return sorted(missing)


def _actual(program: Program, engine: FormulaEngine, inputs: PersonInputs, outcome: PersonOutcome, kind: str,
            name: str, call: ast.Call | None) -> tuple[Any, Text | None]:
    if kind == "table":
        try:
            value = engine.evaluate_expression(call, lambda node: figure_of(program, inputs, outcome, leaf_key(node)))
        except LookupFailed as exc:  # a look-up outside the bands: the message says which
            return None, exc.message
        except (InvalidOperation, DivisionByZero, Overflow) as exc:  # as the plan's evaluation says it
            return None, t("eval.arithmetic.inexact", error=type(exc).__name__)
        except TypeError:  # a manager column read as a number given a text, a date or a yes/no
            column = manager_column_of_wrong_kind(call, inputs)
            if column is None:
                raise
            return None, column.message
        if value is None:
            blockers = [n for n in sorted(_names_in(call)) if figure_of(program, inputs, outcome, n) is None]
            if not blockers:
                return None, t("test.argument-without-value")
            why = _why(outcome, blockers[-1])
            for name in reversed(blockers[:-1]):
                why = t("test.reasons", first=_why(outcome, name), rest=why)
            return None, why
        return value, None
    value = figure_of(program, inputs, outcome, name)
    if value is None:
        return None, _why(outcome, name)
    return value, None


def _why(outcome: PersonOutcome, name: str) -> Text:
    error = outcome.error_for(name)
    if error is None:
        return t("test.without-value", name=name)
    return t("test.error-at", message=error.message, location=error.location())


def _equal(actual: Any, expected: Any) -> bool:
    """A figure (a decimal) equals a number written in the test exactly; a text or `true` never
    equals a figure, not even `true` and 1."""
    return isinstance(actual, Decimal) and isinstance(expected, Decimal) and actual == expected


def _trace_for(program: Program, outcome: PersonOutcome, subjects: set[str]) -> list[Step]:
    """The steps of the subjects and of everything they are computed from; a table look-up only
    when the figure that made it is among them (a table that two pays call shows, under one
    pay, that pay's look-up alone)."""
    wanted = set(subjects)
    for s in subjects:
        wanted |= program.reaches(s)
    return [step for step in outcome.trace if (_used_by(step) if step.kind == "table" else step.subject) in wanted]


def _used_by(step: Step) -> str:
    """The declaration whose formula made a table look-up: its step's last note says (tracing)."""
    note = step.notes[-1]
    assert note.key == USED_BY, note
    return dict(note.args)["subject"]


# ---- helpers -------------------------------------------------------------------------------------


def _names_in(expr: Any) -> set[str]:
    """The names an expression reads (`true` and `false` are literals, not names)."""
    return {k for k in (leaf_key(n) for n in ast.walk(expr)) if k is not None}


def _only_call(program: Program, table: str) -> tuple[str, ast.Call]:
    """The one call of a table expected by its name (the compiler refuses the name of a table
    called more than once), with the declaration whose formula makes it."""
    return next((user, node) for user, node in _table_calls(program) if node.func == table)


def _table_calls(program: Program):
    """(declaration, call) for every table call of the KPIs and pays; a metric's are left out: a
    test gives metrics and makes no look-up of theirs (the compiler refuses a table expected by its
    name whose one call is in a metric)."""
    for name, kpi in program.kpis.items():
        for expr in (kpi.expr, kpi.target):
            yield from ((name, n) for n in ast.walk(expr) if isinstance(n, ast.Call) and n.func in program.tables)
    for name, pay in program.pays.items():
        for expr in (pay.expr, pay.cap, pay.floor):
            if expr is not None:
                yield from ((name, n) for n in ast.walk(expr) if isinstance(n, ast.Call) and n.func in program.tables)


def _shown(value: str | bool) -> Text | str:
    """A given value that is not a number (a test's values are numbers, texts and yes/no), as
    the problem quotes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return t("test.text-value", value=value)


__all__ = ["ExpectationOutcome", "FileTestReport", "PlanTestOutcome", "run_plan_tests", "run_tests_in_file"]
