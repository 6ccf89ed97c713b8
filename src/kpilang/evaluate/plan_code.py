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
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Any, Callable

from kpilang.compile.history import history_key, is_history, lookbacks
from kpilang.compile.program import SALARY, SCORE, KpiDef, PayDef, Program
from kpilang.evaluate.formula_code import Code, CodeSpace, FormulaCompiler, is_manager_column
from kpilang.evaluate.formula_text import SourceText
from kpilang.evaluate.numbers import WIDE_NAMES, ZERO, contribution_code, minor_unit, score_code, tidy, wide_product
from kpilang.evaluate.results import KpiFigures, PayFigures, PersonOutcome, TrustedParts, trusted_builder
from kpilang.evaluate.table_lookup import GraduatedTable, LookupFailed, StepTable
from kpilang.syntax import ast

FAULTS = (LookupFailed, InvalidOperation, DivisionByZero, Overflow, TypeError)
"""What a formula can raise for one person: a table look-up outside the bands, a figure exact
arithmetic cannot hold, values of kinds that do not combine (bad data in a manager column)."""


class NotANumber(TypeError):
    """A figure's formula (`part`: "expr", "target", "cap" or "floor") came out as something
    other than a number, from a manager column that holds no number."""

    def __init__(self, part: str):
        super().__init__(part)
        self.part = part


@dataclass(frozen=True)
class Subject:
    """One figure the plan function computes: a KPI, the score or a pay."""

    kind: str  # "kpi" | "score" | "pay"
    name: str
    definition: KpiDef | PayDef | None
    var: str
    """The local variable holding its value (a KPI's attainment, the score, a pay's amount)."""
    figures_var: str | None = None
    contribution_var: str | None = None
    wide_contribution_var: str | None = None
    """A KPI's contribution to 60 digits, what the score adds up (numbers.score_of)."""


