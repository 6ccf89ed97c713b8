"""The git plumbing change control needs: blobs at a revision, a file's history across renames,
commit dates and trailers. Nothing here knows about plans.

Every call runs `git` with `core.quotePath=false` (paths with Cyrillic letters stay readable) and
a fixed C locale for messages; any failure becomes a `GitError` that says what to do, as catalog
texts (`git.…` in `kpilang.messages`) said in the reader's language when shown.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kpilang.messages import Text, t

OVERRIDE_TRAILER = "KPI-Override"


class GitError(Exception):
    def __init__(self, message: Text, hint: Text | None = None):
        super().__init__(str(message))
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Commit:
    sha: str
    committed: datetime
    """The committer date, with its offset: when the commit entered the history this way."""
    author: str
    subject: str
    overrides: tuple[str, ...]
    """The reasons given in `KPI-Override:` trailers."""
    parents: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        return self.sha[:10]


@dataclass(frozen=True)
class FileChange:
    commit: Commit
    path: str
    """The file's path (from the repository root) in this commit."""
    status: str
    """`A` added, `M` modified, `D` deleted, `R` renamed (possibly also modified), `C` copied."""
    old_path: str | None = None


def run_git(repo: Path, *args: str, allow_fail: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=repo, env=env,
                              capture_output=True, text=True, encoding="utf-8", errors="surrogateescape")
    except FileNotFoundError:
        raise GitError(t("git.not-installed"), t("git.not-installed-hint"))
    if done.returncode != 0 and not allow_fail:
        raise GitError(t("git.failed", command=" ".join(args[:2]),
                         detail=done.stderr.strip() or f"exit {done.returncode}"))
    return done


def repo_root(start: Path) -> Path:
    done = run_git(start, "rev-parse", "--show-toplevel", allow_fail=True)
    if done.returncode != 0:
        raise GitError(t("git.not-a-repository", path=start), t("git.not-a-repository-hint"))
    return Path(done.stdout.strip())


def prefix(start: Path) -> str:
    """The path of `start` below the repository root (`rules/` or empty)."""
    return run_git(start, "rev-parse", "--show-prefix").stdout.strip()


def is_shallow(repo: Path) -> bool:
    return run_git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"


def resolve(repo: Path, rev: str) -> str:
    done = run_git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", allow_fail=True)
    if done.returncode != 0:
        raise GitError(t("git.no-such-revision", rev=rev), t("git.no-such-revision-hint"))
    return done.stdout.strip()


def has_head(repo: Path) -> bool:
    return run_git(repo, "rev-parse", "--verify", "--quiet", "HEAD", allow_fail=True).returncode == 0


def show_blob(repo: Path, rev: str, path: str) -> str | None:
    """The text of `path` (from the root) at `rev`; None if the file is not there."""
    # `cat-file blob` rather than `show`: a folder's path must read as "no such file", not as
    # the listing `git show` prints for it
    data = blob_bytes(repo, rev, path)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise GitError(t("git.not-utf8", path=f"{rev}:{path}"), t("git.not-utf8-hint"))


@dataclass(frozen=True)
class TreeEntry:
    """What a path is at a revision, as `git ls-tree -l` tells it: nothing of its content."""

    mode: str
    """`100644`/`100755` a file, `120000` a symbolic link, `040000` a folder, `160000` a submodule."""
    kind: str
    """`blob`, `tree` or `commit`."""
    size: int | None
    """The blob's size in bytes (None for a folder or submodule)."""

    @property
    def is_symlink(self) -> bool:
        return self.mode == "120000"

    @property
    def is_file(self) -> bool:
        return self.kind == "blob" and not self.is_symlink


def tree_entries(repo: Path, rev: str, paths: list[str]) -> dict[str, TreeEntry]:
    """What each of `paths` (from the root) is at `rev`, for those that are there (one `git`
    run for them all; `-t`, so a folder asked for is told also when a path below it is asked for)."""
    if not paths:
        return {}
    out = run_git(repo, "ls-tree", "-t", "-l", "-z", rev, "--", *paths).stdout
    wanted, found = set(paths), {}
    for record in out.split("\0"):
        meta, _, name = record.partition("\t")
        if name in wanted:
            mode, kind, _sha, size = meta.split()
            found[name] = TreeEntry(mode, kind, int(size) if size.isdigit() else None)
    return found


def blob_bytes(repo: Path, rev: str, path: str) -> bytes | None:
    """The bytes of `path` (from the root) at `rev` as stored (a link's target for a symbolic
    link); None if it is not there."""
    done = subprocess.run(["git", "cat-file", "blob", f"{rev}:{path}"], cwd=repo, capture_output=True,
                          env={**os.environ, "LC_ALL": "C"})
    return done.stdout if done.returncode == 0 else None


def object_type(repo: Path, rev: str, path: str) -> str | None:
    """`blob`, `tree`, … for `path` (from the root) at `rev`; None if it is not there."""
    done = run_git(repo, "cat-file", "-t", f"{rev}:{path}", allow_fail=True)
    return done.stdout.strip() if done.returncode == 0 else None


