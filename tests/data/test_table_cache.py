"""The cache of checked tables: a second run on the same export takes each table as the first run
checked it and reports exactly the same; a changed file (by one byte), a changed managers file
or other columns checked is a new entry; runs writing at once leave whole entries; the store
keeps within its bound, least recently used out first."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main
from kpilang.data import load_data
from kpilang.data import loader
from kpilang.data.cache_store import TEMPORARY_PREFIX, Store, cache_directory
from kpilang.data.file_hashes import HASHES_DIRECTORY
from kpilang.data.table_cache import TableCache

from .conftest import write

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"
DEMO = ROOT / "examples" / "demo"

DEALS = (
    "id,manager_id,created_at,stage,closed_at,amount,is_new_client\n"
    "d1,m1,2026-07-01T10:00:00+03:00,won,2026-07-02T10:00:00+03:00,100.00,true\n"
    "d2,m2,2026-07-01T10:00:00+03:00,won,2026-07-03T10:00:00+03:00,1 234,true\n"
    "d3,m9,2026-07-01T10:00:00+03:00,won,2026-07-03T10:00:00+03:00,5.00,false\n"
    "d1,m1,2026-07-01T10:00:00+03:00,lost,31.07.2026,7.00,maybe\n"
    "d4,m2,2026-07-01T10:00:00+03:00,won,2026-07-04T10:00:00+03:00,20.50,false\n"
)


def cache_in(directory: Path, bound: int = 2**30) -> TableCache:
    return TableCache(Store(directory, bound))


def snapshot(data) -> tuple:
    """Everything a run reads from loaded data: the tables' rows, accounts, problems and kinds."""
    con = data.connection
    rows = {name: sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in data.tables}
    kinds = {name: {c: data.column_type(name, c) for c, *_ in con.execute(f'DESCRIBE "{name}"').fetchall()}
             for name in data.tables}
    return rows, data.tables, data.problems, kinds, data.inputs


def entries(directory: Path) -> list[str]:
    """The store's entries (the remembered hashes of files are not one: see file_hashes.py)."""
    if not directory.exists():
        return []
    return sorted(p.name for p in directory.iterdir() if p.name != HASHES_DIRECTORY)


def eval_json(data: Path, *extra: str):
    return CliRunner().invoke(main, ["eval", str(PLAN), "--data", str(data), "--period", "2026-07",
                                     "--format", "json", *extra])


def test_a_second_load_gives_exactly_what_the_first_checked(tmp_path):
    data = write(tmp_path / "data", {"deals.csv": DEALS})
    cache = cache_in(tmp_path / "cache")
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as first:
        checked = snapshot(first)
    assert len(entries(tmp_path / "cache")) == 1  # deals; managers is read every time
    assert {p.code for p in checked[2]} >= {"digit_spaces", "unknown_manager", "duplicate_id"}
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as second:
        assert snapshot(second) == checked


def test_a_second_run_takes_the_tables_without_reading_the_files(tmp_path, monkeypatch):
    data = write(tmp_path / "data", {"deals.csv": DEALS})
    cache = cache_in(tmp_path / "cache")
    load_data(data, timezone="Europe/Moscow", needs=None, cache=cache).close()
    read = []
    real = loader.read_table
    monkeypatch.setattr(loader, "read_table", lambda con, table, *rest: read.append(table) or real(con, table, *rest))
    load_data(data, timezone="Europe/Moscow", needs=None, cache=cache).close()
    assert read == ["managers"]


def test_eval_twice_gives_byte_identical_json_and_the_same_problems(tmp_path, monkeypatch):
    monkeypatch.setenv("KPILANG_CACHE_DIR", str(tmp_path / "cache"))
    first, second = eval_json(DEMO), eval_json(DEMO)
    assert first.exit_code == 1, first.output  # the demo has rejected rows
    assert entries(tmp_path / "cache")
    assert second.stdout == first.stdout and second.stderr == first.stderr
    assert json.loads(second.stdout)["data_problems"]
    uncached = eval_json(DEMO, "--no-cache")
    assert uncached.stdout == first.stdout and uncached.stderr == first.stderr


def test_no_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("KPILANG_CACHE_DIR", str(tmp_path / "cache"))
    assert eval_json(DEMO, "--no-cache").exit_code == 1
    assert entries(tmp_path / "cache") == []


def test_a_file_changed_by_one_byte_is_checked_again(tmp_path):
    data = write(tmp_path / "data", {"deals.csv": DEALS})
    cache = cache_in(tmp_path / "cache")
    load_data(data, timezone="Europe/Moscow", needs=None, cache=cache).close()
    # 20.50 → 20.59 for d4, and the amount `1 234` of d2 now readable.
    (data / "deals.csv").write_text(DEALS.replace("20.50", "20.59").replace("1 234", "1234"), encoding="utf-8")
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as changed:
        amounts = dict(changed.connection.execute("SELECT id, amount FROM deals").fetchall())
        assert str(amounts["d4"]) == "20.59" and str(amounts["d2"]) == "1234.00"
        assert "digit_spaces" not in {p.code for p in changed.problems}
    assert len(entries(tmp_path / "cache")) == 2


