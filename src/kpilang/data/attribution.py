"""Whose a rejected row is: the person its pay would have counted it for.

A rejected row is not dropped from anyone's pay quietly: the person it belongs to gets an error
instead of a figure. Three cases need more than reading the row's manager_id:

- A row the reader could not split into cells (see readers.base.owner_candidates): its owner is
  looked for in the texts at the owner column's position counted from the start and from the
  end. It is attributed when those texts name exactly one person; when they name none, or two
  different people, whose row it is cannot be told, and the problem is marked `owner_unknown`:
  everyone whose pay reads the table gets an error (the table is incomplete). A row whose
  manager_id is empty is the same.
- A manager_id that is not an id in managers but differs from exactly one id only in letter
  case, white space around it or Unicode form (` m2`, `M2`), or that is exactly one person's
  name: it is that person's row, rejected, and an error for them.
- A manager_id that names nobody: the row is of an unknown person. When more than
  UNKNOWN_SHARE_LIMIT of a table's rows that have a manager_id, and at least UNKNOWN_ROWS_MIN
  rows, name no id in managers (names and unknown ids together), the table does not belong with
  this managers file, which is fatal; so is a manager_id column that holds mostly names.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property
from fractions import Fraction

import duckdb

from kpilang.messages import t

from .problems import DataProblem, preview
from .reasons import ROW_REASONS
from .readers.base import Owners, fatal_problem

# Above this share of a table's rows (with a manager_id) naming no id in managers, the table is
# refused as a whole: it was exported for other people, or its manager_id holds something else.
UNKNOWN_SHARE_LIMIT = Fraction(1, 2)

# Fewer rows than this naming nobody are too few to judge a table by: they are row problems.
UNKNOWN_ROWS_MIN = 10

# Distinct unknown manager_ids looked at for near misses and names; the rest are counted only.
UNKNOWN_IDS_EXAMINED = 10_000

# Unknown ids or names quoted in a fatal problem.
QUOTED_EXAMPLES = 3


def comparable(text: str) -> str:
    """A text as compared for a near miss: Unicode compatibility form, no white space around
    it, letter case folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


@dataclass(frozen=True)
class Match:
    person: str
    by: str  # "id" (exactly), "near" (a near miss of an id) or "name" (a person's name)


class People:
    """The ids and names listed in managers, and which person a text names."""

    def __init__(self, ids: list[str], names: list[tuple[str, str]]):
        self.ids = set(ids)
        self._listed, self._listed_names = ids, names

    # The near-miss and name indexes normalize every id and name (10,000 people: 0.05 CPU s);
    # only a row whose manager_id is no id needs them, so they are made on the first such row.
    @cached_property
    def _near(self) -> dict[str, set[str]]:
        near: dict[str, set[str]] = {}
        for person in self._listed:
            near.setdefault(comparable(person), set()).add(person)
        return near

    @cached_property
    def _names(self) -> dict[str, set[str]]:
        named: dict[str, set[str]] = {}
        for person, name in self._listed_names:
            if name is not None and comparable(name):
                named.setdefault(comparable(name), set()).add(person)
        return named

    @classmethod
    def listed(cls, con: duckdb.DuckDBPyConnection, ids_table: str, managers: str) -> People:
        """From the table of every id managers lists and the clean managers table."""
        ids = [row[0] for row in con.execute(f"SELECT id FROM {ids_table}").fetchall()]
        names = con.execute(f'SELECT "id", "name" FROM {managers}').fetchall()
        return cls(ids, names)

    def match(self, text: str | None) -> Match | None:
        """The one person `text` names, None when it names nobody or several people."""
        if text is None:
            return None
        if text in self.ids:
            return Match(text, "id")
        key = comparable(text)
        near = self._near.get(key, set())
        if len(near) == 1:
            return Match(next(iter(near)), "near")
        named = self._names.get(key, set())
        if not near and len(named) == 1:
            return Match(next(iter(named)), "name")
        return None

    def owner(self, texts: Owners) -> str | None:
        """The person an unreadable record belongs to: the one person its owner texts name."""
        found = {match.person for match in map(self.match, texts) if match is not None}
        return found.pop() if len(found) == 1 else None


def own_row_owner(texts: Owners) -> str | None:
    """Whose an unreadable managers row is: the id read counted from the start. The id comes
    first in managers, so only damage inside the id itself could move it; counted from the end,
    a stray comma in the name or the salary would give another column's text."""
    return texts[0] if texts else None


