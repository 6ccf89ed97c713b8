"""Real git repositories in temporary folders, with commit dates chosen by the test."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .plans import PlanText


class GitRepo:
    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Руководитель продаж")
        self.git("config", "user.email", "head@example.com")
        self.git("config", "commit.gpgsign", "false")
        self.git("config", "core.hooksPath", "/dev/null")  # no hooks from the machine's own config

    def git(self, *args: str, when: str | None = None) -> str:
        env = {**os.environ, "LC_ALL": "C"}
        for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
            env.pop(key, None)
        if when is not None:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
        done = subprocess.run(["git", *args], cwd=self.path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"git {args}: {done.stderr}"
        return done.stdout

    def write(self, rel: str, text: str) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def read(self, rel: str) -> PlanText:
        return PlanText((self.path / rel).read_text(encoding="utf-8"))

    def commit(self, message: str, when: str) -> str:
        """Commit everything with author and committer date `when` (`2026-08-12T10:00:00+03:00`)."""
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, when=when)
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()
