"""Standard output that cannot take the results: a closed pipe ends a command quietly with status
141 (as a Unix tool stopped by SIGPIPE), a full device with one line on stderr and status 2;
never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NORMATIVE

PLAN = str(NORMATIVE / "cold_sales.kpi")
DATA = str(NORMATIVE / "data")

COMMANDS = {
    "lint": ["lint", PLAN, "--format", "json"],
    "eval table": ["eval", PLAN, "--data", DATA, "--period", "2026-07"],
    "eval csv": ["eval", PLAN, "--data", DATA, "--period", "2026-07", "--format", "csv"],
    "explain": ["explain", PLAN, "--data", DATA, "--period", "2026-07"],
    "test": ["test", PLAN],
    "diff": ["diff", PLAN, PLAN],
    "help": ["--help"],
}


def _run(args: list[str], stdout) -> subprocess.CompletedProcess:
    env = {**os.environ, "KPILANG_LANG": "en"}
    env.pop("CI", None)
    return subprocess.run([sys.executable, "-m", "kpilang", *args], stdout=stdout, stderr=subprocess.PIPE,
                          env=env, timeout=120)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_closed_pipe_ends_the_command_quietly_with_status_141(command):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    try:
        done = _run(COMMANDS[command], write)
    finally:
        os.close(write)
    assert done.returncode == 141
    assert b"Traceback" not in done.stderr
    assert b"Broken pipe" not in done.stderr and b"BrokenPipe" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_device_is_one_line_on_stderr_and_status_2(command):
    with open("/dev/full", "w") as full:
        done = _run(COMMANDS[command], full)
    assert done.returncode == 2
    lines = [line for line in done.stderr.decode().splitlines()
             if line.startswith("error:") or "Traceback" in line or "Error" in line]
    assert lines == ["error: cannot write the results to standard output: No space left on device"], done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_the_message_speaks_the_commands_language():
    with open("/dev/full", "w") as full:
        done = _run(["lint", PLAN, "--format", "json", "--lang", "ru"], full)
    assert done.returncode == 2
    assert "ошибка: не удаётся записать результаты в стандартный вывод" in done.stderr.decode()
