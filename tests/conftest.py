from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NORMATIVE = Path(__file__).resolve().parent / "fixtures" / "normative"


@pytest.fixture
def normative_dir() -> Path:
    """The normative example (plan, data, expected figures), copied into the tests."""
    return NORMATIVE


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files from the current output instead of comparing with them")


@pytest.fixture
def golden(request):
    """`golden(path, text)`: compare `text` with the golden file at `path`, or (with
    `--update-golden`) write it there. A missing golden file is an error, not a silent pass."""
    update = request.config.getoption("--update-golden")

    def check(path: Path, text: str) -> None:
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden and review it"
        assert text == path.read_text(encoding="utf-8")

    return check
