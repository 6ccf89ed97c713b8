"""A whole plan compiled to one Python function: inputs of one person → `PersonOutcome`.

The function is generated once per plan (`FormulaEngine.__init__`) and reads like a hand-written
calculation: every metric, target and manager column is read once into a local variable, then
every KPI, the score and every pay is computed in the program's dependency order from those
locals, with the formulas inlined (see `formula_code`). Nothing is looked up by name while a
person is evaluated. When a figure has no value, the generated code hands its local variables
to `explain` (a slow path taken only then), which says why.

`Subject` lists what the function computes, in order; the generated code refers to subjects by
index.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import DivisionByZero, InvalidOperation, Overflow
from typing import Any, Callable

from kpilang.compile.program import SALARY, SCORE, KpiDef, PayDef, Program
from kpilang.evaluate.figures import KpiRule, PayRule, score_of
from kpilang.evaluate.formula_code import Code, CodeSpace, FormulaCompiler
from kpilang.evaluate.formula_text import SourceText
from kpilang.evaluate.numbers import minor_unit
from kpilang.evaluate.results import PersonOutcome, trusted_builder
from kpilang.evaluate.table_lookup import GraduatedTable, LookupFailed, StepTable
from kpilang.syntax import ast

FAULTS = (LookupFailed, InvalidOperation, DivisionByZero, Overflow, TypeError)
"""What a formula can raise for one person: a table look-up outside the bands, a figure exact
arithmetic cannot hold, values of kinds that do not combine (bad data in a manager column)."""


@dataclass(frozen=True)
class Subject:
    """One figure the plan function computes: a KPI, the score or a pay."""

    kind: str  # "kpi" | "score" | "pay"
    name: str
    definition: KpiDef | PayDef | None
    var: str
    """The local variable holding its value (a KPI's attainment, the score, a pay's amount)."""
    figures_var: str | None = None


def leaf_key(node: Any) -> str | None:
    """The name a leaf node reads: `calls`, `targets.revenue`, `managers.team`, `salary`."""
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.Dotted):
        return f"{node.table}.{node.column}"
    return None


class TableFunctions:
    """The plan's tables as look-up functions for generated code: `look(hits, subject, site, x[, base])`.

    With `hits` a list, each look-up appends its `TableHit`; with `hits` None only the result is
    computed. A `LookupFailed` leaves with the call node filled in.
    """

    def __init__(self, program: Program):
        self.tables: dict[str, StepTable | GraduatedTable] = {
            name: (GraduatedTable(t) if t.graduated else StepTable(t)) for name, t in program.tables.items()
        }

    def result(self, call: ast.Call, args: list[Any]) -> Any:
        table = self.tables[call.func]
        try:
            return table.result(*args)
        except LookupFailed as exc:
            exc.call = call
            raise

    def function(self, name: str) -> Callable[..., Any]:
        table = self.tables[name]
        if isinstance(table, StepTable):
            def look(hits, subject, site, argument):
                try:
                    if hits is None:
                        return table.result(argument)
                    value, hit = table.hit(argument, subject, site[1])
                except LookupFailed as exc:
                    exc.call = site[0]
                    raise
                hits.append(hit)
                return value
        else:
            def look(hits, subject, site, argument, base=None):
                try:
                    if hits is None:
                        return table.result(argument, base)
                    value, hit = table.hit(argument, base, subject, site[1])
                except LookupFailed as exc:
                    exc.call = site[0]
                    raise
                hits.append(hit)
                return value
        return look


class PlanCode:
    """Generates, compiles and holds the plan function `run(inputs, explain) -> PersonOutcome`."""

    def __init__(self, program: Program, text: SourceText):
        self.program = program
        self.text = text
        self.space = CodeSpace()
        self.tables = TableFunctions(program)
        self.vars: dict[str, str] = {}
        """Leaf or declaration name → the local variable holding its value."""
        self.subjects: list[Subject] = []
        self._subject_name = ""
        self.source = self._generate()
        namespace = self.space.namespace
        namespace.update(FAULTS=FAULTS, score_of=score_of, Outcome=trusted_builder(PersonOutcome))
        exec(compile(self.source, f"<kpilang plan {program.file}>", "exec"), namespace)
        self.run = namespace["run"]

    # ---- leaves ----
    def _leaf(self, node: Any) -> Code:
        key = leaf_key(node)
        var = self.vars.get(key) if key is not None else None
        if var is None:
            raise AssertionError(f"unresolved name in a checked program: {key or type(node).__name__}")
        return Code(var, True)

    def _table(self, call: ast.Call, args: list[str]) -> str:
        fn = self.space.constant(self.tables.function(call.func), key=("table", call.func))
        site = self.space.constant((call, self.text.text(call.span)), key=("site", id(call)))
        subject = self.space.constant(self._subject_name)
        return f"{fn}(hits, {subject}, {site}, {', '.join(args)})"

    def _code(self, expr: Any) -> str:
        compiler = FormulaCompiler(self.space, self._leaf, self._table, lambda f: f in self.program.tables)
        return compiler.compile(expr).source

    # ---- the function ----
    def _generate(self) -> str:
        p = self.program
        lines = [
            "def run(inputs, explain):",
            "    metrics = inputs.metrics",
            "    targets = inputs.targets",
            "    managers = inputs.managers",
            "    salary = inputs.salary",
            "    hits = []",
            "    errors = []",
        ]
        self.vars[SALARY] = "salary"
        for index, name in enumerate(p.metrics):
            self.vars[name] = f"m{index}"
            lines.append(f"    m{index} = metrics.get({name!r})")
        for index, name in enumerate(p.target_names):
            self.vars[f"targets.{name}"] = f"g{index}"
            lines.append(f"    g{index} = targets.get({name!r})")
        for index, name in enumerate(c for c in p.manager_columns if c != SALARY):
            self.vars[f"managers.{name}"] = f"h{index}"
            lines.append(f"    h{index} = managers.get({name!r})")
        self.vars[SCORE] = "score"
        lines.append("    score = None")
        kpi_figures: list[str] = []
        pay_figures: list[tuple[str, str]] = []
        quantum = minor_unit(p.plan.currency if p.plan is not None else None)
        for name in p.order:
            if name in p.kpis:
                lines += self._kpi(p.kpis[name])
                kpi_figures.append(self.subjects[-1].figures_var)
            elif name in p.pays:
                lines += self._pay(p.pays[name], quantum)
                pay_figures.append((name, self.subjects[-1].figures_var))
            elif name == SCORE:
                # In declaration order, as the plan lists the KPIs (and as the trace shows the sum).
                by_name = {s.name: s.figures_var for s in self.subjects if s.kind == "kpi"}
                lines += self._score([by_name[k] for k in p.kpis])
        kpis = ", ".join(f"{n!r}: {f}" for n, f in zip((s.name for s in self.subjects if s.kind == "kpi"), kpi_figures))
        pays = ", ".join(f"{n!r}: {f}" for n, f in pay_figures)
        lines.append(f"    return Outcome({{'metrics': metrics, 'kpis': {{{kpis}}}, 'kpi_score': score, 'pays': {{{pays}}}, "
                     "'table_hits': hits, 'errors': errors, 'trace': []})")
        return "\n".join(lines) + "\n"

    def _subject(self, kind: str, name: str, definition: Any) -> tuple[int, Subject]:
        index = len(self.subjects)
        subject = Subject(kind=kind, name=name, definition=definition, var=f"v{index}", figures_var=f"f{index}")
        self.subjects.append(subject)
        self.vars[name] = subject.var
        self._subject_name = name
        return index, subject

    def _kpi(self, kpi: KpiDef) -> list[str]:
        i, s = self._subject("kpi", kpi.name, kpi)
        rule = self.space.constant(KpiRule(kpi), key=("kpi", kpi.name))
        return [
            f"    # kpi {kpi.name}",
            "    try:",
            f"        a{i} = {self._code(kpi.expr)}",
            f"        b{i} = {self._code(kpi.target)}",
            f"        f{i} = {rule}(a{i}, b{i})",
            f"        v{i} = f{i}.attainment",
            "    except FAULTS as exc:",
            f"        f{i} = {rule}.failed()",
            f"        v{i} = None",
            f"        explain(errors, {i}, exc, locals())",
            "    else:",
            f"        if v{i} is None:",
            f"            explain(errors, {i}, None, locals())",
        ]

    def _score(self, kpi_figures: list[str]) -> list[str]:
        i, s = self._subject("score", SCORE, None)
        self.vars[SCORE] = "score"
        return [
            "    # kpi_score",
            f"    score = score_of({', '.join(kpi_figures)})",
            "    if score is None:",
            f"        explain(errors, {i}, None, locals())",
        ]

    def _pay(self, pay: PayDef, quantum) -> list[str]:
        i, s = self._subject("pay", pay.name, pay)
        rule = self.space.constant(PayRule(pay, quantum), key=("pay", pay.name))
        return [
            f"    # pay {pay.name}",
            "    try:",
            f"        a{i} = {self._code(pay.expr)}",
            f"        b{i} = {self._code(pay.cap) if pay.cap is not None else 'None'}",
            f"        c{i} = {self._code(pay.floor) if pay.floor is not None else 'None'}",
            f"        f{i} = {rule}(a{i}, b{i}, c{i})",
            f"        v{i} = f{i}.value",
            "    except FAULTS as exc:",
            f"        f{i} = {rule}.failed()",
            f"        v{i} = None",
            f"        explain(errors, {i}, exc, locals())",
            "    else:",
            f"        if v{i} is None:",
            f"            explain(errors, {i}, None, locals())",
        ]


class ExpressionCode:
    """One expression compiled on its own, its leaves read through a caller's lookup function:
    `fn(lookup)` → value or None. For metrics that combine aggregates arithmetically."""

    def __init__(self, expr: Any, tables: TableFunctions, is_table: Callable[[str], bool], text: SourceText):
        space = CodeSpace()
        self.tables = tables

        def leaf(node: Any) -> Code:
            return Code(f"lookup({space.constant(node, key=('node', id(node)))})", True)

        def table(call: ast.Call, args: list[str]) -> str:
            fn = space.constant(tables.function(call.func), key=("table", call.func))
            site = space.constant((call, text.text(call.span)), key=("site", id(call)))
            return f"{fn}(None, '', {site}, {', '.join(args)})"

        body = FormulaCompiler(space, leaf, table, is_table).compile(expr).source
        self.source = f"def fn(lookup):\n    return {body}\n"
        exec(compile(self.source, "<kpilang expression>", "exec"), space.namespace)
        self.fn = space.namespace["fn"]
        self.expr = expr
