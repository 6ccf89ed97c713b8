"""An `import` reads only regular `.kpi` files of a library's size inside the plan's project (its
folder and below, the configured `import-roots`, the bundled library of ready plans), on disk and
in a git revision, and a refusal names the file and the reason without a word of its content."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.bundled import rules_dir
from kpilang.change.revision import compile_at
from kpilang.cli import main
from kpilang.compile import compile_file
from kpilang.compile.import_scope import IMPORT_SIZE_LIMIT
from kpilang.diagnostics import render_text
from tests.compile.test_errors import PLAN as PLAN_HEADER

PLAN = PLAN_HEADER + 'metric calls = count(activities where type = "call")\n'
SECRET = "SECRET-LINE-не-для-логов"
LIBRARY = 'metric leads_in = count(leads)\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """`project/` holds the plan; `outside/` beside it holds a file whose first line is a secret
    (valid kpilang would be quoted by an error, so a bare word is the worst case)."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.kpi").write_text(SECRET + "\n", encoding="utf-8")
    (tmp_path / "outside" / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def _compile_importing(project: Path, path: str):
    plan = project / "plan.kpi"
    plan.write_text(f'import "{path}"\n' + PLAN, encoding="utf-8")
    return compile_file(plan)


def _refusal(result, reason: str):
    """The one diagnostic of `result`: E0209 at the import's span, with `reason` and a help, and
    not a word of the secret in either language."""
    assert result.program is None
    (d,) = result.diagnostics
    assert (d.code, d.name, d.span.line, d.span.column) == ("E0209", "import-refused", 1, 1)
    assert d.span.file.endswith("plan.kpi")
    assert reason in d.message and d.help
    for lang in ("en", "ru"):
        shown = render_text(d, result.sources, lang)
        assert SECRET not in shown and "SECRET" not in shown
    return d


def test_an_absolute_path_outside_the_project_is_refused(project):
    target = project.parent / "outside" / "secret.kpi"
    d = _refusal(_compile_importing(project, str(target)), "outside the plan's project")
    assert "import-roots" in d.help
    assert "вне проекта плана" in d.localized("ru").message


def test_a_dotdot_escape_is_refused_but_a_library_may_import_upwards_inside_the_project(project):
    _refusal(_compile_importing(project, "../outside/secret.kpi"), "outside the plan's project")
    (project / "lib").mkdir()
    (project / "lib" / "a.kpi").write_text('import "../shared.kpi"\n', encoding="utf-8")
    (project / "shared.kpi").write_text(LIBRARY, encoding="utf-8")
    assert _compile_importing(project, "lib/a.kpi").program is not None


def test_a_symlink_out_of_the_project_is_refused_and_one_inside_followed(project):
    (project / "lib.kpi").symlink_to(project.parent / "outside" / "secret.kpi")
    _refusal(_compile_importing(project, "lib.kpi"), "outside the plan's project")
    (project / "lib").mkdir()
    (project / "lib" / "real.kpi").write_text(LIBRARY, encoding="utf-8")
    (project / "lib.kpi").unlink()
    (project / "lib.kpi").symlink_to(project / "lib" / "real.kpi")
    assert _compile_importing(project, "lib.kpi").program is not None


def test_dev_zero_is_refused_without_being_read(project):
    _refusal(_compile_importing(project, "/dev/zero"), "outside the plan's project")
    (project / "zero.kpi").symlink_to("/dev/zero")
    _refusal(_compile_importing(project, "zero.kpi"), "outside the plan's project")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_the_project_is_refused_without_waiting_for_a_writer(project):
    os.mkfifo(project / "pipe.kpi")
    _refusal(_compile_importing(project, "pipe.kpi"), "not a regular file")


def test_a_directory_is_refused(project):
    (project / "lib.kpi").mkdir()
    d = _refusal(_compile_importing(project, "lib.kpi"), "it is a folder")
    assert d.localized("ru").message.endswith("это папка")


def test_a_file_that_is_not_kpi_is_refused_unread(project):
    (project / "notes.txt").write_text(SECRET + "\n", encoding="utf-8")
    _refusal(_compile_importing(project, "notes.txt"), "not a `.kpi` file")
    (project / "notes.kpi").symlink_to(project / "notes.txt")
    _refusal(_compile_importing(project, "notes.kpi"), "not a `.kpi` file")


def test_an_oversized_file_is_refused_and_one_of_the_limit_read(project):
    (project / "big.kpi").write_text(SECRET + "\n" + "#" * IMPORT_SIZE_LIMIT, encoding="utf-8")
    d = _refusal(_compile_importing(project, "big.kpi"), f"more than the {IMPORT_SIZE_LIMIT}")
    assert str(IMPORT_SIZE_LIMIT + len(SECRET.encode()) + 1) in d.message
    (project / "lib.kpi").write_text(LIBRARY + "#" * (IMPORT_SIZE_LIMIT - len(LIBRARY)), encoding="utf-8")
    assert _compile_importing(project, "lib.kpi").program is not None


def test_a_configured_import_root_is_open_and_nothing_else_outside(project):
    shared = project.parent / "shared"
    shared.mkdir()
    (shared / "lib.kpi").write_text(LIBRARY, encoding="utf-8")
    (project / "kpilang.toml").write_text('import-roots = ["../shared"]\n', encoding="utf-8")
    assert _compile_importing(project, "../shared/lib.kpi").program is not None
    _refusal(_compile_importing(project, "../outside/secret.kpi"), "outside the plan's project")
    (project / "kpilang.toml").unlink()
    (project / "pyproject.toml").write_text('[tool.kpilang]\nimport-roots = ["../shared"]\n', encoding="utf-8")
    assert _compile_importing(project, "../shared/lib.kpi").program is not None


def test_a_broken_import_roots_value_is_said_in_the_refusal(project):
    (project / "kpilang.toml").write_text('import-roots = "../outside"\n', encoding="utf-8")
    d = _refusal(_compile_importing(project, "../outside/secret.kpi"), "configuration that could allow it")
    assert "import-roots: expected a list of folders" in d.message


# ---- in a git revision -----------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "LC_ALL": "C", "GIT_AUTHOR_DATE": "2026-06-10T10:00:00+03:00",
           "GIT_COMMITTER_DATE": "2026-06-10T10:00:00+03:00"}
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                    "-c", "core.hooksPath=/dev/null", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(project: Path) -> Path:
    _git(project, "init", "-q", "-b", "main")
    (project / "rules").mkdir()
    return project


