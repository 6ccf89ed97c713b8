"""Naming a version of a plan on the command line: a path on disk, or `REV:path` from git."""

from __future__ import annotations

import posixpath
from pathlib import Path

from kpilang.change.git import GitError, prefix, repo_root, resolve
from kpilang.change.revision import Compiled, compile_at, compile_path


def load_side(spec: str, cwd: Path | None = None) -> Compiled:
    """Compile the version `spec` names. A path that exists on disk wins over `REV:path`; in
    `REV:path` the path is from the repository root, as in `git show`, unless it starts with
    `./` or `../` (then it is from the current folder). Raises GitError for a bad revision."""
    cwd = cwd or Path.cwd()
    if (cwd / spec).exists() or ":" not in spec:
        return compile_path(cwd / spec if not Path(spec).is_absolute() else Path(spec))
    rev, path = spec.split(":", 1)
    repo = repo_root(cwd)
    if path.startswith(("./", "../")):
        path = posixpath.normpath(posixpath.join(prefix(cwd), path))
    if not path or path == ".":
        raise GitError(f"`{spec}` names no file", "write REV:path, for example HEAD~1:rules/cold_sales.kpi")
    return compile_at(repo, resolve(repo, rev), path, shown_rev=rev)
