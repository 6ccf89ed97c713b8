"""`kpilang diff OLD NEW [--format text|json] [--exit-code]`."""

from __future__ import annotations

import json
import sys

import click

from kpilang.cli.common import EXIT_OK, EXIT_PROBLEMS, fail


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Changes in words, or as JSON.")
@click.option("--exit-code", is_flag=True,
              help="Exit 1 when the meaning changed, as `git diff --exit-code` does.")
def diff(old: str, new: str, fmt: str, exit_code: bool) -> None:
    """What changed in meaning between two versions of a plan.

    OLD and NEW are paths, or REV:path to read a version from git (`HEAD~1:rules/cold.kpi`;
    imports are read from the same revision). Metrics, KPIs, tables and pays added or removed;
    targets, weights, caps, bands, formulas and plan fields changed, old → new. Reformatting,
    comments and label edits are "no change in meaning".

    A change is not a problem, so the exit status is 0 whether or not the meaning changed, unless
    --exit-code is given (then 1 means "changed"). Exit 2: a side cannot be read or does not compile.
    """
    from kpilang.change.diff import diff_programs
    from kpilang.change.git import GitError
    from kpilang.change.sides import load_side

    sides = []
    for spec in (old, new):
        try:
            side = load_side(spec)
        except GitError as err:
            fail(err.message, err.hint)
        except (OSError, UnicodeDecodeError) as err:
            fail(f"cannot read {spec}: {getattr(err, 'strerror', None) or err}")
        if side.missing:
            fail(f"no such file: {spec}")
        if side.program is None:
            click.echo(side.errors_text() + "\n", err=True)
            fail(f"{spec} does not compile, so its meaning is unknown", "fix the errors above (`kpilang lint`)")
        sides.append(side)
    result = diff_programs(sides[0].program, sides[1].program)
    if fmt == "json":
        click.echo(json.dumps({"old": old, "new": new, **result.to_json()}, ensure_ascii=False, indent=1))
    else:
        click.echo(render_diff(old, new, result))
    sys.exit(EXIT_PROBLEMS if exit_code and result.meaning_changed else EXIT_OK)


def render_diff(old: str, new: str, result) -> str:
    lines = [f"{old} → {new}"]
    if not result.meaning_changed:
        lines.append(f"no change in meaning (fingerprint {result.new_fingerprint[:12]})")
    else:
        lines.append(f"meaning changed (fingerprint {result.old_fingerprint[:12]} → {result.new_fingerprint[:12]}):")
        lines += [f"  {c.describe()}" for c in result.changes]
        if result.affected_pays:
            lines.append(f"pays that may come out different: {', '.join(result.affected_pays)}")
    if result.label_changes:
        lines.append("labels changed (no change in meaning):")
        lines += [f"  {c.describe()}" for c in result.label_changes]
    return "\n".join(lines)
