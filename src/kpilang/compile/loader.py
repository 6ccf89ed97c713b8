"""Reading a plan file and the library files it imports (relative paths, cycles reported)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kpilang.diagnostics import Diagnostic, Note, Severity, Span
from kpilang.messages import t
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


def display_path(path: Path) -> str:
    """A path as the user would write it: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load_sources(path: str | Path, text: str | None = None) -> SourceSet:
    """Parse `path` (or `text` given for it) and, depth first, every file it imports."""
    result = SourceSet()
    root = Path(path)
    _load(root, result, stack=[], via=None, text=text)
    return result


def _load(path: Path, result: SourceSet, stack: list[tuple[str, Span | None]], via: Span | None,
          text: str | None = None) -> None:
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
        try:
            text = read_text(path)
        except (OSError, UnicodeDecodeError) as err:
            # The operating system's own reason (its locale's words) is passed on as it is.
            reason = t("E0205.not-utf8") if isinstance(err, UnicodeDecodeError) else (err.strerror or str(err))
            if via is None:
                raise
            result.diagnostics.append(Diagnostic(
                code="E0205", name="import-not-found", severity=Severity.ERROR,
                message=t("E0205.message", name=name, reason=reason), span=via, help=t("E0205.help"),
            ))
            return
    result.sources[name] = text
    module, diags = parse(text, name)
    result.diagnostics.extend(diags)
    if module is None:
        return
    result.modules.append(module)
    if via is not None:
        result.imported.add(name)
    for item in module.items:
        if isinstance(item, ast.Import):
            target = (path.parent / item.path)
            _load(target, result, stack + [(name, via)], item.span)


def import_note(span: Span, message: str) -> Note:
    return Note(span=span, message=message)
