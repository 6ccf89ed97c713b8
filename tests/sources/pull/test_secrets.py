"""The secret (a Bitrix24 webhook's URL, an amoCRM token) never shows: not in standard output or
error, not in logs, not in any file the pull writes, not in progress output, whatever the CRM
answers, even when the CRM quotes the request back. And it is read only from a file that only its
owner can read, or from the environment."""

from __future__ import annotations

import io
import logging

import pytest
from click.testing import CliRunner
from rich.console import Console

from kpilang.cli import main
from kpilang.sources.pull.amocrm import BASE_URL_VARIABLE
from kpilang.sources.pull.secret import SecretError, read_secret

from .conftest import secret_file

PERIOD = ["--from", "2026-07-01", "--to", "2026-07-31"]


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    monkeypatch.setattr("kpilang.sources.pull.transport.time.sleep", lambda seconds: None)


def _everything_written(result, folder, caplog) -> str:
    files = [p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file()] \
        if folder.exists() else []
    return "\n".join([result.stdout, result.stderr, caplog.text, str(result.exception or ""), *files])


def _run(args, caplog):
    caplog.set_level(logging.DEBUG)
    return CliRunner().invoke(main, args, catch_exceptions=False)


@pytest.mark.parametrize("faults, fail_from, status", [
    ({}, None, 0), ({0: "echo"}, None, 2), ({0: "expired"}, None, 2), ({2: "limit"}, None, 0), ({}, 3, 2),
    ({1: "html200"}, None, 2)])
def test_a_bitrix24_webhook_never_shows(server, fake, tmp_path, caplog, faults, fail_from, status):
    fake.faults, fake.fail_from = faults, fail_from
    webhook = secret_file(tmp_path, server.webhook() + "\n")
    out = tmp_path / "snap"
    result = _run(["pull", "bitrix24", "--webhook-file", str(webhook), *PERIOD, "--out", str(out)], caplog)
    assert result.exit_code == status, result.stderr
    written = _everything_written(result, out, caplog)
    assert fake.token not in written and "/rest/1/" not in written
    if faults.get(0) == "echo":
        assert "bad request ***" in result.stderr, "the server's words are shown, with the secret hidden"


@pytest.mark.parametrize("faults, status", [({}, 0), ({0: "echo"}, 2), ({3: "limit"}, 0)])
def test_an_amocrm_token_never_shows(server, fake, tmp_path, caplog, monkeypatch, faults, status):
    monkeypatch.setenv(BASE_URL_VARIABLE, server.url)
    monkeypatch.setenv("KPILANG_AMOCRM_TOKEN", fake.token)
    fake.faults = faults
    out = tmp_path / "snap"
    result = _run(["pull", "amocrm", "--subdomain", "example", *PERIOD, "--out", str(out)], caplog)
    assert result.exit_code == status, result.stderr
    assert fake.token not in _everything_written(result, out, caplog)


