"""A plan's `test` blocks checked: each `given` sets something a person brings (a metric, salary, a
target, a manager's column, an earlier period's figure), each `expect` names something computed,
no value twice, and every test expects something. Running them is `evaluate/plan_tests.py`.
"""

from __future__ import annotations

from kpilang.compile.history import is_previous
from kpilang.compile.names import suggest
from kpilang.compile.program import SALARY, SCORE, TestDef, TestValue
from kpilang.compile.resolver import NameResolver
from kpilang.compile.typer import Typer
from kpilang.compile.written import literal_value, shown
from kpilang.diagnostics import Note, Span
from kpilang.messages import t
from kpilang.syntax import ast


def compile_test(c: NameResolver, node: ast.Test) -> TestDef | None:
    given: list[TestValue] = []
    expect: list[TestValue] = []
    ok = True
    seen: dict[tuple[str, str], Span] = {}
    for section in node.sections:
        for a in section.assignments:
            key = shown(a.target)
            if (section.keyword, key) in seen:
                c.error("E0902", "duplicate-test-value", t(f"E0902.{section.keyword}", name=key), a.target.span,
                        t("E0902.help"), notes=(Note(span=seen[section.keyword, key], message=t("E0902.note")),))
                ok = False
                continue
            seen[section.keyword, key] = a.target.span
            if not _test_target(c, a.target, section.keyword):
                ok = False
                continue
            value = literal_value(a.value)
            tv = TestValue(target=a.target, value=value, span=a.span)
            (given if section.keyword == "given" else expect).append(tv)
    if not expect and ok:
        c.error("E0903", "test-without-expect", t("E0903.message", name=node.name), node.span,
                t("E0903.help"))
        ok = False
    return TestDef(name=node.name, given=tuple(given), expect=tuple(expect), span=node.span) if ok else None


def _test_target(c: NameResolver, target: ast.Expr, section: str) -> bool:
    if isinstance(target, ast.Dotted):
        if target.table == "targets":
            return True
        if target.table == "managers" and section == "given":
            return True
        c.error("E0901", "bad-test-name", t("E0901.cannot-set", name=shown(target), section=section), target.span,
                t("E0901.given-help"))
        return False
    if isinstance(target, ast.Call):
        if is_previous(target) and section == "given":  # an earlier period's figure: compile/history.py
            return Typer(c, "", context="scalar").unit(target) is not None
        if target.func not in c.decls or not isinstance(c.decls[target.func], ast.Table) or section != "expect":
            c.error("E0901", "bad-test-name", t("E0901.not-a-table", name=target.func),
                    target.func_span, t("E0901.table-help"))
            return False
        return Typer(c, "", context="scalar").unit(target.args[0]) is not None
    assert isinstance(target, ast.Name)
    name = target.name
    if section == "given":
        if name == SALARY or isinstance(c.decls.get(name), ast.Metric):
            return True
        hint = t("E0901.given-computed")
    else:
        decl = c.decls.get(name)
        if name == SCORE or isinstance(decl, ast.Kpi | ast.Pay | ast.Metric):
            return True
        if isinstance(decl, ast.Table):
            calls = c.table_calls.get(name, [])
            metric = _metric_making(c, calls[0]) if len(calls) == 1 else None
            if len(calls) == 1 and metric is None:
                return True
            hint = (t("E0901.table-in-metric", name=name, metric=metric) if metric is not None
                    else t("E0901.table-uses", name=name, count=len(calls)))
        else:
            hint = t("E0901.expect-help")
    suggestion = suggest(name, [*c.decls, SCORE, SALARY])
    if name not in c.decls and name not in (SCORE, SALARY) and suggestion:
        hint = t("did-you-mean", name=suggestion)
    c.error("E0901", "bad-test-name", t("E0901.cannot-set", name=name, section=section) if name in c.decls or name in (SCORE, SALARY)
            else t("E0201.unknown-name", name=name), target.span, hint)
    return False


def _metric_making(c: NameResolver, call: ast.Call) -> str | None:
    """The metric whose formula makes this table call, if one does: a test gives metrics rather
    than computing them, so it never makes that look-up."""
    return next((d.name.name for d in c.decls.values()
                 if isinstance(d, ast.Metric) and any(n is call for n in ast.walk(d.expr))), None)
