"""Where checked tables are kept between runs, and how the store stays safe and small.

The store is a directory in the user's cache directory (never in the plan's repository: the
tables hold salaries and people's data). Each entry is a directory named by its key; it is
written under a temporary name and renamed into place in one step, so a run sees a whole entry
or none, and two runs writing the same entry at once both end with one whole entry. Entries are
evicted least recently used first once the store passes its bound; a run that uses an entry
marks it used (its directory's modification time).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from .file_hashes import HASHES_DIRECTORY

CACHE_DIR_VARIABLE = "KPILANG_CACHE_DIR"
CACHE_SIZE_VARIABLE = "KPILANG_CACHE_MAX_MB"
# The bound on the store: a month of CRM data for ten thousand people takes about 250 MB.
DEFAULT_MAX_MB = 2048
# A temporary entry older than this is left over by a run that was stopped while writing.
STALE_TEMPORARY_SECONDS = 3600
TEMPORARY_PREFIX = ".writing-"


def user_cache_root() -> Path:
    """The user's cache directory, as each system names it: XDG_CACHE_HOME or ~/.cache on
    Linux and the other Unix systems, ~/Library/Caches on macOS, LOCALAPPDATA on Windows."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) if base else Path.home() / "AppData" / "Local"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    base = os.environ.get("XDG_CACHE_HOME")
    # The XDG specification ignores a relative path.
    return Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"


def cache_directory() -> Path:
    """KPILANG_CACHE_DIR when set, else kpilang/tables in the user's cache directory."""
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    return Path(chosen) if chosen else user_cache_root() / "kpilang" / "tables"


def max_bytes() -> int:
    """The store's bound, from KPILANG_CACHE_MAX_MB (megabytes) or the default; a value that is
    not a whole number counts as the default."""
    text = os.environ.get(CACHE_SIZE_VARIABLE, "")
    megabytes = int(text) if text.strip().isdigit() else DEFAULT_MAX_MB
    return megabytes * 2**20


@dataclass(frozen=True)
class Store:
    root: Path
    bound: int

    @classmethod
    def default(cls) -> Store:
        return cls(cache_directory(), max_bytes())

    def entry(self, key: str) -> Path | None:
        """The entry's directory when it is there, marked as just used; None otherwise."""
        path = self.root / key
        try:
            os.utime(path)
        except OSError:
            return None
        return path

    def new_entry(self) -> Path:
        """A private directory to write an entry into before `publish`."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self.root / f"{TEMPORARY_PREFIX}{uuid.uuid4().hex}"
        path.mkdir(mode=0o700)
        return path

    def publish(self, written: Path, key: str) -> None:
        """Put a written entry in place in one step (another run's copy of it may have got there
        first: then it is the same, and ours is dropped), then keep the store within its bound."""
        try:
            os.rename(written, self.root / key)
        except OSError:
            self.discard(written)
        self.evict(keep=key)

    def pin(self, path: Path) -> Path | None:
        """A run's own name for an entry's file (a hard link), so that the file stays while the
        run reads it even if another run evicts the entry meanwhile; remove it with `unpin`.
        None when the file system cannot link."""
        pinned = self.root / f"{TEMPORARY_PREFIX}{uuid.uuid4().hex}{path.suffix}"
        try:
            os.link(path, pinned)
        except OSError:
            return None
        return pinned

    @staticmethod
    def unpin(pinned: Path) -> None:
        pinned.unlink(missing_ok=True)

    def remove(self, key: str) -> None:
        """Remove an entry found unusable, so that the next run writes it anew."""
        _remove(self.root / key)

    @staticmethod
    def discard(written: Path) -> None:
        """Drop an entry that could not be written whole."""
        shutil.rmtree(written, ignore_errors=True)

    def evict(self, keep: str | None = None) -> None:
        """Remove entries, least recently used first, until the store is within its bound; and
        temporary entries that a stopped run left behind. `keep` (the entry just written) goes
        last: a single entry larger than the bound is removed too."""
        entries = []
        now = time.time()
        for path in self._children():
            try:
                used = path.stat().st_mtime
            except OSError:
                continue
            if path.name == HASHES_DIRECTORY:
                continue  # the remembered hashes of files, bounded on their own
            if path.name.startswith(TEMPORARY_PREFIX):
                # An entry being written, or a file a run reads (see pin): removed only when
                # the run that made it must have stopped long ago.
                if now - used > STALE_TEMPORARY_SECONDS:
                    if path.is_dir():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink(missing_ok=True)
                continue
            entries.append((path.name == keep, used, path, _size(path)))
        total = sum(size for *_, size in entries)
        for _, _, path, size in sorted(entries, key=lambda e: (e[0], e[1])):
            if total <= self.bound:
                break
            _remove(path)
            total -= size

    def _children(self) -> list[Path]:
        try:
            return list(self.root.iterdir())
        except OSError:
            return []


def _size(path: Path) -> int:
    total = 0
    try:
        for child in path.iterdir():
            try:
                total += child.stat().st_size
            except OSError:
                pass
    except OSError:
        pass
    return total


def _remove(path: Path) -> None:
    """Remove an entry: first renamed out of its name in one step, so no run finds it half gone."""
    doomed = path.with_name(f"{TEMPORARY_PREFIX}{uuid.uuid4().hex}")
    try:
        os.rename(path, doomed)
    except OSError:
        return
    shutil.rmtree(doomed, ignore_errors=True)
