"""Evaluate a plan for a period: who is paid by it, their metrics from the data, then the formulas.

The steps, in order:
1. the period is read and checked against the plan (`period.py`);
2. the data is loaded (or taken as given); a fatal data problem stops everything (`DataError`);
3. the people are the managers whose role is one of the plan's roles; everyone else is listed
   in `skipped` with the reason;
4. every aggregate of the plan is computed in one query per table (`aggregate.py`), per person
   or, for `scope team`, per team;
5. metric values follow (a metric that combines aggregates is computed by the formula engine's
   `evaluate_expression`), then salary, targets of the period and manager columns, and the
   formula engine computes KPIs, score and pays.

A rejected data row never turns into a quietly smaller figure: every person it touches (for a
team plan, everyone whose team it touches) gets an evaluation error naming the row, and none of
their figures is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpilang.evaluate.collection_pause import collector_paused
from kpilang.compile.program import Program
from kpilang.data.inputs import InputFile, Snapshot
from kpilang.data.problems import DataError, DataProblem
from kpilang.evaluate.aggregate import AggregateValues, run_aggregates
from kpilang.evaluate.data_errors import data_error, data_errors, touched_people
from kpilang.evaluate.formulas import PersonInputs
from kpilang.evaluate.history import History, PersonHistory
from kpilang.evaluate.period import Period, PeriodError, period_for_plan
from kpilang.evaluate.results import EvalError, PersonOutcome
from kpilang.evaluate.aggregate_plan import collect_aggregates
from kpilang.evaluate.person_metrics import metric_values, single_aggregates
from kpilang.evaluate.team import TeamFigure, TeamMembers, no_team_figures, team_figures
from kpilang.messages import Text, t

REQUIRED_MANAGER_COLUMNS = ("id", "name", "role", "team", "salary")
HIRED_AT = "hired_at"
"""An optional managers column: people hired after a period are not evaluated for it."""

Progress = Callable[[int, int], None]
"""Called as progress(people_done, people_total) while the formulas run."""


@dataclass(frozen=True)
class Skipped:
    """Someone the plan does not evaluate for the period: `code` says why (`role_not_in_plan`,
    `hired_after_period`), `reason` says it in words (`eval.skipped.CODE`)."""

    manager_id: str
    name: str | None
    code: str
    reason: Text


@dataclass(frozen=True)
class TableAccount:
    """What happened to one data table's rows."""

    table: str
    file: str | None
    rows_read: int
    rows_used: int
    """Rows that passed every check."""
    rows_rejected: int
    rows_in_period: int | None
    """Of the rows used, those in the period and belonging to someone evaluated (None for
    managers and targets, which are not aggregated)."""
    rows_of_unknown_people: int = 0
    """Of the rows rejected, those whose manager_id names nobody in managers."""
    rows_excluded: int = 0
    """Records of a CRM's files that its source mapping leaves out on purpose (not read)."""


@dataclass
class PersonResult:
    manager_id: str
    name: str | None
    role: str | None
    team: str | None
    metrics: dict[str, Decimal | None]
    """Every metric of the plan; None where it has no value or could not be computed."""
    outcome: PersonOutcome | None
    """The formula stage's figures; None when the person's data was incomplete."""
    errors: list[EvalError] = field(default_factory=list)
    inputs: PersonInputs | None = None
    """What the formulas read for this person (None when the person's data was incomplete); kept so
    that statements can re-run the formulas with one metric changed ("what it would take")."""
    team_figures: list[TeamFigure] = field(default_factory=list)
    """A team plan's aggregates over the person's members, each with the members behind it."""
    history: PersonHistory | None = None
    """The earlier periods' figures, for a plan that looks back (`previous(…)`, `retained(…)`)."""

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class EvalReport:
    program: Program
    plan: str
    plan_sha256: str
    period: Period
    currency: str
    timezone: str
    start_utc: datetime
    end_utc: datetime
    results: list[PersonResult]
    skipped: list[Skipped]
    data_problems: list[DataProblem]
    accounts: list[TableAccount]
    inputs: list[InputFile] = field(default_factory=list)
    """Every data file read, with its SHA-256: the payout can be checked against exactly these bytes."""
    snapshot: Snapshot | None = None
    """The snapshot the data directory is (`kpilang pull`'s manifest and its SHA-256), or None."""

    @property
    def paid_despite_unknown_people(self) -> list[str]:
        """The people paid while rows of people unknown to managers were rejected (any of those
        rows might have been theirs under a mistyped id); empty when there are no such rows."""
        if not any(a.rows_of_unknown_people for a in self.accounts):
            return []
        return [r.manager_id for r in self.results if r.ok]

    @property
    def has_errors(self) -> bool:
        """Whether anyone has an evaluation error or some data rows were rejected."""
        return any(not r.ok for r in self.results) or bool(self.data_problems)


