#!/usr/bin/env node
// Checks the search runtime's analyzer against terms the Rust analyzer (the one
// tantivy indexes with) produced: `node tools/analyzer-check.mjs FILE` where FILE is
// JSON {terms: {raw: term|null}, texts: [{text, tokens: [[raw, term, position]]}]}.
// Prints {checked, mismatches}; used by tests/search_parity.rs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const A = require('../themes/default/static/search/analyzer.js');
const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const mismatches = [];
let checked = 0;
for (const [raw, expected] of Object.entries(input.terms)) {
  checked++;
  const got = A.term(raw);
  if (got !== expected) mismatches.push({ raw, expected, got });
}
for (const { text, tokens } of input.texts) {
  const got = A.analyze(text).map((t) => [t.raw, t.term, t.position]);
  if (JSON.stringify(got) !== JSON.stringify(tokens)) {
    mismatches.push({ text: text.slice(0, 80), expected: tokens.slice(0, 5), got: got.slice(0, 5) });
  }
}
console.log(JSON.stringify({ checked, mismatches: mismatches.slice(0, 20) }));
