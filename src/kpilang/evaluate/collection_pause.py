"""A pause of Python's cycle collector while a run builds many objects it keeps.

Evaluating ten thousand people and writing their report create hundreds of thousands of small
objects (each person's figures, the report's dicts and strings) that all live until the run ends.
Python's collector runs every few hundred new objects and, every so often, walks every object the
process holds, the plan's syntax tree and the loaded modules included: none of it garbage. On W1
that is about a tenth of a warm run (docs/benchmarks.md, round 5). While paused, reference
counting still frees every object as it is dropped; only reference cycles wait, and the collector
resumes (and finds them) when the pause ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector inside the block; a pause inside another changes nothing, and
    a collector the caller had already disabled stays disabled."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
