"""Which files an `import` may read, and reading them.

An import reads a regular `.kpi` file of at most IMPORT_SIZE_LIMIT bytes that lies, once its
symbolic links are resolved, in the plan's project: the folder of the plan being compiled and
its subfolders, the folders in `import-roots` of the configuration that counts for that plan,
and the library of ready plans that comes with kpilang. A plan compiled from a git revision is
confined to that revision's files as well (`tree`): the bundled library is not open to it, and
configured folders count only inside the revision.

Anything else is refused before a byte of it is read, and the refusal names the file and the
reason only. A plan's errors quote its lines; a file that is not a plan (`/etc/passwd`, a
secrets file beside the plans) must never have a line of it shown, since CI logs are public.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from kpilang.bundled import rules_dir
from kpilang.messages import Text, t

IMPORT_SIZE_LIMIT = 1024 * 1024
"""The most bytes an imported file may have: a library of metrics and tables is a few kilobytes,
so a file this large is not one, and reading it could only cost memory and time."""

PLAN_SUFFIX = ".kpi"


class ImportRefused(Exception):
    """An import the scope does not allow: `reason` and `help` say why and what to do, in catalog
    words, without a word of the file's content."""

    def __init__(self, reason: Text, help: Text):
        super().__init__(str(reason))
        self.reason = reason
        self.help = help


@dataclass(frozen=True)
class ImportScope:
    """The folders the imports of one plan may read from."""

    plan: Path
    """The plan being compiled (its folder is the project)."""
    project_name: str
    """The project's folder as the reader would write it (for the help of a refusal)."""
    tree: Path | None = None
    """The folder mirroring a git revision's files, when the plan is read from one."""

    @cached_property
    def project(self) -> Path:
        return self.plan.resolve().parent

    @cached_property
    def _fixed_roots(self) -> tuple[Path, ...]:
        if self.tree is not None:
            return (self.project,)
        return self.project, rules_dir().resolve()

    @cached_property
    def _configured(self) -> tuple[tuple[Path, ...], Text | None]:
        """The configured roots (inside the revision, when reading one), or why none can be had."""
        # imported here: the configuration names checks, and the checks are built on compiled
        # programs, so a module-level import would make the compiler depend on its own users
        from kpilang.lint.config import ConfigError, import_roots_for

        try:
            roots = import_roots_for(self.plan, self.tree)
        except ConfigError as err:
            return (), err.text
        if self.tree is not None:
            tree = self.tree.resolve()
            roots = tuple(r for r in roots if r.is_relative_to(tree))
        return roots, None

    def allows(self, resolved: Path) -> bool:
        if any(resolved.is_relative_to(root) for root in self._fixed_roots):
            return True
        return any(resolved.is_relative_to(root) for root in self._configured[0])

    def outside(self) -> ImportRefused:
        help = t("E0209.outside-revision-help" if self.tree is not None else "E0209.outside-help",
                 folder=self.project_name)
        broken = self._configured[1]
        if broken is not None:
            return ImportRefused(t("E0209.outside-config-broken", error=broken), help)
        return ImportRefused(t("E0209.outside"), help)


def read_import(target: Path, scope: ImportScope) -> bytes:
    """The bytes of the imported file `target` (as the import names it, relative paths joined to
    the importing file's folder), or ImportRefused; OSError when the file is not there or cannot
    be opened (the operating system's reason is said as for any plan file)."""
    try:
        resolved = target.resolve()
    except RuntimeError:  # a circle of symbolic links, on releases of Python that raise so
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP)) from None
    if not scope.allows(resolved):
        raise scope.outside()
    if target.suffix != PLAN_SUFFIX or resolved.suffix != PLAN_SUFFIX:
        raise ImportRefused(t("E0209.not-kpi"), t("E0209.not-kpi-help"))
    _check_kind(os.stat(resolved))
    # O_NONBLOCK: a FIFO put in place after the check must not hang the compiler on its open
    fd = os.open(resolved, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        _check_kind(os.fstat(handle.fileno()))  # the file opened is the file checked
        data = handle.read(IMPORT_SIZE_LIMIT + 1)
    if len(data) > IMPORT_SIZE_LIMIT:
        raise _too_large(len(data))
    return data


def _check_kind(info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise ImportRefused(t("E0209.folder"), t("E0209.folder-help"))
    if not stat.S_ISREG(info.st_mode):
        raise ImportRefused(t("E0209.special"), t("E0209.special-help"))
    if info.st_size > IMPORT_SIZE_LIMIT:
        raise _too_large(info.st_size)


def _too_large(size: int) -> ImportRefused:
    return ImportRefused(t("E0209.too-large", size=size, limit=IMPORT_SIZE_LIMIT), t("E0209.too-large-help"))

