"""Pulling from amoCRM (a local fake of its API v4): `_links.next` paging, 204 for an empty list,
the records a period needs, 429 and 401, and resuming."""

from __future__ import annotations

import json

import pytest

from kpilang.sources.pull.amocrm import BASE_URL_VARIABLE, AmoCrm, account_url
from kpilang.sources.pull.run import pull
from kpilang.sources.pull.secret import Secret
from kpilang.sources.pull.transport import PullError
from kpilang.sources.snapshot import read_manifest, verify_snapshot

from .conftest import FIRST, LAST, WINDOW, assert_resumes_to_the_same_files


@pytest.fixture
def amo_url(server, monkeypatch):
    monkeypatch.setenv(BASE_URL_VARIABLE, server.url)


def _pull(fake, retry, folder, token=None, **kwargs):
    source = AmoCrm("example", Secret(token or fake.token, "test"), WINDOW, retry=retry)
    try:
        return pull(source, folder, FIRST, LAST, WINDOW, **kwargs)
    finally:
        source.close()


def _ids(path):
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_full_pull_follows_the_next_links_and_writes_each_record_once(amo_url, fake, retry, tmp_path):
    outcome = _pull(fake, retry, tmp_path / "snap")
    snap = tmp_path / "snap"
    # created in the period (8, pages of 3), then closed in it: lead 1 again (not rewritten) and lead 50
    assert _ids(snap / "leads.jsonl") == [1, 2, 3, 4, 5, 6, 7, 8, 50]
    assert _ids(snap / "users.jsonl") == [11, 12]
    assert _ids(snap / "notes.jsonl") == [300, 301, 302, 303, 304], "only call notes"
    assert _ids(snap / "tasks.jsonl") == [70, 71, 72, 73]
    assert outcome.manifest.portal == "example.amocrm.ru"
    assert verify_snapshot(snap) == []


def test_the_requests_filter_the_period_and_ask_for_contacts(amo_url, fake, retry, tmp_path):
    _pull(fake, retry, tmp_path / "snap")
    leads = [dict(query) for path, query in fake.requests if path == "/api/v4/leads"]
    assert leads[0] | {"page": "1"} == {"page": "1", "limit": "250", "with": "contacts", "order[id]": "asc",
                                        "filter[created_at][from]": str(int(WINDOW.start.timestamp())),
                                        "filter[created_at][to]": str(int(WINDOW.end.timestamp()) - 1)}
    assert "filter[closed_at][from]" in leads[-1]
    notes = [query for path, query in fake.requests if path == "/api/v4/contacts/notes"]
    assert ("filter[note_type][]", "call_in") in notes[0] and ("filter[note_type][]", "call_out") in notes[0]


def test_an_empty_list_answered_204_is_an_empty_file(amo_url, fake, retry, tmp_path):
    fake.amo["tasks"] = []
    _pull(fake, retry, tmp_path / "snap")
    assert (tmp_path / "snap" / "tasks.jsonl").read_bytes() == b""
    assert {f.name: f.records for f in read_manifest(tmp_path / "snap").files}["tasks.jsonl"] == 0


def test_429_is_waited_out(amo_url, fake, retry, sleeps, tmp_path):
    fake.faults = {2: "limit"}
    _pull(fake, retry, tmp_path / "snap")
    assert sleeps == [0.75]
    assert _ids(tmp_path / "snap" / "leads.jsonl") == [1, 2, 3, 4, 5, 6, 7, 8, 50]


def test_a_refused_token_stops_with_the_hint_to_make_a_new_one(amo_url, fake, retry, sleeps, tmp_path):
    with pytest.raises(PullError) as err:
        _pull(fake, retry, tmp_path / "snap", token="wrong-token")
    assert str(err.value) == "amoCRM refused the token (401 Unauthorized)"
    assert err.value.hint.key == "pull.amocrm.auth-help" and sleeps == []


def test_an_answer_that_is_not_json_is_a_clear_error(amo_url, fake, retry, tmp_path):
    fake.faults = {0: "html200"}
    with pytest.raises(PullError) as err:
        _pull(fake, retry, tmp_path / "snap")
    assert str(err.value) == "the CRM's answer is not JSON (HTTP 200)"


@pytest.mark.parametrize("stop_at", [0, 1, 3, 5, 8])
def test_an_interrupted_pull_resumes_to_the_same_files(amo_url, fake, retry, tmp_path, stop_at):
    assert_resumes_to_the_same_files(lambda folder: _pull(fake, retry, folder), fake, tmp_path, stop_at)


def test_the_real_host_is_https_and_the_test_address_only_local(monkeypatch):
    monkeypatch.delenv(BASE_URL_VARIABLE, raising=False)
    assert account_url("Example") == ("https://example.amocrm.ru", "example.amocrm.ru")
    monkeypatch.setenv(BASE_URL_VARIABLE, "http://crm.example.com")
    with pytest.raises(PullError):
        account_url("example")
    monkeypatch.setenv(BASE_URL_VARIABLE, "https://crm.example.com")
    with pytest.raises(PullError):
        account_url("example")


@pytest.mark.parametrize("name", ["", "a/b", "example.com/x", "-x", "ex ample"])
def test_a_subdomain_that_is_not_an_account_name_is_refused(name):
    with pytest.raises(PullError):
        account_url(name)
