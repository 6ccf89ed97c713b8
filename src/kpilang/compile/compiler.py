"""Modules → one checked `Program`: names, plan fields, clauses, units, dependency order, cycles.

Every problem is a diagnostic with the exact span of the offending text; the compiler keeps going
after an error so that one run shows as many problems as it can, and returns no program if any
error was found.
"""

from __future__ import annotations

import difflib
import functools
import zoneinfo
from datetime import date
from decimal import Decimal
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from kpilang import schema
from kpilang.compile import units as U
from kpilang.compile.loader import SourceSet, load_sources
from kpilang.compile.program import (
    SALARY, SCORE, Band, KpiDef, MetricDef, PayDef, PlanInfo, Program, TableDef, TestDef, TestValue, Unit,
)
from kpilang.diagnostics import Diagnostic, Note, Severity, Span
from kpilang.syntax import ast

AGGREGATES = ("count", "sum", "avg", "min", "max", "median", "count_distinct", "share")
SCALAR_FUNCTIONS = ("min", "max", "round")
PLAN_FIELDS = ("role", "period", "effective", "timezone", "currency", "strategy", "goal", "scope")
REQUIRED_PLAN_FIELDS = ("role", "period", "effective", "currency", "strategy", "goal")
PERIODS = ("week", "month", "quarter")
STRATEGIES = ("growth", "retention", "scaling", "service")
KINDS = ("result", "activity", "quality")
BUILTIN_NAMES = (SCORE, SALARY, "targets", "managers")


@functools.cache
def _currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def _suggest(name: str, candidates) -> str | None:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


class CompileResult:
    def __init__(self, program: Program | None, diagnostics: list[Diagnostic], sources: dict[str, str]):
        self.program = program
        self.diagnostics = diagnostics
        self.sources = sources

    @property
    def ok(self) -> bool:
        return self.program is not None


