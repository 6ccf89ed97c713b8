// The kpilang extension: the language (highlighting from syntaxes/) and a client of `kpilang lsp`,
// which brings kpilang lint's findings, hover, go to definition, completion, formatting and quick
// fixes. The server is the kpilang installed for the project; see docs/editors.md.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("kpilang");
  const args = ["lsp"];
  const lang = settings.get("lang");
  if (lang) {
    args.push("--lang", lang);
  }
  // Started in the workspace's folder, so that a relative command (.venv/bin/kpilang) is the project's.
  const folders = vscode.workspace.workspaceFolders;
  const options = folders && folders.length ? { cwd: folders[0].uri.fsPath } : undefined;
  const server = { command: settings.get("command") || "kpilang", args, transport: TransportKind.stdio, options };
  client = new LanguageClient(
    "kpilang",
    "kpilang",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "kpilang" }, { scheme: "untitled", language: "kpilang" }] },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
