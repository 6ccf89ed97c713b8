"""Modules → one checked `Program`: declarations, plan fields, clauses, dependency order, cycles, tests.

The units of formulas are checked by `typer.py`; the built-in words are in `names.py`, the help
texts in `help.py`.

Every problem is a diagnostic with the exact span of the offending text; the compiler keeps going
after an error so that one run shows as many problems as it can, and returns no program if any
error was found.
"""

from __future__ import annotations

import zoneinfo
from decimal import Decimal
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from kpilang import schema
from kpilang.compile import units as U
from kpilang.compile.help import field_help, money_help
from kpilang.compile.history import is_previous
from kpilang.compile.loader import SourceSet, load_sources
from kpilang.compile.members import MEMBER_ERROR_POLICIES, ON_MEMBER_ERROR, compile_members
from kpilang.compile.names import (
    BUILTIN_NAMES, KINDS, PERIODS, PLAN_FIELDS, REQUIRED_PLAN_FIELDS, STRATEGIES, currencies, suggest,
)
from kpilang.compile.program import (
    SALARY, SCORE, Band, KpiDef, MetricDef, PayDef, PlanInfo, Program, TableDef, TestDef, TestValue, Unit,
)
from kpilang.compile.typer import Typer
from kpilang.compile.written import literal_value, shown
from kpilang.diagnostics import Diagnostic, Note, Severity, Span
from kpilang.messages import Text, join, t
from kpilang.syntax import ast


class CompileResult:
    def __init__(self, program: Program | None, diagnostics: list[Diagnostic], sources: dict[str, str]):
        self.program = program
        self.diagnostics = diagnostics
        self.sources = sources

    @property
    def ok(self) -> bool:
        return self.program is not None


def compile_file(path: str | Path, text: str | None = None, tree: Path | None = None) -> CompileResult:
    """Read, parse and check a plan file and its imports (confined to `tree`, a git revision's
    files, when given)."""
    return compile_sources(load_sources(path, text, tree))


def compile_sources(sources: SourceSet) -> CompileResult:
    """Check the parsed modules of one plan (the language server keeps them for navigation)."""
    if any(d.severity is Severity.ERROR for d in sources.diagnostics):
        return CompileResult(None, sources.diagnostics, sources.sources)
    compiler = _Compiler(sources)
    program = compiler.run()
    diags = sources.diagnostics + compiler.diagnostics
    return CompileResult(program if not any(d.severity is Severity.ERROR for d in diags) else None, diags, sources.sources)


def compile_text(text: str, file: str = "<input>") -> CompileResult:
    return compile_file(Path(file), text=text)


