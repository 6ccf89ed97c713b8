"""A team plan's statement: the members behind each team figure, and what a member aggregate counts.

A head of sales is paid by figures over their team's people (`share(members where kpi_score >=
100%)`); the statement lists, for each such figure, every member with the figure read for them,
whether they meet the condition, and who was left out or could not be read and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kpilang.compile.members import MEMBERS, PAYS, figure_key, is_member_aggregate
from kpilang.compile.program import SALARY, SCORE, MemberPlan, Program
from kpilang.evaluate.team import TeamFigure
from kpilang.explain.formatting import FigureKind, unit_kind
from kpilang.syntax import ast


@dataclass(slots=True)
class TeamMemberLine:
    name: str
    manager_id: str
    role: str
    figure: str
    """The figure read for them, with its label: `Итоговый KPI ≈ 77,9 %` ("" when none was read)."""
    verdict: str
    """Whether they meet the condition (`выполняет условие`), "" without one."""
    problem: str | None
    excluded: bool
    line: str
    """The member in one line, as the text statement shows it."""


@dataclass(slots=True)
class TeamFigureLine:
    metric: str
    """The label of the head's metric the figure stands in."""
    value: str
    counted: str
    """`5 из 12 сотрудников`."""
    members: list[TeamMemberLine] = field(default_factory=list)


class TeamWords:
    """Labels and kinds of the members' figures, and team figures in words, for one team plan."""

    def __init__(self, program: Program, t: Any, fmt: Any, words: Any):
        self.program = program
        self.t = t
        self.fmt = fmt
        self.words = words
        self.first: MemberPlan | None = program.member_plans[0] if program.member_plans else None

    def label(self, key: str) -> str:
        """A member figure by its label in the first members' plan (every plan has the figure)."""
        if key == SCORE:
            return self.t.kpi_score
        if key == SALARY:
            return self.t.salary
        member = self.first.program if self.first is not None else None
        name = key[len(PAYS) + 1:] if key.startswith(PAYS + ".") else key
        return (member.label(name) if member is not None else None) or name

    def kind(self, key: str) -> FigureKind:
        member = self.first.program if self.first is not None else None
        if key.startswith(PAYS + ".") or key == SALARY:
            return "money"
        if member is not None and key in member.metrics:
            metric = member.metrics[key]
            is_share = isinstance(metric.expr, ast.Call) and metric.expr.func == "share"
            return "percent" if is_share else unit_kind(metric.unit)
        return "percent"  # kpi_score, a KPI's attainment

    def counted(self, call: ast.Call) -> str:
        """What an aggregate over members counts, in words."""
        def leaf(node: Any) -> str | None:
            return self.label(figure_key(node)) if isinstance(node, ast.Name | ast.Dotted) else None

        where = self.t.f("team_agg_where", cond=self.words.words(call.where, leaf)) if call.where is not None else ""
        arg = call.args[0]
        what = "" if isinstance(arg, ast.Name) and arg.name == MEMBERS else self.words.words(arg, leaf)
        return self.t.f(f"team_agg_{call.func}", expr=what, where=where)

    def metric_counted(self, expr: ast.Expr, period: str) -> str | None:
        """A metric that is one aggregate over members, in words with the period; None otherwise."""
        if not is_member_aggregate(expr):
            return None
        return self.t.f("agg_period", text=self.counted(expr), period=period)

    def figures(self, figures: list[TeamFigure]) -> list[TeamFigureLine]:
        return [self._figure(f) for f in figures]

    def _figure(self, figure: TeamFigure) -> TeamFigureLine:
        t, fig = self.t, self.fmt.figure
        kind = {"count": "count", "share": "percent"}.get(figure.func)
        lines = []
        matched = 0
        for m in figure.members:
            shown = ""
            if m.figure is not None and m.value is not None:
                shown = f"{self.label(m.figure)} {fig(m.value, self.kind(m.figure))}"
                kind = kind or self.kind(m.figure)
            verdict = "" if m.matched is None else (t.team_member_meets if m.matched else t.team_member_misses)
            matched += bool(m.matched) and m.problem is None
            problem = m.problem.render(self.t.lang) if m.problem is not None else None
            who = t.f("team_member_who", name=m.name or m.manager_id, id=m.manager_id, role=m.role or "—")
            if problem is not None:
                line = t.f("team_member_excluded" if m.excluded else "team_member_problem", who=who, problem=problem)
            else:
                line = t.f("team_member_line", who=who, figure=shown) + (f" — {verdict}" if verdict else "")
            lines.append(TeamMemberLine(name=m.name or m.manager_id, manager_id=m.manager_id, role=m.role or "—",
                                        figure=shown, verdict=verdict, problem=problem, excluded=m.excluded, line=line))
        if figure.func in ("count", "share") and any(m.matched is not None for m in figure.members):
            counted = t.f("team_counted_matched", matched=matched, counted=figure.counted)
        else:
            counted = t.f("team_counted_all", counted=figure.counted)
        value = fig(figure.value, kind or "number") if figure.value is not None else t.no_value
        label = self.program.label(figure.metric) or figure.metric
        return TeamFigureLine(metric=label, value=value, counted=counted, members=lines)