def evaluate(program: Program, data: Any, period: str, *, trace: bool = False,
             progress: Progress | None = None, source: Any = None, cache: Any = None) -> EvalReport:
    """Compute every person's figures for `period` (`2026-07`, `2026-Q3`, `2026-W27`).

    `data` is a loaded `DataSet` or a path to a data directory. Raises `PeriodError` for a period
    that does not fit the plan, `DataError` for data that cannot be used at all, and
    `aggregate.MetricQueryError` when the data's column kinds do not fit what the plan does with
    them. Everything that goes wrong for one person is in that person's `errors` instead.
    `source` is a table provider for a data directory (a CRM source mapping, see kpilang.sources);
    `cache` a `kpilang.data.table_cache.TableCache` for its checked tables (None: no cache).
    """
    if program.plan is None:
        raise PeriodError("no_plan")
    info = program.plan
    the_period = period_for_plan(period, info.period)
    start, end = the_period.bounds_utc(info.timezone)
    if isinstance(data, str | Path):
        from kpilang.data import load_data

        dataset = load_data(Path(data), timezone=info.timezone, needs=data_needs(program), provider=source,
                            cache=cache)
        try:
            return _evaluate_loaded(program, dataset, the_period, start, end, trace, progress)
        finally:
            dataset.close()
    loaded_for = data.timezone
    if loaded_for != info.timezone:
        # Times without an offset were read as local time in the loader's timezone.
        raise ValueError(f"the data was loaded for timezone {loaded_for}, but plan {info.name} is in "
                         f"{info.timezone}; load it with timezone={info.timezone!r}")
    return _evaluate_loaded(program, data, the_period, start, end, trace, progress)


def data_needs(program: Program) -> dict[str, set[str]]:
    """Table → the columns the plan reads from it (for the loader: what must be there), its
    members' plans included."""
    needs = own_data_needs(program)
    for member in program.member_plans:
        for table, columns in data_needs(member.program).items():
            needs.setdefault(table, set()).update(columns)
    return needs


def own_data_needs(program: Program) -> dict[str, set[str]]:
    """Table → the columns the plan's own figures read (a members' plan reads for its members)."""
    needs = {table: set(columns) for table, columns in program.data_needs.items()}
    needs["managers"] = set(REQUIRED_MANAGER_COLUMNS) | set(program.manager_columns)
    if program.target_names:
        needs["targets"] = {"manager_id", "period", "name", "value"}
    return needs


@collector_paused()  # every person's figures are kept until the report is written: none is garbage
def _evaluate_loaded(program: Program, dataset: Any, the_period: Period, start: datetime, end: datetime,
                     trace: bool, progress: Progress | None) -> EvalReport:
    from kpilang.change.fingerprint import fingerprint
    from kpilang.evaluate.formulas import FormulaEngine

    info = program.plan
    assert info is not None
    fatal = [p for p in dataset.problems if p.fatal]
    if fatal:
        raise DataError(fatal)
    # A rejected row of a table the plan never reads, or of another period (a June target, a
    # deal closed in June), changes none of its figures; it is still listed, but touches nobody.
    read = set(own_data_needs(program))
    row_problems = [p for p in dataset.problems if not p.fatal]
    history = History(program, the_period, info.timezone)
    touching = [p for p in row_problems
                if p.table in read and (p.concerns(the_period.label, start, end) or history.concerns(p))]
    con = dataset.connection
    team_scope = info.scope == "team"

    managers = _managers(con, program)
    skipped = [_skipped(m, "role_not_in_plan", role=m["role"]) for m in managers if m["role"] not in info.roles]
    # Someone hired after the period ended had no part in it: no pay, and no "missing target"
    # error either. The optional `managers.hired_at` column says so when the export has it.
    hired = hire_dates(dataset)
    hired_later = {pid: day for pid, day in hired.items() if day >= the_period.end_day}
    skipped += [_skipped(m, "hired_after_period", date=hired_later[m["id"]].isoformat())
                for m in managers if m["role"] in info.roles and m["id"] in hired_later]
    people = [m for m in managers if m["role"] in info.roles and m["id"] not in hired_later]

    plan = collect_aggregates(program)
    values = run_aggregates(con, plan, start=start, end=end, timezone=info.timezone, team=team_scope,
                            tables_present=set(dataset.tables), column_type=dataset.column_type)
    targets = _targets(con, program, the_period.label, set(dataset.tables))
    touched = touched_people(touching, people, managers, team_scope)

    engine = FormulaEngine(program)
    rejected = _rejected_people(touching, managers)
    team = TeamMembers(program, the_period, lambda member: _evaluate_loaded(
        member, dataset, the_period, start, end, False, None), managers, rejected) if program.member_plans else None
    single = single_aggregates(program, plan)
    if history.active:
        no_team = no_team_figures(program)
        history.compute(dataset, plan, sorted({p["team"] if team_scope else p["id"] for p in people}), team_scope,
                        lambda aggregates: metric_values(program, plan, {**aggregates, **no_team}, engine, single=single)[0],
                        engine.evaluate_expression)
    results: list[PersonResult] = []
    for done, person in enumerate(people, start=1):
        pid = person["id"]
        problems = touched.get(pid, [])
        group = person["team"] if team_scope else pid
        earlier = history.of(group) if history.active else None
        refused = data_errors(problems, team_scope) if problems else (
            history.errors_for(hired.get(pid)) if history.active else [])
        if refused:
            results.append(PersonResult(
                manager_id=pid, name=person["name"], role=person["role"], team=person["team"],
                metrics={name: None for name in program.metrics}, outcome=None, errors=refused))
        else:
            team_values, figures, team_errors = team_figures(program, team.of(person), engine) if team else ({}, [], [])
            looked_back = earlier.values if earlier is not None else {}
            metrics, metric_errors = metric_values(program, plan, {**values.of(group), **team_values}, engine, looked_back,
                                                           single)
            inputs = PersonInputs.of_person(
                metrics=metrics, salary=person.get("salary"), targets=targets.get(pid, {}),
                managers={c: person.get(c) for c in program.manager_columns}, role=person["role"],
                person=pid, period=the_period.label, history=looked_back)
            outcome = engine.evaluate(inputs, trace=trace)
            results.append(PersonResult(
                manager_id=pid, name=person["name"], role=person["role"], team=person["team"],
                metrics=metrics, outcome=outcome, errors=team_errors + metric_errors + list(outcome.errors),
                inputs=inputs, team_figures=figures, history=earlier))
        if progress is not None:
            progress(done, len(people))

    results.extend(rejected)
    results.sort(key=lambda r: r.manager_id)
    skipped.sort(key=lambda s: s.manager_id)
    return EvalReport(
        program=program, plan=info.name, plan_sha256=fingerprint(program), period=the_period,
        currency=info.currency, timezone=info.timezone, start_utc=start, end_utc=end, results=results,
        skipped=skipped, data_problems=row_problems,
        accounts=_accounts(dataset, values, people, team_scope),
        inputs=list(dataset.inputs), snapshot=dataset.snapshot,
    )