def _commit_plan(repo: Path, import_path: str) -> None:
    (repo / "rules" / "plan.kpi").write_text(f'import "{import_path}"\n' + PLAN, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "plan")


def _revision_refusal(repo: Path, reason: str) -> None:
    compiled = compile_at(repo, "HEAD", "rules/plan.kpi")
    assert compiled.program is None
    (d,) = compiled.diagnostics
    assert d.code == "E0209" and reason in d.message
    assert d.span.file == "HEAD:rules/plan.kpi"
    assert "kpilang-rev-" not in d.message + d.help, "the temporary mirror is named as the revision"
    assert "HEAD:rules" in d.message + d.help
    assert SECRET not in compiled.errors_text("en") and SECRET not in compiled.errors_text("ru")


def test_a_revision_cannot_import_an_absolute_path_on_the_machine(repo):
    _commit_plan(repo, str(repo.parent / "outside" / "secret.kpi"))
    _revision_refusal(repo, "outside the plan's project")


def test_a_revision_cannot_escape_its_tree_with_dotdot(repo):
    _commit_plan(repo, "../../outside/secret.kpi")
    _revision_refusal(repo, "outside the plan's project")


def test_a_committed_symlink_out_of_the_tree_is_not_followed(repo):
    (repo / "rules" / "lib.kpi").symlink_to(repo.parent / "outside" / "secret.kpi")
    _commit_plan(repo, "lib.kpi")
    _revision_refusal(repo, "outside the plan's project")
    result = CliRunner().invoke(main, ["diff", f"{repo}/rules/plan.kpi", f"{repo}/rules/plan.kpi"])
    assert result.exit_code == 2 and SECRET not in result.output


