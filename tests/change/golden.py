"""Golden files for rendered output: compared exactly, rewritten when KPILANG_UPDATE_GOLDEN=1.

Review the rewritten files in the diff before committing them: they are what users read.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    assert text.strip(), f"refusing an empty output as golden {name}"
    if os.environ.get("KPILANG_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; run with KPILANG_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"output differs from {path}; if the change is right, rerun with KPILANG_UPDATE_GOLDEN=1"
