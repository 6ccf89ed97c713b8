"""The declarations of a plan, one at a time: a metric, KPI, table or pay's clauses checked (each
allowed once, and only where it belongs), its formulas typed (`typer.py`), its constants read, and
its checked definition made (`MetricDef`, `KpiDef`, `TableDef`, `PayDef`).

Each function reports through the compiler (`NameResolver`) and returns None for a declaration
with an error, so that the compiler goes on to the next one.
"""

from __future__ import annotations

from decimal import Decimal

from kpilang.compile import units as U
from kpilang.compile.help import money_help
from kpilang.compile.names import KINDS
from kpilang.compile.program import Band, KpiDef, MetricDef, PayDef, TableDef, Unit
from kpilang.compile.resolver import NameResolver
from kpilang.compile.typer import Typer
from kpilang.compile.written import shown
from kpilang.diagnostics import Note, Span
from kpilang.messages import join, t
from kpilang.syntax import ast


def _clauses(c: NameResolver, node, allowed: tuple[str, ...]) -> dict[str, ast.Clause]:
    found: dict[str, ast.Clause] = {}
    for clause in node.clauses:
        word = clause.keyword
        if word not in allowed:
            c.error("E0503", "misplaced-clause", t("E0503.message", clause=word, decl=t(f"decl.{node.decl}")),
                    clause.span, t("E0503.help", decl=t(f"decl.{node.decl}"), allowed=join(f"`{a}`" for a in allowed),
                                   clause=word, owners=t(f"E0503.owner.{_CLAUSE_OWNERS[word]}")))
            continue
        if word in found:
            c.error("E0502", "duplicate-clause", t("E0502.message", name=word), clause.span, t("E0502.help"),
                    notes=(Note(span=found[word].span, message=t("E0502.note")),))
            continue
        found[word] = clause
    return found


def metric(c: NameResolver, node: ast.Metric) -> MetricDef | None:
    name = node.name.name
    c.deps[name] = set()
    clauses = _clauses(c, node, ("kind", "uncontrollable", "controllable"))
    kind = None
    if "kind" in clauses:
        word = clauses["kind"].words[0]
        if word.name not in KINDS:
            c.error("E0506", "bad-kind", t("E0506.message", word=word.name), word.span,
                    t("E0506.help"))
        else:
            kind = word.name
    uncontrollable = None
    if "uncontrollable" in clauses:
        uncontrollable = tuple(w.name for w in clauses["uncontrollable"].words)
    controllable = _controllable_reason(c, name, clauses)
    typer = Typer(c, name, context="metric")
    unit = typer.unit(node.expr)
    if unit is None:
        return None
    if not typer.aggregates:
        c.error("E0701", "metric-without-data", t("E0701.message", name=name), node.expr.span,
                t("E0701.help"))
        return None
    if unit not in U.NUMERIC:
        c.error("E0301", "unit-mismatch", t("E0301.metric", name=name, unit=U.WORDS[unit]),
                node.expr.span)
        return None
    c.units[name] = unit
    return MetricDef(
        name=name, label=node.label, expr=node.expr, kind=kind, uncontrollable_for=uncontrollable,
        controllable_because=controllable,
        unit=_concrete(unit), tables=tuple(sorted(typer.tables)), span=node.span, name_span=node.name.span,
        clause_spans=_spans(clauses),
    )


def _controllable_reason(c: NameResolver, name: str, clauses: dict[str, ast.Clause]) -> str | None:
    """The author's reason for overruling the built-in controllability model: a sentence
    someone can check, so an empty one is refused, and so is a metric declared both ways."""
    clause = clauses.get("controllable")
    if clause is None:
        return None
    reason = clause.value.value.strip() if isinstance(clause.value, ast.Str) else ""
    if "uncontrollable" in clauses:
        c.error("E0508", "controllable-both-ways", t("E0508.message", name=name), clause.span,
                t("E0508.help"), notes=(Note(span=clauses["uncontrollable"].span, message=t("E0508.note")),))
        return None
    if not reason:
        c.error("E0509", "controllable-without-reason", t("E0509.message", name=name), clause.span,
                t("E0509.help"))
        return None
    return reason


def kpi(c: NameResolver, node: ast.Kpi) -> KpiDef | None:
    name = node.name.name
    c.deps[name] = set()
    clauses = _clauses(c, node, ("target", "weight", "cap", "lower is better"))
    ok = True
    for req in ("target", "weight"):
        if req not in clauses:
            ok = False
            c.error("E0501", "missing-clause", t("E0501.message", name=name, clause=req), node.name.span,
                    t("E0501.help"))
    value_unit = Typer(c, name, context="scalar").unit(node.expr)
    target_unit = None
    if "target" in clauses:
        target_unit = Typer(c, name, context="scalar").unit(clauses["target"].value)
    weight = _percent_clause(c, clauses.get("weight"), "weight", name, allow_over_one=False)
    cap = _percent_clause(c, clauses.get("cap"), "cap", name, allow_over_one=True)
    if value_unit is None or target_unit is None or not ok:
        return None
    common = U.unify(value_unit, target_unit)
    if common is None or common not in U.NUMERIC:
        c.error("E0301", "unit-mismatch",
                t("E0301.target", name=name, target=U.WORDS[target_unit], value=U.WORDS[value_unit]),
                clauses["target"].value.span, t("E0301.target-help"))
        return None
    if weight is None or ("cap" in clauses and cap is None):
        return None
    c.units[name] = Unit.NUMBER
    return KpiDef(
        name=name, label=node.label, expr=node.expr, target=clauses["target"].value, weight=weight, cap=cap,
        lower_is_better="lower is better" in clauses, unit=_concrete(common), span=node.span,
        name_span=node.name.span, clause_spans=_spans(clauses),
    )


