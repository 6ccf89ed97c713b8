"""A plan as it was at a git revision: its file and the library files it imports, read from that
same revision, compiled.

The compiler reads imports from disk, so the files are written into a temporary folder that
mirrors the repository's layout, and the compiler is told to keep the plan's imports inside it;
diagnostics are then renamed back to `REV:path`.
"""

from __future__ import annotations

import os
import posixpath
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from kpilang.change.git import blob_bytes, show_blob, tree_entries
from kpilang.compile import PlanFileError, Program, compile_file
from kpilang.compile.import_scope import IMPORT_SIZE_LIMIT
from kpilang.diagnostics import Diagnostic, Severity, Span, render_text, sort_key
from kpilang.lint.config import CONFIG_FILES
from kpilang.messages import Text


@dataclass
class Compiled:
    """One side of a comparison: a program, or why there is none."""

    source: str
    """How the user named it: a path or `REV:path`."""
    program: Program | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    """Repository paths of the plan and its imports (at a revision only)."""
    missing: bool = False
    """The file does not exist there."""

    def errors_text(self, lang: str | None = None) -> str:
        """The compile errors, rendered as `kpilang lint` shows them, in `lang` (by default the
        reader's: `KPILANG_LANG`)."""
        errors = sorted((d for d in self.diagnostics if d.severity is Severity.ERROR), key=sort_key)
        return "\n\n".join(render_text(d, self.sources, lang) for d in errors)


def compile_path(path: Path) -> Compiled:
    try:
        result = compile_file(path)
    except PlanFileError as err:
        if err.missing:
            return Compiled(str(path), None, missing=True)
        raise
    return Compiled(str(path), result.program, result.diagnostics, result.sources)


def compile_at(repo: Path, rev: str, path: str, shown_rev: str | None = None,
               cache: dict[tuple, Compiled] | None = None) -> Compiled:
    """Compile `path` (from the repository root) as it was at `rev`, imports included.

    With `cache`, a revision whose files hold the same texts as one compiled before reuses that
    result (walking a history meets the same version many times)."""
    label = f"{shown_rev or rev}:{path}"
    with tempfile.TemporaryDirectory(prefix="kpilang-rev-") as tmp:
        root = Path(tmp)
        mirrored = _materialise(repo, rev, path, root)
        if not mirrored:
            return Compiled(label, None, missing=True)
        files = [p for p in mirrored if posixpath.basename(p) not in CONFIG_FILES]
        key = (path, tuple(sorted(mirrored.items())))
        if cache is not None and key in cache:
            return cache[key]
        result = compile_file(root / path, tree=root)
        rename = {name: _renamed(name, root, shown_rev or rev) for name in result.sources}
        sources = {rename[k]: v for k, v in result.sources.items()}
        diagnostics = [_rename_diagnostic(d, rename, root, shown_rev or rev) for d in result.diagnostics]
        # the program keeps the temporary names: its spans and `sources` agree, which is all that
        # showing a formula needs, and the folder's removal does not touch the texts it holds
        compiled = Compiled(label, result.program, diagnostics, sources, tuple(files))
        if cache is not None:
            cache[key] = compiled
        return compiled


def _materialise(repo: Path, rev: str, path: str, dest: Path) -> dict[str, tuple[str, bytes]]:
    """Mirror below `dest` the plan `path`, what it imports (transitively) and the configuration
    files that count for it, as they are at `rev`: files with their bytes, symbolic links as
    links, folders as folders, and a file larger than an import may be as an empty file of its
    size. So the compiler's import rules judge the mirror as they judge a checkout (a link out
    of the revision's files is refused, not followed into the machine's), and nothing an import
    may not read is read from git. Path → (what it is, its bytes or link) for each entry
    written; empty when `path` is not there."""
    text = show_blob(repo, rev, path)
    if text is None:
        return {}
    written: dict[str, tuple[str, bytes]] = {}
    _write_file(dest, path, text.encode("utf-8"), written)
    for config, entry in tree_entries(repo, rev, _config_candidates(path)).items():
        if entry.is_file and (entry.size or 0) <= IMPORT_SIZE_LIMIT:
            _write_file(dest, config, blob_bytes(repo, rev, config) or b"", written)
    wave = _imports_of(path, text)
    while wave:  # breadth first, one wave of imports at a time: one `git ls-tree` for each wave
        entries = tree_entries(repo, rev, [p for p in dict.fromkeys(wave) if p not in written and not _outside(p)])
        following: list[str] = []
        for current in wave:
            if current in written or _outside(current):
                continue  # outside the revision's files: the compiler refuses it with its reason
            entry = entries.get(current)
            target = dest / current
            if entry is None:
                continue  # the compiler reports the missing import with its position
            target.parent.mkdir(parents=True, exist_ok=True)
            if entry.is_symlink:
                link = (blob_bytes(repo, rev, current) or b"").decode("utf-8", "surrogateescape")
                os.symlink(link, target)
                written[current] = ("link", link.encode("utf-8", "surrogateescape"))
                following.append(posixpath.normpath(posixpath.join(posixpath.dirname(current), link)))
            elif not entry.is_file:
                target.mkdir(exist_ok=True)
                written[current] = ("folder", b"")
            elif not current.endswith(".kpi"):
                continue  # never read: the compiler refuses an import by its name
            elif (entry.size or 0) > IMPORT_SIZE_LIMIT:
                with open(target, "wb") as handle:
                    handle.truncate(entry.size or 0)
                written[current] = ("too large", str(entry.size).encode())
            else:
                data = blob_bytes(repo, rev, current) or b""
                _write_file(dest, current, data, written)
                following.extend(_imports_of(current, data.decode("utf-8", "replace")))
        wave = following
    return written


