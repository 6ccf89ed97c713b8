"""A release the examples can pin: the version of pyproject.toml heads the CHANGELOG, the
pre-commit example's `rev:` and the CI workflow's pinned install name it, a tag of that version (if
this repository has one) is on a commit of that version, and `kpilang --version` says which
grammar and message catalogs the build runs with."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main

ROOT = Path(__file__).resolve().parents[1]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_the_changelog_describes_the_version_of_pyproject_first():
    headings = re.findall(r"^## (\d+\.\d+\.\d+)\b", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), flags=re.M)
    assert headings and headings[0] == VERSION


@pytest.mark.parametrize("page", [".pre-commit-hooks.yaml", "docs/ci.md"])
def test_the_pre_commit_example_pins_the_release(page):
    pins = re.findall(r"rev: (\S+)", (ROOT / page).read_text(encoding="utf-8"))
    assert pins and set(pins) == {f"v{VERSION}"}


@pytest.mark.parametrize("page", ["docs/ci/github-workflow.yml", "README.md"])
def test_the_install_examples_pin_the_release(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    installs = re.findall(r"pip install (.+)", text)
    assert installs
    pinned = [line for line in installs if "git+" in line]
    assert pinned and all(line.rstrip('"').endswith(f"@v{VERSION}") for line in pinned)
    if page.endswith(".yml"):  # CI must never check with whatever an index happens to hold
        assert not [line for line in installs if line.strip() == "kpilang"]


def test_a_release_tag_in_this_repository_is_on_a_commit_of_its_version():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout")
    tags = subprocess.run(["git", "tag", "--list", "v*"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    for tag in tags:
        shown = subprocess.run(["git", "show", f"{tag}:pyproject.toml"], cwd=ROOT, capture_output=True, text=True)
        assert shown.returncode == 0, tag
        assert tomllib.loads(shown.stdout)["project"]["version"] == tag[1:], f"{tag} is not on its version's commit"


def test_version_names_the_grammar_and_the_catalogs_by_their_bytes():
    result = CliRunner().invoke(main, ["--version"], prog_name="kpilang")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"kpilang {VERSION}"
    grammar = hashlib.sha256((ROOT / "grammar" / "kpilang.lark").read_bytes()).hexdigest()[:12]
    assert lines[1] == f"grammar {grammar}"
    catalogs = {}
    for lang in ("en", "ru"):
        texts = [ROOT / "src" / "kpilang" / "messages" / f"{lang}.toml",
                 ROOT / "src" / "kpilang" / "explain" / "messages" / f"{lang}.toml"]
        catalogs[lang] = hashlib.sha256(b"".join(p.read_bytes() for p in texts)).hexdigest()[:12]
    assert lines[2] == f"catalogs en {catalogs['en']}, ru {catalogs['ru']}"


def test_the_package_is_marked_typed():
    assert (ROOT / "src" / "kpilang" / "py.typed").is_file()
