"""How long the fuzzers run: a bounded run in every `pytest` (CI), a long one on demand.

The bounded counts are tuned so that all of tests/fuzz takes about two minutes on a 2-core CI
machine. The long runs (`pytest -m slow tests/fuzz`) take `KPILANG_FUZZ_EXAMPLES` examples per
fuzzer (default 1000); their figures are in docs/fuzzing.md.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def bounded(examples: int) -> settings:
    """The CI run: `examples` random cases (and the explicit examples) per property."""
    return settings(max_examples=examples, deadline=None, suppress_health_check=_QUIET)


def long_run() -> settings:
    """The long run: as many cases as `KPILANG_FUZZ_EXAMPLES` says."""
    return settings(max_examples=int(os.environ.get("KPILANG_FUZZ_EXAMPLES", "1000")), deadline=None,
                    suppress_health_check=_QUIET)