def _percent_clause(c: NameResolver, clause: ast.Clause | None, word: str, owner: str, allow_over_one: bool) -> Decimal | None:
    if clause is None:
        return None
    value = clause.value
    if not isinstance(value, ast.Percent):
        c.error("E0504", f"bad-{word}", t(f"E0504.{word}-percent", owner=owner),
                value.span, t("E0504.percent-help", clause=word))
        return None
    if value.value <= 0 or (not allow_over_one and value.value > 1):
        c.error("E0504", f"bad-{word}", t(f"E0504.{word}-range", owner=owner), value.span,
                t(f"E0504.{word}-help"))
        return None
    return value.value


def table(c: NameResolver, node: ast.Table) -> TableDef | None:
    name = node.name.name
    bands: list[Band] = []
    key_units: set[Unit] = set()
    value_units: set[Unit] = set()
    ok = True
    if not node.bands:
        c.error("E0801", "empty-table", t("E0801.empty", name=name), node.name.span,
                t("E0801.empty-help"))
        return None
    for band in node.bands:
        low = _constant(c, band.low, key_units) if band.low is not None else None
        high = _constant(c, band.high, key_units) if band.high is not None else None
        value = _constant(c, band.value, value_units)
        if (band.low is not None and low is None) or (band.high is not None and high is None) or value is None:
            ok = False
            continue
        if low is not None and high is not None and low >= high:
            c.error("E0802", "empty-band", t("E0802.message", low=shown(band.low), high=shown(band.high)),
                    band.span, t("E0802.help"))
            ok = False
            continue
        bands.append(Band(low=low, high=high, value=value, span=band.span))
    if not ok:
        return None
    key_unit = Unit.NUMBER if Unit.NUMBER in key_units else (next(iter(key_units)) if key_units else Unit.FLEX)
    value_unit = Unit.NUMBER if Unit.NUMBER in value_units else Unit.FLEX
    if len(key_units - {Unit.FLEX}) > 1 or key_units - {Unit.FLEX, Unit.NUMBER, Unit.DURATION}:
        c.error("E0301", "unit-mismatch", t("E0301.bands", name=name), node.span,
                t("E0301.bands-help"))
        return None
    negative = next((b for b in bands if (b.low is not None and b.low < 0) or (b.high is not None and b.high < 0)), None)
    if node.graduated and negative is not None:
        c.error("E0803", "bad-graduated-table", t("E0803.message", name=name), negative.span,
                t("E0803.help"))
        return None
    c.units[name] = value_unit
    return TableDef(name=name, label=node.label, graduated=node.graduated, bands=tuple(bands),
                    key_unit=key_unit, value_unit=value_unit, span=node.span, name_span=node.name.span)


def _constant(c: NameResolver, expr: ast.Expr, seen_units: set[Unit]) -> Decimal | None:
    negate = False
    if isinstance(expr, ast.Neg):
        negate, expr = True, expr.operand
    if isinstance(expr, ast.Num):
        seen_units.add(Unit.FLEX)
        value = expr.value
    elif isinstance(expr, ast.Percent):
        seen_units.add(Unit.NUMBER)
        value = expr.value
    elif isinstance(expr, ast.Duration):
        seen_units.add(Unit.DURATION)
        value = Decimal(expr.seconds)
    else:
        c.error("E0801", "bad-band", t("E0801.band"), expr.span,
                t("E0801.band-help"))
        return None
    return -value if negate else value


def pay(c: NameResolver, node: ast.Pay) -> PayDef | None:
    name = node.name.name
    c.deps[name] = set()
    clauses = _clauses(c, node, ("cap", "floor"))
    ok = True
    for part, expr in [("formula", node.expr)] + [(k, clause.value) for k, clause in clauses.items()]:
        unit = Typer(c, name, context="scalar").unit(expr)
        if unit is None:
            ok = False
        elif not U.fits(unit, Unit.MONEY):
            ok = False
            what = t("E0301.pay-formula", name=name) if part == "formula" else t(f"E0301.pay-{part}", name=name)
            c.error("E0301", "unit-mismatch", t("E0301.pay", what=what, unit=U.WORDS[unit]), expr.span,
                    money_help(unit))
    if not ok:
        return None
    c.units[name] = Unit.MONEY
    return PayDef(
        name=name, label=node.label, expr=node.expr, cap=clauses["cap"].value if "cap" in clauses else None,
        floor=clauses["floor"].value if "floor" in clauses else None, span=node.span,
        name_span=node.name.span, clause_spans=_spans(clauses),
    )


def _spans(clauses: dict[str, ast.Clause]) -> dict[str, Span]:
    return {word: clause.span for word, clause in clauses.items()}


def _concrete(unit: Unit) -> Unit:
    return Unit.NUMBER if unit in (Unit.FLEX, Unit.ANY) else unit


_CLAUSE_OWNERS = {
    "target": "kpi", "weight": "kpi", "cap": "kpi-or-pay", "lower is better": "kpi",
    "floor": "pay", "kind": "metric", "uncontrollable": "metric", "controllable": "metric",
}
"""Clause → the key of the words that say which declarations take it (`E0503.owner.*`)."""