def files_at(repo: Path, rev: str, folder: str, suffix: str) -> list[str]:
    """Files (from the root) below `folder` at `rev` whose names end with `suffix`, sorted."""
    spec = [folder.rstrip("/") + "/"] if folder not in ("", ".") else []
    out = run_git(repo, "ls-tree", "-r", "-z", "--name-only", rev, "--", *spec).stdout
    return sorted(p for p in out.split("\0") if p.endswith(suffix))


def tracked_files(repo: Path, suffix: str) -> list[str]:
    """Tracked files (from the root) whose names end with `suffix`, sorted."""
    out = run_git(repo, "ls-files", "-z").stdout
    return sorted(p for p in out.split("\0") if p.endswith(suffix))


def tracked_or_removed(repo: Path, suffix: str, since: str | None = None) -> list[str]:
    """Files (from the root) whose names end with `suffix`: tracked now, or deleted by a commit up
    to HEAD (after `since`, when given), sorted. A file renamed is not deleted (`-M`)."""
    out = run_git(repo, "log", "--diff-filter=D", "-M", "--name-only", "-z", "--format=",
                  f"{since}..HEAD" if since else "HEAD").stdout
    removed = {p.strip("\n") for p in out.split("\0") if p.strip("\n").endswith(suffix)}
    return sorted(removed | set(tracked_files(repo, suffix)))


def paths_changed(repo: Path, parent: str, sha: str) -> list[tuple[str, str | None, str]]:
    """(status, old path or None, path) for each file `sha` changed against `parent`, renames
    detected (`R`: the path it was renamed to, from the old one)."""
    out = run_git(repo, "diff-tree", "-r", "-M", "--name-status", "-z", "--no-commit-id", parent, sha).stdout
    fields, changes = out.split("\0"), []
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index][:1]
        if status in ("R", "C"):
            changes.append((status, fields[index + 1], fields[index + 2]))
            index += 3
        else:
            changes.append((status, None, fields[index + 1]))
            index += 2
    return changes


def is_ancestor(repo: Path, ancestor: str, descendant: str) -> bool:
    return run_git(repo, "merge-base", "--is-ancestor", ancestor, descendant, allow_fail=True).returncode == 0


_RS, _US = "\x1e", "\x1f"
_FORMAT = _RS + _US.join(["%H", "%P", "%cI", "%an", "%s", f"%(trailers:key={OVERRIDE_TRAILER},valueonly,separator=%x1d)"]) + _US


def _parse_log(out: str) -> list[tuple[Commit, list[str]]]:
    entries = []
    for chunk in out.split(_RS)[1:]:
        sha, parents, committed, author, subject, trailers, rest = chunk.split(_US, 6)
        overrides = tuple(t.strip() for t in trailers.split("\x1d") if t.strip())
        commit = Commit(sha=sha, committed=datetime.fromisoformat(committed), author=author, subject=subject,
                        overrides=overrides, parents=tuple(parents.split()))
        entries.append((commit, [line for line in rest.splitlines() if line.strip()]))
    return entries


def file_history(repo: Path, path: str, rev: str = "HEAD") -> list[FileChange]:
    """Every commit that changed `path` up to `rev`, oldest first, following renames."""
    # `--follow` walks from the newest commit back and loses the renames under `--reverse`
    out = run_git(repo, "log", "--follow", "-M", "--name-status", f"--format={_FORMAT}", rev, "--", path).stdout
    history = []
    for commit, lines in _parse_log(out):
        change = _name_status(commit, lines)
        if change is not None:
            history.append(change)
    return history[::-1]


def commits_touching(repo: Path, paths: list[str], rev: str = "HEAD", merges_only: bool = False) -> list[Commit]:
    """Commits up to `rev` that changed any of `paths`, oldest first (no rename following).

    Merges are included when they differ from every parent (a merge that takes one side's
    version is not). `git log --follow` never lists merges, so `merges_only` finds them apart."""
    if not paths:
        return []
    extra = ["--merges"] if merges_only else []
    out = run_git(repo, "log", *extra, "--topo-order", "--reverse", f"--format={_FORMAT}", rev, "--", *paths).stdout
    return [commit for commit, _ in _parse_log(out)]


def commit_order(repo: Path, rev: str = "HEAD") -> dict[str, int]:
    """Every commit up to `rev` → its position, oldest first, parents before children."""
    out = run_git(repo, "rev-list", "--topo-order", "--reverse", rev).stdout.split()
    return {sha: i for i, sha in enumerate(out)}


def _name_status(commit: Commit, lines: list[str]) -> FileChange | None:
    for line in lines:
        parts = line.split("\t")
        status = parts[0][:1]
        if status in ("R", "C") and len(parts) == 3:
            return FileChange(commit, parts[2], status, old_path=parts[1])
        if len(parts) == 2:
            return FileChange(commit, parts[1], status)
    return None
