"""Many bad rows: the first ones of each kind in detail, the rest counted, nobody forgotten."""

from __future__ import annotations

from kpilang.data import loader


def test_each_kind_lists_its_first_rows_and_counts_the_rest(load, monkeypatch):
    monkeypatch.setattr(loader, "DETAILED_PROBLEMS_PER_KIND", 3)
    managers = "id,name,role,team,salary\n" + "".join(f"m{i},P{i},cold,n,1\n" for i in range(10))
    rows = "".join(f"d{i},m{i},never,won\n" for i in range(10))  # 10 bad dates, people m0..m9
    rows += "d0,m0,2026-07-01,won\n"  # and one duplicate id
    data = load({"managers.csv": managers, "deals.csv": "id,manager_id,created_at,stage\n" + rows})
    dates = [p for p in data.problems if p.column == "created_at"]
    assert [p.row for p in dates[:3]] == [2, 3, 4]
    summary = dates[3]
    assert summary.row is None and summary.value is None and not summary.fatal
    assert str(summary.reason).startswith("…and 7 more rows with the same problem (unparsable date")
    assert summary.manager_ids == [f"m{i}" for i in range(3, 10)]
    assert len(dates) == 4
    assert [p.row for p in data.problems if p.column == "id"] == [12]
    assert data.tables["deals"].rows_rejected == 11
    assert data.affected_manager_ids == {f"m{i}" for i in range(10)}


def test_unreadable_rows_are_capped_too(load, monkeypatch):
    monkeypatch.setattr(loader, "DETAILED_PROBLEMS_PER_KIND", 2)
    rows = "".join(f"d{i},m1\n" for i in range(5))
    data = load({"deals.csv": "id,manager_id,created_at,stage\n" + rows})
    assert [p.row for p in data.problems] == [2, 3, None]
    assert str(data.problems[-1].reason).startswith("…and 3 more rows with the same problem (this row has 2 values")
    assert data.tables["deals"].rows_rejected == 5


def test_the_default_lists_a_thousand(load):
    rows = "".join(f"a{i},m1,call,bad\n" for i in range(1500))
    data = load({"activities.csv": "id,manager_id,type,started_at\n" + rows})
    assert len(data.problems) == 1001
    assert str(data.problems[-1].reason).startswith("…and 500 more rows")
    assert data.problems[-1].manager_ids == ["m1"]
    info = data.tables["activities"]
    assert (info.rows_read, info.rows_used, info.rows_rejected) == (1500, 0, 1500)
