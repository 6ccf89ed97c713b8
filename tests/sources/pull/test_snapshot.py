"""The snapshot's manifest: it vouches for every file (`verify_snapshot` finds a changed, missing
or unlisted file), `manifest_sha256` fingerprints the whole snapshot, and records keep every
digit they were sent with."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpilang.sources.snapshot import (Manifest, SnapshotError, describe_file, dump_record, load_records,
                                      manifest_sha256, read_manifest, verify_snapshot, write_manifest)


@pytest.fixture
def snapshot(tmp_path):
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "leads.jsonl").write_text('{"id":1,"price":1000}\n{"id":2,"price":250.50}\n', encoding="utf-8")
    (folder / "users.jsonl").write_text('{"id":11}\n', encoding="utf-8")
    manifest = Manifest(source="amocrm", portal="example.amocrm.ru", period={"from": date(2026, 7, 1), "to": date(2026, 7, 31)},
                        window={"from": datetime(2026, 6, 30, tzinfo=timezone.utc),
                                "to": datetime(2026, 8, 2, tzinfo=timezone.utc)},
                        pulled_at=datetime(2026, 8, 1, 9, tzinfo=timezone.utc), kpilang_version="0.1.0",
                        files=[describe_file(folder, "leads.jsonl", "leads", ["created", "closed"]),
                               describe_file(folder, "users.jsonl", "users", ["all"])])
    write_manifest(folder, manifest)
    return folder


def test_the_manifest_has_the_documented_shape(snapshot):
    data = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    assert list(data) == ["format", "source", "portal", "period", "window", "pulled_at", "kpilang_version", "files"]
    assert data["period"] == {"from": "2026-07-01", "to": "2026-07-31"}
    assert data["files"][0] == {"name": "leads.jsonl", "method": "leads", "queries": ["created", "closed"], "records": 2,
                                "sha256": hashlib.sha256((snapshot / "leads.jsonl").read_bytes()).hexdigest()}
    assert read_manifest(snapshot).files[1].records == 1


def test_an_untouched_snapshot_verifies(snapshot):
    assert verify_snapshot(snapshot) == []


def test_a_changed_file_is_found(snapshot):
    text = (snapshot / "leads.jsonl").read_text(encoding="utf-8")
    (snapshot / "leads.jsonl").write_text(text.replace("250.50", "2500.50"), encoding="utf-8")
    problems = verify_snapshot(snapshot)
    assert [p.key for p in problems] == ["snapshot.file-changed"]
    assert str(problems[0]).startswith("leads.jsonl was changed after the pull: its SHA-256 is ")


def test_a_missing_or_unlisted_file_is_found(snapshot):
    (snapshot / "users.jsonl").unlink()
    (snapshot / "extra.jsonl").write_text("{}\n", encoding="utf-8")
    assert [str(p) for p in verify_snapshot(snapshot)] == ["users.jsonl is listed in the manifest but missing",
                                                          "extra.jsonl is not listed in the manifest"]


def test_a_folder_without_a_manifest_is_not_a_snapshot(tmp_path):
    assert [p.key for p in verify_snapshot(tmp_path)] == ["snapshot.no-manifest"]
    with pytest.raises(SnapshotError):
        manifest_sha256(tmp_path)
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    assert [p.key for p in verify_snapshot(tmp_path)] == ["snapshot.bad-manifest"]


def test_manifest_sha256_is_the_hash_of_the_manifest_file(snapshot):
    assert manifest_sha256(snapshot) == hashlib.sha256((snapshot / "manifest.json").read_bytes()).hexdigest()


def test_amounts_keep_every_digit_they_were_sent_with():
    line = '{"OPPORTUNITY":15000.10,"price":0.1,"big":123456789012345678901234567890.05,"s":"1.10"}'
    assert dump_record(load_records(line)) == line


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: Decimal(str(d))),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12)


@given(json_values)
def test_a_record_dumped_and_read_again_is_the_same(value):
    line = dump_record(value)
    assert "\n" not in line
    again = load_records(line)
    assert again == value and dump_record(again) == line
