"""The meaning fingerprint of a plan: one hash per meaning, whatever the layout.

It is the SHA-256 of a canonical JSON of `Program.dump_meaning()`: keys sorted, no white space,
UTF-8, numbers as canonical decimal strings. So reformatting, comments, labels, the goal's wording,
declaration order and the spelling of a number (`1_000` / `1000`, `0.50` / `0.5`, `50%` / `0.5`,
`1m` / `60s`) leave it unchanged, while any change to a formula, target, weight, cap, band, pay
or plan field (effective date included) changes it. Imported library files are part of the
program, so changing a library changes the fingerprint of every plan that imports it.

What it does not do is algebra: `a + b` and `b + a` are different texts and different
fingerprints, although they compute the same figures.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from kpilang.compile.program import Program

FINGERPRINT_VERSION = 1
"""Raised whenever the canonical form changes, so that old and new hashes are never compared as
if they were made the same way."""


def canonical_json(meaning: dict[str, Any]) -> str:
    return json.dumps(meaning, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def fingerprint(program: Program) -> str:
    """The SHA-256 (hex) of the plan's meaning."""
    payload = canonical_json({"kpilang_meaning": FINGERPRINT_VERSION, **program.dump_meaning()})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
