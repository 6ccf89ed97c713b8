from __future__ import annotations

import pytest

from .gitrepo import GitRepo
from .plans import BASE

PLAN = "rules/cold_sales.kpi"


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    """A repository whose first commit (10 June 2026, Moscow) holds the normative plan, effective
    1 July 2026."""
    git = GitRepo(tmp_path / "repo")
    git.write(PLAN, BASE)
    git.commit("Cold sales plan", "2026-06-10T10:00:00+03:00")
    return git
