"""bench/fuzz.py (the parse/compile/fmt fuzzer and its mutators) loaded as a module, once."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@cache
def bench_fuzz():
    spec = importlib.util.spec_from_file_location("kpilang_bench_fuzz", ROOT / "bench" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
