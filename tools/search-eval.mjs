#!/usr/bin/env node
// Search quality on a judged query set: nDCG@10 and MRR per kind of query, for
// `zirkel search`, the site's own runtime and (optionally) Pagefind 1.6 on the same
// built site. The judged set is tests/fixtures/search-judgements.tsv (see SEARCH.md).
//
//   node tools/search-eval.mjs [--root COLLECTION] [--site SITE] [--judgements FILE]
//        [--engines cli,site,pagefind] [--zirkel BIN] [--pagefind BIN] [--json FILE]
//
//   --root        the collection, default: this repository (the shipped collection)
//   --site        its built site; default: built into a temporary folder
//   --engines     default cli,site; `pagefind` indexes SITE with Pagefind
//                 (`--site SITE`, its defaults) and queries it in headless Chromium
//   --pagefind    Pagefind's npm launcher, default /tmp/pf/node_modules/.bin/pagefind
//                 (`npm i pagefind@1.6 --prefix /tmp/pf`; not a dependency of zirkel)
//
// Metrics, per query: nDCG@10 with gain 2^grade - 1 over the judged grades (unjudged
// results gain 0); reciprocal rank of the first relevant result within the first 10.
// Queries of kind `absent` have no relevant entry: they count as answered when the
// engine returns nothing, and are kept out of the nDCG and MRR means.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteEngine, run as siteRun } from './site-search.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const KINDS = ['author', 'compound', 'synonym', 'question', 'typo', 'variant', 'absent'];
const FLAGS = { field: '--field', district: '--district', land: '--land', outcome: '--outcome',
  target_group: '--target-group', participation: '--participation' };

/** The judged set: [{kind, query, filters: {field: …}, grades: {slug: grade}, note}]. */
export function readJudgements(file) {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const head = lines.shift().split('\t');
  const want = ['kind', 'query', 'filters', 'relevant', 'note'];
  if (head.join() !== want.join()) throw new Error(`${file}: header must be ${want.join('<TAB>')}`);
  return lines.map((line, i) => {
    const [kind, query, filters = '', relevant = '', note = ''] = line.split('\t');
    const where = `${file}:${i + 2}`;
    if (!KINDS.includes(kind)) throw new Error(`${where}: unknown kind ${kind}`);
    const f = {};
    for (const pair of filters.split('&').filter(Boolean)) {
      const [k, v] = pair.split('=');
      if (!FLAGS[k] || !v) throw new Error(`${where}: filter ${pair} is not one of ${Object.keys(FLAGS).join(', ')}=VALUE`);
      f[k] = v;
    }
    const grades = {};
    for (const item of relevant.split(',').filter(Boolean)) {
      const [slug, g] = item.split(':');
      if (!/^[123]$/.test(g || '')) throw new Error(`${where}: ${item}: grade must be 1, 2 or 3`);
      grades[slug] = Number(g);
    }
    if ((kind === 'absent') !== (Object.keys(grades).length === 0)) {
      throw new Error(`${where}: ${kind === 'absent' ? 'absent queries have no relevant entries' : 'no relevant entries'}`);
    }
    return { kind, query, filters: f, grades, note };
  });
}

/** nDCG@10 and reciprocal rank of a ranked slug list against the grades. */
export function score(grades, slugs) {
  const gain = (g) => 2 ** g - 1;
  const dcg = slugs.slice(0, 10).reduce((s, slug, i) => s + gain(grades[slug] || 0) / Math.log2(i + 2), 0);
  const ideal = Object.values(grades).sort((a, b) => b - a).slice(0, 10)
    .reduce((s, g, i) => s + gain(g) / Math.log2(i + 2), 0);
  const first = slugs.slice(0, 10).findIndex((s) => grades[s]);
  return { ndcg: ideal ? dcg / ideal : 0, rr: first < 0 ? 0 : 1 / (first + 1) };
}

/** Per kind and over all: mean nDCG@10, MRR (relevant kinds), absent queries answered. */
export function summarize(judged, ranked) {
  const out = {};
  const add = (key, q, r) => {
    const o = (out[key] ||= { queries: 0, ndcg: 0, mrr: 0, absent: 0, answered: 0 });
    o.queries++;
    if (q.kind === 'absent') { o.absent++; if (!r.length) o.answered++; return; }
    const s = score(q.grades, r);
    o.ndcg += s.ndcg; o.mrr += s.rr;
  };
  judged.forEach((q, i) => { add(q.kind, q, ranked[i]); add('all', q, ranked[i]); });
  for (const o of Object.values(out)) {
    const n = o.queries - o.absent;
    o.ndcg = n ? o.ndcg / n : null;
    o.mrr = n ? o.mrr / n : null;
  }
  return out;
}

/** `zirkel search --json` for every query: the ranked slugs. */
export function cliRanking(bin, root, judged) {
  return judged.map((q) => {
    const args = ['--root', root, 'search', '--json', '--limit', '10'];
    for (const [k, v] of Object.entries(q.filters)) args.push(FLAGS[k], v);
    args.push('--', q.query);
    const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`zirkel search ${q.query}: exit ${r.status}\n${r.stderr}`);
    return JSON.parse(r.stdout).results.map((x) => x.slug);
  });
}

/** The site's runtime under Node for every query. */
export async function siteRanking(site, judged) {
  const engine = siteEngine(site);
  const out = [];
  for (const q of judged) out.push((await siteRun(engine, q.query, q.filters, 10)).results.map((x) => x.slug));
  return out;
}

