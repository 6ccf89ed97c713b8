"""The `lsp_session` fixture: `kpilang lsp` started in a folder, shut down after the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_session import LspSession


@pytest.fixture
def lsp_session():
    """Start `kpilang lsp` (with the given arguments) in a folder; every session is shut down."""
    sessions = []

    def start(cwd: Path, *args: str) -> LspSession:
        sessions.append(LspSession(cwd, *args))
        return sessions[-1]

    yield start
    for session in sessions:
        session.close()
