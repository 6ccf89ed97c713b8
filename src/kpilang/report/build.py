"""The figures of the head of sales' report, from the evaluations of each period: exact decimals
and counts, no words (`render` puts them into words and charts).

Per period: the plan version in force, the payroll next to the salary fund, how the KPI scores
spread, how many people sit in each band of each table, and the data problems that concern it.
Per person and per team: plan vs fact for each KPI, month by month. For the last period: who is
within reach of the next band and what it takes, found by the statements' own search
(`explain.reach.ReachFinder`, every candidate run through the plan's formulas).

Everything a figure is made of is a figure `eval` computed; a person whose figures could not be
computed is counted as such and adds nothing to a sum, never a zero.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from kpilang.compile.program import Unit
from kpilang.report.periods import PeriodRun

SCORE_EDGES = (Decimal("0.5"), Decimal("0.8"), Decimal("1"), Decimal("1.2"), Decimal("1.5"))
"""The KPI score's buckets: below 50 %, 50–80 %, 80–100 %, 100–120 %, 120–150 %, 150 % and above."""

NEAR_SHARE = Decimal("0.1")
"""Within reach: one metric raised by at most this share of its value lifts the person a band."""

ADDITIVE = (Unit.MONEY, Unit.COUNT)
"""KPIs whose values and targets add up over a team (revenue, new clients; not a conversion rate)."""


@dataclass(frozen=True)
class KpiCell:
    value: Decimal | None
    target: Decimal | None
    attainment: Decimal | None


@dataclass
class PersonPeriod:
    kpis: dict[str, KpiCell]
    score: Decimal | None
    pays: dict[str, Decimal | None]
    final: Decimal | None
    errors: int


@dataclass
class PersonRow:
    manager_id: str
    name: str | None
    team: str | None
    periods: dict[str, PersonPeriod] = field(default_factory=dict)


@dataclass(frozen=True)
class TeamKpi:
    """One KPI of one team (or of everyone, `team` None) in one period."""

    team: str | None
    kpi: str
    period: str
    people: int
    """People of the team whose KPI was computed."""
    value: Decimal | None
    """The sum of the values, for a KPI that adds up (None otherwise)."""
    target: Decimal | None
    attainment: Decimal | None
    """value / target for a KPI that adds up, else the median attainment."""
    median: Decimal | None
    at_target: int
    """People at or above 100 %."""


@dataclass(frozen=True)
class ReachRow:
    manager_id: str
    name: str | None
    table: str
    subject: str
    argument: Decimal
    next_low: Decimal
    metric: str
    value: Decimal
    delta: Decimal
    final_after: Decimal | None


@dataclass
class PeriodSummary:
    label: str
    version_spec: str
    fingerprint: str
    commit: object
    effective: object
    payroll: Decimal
    salary_fund: Decimal
    pay_sums: dict[str, Decimal]
    paid: int
    """People whose final pay was computed."""
    not_computed: int
    skipped: int
    score_buckets: list[int]
    bands: dict[str, list[int]]
    """Table → people whose look-up fell in each band (one count per band, in the table's order)."""
    problems: list = field(default_factory=list)


@dataclass
class Report:
    plan: str
    plan_label: str
    currency: str
    periods: list[PeriodSummary]
    kpis: list[str]
    pays: list[str]
    final_pay: str | None
    tables: dict[str, int]
    """Table → its number of bands."""
    people: list[PersonRow]
    teams: list[TeamKpi]
    reach: list[ReachRow]
    reach_period: str | None
    program: object
    inputs: list = field(default_factory=list)


def build_report(runs: list[PeriodRun]) -> Report:
    """The report's figures from the evaluations of its periods (in order, at least one)."""
    last = runs[-1]
    program = last.version.program
    people: dict[str, PersonRow] = {}
    periods = []
    teams: list[TeamKpi] = []
    for run in runs:
        periods.append(_period_summary(run))
        _add_people(run, people)
        teams.extend(_team_kpis(run))
    reach = _within_reach(last)
    plan = program.plan
    return Report(
        plan=plan.name, plan_label=plan.label or plan.name, currency=plan.currency, periods=periods,
        kpis=list(program.kpis), pays=list(program.pays),
        final_pay=program.final_pay, tables={name: len(t.bands) for name, t in program.tables.items()},
        people=sorted(people.values(), key=lambda p: p.manager_id), teams=teams, reach=reach,
        reach_period=last.period.label, program=program, inputs=list(last.report.inputs))


def _final(run: PeriodRun, person) -> Decimal | None:
    final = run.version.program.final_pay
    if person.outcome is None or not person.ok or final is None:
        return None
    figures = person.outcome.pays.get(final)
    return figures.value if figures is not None else None