/** Pagefind on the built site, in headless Chromium: entry pages only (other pages of
 * the site are skipped, which favours Pagefind), filters applied afterwards from the
 * entries' own facets (Pagefind knows none of them). */
async function pagefindRanking(o, judged) {
  const { createServer } = await import('node:http');
  const { chromium } = await import(join(repo, 'node_modules', 'playwright-core', 'index.mjs'));
  const r = spawnSync(o.pagefind, ['--site', o.site, '--output-subdir', 'pagefind'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pagefind failed: ${r.stderr}`);
  // Each entry's facet values, from the site's data export.
  const entries = JSON.parse(readFileSync(join(o.site, 'praxis.json'), 'utf8')).entries;
  const facets = Object.fromEntries(entries.map((e) => [e.slug, {
    field: [e.field], outcome: [e.outcome], participation: [e.participation], target_group: e.target_groups || [],
    district: e.districts, land: e.districts.map((a) => a.slice(0, 2)) }]));
  const matches = (slug, filters) => Object.entries(filters).every(([k, v]) => (facets[slug]?.[k] || []).includes(v));
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const path = join(o.site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith(o.site) || !existsSync(path)) { res.writeHead(404); res.end(); return; }
    const ext = path.slice(path.lastIndexOf('.'));
    res.writeHead(200, { 'content-type': types[ext] || 'application/octet-stream' });
    res.end(readFileSync(path));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.evaluate(async () => { window.pf = await import('/pagefind/pagefind.js'); await window.pf.init(); });
    const out = [];
    for (const q of judged) {
      const urls = await page.evaluate(async (text) => {
        const r = await window.pf.search(text);
        return Promise.all(r.results.slice(0, 60).map(async (x) => (await x.data()).url));
      }, q.query);
      let slugs = urls.map((u) => (/\/praxis\/([^/]+)\.html$/.exec(u) || [])[1]).filter(Boolean);
      slugs = slugs.filter((slug) => matches(slug, q.filters));
      out.push(slugs.slice(0, 10));
    }
    return out;
  } finally {
    await browser.close();
    server.close();
  }
}

function table(results, engines) {
  const L = ['| kind | queries | ' + engines.map((e) => `${e} nDCG@10 | ${e} MRR`).join(' | ') + ' |',
    '|---|---:|' + engines.map(() => '---:|---:').join('|') + '|'];
  const f = (x) => (x === null ? '–' : x.toFixed(3));
  for (const kind of [...KINDS, 'all']) {
    const first = results[engines[0]][kind];
    if (!first) continue;
    if (kind === 'absent') {
      L.push(`| absent: answered with nothing | ${first.queries} | `
        + engines.map((e) => `${results[e][kind].answered} of ${results[e][kind].absent} | –`).join(' | ') + ' |');
      continue;
    }
    L.push(`| ${kind} | ${first.queries} | ` + engines.map((e) => `${f(results[e][kind].ndcg)} | ${f(results[e][kind].mrr)}`).join(' | ') + ' |');
  }
  return L.join('\n');
}

async function main(argv) {
  const o = { root: repo, judgements: join(repo, 'tests', 'fixtures', 'search-judgements.tsv'), engines: ['cli', 'site'],
    zirkel: process.env.ZIRKEL_BIN || join(repo, 'target', 'release', 'zirkel'), pagefind: '/tmp/pf/node_modules/.bin/pagefind' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = () => argv[++i];
    if (a === '--root') o.root = resolve(v());
    else if (a === '--site') o.site = resolve(v());
    else if (a === '--judgements') o.judgements = resolve(v());
    else if (a === '--engines') o.engines = v().split(',');
    else if (a === '--zirkel') o.zirkel = resolve(v());
    else if (a === '--pagefind') o.pagefind = resolve(v());
    else if (a === '--json') o.json = resolve(v());
    else throw new Error(`unknown argument ${a}`);
  }
  const judged = readJudgements(o.judgements);
  let tmp = null;
  if (!o.site) {
    tmp = mkdtempSync(join(tmpdir(), 'zirkel-eval-'));
    o.site = join(tmp, 'site');
    const r = spawnSync(o.zirkel, ['--root', o.root, 'build', '--output', o.site], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`zirkel build failed:\n${r.stderr}`);
  }
  try {
    const results = {}, rankings = {};
    for (const e of o.engines) {
      if (e === 'cli') rankings[e] = cliRanking(o.zirkel, o.root, judged);
      else if (e === 'site') rankings[e] = await siteRanking(o.site, judged);
      else if (e === 'pagefind') {
        if (!tmp) { // Pagefind writes into the site: work on a copy
          tmp = mkdtempSync(join(tmpdir(), 'zirkel-eval-'));
          cpSync(o.site, join(tmp, 'site'), { recursive: true });
          o.site = join(tmp, 'site');
        }
        rankings[e] = await pagefindRanking(o, judged);
      } else throw new Error(`unknown engine ${e}`);
      results[e] = summarize(judged, rankings[e]);
    }
    console.log(table(results, o.engines));
    if (o.json) writeFileSync(o.json, JSON.stringify({ judged, rankings, results }, null, 1));
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => { console.error(`search-eval: ${e.message}`); process.exit(1); });
}
