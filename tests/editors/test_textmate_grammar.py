"""The TextMate grammar of editors/vscode: current with the grammar's words, every pattern a
regular expression, and, tokenized as VS Code tokenizes (vscode-textmate on Oniguruma, from npm:
`.ci/run` installs them), no character of a shipped plan or a docs example left invalid or
unscoped."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from highlighting_corpus import ROOT, corpus

from kpilang.syntax.textmate import grammar, grammar_json

EXTENSION = ROOT / "editors" / "vscode"
GRAMMAR = EXTENSION / "syntaxes" / "kpilang.tmLanguage.json"


def test_the_shipped_grammar_is_written_from_the_current_vocabulary():
    assert GRAMMAR.read_text(encoding="utf-8") == grammar_json(), \
        "run: python -m kpilang.syntax.textmate editors/vscode/syntaxes/kpilang.tmLanguage.json"


def test_every_pattern_compiles_and_each_line_of_the_corpus_is_covered():
    """Without node: Python's regular expressions read these patterns as Oniguruma does (no
    construct that differs is used); every non-blank character of the corpus is matched by a
    pattern other than the catch-all `invalid.illegal`."""
    patterns = [(p.get("name", ""), re.compile(p["match"])) for p in grammar()["patterns"]]
    for name, text in corpus().items():
        for number, line in enumerate(text.split("\n"), start=1):
            at = 0
            while at < len(line):
                if line[at].isspace():
                    at += 1
                    continue
                scope, match = next((s, m) for s, p in patterns if (m := p.match(line, at)) and m.end() > at)
                assert not scope.startswith("invalid"), f"{name}:{number}:{at + 1}: {line[at:at + 20]!r}"
                at = match.end()


def test_the_extension_names_the_grammar_and_the_language():
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    grammar_entry = manifest["contributes"]["grammars"][0]
    assert (EXTENSION / grammar_entry["path"]).resolve() == GRAMMAR.resolve()
    assert grammar_entry["scopeName"] == grammar()["scopeName"]
    assert manifest["contributes"]["languages"][0]["extensions"] == [".kpi"]
    assert set(manifest["contributes"]["configuration"]["properties"]) == {"kpilang.command", "kpilang.lang"}


@pytest.mark.skipif(shutil.which("node") is None and os.environ.get("CI") != "true", reason="needs node")
@pytest.mark.parametrize(("lang", "args"), [("", ["lsp"]), ("ru", ["lsp", "--lang", "ru"])])
def test_the_extension_starts_kpilang_lsp_with_the_settings(lang, args):
    """extension.js run by node with stand-ins for VS Code's API and the client library."""
    done = subprocess.run(["node", "test/extension.test.js", lang], cwd=EXTENSION, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    assert made["serverOptions"]["run"] == {"command": "/project/.venv/bin/kpilang", "args": args, "transport": 0}
    assert {"scheme": "file", "language": "kpilang"} in made["clientOptions"]["documentSelector"]


def _node_ready() -> bool:
    return shutil.which("node") is not None and (EXTENSION / "node_modules" / "vscode-textmate").is_dir()


@pytest.mark.skipif(not _node_ready() and os.environ.get("CI") != "true",
                    reason="needs node and `npm ci` in editors/vscode (.ci/run does both)")
def test_vscode_textmate_finds_no_invalid_or_unscoped_character(tmp_path):
    files = []
    for index, (name, text) in enumerate(sorted(corpus().items())):
        path = tmp_path / f"{index:03}.kpi"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    bad = tmp_path / "bad.kpi"
    bad.write_text("pay x = salary @ 2\n", encoding="utf-8")
    done = subprocess.run(["node", "test/grammar.test.js", *files], cwd=EXTENSION, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["files"] == len(files) and report["tokens"] > 1000 and report["problems"] == []
    caught = subprocess.run(["node", "test/grammar.test.js", str(bad)], cwd=EXTENSION, capture_output=True, text=True)
    assert caught.returncode == 1 and json.loads(caught.stdout)["problems"][0]["text"] == "@"
