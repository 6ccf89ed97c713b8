"""Writing a file inside `explain --out DIR` without ever writing through a link.

A folder of statements is often shared, and one an earlier run or someone else left behind may
hold a symbolic link where a statement goes (`m1.html -> ~/.bashrc`). Opening that name for
writing would overwrite whatever the link points at. Instead each file is written under a fresh
name no one else can have taken (created with O_EXCL, so never through a link) and then renamed
over the final name: a rename replaces a link itself, not its target, and a reader never sees a
half-written statement. The folder DIR itself is the user's choice and may be a link.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

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
