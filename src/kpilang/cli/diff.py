"""`kpilang diff OLD NEW [--format text|json] [--exit-code] [--lang en|ru]`."""

from __future__ import annotations

import json
import sys

import click

from kpilang.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS, fail, lang_option, report_error
from kpilang.compile import PlanFileError
from kpilang.messages import DEFAULT_LANGUAGE, language, t


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Changes in words, or as JSON.")
@click.option("--exit-code", is_flag=True,
              help="Exit 1 when the meaning changed, as `git diff --exit-code` does.")
@lang_option("The language of the changes, errors and help (the JSON's fields and values stay English)")
def diff(old: str, new: str, fmt: str, exit_code: bool, lang: str | None) -> None:
    """What changed in meaning between two versions of a plan.

    OLD and NEW are paths, or REV:path to read a version from git (`HEAD~1:rules/cold.kpi`;
    imports are read from the same revision). Metrics, KPIs, tables and pays added or removed;
    targets, weights, caps, bands, formulas and plan fields changed, old → new. Reformatting,
    comments and label edits are "no change in meaning".

    Two folders (`origin/main:rules rules`) compare every *.kpi file below them, matched by
    their path inside the folder: what a pull request changes, plan by plan.

    A change is not a problem, so the exit status is 0 whether or not the meaning changed, unless
    --exit-code is given (then 1 means "changed"). Exit 2: a side cannot be read or does not compile.
    """
    from kpilang.change.git import GitError
    from kpilang.change.sides import folder_side

    lang = language(lang)
    try:
        folders = folder_side(old), folder_side(new)
    except GitError as err:
        fail(err.message, err.hint, lang)
    if folders[0] is not None and folders[1] is not None:
        _diff_folders(folders[0], folders[1], fmt, exit_code, lang)
    if folders[0] is not None or folders[1] is not None:
        fail(t("diff.folder-with-file"), t("diff.is-a-folder", side=old if folders[0] is not None else new), lang)
    _diff_files(old, new, fmt, exit_code, lang)


def _diff_files(old: str, new: str, fmt: str, exit_code: bool, lang: str) -> None:
    from kpilang.change.diff import diff_programs
    from kpilang.change.git import GitError
    from kpilang.change.sides import load_side

    sides = []
    for spec in (old, new):
        try:
            side = load_side(spec)
        except GitError as err:
            fail(err.message, err.hint, lang)
        except PlanFileError as err:
            fail(err.text, lang=lang)
        if side.missing:
            fail(t("cli.no-such-path", path=spec), lang=lang)
        if side.program is None:
            click.echo(side.errors_text(lang) + "\n", err=True)
            fail(t("diff.does-not-compile", plan=spec), t("diff.fix-errors"), lang)
        sides.append(side)
    result = diff_programs(sides[0].program, sides[1].program)
    if fmt == "json":
        click.echo(json.dumps({"old": old, "new": new, **result.to_json()}, ensure_ascii=False, indent=1))
    else:
        click.echo(f"{old} → {new}\n" + render_diff(result, lang))
    sys.exit(EXIT_PROBLEMS if exit_code and result.meaning_changed else EXIT_OK)


def _diff_folders(old, new, fmt: str, exit_code: bool, lang: str) -> None:
    from kpilang.change.diff import diff_programs

    rows, blocks, failed, changed = [], [f"{old.label} → {new.label}"], False, False
    pairs = {name: (name, name) for name in old.files.keys() & new.files.keys()}
    pairs.update(_renamed(old, new))
    paired_old = {a for a, _ in pairs.values()}
    for name in sorted(old.files.keys() - paired_old):
        rows.append({"file": name, "status": "removed"})
        blocks.append(t("diff.file-removed", file=name).render(lang))
        changed = True
    for name in sorted(new.files.keys() - pairs.keys()):
        rows.append({"file": name, "status": "added"})
        blocks.append(t("diff.file-added", file=name).render(lang))
        changed = True
    for name, (old_name, new_name) in sorted(pairs.items()):
        if old_name != new_name:
            name = f"{old_name} → {new_name}"
        sides = []
        for folder, file in ((old, old_name), (new, new_name)):
            try:
                sides.append(folder.files[file]())
            except PlanFileError as err:
                sides.append(None)
                report_error(err.text, lang=lang)
        broken = [(f, s) for f, s in zip((old, new), sides) if s is None or s.program is None]
        if broken:
            for folder, side in broken:
                if side is not None:
                    click.echo(side.errors_text(lang) + "\n", err=True)
                report_error(t("diff.does-not-compile-in", plan=name, folder=folder.label), lang=lang)
            rows.append({"file": name, "status": "error"})
            blocks.append(t("diff.file-not-compared", file=name).render(lang))
            failed = True
            continue
        result = diff_programs(sides[0].program, sides[1].program)
        changed = changed or result.meaning_changed
        row = {"file": new_name, "status": "changed" if result.meaning_changed else "unchanged"}
        if old_name != new_name:
            row["renamed_from"] = old_name
        rows.append({**row, **result.to_json()})
        blocks.append(f"{name}: " + render_diff(result, lang))
    if fmt == "json":
        click.echo(json.dumps({"old": old.label, "new": new.label, "files": rows}, ensure_ascii=False, indent=1))
    else:
        click.echo("\n".join(blocks))
    sys.exit(EXIT_FAILURE if failed else EXIT_PROBLEMS if exit_code and changed else EXIT_OK)


def _renamed(old, new) -> dict[str, tuple[str, str]]:
    """Files only on one side that hold the same plan (by its name, when only one file on each
    side holds it): a file renamed, to be compared rather than listed as removed and added."""
    def plans(folder, names):
        found: dict[str, list[str]] = {}
        for name in names:
            try:
                program = folder.files[name]().program
            except PlanFileError:
                continue
            if program is not None and program.plan is not None:
                found.setdefault(program.plan.name, []).append(name)
        return found

    gone = plans(old, old.files.keys() - new.files.keys())
    came = plans(new, new.files.keys() - old.files.keys())
    return {came[plan][0]: (gone[plan][0], came[plan][0])
            for plan in gone.keys() & came.keys() if len(gone[plan]) == 1 and len(came[plan]) == 1}


def render_diff(result, lang: str = DEFAULT_LANGUAGE) -> str:
    """The change in meaning in words, from its headline on, in `lang`."""
    if not result.meaning_changed:
        lines = [t("diff.unchanged", fingerprint=result.new_fingerprint[:12]).render(lang)]
    else:
        lines = [t("diff.changed", old=result.old_fingerprint[:12], new=result.new_fingerprint[:12]).render(lang)]
        lines += [f"  {c.describe(lang)}" for c in result.changes]
        if result.affected_pays:
            lines.append(t("diff.affected-pays", pays=", ".join(result.affected_pays)).render(lang))
    if result.label_changes:
        lines.append(t("diff.labels-changed").render(lang))
        lines += [f"  {c.describe(lang)}" for c in result.label_changes]
    return "\n".join(lines)
