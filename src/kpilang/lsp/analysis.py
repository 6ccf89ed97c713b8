"""One open plan as the editor holds it: its parsed modules, its program and its findings.

The text is the editor's (saved or not); imports are read from disk, as `kpilang lint` reads
them. The findings are `kpilang lint`'s own: the compile diagnostics, then every check the
configuration that counts for the file (`[tool.kpilang]` or kpilang.toml) enables, after the
plan's ignore comments. The parsed modules are kept beside the findings, so that hover, go to
definition and completion read the same parse instead of parsing again.

The configuration is read again when its file changes on disk (the command line reads it once
per run; a server runs for hours while someone edits it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kpilang.compile.compiler import compile_sources
from kpilang.compile.loader import display_path, load_sources
from kpilang.compile.program import Program
from kpilang.diagnostics import Diagnostic, sort_key
from kpilang.lint import check_compiled
from kpilang.lint.config import ConfigError, LintConfig, find_config, parse_config
from kpilang.messages import Text
from kpilang.syntax import ast


@dataclass
class Analysis:
    path: Path
    file: str
    """The root file's name as its spans carry it (`display_path`)."""
    text: str
    modules: list[ast.Module]
    """The root module first, then the imported ones; empty when the root does not parse."""
    sources: dict[str, str]
    program: Program | None
    diagnostics: list[Diagnostic]
    config_error: Text | None = None
    """Why the configuration cannot be used (the checks then run with the defaults)."""

    @property
    def root(self) -> ast.Module | None:
        return self.modules[0] if self.modules and self.modules[0].file == self.file else None


def analyse(path: Path, text: str) -> Analysis:
    """Compile and lint `text` as the content of `path`."""
    sources = load_sources(path, text)
    compiled = compile_sources(sources)
    config, problem = _config(path)
    found = check_compiled(compiled, config) if compiled.program is not None else []
    return Analysis(path=path, file=display_path(path), text=text, modules=list(sources.modules),
                    sources=dict(compiled.sources), program=compiled.program,
                    diagnostics=sorted(compiled.diagnostics + found, key=sort_key), config_error=problem)


@dataclass
class _ConfigCache:
    entries: dict[Path, tuple[float, LintConfig | ConfigError]] = field(default_factory=dict)

    def get(self, path: Path) -> LintConfig:
        stamp = path.stat().st_mtime
        cached = self.entries.get(path)
        if cached is None or cached[0] != stamp:
            try:
                value: LintConfig | ConfigError = parse_config(path)
            except ConfigError as err:
                value = err
            self.entries[path] = cached = (stamp, value)
        if isinstance(cached[1], ConfigError):
            raise cached[1]
        return cached[1]


_configs = _ConfigCache()


def _config(plan: Path) -> tuple[LintConfig, Text | None]:
    """The configuration that counts for `plan`, and why it cannot be used if it cannot."""
    try:
        found = find_config(plan)
        return (LintConfig() if found is None else _configs.get(found.resolve())), None
    except ConfigError as err:
        return LintConfig(), err.text
    except OSError:  # the file went away between finding and reading it
        return LintConfig(), None