def test_a_committed_symlink_inside_the_tree_is_followed_there(repo):
    (repo / "rules" / "lib").mkdir()
    (repo / "rules" / "lib" / "real.kpi").write_text(LIBRARY, encoding="utf-8")
    (repo / "rules" / "lib.kpi").symlink_to("lib/real.kpi")
    _commit_plan(repo, "lib.kpi")
    (repo / "rules" / "lib" / "real.kpi").write_text(SECRET, encoding="utf-8")  # the disk is not the revision
    assert compile_at(repo, "HEAD", "rules/plan.kpi").program is not None


def test_a_committed_oversized_file_is_refused(repo):
    (repo / "rules" / "big.kpi").write_text(SECRET + "\n" + "#" * IMPORT_SIZE_LIMIT, encoding="utf-8")
    _commit_plan(repo, "big.kpi")
    _revision_refusal(repo, f"more than the {IMPORT_SIZE_LIMIT}")


def test_a_committed_file_that_is_not_kpi_is_refused(repo):
    (repo / "rules" / "notes.txt").write_text(SECRET, encoding="utf-8")
    _commit_plan(repo, "notes.txt")
    _revision_refusal(repo, "not a `.kpi` file")


def test_a_revision_uses_its_own_import_roots_and_only_inside_the_tree(repo):
    (repo / "shared").mkdir()
    (repo / "shared" / "lib.kpi").write_text(LIBRARY, encoding="utf-8")
    (repo / "kpilang.toml").write_text('import-roots = ["shared", "../outside"]\n', encoding="utf-8")
    _commit_plan(repo, "../shared/lib.kpi")
    assert compile_at(repo, "HEAD", "rules/plan.kpi").program is not None
    _commit_plan(repo, "../../outside/secret.kpi")
    _revision_refusal(repo, "outside the plan's project")


def test_the_bundled_library_is_open_on_disk_but_not_to_a_revision(repo):
    common = rules_dir().resolve() / "lib" / "common.kpi"
    _commit_plan(repo, str(common))
    _revision_refusal(repo, "outside the plan's project")
    assert compile_file(repo / "rules" / "plan.kpi").program is not None


# ---- any path ------------------------------------------------------------------------------------

SEGMENTS = st.sampled_from(["..", ".", "lib", "outside", "project", "secret.kpi", "secret.txt", "lib.kpi", "common.kpi"])


@settings(max_examples=60, deadline=None)
@given(st.lists(SEGMENTS, min_size=1, max_size=6), st.booleans())
def test_whatever_the_path_an_import_reads_only_inside_the_project_and_never_shows_the_secret(segments, absolute):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "outside").mkdir()
        (root / "outside" / "secret.kpi").write_text(SECRET + "\n", encoding="utf-8")
        (root / "outside" / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
        project = root / "project"
        (project / "lib").mkdir(parents=True)
        (project / "lib" / "common.kpi").write_text(LIBRARY, encoding="utf-8")
        (project / "lib.kpi").symlink_to(root / "outside" / "secret.kpi")
        written = "/".join(segments)
        result = _compile_importing(project, str(root / written) if absolute else written)
        shown = "\n".join(render_text(d, result.sources, lang) for d in result.diagnostics for lang in ("en", "ru"))
        assert "SECRET" not in shown
        read = [name for name in result.sources if not name.endswith("plan.kpi")]
        for name in read:
            assert Path(name).resolve().is_relative_to(project.resolve()), name