def hire_dates(dataset: Any) -> dict[str, date]:
    """manager_id → hiring date, for the people the optional `hired_at` column (a date) gives one."""
    try:
        kind = dataset.column_type("managers", HIRED_AT)
    except KeyError:
        return {}
    if kind not in ("date", "datetime"):
        return {}
    rows = dataset.connection.execute(
        f'SELECT "id", "{HIRED_AT}" FROM "managers" WHERE "{HIRED_AT}" IS NOT NULL').fetchall()
    return {manager_id: hired.date() if isinstance(hired, datetime) else hired for manager_id, hired in rows}


def _managers(con: Any, program: Program) -> list[dict[str, Any]]:
    columns = sorted(set(REQUIRED_MANAGER_COLUMNS) | set(program.manager_columns))
    listed = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    cursor = con.execute(f'SELECT {listed} FROM "managers" ORDER BY "id"')
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def _targets(con: Any, program: Program, period_label: str, tables: set[str]) -> dict[str, dict[str, Decimal]]:
    """manager_id → target name → value, for the evaluated period. A person without a row for a
    target has no entry: the formula engine reports it as that person's error."""
    if not program.target_names or "targets" not in tables:
        return {}
    rows = con.execute(
        'SELECT "manager_id", "name", "value" FROM "targets" WHERE "period" = $period AND "name" IN '
        '(SELECT unnest($names))', {"period": period_label, "names": list(program.target_names)}).fetchall()
    out: dict[str, dict[str, Decimal]] = {}
    for manager_id, name, value in rows:
        out.setdefault(manager_id, {})[name] = value if isinstance(value, Decimal) else Decimal(value)
    return out


def _rejected_people(problems: list[DataProblem], managers: list[dict[str, Any]]) -> list[PersonResult]:
    """People named by a rejected managers row: they are not in the clean table, but they are
    not dropped silently either; each appears with the error."""
    known = {m["id"] for m in managers}
    out: dict[str, PersonResult] = {}
    for problem in problems:
        if problem.table != "managers":
            continue
        for mid in problem.manager_ids:
            if mid in known:
                continue
            result = out.setdefault(mid, PersonResult(manager_id=mid, name=None, role=None, team=None,
                                                      metrics={}, outcome=None))
            result.errors.append(data_error(problem, False))
    return list(out.values())


def _skipped(manager: dict[str, Any], code: str, **facts: object) -> Skipped:
    return Skipped(manager["id"], manager["name"], code, t(f"eval.skipped.{code}", **facts))


def _accounts(dataset: Any, values: AggregateValues, people: list[dict[str, Any]], team_scope: bool) -> list[TableAccount]:
    groups = {p["team"] if team_scope else p["id"] for p in people}
    out = []
    for name in sorted(dataset.tables):
        info = dataset.tables[name]
        in_period = None
        if name in values.rows_in_period:
            in_period = sum(n for g, n in values.rows_in_period[name].items() if g in groups)
        out.append(TableAccount(table=name, file=info.file, rows_read=info.rows_read, rows_used=info.rows_used,
                                rows_rejected=info.rows_rejected, rows_in_period=in_period,
                                rows_of_unknown_people=info.rows_of_unknown_people,
                                rows_excluded=info.rows_excluded))
    return out
