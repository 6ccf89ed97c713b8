// Loads extension.js with stand-ins for the `vscode` API and the language client library (which
// only exist inside VS Code and after `npm ci`), and prints, as JSON, the server command that
// activate() hands to the client for the settings given:  node test/extension.test.js [LANG]
"use strict";

const Module = require("module");
const path = require("path");

const settings = { command: "/project/.venv/bin/kpilang", lang: process.argv[2] || "" };
let made = null;
const stand_ins = {
  vscode: { workspace: { getConfiguration: () => ({ get: (key) => settings[key] }) } },
  "vscode-languageclient/node": {
    TransportKind: { stdio: 0 },
    LanguageClient: class {
      constructor(id, name, serverOptions, clientOptions) {
        made = { id, serverOptions, clientOptions };
      }
      start() {
        return Promise.resolve();
      }
      stop() {
        return Promise.resolve();
      }
    },
  },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request in stand_ins ? stand_ins[request] : load.call(this, request, ...rest);
};

const extension = require(path.join(__dirname, "..", "extension.js"));
extension.activate({ subscriptions: [] }).then(() => {
  process.stdout.write(JSON.stringify(made) + "\n");
});
