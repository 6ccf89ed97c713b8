"""Ready plans (templates) from `rules/`, and the slice of the demo data that comes with each.

A template is a plan file at the top of `rules/`; the library files it imports come along. The
sample data is a slice of the demo dataset: the people the plan applies to (with `scope team`,
everyone in their teams) and their rows, copied byte for byte. The demo holds a few deliberately
wrong rows (to show how they are reported); the rows of the slice that the data loader rejects are
left out so that a new folder computes everyone from the start, and the folder's README lists
each of them with the reason, so nothing is dropped unseen. Laying out the folder is
`workspace.init`'s.

Where both directories are, installed or checked out, is `kpilang.bundled`'s to say.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kpilang.bundled import demo_data_dir, rules_dir
from kpilang.compile import Program, compile_file
from kpilang.messages import Text, t
from kpilang.syntax import ast
from kpilang.syntax.parser import parse

DATA_TABLES = ("managers", "activities", "leads", "deals", "targets")


class TemplateError(Exception):
    """A template cannot be used: unknown name, or a destination that is not empty. The message
    and hint are catalog texts, said in the reader's language when shown."""

    def __init__(self, message: Text, hint: Text | None = None):
        super().__init__(str(message))
        self.message = message
        self.hint = hint


MOTIVATION_MODELS = ("kpi_bonus", "salary_multiplier", "combined")
"""The three working motivation models of the domain, as `motivation_model` names them (their
words are the catalogs' `init.model.*`)."""


@dataclass(frozen=True)
class Template:
    name: str
    """The plan file's stem, as given to `kpilang init`."""
    label: str
    roles: tuple[str, ...]
    model: str
    """A key of MOTIVATION_MODELS, or "other" for a plan that fits none of them."""
    scope: str
    timezone: str
    path: Path
    libraries: tuple[Path, ...]
    """Imported library files, every one reachable from the plan, in import order."""
    period: str = "month"
    """The plan's period: month, quarter or week."""
    target_names: tuple[str, ...] = ()
    """The targets the plan reads (`targets.revenue` → revenue)."""

    @property
    def model_words(self) -> Text:
        return t(f"init.model.{self.model if self.model in MOTIVATION_MODELS else 'other'}")


@dataclass(frozen=True)
class LeftOutRow:
    table: str
    row_id: str
    """The row's first cell (its id, or the manager_id of a target)."""
    column: str | None
    value: str | None
    reason: str
    """Why it was rejected, in Russian, as the folder's README says it."""


def motivation_model(program: Program) -> str:
    """Which of the three motivation models a plan's pays follow.

    The pays that are not sums of other pays are its components: one that reads `kpi_score` is
    a KPI bonus (salary × multiplier when it reads the salary too), one that reads sales results
    without the score is a percentage of sales. A KPI bonus next to a percentage of sales is the
    combined model.
    """
    components = [n for n in program.pays if not any(d in program.pays for d in program.depends_on.get(n, ()))]
    score_pays = [n for n in components if "kpi_score" in program.reaches(n)]
    results = {n for n, m in program.metrics.items() if m.kind == "result"}
    sales_pays = [n for n in components if n not in score_pays and program.reaches(n) & results]
    if score_pays and sales_pays:
        return "combined"
    if any("salary" in program.reaches(n) for n in score_pays):
        return "salary_multiplier"
    if score_pays:
        return "kpi_bonus"
    return "other"


def _imports(path: Path, seen: list[Path]) -> None:
    module, _ = parse(path.read_text(encoding="utf-8"), str(path))
    if module is None:
        return
    for item in module.items:
        if isinstance(item, ast.Import):
            target = (path.parent / item.path).resolve()
            if target not in seen:
                seen.append(target)
                _imports(target, seen)


@functools.cache
def _template(path: Path) -> Template | None:
    result = compile_file(path)
    program = result.program
    if program is None or program.plan is None:
        return None
    libraries: list[Path] = []
    _imports(path, libraries)
    return Template(
        name=path.stem, label=program.plan.label or program.plan.name, roles=program.plan.roles,
        model=motivation_model(program), scope=program.plan.scope, timezone=program.plan.timezone, path=path,
        libraries=tuple(libraries), period=program.plan.period, target_names=tuple(program.target_names),
    )


