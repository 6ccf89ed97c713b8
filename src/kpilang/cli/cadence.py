"""`kpilang cadence [PATH...] [--base REV] [--format text|json]`."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from kpilang.cli.common import EXIT_OK, EXIT_PROBLEMS, fail


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--base", metavar="REV", help="Check only the commits after REV (for a pull request: its target "
              "branch). Earlier history still decides which version is in force.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="The versions and violations in words, or as JSON.")
def cadence(paths: tuple[str, ...], base: str | None, fmt: str) -> None:
    """CI gate: a plan's meaning changes at most once a quarter, and never in the past.

    Walks the git history of each plan (default: every tracked *.kpi file; renames followed,
    library imports included) and lists its versions. Every change in meaning must carry an
    `effective` date that is the first day of a quarter, later than the version in force, and no
    earlier than the first day of the quarter after the commit's (committer) date. Commits that
    revise a version not yet in force are revisions; reformatting, comments and labels are no
    change. A commit with a `KPI-Override: reason` trailer is accepted and shown as an override.

    Exit 0: no violation; 1: a violation (commit, plan and rule shown); 2: the history cannot be
    checked (not a git repository, a shallow clone, an unknown REV).
    """
    from kpilang.change.cadence import check_cadence
    from kpilang.change.git import GitError, repo_root, tracked_files

    cwd = Path.cwd()
    try:
        repo = repo_root(cwd)
        targets = _repository_paths(repo, cwd, paths, tracked_files(repo, ".kpi")) if paths else None
        report = check_cadence(cwd, targets, base)
    except GitError as err:
        fail(err.message, err.hint)
    if fmt == "json":
        click.echo(json.dumps(_json(report), ensure_ascii=False, indent=1))
    else:
        click.echo(_text(report))
    violations = report.violations
    click.echo(f"{len(report.histories)} plan(s): {len(violations)} violation(s), "
               f"{len(report.overrides)} override(s)", err=True)
    sys.exit(EXIT_PROBLEMS if violations else EXIT_OK)


def _repository_paths(repo: Path, cwd: Path, paths: tuple[str, ...], tracked: list[str]) -> list[str]:
    """Command-line paths → paths from the repository root; a directory means its tracked *.kpi."""
    out: list[str] = []
    for raw in paths:
        full = (cwd / raw).resolve()
        try:
            rel = full.relative_to(repo.resolve()).as_posix()
        except ValueError:
            fail(f"{raw} is outside the repository {repo}")
        if full.is_dir():
            inside = [t for t in tracked if rel in ("", ".") or t.startswith(rel.rstrip("/") + "/")]
            out.extend(inside)
        else:
            out.append(rel)
    return out


def _text(report) -> str:
    lines: list[str] = []
    for history in report.histories:
        lines.append(f"{history.path}" + (f" (plan {history.plan})" if history.plan else ""))
        for entry in history.entries:
            lines.append("  " + _entry_line(entry))
            for change in entry.change_lines:
                lines.append(f"      {change}")
            if entry.reason:
                lines.append(f"      why: {entry.reason}")
            if entry.override and entry.checked:
                lines.append(f"      override by {entry.commit.author}: {entry.override}")
            for v in entry.violations:
                if not entry.checked:
                    continue
                mark = "overridden" if entry.override else "error"
                lines.append(f"      {mark}[{v.rule}]: {v.message}")
                if not entry.override:
                    lines.append(f"        = help: {v.help}")
        lines.append("  versions: " + "; ".join(_version_text(v) for v in history.versions))
        lines.append("")
    for path, why in report.skipped:
        lines.append(f"{path}: skipped, {why}")
    if report.violations:
        lines.append("violations:")
        for history, entry, v in report.violations:
            lines.append(f"  {entry.commit.short} {history.plan or history.path}: {v.rule}: {v.message}")
    return "\n".join(lines).rstrip()


def _version_text(version) -> str:
    revised = len(version.revisions)
    return (f"effective {version.effective} ({version.first.commit.short}"
            + (f", revised {revised}×" if revised else "") + ")")


def _entry_line(entry) -> str:
    what = entry.kind
    if entry.kind == "revision" and entry.revises is not None:
        what = f"revision of the version effective {entry.revises}"
        if entry.effective != entry.revises:
            what += f" (moved to {entry.effective})"
    if entry.via_library:
        what += " (through an imported library)"
    effective = f"effective {entry.effective}" if entry.effective else ""
    scope = "" if entry.checked else "  [before base]"
    return (f"{entry.commit.short}  {entry.committed_on}  {effective:<20}  {what}"
            f"  — {entry.commit.subject}{scope}")


def _json(report) -> dict:
    return {
        "base": report.base,
        "plans": [{
            "file": h.path,
            "plan": h.plan,
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
                "sha256": e.fingerprint,
                "changes": [{**asdict(c), "text": c.describe()} for c in e.changes],
                "checked": e.checked,
                "reason": e.reason,
                "override": e.override,
                "violations": [{"rule": v.rule, "message": v.message, "help": v.help,
                                "overridden": bool(e.override)} for v in e.violations] if e.checked else [],
            } for e in h.entries],
            "versions": [{
                "effective": v.effective.isoformat(),
                "commit": v.first.commit.sha,
                "revisions": [r.commit.sha for r in v.revisions],
            } for v in h.versions],
        } for h in report.histories],
        "skipped": [{"file": p, "reason": why} for p, why in report.skipped],
        "summary": {"plans": len(report.histories), "violations": len(report.violations),
                    "overrides": len(report.overrides)},
    }
