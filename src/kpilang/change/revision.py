"""A plan as it was at a git revision: its file and the library files it imports, read from that
same revision, compiled.

The compiler reads imports from disk, so the files are written into a temporary folder that
mirrors the repository's layout; diagnostics are then renamed back to `REV:path`.
"""

from __future__ import annotations

import posixpath
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from kpilang.change.git import show_blob
from kpilang.compile import PlanFileError, Program, compile_file
from kpilang.diagnostics import Diagnostic, Severity, Span, render_text, sort_key


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
        texts = _materialise(repo, rev, path, root)
        if not texts:
            return Compiled(label, None, missing=True)
        files = list(texts)
        key = (path, tuple(sorted(texts.items())))
        if cache is not None and key in cache:
            return cache[key]
        result = compile_file(root / path)
        rename = {name: _renamed(name, root, shown_rev or rev) for name in result.sources}
        sources = {rename[k]: v for k, v in result.sources.items()}
        diagnostics = [_rename_diagnostic(d, rename) for d in result.diagnostics]
        # the program keeps the temporary names: its spans and `sources` agree, which is all that
        # showing a formula needs, and the folder's removal does not touch the texts it holds
        compiled = Compiled(label, result.program, diagnostics, sources, tuple(files))
        if cache is not None:
            cache[key] = compiled
        return compiled


def _materialise(repo: Path, rev: str, path: str, dest: Path) -> dict[str, str]:
    """Write `path` and, transitively, what it imports at `rev` below `dest`; path → text of
    each file written (empty when `path` is not there)."""
    written: dict[str, str] = {}
    queue = [path]
    while queue:
        current = queue.pop(0)
        if current in written or current.startswith("../"):
            continue
        text = show_blob(repo, rev, current)
        if text is None:
            if current == path:
                return {}
            continue  # the compiler reports the missing import with its position
        target = dest / current
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written[current] = text
        for imported in _IMPORT.findall(text):
            queue.append(posixpath.normpath(posixpath.join(posixpath.dirname(current), imported)))
    return written


_IMPORT = re.compile(r'\bimport\s+"([^"\\\n]*)"')
"""An `import "path"` anywhere in the text. Parsing each version only to find its imports would
double the cost of walking a history; a match inside a comment or a string only writes a file
the compiler then ignores, and no real import is missed."""


def _renamed(name: str, root: Path, rev: str) -> str:
    """`REV:path` for a file the compiler names below the temporary `root` (absolutely, or
    relative to the working folder when that holds it)."""
    try:
        return f"{rev}:{Path(name).resolve().relative_to(root.resolve()).as_posix()}"
    except ValueError:
        return name


def _rename_diagnostic(d: Diagnostic, rename: dict[str, str]) -> Diagnostic:
    return _rename_model(d, rename)


def _rename_model(value, rename: dict[str, str]):
    if isinstance(value, Span):
        return value.model_copy(update={"file": rename.get(value.file, value.file)})
    if isinstance(value, BaseModel):
        updates = {}
        for key in type(value).model_fields:
            item = getattr(value, key)
            new = _rename_model(item, rename)
            if new is not item:
                updates[key] = new
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, tuple | list):
        items = [_rename_model(v, rename) for v in value]
        if any(a is not b for a, b in zip(items, value)):
            return type(value)(items)
        return value
    if isinstance(value, dict):
        items = {k: _rename_model(v, rename) for k, v in value.items()}
        if any(items[k] is not value[k] for k in value):
            return items
        return value
    return value
