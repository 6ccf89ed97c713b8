"""`kpilang data check DIR [--source NAME|FILE.toml] [--period P] [--timezone TZ | --plan PLAN]
[--format text|json] [--lang en|ru]`: every column of every row of a data folder checked, and what
it holds, before any plan is run on it.

Exit status as `eval`'s: 0 the data is clean (and covers --period); 1 rows were rejected (or the
period is not covered); 2 the data cannot be used at all (or the usage is wrong).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kpilang.cli import refusals
from kpilang.cli.common import EXIT_OK, EXIT_PROBLEMS, fail, lang_option, load_source, source_option
from kpilang.messages import language, t


@click.group("data")
def data() -> None:
    """Look at a data folder (kpilang's own files, or a CRM's through --source)."""


@data.command("check")
@click.argument("folder", type=click.Path(), metavar="DIR|URL")
@source_option(in_database=True)
@click.option("--period", "period", default=None, help="Also say whether every dated table covers this period (2026-07, 2026-Q3, 2026-W27).")
@click.option("--timezone", "timezone", default=None, metavar="TZ",
              help="The IANA zone of times written without an offset and of the periods [default: the plan's, else the mapping's].")
@click.option("--plan", "plan", default=None, type=click.Path(dir_okay=False),
              help="Take the timezone from this plan.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for scripts.")
@lang_option("The language of the report and its problems")
def check(folder: str, source: str | None, period: str | None, timezone: str | None, plan: str | None, fmt: str,
          lang: str | None) -> None:
    """Check every column of every row of a data folder: rows read, used, rejected and left out per
    table, values no map covers, people nobody lists, dates covered and complete months."""
    from kpilang.cli.run_inputs import load_plan, problem_line, refuse_data
    from kpilang.data import DataError, load_data
    from kpilang.data.survey import survey
    from kpilang.evaluate.period import PeriodError, parse_period

    from kpilang.warehouse import UrlError, is_data_url, open_data_url

    said = language(lang)
    in_database = is_data_url(folder)
    if not in_database and not Path(folder).is_dir():
        fail(t("run.no-data-directory", data=folder), t("run.data-directory-hint"), said, file=folder)
    provider = load_source(source, said)
    if timezone is None and plan is not None:
        timezone = load_plan(plan, verb="computed", lang=said).program.plan.timezone
    if timezone is None and provider is not None:
        timezone = provider.mapping.timezone
    if timezone is None:
        fail(t("data-check.no-timezone"), t("data-check.no-timezone-hint"), said)
    period_days = None
    if period is not None:
        try:
            parsed = parse_period(period)
        except PeriodError as err:
            fail(err.message, err.hint, said)
        period_days = (parsed.label, parsed.first_day, parsed.end_day)
    try:
        if in_database:
            loaded = open_data_url(folder, timezone=timezone, needs=None, mapper=provider)
        else:
            loaded = load_data(Path(folder), timezone=timezone, needs=None, provider=provider)
    except UrlError as err:
        fail(err.text, err.hint, said)
    except ValueError as err:  # an unknown timezone
        fail(str(err), t("data-check.no-timezone-hint"), said)
    except DataError as err:
        refuse_data(err, folder, "checked", said)
    with loaded:
        found = survey(loaded, period_days)
    if fmt == "json":
        click.echo(json.dumps(refusals.document(_as_json(found, said)), ensure_ascii=False, indent=1))
    else:
        click.echo(_as_text(found, said))
    for problem in found.problems:
        click.echo(t("run.rejected", problem=problem_line(problem, said)).render(said), err=True)
    rows = sum(table.rows_read for table in found.tables)
    rejected = sum(table.rows_rejected for table in found.tables)
    click.echo(t("data-check.summary", tables=len(found.tables), rows=rows, rejected=rejected,
                 problems=len(found.problems)).render(said), err=True)
    sys.exit(EXIT_OK if found.clean else EXIT_PROBLEMS)


def _day(day) -> str | None:
    return None if day is None else day.isoformat()


def _as_json(found, lang: str) -> dict:
    return {
        "tables": [{"table": s.table, "file": s.file, "rows_read": s.rows_read, "rows_used": s.rows_used,
                    "rows_rejected": s.rows_rejected, "rows_excluded": s.rows_excluded,
                    "rows_of_unknown_people": s.rows_of_unknown_people, "first_day": _day(s.first_day),
                    "last_day": _day(s.last_day), "complete_months": s.complete_months} for s in found.tables],
        "uncovered_values": [p.to_json(lang) for p in found.uncovered],
        "unknown_people": found.unknown_people,
        "period": found.period,
        "period_not_covered_by": found.period_gaps,
        "data_problems": [p.to_json(lang) for p in found.problems],
    }


def _as_text(found, lang: str) -> str:
    header = [t(f"data-check.column.{name}").render(lang) for name in
              ("table", "read", "used", "rejected", "excluded", "unknown", "dates", "months", "file")]
    rows = [header]
    for s in found.tables:
        dates = f"{_day(s.first_day)} … {_day(s.last_day)}" if s.first_day else "—"
        rows.append([s.table, str(s.rows_read), str(s.rows_used), str(s.rows_rejected), str(s.rows_excluded),
                     str(s.rows_of_unknown_people), dates, ", ".join(s.complete_months) or "—", s.file])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    numeric = {1, 2, 3, 4, 5}
    lines = ["  ".join(cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
                       for i, cell in enumerate(row)).rstrip() for row in rows]
    if found.uncovered:
        lines += ["", t("data-check.uncovered").render(lang)]
        for p in found.uncovered:
            lines.append(f"  {p.table}.{p.column}: {p.value!r} — {p.reason.render(lang)}")
            lines.append(f"      = {t('label.help').render(lang)}: {p.hint.render(lang)}")
    if found.unknown_people:
        lines += ["", t("data-check.unknown-people").render(lang)]
        for table, texts in found.unknown_people.items():
            shown = ", ".join(f"{text!r} ({count})" for text, count in list(texts.items())[:20])
            lines.append(f"  {table}: {shown}")
    if found.period is not None:
        lines.append("")
        if found.period_gaps:
            lines.append(t("data-check.period-gaps", period=found.period, tables=", ".join(found.period_gaps)).render(lang))
        else:
            lines.append(t("data-check.period-covered", period=found.period).render(lang))
    return "\n".join(lines)
