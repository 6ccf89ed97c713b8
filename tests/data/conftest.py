from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kpilang.data import DataProblem, DataSet, load_data

MANAGERS_CSV = (
    "id,name,role,team,salary\n"
    "m1,Anna,cold,north,60000\n"
    "m2,Boris,cold,south,55000.50\n"
)


def write(directory: Path, files: dict[str, str]) -> Path:
    """Write files (name -> text) into `directory`; managers.csv is added unless given."""
    directory.mkdir(parents=True, exist_ok=True)
    if not any(name.startswith("managers.") for name in files):
        files = {"managers.csv": MANAGERS_CSV, **files}
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def only(problems: list[DataProblem], **fields: object) -> DataProblem:
    """The single problem whose fields equal `fields`; fails listing all problems otherwise."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in fields.items())]
    assert len(found) == 1, f"expected one problem with {fields}, got {found} among {problems}"
    return found[0]


def assert_accounted(data: DataSet) -> None:
    for info in data.tables.values():
        assert info.rows_read == info.rows_used + info.rows_rejected, info
        used = data.connection.execute(f'SELECT count(*) FROM "{info.name}"').fetchone()[0]
        assert used == info.rows_used, info


@pytest.fixture
def load(tmp_path: Path) -> Iterator[Callable[..., DataSet]]:
    """load(files, timezone=..., needs=...): write the files and load them; closed afterwards."""
    opened: list[DataSet] = []

    def run(files: dict[str, str], *, timezone: str = "Europe/Moscow",
            needs: dict[str, set[str]] | None = None) -> DataSet:
        directory = write(tmp_path / f"data{len(opened)}", files)
        data = load_data(directory, timezone=timezone, needs=needs)
        opened.append(data)
        assert_accounted(data)
        return data

    yield run
    for data in opened:
        data.close()
