"""A team plan's figures over its members: who the members are, and the aggregates over them.

The members of a head are the people of the head's team (`managers.team`) other than those the
team plan itself pays, evaluated first under the `import members` plan of their role for the same
period (`TeamMembers`). A person whose `managers` row was rejected may be of any team: every head counts
them as a member who cannot be read. A member is *usable* when their plan is in force for the period and
their evaluation has no error; a member whose role no imported plan pays, whose plan is not in
force yet, or who has an error is not. Someone hired after the period ended is no member of it,
as they are paid by no plan for it.

An aggregate over the members (`TeamFigure`) reads the usable members. A member that is not usable,
or whose figure the aggregate reads has no value, is a *problem*: under `on_member_error fail` (the
default) the figure has no value and the head gets an error naming every such member; under
`on_member_error exclude` they are left out, each listed with the reason, and the figure is
computed from the others. Nothing is invented: no member is read as zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from kpilang.compile.members import MEMBERS, PAYS, figure_key, is_member_aggregate
from kpilang.compile.program import SALARY, SCORE, MemberPlan, Program
from kpilang.evaluate.numbers import decimal_context, exact_mean, exact_sum
from kpilang.evaluate.period import Period
from kpilang.evaluate.results import EvalError
from kpilang.messages import Text, join, t
from kpilang.syntax import ast

MEMBER_KEY_PREFIX = "members:"


def member_key(call: ast.Call) -> str:
    """The key of a member aggregate among a head's aggregate values (beside the data ones)."""
    from kpilang.evaluate.aggregate_plan import canonical

    return MEMBER_KEY_PREFIX + canonical(call)


class _Figure(BaseModel):
    model_config = ConfigDict(frozen=True)


class MemberLine(_Figure):
    """One member behind one team figure."""

    manager_id: str
    name: str | None
    role: str | None
    plan: str | None
    """The members' plan that pays them (its plan name), None when none does."""
    figure: str | None = None
    """The member's figure shown: the one the aggregate reads (`pays.total`), or for count and
    share the first its `where` reads (`kpi_score`)."""
    value: Decimal | None = None
    """That figure's value for them."""
    matched: bool | None = None
    """Whether they meet the aggregate's `where` (None without a `where`, or when left out)."""
    problem: Text | None = None
    """Why their figure could not be read (an error, no plan, no value); None when it was."""
    excluded: bool = False
    """Left out of the figure under `on_member_error exclude`, for `problem`."""


class TeamFigure(_Figure):
    """One aggregate over a head's members: its value and the members behind it."""

    metric: str
    """The head's metric the aggregate stands in."""
    call: str
    """The aggregate as written: `share(members where kpi_score >= 100%)`."""
    func: str
    value: Decimal | None
    counted: int
    """Members the figure was computed from (after any left out)."""
    members: list[MemberLine]


@dataclass(frozen=True)
class Member:
    """A person of a head's team and what their plan computed for them."""

    manager_id: str
    name: str | None
    role: str | None
    plan: MemberPlan | None
    result: Any | None
    """Their `PersonResult` under `plan`; None when it gives none (no plan, not in force)."""
    problem: Text | None

    def figure(self, key: str) -> Decimal | None:
        """A figure of this usable member: `kpi_score`, a KPI's attainment, a metric, `salary`, `pays.X`."""
        result = self.result
        if key == SCORE:
            return result.outcome.kpi_score
        if key == SALARY:
            return result.inputs.salary
        if key.startswith(PAYS + "."):
            return result.outcome.pays[key[len(PAYS) + 1:]].value
        if key in result.outcome.kpis:
            return result.outcome.kpis[key].attainment
        return result.metrics[key]


EvaluatePlan = Callable[[Program], Any]
"""Evaluates one members' plan for the period on the loaded data: its `EvalReport`."""


