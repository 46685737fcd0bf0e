#!/usr/bin/env node
// Runs a built site's own search runtime (static/search/*.js) under Node against its
// static index (suche/*.js) and prints the same JSON as `zirkel search --json`.
//
//   node tools/site-search.mjs SITE_DIR QUERY [--field F] [--district AGS] [--land CODE]
//        [--outcome O] [--target-group T] [--participation P] [--limit N]
//   node tools/site-search.mjs SITE_DIR --batch FILE   (FILE: JSON [{query, filters, limit}])
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

export function siteEngine(site) {
  const ctx = { TextEncoder, console };
  ctx.self = ctx;
  vm.createContext(ctx);
  for (const f of ['analyzer.js', 'engine.js', 'facets.js', 'correct.js']) {
    vm.runInContext(readFileSync(join(site, 'static', 'search', f), 'utf8'), ctx, { filename: f });
  }
  // Each index file is a script calling zirkelSuche(name, data), as in the browser.
  const load = async (name) => {
    let data;
    const sandbox = { zirkelSuche: (_n, d) => { data = d; } };
    vm.runInNewContext(readFileSync(join(site, 'suche', `${name}.js`), 'utf8'), sandbox);
    return data;
  };
  // Every runtime file is loaded above, so further modules are there at once.
  return new ctx.ZirkelEngine.Engine(load, () => Promise.resolve());
}

const OPTIONS = { '--field': 'field', '--district': 'district', '--land': 'land', '--outcome': 'outcome',
  '--target-group': 'target_group', '--participation': 'participation' };

export async function run(engine, query, filters = {}, limit = 10) {
  const r = await engine.search(query, filters, limit);
  return { results: r.results, facets: r.facets, total: r.total, partial: r.partial, corrected: r.corrected };
}

async function main(argv) {
  const [site, ...rest] = argv;
  if (!site || !rest.length) {
    console.error('usage: site-search.mjs SITE_DIR QUERY [--field F] … [--limit N] | --batch FILE');
    return 2;
  }
  const engine = siteEngine(site);
  if (rest[0] === '--batch') {
    const out = [];
    for (const q of JSON.parse(readFileSync(rest[1], 'utf8'))) {
      out.push(await run(engine, q.query, q.filters || {}, q.limit ?? 10));
    }
    console.log(JSON.stringify(out));
    return 0;
  }
  const filters = {}, words = [];
  let limit = 10;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--limit') limit = Number(rest[++i]);
    else if (OPTIONS[rest[i]]) filters[OPTIONS[rest[i]]] = rest[++i];
    else if (rest[i].startsWith('--')) { console.error(`unknown option ${rest[i]}`); return 2; }
    else words.push(rest[i]);
  }
  console.log(JSON.stringify(await run(engine, words.join(' '), filters, limit), null, 2));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
