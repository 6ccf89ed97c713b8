"""The files of `explain --out DIR`: each person's file name, and writing a file there without
ever writing through a link.

A folder of statements is often shared, and one an earlier run or someone else left behind may
hold a symbolic link where a statement goes (`m1.html -> ~/.bashrc`). Opening that name for
writing would overwrite whatever the link points at. Instead each file is written under a fresh
name no one else can have taken (created with O_EXCL, so never through a link) and then renamed
over the final name: a rename replaces a link itself, not its target, and a reader never sees a
half-written statement. The folder DIR itself is the user's choice and may be a link.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

_SAFE_STEM = re.compile(r"[^A-Za-z0-9_.-]")
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def replace_file(path: Path, text: str) -> None:
    """`path` holds `text` (UTF-8) as a regular file of its own: a link at `path` is replaced,
    its target left untouched. Permissions are those of any new file (the umask decides)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        descriptor = os.open(temporary, _NEW_FILE, 0o666)
    except OSError as err:  # said of the file asked for: the temporary name means nothing to anyone
        raise OSError(err.errno, err.strerror, str(path)) from err
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(text.encode("utf-8"))
        os.replace(temporary, path)
    except BaseException as err:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(err, OSError):
            raise OSError(err.errno, err.strerror, str(path)) from err
        raise


def file_stem(manager_id: str) -> str:
    """A file name for a person's statement: the id itself when it is safe in a path, otherwise the
    id with unsafe characters replaced and a short hash, so that two ids never share a file."""
    safe = _SAFE_STEM.sub("_", manager_id)
    if safe == manager_id and safe not in ("", ".", "..") and not safe.lower().startswith("index"):
        return safe
    return f"{safe.strip('.') or 'person'}-{hashlib.sha256(manager_id.encode()).hexdigest()[:8]}"
