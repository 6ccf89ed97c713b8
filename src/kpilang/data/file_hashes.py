"""The SHA-256 of an unchanged file, remembered between runs so that a repeated run on the same
export does not read 780 MB only to learn that nothing changed.

A file's hash is remembered with what the file system says about it when it was hashed: its
path, size, device and inode, modification time and change time (to the nanosecond where the
file system keeps them). A later run takes the remembered hash only when all of these are still
the same; anything else (a file written again, replaced by another, touched, moved into place)
changes one of them, and the file is hashed again. This is how git tells an unchanged file from
a changed one without reading it.

**Files changed within the file system's clock tick (racy files).** A file system stores times
with a granularity of its own (a nanosecond on ext4 in principle, a jiffy in practice; a second
on some network file systems, two on FAT). A file written, hashed and written again within one
tick keeps the same times, and the same size if only bytes changed. So a hash is remembered only
when the clock, read before the file's times were, is at least `RACY_SECONDS` past both of them:
any later write then gets a later time stamp, whatever the granularity (up to that bound), and
is seen. A file hashed sooner after its last change is hashed again on the next run too (and
remembered then, once it has aged). This is git's "racy clean" rule, with the run's own clock in
place of the index file's time stamp.

A remembered hash is only ever used to name a file the cache then reads a checked table for (see
table_cache.py); with `--no-cache`, every file is hashed from its bytes. The hashes are kept in
the cache's own directory (`file-hashes/`, one small file per data file), written under a
temporary name and renamed into place, so runs at the same time see one whole record or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from dataclasses import astuple, dataclass
from pathlib import Path

from .inputs import file_sha256

HASHES_DIRECTORY = "file-hashes"
# Longer than the coarsest time stamps in use (FAT's two seconds).
RACY_SECONDS = 3
# Records kept at most; past this the oldest go (a record is about 300 bytes).
MAX_RECORDS = 4096


@dataclass(frozen=True)
class Stamp:
    """What the file system says about a file, all of which an unchanged file keeps."""

    path: str
    size: int
    device: int
    inode: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, path: Path) -> Stamp:
        status = os.stat(path)
        return cls(str(Path(path).absolute()), status.st_size, status.st_dev, status.st_ino,
                   status.st_mtime_ns, status.st_ctime_ns)


@dataclass(frozen=True)
class Hashed:
    sha256: str
    size: int
    stamp: Stamp  # as it was before the bytes were read


class FileHashes:
    """The remembered hashes, in `root` (the cache's directory)."""

    def __init__(self, root: Path):
        self.directory = Path(root) / HASHES_DIRECTORY

    def sha256(self, path: Path) -> Hashed:
        """The file's SHA-256 and size: the remembered one when the file is as it was when
        hashed, else from its bytes (then remembered when the file is old enough, see the
        module's note). Raises OSError when the file cannot be read."""
        clock_ns = now_ns()
        stamp = Stamp.of(path)
        record = self._record(stamp)
        if record is not None:
            return Hashed(record, stamp.size, stamp)
        sha256, size = file_sha256(path)
        if size == stamp.size and not_racy(stamp, clock_ns) and unchanged(path, stamp):
            self._remember(stamp, sha256)
        return Hashed(sha256, size, stamp)

    def _file(self, stamp: Stamp) -> Path:
        return self.directory / hashlib.sha256(stamp.path.encode("utf-8", "surrogateescape")).hexdigest()

    def _record(self, stamp: Stamp) -> str | None:
        try:
            record = json.loads(self._file(stamp).read_text(encoding="utf-8"))
            if record["stamp"] == list(astuple(stamp)):
                return str(record["sha256"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def _remember(self, stamp: Stamp, sha256: str) -> None:
        text = json.dumps({"stamp": list(astuple(stamp)), "sha256": sha256})
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            written = self.directory / f".writing-{uuid.uuid4().hex}"
            written.write_text(text, encoding="utf-8")
            os.replace(written, self._file(stamp))
        except OSError:
            return
        self._bound()

    def _bound(self) -> None:
        """Keep at most MAX_RECORDS records, the most recently written."""
        try:
            records = list(os.scandir(self.directory))
        except OSError:
            return
        if len(records) <= MAX_RECORDS:
            return
        by_age = []
        for record in records:
            try:
                by_age.append((record.stat().st_mtime_ns, record.path))
            except OSError:
                continue
        for _, path in sorted(by_age)[: len(by_age) - MAX_RECORDS]:
            Path(path).unlink(missing_ok=True)


def now_ns() -> int:
    return time.time_ns()


def not_racy(stamp: Stamp, clock_ns: int) -> bool:
    """Whether a write after `clock_ns` (read before `stamp` was taken) must change the stamp's
    times: both are at least RACY_SECONDS older than the clock (a time in the future, from a
    clock ahead of ours, is racy too)."""
    newest = max(stamp.mtime_ns, stamp.ctime_ns)
    return clock_ns - newest >= RACY_SECONDS * 10**9


def unchanged(path: Path, stamp: Stamp) -> bool:
    """Whether the file is still as stamped: one written while it was hashed is not remembered
    (nor its checked table kept in the cache, see loader.py)."""
    try:
        return Stamp.of(path) == stamp
    except OSError:
        return False
