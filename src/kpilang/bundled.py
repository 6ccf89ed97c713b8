"""Where the files that come with kpilang live: the ready plans (`rules/`, with their library)
and the demo dataset.

Both are found in an installed wheel (package data `kpilang/rules` and `kpilang/demo`) and in a
source checkout (`rules/` and `examples/demo/` at the top level).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def _packaged(name: str) -> Path | None:
    # Package data of an installed wheel: a real directory beside the modules.
    candidate = Path(str(resources.files("kpilang").joinpath(name)))
    return candidate if candidate.is_dir() else None


def rules_dir() -> Path:
    """The ready plans: `kpilang/rules` in an installed wheel, `rules/` in a source checkout."""
    return _packaged("rules") or _SOURCE_ROOT / "rules"


def demo_data_dir() -> Path:
    """The demo dataset: `kpilang/demo` in an installed wheel, `examples/demo/` in a checkout."""
    return _packaged("demo") or _SOURCE_ROOT / "examples" / "demo"


def docs_dir() -> Path | None:
    """The documentation (`docs/`, with the checks' pages) of a source checkout; None in an
    installed wheel, which does not ship it."""
    folder = _SOURCE_ROOT / "docs"
    return folder if folder.is_dir() else None