class _Compiler:
    def __init__(self, sources: SourceSet):
        self.sources = sources
        self.diagnostics: list[Diagnostic] = []
        self.decls: dict[str, ast.Metric | ast.Kpi | ast.Table | ast.Pay] = {}
        self.units: dict[str, Unit] = {}
        self.deps: dict[str, set[str]] = {}
        self.target_names: set[str] = set()
        self.manager_columns: set[str] = set()
        self.data_needs: dict[str, set[str]] = {}
        self.table_calls: dict[str, list[ast.Call]] = {}
        self.members = None
        self.compiled: dict[str, object] = {}
        """Declarations already compiled (a metric or table may be compiled early, when a formula
        declared before it uses it)."""

    # ---- reporting ----
    def error(self, code: str, name: str, message: Text, span: Span, help: Text | None = None,
              notes: tuple[Note, ...] = ()) -> None:
        self.diagnostics.append(Diagnostic(code=code, name=name, severity=Severity.ERROR, message=message,
                                           span=span, help=help, notes=notes))

    # ---- driver ----
    def run(self) -> Program | None:
        root = self.sources.modules[0]
        plans: list[ast.Plan] = []
        tests: list[ast.Test] = []
        for module in self.sources.modules:
            is_library = module.file in self.sources.imported
            for item in module.items:
                if isinstance(item, ast.Import):
                    continue
                if isinstance(item, ast.Plan):
                    if is_library:
                        self.error("E0207", "import-of-plan", t("E0207.message"),
                                   item.name.span, t("E0207.help"))
                    else:
                        plans.append(item)
                    continue
                if isinstance(item, ast.Test):
                    if not is_library:
                        tests.append(item)
                    continue
                if is_library and isinstance(item, ast.Kpi | ast.Pay):
                    self.error("E0208", "library-declaration", t("E0208.message", decl=item.decl),
                               item.name.span, t("E0208.help"))
                    continue
                self._declare(item)
        plan = None
        if len(plans) > 1:
            first = plans[0]
            for extra in plans[1:]:
                self.error("E0203", "second-plan", t("E0203.message"),
                           extra.name.span, t("E0203.help"),
                           notes=(Note(span=first.name.span, message=t("E0203.note")),))
        if plans:
            plan = self._plan(plans[0])
        elif self.decls and any(isinstance(d, ast.Kpi | ast.Pay) for d in self.decls.values()):
            first = next(d for d in self.decls.values() if isinstance(d, ast.Kpi | ast.Pay))
            self.error("E0204", "missing-plan", t("E0204.message"),
                       first.name.span, t("E0204.help"))

        self.members = compile_members(self, self.sources, plan)
        metrics = {n: self.compile_metric(d) for n, d in self.decls.items() if isinstance(d, ast.Metric)}
        tables = {n: self.compile_table(d) for n, d in self.decls.items() if isinstance(d, ast.Table)}
        kpis = {n: self._kpi(d) for n, d in self.decls.items() if isinstance(d, ast.Kpi)}
        pays = {n: self._pay(d) for n, d in self.decls.items() if isinstance(d, ast.Pay)}
        if kpis:
            self.deps[SCORE] = set(kpis)
        order = self._order()
        test_defs = tuple(t for t in (self._test(t) for t in tests) if t is not None)
        if any(d.severity is Severity.ERROR for d in self.diagnostics):
            return None
        return Program(
            file=root.file,
            plan=plan,
            metrics={n: m for n, m in metrics.items() if m is not None},
            kpis={n: k for n, k in kpis.items() if k is not None},
            tables={n: t for n, t in tables.items() if t is not None},
            pays={n: p for n, p in pays.items() if p is not None},
            tests=test_defs,
            order=tuple(order),
            depends_on={n: tuple(sorted(d)) for n, d in self.deps.items()},
            data_needs={t: tuple(sorted(c)) for t, c in sorted(self.data_needs.items())},
            target_names=tuple(sorted(self.target_names)),
            manager_columns=tuple(sorted(self.manager_columns)),
            sources=dict(self.sources.sources),
            files=tuple(m.file for m in self.sources.modules),
            member_plans=tuple(self.members.plans) if self.members else (),
        )

    def _declare(self, item) -> None:
        name = item.name.name
        if name in BUILTIN_NAMES or name in schema.TABLES:
            self.error("E0202", "reserved-name", t("E0202.reserved", name=name),
                       item.name.span, t("E0202.reserved-help", name=name, decl=item.decl))
            return
        if name in self.decls:
            first = self.decls[name]
            self.error("E0202", "duplicate-name", t("E0202.duplicate", name=name), item.name.span,
                       t("E0202.duplicate-help"),
                       notes=(Note(span=first.name.span, message=t("E0202.duplicate-note", name=name, decl=first.decl)),))
            return
        self.decls[name] = item

    # ---- plan ----
    def _plan(self, node: ast.Plan) -> PlanInfo | None:
        fields: dict[str, ast.PlanField] = {}
        for f in node.fields:
            fname = f.name.name
            if fname not in PLAN_FIELDS:
                hint = suggest(fname, PLAN_FIELDS)
                self.error("E0401", "unknown-plan-field", t("E0401.message", field=fname), f.name.span,
                           t("did-you-mean", name=hint) if hint
                           else t("E0401.help", fields=", ".join(f"`{p}`" for p in PLAN_FIELDS)))
                continue
            if fname in fields:
                self.error("E0402", "duplicate-plan-field", t("E0402.message", name=fname), f.name.span,
                           t("E0402.help"), notes=(Note(span=fields[fname].span, message=t("E0402.note")),))
                continue
            fields[fname] = f
        ok = True
        for req in REQUIRED_PLAN_FIELDS:
            if req not in fields:
                ok = False
                self.error("E0403", "missing-plan-field", t("E0403.message", field=req), node.name.span,
                           field_help(req))
        values: dict = {}
        for fname, f in fields.items():
            value = self._field_value(fname, f)
            if value is None:
                ok = False
            else:
                values[fname] = value
        if not ok:
            return None
        return PlanInfo(
            name=node.name.name, label=node.label, roles=values["role"], period=values["period"],
            effective=values["effective"], timezone=values.get("timezone", "UTC"), currency=values["currency"],
            strategy=values["strategy"], goal=values["goal"], scope=values.get("scope", "person"),
            on_member_error=values.get(ON_MEMBER_ERROR, "fail"),
            span=node.span, field_spans={n: f.span for n, f in fields.items()},
        )

    def _field_value(self, fname: str, f: ast.PlanField):
        vals = f.values

        def bad(message: Text, span: Span | None = None) -> None:
            self.error("E0404", "bad-plan-field", message, span or f.span, field_help(fname))

        if fname == "role":
            roles = []
            for v in vals:
                if not isinstance(v, ast.Name):
                    bad(t("E0404.role-word"), v.span)
                    return None
                roles.append(v.name)
            if len(set(roles)) != len(roles):
                bad(t("E0404.role-twice"))
                return None
            return tuple(roles)
        if len(vals) != 1:
            bad(t("E0404.one-value", field=fname), vals[1].span if len(vals) > 1 else f.span)
            return None
        v = vals[0]
        word = v.name if isinstance(v, ast.Name) else v.value if isinstance(v, ast.Str) else None
        if fname == "period":
            if word not in PERIODS:
                bad(t("E0404.period", value=shown(v)), v.span)
                return None
            return word
        if fname == "strategy":
            if word not in STRATEGIES:
                bad(t("E0404.strategy", value=shown(v)), v.span)
                return None
            return word
        if fname == "scope":
            if word != "team":
                bad(t("E0404.scope", value=shown(v)), v.span)
                return None
            return "team"
        if fname == "effective":
            if not isinstance(v, ast.DateLit):
                bad(t("E0404.effective"), v.span)
                return None
            return v.value
        if fname == "timezone":
            if not isinstance(v, ast.Str):
                bad(t("E0404.timezone-quoted"), v.span)
                return None
            try:
                zoneinfo.ZoneInfo(v.value)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                hint = suggest(v.value, zoneinfo.available_timezones())
                self.error("E0404", "bad-plan-field", t("E0404.timezone", value=v.value), v.span,
                           t("E0404.timezone-hint", name=hint) if hint else field_help("timezone"))
                return None
            return v.value
        if fname == "currency":
            if word is None or word not in currencies():
                bad(t("E0404.currency", value=shown(v)), v.span)
                return None
            return word
        if fname == ON_MEMBER_ERROR:
            if word not in MEMBER_ERROR_POLICIES:
                bad(t("E0404.on-member-error", value=shown(v)), v.span)
                return None
            return word
        if fname == "goal":
            if not isinstance(v, ast.Str):
                bad(t("E0404.goal"), v.span)
                return None
            return v.value
        return None  # pragma: no cover - PLAN_FIELDS is exhaustive

    # ---- declarations ----
    def _clauses(self, node, allowed: tuple[str, ...]) -> dict[str, ast.Clause]:
        found: dict[str, ast.Clause] = {}
        for c in node.clauses:
            if c.keyword not in allowed:
                self.error("E0503", "misplaced-clause", t("E0503.message", clause=c.keyword, decl=t(f"decl.{node.decl}")),
                           c.span, t("E0503.help", decl=t(f"decl.{node.decl}"), allowed=join(f"`{a}`" for a in allowed),
                                     clause=c.keyword, owners=t(f"E0503.owner.{_CLAUSE_OWNERS[c.keyword]}")))
                continue
            if c.keyword in found:
                self.error("E0502", "duplicate-clause", t("E0502.message", name=c.keyword), c.span, t("E0502.help"),
                           notes=(Note(span=found[c.keyword].span, message=t("E0502.note")),))
                continue
            found[c.keyword] = c
        return found

    def compile_metric(self, node: ast.Metric) -> MetricDef | None:
        name = node.name.name
        if name in self.compiled:
            return self.compiled[name]
        self.compiled[name] = result = self._metric_uncached(node)
        return result

    def _metric_uncached(self, node: ast.Metric) -> MetricDef | None:
        name = node.name.name
        self.deps[name] = set()
        clauses = self._clauses(node, ("kind", "uncontrollable", "controllable"))
        kind = None
        if "kind" in clauses:
            word = clauses["kind"].words[0]
            if word.name not in KINDS:
                self.error("E0506", "bad-kind", t("E0506.message", word=word.name), word.span,
                           t("E0506.help"))
            else:
                kind = word.name
        uncontrollable = None
        if "uncontrollable" in clauses:
            uncontrollable = tuple(w.name for w in clauses["uncontrollable"].words)
        controllable = self._controllable_reason(name, clauses)
        typer = Typer(self, name, context="metric")
        unit = typer.unit(node.expr)
        if unit is None:
            return None
        if not typer.aggregates:
            self.error("E0701", "metric-without-data", t("E0701.message", name=name), node.expr.span,
                       t("E0701.help"))
            return None
        if unit not in U.NUMERIC:
            self.error("E0301", "unit-mismatch", t("E0301.metric", name=name, unit=U.WORDS[unit]),
                       node.expr.span)
            return None
        self.units[name] = unit
        return MetricDef(
            name=name, label=node.label, expr=node.expr, kind=kind, uncontrollable_for=uncontrollable,
            controllable_because=controllable,
            unit=_concrete(unit), tables=tuple(sorted(typer.tables)), span=node.span, name_span=node.name.span,
            clause_spans={k: c.span for k, c in clauses.items()},
        )

    def _controllable_reason(self, name: str, clauses: dict[str, ast.Clause]) -> str | None:
        """The author's reason for overruling the built-in controllability model: a sentence
        someone can check, so an empty one is refused, and so is a metric declared both ways."""
        clause = clauses.get("controllable")
        if clause is None:
            return None
        reason = clause.value.value.strip() if isinstance(clause.value, ast.Str) else ""
        if "uncontrollable" in clauses:
            self.error("E0508", "controllable-both-ways", t("E0508.message", name=name), clause.span,
                       t("E0508.help"), notes=(Note(span=clauses["uncontrollable"].span, message=t("E0508.note")),))
            return None
        if not reason:
            self.error("E0509", "controllable-without-reason", t("E0509.message", name=name), clause.span,
                       t("E0509.help"))
            return None
        return reason

    def _kpi(self, node: ast.Kpi) -> KpiDef | None:
        name = node.name.name
        self.deps[name] = set()
        clauses = self._clauses(node, ("target", "weight", "cap", "lower is better"))
        ok = True
        for req in ("target", "weight"):
            if req not in clauses:
                ok = False
                self.error("E0501", "missing-clause", t("E0501.message", name=name, clause=req), node.name.span,
                           t("E0501.help"))
        value_unit = Typer(self, name, context="scalar").unit(node.expr)
        target_unit = None
        if "target" in clauses:
            target_unit = Typer(self, name, context="scalar").unit(clauses["target"].value)
        weight = self._percent_clause(clauses.get("weight"), "weight", name, allow_over_one=False)
        cap = self._percent_clause(clauses.get("cap"), "cap", name, allow_over_one=True)
        if value_unit is None or target_unit is None or not ok:
            return None
        common = U.unify(value_unit, target_unit)
        if common is None or common not in U.NUMERIC:
            self.error("E0301", "unit-mismatch",
                       t("E0301.target", name=name, target=U.WORDS[target_unit], value=U.WORDS[value_unit]),
                       clauses["target"].value.span, t("E0301.target-help"))
            return None
        if weight is None or ("cap" in clauses and cap is None):
            return None
        self.units[name] = Unit.NUMBER
        return KpiDef(
            name=name, label=node.label, expr=node.expr, target=clauses["target"].value, weight=weight, cap=cap,
            lower_is_better="lower is better" in clauses, unit=_concrete(common), span=node.span,
            name_span=node.name.span, clause_spans={k: c.span for k, c in clauses.items()},
        )

    def _percent_clause(self, clause: ast.Clause | None, word: str, owner: str, allow_over_one: bool) -> Decimal | None:
        if clause is None:
            return None
        value = clause.value
        if not isinstance(value, ast.Percent):
            self.error("E0504", f"bad-{word}", t(f"E0504.{word}-percent", owner=owner),
                       value.span, t("E0504.percent-help", clause=word))
            return None
        if value.value <= 0 or (not allow_over_one and value.value > 1):
            self.error("E0504", f"bad-{word}", t(f"E0504.{word}-range", owner=owner), value.span,
                       t(f"E0504.{word}-help"))
            return None
        return value.value

    def compile_table(self, node: ast.Table) -> TableDef | None:
        name = node.name.name
        if name not in self.compiled:
            self.compiled[name] = self._table_uncached(node)
        return self.compiled[name]

    def _table_uncached(self, node: ast.Table) -> TableDef | None:
        name = node.name.name
        bands: list[Band] = []
        key_units: set[Unit] = set()
        value_units: set[Unit] = set()
        ok = True
        if not node.bands:
            self.error("E0801", "empty-table", t("E0801.empty", name=name), node.name.span,
                       t("E0801.empty-help"))
            return None
        for band in node.bands:
            low = self._constant(band.low, key_units) if band.low is not None else None
            high = self._constant(band.high, key_units) if band.high is not None else None
            value = self._constant(band.value, value_units)
            if (band.low is not None and low is None) or (band.high is not None and high is None) or value is None:
                ok = False
                continue
            if low is not None and high is not None and low >= high:
                self.error("E0802", "empty-band", t("E0802.message", low=shown(band.low), high=shown(band.high)),
                           band.span, t("E0802.help"))
                ok = False
                continue
            bands.append(Band(low=low, high=high, value=value, span=band.span))
        if not ok:
            return None
        key_unit = Unit.NUMBER if Unit.NUMBER in key_units else (next(iter(key_units)) if key_units else Unit.FLEX)
        value_unit = Unit.NUMBER if Unit.NUMBER in value_units else Unit.FLEX
        if len(key_units - {Unit.FLEX}) > 1 or key_units - {Unit.FLEX, Unit.NUMBER, Unit.DURATION}:
            self.error("E0301", "unit-mismatch", t("E0301.bands", name=name), node.span,
                       t("E0301.bands-help"))
            return None
        negative = next((b for b in bands if (b.low is not None and b.low < 0) or (b.high is not None and b.high < 0)), None)
        if node.graduated and negative is not None:
            self.error("E0803", "bad-graduated-table", t("E0803.message", name=name), negative.span,
                       t("E0803.help"))
            return None
        self.units[name] = value_unit
        return TableDef(name=name, label=node.label, graduated=node.graduated, bands=tuple(bands),
                        key_unit=key_unit, value_unit=value_unit, span=node.span, name_span=node.name.span)

    def _constant(self, expr: ast.Expr, seen_units: set[Unit]) -> Decimal | None:
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
            self.error("E0801", "bad-band", t("E0801.band"), expr.span,
                       t("E0801.band-help"))
            return None
        return -value if negate else value

    def _pay(self, node: ast.Pay) -> PayDef | None:
        name = node.name.name
        self.deps[name] = set()
        clauses = self._clauses(node, ("cap", "floor"))
        ok = True
        for part, expr in [("formula", node.expr)] + [(k, c.value) for k, c in clauses.items()]:
            unit = Typer(self, name, context="scalar").unit(expr)
            if unit is None:
                ok = False
            elif not U.fits(unit, Unit.MONEY):
                ok = False
                what = t("E0301.pay-formula", name=name) if part == "formula" else t(f"E0301.pay-{part}", name=name)
                self.error("E0301", "unit-mismatch", t("E0301.pay", what=what, unit=U.WORDS[unit]), expr.span,
                           money_help(unit))
        if not ok:
            return None
        self.units[name] = Unit.MONEY
        return PayDef(
            name=name, label=node.label, expr=node.expr, cap=clauses["cap"].value if "cap" in clauses else None,
            floor=clauses["floor"].value if "floor" in clauses else None, span=node.span,
            name_span=node.name.span, clause_spans={k: c.span for k, c in clauses.items()},
        )

    # ---- order and cycles ----
    def _order(self) -> list[str]:
        graph = {n: {d for d in deps if d in self.deps} for n, deps in self.deps.items()}
        try:
            return list(TopologicalSorter(graph).static_order())
        except CycleError as err:
            cycle = list(err.args[1])  # [a, b, …, a], each depending on the next
            cycle.reverse()
            first = cycle[0]
            decl = self.decls.get(first)
            span = decl.name.span if decl is not None else self.decls[cycle[1]].name.span
            notes = tuple(
                Note(span=self.decls[n].name.span, message=t("E0601.note", name=n, used=m))
                for n, m in zip(cycle, cycle[1:]) if n in self.decls
            )
            self.error("E0601", "cycle", t("E0601.message", cycle=" → ".join(cycle)), span,
                       t("E0601.help"),
                       notes=notes)
            return []

    # ---- tests ----
    def _test(self, node: ast.Test) -> TestDef | None:
        given: list[TestValue] = []
        expect: list[TestValue] = []
        ok = True
        seen: dict[tuple[str, str], Span] = {}
        for section in node.sections:
            for a in section.assignments:
                key = shown(a.target)
                if (section.keyword, key) in seen:
                    self.error("E0902", "duplicate-test-value", t(f"E0902.{section.keyword}", name=key), a.target.span,
                               t("E0902.help"), notes=(Note(span=seen[section.keyword, key], message=t("E0902.note")),))
                    ok = False
                    continue
                seen[section.keyword, key] = a.target.span
                if not self._test_target(a.target, section.keyword):
                    ok = False
                    continue
                value = literal_value(a.value)
                tv = TestValue(target=a.target, value=value, span=a.span)
                (given if section.keyword == "given" else expect).append(tv)
        if not expect and ok:
            self.error("E0903", "test-without-expect", t("E0903.message", name=node.name), node.span,
                       t("E0903.help"))
            ok = False
        return TestDef(name=node.name, given=tuple(given), expect=tuple(expect), span=node.span) if ok else None

    def _test_target(self, target: ast.Expr, section: str) -> bool:
        if isinstance(target, ast.Dotted):
            if target.table == "targets":
                return True
            if target.table == "managers" and section == "given":
                return True
            self.error("E0901", "bad-test-name", t("E0901.cannot-set", name=shown(target), section=section), target.span,
                       t("E0901.given-help"))
            return False
        if isinstance(target, ast.Call):
            if is_previous(target) and section == "given":  # an earlier period's figure: compile/history.py
                return Typer(self, "", context="scalar").unit(target) is not None
            if target.func not in self.decls or not isinstance(self.decls[target.func], ast.Table) or section != "expect":
                self.error("E0901", "bad-test-name", t("E0901.not-a-table", name=target.func),
                           target.func_span, t("E0901.table-help"))
                return False
            return Typer(self, "", context="scalar").unit(target.args[0]) is not None
        assert isinstance(target, ast.Name)
        name = target.name
        if section == "given":
            if name == SALARY or isinstance(self.decls.get(name), ast.Metric):
                return True
            hint = t("E0901.given-computed")
        else:
            decl = self.decls.get(name)
            if name == SCORE or isinstance(decl, ast.Kpi | ast.Pay | ast.Metric):
                return True
            if isinstance(decl, ast.Table):
                calls = self.table_calls.get(name, [])
                if len(calls) == 1:
                    return True
                hint = t("E0901.table-uses", name=name, count=len(calls))
            else:
                hint = t("E0901.expect-help")
        suggestion = suggest(name, [*self.decls, SCORE, SALARY])
        if name not in self.decls and name not in (SCORE, SALARY) and suggestion:
            hint = t("did-you-mean", name=suggestion)
        self.error("E0901", "bad-test-name", t("E0901.cannot-set", name=name, section=section) if name in self.decls or name in (SCORE, SALARY)
                   else t("E0201.unknown-name", name=name), target.span, hint)
        return False


def _concrete(unit: Unit) -> Unit:
    return Unit.NUMBER if unit in (Unit.FLEX, Unit.ANY) else unit


_CLAUSE_OWNERS = {
    "target": "kpi", "weight": "kpi", "cap": "kpi-or-pay", "lower is better": "kpi",
    "floor": "pay", "kind": "metric", "uncontrollable": "metric", "controllable": "metric",
}
"""Clause → the key of the words that say which declarations take it (`E0503.owner.*`)."""