def attributed(problems: list[DataProblem], people: People) -> list[DataProblem]:
    """The problems of a table whose rows belong to people through manager_id, each naming the
    person its manager_id matches (a near miss or a name included) instead of the text. A row
    rejected because its manager_id is unknown, but that nearly matches one person's id or is
    their name, is said to be so and is that person's error."""
    out = []
    for problem in problems:
        matches = [people.match(text) for text in problem.manager_ids]
        persons = sorted({m.person for m in matches if m is not None})
        update: dict[str, object] = {"manager_ids": persons}
        # A row named in detail (by its line in a file, its key in a database), not a summary.
        detailed = problem.row is not None or problem.key is not None
        if problem.code == "unknown_manager" and detailed and matches[0] is not None:
            code = "manager_name" if matches[0].by == "name" else "near_manager_id"
            reason, hint = ROW_REASONS[code].render(value=problem.value, person=matches[0].person)
            update.update(code=code, reason=reason, hint=hint)
        out.append(problem.model_copy(update=update))
    return out


@dataclass(frozen=True)
class UnknownIds:
    """The rows of a table whose manager_id is not an id in managers."""

    by_text: dict[str, int]  # manager_id as written → rows (the most frequent, up to a limit)
    rows: int  # all of them, listed in by_text or not
    empty: int  # rows whose manager_id is empty (rejected for that)


def unknown_ids(con: duckdb.DuckDBPyConnection, bad: str, raw: str, person_sql: str,
                check: int) -> UnknownIds:
    """Count the rows the people check `check` of the bad rows table rejected, by manager_id."""
    counted = con.execute(
        f"SELECT {person_sql}, count(*) FROM {bad} JOIN {raw} USING (_row) "
        f"WHERE p{check} IS NOT NULL GROUP BY ALL ORDER BY 2 DESC, 1"
    ).fetchmany(UNKNOWN_IDS_EXAMINED)
    total, empty = con.execute(
        f"SELECT count(*) FILTER (WHERE p{check} IS NOT NULL), count(*) FILTER (WHERE {person_sql} IS NULL) "
        f"FROM {bad} JOIN {raw} USING (_row)"
    ).fetchone()
    return UnknownIds(dict(counted), total, empty)


@dataclass(frozen=True)
class UnknownPeople:
    """What the unknown manager_ids of a table come to: rows of nobody in managers (not a near
    miss, not a name), and the fatal problem when they make most of the table."""

    rows: int
    fatal: DataProblem | None


def unknown_people(found: UnknownIds, people: People, rows_with_owner: int, table: str,
                   file: str) -> UnknownPeople:
    """`rows_with_owner` is the number of the table's rows read with a manager_id."""
    names: dict[str, int] = {}
    nobody: dict[str, int] = {}
    near = 0
    for text, rows in found.by_text.items():
        match = people.match(text)
        if match is None:
            nobody[text] = rows
        elif match.by == "name":
            names[text] = rows
        else:
            near += rows
    # Ids not examined count as naming nobody: a table with that many distinct unknown ids is
    # not this managers file's anyway.
    unknown_rows = found.rows - near - sum(names.values())
    not_ids = unknown_rows + sum(names.values())
    fatal = None
    if not_ids >= UNKNOWN_ROWS_MIN and not_ids > UNKNOWN_SHARE_LIMIT * rows_with_owner:
        percent = round(Fraction(100) * not_ids / rows_with_owner)
        if sum(names.values()) >= unknown_rows:
            examples = ", ".join(
                f"{preview(text)!r} → {people.match(text).person}" for text in list(names)[:QUOTED_EXAMPLES]
            )
            fatal = fatal_problem(
                "manager_names", table, file,
                t("data.manager_names.reason", rows=not_ids, total=rows_with_owner, percent=percent),
                t("data.manager_names.hint", examples=examples), column="manager_id",
            )
        else:
            examples = ", ".join(repr(preview(text)) for text in list(nobody)[:QUOTED_EXAMPLES])
            fatal = fatal_problem(
                "mostly_unknown_managers", table, file,
                t("data.mostly_unknown_managers.reason", rows=not_ids, total=rows_with_owner,
                  percent=percent, examples=examples),
                t("data.mostly_unknown_managers.hint"), column="manager_id",
            )
    return UnknownPeople(unknown_rows, fatal)
