"""The quarterly cadence gate, walking each plan's history: a plan's meaning changes at most once a quarter, never under the
plan in force and never in the past.

A plan's history is every commit that changed its file (renames followed) or a library file it
imports. Each commit's version is compiled with its imports at that commit and compared, by
meaning fingerprint, with the previous version that compiled. Commits that change nothing in
meaning (layout, comments, labels, the goal's wording, tests) pass without a look at dates.

For a commit that changes the meaning, with `E` its `effective` date and `d` the commit's date:

* `effective-not-quarter-start`: `E` must be the first day of a quarter.
* `changes-plan-in-force`: a change keeping the effective date of the version in force on `d`
  rewrites rules people are already paid by.
* `retroactive`: `E` on or before `d` puts the change in the past.
* `too-soon`: `E` must be no earlier than the first day of the quarter after `d`, so people learn
  the rules a full quarter's edge ahead and at most one version takes effect per quarter.
* `not-after-previous`: `E` must be later than the effective date of the version in force.

A commit whose version is not in force yet on `d` (its `E` is later than `d`) may be revised
by later commits: those are listed as revisions of that pending version, and checked by the same
rules against their own dates. The first version of a plan introduces it: it needs a quarter's
first day but may record rules already in force (adopting kpilang mid-year). The commit's date
is the committer date, converted to the plan's time zone: it is when the change entered this
history (a rebase or cherry-pick renews it), while the author date may be weeks older.

A commit whose message ends with a `KPI-Override: reason` trailer is accepted whatever it breaks,
and shown as an override with its reason: the exception is on record, in the repository, with
the name of who made it.

Violations, skip reasons and why a version could not be judged are catalog texts
(`cadence.…` in `kpilang.messages`), said in the reader's language when shown; their English
stays in `message`, `help` and `reason`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kpilang.change.cadence.model import CadenceReport, Entry, PlanHistory, Skip, Version, Violation
from kpilang.change.cadence.removal import judge_removal
from kpilang.change.cadence.rules import judge, local_date
from kpilang.change.cadence.templates import TEMPLATE_RULES, is_template
from kpilang.change.fingerprint import fingerprint
from kpilang.change.git import (
    Commit, GitError, commit_order, commits_touching, file_history, has_head, is_shallow, repo_root,
    resolve, run_git, tracked_or_removed,
)
from kpilang.change.revision import Compiled, compile_at
from kpilang.compile import Program
from kpilang.diagnostics import Severity, sort_key
from kpilang.messages import Text, t


def check_cadence(start: Path, paths: list[str] | None = None, base: str | None = None) -> CadenceReport:
    """Walk the history of each plan (repository paths, or every tracked *.kpi file) and check
    the rules on every commit after `base` (on all commits without it). Raises GitError when the
    history cannot be trusted (not a repository, a shallow clone, an unknown base)."""
    repo = repo_root(start)
    if not has_head(repo):
        raise GitError(t("git.no-commits"), t("git.no-commits-hint"))
    if is_shallow(repo):
        raise GitError(t("git.shallow"), t("git.shallow-hint"))
    after_base: set[str] | None = None
    if base is not None:
        base_sha = resolve(repo, base)
        after_base = set(run_git(repo, "rev-list", f"{base_sha}..HEAD").stdout.split())
    order = commit_order(repo)
    # a plan deleted is walked too: leaving force is a change in meaning
    targets = paths if paths is not None else tracked_or_removed(repo, ".kpi", base_sha if base is not None else None)
    histories, skips = [], []
    for path in targets:
        history = _plan_history(repo, path, order, after_base)
        if isinstance(history, Skip):
            skips.append(history)
            continue
        if is_template(repo, path):  # nobody is paid by a template: only its compiling counts
            history.template = True
            for entry in history.entries:
                entry.violations = [v for v in entry.violations if v.rule in TEMPLATE_RULES]
        histories.append(history)
    return CadenceReport(histories, skips, base)


# ---- one plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    commit: Commit
    path: str
    status: str
    """As in `FileChange`; `M` a merge the file's own log leaves out; `L` only a library the plan
    imports changed."""
    old_path: str | None = None


def _plan_history(repo: Path, path: str, order: dict[str, int], after_base: set[str] | None) -> PlanHistory | Skip:
    file_changes = file_history(repo, path)
    if not file_changes:
        return Skip(path, "never-committed", t("cadence.skip.never-committed"))
    compiled: dict[tuple[str, str], Compiled] = {}
    by_content: dict[tuple, Compiled] = {}

    def at(sha: str, file: str) -> Compiled:
        if (sha, file) not in compiled:
            compiled[sha, file] = compile_at(repo, sha, file, shown_rev=sha[:10], cache=by_content)
        return compiled[sha, file]

    steps = {fc.commit.sha: _Step(fc.commit, fc.path, fc.status, fc.old_path) for fc in file_changes}
    last = next((fc for fc in reversed(file_changes) if fc.status != "D"), None)
    if last is not None:
        last_program = at(last.commit.sha, last.path).program
        if last_program is not None and last_program.plan is None:
            return Skip(path, "library", t("cadence.skip.library"))
    names = sorted({fc.path for fc in file_changes} | {fc.old_path for fc in file_changes if fc.old_path})
    _add_steps(steps, commits_touching(repo, names, merges_only=True), order, "M")
    _add_library_steps(repo, steps, order, at)

    entries: list[Entry] = []
    versions: list[Version] = []
    previous: tuple[Program, str] | None = None
    ordered = sorted(steps.values(), key=lambda s: order.get(s.commit.sha, -1))
    for index, step in enumerate(ordered):
        commit, file = step.commit, step.path
        checked = after_base is None or commit.sha in after_base
        if step.status == "D":
            entry = judge_removal(repo, commit, file, _day(commit, previous), previous, versions, at)
            entry.checked = checked
            entries.append(entry)
            continue
        version = at(commit.sha, file)
        program = version.program
        if program is None or program.plan is None:
            entry = Entry(commit, file, "does not compile", _day(commit, previous), checked=checked,
                          why=_why_not(version))
            if index == len(ordered) - 1:
                entry.violations.append(Violation(
                    "does-not-compile", t("cadence.rule.does-not-compile", file=file, commit=commit.short),
                    t("cadence.rule.does-not-compile-help")))
            entries.append(entry)
            continue
        # compare with the parents' versions: on a merge, what a branch brought was judged on
        # the branch's own commits, so a merge that takes one side's version changes nothing
        parents = []
        for parent in commit.parents:
            before = at(parent, step.old_path or file).program
            if before is not None and before.plan is not None:
                parents.append((before, fingerprint(before)))
        entry = judge(commit, file, program, previous, versions, parents)
        entry.checked = checked
        entry.via_library = step.status == "L"
        entries.append(entry)
        previous = (program, fingerprint(program))
    plan_name = previous[0].plan.name if previous and previous[0].plan else None
    return PlanHistory(ordered[-1].path, plan_name, entries, versions)


def _add_library_steps(repo: Path, steps: dict[str, _Step], order: dict[str, int], at) -> None:
    """Add the commits that changed only a library the plan imports (at any of its versions),
    until no new library turns up (a library may import another)."""
    libraries: set[str] = set()
    while True:
        for step in list(steps.values()):
            if step.status != "D":
                libraries.update(f for f in at(step.commit.sha, step.path).files if f != step.path)
        if not _add_steps(steps, commits_touching(repo, sorted(libraries)), order, "L"):
            return


def _add_steps(steps: dict[str, _Step], commits: list[Commit], order: dict[str, int], status: str) -> bool:
    """Add commits the plan file's own log does not list, with the plan's path at that point;
    whether any was added."""
    added = False
    for commit in commits:
        if commit.sha in steps:
            continue
        earlier = [s for s in steps.values() if order.get(s.commit.sha, -1) < order.get(commit.sha, -1)]
        if not earlier:
            continue  # before the plan existed
        latest = max(earlier, key=lambda s: order.get(s.commit.sha, -1))
        if latest.status == "D":
            continue
        steps[commit.sha] = _Step(commit, latest.path, status)
        added = True
    return added


def _day(commit: Commit, previous: tuple[Program, str] | None) -> date:
    timezone = previous[0].plan.timezone if previous and previous[0].plan else "UTC"
    return local_date(commit.committed, timezone)


def _why_not(version: Compiled) -> Text:
    errors = sorted((d for d in version.diagnostics if d.severity is Severity.ERROR), key=sort_key)
    if errors:
        first = errors[0]
        message = first.text or first.message
        if len(errors) > 1:
            return t("cadence.first-error-more", place=first.span, message=message, more=len(errors) - 1)
        return t("cadence.first-error", place=first.span, message=message)
    return t("cadence.no-plan-block")


