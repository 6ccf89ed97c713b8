"""Which version of a plan a run uses: the one a path or `REV:path` names, or, from the git
history, the one in force in each period (`--as-of-history`).

The version in force for a period is the last version committed (in the history up to the
revision named, HEAD by default) whose `effective` date is on or before the period's first day:
a later commit that corrects a version already in force (with its `KPI-Override`) replaces it,
and a version that takes effect later is not yet in force. A period before every version's
effective date has no version in force and is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kpilang.change.git import GitError, file_history, repo_root, resolve
from kpilang.change.revision import Compiled, compile_at
from kpilang.change.sides import load_side
from kpilang.evaluate.period import Period
from kpilang.messages import Text, t
from kpilang.report.periods import PlanVersion
from kpilang.report.plan_spec import is_revision


class VersionError(Exception):
    """A plan version that cannot be used: what went wrong and what to do, and the compile errors
    (`compiled`) when it does not compile."""

    def __init__(self, message: Text, hint: Text | None = None, compiled: Compiled | None = None):
        super().__init__(str(message))
        self.message = message
        self.hint = hint
        self.compiled = compiled


def load_version(spec: str, cwd: Path | None = None) -> PlanVersion:
    """The plan `spec` names (a path, or `REV:path` read from git with its imports), compiled.
    Raises VersionError, GitError, or PlanFileError for a file that cannot be read."""
    from kpilang.change.fingerprint import fingerprint

    compiled = load_side(spec, cwd)
    _usable(compiled, spec)
    return PlanVersion(spec=spec, program=compiled.program, fingerprint=fingerprint(compiled.program),
                       commit=_commit_of(spec, cwd or Path.cwd()))


def _commit_of(spec: str, cwd: Path):
    """The last commit that changed the plan `spec` names: up to REV for `REV:path`; for a file
    on disk, only when it is in a git repository and holds what that commit holds (an edited
    file is not any commit's version). None otherwise: the file is shown as given."""
    from kpilang.change.git import blob_bytes

    try:
        if is_revision(spec, cwd):
            rev, path = spec.split(":", 1)
            repo = repo_root(cwd)
            sha = resolve(repo, rev)
        else:
            disk = Path(spec) if Path(spec).is_absolute() else cwd / spec
            repo = repo_root(disk.resolve().parent)
            path = disk.resolve().relative_to(repo.resolve()).as_posix()
            sha = resolve(repo, "HEAD")
            if blob_bytes(repo, sha, path) != disk.read_bytes():
                return None
        history = file_history(repo, path, sha)
    except (GitError, ValueError, OSError):
        return None
    return history[-1].commit if history else None


def _usable(compiled: Compiled, spec: str) -> None:
    if compiled.missing:
        raise VersionError(t("cli.no-such-path", path=spec))
    if compiled.program is None:
        raise VersionError(t("report.version.does-not-compile", plan=spec), t("report.version.fix-errors"), compiled)
    if compiled.program.plan is None:
        raise VersionError(t("run.no-plan-block", plan=spec), t("run.give-plan-file"))


def versions_in_force(spec: str, periods: Iterable[Period], cwd: Path | None = None) -> dict[str, PlanVersion]:
    """Period label → the version of the plan `spec` in force then, from the git history of its
    file (renames followed) up to HEAD, or up to REV for `REV:path`. Raises VersionError when a
    period has no version in force, GitError when the history cannot be read."""
    from kpilang.change.fingerprint import fingerprint

    cwd = cwd or Path.cwd()
    repo = repo_root(cwd)
    if is_revision(spec, cwd):
        rev, path = spec.split(":", 1)
    else:
        rev, path = "HEAD", Path(spec).resolve().relative_to(repo.resolve()).as_posix()
    sha = resolve(repo, rev)
    history = [change for change in file_history(repo, path, sha) if change.status != "D"]
    if not history:
        raise VersionError(t("report.version.not-committed", plan=spec), t("report.version.commit-first"))
    cache: dict[tuple, Compiled] = {}
    versions: list[PlanVersion] = []
    for change in history:
        compiled = compile_at(repo, change.commit.sha, change.path, shown_rev=change.commit.short, cache=cache)
        if compiled.program is None or compiled.program.plan is None:
            continue  # a version that never compiled was never paid by; the last one that did stays in force
        versions.append(PlanVersion(spec=f"{change.commit.short}:{change.path}", program=compiled.program,
                                    fingerprint=fingerprint(compiled.program), commit=change.commit))
    out: dict[str, PlanVersion] = {}
    for period in periods:
        in_force = [v for v in versions if v.effective <= period.first_day]
        if not in_force:
            first = min((v.effective for v in versions), default=None)
            raise VersionError(t("report.version.none-in-force", plan=spec, period=period.label,
                                 first=first.isoformat() if first else "—"),
                               t("report.version.none-in-force-hint"))
        out[period.label] = in_force[-1]
    return out


__all__ = ["GitError", "VersionError", "is_revision", "load_version", "versions_in_force"]
