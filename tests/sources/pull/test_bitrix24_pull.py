"""Pulling from Bitrix24 (a local fake of its REST API): paging and batches, the records a period
needs, rate limits, retries and giving up, refused webhooks, malformed answers, and resuming."""

from __future__ import annotations

import json

import pytest

from kpilang.sources.pull.bitrix24 import Bitrix24, php_query
from kpilang.sources.pull.run import STATE, pull
from kpilang.sources.pull.secret import Secret
from kpilang.sources.pull.transport import PullError, Retry
from kpilang.sources.snapshot import file_sha256, read_manifest, verify_snapshot

from .conftest import FIRST, LAST, WINDOW, assert_resumes_to_the_same_files


def _source(server, retry, *, batch=2, timeout=5.0):
    return Bitrix24(Secret(server.webhook(), "test"), WINDOW, retry=retry, batch=batch, timeout=timeout)


def _pull(server, retry, folder, **kwargs):
    source = _source(server, retry, batch=kwargs.pop("batch", 2), timeout=kwargs.pop("timeout", 5.0))
    try:
        return pull(source, folder, FIRST, LAST, WINDOW, **kwargs)
    finally:
        source.close()


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_full_pull_writes_every_page_of_every_method_once(server, retry, tmp_path):
    outcome = _pull(server, retry, tmp_path / "snap")
    snap = tmp_path / "snap"
    deals = _lines(snap / "crm.deal.list.jsonl")
    ids = [d["ID"] for d in deals]
    # 120 created in the period (10 of them also closed in it), then 12 created in May, closed in July
    assert ids == [str(i) for i in range(1, 121)] + [str(i) for i in range(500, 512)]
    assert "900" not in ids, "an open deal created before the period is not the period's"
    assert len(_lines(snap / "crm.lead.list.jsonl")) == 60
    assert len(_lines(snap / "voximplant.statistic.get.jsonl")) == 55
    assert [u["ID"] for u in _lines(snap / "user.get.jsonl")] == ["1", "7"]
    assert {f.name: f.records for f in outcome.manifest.files} == {
        "crm.deal.list.jsonl": 132, "crm.lead.list.jsonl": 60, "crm.activity.list.jsonl": 3,
        "voximplant.statistic.get.jsonl": 55, "user.get.jsonl": 2}
    assert not (snap / STATE).exists()


def test_records_are_written_exactly_as_sent(server, retry, tmp_path):
    _pull(server, retry, tmp_path / "snap")
    first = (tmp_path / "snap" / "crm.deal.list.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert first == ('{"ID":"1","TITLE":"Сделка 1","DATE_CREATE":"2026-07-02T10:00:00+00:00","CLOSED":"Y",'
                     '"CLOSEDATE":"2026-07-20T10:00:00+00:00","OPPORTUNITY":"15000.10","UF_CRM_SOURCE":"site"}')


def test_pages_after_the_first_are_asked_in_batches_with_every_field(server, retry, fake, tmp_path):
    _pull(server, retry, tmp_path / "snap", batch=2)
    calls = [(path.rsplit("/", 1)[-1], params) for path, params in fake.requests]
    deal_lists = [p for name, p in calls if name == "crm.deal.list.json"]
    assert deal_lists[0]["select"] == ["*", "UF_*"] and deal_lists[0]["order"] == {"ID": "ASC"}
    assert deal_lists[0]["filter"] == {">=DATE_CREATE": "2026-06-30T00:00:00+00:00",
                                       "<DATE_CREATE": "2026-08-02T00:00:00+00:00"}
    assert deal_lists[1]["filter"] == {">=CLOSEDATE": "2026-06-30T00:00:00+00:00",
                                       "<CLOSEDATE": "2026-08-02T00:00:00+00:00", "CLOSED": "Y"}
    batches = [p for name, p in calls if name == "batch.json"]
    # deals created: 120 records = a first page, then the 70 past ID 50 in one batch of two pages;
    # leads: 60 = a page and a batch of one; calls (paged by start): 55 = a page and a batch of one
    assert [sorted(b["cmd"]) for b in batches] == [["p0", "p50"], ["p0"], ["p50"]]
    second = batches[0]["cmd"]["p50"]
    assert second.startswith("crm.deal.list?") and "filter[%3EID]=50" in second and "start=50" in second
    assert "select[1]=UF_%2A" in second
    assert "start=50" in batches[2]["cmd"]["p50"] and "ID%5D" not in batches[2]["cmd"]["p50"]


