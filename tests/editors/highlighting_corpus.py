"""The texts every highlighter must read without an error: each shipped plan (rules/, the
examples) and each kpilang code block of the docs and the README (```kpi and ```kpi-error blocks,
and the unmarked blocks that the parser reads as a plan)."""

from __future__ import annotations

import re
from pathlib import Path

from kpilang.syntax.parser import parse

ROOT = Path(__file__).resolve().parents[2]
_FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```$", re.S | re.M)
_DECLARATION = re.compile(r"^(plan|metric|kpi|pay|table|import|test)\s", re.M)


def plans() -> dict[str, str]:
    files = sorted([*ROOT.joinpath("rules").rglob("*.kpi"), *ROOT.joinpath("examples").rglob("*.kpi")])
    return {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in files}


def doc_blocks() -> dict[str, str]:
    found = {}
    for page in sorted([ROOT / "README.md", *ROOT.joinpath("docs").rglob("*.md")]):
        text = page.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            body, lang = match.group("body"), match.group("lang")
            marked = lang in ("kpi", "kpi-error", "kpilang")
            if marked or (lang == "" and _DECLARATION.search(body) and parse(body)[0] is not None):
                found[f"{page.relative_to(ROOT)}:{text[:match.start()].count(chr(10)) + 1}"] = body
    return found


def corpus() -> dict[str, str]:
    return {**plans(), **doc_blocks()}