def _period_summary(run: PeriodRun) -> PeriodSummary:
    report, program = run.report, run.version.program
    payroll = salary_fund = Decimal(0)
    pay_sums = {name: Decimal(0) for name in program.pays}
    paid = not_computed = 0
    buckets = [0] * (len(SCORE_EDGES) + 1)
    bands = {name: [0] * len(table.bands) for name, table in program.tables.items()}
    for person in report.results:
        final = _final(run, person)
        if final is None:
            not_computed += 1
            continue
        paid += 1
        payroll += final
        if person.inputs is not None and person.inputs.salary is not None:
            salary_fund += person.inputs.salary
        for name, figures in person.outcome.pays.items():
            if figures.value is not None:
                pay_sums[name] += figures.value
        score = person.outcome.kpi_score
        if score is not None:
            buckets[sum(1 for edge in SCORE_EDGES if score >= edge)] += 1
        for hit in person.outcome.table_hits:
            bands[hit.table][hit.band] += 1
    start, end = report.start_utc, report.end_utc
    problems = [p for p in report.data_problems if p.concerns(run.period.label, start, end)]
    commit = run.version.commit
    return PeriodSummary(
        label=run.period.label, version_spec=run.version.spec, fingerprint=run.version.fingerprint, commit=commit,
        effective=program.plan.effective, payroll=payroll, salary_fund=salary_fund, pay_sums=pay_sums, paid=paid,
        not_computed=not_computed, skipped=len(report.skipped), score_buckets=buckets, bands=bands,
        problems=problems)


def _add_people(run: PeriodRun, people: dict[str, PersonRow]) -> None:
    program = run.version.program
    for person in run.report.results:
        row = people.setdefault(person.manager_id, PersonRow(person.manager_id, person.name, person.team))
        outcome = person.outcome if person.ok else None
        kpis = {}
        for name in program.kpis:
            figures = outcome.kpis.get(name) if outcome is not None else None
            kpis[name] = (KpiCell(figures.value, figures.target, figures.attainment) if figures is not None
                          else KpiCell(None, None, None))
        pays = {name: (outcome.pays[name].value if outcome is not None and name in outcome.pays else None)
                for name in program.pays}
        row.periods[run.period.label] = PersonPeriod(
            kpis=kpis, score=outcome.kpi_score if outcome is not None else None, pays=pays,
            final=_final(run, person), errors=len(person.errors))


def _team_kpis(run: PeriodRun) -> list[TeamKpi]:
    program = run.version.program
    computed = [p for p in run.report.results if p.ok and p.outcome is not None]
    groups: dict[str | None, list] = {None: computed}
    for person in computed:
        groups.setdefault(person.team or "—", []).append(person)
    out = []
    for team in [None, *sorted(k for k in groups if k is not None)]:
        members = groups[team]
        for name, kpi in program.kpis.items():
            figures = [p.outcome.kpis[name] for p in members
                       if name in p.outcome.kpis and p.outcome.kpis[name].attainment is not None]
            attainments = [f.attainment for f in figures]
            median = statistics.median(attainments) if attainments else None
            value = target = attainment = None
            if kpi.unit in ADDITIVE and not kpi.lower_is_better and figures:
                value = sum((f.value for f in figures), Decimal(0))
                target = sum((f.target for f in figures), Decimal(0))
                attainment = value / target if target > 0 else None
            else:
                attainment = median
            out.append(TeamKpi(team, name, run.period.label, len(figures), value, target, attainment, median,
                               sum(1 for a in attainments if a >= 1)))
    return out


def _within_reach(run: PeriodRun) -> list[ReachRow]:
    """The people of `run` whom one metric raised by at most NEAR_SHARE lifts into the next band
    of a table, with the smallest such change, closest first."""
    from kpilang.evaluate.formulas import FormulaEngine
    from kpilang.explain.reach import ReachFinder

    program = run.version.program
    if not program.tables:
        return []
    finder = ReachFinder(program, FormulaEngine(program))
    final = program.final_pay
    out = []
    for person in run.report.results:
        if not person.ok or person.outcome is None or person.inputs is None:
            continue
        for reach in finder.find(person.inputs, person.outcome, person.role):
            near = []
            for change in reach.changes:
                start = person.inputs.metrics.get(change.metric)
                if start is None or start <= 0 or change.delta <= 0 or change.delta > NEAR_SHARE * start:
                    continue
                near.append((change.delta / start, change))
            if not near:
                continue
            _, best = min(near, key=lambda item: (item[0], item[1].metric))
            after = best.outcome.pays.get(final) if final else None
            out.append(ReachRow(person.manager_id, person.name, reach.hit.table, reach.hit.subject,
                                reach.hit.argument, reach.next_low, best.metric, best.value, best.delta,
                                after.value if after is not None else None))
    return sorted(out, key=lambda r: (r.delta / (r.value - r.delta), r.manager_id))
