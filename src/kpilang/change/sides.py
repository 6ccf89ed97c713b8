"""Naming a version of a plan on the command line: a path on disk, or `REV:path` from git; or
a folder of plans, on disk or `REV:folder`."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kpilang.change.git import GitError, files_at, object_type, prefix, repo_root, resolve
from kpilang.change.revision import Compiled, compile_at, compile_path
from kpilang.messages import t


@dataclass
class Folder:
    """The plan files below a folder, by their path inside it, each compiled on demand (once)."""

    label: str
    files: dict[str, Callable[[], Compiled]]


def folder_side(spec: str, cwd: Path | None = None) -> Folder | None:
    """The folder `spec` names (on disk, or `REV:folder`), or None when it names a file."""
    cwd = cwd or Path.cwd()
    disk = Path(spec) if Path(spec).is_absolute() else cwd / spec
    if disk.is_dir():
        found = sorted(p for p in disk.rglob("*.kpi") if p.is_file())
        return Folder(spec, {p.relative_to(disk).as_posix(): functools.cache(lambda p=p: compile_path(p)) for p in found})
    if disk.exists() or ":" not in spec:
        return None
    rev, path = spec.split(":", 1)
    repo = repo_root(cwd)
    path = _from_root(cwd, path)
    sha = resolve(repo, rev)
    if path not in ("", ".") and object_type(repo, sha, path) != "tree":
        return None
    inside = files_at(repo, sha, path, ".kpi")
    start = 0 if path in ("", ".") else len(path.rstrip("/")) + 1
    return Folder(spec, {f[start:]: functools.cache(lambda f=f: compile_at(repo, sha, f, shown_rev=rev)) for f in inside})


def _from_root(cwd: Path, path: str) -> str:
    if path.startswith(("./", "../")) or path in (".", ".."):
        return posixpath.normpath(posixpath.join(prefix(cwd), path))
    return path


def load_side(spec: str, cwd: Path | None = None) -> Compiled:
    """Compile the version `spec` names. A path that exists on disk wins over `REV:path`; in
    `REV:path` the path is from the repository root, as in `git show`, unless it starts with
    `./` or `../` (then it is from the current folder). Raises GitError for a bad revision."""
    cwd = cwd or Path.cwd()
    if (cwd / spec).exists() or ":" not in spec:
        return compile_path(cwd / spec if not Path(spec).is_absolute() else Path(spec))
    rev, path = spec.split(":", 1)
    repo = repo_root(cwd)
    path = _from_root(cwd, path)
    if not path or path == ".":
        raise GitError(t("git.names-no-file", spec=spec), t("git.names-no-file-hint"))
    return compile_at(repo, resolve(repo, rev), path, shown_rev=rev)
