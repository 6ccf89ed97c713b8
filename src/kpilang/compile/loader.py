"""Reading a plan file and the library files it imports (relative paths, cycles reported; which
files an import may read is `import_scope`'s to say)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kpilang.compile.import_scope import ImportRefused, ImportScope, read_import
from kpilang.diagnostics import Diagnostic, Note, Severity, Span
from kpilang.messages import Text, t
from kpilang.syntax import ast
from kpilang.syntax.parser import parse


@dataclass
class SourceSet:
    """The parsed modules of one plan: the root file first, imports after, each once."""

    modules: list[ast.Module] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    imported: set[str] = field(default_factory=set)
    """Files reached through `import` (library files: no plan allowed)."""
    scope: ImportScope | None = None
    """What the plan's imports may read (an `import members` plan is read under the same rules)."""


def display_path(path: Path) -> str:
    """A path as the user would write it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, RuntimeError):  # RuntimeError: a circle of symbolic links
        return str(path)


class PlanFileError(Exception):
    """A plan file that cannot be read as text. `text` says which file and why, in catalog words
    (said in the reader's language); `reason` is the part after the file's name, for a message
    that names the file itself; `missing` tells a file that is not there from one that cannot be
    read."""

    def __init__(self, text: Text, reason: str | Text, missing: bool = False):
        super().__init__(str(text))
        self.text = text
        self.reason = reason
        self.missing = missing


def read_plan_file(path: Path) -> str:
    """The text of a plan file exactly as stored (line ends as they are), or PlanFileError: the
    operating system's reason it cannot be read (its own words, passed on as they are), or where
    its bytes stop being UTF-8 (line:column of the first bad byte and its 1-based byte offset)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise _cannot_read(path, err) from None
    return _plan_text(path, data)


def _cannot_read(path: Path, err: OSError) -> PlanFileError:
    reason = err.strerror or str(err)
    return PlanFileError(t("plan-file.cannot-read", path=display_path(path), reason=reason), reason,
                         missing=isinstance(err, FileNotFoundError))


def _plan_text(path: Path, data: bytes) -> str:
    """`data` as UTF-8 text, or PlanFileError saying where its bytes stop being UTF-8 (never
    what they hold)."""
    shown = display_path(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[:err.start]  # valid UTF-8: decoding stopped at the first bad byte
        line_start = before.rfind(b"\n") + 1
        where = {"line": before.count(b"\n") + 1, "column": len(before[line_start:].decode("utf-8")) + 1,
                 "byte": err.start + 1}
        raise PlanFileError(t("plan-file.not-utf8", path=shown, **where), t("plan-file.not-utf8-reason", **where)) \
            from None


def universal_newlines(text: str) -> str:
    """Line ends as a text-mode read gives them (CR LF and a lone CR become LF): spans count lines so."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_sources(path: str | Path, text: str | None = None, tree: Path | None = None) -> SourceSet:
    """Parse `path` (or `text` given for it) and, depth first, every file it imports. Raises
    PlanFileError when `path` itself cannot be read; an import that cannot be read is an error
    (E0205) at the import, and one outside the plan's project, or not a regular `.kpi` file of
    a library's size, is refused unread (E0209). `tree` is the folder holding a git revision's
    files when the plan is read from one: imports stay inside it."""
    result = SourceSet()
    root = Path(path)
    scope = result.scope = ImportScope(root, display_path(root.resolve().parent), tree)
    _load(root, result, scope, stack=[], via=None, text=text)
    return result


def _load(path: Path, result: SourceSet, scope: ImportScope, stack: list[tuple[str, Span | None]],
          via: Span | None, text: str | None = None) -> None:
    name = display_path(path)
    if any(name == entry for entry, _ in stack):
        cycle = [entry for entry, _ in stack[[e for e, _ in stack].index(name):]] + [name]
        assert via is not None
        result.diagnostics.append(Diagnostic(
            code="E0206", name="import-cycle", severity=Severity.ERROR,
            message=t("E0206.message", cycle=" → ".join(cycle)), span=via, help=t("E0206.help"),
        ))
        return
    if name in result.sources:
        return
    if text is None:
        text = read_plan_file(path) if via is None else imported_text(path, name, scope, via, result)
        if text is None:
            return
        text = universal_newlines(text)
    result.sources[name] = text
    module, diags = parse(text, name)
    result.diagnostics.extend(diags)
    if module is None:
        return
    result.modules.append(module)
    if via is not None:
        result.imported.add(name)
    for item in module.items:
        if isinstance(item, ast.Import) and item.members is None:  # a plan of members: compile.members
            target = (path.parent / item.path)
            _load(target, result, scope, stack + [(name, via)], item.span)


def imported_text(path: Path, name: str, scope: ImportScope, via: Span, result: SourceSet) -> str | None:
    """The text of an imported file, or None with the error said at the import (`via`)."""
    try:
        return _plan_text(path, read_import(path, scope))
    except ImportRefused as refused:
        result.diagnostics.append(Diagnostic(
            code="E0209", name="import-refused", severity=Severity.ERROR,
            message=t("E0209.message", name=name, reason=refused.reason), span=via, help=refused.help,
        ))
    except OSError as err:
        result.diagnostics.append(_not_read(_cannot_read(path, err), name, via))
    except PlanFileError as err:
        result.diagnostics.append(_not_read(err, name, via))
    return None


def _not_read(err: PlanFileError, name: str, via: Span) -> Diagnostic:
    return Diagnostic(code="E0205", name="import-not-found", severity=Severity.ERROR,
                      message=t("E0205.message", name=name, reason=err.reason), span=via, help=t("E0205.help"))


def import_note(span: Span, message: str) -> Note:
    return Note(span=span, message=message)
