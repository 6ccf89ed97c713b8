"""docs/cli.md stays the truth: every command and option of the click app is described there, and
every example shows what the command prints today.

The examples run in a folder set up as the page says: a copy of examples/, and a git repository
holding `mistake.kpi` (examples/cold_sales/cold_sales.kpi committed on 10 June 2026, then with
revenue_plan's weight lowered from 50% to 40% on 15 July 2026). Blocks that begin with
`$ kpilang …` are compared whole with standard output followed by standard error; a block after
`<!-- excerpt: COMMAND; PATH -->` is the JSON found at PATH (`data_problems[1]`,
`results[1].errors[0]`) in what COMMAND prints. With the suite's golden switch
(`KPILANG_UPDATE_GOLDEN=1` or `--update-golden`) the page is rewritten instead.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import HOW_TO_UPDATE, update_golden
from kpilang.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cli.md"
MISTAKE_FIRST = "2026-06-10T10:00:00+03:00"
MISTAKE_SECOND = "2026-07-15T10:00:00+03:00"

_FENCE = re.compile(r"(?P<marker><!-- excerpt: (?P<source>[^;]+); (?P<path>[^ ]+) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)```",
                    re.S)


def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


def _commands() -> dict[str, click.Command]:
    """Every command, a group's as `GROUP SUBCOMMAND`."""
    ctx = click.Context(main)
    found = {}
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        if isinstance(command, click.Group):
            found.update({f"{name} {sub}": command.get_command(ctx, sub) for sub in command.list_commands(ctx)})
        else:
            found[name] = command
    return found


def _documented(text: str, name: str) -> str:
    """The name of the section that documents a command: its own (`data check`), or its group's
    when the group's subcommands share one (`pull` for `pull bitrix24` and `pull amocrm`)."""
    if re.search(rf"^## `kpilang {name}`$", text, flags=re.M) or " " not in name:
        return name
    return name.split()[0]


def _section(text: str, name: str) -> str:
    name = _documented(text, name)
    match = re.search(rf"^## `kpilang {name}`\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    assert match, f"docs/cli.md has no section `## \\`kpilang {name}\\``"
    return match.group(1)


def test_every_command_has_a_section_with_each_option_and_argument():
    text = _page()
    commands = _commands()
    assert set(commands) == {"lint", "fmt", "test", "eval", "explain", "hash", "diff", "cadence", "init", "data check",
                             "pull bitrix24", "pull amocrm", "compare", "report", "lsp"}
    for name, command in commands.items():
        section = _section(text, name)
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in param.opts + param.secondary_opts:
                    assert f"`{opt}" in section, f"docs/cli.md: `kpilang {name}` does not describe {opt}"
                if isinstance(param.type, click.Choice):
                    for choice in param.type.choices:
                        assert f"`{param.opts[0]} {choice}`" in section or f"`{choice}`" in section, \
                            f"docs/cli.md: `kpilang {name}` does not describe {param.opts[0]} {choice}"
            else:
                assert param.human_readable_name.upper() in section, f"docs/cli.md: {name} {param.name} missing"
        assert "Exit status" in section and re.search(r"^\$ kpilang " + _documented(text, name), section, re.M), name


def test_every_command_is_in_the_synopsis_list():
    text = _page()
    head = text.split("\n## ", 1)[0]
    for name in _commands():
        assert f"(#kpilang-{_documented(text, name).replace(' ', '-')})" in head


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The folder the page's examples run in."""
    work = tmp_path_factory.mktemp("cli-docs")
    shutil.copytree(ROOT / "examples" / "cold_sales", work / "examples" / "cold_sales")
    shutil.copytree(ROOT / "examples" / "demo", work / "examples" / "demo")
    plan = (ROOT / "examples" / "cold_sales" / "cold_sales.kpi").read_text(encoding="utf-8")
    env = {**os.environ, "LC_ALL": "C"}
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)

    def git(*args: str, when: str | None = None) -> None:
        dated = {**env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else env
        done = subprocess.run(["git", *args], cwd=work, env=dated, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr

    git("init", "-q", "-b", "main")
    git("config", "user.name", "Head of sales")
    git("config", "user.email", "head@example.com")
    git("config", "commit.gpgsign", "false")
    git("config", "core.hooksPath", "/dev/null")
    (work / "mistake.kpi").write_text(plan, encoding="utf-8")
    git("add", "mistake.kpi")
    git("commit", "-q", "-m", "Cold sales plan, in force from July", when=MISTAKE_FIRST)
    assert plan.count("weight 50%") == 1
    (work / "mistake.kpi").write_text(plan.replace("weight 50%", "weight 40%"), encoding="utf-8")
    git("add", "mistake.kpi")
    git("commit", "-q", "-m", "Less weight on revenue", when=MISTAKE_SECOND)
    return work


def _run(folder: Path, command: str, monkeypatch) -> tuple[list[str], str]:
    """What a terminal shows for `command` run in `folder` (standard output, then standard error),
    and the standard output alone."""
    args = shlex.split(command)
    assert args[0] == "kpilang"
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, args[1:], catch_exceptions=False)
    lines = []
    for stream in (result.stdout, result.stderr):
        if stream:
            lines += [line.rstrip() for line in stream.rstrip("\n").split("\n")]
    return lines, result.stdout


def _examples() -> list[tuple[str, str]]:
    found = []
    for match in _FENCE.finditer(_page()):
        body = match.group("body")
        if match.group("marker"):
            found.append(("excerpt", match.group(0)))
        elif body.startswith("$ kpilang "):
            found.append(("command", match.group(0)))
    return found


def _ids(examples):
    return [block.split("\n")[1][2:70] if kind == "command" else block.split("\n", 1)[0][14:-4]
            for kind, block in examples]


EXAMPLES = _examples()


def test_the_page_has_an_example_for_every_command():
    shown = {re.match(r"```\w*\n\$ kpilang (\w+(?: check)?)", b).group(1) for k, b in EXAMPLES if k == "command"}
    text = _page()
    assert shown == {_documented(text, name) for name in _commands()}


def _replace(old: str, new: str) -> None:
    text = _page()
    assert text.count(old) == 1, "an example block appears twice in docs/cli.md"
    PAGE.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("kind, block", EXAMPLES, ids=_ids(EXAMPLES))
def test_example_output_is_current(kind, block, folder, monkeypatch):
    match = _FENCE.match(block)
    if kind == "command":
        command, *shown = match.group("body").rstrip("\n").split("\n")
        printed, _ = _run(folder, command[2:], monkeypatch)
        new_body = "\n".join([command, *printed]) + "\n"
    else:
        _, out = _run(folder, match.group("source"), monkeypatch)
        value = json.loads(out)
        for key, index in re.findall(r"(\w+)(?:\[(\d+)\])?", match.group("path")):
            value = value[key] if index == "" else value[key][int(index)]
        shown = match.group("body").rstrip("\n").split("\n")
        printed = json.dumps(value, ensure_ascii=False, indent=1).split("\n")
        new_body = "\n".join(printed) + "\n"
    if update_golden() and shown != printed:
        start = block.index("```")
        _replace(block, block[:start] + f"```{match.group('lang')}\n{new_body}```")
        return
    assert printed, "an example that prints nothing proves nothing"
    assert shown == printed, f"docs/cli.md: the example `{block.splitlines()[0]}` is out of date; {HOW_TO_UPDATE}"