class TeamMembers:
    """Every imported plan evaluated once for the period; the members of each team from them."""

    def __init__(self, program: Program, period: Period, evaluate_plan: EvaluatePlan, managers: list[dict[str, Any]],
                 rejected: list[Any]):
        self.program = program
        self.by_role: dict[str, MemberPlan] = {r: m for m in program.member_plans for r in m.program.plan.roles}
        self.results: dict[str, Any] = {}
        self.not_in_force: dict[str, Text] = {}
        self.hired_later: set[str] = set()
        for member_plan in program.member_plans:
            info = member_plan.program.plan
            if period.end_day <= info.effective:
                for role in info.roles:
                    self.not_in_force[role] = t("eval.members.not-in-force", plan=info.name,
                                                effective=info.effective.isoformat(), period=period.label)
                continue
            report = evaluate_plan(member_plan.program)
            self.results.update({r.manager_id: r for r in report.results})
            self.hired_later.update(s.manager_id for s in report.skipped if s.code == "hired_after_period")
        self.by_team: dict[Any, list[dict[str, Any]]] = {}
        """Team → its people in the order of `managers`: each head reads only their own team."""
        for m in managers:
            self.by_team.setdefault(m["team"], []).append(m)
        self.rejected = rejected
        """People whose `managers` row was rejected: their team cannot be told, so each may be a
        member of any team, and every head's team figures say so."""

    def of(self, head: dict[str, Any]) -> list[Member]:
        """The members of `head`'s team for the period, by id."""
        own_roles = self.program.plan.roles
        out = []
        for m in self.by_team[head["team"]]:  # a head is one of `managers`: their team is a key
            if m["id"] == head["id"] or m["role"] in own_roles or m["id"] in self.hired_later:
                continue
            plan = self.by_role.get(m["role"])
            result = self.results.get(m["id"])
            problem = None
            if plan is None:
                problem = t("eval.members.no-plan", role=m["role"])
            elif m["role"] in self.not_in_force:
                problem = self.not_in_force[m["role"]]
            elif result is None or not result.ok:
                errors = result.errors if result is not None else []
                problem = t("eval.members.has-errors", count=len(errors),
                            first=errors[0].message if errors else "")
            out.append(Member(m["id"], m["name"], m["role"], plan, result if problem is None else None, problem))
        for person in self.rejected:
            out.append(Member(person.manager_id, None, None, None, None,
                              t("eval.members.rejected-manager", message=person.errors[0].message)))
        return out


def no_team_figures(program: Program) -> dict[str, Decimal | None]:
    """Every member aggregate of the program without a value: an earlier period's metrics are worked
    out without team figures (the members are evaluated for this period only, and `previous` of a
    team figure is refused when compiled: E0710), so the metrics around them stay computable."""
    return {member_key(node): None for metric in program.metrics.values()
            for node in ast.walk(metric.expr) if is_member_aggregate(node)}


def team_figures(program: Program, members: list[Member], engine: Any) -> tuple[dict[str, Decimal | None], list[TeamFigure], list[EvalError]]:
    """The head's member aggregates: key → value (for `metric_values`), the figures with the members
    behind them, and an error for every figure a member's problem keeps from being computed."""
    values: dict[str, Decimal | None] = {}
    figures: list[TeamFigure] = []
    errors: list[EvalError] = []
    for name, metric in program.metrics.items():
        for node in ast.walk(metric.expr):
            if not is_member_aggregate(node):
                continue
            figure, error = _aggregate(program, name, node, members, engine)
            values[member_key(node)] = figure.value
            figures.append(figure)
            if error is not None:
                errors.append(error)
    return values, figures, errors


