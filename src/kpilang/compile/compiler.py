"""Modules → one checked `Program`: the driver that runs one pass per concern over a plan's modules.

It gathers the declarations (a name declared once, never a built-in one), then reads the plan's
header (`plan_fields.py`), each declaration (`declarations.py`, whose formulas `typer.py` types),
the order figures are computed in (`order.py`) and the plan's tests (`plan_tests.py`). It is the
`NameResolver` those passes report through and record in; the built-in words are in `names.py`,
the help texts in `help.py`.

Every problem is a diagnostic with the exact span of the offending text; the compiler keeps going
after an error so that one run shows as many problems as it can, and returns no program if any
error was found.
"""

from __future__ import annotations

from pathlib import Path

from kpilang import schema
from kpilang.compile import declarations
from kpilang.compile.loader import SourceSet, load_sources
from kpilang.compile.members import compile_members
from kpilang.compile.names import BUILTIN_NAMES
from kpilang.compile.order import dependency_order
from kpilang.compile.plan_fields import plan_info
from kpilang.compile.plan_tests import compile_test
from kpilang.compile.program import SCORE, MetricDef, Program, TableDef, Unit
from kpilang.diagnostics import Diagnostic, Note, Severity, Span
from kpilang.messages import Text, t
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
            plan = plan_info(self, plans[0])
        elif self.decls and any(isinstance(d, ast.Kpi | ast.Pay) for d in self.decls.values()):
            first = next(d for d in self.decls.values() if isinstance(d, ast.Kpi | ast.Pay))
            self.error("E0204", "missing-plan", t("E0204.message"),
                       first.name.span, t("E0204.help"))

        self.members = compile_members(self, self.sources, plan)
        metrics = {n: self.compile_metric(d) for n, d in self.decls.items() if isinstance(d, ast.Metric)}
        tables = {n: self.compile_table(d) for n, d in self.decls.items() if isinstance(d, ast.Table)}
        kpis = {n: declarations.kpi(self, d) for n, d in self.decls.items() if isinstance(d, ast.Kpi)}
        pays = {n: declarations.pay(self, d) for n, d in self.decls.items() if isinstance(d, ast.Pay)}
        if kpis:
            self.deps[SCORE] = set(kpis)
        order = dependency_order(self)
        test_defs = tuple(t for t in (compile_test(self, t) for t in tests) if t is not None)
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

    # ---- declarations compiled on first use ----
    def compile_metric(self, node: ast.Metric) -> MetricDef | None:
        name = node.name.name
        if name in self.compiled:
            return self.compiled[name]
        self.compiled[name] = result = declarations.metric(self, node)
        return result

    def compile_table(self, node: ast.Table) -> TableDef | None:
        name = node.name.name
        if name not in self.compiled:
            self.compiled[name] = declarations.table(self, node)
        return self.compiled[name]