def _outside(path: str) -> bool:
    return path.startswith(("/", "../")) or path == ".."


def _write_file(dest: Path, path: str, data: bytes, written: dict[str, tuple[str, bytes]]) -> None:
    target = dest / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    written[path] = ("file", data)


def _config_candidates(path: str) -> list[str]:
    """The configuration files that may count for the plan `path`, from its folder up to the root."""
    folder, out = posixpath.dirname(path), []
    while True:
        out.extend(posixpath.join(folder, name) for name in CONFIG_FILES)
        if not folder:
            return out
        folder = posixpath.dirname(folder)


def _imports_of(path: str, text: str) -> list[str]:
    return [posixpath.normpath(posixpath.join(posixpath.dirname(path), imported)) for imported in _IMPORT.findall(text)]


_IMPORT = re.compile(r'\bimport\s+(?:[^\W\d]\w*\s+)?"([^"\\\n]*)"')
"""An `import "path"` or `import members "path"` (a team's plans) anywhere in the text. Parsing
each version only to find its imports would double the cost of walking a history; a match inside
a comment or a string only writes a file the compiler then ignores, and no real import is missed."""


def _renamed(name: str, root: Path, rev: str) -> str:
    """`REV:path` for a file the compiler names below the temporary `root` (absolutely, or
    relative to the working folder when that holds it)."""
    try:
        return f"{rev}:{Path(name).resolve().relative_to(root.resolve()).as_posix()}"
    except ValueError:
        return name


def _below_root(name: str, root: Path, rev: str) -> str:
    """`REV:path` for a path a message names below the temporary `root`, its links not followed
    (an import refused for where its link points is named by the link)."""
    for base in (root, root.resolve()):
        if name.startswith(f"{base}{os.sep}"):  # as written, `..` kept: a way out is named as taken
            return f"{rev}:{Path(name[len(str(base)) + 1:]).as_posix()}"
        try:
            return f"{rev}:{Path(os.path.abspath(name)).relative_to(base).as_posix()}"
        except ValueError:
            continue
    return name


def _rename_diagnostic(d: Diagnostic, rename: dict[str, str], root: Path, rev: str) -> Diagnostic:
    """`d` with the temporary folder's names said as `REV:path`: in its spans, and in the
    files and folders its sentences name."""
    renamed = _rename_model(d, rename, lambda name: _below_root(name, root, rev))
    said = {}  # `message` and `help` are the English of the texts: said again when those changed
    if renamed.text is not d.text and renamed.text is not None:
        said["message"] = str(renamed.text)
    if renamed.help_text is not d.help_text and renamed.help_text is not None:
        said["help"] = str(renamed.help_text)
    return renamed.model_copy(update=said) if said else renamed


def _rename_text(value, below: Callable[[str], str]):
    if isinstance(value, Text):
        args = tuple((key, _rename_text(item, below)) for key, item in value.args)
        return Text(value.key, args) if args != value.args else value
    if isinstance(value, str):
        return below(value)
    return value


def _rename_model(value, rename: dict[str, str], below: Callable[[str], str]):
    if isinstance(value, Span):
        return value.model_copy(update={"file": rename.get(value.file, value.file)})
    if isinstance(value, Text):
        return _rename_text(value, below)
    if isinstance(value, BaseModel):
        updates = {}
        for key in type(value).model_fields:
            item = getattr(value, key)
            new = _rename_model(item, rename, below)
            if new is not item:
                updates[key] = new
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, tuple | list):
        items = [_rename_model(v, rename, below) for v in value]
        if any(a is not b for a, b in zip(items, value)):
            return type(value)(items)
        return value
    if isinstance(value, dict):
        items = {k: _rename_model(v, rename, below) for k, v in value.items()}
        if any(items[k] is not value[k] for k in value):
            return items
        return value
    return value