def _aggregate(program: Program, metric: str, call: ast.Call, members: list[Member], engine: Any) -> tuple[TeamFigure, EvalError | None]:
    exclude = program.plan.on_member_error == "exclude"
    reads = None if call.func in ("count", "share") else call.args[0]
    lines: list[MemberLine] = []
    included: list[tuple[bool, Decimal | None]] = []
    for member in members:
        line = MemberLine(manager_id=member.manager_id, name=member.name, role=member.role,
                          plan=member.plan.program.plan.name if member.plan else None, problem=member.problem)
        if member.problem is None:
            line = _read(member, call, reads, engine, line)
        if line.problem is not None:
            lines.append(line.model_copy(update={"excluded": exclude}))
            continue
        lines.append(line)
        included.append((line.matched is not False, line.value))
    text = _source(program, call)
    problems = [line for line in lines if line.problem is not None]
    if problems and not exclude:
        return TeamFigure(metric=metric, call=text, func=call.func, value=None, counted=len(included), members=lines), \
            _error(metric, call, text, problems)
    value = _combine(call.func, included)
    return TeamFigure(metric=metric, call=text, func=call.func, value=value, counted=len(included), members=lines), None


def _read(member: Member, call: ast.Call, reads: Any, engine: Any, line: MemberLine) -> MemberLine:
    """The line of a usable member: the figure read and whether the `where` holds, or the figure
    that has no value for them."""
    missing: list[str] = []
    seen: list[tuple[str, Decimal | None]] = []

    def lookup(node: Any) -> Decimal | None:
        key = figure_key(node)
        value = member.figure(key)
        seen.append((key, value))
        if value is None:
            missing.append(key)
        return value

    matched = None
    if call.where is not None:
        matched = engine.evaluate_expression(call.where, lookup)
        if matched is None:
            return line.model_copy(update={"problem": t("eval.members.no-value", figure=_first(missing, call.where))})
        matched = bool(matched)
    if reads is None:
        shown = seen[0] if seen else (None, None)
        return line.model_copy(update={"figure": shown[0], "value": shown[1], "matched": matched})
    value = None
    if matched is not False:
        value = engine.evaluate_expression(reads, lookup)
        if value is None:
            return line.model_copy(update={"problem": t("eval.members.no-value", figure=_first(missing, reads)),
                                           "matched": matched})
    return line.model_copy(update={"figure": figure_key(reads) if isinstance(reads, ast.Name | ast.Dotted) else None,
                                   "value": value, "matched": matched})


def _first(missing: list[str], expr: Any) -> str:
    """The figure to name for a member's value that could not be computed."""
    if missing:
        return missing[0]
    keys = [figure_key(n) for n in ast.walk(expr) if isinstance(n, ast.Name | ast.Dotted)]
    return keys[0] if keys else MEMBERS


def _combine(func: str, included: list[tuple[bool, Decimal | None]]) -> Decimal | None:
    """count, share, sum, avg, min, max, median over the members counted: no value over none
    (but count and sum, which are 0), as over data rows. Sums are exact and every figure is
    rounded once to the evaluator's 34 digits, so the order of the members changes nothing."""
    if func == "count":
        return Decimal(sum(1 for matched, _ in included if matched))
    if func == "share":
        if not included:
            return None
        with decimal_context():
            return Decimal(sum(1 for matched, _ in included if matched)) / Decimal(len(included))
    values = sorted(v for matched, v in included if matched)  # a member counted has a value (_read)
    if func == "sum":
        return exact_sum(values)
    if not values:
        return None
    if func == "avg":
        return exact_mean(values)
    if func == "min":
        return values[0]
    if func == "max":
        return values[-1]
    middle = len(values) // 2  # median: the middle one, or the mean of the two middle ones
    return values[middle] if len(values) % 2 else exact_mean(values[middle - 1:middle + 1])


def _error(metric: str, call: ast.Call, text: str, problems: list[MemberLine]) -> EvalError:
    span = call.span
    who = join(t("eval.members.who", name=p.name or p.manager_id, id=p.manager_id, problem=p.problem) for p in problems)
    return EvalError(
        subject=metric, message=t("eval.members.failed", call=text, count=len(problems), who=who),
        formula=text, file=span.file, line=span.line, column=span.column, end_line=span.end_line,
        end_column=span.end_column, cause="member_error", code="member_error", help=t("eval.members.failed-help"))


def _source(program: Program, call: ast.Call) -> str:
    from kpilang.evaluate.formula_text import SourceText

    return " ".join(SourceText(program.sources).text(call.span).split())

