"""Template libraries: folders of ready plans that nobody is paid by.

A folder holding `kpilang-templates.toml` (and every folder below it) keeps templates: their
`effective` dates are examples for whoever copies them (`kpilang init`), not dates from which
someone's pay is computed. The cadence gate walks and lists their history as any plan's, but of
its rules only one holds for a template: its newest version must compile, since `kpilang init`
hands it out. The marker is looked for in the working tree, so a library is judged as templates
over its whole history once the marker is committed.
"""

from __future__ import annotations

from pathlib import Path

MARKER = "kpilang-templates.toml"
TEMPLATE_RULES = frozenset({"does-not-compile"})
"""The cadence rules that hold for a template."""


def is_template(repo: Path, path: str) -> bool:
    """Whether the plan at repository path `path` lies in a template library."""
    folder = (repo / path).parent
    top = repo.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / MARKER).is_file():
            return True
        if candidate.resolve() == top:
            return False
    return False