def test_the_progress_bar_on_a_terminal_shows_files_and_counts_but_never_the_secret(server, fake, tmp_path,
                                                                                     caplog, monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr("kpilang.cli.eval._stderr_console",
                        lambda: Console(file=screen, force_terminal=True, width=100))
    fake.faults = {2: "limit"}
    webhook = secret_file(tmp_path, server.webhook())
    result = _run(["pull", "bitrix24", "--webhook-file", str(webhook), *PERIOD, "--out", str(tmp_path / "snap"),
                   "--lang", "ru"], caplog)
    assert result.exit_code == 0
    shown = screen.getvalue()
    assert "достигнут лимит запросов CRM: ждём 1 с перед новой попыткой" in shown
    assert fake.token not in shown


def test_the_summary_says_what_was_pulled(server, fake, tmp_path, caplog):
    webhook = secret_file(tmp_path, server.webhook())
    result = _run(["pull", "bitrix24", "--webhook-file", str(webhook), *PERIOD, "--out", str(tmp_path / "snap")],
                  caplog)
    assert result.stderr.splitlines()[-2:] == [
        "  user.get.jsonl: 2 record(s)", f"pulled 252 record(s) from {server.url[7:]} into {tmp_path / 'snap'}"]
    again = _run(["pull", "bitrix24", "--webhook-file", str(webhook), *PERIOD, "--out", str(tmp_path / "snap")],
                 caplog)
    assert again.exit_code == 0 and "already complete" in again.stderr


def test_a_secret_file_others_can_read_is_refused(server, tmp_path, caplog):
    webhook = secret_file(tmp_path, server.webhook(), mode=0o644)
    result = _run(["pull", "bitrix24", "--webhook-file", str(webhook), *PERIOD, "--out", str(tmp_path / "snap")],
                  caplog)
    assert result.exit_code == 2
    assert "is open to other users (mode 644)" in result.stderr and f"chmod 600 {webhook}" in result.stderr
    assert not (tmp_path / "snap").exists()


@pytest.mark.parametrize("text", ["abc\ndef", "abc def", "abc\n\n", "\n", "abc\r\ndef", "abc\x00"])
def test_a_secret_with_a_line_break_space_or_control_inside_is_refused(tmp_path, text):
    with pytest.raises(SecretError) as err:
        read_secret(str(secret_file(tmp_path, text)), "UNUSED", "--token-file")
    assert "abc" not in str(err.value)


@pytest.mark.parametrize("text", ["abc", "abc\n", "abc\r\n"])
def test_the_one_line_end_after_a_secret_is_not_part_of_it(tmp_path, text):
    assert read_secret(str(secret_file(tmp_path, text)), "UNUSED", "--token-file").value == "abc"


def test_the_environment_variable_is_read_when_no_file_is_given(monkeypatch):
    monkeypatch.setenv("SOME_TOKEN", "abc")
    secret = read_secret(None, "SOME_TOKEN", "--token-file")
    assert secret.value == "abc" and "abc" not in repr(secret) and str(secret) == "***"


def test_a_webhook_over_plain_http_to_another_machine_is_refused(tmp_path, caplog, monkeypatch):
    monkeypatch.setenv("KPILANG_BITRIX24_WEBHOOK", "http://example.bitrix24.ru/rest/1/s3cr3t/")
    result = _run(["pull", "bitrix24", *PERIOD, "--out", str(tmp_path / "snap")], caplog)
    assert result.exit_code == 2 and "example.bitrix24.ru is not reached over https" in result.stderr
    assert "s3cr3t" not in result.stderr


@pytest.mark.parametrize("webhook", ["https://example.bitrix24.ru/", "https://example.bitrix24.ru/rest/x/s3cr3t/",
                                     "https://user:s3cr3t@example.bitrix24.ru/rest/1/abc/", "not a url s3cr3t",
                                     "https://example.bitrix24.ru/rest/1/s3cr3t/?a=1"])
def test_a_secret_that_is_not_a_webhook_url_is_refused_without_showing_it(tmp_path, caplog, monkeypatch, webhook):
    monkeypatch.setenv("KPILANG_BITRIX24_WEBHOOK", webhook.replace(" ", "_"))
    result = _run(["pull", "bitrix24", *PERIOD, "--out", str(tmp_path / "snap")], caplog)
    assert result.exit_code == 2 and "s3cr3t" not in result.stderr + result.stdout


def test_an_unforeseen_error_is_reported_without_the_secret(server, fake, tmp_path, caplog, monkeypatch):
    def broken(self, listing, query, cursor):
        raise RuntimeError(f"cannot page {self.base}")

    monkeypatch.setattr("kpilang.sources.pull.bitrix24.Bitrix24.fetch", broken)
    webhook = secret_file(tmp_path, server.webhook())
    result = _run(["pull", "bitrix24", "--webhook-file", str(webhook), *PERIOD, "--out", str(tmp_path / "snap")],
                  caplog)
    assert result.exit_code == 2
    assert "the pull stopped on an unforeseen error (RuntimeError): cannot page ***\n" in result.stderr
    assert fake.token not in _everything_written(result, tmp_path / "snap", caplog)