def test_a_changed_managers_file_checks_the_other_tables_again(tmp_path):
    data = write(tmp_path / "data", {"deals.csv": DEALS})
    cache = cache_in(tmp_path / "cache")
    load_data(data, timezone="Europe/Moscow", needs=None, cache=cache).close()
    managers = (data / "managers.csv").read_text(encoding="utf-8")
    (data / "managers.csv").write_text(managers + "m9,Vera,cold,north,1000\n", encoding="utf-8")
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as again:
        assert "unknown_manager" not in {p.code for p in again.problems}


def test_other_columns_checked_are_another_entry(tmp_path):
    data = write(tmp_path / "data", {"deals.csv": DEALS})
    cache = cache_in(tmp_path / "cache")
    with load_data(data, timezone="Europe/Moscow", needs={"deals": {"amount"}}, cache=cache) as narrow:
        assert "datetime_form" in {p.code for p in narrow.problems}  # closed_at, the period's date
        assert "bool_form" not in {p.code for p in narrow.problems}  # is_new_client: not read
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as everything:
        assert "bool_form" in {p.code for p in everything.problems}
    assert len(entries(tmp_path / "cache")) == 2


def test_a_cached_table_still_needs_the_columns_the_plan_reads(tmp_path):
    deals = DEALS.replace(",is_new_client", "").replace(",true\n", "\n").replace(",false\n", "\n").replace(",maybe\n", "\n")
    data = write(tmp_path / "data", {"deals.csv": deals})
    cache = cache_in(tmp_path / "cache")
    load_data(data, timezone="Europe/Moscow", needs={"deals": {"amount"}}, cache=cache).close()
    from kpilang.data import DataError

    with pytest.raises(DataError) as refused:
        # The same columns checked (is_new_client is not there to check), another column needed.
        load_data(data, timezone="Europe/Moscow", needs={"deals": {"amount", "is_new_client"}}, cache=cache)
    assert [p.code for p in refused.value.problems] == ["missing_column"]


def _load_into(args: tuple[str, str]) -> str:
    data, cache = args
    with load_data(Path(data), timezone="Europe/Moscow", needs=None, cache=cache_in(Path(cache))) as loaded:
        return repr(snapshot(loaded)[:4])


def test_runs_writing_the_same_entry_at_once_leave_one_whole_entry(tmp_path):
    data = write(tmp_path / "data", {"deals.csv": DEALS})
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_load_into, [(str(data), str(tmp_path / "cache"))] * 4)
    assert len(set(results)) == 1
    assert len(entries(tmp_path / "cache")) == 1
    assert not [name for name in entries(tmp_path / "cache") if name.startswith(TEMPORARY_PREFIX)]
    assert _load_into((str(data), str(tmp_path / "cache"))) == results[0]


def _put(store: Store, key: str, size: int, seconds_ago: float | None = None) -> None:
    written = store.new_entry()
    (written / "table.parquet").write_bytes(b"x" * size)
    store.publish(written, key)
    if seconds_ago is not None and (store.root / key).exists():
        used = time.time() - seconds_ago
        os.utime(store.root / key, (used, used))


def test_the_store_keeps_within_its_bound_least_recently_used_out_first(tmp_path):
    store = Store(tmp_path / "cache", bound=2500)
    _put(store, "a", 1000, seconds_ago=300)
    _put(store, "b", 1000, seconds_ago=200)
    _put(store, "c", 1000, seconds_ago=100)
    # a, b and c are 3000 bytes: the least recently used, a, went when c came.
    assert entries(tmp_path / "cache") == ["b", "c"]
    assert store.entry("b") is not None  # b is used now: c is the least recently used
    _put(store, "d", 1000)
    assert entries(tmp_path / "cache") == ["b", "d"]


def test_an_entry_larger_than_the_bound_is_not_kept(tmp_path):
    store = Store(tmp_path / "cache", bound=10)
    _put(store, "big", 100)
    assert entries(tmp_path / "cache") == []


