"""A team plan's members: `import members "plan.kpi"` and the aggregates over the members' figures.

A `scope team` plan names, by `import members`, the plans its team's people are paid by. Each is
compiled on its own (its own imports, read under the importing plan's import rules) and must fit
the team plan: a plan of one person (not a team plan), the same period, timezone and currency, and
roles that no other imported plan and not the team plan itself claims. The members' figures a team
plan may read are those every imported plan has, with one unit: `kpi_score`, a KPI (its
attainment), a metric, `salary` and `pays.NAME`. They are read only through an aggregate over
`members` in a metric (`count(members where kpi_score >= 100%)`, `share(…)`, `avg(members.X)`,
`sum(members.pays.total)`, `min`, `max`, `median`); inside the aggregate, the member's figures are
named bare (`kpi_score`, `pays.total`) or as `members.X`.

`Typer` calls in here for `members` and the names inside a member aggregate; the compiler calls
`compile_members` once the plan block is known.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpilang.compile.loader import SourceSet, display_path, imported_text, universal_newlines
from kpilang.compile.names import AGGREGATES, suggest
from kpilang.compile.program import SALARY, SCORE, MemberPlan, PlanInfo, Program, Unit
from kpilang.diagnostics import Note
from kpilang.messages import join, t
from kpilang.syntax import ast

MEMBERS = "members"
PAYS = "pays"
ON_MEMBER_ERROR = "on_member_error"
MEMBER_ERROR_POLICIES = ("fail", "exclude")
MEMBERS_CONTEXT = "members"
"""The typer's context inside an aggregate over `members`: names are a member's figures."""

_compiling_member: ContextVar[bool] = ContextVar("compiling_member", default=False)
"""Set while an `import members` plan is compiled: it cannot have members of its own (a team of
teams is not a thing this language pays), which also ends any circle of such imports."""


@dataclass
class MemberSpace:
    """The imported member plans and the figures every one of them has."""

    plans: list[MemberPlan] = field(default_factory=list)
    units: dict[str, Unit] = field(default_factory=dict)
    """Figure (`kpi_score`, `won_deals`, `pays.total`) → its unit, for figures of every plan."""
    lacking: dict[str, str] = field(default_factory=dict)
    """Figure some plans have → the first plan (file) without it."""
    unlike: dict[str, str] = field(default_factory=dict)
    """Figure every plan has, with different units → the plan whose unit differs from the first."""


def figures_of(program: Program) -> dict[str, Unit]:
    """What a member aggregate may read of one member paid by `program`."""
    out: dict[str, Unit] = {SALARY: Unit.MONEY}
    if program.kpis:
        out[SCORE] = Unit.NUMBER
    out.update({name: Unit.NUMBER for name in program.kpis})
    out.update({name: metric.unit for name, metric in program.metrics.items()})
    out.update({f"{PAYS}.{name}": Unit.MONEY for name in program.pays})
    return out


def figure_key(node: Any) -> str | None:
    """The member figure a name inside a member aggregate reads: `kpi_score` and
    `members.kpi_score` → `kpi_score`; `pays.total` and `members.pays.total` → `pays.total`."""
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.Dotted):
        if node.table == MEMBERS:
            return node.column
        if node.table == PAYS:
            return f"{PAYS}.{node.column}"
    return None


def is_member_aggregate(node: Any) -> bool:
    """An aggregate over the members (`count(members …)`, `avg(members.kpi_score)`), not over data."""
    if not (isinstance(node, ast.Call) and node.func in AGGREGATES and len(node.args) == 1):
        return False
    arg = node.args[0]
    if isinstance(arg, ast.Name):
        return arg.name == MEMBERS
    return any(isinstance(n, ast.Dotted) and n.table == MEMBERS for n in ast.walk(arg))


def reads_members(expr: Any) -> bool:
    """Whether an expression holds an aggregate over the members."""
    return any(is_member_aggregate(n) for n in ast.walk(expr))


# ---- the imports ----------------------------------------------------------------------------------


def compile_members(c: Any, sources: SourceSet, plan: PlanInfo | None) -> MemberSpace | None:
    """Compile the `import members` plans of the root file, checking each against the team plan
    `plan`; None when there are none. Errors go to the compiler `c`."""
    found: list[ast.Import] = []
    for module in sources.modules:
        for item in module.items:
            if not isinstance(item, ast.Import) or item.members is None:
                continue
            if item.members.name != MEMBERS:
                c.error("E1001", "bad-members-import", t("E1001.word", word=item.members.name), item.members.span,
                        t("E1001.word-help", path=item.path))
            elif module.file in sources.imported:
                c.error("E1001", "bad-members-import", t("E1001.library"), item.span, t("E1001.library-help"))
            elif _compiling_member.get():
                c.error("E1001", "bad-members-import", t("E1001.nested"), item.span, t("E1001.nested-help"))
            else:
                found.append(item)
    if plan is None:
        return None
    if not found:
        if ON_MEMBER_ERROR in plan.field_spans:
            c.error("E0404", "bad-plan-field", t("E0404.on-member-error-unused"), plan.field_spans[ON_MEMBER_ERROR],
                    t("E0404.help.on_member_error"))
        return None
    if plan.scope != "team":
        for item in found:
            c.error("E1001", "bad-members-import", t("E1001.not-team", plan=plan.name), item.span,
                    t("E1001.not-team-help"))
        return None
    space = MemberSpace()
    claimed: dict[str, MemberPlan] = {}
    root = Path(sources.modules[0].file)
    for item in found:
        member = _compile_one(c, sources, root, item, plan)
        if member is None:
            continue
        clash = next((r for r in member.program.plan.roles if r in claimed or r in plan.roles), None)
        if clash is not None:
            other = claimed.get(clash)
            if other is None:  # the team plan's own role: its people are heads, not members
                c.error("E1002", "bad-members-plan", t("E1002.own-role", file=member.file, role=clash), item.span,
                        t("E1002.role-help"))
            else:
                c.error("E1002", "bad-members-plan", t("E1002.role", file=member.file, role=clash), item.span,
                        t("E1002.role-help"), notes=(Note(span=other.span, message=t("E1002.role-note", role=clash)),))
            continue
        claimed.update({r: member for r in member.program.plan.roles})
        space.plans.append(member)
    if len(space.plans) != len(found):
        return None
    _figures(space)
    return space


def _compile_one(c: Any, sources: SourceSet, root: Path, item: ast.Import, plan: PlanInfo) -> MemberPlan | None:
    from kpilang.compile.compiler import compile_file  # the compiler compiles members: imported when used

    target = root.parent / item.path
    name = display_path(target)
    scope = sources.scope
    assert scope is not None  # load_sources always sets it
    read = SourceSet()
    text = imported_text(target, name, scope, item.span, read)
    c.diagnostics.extend(read.diagnostics)
    if text is None:
        return None
    token = _compiling_member.set(True)
    try:
        result = compile_file(target, text=universal_newlines(text), tree=scope.tree)
    finally:
        _compiling_member.reset(token)
    if result.program is None:
        c.diagnostics.extend(result.diagnostics)
        sources.sources.update({f: s for f, s in result.sources.items() if f not in sources.sources})
        c.error("E1002", "bad-members-plan", t("E1002.not-compiled", file=name), item.span, t("E1002.not-compiled-help"))
        return None
    member = result.program.plan
    if member is None:
        c.error("E1002", "bad-members-plan", t("E1002.no-plan", file=name), item.span, t("E1002.no-plan-help"))
        return None
    problems = []
    if member.scope == "team":
        problems.append(t("E1002.team", file=name))
    for what in ("period", "timezone", "currency"):
        if getattr(member, what) != getattr(plan, what):
            problems.append(t(f"E1002.{what}", file=name, theirs=getattr(member, what), ours=getattr(plan, what)))
    for problem in problems:
        c.error("E1002", "bad-members-plan", problem, item.span, t("E1002.fit-help"))
    if problems:
        return None
    return MemberPlan(file=name, span=item.span, program=result.program)


def _figures(space: MemberSpace) -> None:
    first, *rest = space.plans
    units = figures_of(first.program)
    every = [(p.file, figures_of(p.program)) for p in rest]
    names = set(units).union(*(set(f) for _, f in every))
    for figure in sorted(names):
        missing = next((file for file, f in [(first.file, units), *every] if figure not in f), None)
        if missing is not None:
            space.lacking[figure] = missing
            continue
        differs = next((file for file, f in every if f[figure] != units[figure]), None)
        if differs is not None:
            space.unlike[figure] = differs
            continue
        space.units[figure] = units[figure]


# ---- typing (called by Typer) ---------------------------------------------------------------------


def aggregate_unit(typer: Any, e: ast.Call) -> Unit | None:
    """The unit of an aggregate over the members, its member expression and `where` typed over
    a member's figures."""
    typer.aggregates.append(e)
    space = typer.c.members
    if space is None:
        typer.fail("E1004", "members-without-plans", t("E1004.no-members"), e.args[0].span, t("E1004.no-members-help"))
        return None
    func, arg = e.func, e.args[0]
    row = type(typer)(typer.c, typer.owner, MEMBERS_CONTEXT)
    unit: Unit | None
    if func in ("count", "share"):
        if not (isinstance(arg, ast.Name) and arg.name == MEMBERS):
            typer.fail("E1005", "bad-member-aggregate", t("E1005.rows", func=func), arg.span, t("E1005.rows-help", func=func))
            return None
        if func == "share" and e.where is None:
            typer.fail("E0709", "bad-aggregate", t("E0709.share"), e.span, t("E1005.share-help"))
            return None
        unit = Unit.COUNT if func == "count" else Unit.NUMBER
    elif func == "count_distinct" or isinstance(arg, ast.Name):
        typer.fail("E1005", "bad-member-aggregate", t("E1005.figure", func=func), arg.span, t("E1005.figure-help", func=func))
        return None
    else:
        unit = typer.aggregated_unit(row, func, arg)
        if unit is None:
            return None
    if e.where is not None and row.need_bool(e.where) is None:
        return None
    return unit


