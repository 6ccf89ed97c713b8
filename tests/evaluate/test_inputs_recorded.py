"""Every eval records what it read: the SHA-256 and size of each data file (people and targets
included, the tables the plan does not read excluded) and, on a snapshot, the hash of its
manifest, so that a payout can be reproduced and disputed against exactly the data it came from."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.cli import main
from kpilang.data import inputs
from tests.evaluate.test_sql import PLAN_HEAD

NORMATIVE = Path(__file__).resolve().parent.parent / "fixtures" / "normative"

DEALS_ONLY_PLAN = PLAN_HEAD + """
metric revenue = sum(deals.amount where stage = "won")
kpi revenue_plan = revenue
    target targets.revenue
    weight 100%
pay bonus = salary * kpi_score / 10
"""


def _eval_json(plan: Path, data: Path) -> dict:
    result = CliRunner().invoke(main, ["eval", str(plan), "--data", str(data), "--period", "2026-07",
                                       "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _normative_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(NORMATIVE / "data", data)
    return data


def test_input_hashes_are_the_sha256_of_each_file_read(tmp_path):
    data = _normative_copy(tmp_path)
    out = _eval_json(NORMATIVE / "cold_sales.kpi", data)
    assert [f["table"] for f in out["inputs"]] == ["managers", "activities", "leads", "deals", "targets"]
    for entry in out["inputs"]:
        content = Path(entry["file"]).read_bytes()
        assert entry["file"] == str(data / f"{entry['table']}.csv")
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["bytes"] == len(content)
    assert out["snapshot"] is None


def test_a_changed_file_changes_its_hash_in_the_json_and_nothing_else_of_it(tmp_path):
    data = _normative_copy(tmp_path)
    before = _eval_json(NORMATIVE / "cold_sales.kpi", data)
    # A target of another month: the figures stay, the file read is not the same.
    with open(data / "targets.csv", "a", encoding="utf-8") as targets:
        targets.write("m1,2026-09,revenue,1\n")
    after = _eval_json(NORMATIVE / "cold_sales.kpi", data)
    assert after["results"] == before["results"]
    changed = [(b["table"], a["sha256"] != b["sha256"], a["bytes"] - b["bytes"])
               for a, b in zip(after["inputs"], before["inputs"]) if a != b]
    assert changed == [("targets", True, len("m1,2026-09,revenue,1\n"))]


def test_a_snapshot_records_the_hash_of_its_manifest(tmp_path):
    data = _normative_copy(tmp_path)
    manifest = b'{"source": "bitrix24", "files": {}}\n'
    (data / "manifest.json").write_bytes(manifest)
    out = _eval_json(NORMATIVE / "cold_sales.kpi", data)
    assert out["snapshot"] == {"manifest": "manifest.json", "sha256": hashlib.sha256(manifest).hexdigest()}
    # The manifest is the snapshot's, not a table: the files read are the same five.
    assert [f["table"] for f in out["inputs"]] == ["managers", "activities", "leads", "deals", "targets"]


def test_only_the_tables_the_plan_reads_are_listed(tmp_path):
    data = _normative_copy(tmp_path)  # activities.csv and leads.csv are there, unread by this plan
    plan = tmp_path / "plan.kpi"
    plan.write_text(DEALS_ONLY_PLAN, encoding="utf-8")
    out = _eval_json(plan, data)
    assert [f["table"] for f in out["inputs"]] == ["managers", "deals", "targets"]


def test_a_folder_that_is_no_snapshot_has_none():
    assert inputs.snapshot_of(NORMATIVE / "data") is None


@settings(max_examples=50, deadline=None)
@given(content=st.binary(max_size=300), chunk=st.integers(min_value=1, max_value=64))
def test_hashing_in_chunks_equals_hashing_the_whole_file(content, chunk):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "file.csv"
        path.write_bytes(content)
        original = inputs.CHUNK_BYTES
        inputs.CHUNK_BYTES = chunk
        try:
            assert inputs.file_sha256(path) == (hashlib.sha256(content).hexdigest(), len(content))
        finally:
            inputs.CHUNK_BYTES = original


def test_an_unreadable_manifest_stops_the_run_rather_than_pay_untraced(tmp_path, monkeypatch):
    from kpilang.data import DataError, load_data

    data = _normative_copy(tmp_path)
    (data / "manifest.json").write_bytes(b"{}")
    real_open = open

    def refusing_open(path, *args, **kwargs):
        if Path(path).name == "manifest.json":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing_open)
    with pytest.raises(DataError) as raised:
        load_data(data, timezone="Europe/Moscow")
    (problem,) = raised.value.problems
    assert problem.code == "unreadable_manifest" and problem.file == str(data / "manifest.json")
    assert "Permission denied" in problem.reason.render("en")