def test_the_cache_lives_in_the_users_cache_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("KPILANG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if os.name == "posix" and os.uname().sysname == "Linux":
        assert cache_directory() == tmp_path / "xdg" / "kpilang" / "tables"
    monkeypatch.setenv("KPILANG_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache_directory() == tmp_path / "elsewhere"


def test_an_entry_that_cannot_be_read_means_the_file_is_read_again(tmp_path):
    data = write(tmp_path / "data", {"deals.csv": DEALS})
    cache = cache_in(tmp_path / "cache")
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as first:
        checked = snapshot(first)
    (entry,) = entries(tmp_path / "cache")
    (tmp_path / "cache" / entry / "table.parquet").write_bytes(b"not parquet")
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as again:
        assert snapshot(again) == checked
    # The broken entry was replaced by a whole one.
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as third:
        assert snapshot(third) == checked
    (entry,) = entries(tmp_path / "cache")
    assert (tmp_path / "cache" / entry / "table.parquet").read_bytes() != b"not parquet"


def test_a_run_reads_its_tables_even_when_another_run_evicts_them_meanwhile(tmp_path):
    data = write(tmp_path / "data", {"deals.csv": DEALS})
    cache = cache_in(tmp_path / "cache")
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as first:
        checked = snapshot(first)
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as second:
        Store(tmp_path / "cache", bound=0).evict()  # another run, with a bound of nothing
        assert entries(tmp_path / "cache") != []  # only this run's own name of the file is left
        assert snapshot(second) == checked
    assert entries(tmp_path / "cache") == []  # and it goes when the run is done


def test_lint_history_twice_says_the_same_and_keeps_the_tables(tmp_path, monkeypatch):
    monkeypatch.setenv("KPILANG_CACHE_DIR", str(tmp_path / "cache"))

    def lint(*extra: str):
        return CliRunner().invoke(main, ["lint", str(PLAN), "--history", str(DEMO), "--format", "json", *extra])

    first = lint("--no-cache")
    assert entries(tmp_path / "cache") == []
    second, third = lint(), lint()
    assert entries(tmp_path / "cache")
    assert first.exit_code == second.exit_code == third.exit_code
    assert first.stdout == second.stdout == third.stdout


def test_a_file_rewritten_while_it_is_read_is_not_kept(tmp_path, monkeypatch):
    data = write(tmp_path / "data", {"deals.csv": DEALS})
    cache = cache_in(tmp_path / "cache")
    real = loader.read_table

    def rewritten_meanwhile(con, table, path, *rest):
        if table == "deals":
            path.write_text(DEALS + "d9,m1,2026-07-01T10:00:00+03:00,open,,1.00,true\n", encoding="utf-8")
        return real(con, table, path, *rest)

    monkeypatch.setattr(loader, "read_table", rewritten_meanwhile)
    load_data(data, timezone="Europe/Moscow", needs=None, cache=cache).close()
    assert entries(tmp_path / "cache") == []


def test_rows_that_are_not_utf8_are_reported_the_same_from_the_cache(tmp_path):
    data = write(tmp_path / "data", {"deals.csv": DEALS})
    (data / "deals.csv").write_bytes(DEALS.encode() + b"d8,m1,2026-07-01T10:00:00+03:00,won,,1.00,\xff\xfe\n")
    cache = cache_in(tmp_path / "cache")
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as first:
        checked = snapshot(first)
    assert "encoding" in {p.code for p in checked[2]}
    assert len(entries(tmp_path / "cache")) == 1
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as second:
        assert snapshot(second) == checked


def test_a_third_run_on_an_unchanged_export_reads_no_file_but_managers(tmp_path, monkeypatch):
    from kpilang.data import file_hashes

    data = write(tmp_path / "data", {"deals.csv": DEALS})
    # The runs happen well after the files were written (see file_hashes' racy rule).
    monkeypatch.setattr(file_hashes, "now_ns", lambda: time.time_ns() + 10**10)
    cache = cache_in(tmp_path / "cache")
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as first:
        checked = snapshot(first)
    hashed = []
    real = file_hashes.file_sha256
    monkeypatch.setattr(file_hashes, "file_sha256", lambda path: hashed.append(Path(path).name) or real(path))
    read = []
    real_read = loader.read_table
    monkeypatch.setattr(loader, "read_table", lambda con, table, *rest: read.append(table) or real_read(con, table, *rest))
    with load_data(data, timezone="Europe/Moscow", needs=None, cache=cache) as second:
        assert snapshot(second) == checked  # the same hashes in the record of inputs too
    assert hashed == [] and read == ["managers"]


@pytest.mark.parametrize("command", [
    ["report", str(PLAN), "--periods", "2026-07..2026-08", "--format", "html"],
    ["compare", str(PLAN), str(PLAN), "--periods", "2026-07", "--format", "json"],
])
def test_report_and_compare_keep_the_tables_and_say_the_same_from_them(tmp_path, monkeypatch, command):
    monkeypatch.setenv("KPILANG_CACHE_DIR", str(tmp_path / "cache"))
    out = ["--out", str(tmp_path / "out")] if command[0] == "report" else []

    def run(*extra: str):
        result = CliRunner().invoke(main, [*command, "--data", str(DEMO), *out, *extra])
        written = (tmp_path / "out").read_text(encoding="utf-8") if out else result.stdout
        # A page's charts are numbered for the process, not the page: one process runs all three.
        return result.exit_code, re.sub(r"chart\d+", "chart", written), result.stderr

    first = run("--no-cache")
    assert entries(tmp_path / "cache") == []
    second = run()
    assert entries(tmp_path / "cache")
    assert first == second == run()