def list_templates() -> list[Template]:
    """Every plan at the top of the rules directory that compiles, sorted by name."""
    found = (_template(p.resolve()) for p in sorted(rules_dir().glob("*.kpi")))
    return [t for t in found if t is not None]


def get_template(name: str) -> Template:
    templates = {t.name: t for t in list_templates()}
    if name.endswith(".kpi"):
        name = name[:-4]
    if name in templates:
        return templates[name]
    close = difflib.get_close_matches(name, list(templates), n=1, cutoff=0.5)
    hint = t("did-you-mean", name=close[0]) if close else t("init.unknown-template-help", templates=", ".join(templates))
    raise TemplateError(t("init.unknown-template", name=name), hint)


@dataclass(frozen=True)
class DemoSlice:
    people: tuple[str, ...]
    files: dict[str, bytes]


def demo_slice(roles: tuple[str, ...], team_scope: bool = False, source: Path | None = None) -> DemoSlice:
    """The demo dataset's rows of the people with one of `roles` (with `team_scope`, of everyone
    in their teams). Lines are copied unchanged, header first; a table without the people's rows
    keeps its header."""
    source = source or demo_data_dir()
    managers = _lines(source / "managers.csv")
    rows = [(line, _fields(line)) for line in managers[1:]]
    header = _fields(managers[0])
    role_at, team_at, id_at = header.index("role"), header.index("team"), header.index("id")
    chosen = {f[id_at] for _, f in rows if f[role_at] in roles}
    if team_scope:
        teams = {f[team_at] for _, f in rows if f[id_at] in chosen}
        chosen = {f[id_at] for _, f in rows if f[team_at] in teams}
    files = {"managers": b"".join([managers[0]] + [line for line, f in rows if f[id_at] in chosen])}
    for table in DATA_TABLES[1:]:
        path = source / f"{table}.csv"
        if not path.exists():
            continue
        lines = _lines(path)
        person_at = _fields(lines[0]).index("manager_id")
        files[table] = b"".join([lines[0]] + [line for line in lines[1:] if _fields(line)[person_at] in chosen])
    return DemoSlice(people=tuple(sorted(chosen)), files=files)


def without_rejected_rows(files: dict[str, bytes], timezone: str) -> tuple[dict[str, bytes], tuple[LeftOutRow, ...]]:
    """The CSV files without the rows the data loader rejects, and those rows with the reasons."""
    from kpilang.data import DataError, load_data  # DuckDB: loaded only when a folder is created

    with tempfile.TemporaryDirectory() as tmp:
        for table, data in files.items():
            (Path(tmp) / f"{table}.csv").write_bytes(data)
        try:
            dataset = load_data(tmp, timezone=timezone)
        except DataError as err:  # the packaged demo data itself is unusable: a broken install
            raise TemplateError(t("init.sample-unreadable", problems="; ".join(str(p) for p in err.problems))) from err
        try:
            problems = [p for p in dataset.problems if p.row is not None and p.table in files]
        finally:
            dataset.close()
    rejected: dict[str, set[int]] = {}
    left_out: list[LeftOutRow] = []
    for problem in problems:
        lines = files[problem.table].splitlines(keepends=True)
        if problem.row in rejected.get(problem.table, set()) or not 1 < problem.row <= len(lines):
            continue
        rejected.setdefault(problem.table, set()).add(problem.row)
        first = next(iter(_fields(lines[problem.row - 1])), "")
        left_out.append(LeftOutRow(table=problem.table, row_id=first, column=problem.column, value=problem.value,
                                   reason=problem.reason.render("ru")))
    cleaned = {}
    for table, data in files.items():
        drop = rejected.get(table, set())
        lines = data.splitlines(keepends=True)
        cleaned[table] = b"".join(line for number, line in enumerate(lines, start=1) if number not in drop)
    return cleaned, tuple(left_out)


def _lines(path: Path) -> list[bytes]:
    lines = path.read_bytes().splitlines(keepends=True)
    if not lines:
        raise TemplateError(t("init.demo-empty", path=str(path)))
    return lines


def _fields(line: bytes) -> list[str]:
    # One physical line is one record in the demo export (no value spans lines).
    return next(csv.reader(io.StringIO(line.decode("utf-8").rstrip("\r\n"))), [])