def compile_file(path: str | Path, text: str | None = None) -> CompileResult:
    """Read, parse and check a plan file and its imports."""
    sources = load_sources(path, text)
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
        self.compiled: dict[str, object] = {}
        """Declarations already compiled (a metric or table may be compiled early, when a formula
        declared before it uses it)."""

    # ---- reporting ----
    def error(self, code: str, name: str, message: str, span: Span, help: str | None = None,
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
                        self.error("E0207", "import-of-plan", "an imported file must not have a `plan` block",
                                   item.name.span, "imports bring in metrics and tables from library files; "
                                   "move this plan to its own file, or remove the `import`")
                    else:
                        plans.append(item)
                    continue
                if isinstance(item, ast.Test):
                    if not is_library:
                        tests.append(item)
                    continue
                if is_library and isinstance(item, ast.Kpi | ast.Pay):
                    self.error("E0208", "library-declaration", f"a library file holds metrics and tables, not a `{item.decl}`",
                               item.name.span, "declare KPIs and pays in the plan file that imports this library")
                    continue
                self._declare(item)
        plan = None
        if len(plans) > 1:
            first = plans[0]
            for extra in plans[1:]:
                self.error("E0203", "second-plan", "a plan file has exactly one `plan` block; this is a second one",
                           extra.name.span, "put each plan in its own file",
                           notes=(Note(span=first.name.span, message="the first plan is declared here"),))
        if plans:
            plan = self._plan(plans[0])
        elif self.decls and any(isinstance(d, ast.Kpi | ast.Pay) for d in self.decls.values()):
            first = next(d for d in self.decls.values() if isinstance(d, ast.Kpi | ast.Pay))
            self.error("E0204", "missing-plan", "KPIs and pays need a `plan` block in the same file",
                       first.name.span, 'add `plan NAME "label" { role …  period month  effective … }` at the top')

        metrics = {n: self._metric(d) for n, d in self.decls.items() if isinstance(d, ast.Metric)}
        tables = {n: self._table(d) for n, d in self.decls.items() if isinstance(d, ast.Table)}
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
        )

    def _declare(self, item) -> None:
        name = item.name.name
        if name in BUILTIN_NAMES or name in schema.TABLES:
            self.error("E0202", "reserved-name", f"`{name}` is a built-in name and cannot be declared",
                       item.name.span, f"choose another name, such as `{name}_{item.decl}`")
            return
        if name in self.decls:
            first = self.decls[name]
            self.error("E0202", "duplicate-name", f"`{name}` is declared twice", item.name.span,
                       "names are unique in a plan and its imports; rename one of them",
                       notes=(Note(span=first.name.span, message=f"the first `{name}` ({first.decl}) is here"),))
            return
        self.decls[name] = item

    # ---- plan ----
    def _plan(self, node: ast.Plan) -> PlanInfo | None:
        fields: dict[str, ast.PlanField] = {}
        for f in node.fields:
            fname = f.name.name
            if fname not in PLAN_FIELDS:
                hint = _suggest(fname, PLAN_FIELDS)
                self.error("E0401", "unknown-plan-field", f"`{fname}` is not a plan field", f.name.span,
                           f"did you mean `{hint}`?" if hint else "plan fields are " + ", ".join(f"`{p}`" for p in PLAN_FIELDS))
                continue
            if fname in fields:
                self.error("E0402", "duplicate-plan-field", f"`{fname}` is given twice", f.name.span,
                           "keep one", notes=(Note(span=fields[fname].span, message="first given here"),))
                continue
            fields[fname] = f
        ok = True
        for req in REQUIRED_PLAN_FIELDS:
            if req not in fields:
                ok = False
                self.error("E0403", "missing-plan-field", f"the plan has no `{req}`", node.name.span,
                           _FIELD_HELP[req])
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
            span=node.span, field_spans={n: f.span for n, f in fields.items()},
        )

    def _field_value(self, fname: str, f: ast.PlanField):
        vals = f.values

        def bad(message: str, span: Span | None = None) -> None:
            self.error("E0404", "bad-plan-field", message, span or f.span, _FIELD_HELP[fname])

        if fname == "role":
            roles = []
            for v in vals:
                if not isinstance(v, ast.Name):
                    bad("a role is a bare word such as `cold`", v.span)
                    return None
                roles.append(v.name)
            if len(set(roles)) != len(roles):
                bad("a role is listed twice")
                return None
            return tuple(roles)
        if len(vals) != 1:
            bad(f"`{fname}` takes one value", vals[1].span if len(vals) > 1 else f.span)
            return None
        v = vals[0]
        word = v.name if isinstance(v, ast.Name) else v.value if isinstance(v, ast.Str) else None
        if fname == "period":
            if word not in PERIODS:
                bad(f"`{_shown(v)}` is not a period", v.span)
                return None
            return word
        if fname == "strategy":
            if word not in STRATEGIES:
                bad(f"`{_shown(v)}` is not a strategy", v.span)
                return None
            return word
        if fname == "scope":
            if word != "team":
                bad(f"`{_shown(v)}` is not a scope", v.span)
                return None
            return "team"
        if fname == "effective":
            if not isinstance(v, ast.DateLit):
                bad("`effective` takes a date such as 2026-07-01", v.span)
                return None
            return v.value
        if fname == "timezone":
            if not isinstance(v, ast.Str):
                bad('a timezone is a quoted IANA name such as "Europe/Moscow"', v.span)
                return None
            try:
                zoneinfo.ZoneInfo(v.value)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                hint = _suggest(v.value, zoneinfo.available_timezones())
                self.error("E0404", "bad-plan-field", f'"{v.value}" is not an IANA timezone', v.span,
                           f'did you mean "{hint}"?' if hint else _FIELD_HELP["timezone"])
                return None
            return v.value
        if fname == "currency":
            if word is None or word not in _currencies():
                bad(f"`{_shown(v)}` is not an ISO 4217 currency code", v.span)
                return None
            return word
        if fname == "goal":
            if not isinstance(v, ast.Str):
                bad('the goal is a text in quotes, for example "New clients: +20% over last quarter"', v.span)
                return None
            return v.value
        return None  # pragma: no cover - PLAN_FIELDS is exhaustive

    # ---- declarations ----
    def _clauses(self, node, allowed: tuple[str, ...]) -> dict[str, ast.Clause]:
        found: dict[str, ast.Clause] = {}
        for c in node.clauses:
            if c.keyword not in allowed:
                self.error("E0503", "misplaced-clause", f"`{c.keyword}` does not belong to a {_DECL_WORDS[node.decl]}",
                           c.span, f"a {_DECL_WORDS[node.decl]} takes " + _and(f"`{a}`" for a in allowed)
                           + f"; `{c.keyword}` belongs to {_CLAUSE_OWNERS[c.keyword]}")
                continue
            if c.keyword in found:
                self.error("E0502", "duplicate-clause", f"`{c.keyword}` is given twice", c.span, "keep one",
                           notes=(Note(span=found[c.keyword].span, message="first given here"),))
                continue
            found[c.keyword] = c
        return found

    def _metric(self, node: ast.Metric) -> MetricDef | None:
        name = node.name.name
        if name in self.compiled:
            return self.compiled[name]
        self.compiled[name] = result = self._metric_uncached(node)
        return result

    def _metric_uncached(self, node: ast.Metric) -> MetricDef | None:
        name = node.name.name
        self.deps[name] = set()
        clauses = self._clauses(node, ("kind", "uncontrollable"))
        kind = None
        if "kind" in clauses:
            word = clauses["kind"].words[0]
            if word.name not in KINDS:
                self.error("E0506", "bad-kind", f"`{word.name}` is not a kind of metric", word.span,
                           "a metric is `kind result` (sales, revenue), `kind activity` (calls, meetings) "
                           "or `kind quality` (conversion, response time)")
            else:
                kind = word.name
        uncontrollable = None
        if "uncontrollable" in clauses:
            uncontrollable = tuple(w.name for w in clauses["uncontrollable"].words)
        typer = _Typer(self, name, context="metric")
        unit = typer.unit(node.expr)
        if unit is None:
            return None
        if not typer.aggregates:
            self.error("E0701", "metric-without-data", f"metric `{name}` aggregates no data", node.expr.span,
                       "a metric counts or sums rows of activity data, e.g. `count(activities where type = \"call\")`")
            return None
        if unit not in U.NUMERIC:
            self.error("E0301", "unit-mismatch", f"metric `{name}` must be a number, not {U.WORDS[unit]}",
                       node.expr.span)
            return None
        self.units[name] = unit
        return MetricDef(
            name=name, label=node.label, expr=node.expr, kind=kind, uncontrollable_for=uncontrollable,
            unit=_concrete(unit), tables=tuple(sorted(typer.tables)), span=node.span, name_span=node.name.span,
            clause_spans={k: c.span for k, c in clauses.items()},
        )

    def _kpi(self, node: ast.Kpi) -> KpiDef | None:
        name = node.name.name
        self.deps[name] = set()
        clauses = self._clauses(node, ("target", "weight", "cap", "lower is better"))
        ok = True
        for req in ("target", "weight"):
            if req not in clauses:
                ok = False
                self.error("E0501", "missing-clause", f"KPI `{name}` has no `{req}`", node.name.span,
                           "every KPI needs `target …` and `weight …%`, e.g. `target 4  weight 30%`")
        value_unit = _Typer(self, name, context="scalar").unit(node.expr)
        target_unit = None
        if "target" in clauses:
            target_unit = _Typer(self, name, context="scalar").unit(clauses["target"].value)
        weight = self._percent_clause(clauses.get("weight"), "weight", name, allow_over_one=False)
        cap = self._percent_clause(clauses.get("cap"), "cap", name, allow_over_one=True)
        if value_unit is None or target_unit is None or not ok:
            return None
        common = U.unify(value_unit, target_unit)
        if common is None or common not in U.NUMERIC:
            self.error("E0301", "unit-mismatch",
                       f"the target of `{name}` is {U.WORDS[target_unit]} but its value is {U.WORDS[value_unit]}",
                       clauses["target"].value.span, "a target has the unit of the KPI's value")
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
            self.error("E0504", f"bad-{word}", f"the {word} of `{owner}` must be a percent such as 30%",
                       value.span, f"write `{word} 30%`; a plain number is ambiguous (0.3 or 30?)")
            return None
        if value.value <= 0 or (not allow_over_one and value.value > 1):
            limit = "above 0%" if allow_over_one else "above 0% and at most 100%"
            self.error("E0504", f"bad-{word}", f"the {word} of `{owner}` must be {limit}", value.span,
                       "a weight is the KPI's share of the score, from 1% to 100%; the weights add up to 100%"
                       if word == "weight" else "a cap limits the attainment that counts, e.g. `cap 150%`")
            return None
        return value.value

    def _table(self, node: ast.Table) -> TableDef | None:
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
            self.error("E0801", "empty-table", f"table `{name}` has no bands", node.name.span,
                       "add bands such as `below 70% : 0`, `70% to 100% : 1`, `from 100% : 1.2`")
            return None
        for band in node.bands:
            low = self._constant(band.low, key_units) if band.low is not None else None
            high = self._constant(band.high, key_units) if band.high is not None else None
            value = self._constant(band.value, value_units)
            if (band.low is not None and low is None) or (band.high is not None and high is None) or value is None:
                ok = False
                continue
            if low is not None and high is not None and low >= high:
                self.error("E0802", "empty-band", f"the band `{_shown(band.low)} to {_shown(band.high)}` is empty",
                           band.span, "a band `X to Y` holds X ≤ s < Y, so X must be below Y")
                ok = False
                continue
            bands.append(Band(low=low, high=high, value=value, span=band.span))
        if not ok:
            return None
        key_unit = Unit.NUMBER if Unit.NUMBER in key_units else (next(iter(key_units)) if key_units else Unit.FLEX)
        value_unit = Unit.NUMBER if Unit.NUMBER in value_units else Unit.FLEX
        if len(key_units - {Unit.FLEX}) > 1 or key_units - {Unit.FLEX, Unit.NUMBER, Unit.DURATION}:
            self.error("E0301", "unit-mismatch", f"the bands of `{name}` mix units", node.span,
                       "write every band edge the same way: all percents, all numbers or all durations")
            return None
        negative = next((b for b in bands if (b.low is not None and b.low < 0) or (b.high is not None and b.high < 0)), None)
        if node.graduated and negative is not None:
            self.error("E0803", "bad-graduated-table", f"graduated table `{name}` has a negative edge", negative.span,
                       "tiers of a graduated table start at 0: `below 100% : 3%`, `from 100% : 5%`")
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
            self.error("E0801", "bad-band", "a band edge or value is a number, a percent or a duration", expr.span,
                       "write edges and values as written numbers such as `70%`, `1.2` or `15m`; a band holds no formula")
            return None
        return -value if negate else value

    def _pay(self, node: ast.Pay) -> PayDef | None:
        name = node.name.name
        self.deps[name] = set()
        clauses = self._clauses(node, ("cap", "floor"))
        ok = True
        for part, expr in [("formula", node.expr)] + [(k, c.value) for k, c in clauses.items()]:
            unit = _Typer(self, name, context="scalar").unit(expr)
            if unit is None:
                ok = False
            elif not U.fits(unit, Unit.MONEY):
                ok = False
                what = f"pay `{name}`" if part == "formula" else f"the {part} of pay `{name}`"
                self.error("E0301", "unit-mismatch", f"{what} must be money, but it is {U.WORDS[unit]}", expr.span,
                           _money_help(unit))
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
                Note(span=self.decls[n].name.span, message=f"`{n}` uses `{m}`")
                for n, m in zip(cycle, cycle[1:]) if n in self.decls
            )
            self.error("E0601", "cycle", "these declarations depend on each other in a circle: "
                       + " → ".join(cycle), span,
                       "a value cannot be computed from itself; break the circle by removing one of the uses",
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
                key = _shown(a.target)
                if (section.keyword, key) in seen:
                    verb = "set" if section.keyword == "given" else "expected"
                    self.error("E0902", "duplicate-test-value", f"`{key}` is {verb} twice in this test", a.target.span,
                               "keep one of them", notes=(Note(span=seen[section.keyword, key], message="first here"),))
                    ok = False
                    continue
                seen[section.keyword, key] = a.target.span
                if not self._test_target(a.target, section.keyword):
                    ok = False
                    continue
                value = _literal_value(a.value)
                tv = TestValue(target=a.target, value=value, span=a.span)
                (given if section.keyword == "given" else expect).append(tv)
        if not expect and ok:
            self.error("E0903", "test-without-expect", f'test "{node.name}" expects nothing', node.span,
                       "add `expect NAME = VALUE`, for example `expect bonus = 0`")
            ok = False
        return TestDef(name=node.name, given=tuple(given), expect=tuple(expect), span=node.span) if ok else None

    def _test_target(self, target: ast.Expr, section: str) -> bool:
        if isinstance(target, ast.Dotted):
            if target.table == "targets":
                return True
            if target.table == "managers" and section == "given":
                return True
            self.error("E0901", "bad-test-name", f"`{_shown(target)}` cannot be set in `{section}`", target.span,
                       "`given` sets metrics, `salary`, `targets.NAME` and `managers.COLUMN`")
            return False
        if isinstance(target, ast.Call):
            if target.func not in self.decls or not isinstance(self.decls[target.func], ast.Table) or section != "expect":
                self.error("E0901", "bad-test-name", f"`{target.func}(…)` is not a table to check here",
                           target.func_span, "`expect TABLE(EXPR) = VALUE` checks a table's result")
                return False
            return _Typer(self, "", context="scalar").unit(target.args[0]) is not None
        assert isinstance(target, ast.Name)
        name = target.name
        if section == "given":
            if name == SALARY or isinstance(self.decls.get(name), ast.Metric):
                return True
            hint = "`given` sets metrics, `salary`, `targets.NAME` and `managers.COLUMN`; KPIs, the score and pays are computed"
        else:
            decl = self.decls.get(name)
            if name == SCORE or isinstance(decl, ast.Kpi | ast.Pay | ast.Metric):
                return True
            if isinstance(decl, ast.Table):
                calls = self.table_calls.get(name, [])
                if len(calls) == 1:
                    return True
                hint = f"table `{name}` is used {len(calls)} times; say which use: `expect {name}(kpi_score) = …`"
            else:
                hint = "`expect` checks KPIs (their attainment), `kpi_score`, pays and tables"
        suggestion = _suggest(name, [*self.decls, SCORE, SALARY])
        if name not in self.decls and name not in (SCORE, SALARY) and suggestion:
            hint = f"did you mean `{suggestion}`?"
        self.error("E0901", "bad-test-name", f"`{name}` cannot be set in `{section}`" if name in self.decls or name in (SCORE, SALARY)
                   else f"unknown name `{name}`", target.span, hint)
        return False


class _Typer:
    """Infers and checks the unit of one expression, recording the names it depends on.

    context: "metric" (aggregates allowed at any depth, other metrics allowed), "scalar" (KPIs,
    targets, pays), or "row" (inside an aggregate, over `self.row_table`).
    """

    def __init__(self, compiler: _Compiler, owner: str, context: str):
        self.c = compiler
        self.owner = owner
        self.context = context
        self.row_table: str | None = None
        self.aggregates: list[ast.Call] = []
        self.tables: set[str] = set()

    def fail(self, code: str, name: str, message: str, span: Span, help: str | None = None) -> None:
        self.c.error(code, name, message, span, help)

    def dep(self, name: str) -> None:
        if self.owner:
            self.c.deps.setdefault(self.owner, set()).add(name)

    def unit(self, e: ast.Expr) -> Unit | None:
        method = getattr(self, "_" + type(e).__name__.lower())
        return method(e)

    # literals
    def _num(self, e):
        return Unit.FLEX

    def _percent(self, e):
        return Unit.NUMBER

    def _duration(self, e):
        return Unit.DURATION

    def _datelit(self, e):
        return Unit.DATE

    def _str(self, e):
        return Unit.STRING

    def _bool(self, e):
        return Unit.BOOL

    # names
    def _name(self, e: ast.Name) -> Unit | None:
        name = e.name
        if self.context == "row":
            col = schema.TABLES[self.row_table].column(name)
            if col is not None:
                self.c.data_needs.setdefault(self.row_table, set()).add(name)
                return _column_unit(col.type)
            known = [c.name for c in schema.TABLES[self.row_table].columns]
            hint = _suggest(name, known)
            self.fail("E0201", "unknown-name", f"`{self.row_table}` has no column `{name}`", e.span,
                      f"did you mean `{hint}`?" if hint else
                      f"known columns: {', '.join(known)}; an extra column of your data is written `{self.row_table}.{name}`")
            return None
        if name == SCORE:
            if self.context == "metric":
                return self._not_in_metric(e, "the KPI score")
            self.dep(SCORE)
            return Unit.NUMBER
        if name == SALARY:
            if self.context == "metric":
                return self._not_in_metric(e, "salary")
            self.dep(SALARY)
            self.c.manager_columns.add("salary")
            return Unit.MONEY
        decl = self.c.decls.get(name)
        if decl is None:
            if name in schema.TABLES:
                self.fail("E0201", "unknown-name", f"`{name}` is a data table, not a value", e.span,
                          f"aggregate it in a metric, e.g. `metric n = count({name})`")
                return None
            candidates = [*self.c.decls, SCORE, SALARY]
            hint = _suggest(name, candidates)
            self.fail("E0201", "unknown-name", f"unknown name `{name}`", e.span,
                      f"did you mean `{hint}`?" if hint else "declare it as a metric, KPI or pay, or check the spelling")
            return None
        if isinstance(decl, ast.Table):
            self.fail("E0702", "table-without-argument", f"table `{name}` is used without an argument", e.span,
                      f"call it with the value to look up: `{name}(kpi_score)`")
            return None
        if self.context == "metric" and not isinstance(decl, ast.Metric):
            return self._not_in_metric(e, f"{decl.decl} `{name}`")
        self.dep(name)
        if name not in self.c.units:
            # Declared later (order-independent): type it now; cycles are reported by the orderer.
            if name in self.c.deps:  # being typed right now: a cycle, reported later
                return Unit.FLEX if isinstance(decl, ast.Metric) else (Unit.MONEY if isinstance(decl, ast.Pay) else Unit.NUMBER)
            if isinstance(decl, ast.Metric):
                self.c._metric(decl)
            elif isinstance(decl, ast.Kpi):
                return Unit.NUMBER
            elif isinstance(decl, ast.Pay):
                return Unit.MONEY
        return self.c.units.get(name, Unit.NUMBER if isinstance(decl, ast.Kpi) else Unit.MONEY if isinstance(decl, ast.Pay) else None)

    def _not_in_metric(self, e, what: str) -> None:
        self.fail("E0703", "metric-reads-non-data", f"a metric cannot use {what}", e.span,
                  "metrics are computed from activity data only; use it in a KPI or a pay instead")
        return None

    def _dotted(self, e: ast.Dotted) -> Unit | None:
        if self.context == "row":
            if e.table != self.row_table:
                self.fail("E0704", "mixed-tables", f"`{e.table}.{e.column}` is not a column of `{self.row_table}`, the table this aggregate reads",
                          e.span, "one aggregate reads one table; combine two metrics in a KPI instead")
                return None
            col = schema.TABLES[e.table].column(e.column)
            self.c.data_needs.setdefault(e.table, set()).add(e.column)
            return _column_unit(col.type) if col is not None else Unit.ANY
        if e.table == "targets":
            if self.context == "metric":
                return self._not_in_metric(e, "a target")
            self.c.target_names.add(e.column)
            self.dep(f"targets.{e.column}")
            return Unit.FLEX
        if e.table == "managers":
            if self.context == "metric":
                return self._not_in_metric(e, "a manager's column")
            self.c.manager_columns.add(e.column)
            self.dep(f"managers.{e.column}")
            col = schema.TABLES["managers"].column(e.column)
            return _column_unit(col.type) if col is not None else Unit.ANY
        if e.table in schema.ACTIVITY_TABLES:
            self.fail("E0705", "column-outside-aggregate", f"`{e.table}.{e.column}` is a column, read row by row",
                      e.span, f"aggregate it: `sum({e.table}.{e.column})`, `avg(…)`, `max(…)`")
            return None
        hint = _suggest(e.table, ["targets", "managers", *schema.ACTIVITY_TABLES])
        self.fail("E0201", "unknown-name", f"unknown table `{e.table}`", e.span,
                  f"did you mean `{hint}`?" if hint else "tables are managers, activities, leads, deals and targets")
        return None

    # operators
    def _neg(self, e: ast.Neg):
        u = self.unit(e.operand)
        if u is not None and u not in U.NUMERIC:
            self.fail("E0301", "unit-mismatch", f"cannot negate {U.WORDS[u]}", e.span)
            return None
        return u

    def _not(self, e: ast.Not):
        return self._need_bool(e.operand)

    def _need_bool(self, e) -> Unit | None:
        u = self.unit(e)
        if u is None:
            return None
        if u not in (Unit.BOOL, Unit.ANY):
            self.fail("E0301", "unit-mismatch", f"expected a yes/no condition, found {U.WORDS[u]}", e.span,
                      "compare it with something: `x > 0`, `stage = \"won\"`")
            return None
        return Unit.BOOL

    def _binary(self, e: ast.Binary):
        left, right = self.unit(e.left), self.unit(e.right)
        if left is None or right is None:
            return None
        fn = {"+": lambda a, b: U.add(a, b, "+"), "-": lambda a, b: U.add(a, b, "-"),
              "*": U.multiply, "/": U.divide}[e.op]
        result = fn(left, right)
        if result is None:
            self.fail("E0301", "unit-mismatch", f"cannot {_VERBS[e.op]} {U.WORDS[left]} and {U.WORDS[right]}", e.span,
                      _binary_help(e.op, left, right))
        return result

    def _compare(self, e: ast.Compare):
        left, right = self.unit(e.left), self.unit(e.right)
        if left is None or right is None:
            return None
        if U.unify(left, right) is None:
            self.fail("E0301", "unit-mismatch", f"cannot compare {U.WORDS[left]} with {U.WORDS[right]}", e.span)
            return None
        if e.op not in ("=", "!=") and U.unify(left, right) in (Unit.BOOL, Unit.STRING):
            self.fail("E0301", "unit-mismatch", f"`{e.op}` needs numbers, dates or durations", e.span,
                      "texts and yes/no values compare only with `=` and `!=`")
            return None
        return Unit.BOOL

    def _logic(self, e: ast.Logic):
        a, b = self._need_bool(e.left), self._need_bool(e.right)
        return Unit.BOOL if a and b else None

    def _inlist(self, e: ast.InList):
        u = self.unit(e.operand)
        ok = u is not None
        for item in e.items:
            iu = self.unit(item)
            if iu is None:
                ok = False
            elif u is not None and U.unify(u, iu) is None:
                self.fail("E0301", "unit-mismatch", f"the list holds {U.WORDS[iu]}, the value is {U.WORDS[u]}", item.span)
                ok = False
        return Unit.BOOL if ok else None

    def _if(self, e: ast.If):
        cond = self._need_bool(e.cond)
        return self._same(e, [e.then, e.else_], "both branches of `if` must have the same unit") if cond else None

    def _otherwise(self, e: ast.Otherwise):
        return self._same(e, [e.expr, e.fallback], "`otherwise` must give the same unit as the value it replaces")

    def _same(self, e, parts, message: str) -> Unit | None:
        found = [self.unit(p) for p in parts]
        if any(u is None for u in found):
            return None
        result = found[0]
        for part, u in zip(parts[1:], found[1:]):
            merged = U.unify(result, u)
            if merged is None:
                self.fail("E0301", "unit-mismatch", f"{message}: {U.WORDS[result]} and {U.WORDS[u]}", part.span)
                return None
            result = merged
        return result

    # calls
    def _call(self, e: ast.Call):
        func = e.func
        if self.context == "metric" and func in AGGREGATES:
            return self._aggregate(e)
        if func in AGGREGATES and func not in SCALAR_FUNCTIONS:
            self.fail("E0706", "aggregate-outside-metric", f"`{func}(…)` reads data rows and belongs in a metric",
                      e.func_span, f"declare `metric NAME = {func}(…)` and use NAME here")
            return None
        if e.where is not None:
            self.fail("E0707", "where-outside-aggregate", "`where` filters the rows of an aggregate such as `count`",
                      e.where.span, "filter rows in a metric, e.g. `metric won = count(deals where stage = \"won\")`, "
                      "and use the metric here")
            return None
        if func in ("min", "max"):
            if len(e.args) < 2:
                self.fail("E0708", "bad-arguments", f"`{func}` of values takes two or more of them", e.span,
                          f"`{func}(a, b)`; to aggregate data rows, use `{func}(…)` in a metric")
                return None
            return self._same(e, e.args, f"`{func}` needs values of the same unit")
        if func == "round":
            if len(e.args) != 2 or not isinstance(e.args[1], ast.Num) or e.args[1].value != e.args[1].value.to_integral_value():
                self.fail("E0708", "bad-arguments", "`round` takes a value and a whole number of digits: `round(x, 2)`", e.span,
                          "`round(x, 2)` keeps 2 digits after the point; pays are rounded to kopecks/cents anyway")
                return None
            return self.unit(e.args[0])
        decl = self.c.decls.get(func)
        if isinstance(decl, ast.Table):
            return self._table_call(e, decl)
        known = [n for n, d in self.c.decls.items() if isinstance(d, ast.Table)] + list(SCALAR_FUNCTIONS)
        if self.context == "metric":
            known += list(AGGREGATES)
        hint = _suggest(func, known)
        self.fail("E0201", "unknown-name", f"unknown function or table `{func}`", e.func_span,
                  f"did you mean `{hint}`?" if hint else "functions are min, max and round; tables are called by name")
        return None

    def _table_call(self, e: ast.Call, decl: ast.Table):
        self.c.table_calls.setdefault(decl.name.name, []).append(e)
        self.dep(decl.name.name)
        if len(e.args) != 1 and not (decl.graduated and len(e.args) == 2):
            usage = f"`{decl.name.name}(x)`" + (" or `(x, base)`" if decl.graduated else "")
            self.fail("E0708", "bad-arguments", f"table `{decl.name.name}` takes one value: {usage}", e.span)
            return None
        units = [self.unit(a) for a in e.args]
        if any(u is None for u in units):
            return None
        if decl.name.name not in self.c.units:
            self.c._table(decl)
        value_unit = self.c.units.get(decl.name.name)
        if value_unit is None:
            return None
        if decl.graduated:
            # The rates apply to x in both forms; with a base, x and base are alike (revenue and
            # its target), so a plain-number base (`targets.revenue`) takes x's unit.
            measured = units[0] if len(units) == 1 else U.unify(units[0], units[1])
            if measured is None:
                self.fail("E0301", "unit-mismatch", f"graduated table `{decl.name.name}` compares {U.WORDS[units[0]]} "
                          f"with a base of {U.WORDS[units[1]]}", e.span,
                          "the base has the unit of the value: `commission_tiers(revenue, targets.revenue)`")
                return None
            result = U.multiply(measured, value_unit)
            if result is None:
                self.fail("E0301", "unit-mismatch", f"graduated table `{decl.name.name}` cannot apply its rates to {U.WORDS[measured]}", e.span)
            return result
        return value_unit

    def _aggregate(self, e: ast.Call) -> Unit | None:
        func = e.func
        self.aggregates.append(e)
        if len(e.args) != 1:
            self.fail("E0708", "bad-arguments", f"`{func}` takes one argument and an optional `where`", e.span,
                      f"`{func}(deals where stage = \"won\")`" if func in ("count", "share") else f"`{func}(deals.amount where stage = \"won\")`")
            return None
        arg = e.args[0]
        if func in ("count", "share"):
            if not isinstance(arg, ast.Name) or arg.name not in schema.ACTIVITY_TABLES:
                hint = _suggest(arg.name, schema.ACTIVITY_TABLES) if isinstance(arg, ast.Name) else None
                self.fail("E0709", "bad-aggregate", f"`{func}` counts the rows of a table: activities, leads or deals",
                          arg.span, f"did you mean `{hint}`?" if hint else f"`{func}(activities where type = \"call\")`")
                return None
            table = arg.name
            if func == "share" and e.where is None:
                self.fail("E0709", "bad-aggregate", "`share` needs a `where`: the share of rows that match it", e.span,
                          "`share(leads where status = \"qualified\")` is the qualified leads divided by all leads")
                return None
        else:
            table = _row_table(arg)
            if table is None:
                self.fail("E0709", "bad-aggregate", f"`{func}` aggregates a column, written `TABLE.COLUMN`", arg.span,
                          f"`{func}(deals.amount)`")
                return None
        if table not in schema.ACTIVITY_TABLES:
            self.fail("E0709", "bad-aggregate", f"`{table}` is not an activity table to aggregate", arg.span,
                      "aggregate activities, leads or deals; `managers` and `targets` are read per person")
            return None
        self.tables.add(table)
        date_col = schema.TABLES[table].date_column
        self.c.data_needs.setdefault(table, set()).add(date_col)
        row = _Typer(self.c, self.owner, "row")
        row.row_table = table
        unit: Unit | None = Unit.COUNT
        if func == "count_distinct":
            if not isinstance(arg, ast.Dotted):
                self.fail("E0709", "bad-aggregate", "`count_distinct` counts the distinct values of one column", arg.span,
                          "`count_distinct(deals.client_id)`")
                return None
            unit = Unit.COUNT if row.unit(arg) is not None else None
        elif func == "share":
            unit = Unit.NUMBER
        elif func != "count":
            unit = row.unit(arg)
            if unit is not None and unit not in U.NUMERIC:
                self.fail("E0301", "unit-mismatch", f"`{func}` needs numbers, money or durations, not {U.WORDS[unit]}", arg.span)
                return None
            if unit == Unit.FLEX:
                unit = Unit.NUMBER
        if e.where is not None and row._need_bool(e.where) is None:
            return None
        return unit


def _row_table(arg: ast.Expr) -> str | None:
    tables = {n.table for n in ast.walk(arg) if isinstance(n, ast.Dotted)}
    return next(iter(tables)) if len(tables) == 1 else None


def _column_unit(col_type: str) -> Unit:
    return {
        schema.STRING: Unit.STRING, schema.MONEY: Unit.MONEY, schema.DURATION: Unit.DURATION,
        schema.DATETIME: Unit.DATETIME, schema.BOOL: Unit.BOOL, schema.DECIMAL: Unit.NUMBER,
        schema.INTEGER: Unit.NUMBER, schema.DATE: Unit.DATE,
    }[col_type]


def _concrete(unit: Unit) -> Unit:
    return Unit.NUMBER if unit in (Unit.FLEX, Unit.ANY) else unit


def _literal_value(e: ast.Expr) -> Decimal | str | bool:
    if isinstance(e, ast.Neg):
        return -_literal_value(e.operand)
    if isinstance(e, ast.Num | ast.Percent):
        return e.value
    if isinstance(e, ast.Duration):
        return Decimal(e.seconds)
    if isinstance(e, ast.Str):
        return e.value
    if isinstance(e, ast.Bool):
        return e.value
    if isinstance(e, ast.DateLit):
        return e.value.isoformat()
    raise AssertionError(type(e))


def _shown(e) -> str:
    if isinstance(e, ast.Name):
        return e.name
    if isinstance(e, ast.Dotted):
        return f"{e.table}.{e.column}"
    if isinstance(e, ast.Str):
        return e.value
    if isinstance(e, ast.Num | ast.Percent | ast.Duration):
        return e.text
    if isinstance(e, ast.Neg):
        return "-" + _shown(e.operand)
    if isinstance(e, ast.Call):
        return f"{e.func}({', '.join(_shown(a) for a in e.args)})"
    if isinstance(e, ast.DateLit):
        return e.value.isoformat()
    return "…"


_DECL_WORDS = {"metric": "metric", "kpi": "KPI", "pay": "pay"}
_CLAUSE_OWNERS = {
    "target": "a KPI", "weight": "a KPI", "cap": "a KPI or a pay", "lower is better": "a KPI",
    "floor": "a pay", "kind": "a metric", "uncontrollable": "a metric",
}


def _and(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


_VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}


def _binary_help(op: str, left: Unit, right: Unit) -> str:
    if op in "+-":
        return "`+` and `-` need the same unit on both sides"
    if op == "*":
        return "money × number is money, count × money is money; two amounts of money cannot be multiplied"
    return "divide like by like for a ratio (money / money), or money or a duration by a count for an average"


def _money_help(unit: Unit) -> str:
    if unit == Unit.NUMBER:
        return "multiply by money, e.g. `salary * multiplier(kpi_score)` or `2% * revenue`"
    if unit == Unit.COUNT:
        return "multiply the count by an amount of money, e.g. `new_clients * 5000`"
    return "a pay is an amount of money"


_FIELD_HELP = {
    "role": "name the roles the plan applies to, as in the managers table: `role cold` or `role cold, inbound`",
    "period": "`period month` (or `week`, `quarter`)",
    "effective": "`effective 2026-07-01`: the first day the plan applies",
    "timezone": 'an IANA name in quotes, such as `timezone "Europe/Moscow"` (the default is "UTC")',
    "currency": "an ISO 4217 code, such as `currency RUB`",
    "strategy": "`strategy growth` (or `retention`, `scaling`, `service`)",
    "goal": 'one sentence in quotes: `goal "New clients: +20% over last quarter"`',
    "scope": "`scope team` makes metrics count the whole team (for heads of sales)",
}
