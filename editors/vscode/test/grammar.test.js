// Tokenizes files with the TextMate grammar as VS Code does (vscode-textmate on the Oniguruma
// regular expressions of vscode-oniguruma) and prints, as JSON, every place where a character is
// scoped invalid.illegal or left without any scope of its own. Used by tests/editors/ with the
// shipped plans and the docs' examples:  node test/grammar.test.js FILE...
"use strict";

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const GRAMMAR = path.join(__dirname, "..", "syntaxes", "kpilang.tmLanguage.json");

async function main(files) {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm")).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, "utf8"), GRAMMAR),
  });
  const grammar = await registry.loadGrammar("source.kpilang");
  const problems = [];
  let tokens = 0;
  for (const file of files) {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    let state = vsctm.INITIAL;
    lines.forEach((line, index) => {
      const result = grammar.tokenizeLine(line, state);
      for (const token of result.tokens) {
        const text = line.slice(token.startIndex, token.endIndex);
        tokens += 1;
        const scoped = token.scopes.length > 1;
        if (token.scopes.some((s) => s.startsWith("invalid")) || (!scoped && text.trim() !== "")) {
          problems.push({ file, line: index + 1, column: token.startIndex + 1, text, scopes: token.scopes });
        }
      }
      state = result.ruleStack;
    });
  }
  process.stdout.write(JSON.stringify({ files: files.length, tokens, problems }) + "\n");
  return problems.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
