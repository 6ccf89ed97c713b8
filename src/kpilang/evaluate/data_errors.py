"""The evaluation errors that rejected data rows give people: whom a rejected row touches (its
person, their team, or everyone when whose it is cannot be told), and the error each gets instead
of figures computed from partial data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kpilang.data.problems import DataProblem
from kpilang.evaluate.results import EvalError
from kpilang.messages import t


def touched_people(problems: list[DataProblem], people: list[dict[str, Any]], managers: list[dict[str, Any]],
                    team_scope: bool) -> dict[str, list[DataProblem]]:
    """Evaluated person → the rejected rows their figures would depend on. A row whose owner
    cannot be told may be anyone's: it concerns everyone evaluated. Under scope team a row
    concerns everyone evaluated in its person's team, whatever that person's role. (A person whose
    own managers row was rejected is not evaluated: `run._rejected_people` gives them the error.)"""
    out: dict[str, list[DataProblem]] = {}
    for problem in problems:
        if problem.owner_unknown:
            for p in people:
                out.setdefault(p["id"], []).append(problem)
    if team_scope:
        team_of = {m["id"]: m["team"] for m in managers}
        members: dict[str, list[str]] = {}
        for p in people:
            members.setdefault(p["team"], []).append(p["id"])
        for problem in problems:
            teams = {team_of.get(mid) for mid in problem.manager_ids}
            for team in sorted(t for t in teams if t is not None):
                for pid in members.get(team, []):
                    out.setdefault(pid, []).append(problem)
    else:
        for problem in problems:
            for mid in problem.manager_ids:
                out.setdefault(mid, []).append(problem)
    return out


def data_errors(problems: list[DataProblem], team_scope: bool) -> list[EvalError]:
    """One error per rejected row a person's figures depend on, and one per table that is
    incomplete because of rows whose owner cannot be told (however many such rows it has)."""
    errors: list[EvalError] = []
    incomplete: dict[tuple[str, str], list[DataProblem]] = {}
    for problem in {id(p): p for p in problems}.values():
        if problem.owner_unknown:
            incomplete.setdefault((problem.table, problem.file), []).append(problem)
        else:
            errors.append(data_error(problem, team_scope))
    for (table, file), unowned in incomplete.items():
        errors.append(_incomplete_table_error(table, file, unowned))
    return errors


# Lines of rows whose owner cannot be told named in one person's error; the data problems list
# every one of them.
LINES_NAMED = 5


def _incomplete_table_error(table: str, file: str, problems: list[DataProblem]) -> EvalError:
    spans = sorted({(p.row, p.end_row) for p in problems if p.row is not None})
    named = [str(row) if end is None else f"{row}–{end}" for row, end in spans[:LINES_NAMED]]
    # An ellipsis for the lines not named: past the cap, or rows without a line (a database's).
    if len(spans) > LINES_NAMED or any(p.row is None for p in problems):
        named.append("…")
    first = next((p for p in problems if p.row is not None), problems[0])
    return EvalError(
        subject="data",
        message=t("eval.incomplete_table.message", table=table, file=Path(file).name,
                  lines=", ".join(named), reason=first.reason),
        formula="", file=file, line=first.row or 0, column=0, cause="rejected_data",
        code="incomplete_table", help=t("eval.incomplete_table.help"),
    )


def data_error(problem: DataProblem, team_scope: bool) -> EvalError:
    file = Path(problem.file).name
    if problem.row is not None:
        where = t("eval.rejected_data.row", row=problem.row, file=file)
    elif problem.key is not None:
        where = t("warehouse.rejected-row", key=problem.key, file=problem.file)
    else:
        where = t("eval.rejected_data.file", file=file)
    column = t("eval.rejected_data.column", column=problem.column) if problem.column else ""
    return EvalError(
        subject="data",
        message=t("eval.rejected_data.team" if team_scope else "eval.rejected_data.person",
                  where=where, reason=problem.reason, column=column),
        formula="",
        file=problem.file,
        line=problem.row or 0,
        column=0,
        cause="rejected_data",
        code="rejected_data",
        help=problem.hint,
    )
