"""The SHA-256 of an unchanged file is remembered between runs; a file changed in any way, even
within the file system's clock tick, is hashed again from its bytes (file_hashes.py)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from kpilang.data import file_hashes
from kpilang.data.file_hashes import HASHES_DIRECTORY, RACY_SECONDS, FileHashes, Stamp


def sha256_of(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


@pytest.fixture
def reads(monkeypatch):
    """The files hashed from their bytes, in order."""
    read: list[Path] = []
    real = file_hashes.file_sha256

    def counted(path):
        read.append(Path(path))
        return real(path)

    monkeypatch.setattr(file_hashes, "file_sha256", counted)
    return read


def later(monkeypatch, seconds: float) -> None:
    """Runs from now on happen `seconds` after the real clock."""
    monkeypatch.setattr(file_hashes, "now_ns", lambda: file_hashes.time.time_ns() + int(seconds * 1e9))


def test_an_unchanged_file_is_hashed_once(tmp_path, reads, monkeypatch):
    data = tmp_path / "deals.csv"
    data.write_bytes(b"id\nd1\n")
    later(monkeypatch, RACY_SECONDS + 1)
    hashes = FileHashes(tmp_path / "cache")
    first, second = hashes.sha256(data), FileHashes(tmp_path / "cache").sha256(data)
    assert first.sha256 == second.sha256 == sha256_of(b"id\nd1\n")
    assert second.size == 6
    assert reads == [data]


def test_a_file_hashed_right_after_a_change_is_not_remembered(tmp_path, reads, monkeypatch):
    data = tmp_path / "deals.csv"
    data.write_bytes(b"id\nd1\n")
    hashes = FileHashes(tmp_path / "cache")
    hashes.sha256(data)  # written just now: within RACY_SECONDS of the clock
    assert not (tmp_path / "cache" / HASHES_DIRECTORY).exists()
    hashes.sha256(data)
    assert reads == [data, data]
    later(monkeypatch, RACY_SECONDS + 1)  # once the file has aged, it is remembered
    hashes.sha256(data)
    hashes.sha256(data)
    assert reads == [data, data, data]


def test_a_rewrite_within_one_clock_tick_is_seen(tmp_path, reads, monkeypatch):
    """On a file system that keeps whole seconds, a file written, hashed and written again with
    as many bytes in the same second keeps every time stamp: only the racy rule tells."""
    real = Stamp.of

    def coarse(path):
        stamp = real(path)
        second = stamp.mtime_ns // 10**9 * 10**9
        return Stamp(stamp.path, stamp.size, stamp.device, 1, second, second)

    monkeypatch.setattr(Stamp, "of", staticmethod(coarse))
    data = tmp_path / "deals.csv"
    data.write_bytes(b"id\nd1\n")
    hashes = FileHashes(tmp_path / "cache")
    assert hashes.sha256(data).sha256 == sha256_of(b"id\nd1\n")
    data.write_bytes(b"id\nd2\n")
    os.utime(data, ns=(real(data).mtime_ns, real(data).mtime_ns))
    assert hashes.sha256(data).sha256 == sha256_of(b"id\nd2\n")


@pytest.mark.parametrize("change", ["rewrite, same size, time put back", "replaced by another file",
                                    "grown", "moved elsewhere"])
def test_a_changed_file_is_hashed_again(tmp_path, reads, monkeypatch, change):
    data = tmp_path / "deals.csv"
    data.write_bytes(b"id\nd1\n")
    later(monkeypatch, RACY_SECONDS + 1)
    hashes = FileHashes(tmp_path / "cache")
    hashes.sha256(data)
    before = Stamp.of(data)
    os.sched_yield()
    if change == "rewrite, same size, time put back":
        # The change time cannot be put back: it moves with the write (a later clock tick).
        while Stamp.of(data).ctime_ns == before.ctime_ns:
            data.write_bytes(b"id\nd2\n")
        os.utime(data, ns=(before.mtime_ns, before.mtime_ns))
        expected = b"id\nd2\n"
    elif change == "replaced by another file":
        other = tmp_path / "new.csv"
        other.write_bytes(b"id\nd3\n")
        os.utime(other, ns=(before.mtime_ns, before.mtime_ns))
        os.replace(other, data)
        expected = b"id\nd3\n"
    elif change == "grown":
        with data.open("ab") as handle:
            handle.write(b"d4\n")
        expected = b"id\nd1\nd4\n"
    else:
        moved = tmp_path / "elsewhere.csv"
        os.replace(data, moved)
        data = moved
        expected = b"id\nd1\n"
    assert hashes.sha256(data).sha256 == sha256_of(expected)
    assert len(reads) == 2


def test_a_damaged_record_means_the_file_is_hashed_again(tmp_path, reads, monkeypatch):
    data = tmp_path / "deals.csv"
    data.write_bytes(b"id\nd1\n")
    later(monkeypatch, RACY_SECONDS + 1)
    hashes = FileHashes(tmp_path / "cache")
    hashes.sha256(data)
    (record,) = (tmp_path / "cache" / HASHES_DIRECTORY).iterdir()
    record.write_text("{not json", encoding="utf-8")
    assert hashes.sha256(data).sha256 == sha256_of(b"id\nd1\n")
    assert len(reads) == 2


def test_the_records_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(file_hashes, "MAX_RECORDS", 3)
    later(monkeypatch, RACY_SECONDS + 1)
    hashes = FileHashes(tmp_path / "cache")
    for n in range(6):
        (tmp_path / f"{n}.csv").write_bytes(b"x" * n)
        hashes.sha256(tmp_path / f"{n}.csv")
    assert len(list((tmp_path / "cache" / HASHES_DIRECTORY).iterdir())) == 3
