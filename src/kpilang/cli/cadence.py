"""`kpilang cadence [PATH...] [--base REV] [--format text|json] [--lang en|ru]`."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from kpilang.cli import refusals
from kpilang.cli.common import EXIT_OK, EXIT_PROBLEMS, fail, lang_option
from kpilang.messages import language, t


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--base", metavar="REV", help="Check only the commits after REV (for a pull request: its target "
              "branch). Earlier history still decides which version is in force.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="The versions and violations in words, or as JSON.")
@lang_option("The language of the versions, violations, help and summary, and of the JSON's sentences")
def cadence(paths: tuple[str, ...], base: str | None, fmt: str, lang: str | None) -> None:
    """CI gate: a plan's meaning changes at most once a quarter, and never in the past.

    Walks the git history of each plan (default: every tracked *.kpi file; renames followed,
    library imports included) and lists its versions. Every change in meaning must carry an
    `effective` date that is the first day of a quarter, later than the version in force, and no
    earlier than the first day of the quarter after the commit's (committer) date. Commits that
    revise a version not yet in force are revisions; reformatting, comments and labels are no
    change. Deleting a plan in force (default: every deleted *.kpi is walked too) is a change
    allowed only on the first day of a quarter; a rename that keeps the meaning is no change.
    A commit with a `KPI-Override: reason` trailer is accepted and shown as an override.
    A folder holding kpilang-templates.toml is a template library: of its plans, only the newest
    version must compile.

    Exit 0: no violation; 1: a violation (commit, plan and rule shown); 2: the history cannot be
    checked (not a git repository, a shallow clone, an unknown REV).
    """
    from kpilang.change.cadence import check_cadence
    from kpilang.change.git import GitError, repo_root, resolve, tracked_or_removed

    lang = language(lang)
    cwd = Path.cwd()
    try:
        repo = repo_root(cwd)
        targets = None
        if paths:  # a folder means its plans, those deleted included
            known = tracked_or_removed(repo, ".kpi", resolve(repo, base) if base else None)
            targets = _repository_paths(repo, cwd, paths, known, lang)
        report = check_cadence(cwd, targets, base)
    except GitError as err:
        fail(err.message, err.hint, lang)
    if fmt == "json":
        click.echo(json.dumps(refusals.document(_json(report, lang)), ensure_ascii=False, indent=1))
    else:
        click.echo(_text(report, lang))
    violations = report.violations
    click.echo(t("cadence.summary", plans=len(report.histories), violations=len(violations),
                 overrides=len(report.overrides)).render(lang), err=True)
    sys.exit(EXIT_PROBLEMS if violations else EXIT_OK)


def _repository_paths(repo: Path, cwd: Path, paths: tuple[str, ...], known: list[str], lang: str) -> list[str]:
    """Command-line paths → paths from the repository root; a directory means the `known` plan
    files below it."""
    out: list[str] = []
    for raw in paths:
        full = (cwd / raw).resolve()
        try:
            rel = full.relative_to(repo.resolve()).as_posix()
        except ValueError:
            fail(t("cadence.outside-repository", path=raw, repo=repo), lang=lang, file=raw)
        if full.is_dir():
            inside = [t for t in sorted(known) if rel in ("", ".") or t.startswith(rel.rstrip("/") + "/")]
            out.extend(inside)
        else:
            out.append(rel)
    return out


def _text(report, lang: str) -> str:
    def say(text) -> str:
        return text.render(lang)

    lines: list[str] = []
    for history in report.histories:
        lines.append(say(t("cadence.plan-file", path=history.path, plan=history.plan)) if history.plan else history.path)
        if history.template:
            lines.append("  " + say(t("cadence-template.note")))
        for entry in history.entries:
            lines.append("  " + _entry_line(entry, lang))
            for change in entry.changes:
                lines.append(f"      {change.describe(lang)}")
            if entry.why is not None:
                lines.append(f"      {say(t('cadence.why', reason=entry.why))}")
            if entry.override and entry.checked:
                lines.append(f"      {say(t('cadence.override-by', author=entry.commit.author, reason=entry.override))}")
            for v in entry.violations:
                if not entry.checked:
                    continue
                mark = say(t("cadence.overridden")) if entry.override else say(t("severity.error"))
                lines.append(f"      {mark}[{v.rule}]: {say(v.text)}")
                if not entry.override:
                    lines.append(f"        = {say(t('label.help'))}: {say(v.help_text)}")
        versions = "; ".join(say(_version_text(v)) for v in history.versions)
        lines.append("  " + say(t("cadence.versions", versions=versions)))
        lines.append("")
    for skip in report.skips:
        lines.append(say(t("cadence.skipped", path=skip.path, reason=skip.text)))
    if report.violations:
        lines.append(say(t("cadence.violations")))
        for history, entry, v in report.violations:
            lines.append(f"  {entry.commit.short} {history.plan or history.path}: {v.rule}: {say(v.text)}")
    return "\n".join(lines).rstrip()


def _version_text(version):
    revised = len(version.revisions)
    if revised:
        return t("cadence.version-revised", date=version.effective, commit=version.first.commit.short, count=revised)
    return t("cadence.version", date=version.effective, commit=version.first.commit.short)


_KINDS = {
    "introduced": t("cadence.kind.introduced"),
    "new version": t("cadence.kind.new-version"),
    "revision": t("cadence.kind.revision"),
    "change to the plan in force": t("cadence.kind.change-in-force"),
    "no change in meaning": t("cadence.kind.no-change"),
    "does not compile": t("cadence.kind.does-not-compile"),
    "removed": t("cadence.kind.removed"),
}
"""Each kind of commit (`Entry.kind`, the value the JSON carries), in words."""


def _entry_line(entry, lang: str) -> str:
    what = _KINDS[entry.kind]
    if entry.kind == "revision" and entry.revises is not None:
        what = t("cadence.revision-of", date=entry.revises)
        if entry.effective != entry.revises:
            what = t("cadence.moved-to", what=what, date=entry.effective)
    if entry.via_library:
        what = t("cadence.via-library", what=what)
    if entry.renamed_to is not None:
        what = t("cadence.removal.renamed-to", what=what, path=entry.renamed_to)
    effective = t("cadence.effective", date=entry.effective).render(lang) if entry.effective else ""
    width = len(t("cadence.effective", date=date.min).render(lang))  # a column as wide as any date's
    scope = "" if entry.checked else "  " + t("cadence.before-base").render(lang)
    return (f"{entry.commit.short}  {entry.committed_on}  {effective:<{width}}  {what.render(lang)}"
            f"  — {entry.commit.subject}{scope}")


def _json(report, lang: str) -> dict:
    return {
        "base": report.base,
        "plans": [{
            "file": h.path,
            "plan": h.plan,
            "template": h.template,
            "history": [{
                "commit": e.commit.sha,
                "committed": e.commit.committed.isoformat(),
                "committed_on": e.committed_on.isoformat(),
                "author": e.commit.author,
                "subject": e.commit.subject,
                "path": e.path,
                "kind": e.kind,
                "effective": e.effective.isoformat() if e.effective else None,
                "revises": e.revises.isoformat() if e.revises else None,
                "via_library": e.via_library,
                "renamed_to": e.renamed_to,
                "sha256": e.fingerprint,
                "changes": [{**c.to_json(), "text": c.describe(lang)} for c in e.changes],
                "checked": e.checked,
                "reason": None if e.why is None else e.why.render(lang),
                "override": e.override,
                "violations": [{"rule": v.rule, "message": v.text.render(lang), "help": v.help_text.render(lang),
                                "overridden": bool(e.override)} for v in e.violations] if e.checked else [],
            } for e in h.entries],
            "versions": [{
                "effective": v.effective.isoformat(),
                "commit": v.first.commit.sha,
                "revisions": [r.commit.sha for r in v.revisions],
            } for v in h.versions],
        } for h in report.histories],
        "skipped": [{"file": s.path, "code": s.code, "reason": s.text.render(lang)} for s in report.skips],
        "summary": {"plans": len(report.histories), "violations": len(report.violations),
                    "overrides": len(report.overrides)},
    }
