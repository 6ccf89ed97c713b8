"""An analysis that fails (a bug in kpilang) is said to the user in a message, never left as an
editor that silently shows no findings."""

from __future__ import annotations

import asyncio

from lsprotocol import types
from pygls.workspace import Workspace

import kpilang.lsp.server as server_module


def test_a_failed_analysis_is_shown_as_an_error_message(monkeypatch, tmp_path):
    def broken(path, text):
        raise RuntimeError("boom")

    shown: list[types.ShowMessageParams] = []
    published: list = []
    monkeypatch.setattr(server_module, "analyse", broken)
    server = server_module.build_server("ru")
    workspace = Workspace(None)
    uri = (tmp_path / "plan.kpi").as_uri()
    workspace.put_text_document(types.TextDocumentItem(uri=uri, language_id="kpilang", version=1, text="pay x = 1\n"))
    monkeypatch.setattr(server_module.KpilangServer, "workspace", property(lambda self: workspace))
    monkeypatch.setattr(server, "window_show_message", shown.append)
    monkeypatch.setattr(server, "text_document_publish_diagnostics", published.append)

    asyncio.run(server._analyse_latest(uri))

    assert published == []
    assert len(shown) == 1 and shown[0].type == types.MessageType.Error
    assert "plan.kpi" in shown[0].message and "boom" in shown[0].message and "не смог" in shown[0].message