def leaf_key(node: Any) -> str | None:
    """The name a leaf node reads: `calls`, `targets.revenue`, `managers.team`, `salary`
    (`managers.salary` is the same figure as `salary`, and is read as `salary`)."""
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.Dotted):
        if node.table == "managers" and node.column == SALARY:
            return SALARY
        return f"{node.table}.{node.column}"
    if is_history(node):
        return history_key(node)
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
        namespace.update(FAULTS=FAULTS, ZERO=ZERO, DECIMAL=Decimal, NOT_A_NUMBER=NotANumber, HALF_UP=ROUND_HALF_UP,
                         KPI=trusted_builder(KpiFigures),
                         **WIDE_NAMES,
                         PAY=trusted_builder(PayFigures), NEW=TrustedParts.new, SET_DICT=TrustedParts.set_dict,
                         SET_FIELDS=TrustedParts.set_fields, SET_EXTRA=TrustedParts.set_extra,
                         SET_PRIVATE=TrustedParts.set_private)
        for model in (KpiFigures, PayFigures, PersonOutcome):
            namespace[model.__name__] = model
            namespace[f"FIELDS_{model.__name__}"] = set(model.model_fields)
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

    @staticmethod
    def _number_checks(parts: list[tuple[str, str, Any]], indent: str) -> list[str]:
        """Lines that stop a figure made of a manager column that holds no number (a date, a
        text, a yes/no: an extra column's kind is known only from the data) with `NotANumber`,
        which the error explainer turns into the person's error naming the column; without
        them a date would reach the rounding and crash, or a yes/no would count as 1. Only
        formulas that read such a column get them."""
        lines = []
        for var, part, expr in parts:
            if expr is not None and any(map(is_manager_column, ast.walk(expr))):
                lines += [f"{indent}if {var} is not None and type({var}) is not DECIMAL:",
                          f"{indent}    raise NOT_A_NUMBER({part!r})"]
        return lines

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
        for index, key in enumerate(lookbacks(p)):  # earlier periods' figures: evaluate/history.py
            self.vars[key] = f"q{index}"
            lines.append(f"    q{index} = inputs.history.get({key!r})")
        self.vars[SCORE] = "score"
        lines.append("    score = None")
        quantum = minor_unit(p.plan.currency if p.plan is not None else None)
        for name in p.order:
            if name in p.kpis:
                lines += self._kpi(p.kpis[name])
            elif name in p.pays:
                lines += self._pay(p.pays[name], quantum)
            elif name == SCORE:
                # In declaration order, as the plan lists the KPIs (and as the trace shows the sum).
                kpis = {s.name: s for s in self.subjects if s.kind == "kpi"}
                lines += self._score([kpis[k].contribution_var for k in p.kpis],
                                     [kpis[k].wide_contribution_var for k in p.kpis])
        # The outcome lists KPIs and pays as the plan declares them, whatever order computed them.
        figures = {s.name: s.figures_var for s in self.subjects}
        kpis = ", ".join(f"{n!r}: {figures[n]}" for n in p.kpis)
        pays = ", ".join(f"{n!r}: {figures[n]}" for n in p.pays)
        lines += self._built("outcome", "PersonOutcome", f"{{'metrics': dict(metrics), 'kpis': {{{kpis}}}, 'kpi_score': score, "
                             f"'pays': {{{pays}}}, 'table_hits': hits, 'errors': errors, 'trace': []}}", "    ")
        lines.append("    return outcome")
        return "\n".join(lines) + "\n"

    @staticmethod
    def _built(var: str, model: str, values: str, indent: str) -> list[str]:
        """`var = model(**values)` without validation, inlined: the hot path of every person
        (see `results.trusted_builder`, which these lines spell out)."""
        return [
            f"{indent}{var} = NEW({model})",
            f"{indent}SET_DICT({var}, {values})",
            f"{indent}SET_FIELDS({var}, FIELDS_{model})",
            f"{indent}SET_EXTRA({var}, None)",
            f"{indent}SET_PRIVATE({var}, None)",
        ]

    def _subject(self, kind: str, name: str, definition: Any) -> tuple[int, Subject]:
        index = len(self.subjects)
        subject = Subject(kind=kind, name=name, definition=definition, var=f"v{index}", figures_var=f"f{index}",
                          contribution_var=f"w{index}", wide_contribution_var=f"x{index}")
        self.subjects.append(subject)
        self.vars[name] = subject.var
        self._subject_name = name
        return index, subject

    def _kpi(self, kpi: KpiDef) -> list[str]:
        """attainment = value / target (target / value when lower is better), clamped to [0, cap]
        (to [0, ∞) without a cap); contribution = weight × attainment, kept to 60 digits for the
        score (see numbers.wide_contribution) and shown to 34. A zero divisor or a missing value
        leaves the KPI without a value."""
        i, s = self._subject("kpi", kpi.name, kpi)
        const = self.space.constant
        cap = None if kpi.cap is None else tidy(kpi.cap)
        weight = const(tidy(kpi.weight))
        cap_name = const(cap) if cap is not None else "None"
        lower = kpi.lower_is_better
        divisor, dividend = (f"a{i}", f"b{i}") if lower else (f"b{i}", f"a{i}")
        other = f"b{i}" if lower else f"a{i}"
        figures = ("'value': a{i}, 'target': b{i}, 'raw_attainment': {raw}, 'attainment': v{i}, 'capped': {capped}, "
                   "'floored': {floored}, 'cap': {cap}, 'lower_is_better': {lower}, 'weight': {weight}, "
                   "'contribution': w{i}")
        ok = figures.format(i=i, raw=f"r{i}", capped=f"cp{i}", floored=f"fl{i}", cap=cap_name, lower=lower,
                            weight=weight)
        failed = figures.format(i=i, raw="None", capped="False", floored="False", cap=cap_name, lower=lower,
                                weight=weight)
        # A clamped attainment is exact, and so is its contribution: a constant of the plan.
        clamp = [
            f"            if r{i} < ZERO:",
            f"                v{i}, cp{i}, fl{i} = ZERO, False, True",
            f"                x{i} = {const(wide_product(tidy(kpi.weight), ZERO))}",
        ]
        if cap is not None:
            clamp += [
                f"            elif r{i} > {cap_name}:",
                f"                v{i}, cp{i}, fl{i} = {cap_name}, True, False",
                f"                x{i} = {const(wide_product(tidy(kpi.weight), cap))}",
            ]
        clamp += [
            "            else:",
            f"                v{i}, cp{i}, fl{i} = r{i}, False, False",
            f"                x{i} = {contribution_code(weight, dividend, divisor, f'r{i}')}",
        ]
        return [
            f"    # kpi {kpi.name}",
            "    try:",
            f"        a{i} = {self._code(kpi.expr)}",
            f"        b{i} = {self._code(kpi.target)}",
            *self._number_checks([(f"a{i}", "expr", kpi.expr), (f"b{i}", "target", kpi.target)], "        "),
            f"        if {other} is None or not {divisor}:",
            f"            v{i} = w{i} = None",
            f"            f{i} = KPI({{{failed}}})",
            f"            explain(errors, {i}, None, locals())",
            "        else:",
            f"            r{i} = {dividend} / {divisor}",
            *clamp,
            f"            w{i} = +x{i}",
            *self._built(f"f{i}", "KpiFigures", f"{{{ok}}}", "            "),
            "    except FAULTS as exc:",
            f"        v{i} = w{i} = None",
            f"        f{i} = KPI({{'value': None, 'target': None, 'raw_attainment': None, 'attainment': None, "
            f"'capped': False, 'floored': False, 'cap': {cap_name}, 'lower_is_better': {lower}, 'weight': {weight}, "
            f"'contribution': None}})",
            f"        explain(errors, {i}, exc, locals())",
        ]

    def _score(self, contributions: list[str], wide_contributions: list[str]) -> list[str]:
        """kpi_score = Σ contributions, in the order the plan declares its KPIs, added to 60 digits
        and rounded once (numbers.score_of)."""
        i, s = self._subject("score", SCORE, None)
        self.vars[SCORE] = "score"
        if not contributions:
            return ["    # kpi_score: the plan has no KPIs", f"    explain(errors, {i}, None, locals())"]
        missing = " or ".join(f"{c} is None" for c in contributions)
        return [
            "    # kpi_score",
            f"    if {missing}:",
            "        score = None",
            f"        explain(errors, {i}, None, locals())",
            "    else:",
            f"        score = {score_code(wide_contributions)}",
        ]

    def _pay(self, pay: PayDef, quantum) -> list[str]:
        """The formula's value, lowered to the cap, raised to the floor, then rounded to the
        currency's minor unit half up; no value if any of them has none, or the floor is above
        the cap."""
        i, s = self._subject("pay", pay.name, pay)
        q = self.space.constant(quantum)
        has_cap, has_floor = pay.cap is not None, pay.floor is not None
        blocked = [f"a{i} is None"]
        if has_cap:
            blocked.append(f"b{i} is None")
        if has_floor:
            blocked.append(f"c{i} is None")
        if has_cap and has_floor:
            blocked.append(f"c{i} > b{i}")
        figures = ("'raw': a{i}, 'cap': b{i}, 'floor': c{i}, 'capped': {capped}, 'floored': {floored}, "
                   "'unrounded': {unrounded}, 'value': v{i}")
        lines = [
            f"    # pay {pay.name}",
            "    try:",
            f"        a{i} = {self._code(pay.expr)}",
            f"        b{i} = {self._code(pay.cap) if has_cap else 'None'}",
            f"        c{i} = {self._code(pay.floor) if has_floor else 'None'}",
            *self._number_checks([(f"a{i}", "expr", pay.expr), (f"b{i}", "cap", pay.cap),
                                  (f"c{i}", "floor", pay.floor)], "        "),
            f"        if {' or '.join(blocked)}:",
            f"            v{i} = None",
            f"            f{i} = PAY({{{figures.format(i=i, capped='False', floored='False', unrounded='None')}}})",
            f"            explain(errors, {i}, None, locals())",
            "        else:",
            f"            u{i}, cp{i}, fl{i} = a{i}, False, False",
        ]
        if has_cap:
            lines += [f"            if u{i} > b{i}:", f"                u{i}, cp{i} = b{i}, True"]
        if has_floor:
            lines += [f"            if u{i} < c{i}:", f"                u{i}, fl{i} = c{i}, True"]
        lines += [
            f"            v{i} = u{i}.quantize({q}, HALF_UP)",
            *self._built(f"f{i}", "PayFigures",
                         f"{{{figures.format(i=i, capped=f'cp{i}', floored=f'fl{i}', unrounded=f'u{i}')}}}",
                         "            "),
            "    except FAULTS as exc:",
            f"        v{i} = None",
            f"        f{i} = PAY({{'raw': None, 'cap': None, 'floor': None, 'capped': False, 'floored': False, "
            "'unrounded': None, 'value': None})",
            f"        explain(errors, {i}, exc, locals())",
        ]
        return lines


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