def test_php_query_nests_like_php():
    assert php_query({"filter": {">=DATE_CREATE": "2026-06-30T00:00:00+00:00"}, "select": ["*", "UF_*"],
                      "start": 50, "ADMIN_MODE": True}) == (
        "filter[%3E%3DDATE_CREATE]=2026-06-30T00%3A00%3A00%2B00%3A00&select[0]=%2A&select[1]=UF_%2A&start=50"
        "&ADMIN_MODE=Y")


def test_the_manifest_names_the_host_period_and_each_files_hash(server, retry, tmp_path):
    _pull(server, retry, tmp_path / "snap")
    manifest = read_manifest(tmp_path / "snap")
    assert manifest.source == "bitrix24"
    assert manifest.portal == server.url.removeprefix("http://")
    assert (manifest.period.start, manifest.period.end) == (FIRST, LAST)
    for entry in manifest.files:
        assert entry.sha256 == file_sha256(tmp_path / "snap" / entry.name)
    assert verify_snapshot(tmp_path / "snap") == []


@pytest.mark.parametrize("fault", ["limit", "500"])
def test_a_rate_limit_or_server_error_is_waited_out(server, retry, fake, sleeps, tmp_path, fault):
    fake.faults = {0: fault, 1: fault}
    outcome = _pull(server, retry, tmp_path / "snap")
    assert sleeps == [0.75, 1.5], "exponential back-off with jitter (random fixed at 0.5 here)"
    assert sum(f.records for f in outcome.manifest.files) == 252


def test_a_timeout_is_retried(server, retry, fake, sleeps, tmp_path):
    fake.faults = {3: "timeout"}
    outcome = _pull(server, retry, tmp_path / "snap", timeout=0.5)
    assert sleeps, "the request that timed out was tried again"  # (a slow machine may time out more)
    assert sum(f.records for f in outcome.manifest.files) == 252


def test_giving_up_after_the_bound_says_which_method_and_how_often(server, retry, fake, sleeps, tmp_path):
    fake.fail_from = 0
    with pytest.raises(PullError) as err:
        _pull(server, retry, tmp_path / "snap")
    assert err.value.text.key == "pull.gave-up"
    assert str(err.value) == ("crm.deal.list: gave up after 4 tries; the last: the CRM answered with the server "
                              "error 500")
    assert len(sleeps) == 3 and len(fake.requests) == 4


def test_back_off_is_bounded_and_jittered():
    drawn = iter([0.0, 1.0])
    retry = Retry(base=1.0, cap=8.0, random=lambda: next(drawn))
    assert retry.delay(10, None) == 4.0 and retry.delay(10, None) == 8.0
    assert Retry(random=lambda: 0.0).delay(0, 30.0) == 30.0, "at least what the server asked for"


@pytest.mark.parametrize("fault, key", [("expired", "pull.bitrix24.auth"), ("html200", "pull.not-json"),
                                        ("noresult", "pull.malformed")])
def test_a_refused_webhook_or_malformed_answer_stops_with_a_clear_error(server, retry, fake, sleeps, tmp_path,
                                                                        fault, key):
    fake.faults = {0: fault}
    with pytest.raises(PullError) as err:
        _pull(server, retry, tmp_path / "snap")
    assert err.value.text.key == key and err.value.hint is not None
    assert sleeps == [], "a refusal is not retried"


def test_a_wrong_token_is_refused_with_the_hint_to_make_a_new_webhook(server, retry, fake, tmp_path):
    source = Bitrix24(Secret(server.webhook().replace(fake.token, "wrong"), "test"), WINDOW, retry=retry)
    with pytest.raises(PullError) as err:
        pull(source, tmp_path / "snap", FIRST, LAST, WINDOW)
    assert str(err.value) == "Bitrix24 refused the webhook (INVALID_CREDENTIALS)"
    assert err.value.hint.key == "pull.bitrix24.auth-help"