def figure_unit(typer: Any, node: ast.Name | ast.Dotted) -> Unit | None:
    """The unit of a member's figure named inside a member aggregate."""
    key = figure_key(node)
    space = typer.c.members
    if key is None:
        typer.fail("E1005", "bad-member-aggregate", t("E1005.data-column", name=f"{node.table}.{node.column}"), node.span,
                   t("E1005.data-column-help"))
        return None
    unit = space.units.get(key)
    if unit is not None:
        return unit
    if key in space.unlike:
        typer.fail("E1003", "unknown-member-figure", t("E1003.unlike", name=key, file=space.unlike[key]), node.span,
                   t("E1003.unlike-help"))
    elif key in space.lacking:
        typer.fail("E1003", "unknown-member-figure", t("E1003.lacking", name=key, file=space.lacking[key]), node.span,
                   t("E1003.lacking-help"))
    else:
        hint = suggest(key, space.units)
        typer.fail("E1003", "unknown-member-figure", t("E1003.unknown", name=key), node.span,
                   t("did-you-mean", name=hint) if hint else
                   t("E1003.unknown-help", figures=join(f"`{f}`" for f in sorted(space.units))))
    return None


def outside_aggregate(typer: Any, node: ast.Name | ast.Dotted) -> None:
    """`members` or `members.X` where no aggregate says how to combine the members."""
    shown = MEMBERS if isinstance(node, ast.Name) else f"{MEMBERS}.{node.column}"
    typer.fail("E1004", "members-outside-aggregate", t("E1004.outside", name=shown), node.span,
               t("E1004.outside-help", name=shown))
    return None


def call_in_member_row(typer: Any, e: ast.Call) -> None:
    typer.fail("E1005", "bad-member-aggregate", t("E1005.call", func=e.func), e.func_span, t("E1005.call-help"))
    return None
