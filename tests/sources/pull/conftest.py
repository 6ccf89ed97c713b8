"""A fake CRM on 127.0.0.1 with a period's worth of records, and pulls that never really sleep."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from kpilang.sources.pull.listing import Window
from kpilang.sources.pull.run import STATE
from kpilang.sources.pull.transport import PullError, Retry
from kpilang.sources.snapshot import read_manifest

from .fake_crm import FakeCrm, FakeServer

FIRST, LAST = date(2026, 7, 1), date(2026, 7, 31)
WINDOW = Window.around(FIRST, LAST)


def _iso(day: int, month: int = 7) -> str:
    return f"2026-{month:02d}-{day:02d}T10:00:00+00:00"


def bitrix_records() -> dict[str, list[dict]]:
    deals = [{"ID": str(i), "TITLE": f"Сделка {i}", "DATE_CREATE": _iso(1 + i % 28), "CLOSED": "N",
              "CLOSEDATE": _iso(1 + i % 28, 9), "OPPORTUNITY": "15000.10", "UF_CRM_SOURCE": "site"}
             for i in range(1, 121)]
    for deal in deals[:10]:  # created in the period and closed in it: asked twice, written once
        deal["CLOSED"], deal["CLOSEDATE"] = "Y", _iso(20)
    deals += [{"ID": str(i), "TITLE": f"Старая {i}", "DATE_CREATE": _iso(5, 5), "CLOSED": "Y", "CLOSEDATE": _iso(10),
               "OPPORTUNITY": "99.95"} for i in range(500, 512)]  # created in May, closed in July
    deals.append({"ID": "900", "DATE_CREATE": _iso(5, 5), "CLOSED": "N", "CLOSEDATE": _iso(15)})  # open: not asked
    return {
        "crm.deal.list": deals,
        "crm.lead.list": [{"ID": str(i), "DATE_CREATE": _iso(1 + i % 28), "STATUS_ID": "NEW"} for i in range(1, 61)],
        "crm.activity.list": [{"ID": str(i), "START_TIME": _iso(3), "TYPE_ID": "2"} for i in range(1, 4)],
        "voximplant.statistic.get": [{"ID": str(i), "CALL_START_DATE": _iso(1 + i % 28), "CALL_DURATION": "61"}
                                     for i in range(1, 56)],
        "user.get": [{"ID": "1", "NAME": "Анна", "LAST_NAME": "Петрова", "ACTIVE": True},
                     {"ID": "7", "NAME": "Иван", "LAST_NAME": "Сидоров", "ACTIVE": False}],
    }


def _ts(day: int, month: int = 7) -> int:
    return int(datetime(2026, month, day, 10, tzinfo=timezone.utc).timestamp())


def amo_records() -> dict[str, list[dict]]:
    leads = [{"id": i, "name": f"Сделка {i}", "price": 1000 + i, "created_at": _ts(1 + i % 28), "closed_at": None,
              "status_id": 100} for i in range(1, 9)]
    leads[0].update(closed_at=_ts(25), status_id=142)
    leads += [{"id": 50, "name": "Старая", "price": 5, "created_at": _ts(3, 4), "closed_at": _ts(12), "status_id": 143}]
    return {
        "leads": leads,
        "users": [{"id": 11, "name": "Анна Петрова"}, {"id": 12, "name": "Иван Сидоров"}],
        "leads/notes": [{"id": 300 + i, "entity_id": i, "note_type": "call_out", "updated_at": _ts(5),
                         "params": {"duration": 60 + i}} for i in range(5)]
                       + [{"id": 399, "entity_id": 1, "note_type": "common", "updated_at": _ts(5)}],
        "contacts/notes": [],
        "tasks": [{"id": 70 + i, "updated_at": _ts(9), "is_completed": True} for i in range(4)],
    }


@pytest.fixture
def fake() -> FakeCrm:
    return FakeCrm(bitrix=bitrix_records(), amo=amo_records())


@pytest.fixture
def server(fake):
    with FakeServer(fake) as running:
        yield running


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def retry(sleeps) -> Retry:
    return Retry(attempts=4, base=1.0, cap=8.0, sleep=sleeps, random=lambda: 0.5)


def secret_file(tmp_path, text: str, mode: int = 0o600):
    path = tmp_path / "secret.txt"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path



def assert_resumes_to_the_same_files(run, fake: FakeCrm, tmp_path, stop_at: int) -> None:
    """`run(folder)` pulled whole, and pulled again with every answer from request `stop_at` on a
    500 and then resumed, writes the same bytes into every file."""
    run(tmp_path / "whole")
    fake.requests.clear()
    fake.fail_from = stop_at
    with pytest.raises(PullError):
        run(tmp_path / "resumed")
    assert (tmp_path / "resumed" / STATE).exists()
    assert not (tmp_path / "resumed" / "manifest.json").exists()
    fake.fail_from = None
    assert run(tmp_path / "resumed").resumed
    for entry in read_manifest(tmp_path / "whole").files:
        assert (tmp_path / "resumed" / entry.name).read_bytes() == (tmp_path / "whole" / entry.name).read_bytes()