@pytest.mark.parametrize("stop_at", [0, 1, 2, 4, 6, 8])
def test_an_interrupted_pull_resumes_to_the_same_files_without_duplicates(server, retry, fake, tmp_path, stop_at):
    assert_resumes_to_the_same_files(lambda folder: _pull(server, retry, folder), fake, tmp_path, stop_at)


def test_a_page_written_before_the_state_was_saved_is_not_written_twice(server, retry, fake, tmp_path):
    fake.fail_from = 1
    with pytest.raises(PullError):
        _pull(server, retry, tmp_path / "snap")
    deals = tmp_path / "snap" / "crm.deal.list.jsonl"
    vouched = deals.read_bytes()
    with deals.open("ab") as out:  # a crash between appending a page and saving the state
        out.write(b'{"ID":"1","half":')
    fake.fail_from = None
    _pull(server, retry, tmp_path / "snap")
    ids = [d["ID"] for d in _lines(deals)]
    assert len(ids) == len(set(ids)) == 132
    assert deals.read_bytes().startswith(vouched)


def test_a_finished_pull_run_again_does_nothing(server, retry, fake, tmp_path):
    _pull(server, retry, tmp_path / "snap")
    before = len(fake.requests)
    outcome = _pull(server, retry, tmp_path / "snap")
    assert outcome.already_done and len(fake.requests) == before


def test_another_period_into_a_used_folder_is_refused_unless_restart(server, retry, tmp_path):
    _pull(server, retry, tmp_path / "snap")
    source = _source(server, retry)
    other = Bitrix24(Secret(server.webhook(), "test"), WINDOW, retry=retry)
    with pytest.raises(PullError) as err:
        pull(source, tmp_path / "snap", FIRST, FIRST, WINDOW)
    assert err.value.text.key == "pull.folder-not-empty"
    outcome = pull(other, tmp_path / "snap", FIRST, FIRST, WINDOW, restart=True)
    assert outcome.manifest.period.end == FIRST


def test_restart_never_removes_a_file_that_is_not_the_pulls(server, retry, tmp_path):
    (tmp_path / "snap").mkdir()
    (tmp_path / "snap" / "notes.txt").write_text("mine")
    with pytest.raises(PullError) as err:
        _pull(server, retry, tmp_path / "snap", restart=True)
    assert err.value.text.key == "pull.folder-foreign"
    assert (tmp_path / "snap" / "notes.txt").read_text() == "mine"


def test_a_complete_snapshot_changed_since_is_not_called_complete(server, retry, tmp_path):
    _pull(server, retry, tmp_path / "snap")
    (tmp_path / "snap" / "user.get.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(PullError) as err:
        _pull(server, retry, tmp_path / "snap")
    assert err.value.text.key == "pull.snapshot-changed"
    assert _pull(server, retry, tmp_path / "snap", restart=True).manifest.files[-1].records == 2


def test_a_next_that_is_not_a_number_is_a_malformed_answer(server, retry, fake, tmp_path):
    fake.bitrix["crm.deal.list"] = fake.bitrix["crm.deal.list"][:60]
    original = fake.bitrix_list

    def broken(method, params):
        body = original(method, params)
        return body | {"next": "soon"} if "next" in body else body

    fake.bitrix_list = broken
    with pytest.raises(PullError) as err:
        _pull(server, retry, tmp_path / "snap")
    assert str(err.value) == "the CRM's answer to crm.deal.list lacks next/total"


def test_a_deal_deleted_during_the_pull_makes_no_other_deal_go_missing(server, retry, fake, tmp_path):
    deals, answer = fake.bitrix["crm.deal.list"], fake.bitrix_batch

    def delete_one_already_read_then_answer(commands):
        if deals[9]["ID"] == "10":  # offsets would now shift deal 51 into the page already read
            del deals[9]
        return answer(commands)

    fake.bitrix_batch = delete_one_already_read_then_answer
    _pull(server, retry, tmp_path / "snap")
    ids = [d["ID"] for d in _lines(tmp_path / "snap" / "crm.deal.list.jsonl")]
    assert ids == [str(i) for i in range(1, 121)] + [str(i) for i in range(500, 512)]
