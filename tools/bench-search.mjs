#!/usr/bin/env node
// Benchmark of zirkel's static search against Pagefind 1.6 on the same built site.
//
//   node tools/bench-search.mjs --site SITE [--root COLLECTION] [--runs N] [--json FILE]
//        [--zirkel BIN] [--pagefind BIN] [--pagefind-glob GLOB] [--queries FILE]
//        [--skip-build] [--skip-browser]
//
//   SITE        the built site (zirkel's output). If SITE/suche is missing and --root is
//               given, it is built once first (untimed).
//   --root      the collection (folder with zirkel.yaml); needed to time `zirkel build`.
//   --runs      rounds per measurement, default 5; every figure is the median.
//   --zirkel    default: $ZIRKEL_BIN, else target/release/zirkel of this repository.
//   --pagefind  Pagefind's npm launcher, default /tmp/pf/node_modules/.bin/pagefind; if it
//               is missing, `npm i pagefind@1.6 --prefix /tmp/pf` installs it there (not in
//               this repository's package.json). Same program as `npx pagefind@1.6`.
//   --pagefind-glob  passed to Pagefind as --glob (e.g. 'praxis/*.html' to index only the
//               entries, as zirkel's search does); default: Pagefind's own (every page).
//   --queries   JSON [{"set": "typisch", "q": "Sprachkurs"}, …]; default: the set below.
//   --skip-build    no build timing; uses SITE/suche and SITE/pagefind as they are.
//   --skip-browser  only build times and sizes.
//   --report FILE   only print the tables of an earlier run's --json FILE.
//   --modes A,B     only these browser modes (see below), e.g. zirkel,zirkel-enter while
//               tuning; the recorded figures use all of them.
//   --key-delay MS  milliseconds between keys in the key-by-key modes, default 150.
//   --think MS  after the page is ready and its network quiet, the box is focused and
//               typing starts MS later, default 1000 (a person finds the box first).
//               Before 2026-11-26 16:30 UTC typing started at once, 300 ms after the
//               network went quiet, while Chromium was still compiling the page's
//               scripts: that cost zirkel's first query 15-25 ms (BENCHMARKS.md).
//   --stream    the server streams every response from the disk (before 2026-11-26
//               16:30 UTC it did so), instead of sending it from memory; for A/B runs.
//   CHROMIUM=…  browser binary, default /usr/bin/chromium.
//
// What it measures (rounds alternate zirkel, Pagefind, zirkel, Pagefind, …):
//  (a) build: `zirkel --root R build --output SCRATCH` (the whole site, search index
//      included; SCRATCH is a sibling of SITE, emptied before each round) against
//      `pagefind --site SITE --output-subdir pagefind` (SITE/pagefind emptied first);
//      wall, CPU (user+sys) and peak RSS from /usr/bin/time, after `sync`.
//  (b) the index on disk: files and bytes of SITE/suche (without its index.html) and of
//      SITE/pagefind, split into index data and runtime; bytes as the files' lengths and
//      as the disk blocks they take.
//  (c) bytes a browser downloads for a first query: fresh browser context (empty cache),
//      page loaded, query typed, results shown, network quiet. Counted by the loopback
//      server itself (every response body, Pagefind's web worker included), no HTTP
//      compression. Split into runtime (search JS/CSS/wasm), index data and the page
//      (HTML, site CSS). "gzip" estimates what a compressing server would send:
//      per file min(raw, gzip -6) (Pagefind's index and wasm files are gzip already).
//  (d) time from typing to the first result in the DOM, measured inside the page with
//      performance.now(): the whole query is put into the search box at once and an
//      `input` event fired (as Playwright's fill does), then a MutationObserver waits
//      for the first result element. Cold: the first query after a fresh page load, but
//      after the page has loaded, its network gone quiet (what the page loads before
//      typing is counted in (c)), the box focused and --think ms passed. Modes:
//        zirkel          suche/index.html, `input` event (whatever ui.js does on a keystroke:
//                        the runtime of 2026-11-25 waited 120 ms, later ones search at once),
//                        until `#treffer li`
//        zirkel-enter    the query set and the form submitted at once, no input event (so no
//                        keystroke handling), until `#treffer li`
//        pagefind-ui     SITE/pagefind-test.html: Pagefind's default UI (pagefind-ui.js/css,
//                        new PagefindUI({element: '#search'}), default 300 ms debounce),
//                        until the first `.pagefind-ui__result-link` (a loaded result)
//        pagefind-ui0    the same page with debounceTimeoutMs: 0
//        pagefind-api    SITE/pagefind-api-test.html: pagefind.js's search(), then data()
//                        of the first 10 results, rendered as <li>; until the first <li>
//  (e) typed key by key, as a person types: the box focused, --think ms, then Playwright's
//      keyboard.type with --key-delay ms (default 150) between keys, every key firing
//      its events; from the last key's input event to the first result of a search for
//      the whole query (watchTyped below says how each page's is told apart from
//      results of the query typed so far). Bytes as in (c): from page load until the
//      results are shown and the network is quiet, so the other results' rows too.
//        zirkel-keys     suche/index.html (it searches on every keystroke, one search
//                        after another)
//        pagefind-keys   Pagefind's default UI (300 ms debounce)
//
// Writes SITE/pagefind-test.html and SITE/pagefind-api-test.html (after indexing, so
// Pagefind does not index them). Prints Markdown tables; --json FILE writes all figures.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');

const DEFAULT_QUERIES = [
  { set: 'typisch', q: 'Sprachkurs' },
  { set: 'typisch', q: 'Ehrenamt Koordination' },
  { set: 'typisch', q: 'Jobcenter Ausbildung Betriebe' },
  // The most frequent words of the generated collections (zirkel's dictionary counts).
  { set: 'häufigste', q: 'Landkreis' },
  { set: 'häufigste', q: 'Landkreis Flüchtlinge' },
  { set: 'häufigste', q: 'Landkreis Flüchtlinge nicht' },
];

const MODES = {
  zirkel: { engine: 'zirkel', page: 'suche/index.html', input: '#q', result: '#treffer li', status: '#suchstatus', none: '^Keine Einträge', submit: false },
  'zirkel-enter': { engine: 'zirkel', page: 'suche/index.html', input: '#q', result: '#treffer li', status: '#suchstatus', none: '^Keine Einträge', submit: true },
  'pagefind-ui': { engine: 'pagefind', page: 'pagefind-test.html', input: '.pagefind-ui__search-input', result: '.pagefind-ui__result-link', status: '.pagefind-ui__message', none: '^(Keine Ergebnisse|No results)' },
  'pagefind-ui0': { engine: 'pagefind', page: 'pagefind-test.html?debounce=0', input: '.pagefind-ui__search-input', result: '.pagefind-ui__result-link', status: '.pagefind-ui__message', none: '^(Keine Ergebnisse|No results)' },
  'pagefind-api': { engine: 'pagefind', page: 'pagefind-api-test.html', input: '#q', result: '#results li', status: '#status', none: '^0 results' },
  'zirkel-keys': { engine: 'zirkel', page: 'suche/index.html', input: '#q', result: '#treffer li', status: '#suchstatus', none: '^Keine Einträge', keys: true },
  'pagefind-keys': { engine: 'pagefind', page: 'pagefind-test.html', input: '.pagefind-ui__search-input', result: '.pagefind-ui__result-link', status: '.pagefind-ui__message', none: '^(Keine Ergebnisse|No results)', keys: true },
};
// Alternating: zirkel, Pagefind, zirkel, Pagefind, Pagefind.
const ORDER = ['zirkel', 'pagefind-ui', 'zirkel-enter', 'pagefind-ui0', 'pagefind-api', 'zirkel-keys', 'pagefind-keys'];
const COLUMNS = ['zirkel', 'zirkel-enter', 'pagefind-ui', 'pagefind-ui0', 'pagefind-api'];

function parseArgs(argv) {
  const o = { runs: 5, keyDelay: 150, think: 1000, zirkel: process.env.ZIRKEL_BIN || join(repo, 'target', 'release', 'zirkel'),
    pagefind: '/tmp/pf/node_modules/.bin/pagefind' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--site') o.site = resolve(v());
    else if (a === '--key-delay') o.keyDelay = Number(v());
    else if (a === '--think') o.think = Number(v());
    else if (a === '--stream') o.stream = true;
    else if (a === '--root') o.root = resolve(v());
    else if (a === '--runs') o.runs = Number(v());
    else if (a === '--json') o.json = resolve(v());
    else if (a === '--zirkel') o.zirkel = resolve(v());
    else if (a === '--pagefind') o.pagefind = resolve(v());
    else if (a === '--pagefind-glob') o.glob = v();
    else if (a === '--queries') o.queries = JSON.parse(readFileSync(v(), 'utf8'));
    else if (a === '--skip-build') o.skipBuild = true;
    else if (a === '--skip-browser') o.skipBrowser = true;
    else if (a === '--report') o.report = resolve(v());
    else if (a === '--modes') o.modes = v().split(',');
    else if (a === '-h' || a === '--help') { o.help = true; }
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.help && !o.site && !o.report) throw new Error('--site SITE is required');
  if (!(o.runs >= 1)) throw new Error('--runs must be at least 1');
  o.queries = o.queries || DEFAULT_QUERIES;
  for (const m of o.modes || []) if (!MODES[m]) throw new Error(`unknown mode ${m}; known: ${Object.keys(MODES).join(', ')}`);
  return o;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b), n = s.length;
  return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN;
};
const log = (...m) => console.error('[bench-search]', ...m);
const kib = (b) => (b >= 10 * 1024 * 1024 ? `${(b / 1048576).toFixed(1)} MiB` : b >= 10 * 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`);
const int = (n) => Math.round(n).toLocaleString('en-US');

// ---------------------------------------------------------------- setup

function ensurePagefind(o) {
  if (!existsSync(o.pagefind)) {
    const prefix = resolve(o.pagefind, '..', '..', '..');
    log(`installing pagefind@1.6 into ${prefix}`);
    const r = spawnSync('npm', ['i', 'pagefind@1.6', '--prefix', prefix, '--no-audit', '--no-fund'], { stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(o.pagefind)) throw new Error(`could not install pagefind@1.6 (npm exit ${r.status})`);
  }
  const r = spawnSync(o.pagefind, ['--version'], { encoding: 'utf8' });
  const version = (r.stdout || '').trim();
  if (!/^pagefind 1\.6\./.test(version)) throw new Error(`${o.pagefind} --version: ${version || r.stderr || r.error}`);
  return version;
}

function zirkelVersion(o) {
  const r = spawnSync(o.zirkel, ['--version'], { encoding: 'utf8' });
  const v = (r.stdout || '').trim() || String(r.error || r.stderr);
  const st = statSync(o.zirkel);
  return `${v} (binary of ${st.mtime.toISOString().slice(0, 19)}Z)`;
}

function machine() {
  const model = (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) || [])[1] || cpus()[0]?.model;
  const mem = (readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s*(\d+)/m) || [])[1];
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  return { nproc: Number(nproc), cpu: model, memGiB: mem ? Math.round(Number(mem) / 1048576) : null, node: process.version };
}

// ---------------------------------------------------------------- (a) build

/** Runs argv under /usr/bin/time; {wall, cpu, user, sys, rssMiB, stdout, stderr}. */
function timed(argv, opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-search-time-'));
  const out = join(dir, 'time');
  spawnSync('sync');
  const load = loadavg()[0];
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', out, ...argv],
    { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  const line = readFileSync(out, 'utf8').trim().split('\n').pop();
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const [wall, user, sys, rss] = line.split(/\s+/).map(Number);
  return { wall, user, sys, cpu: user + sys, rssMiB: rss / 1024, load, stdout: r.stdout, stderr: r.stderr };
}

function removeTestPages(site) {
  for (const f of ['pagefind-test.html', 'pagefind-api-test.html']) rmSync(join(site, f), { force: true });
}

function pagefindArgs(o) {
  return ['--site', o.site, '--output-subdir', 'pagefind', ...(o.glob ? ['--glob', o.glob] : [])];
}

function benchBuild(o) {
  const scratch = `${o.site.replace(/\/$/, '')}.zirkel-bench-build`;
  const z = [], p = [];
  let pages = null;
  removeTestPages(o.site);
  for (let i = 1; i <= o.runs; i++) {
    rmSync(scratch, { recursive: true, force: true });
    const rz = timed([o.zirkel, '--root', o.root, 'build', '--output', scratch]);
    z.push(rz);
    log(`build ${i}/${o.runs}: zirkel wall ${rz.wall} s, CPU ${rz.cpu.toFixed(2)} s (load before ${rz.load.toFixed(2)})`);
    rmSync(join(o.site, 'pagefind'), { recursive: true, force: true });
    const rp = timed([o.pagefind, ...pagefindArgs(o)]);
    p.push(rp);
    pages = Number((rp.stdout.match(/Indexed (\d+) pages/) || [])[1]) || pages;
    log(`build ${i}/${o.runs}: pagefind wall ${rp.wall} s, CPU ${rp.cpu.toFixed(2)} s (${pages} pages, load before ${rp.load.toFixed(2)})`);
  }
  const zout = z[z.length - 1].stdout + z[z.length - 1].stderr;
  rmSync(scratch, { recursive: true, force: true });
  const sum = (rs) => ({
    wall: median(rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)), rssMiB: median(rs.map((r) => r.rssMiB)),
    runs: rs.map((r) => ({ wall: r.wall, user: r.user, sys: r.sys, rssMiB: Math.round(r.rssMiB), load1: r.load })),
  });
  return { zirkel: { ...sum(z), summary: zout.trim().split('\n')[0] }, pagefind: { ...sum(p), pages } };
}

// ---------------------------------------------------------------- (b) size

function walk(dir, fn, rel = '') {
  if (!existsSync(dir)) return; // Pagefind's folder when only zirkel is measured
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(join(dir, e.name), fn, r);
    else if (e.isFile()) fn(r, lstatSync(join(dir, e.name)));
  }
}

function tally(dir, classify) {
  const out = {};
  walk(dir, (rel, st) => {
    const k = classify(rel);
    if (!k) return;
    const t = (out[k] ||= { files: 0, bytes: 0, blocks: 0 });
    t.files++; t.bytes += st.size; t.blocks += st.blocks * 512;
  });
  return out;
}

function benchSize(o) {
  const z = tally(join(o.site, 'suche'), (rel) => (rel === 'index.html' ? null : 'index'));
  z.runtime = tally(join(o.site, 'static', 'search'), () => 'runtime').runtime;
  const p = tally(join(o.site, 'pagefind'), (rel) => (
    /^(index|fragment|filter)\//.test(rel) || /\.pf_meta$/.test(rel) || rel === 'pagefind-entry.json' ? 'index' : 'runtime'));
  return { zirkel: z, pagefind: p };
}

// ---------------------------------------------------------------- (c), (d) browser

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.xml': 'application/xml' };

/**
 * Static server for `root` on 127.0.0.1; counts every response body into `server.log`.
 * Each file is read once and then sent from memory in one write, as a production server
 * sends a file it has in the page cache. Streaming each response from the disk instead
 * cost every round of requests several ms of thread-pool hops on this 2-core machine:
 * the whole query's time was 66 ms with streaming, 59 ms from memory and 58 ms with
 * nginx 1.22 (sendfile, open_file_cache), alternating, 24 runs each (BENCHMARKS.md).
 * With `stream`, each response is streamed from the disk as before (for A/B runs).
 */
function serve(root, stream) {
  const files = new Map();
  const state = { log: [], inflight: 0, last: Date.now() };
  const server = createServer((req, res) => {
    state.inflight++; state.last = Date.now();
    let done = false;
    const finish = () => { if (!done) { done = true; state.inflight--; state.last = Date.now(); } };
    res.on('close', finish);
    let path;
    try { path = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { path = '/'; }
    let f = files.get(path);
    if (!f) {
      let file = resolve(root, `.${sep}${path}`);
      if (!(file === root || file.startsWith(root + sep))) file = null;
      try { if (file && statSync(file).isDirectory()) file = join(file, 'index.html'); } catch { file = null; }
      if (file && existsSync(file)) {
        const body = readFileSync(file);
        f = { file, body, type: TYPES[extname(file)] || 'application/octet-stream',
          gzip: Math.min(body.length, gzipSync(body, { level: 6 }).length) };
        files.set(path, f);
      }
    }
    if (!f) {
      const body = 'Not Found';
      state.log.push({ path, status: 404, bytes: body.length, gzip: body.length });
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end(body);
    }
    state.log.push({ path, status: 200, bytes: f.body.length, gzip: f.gzip });
    res.writeHead(200, { 'content-type': f.type, 'content-length': f.body.length, 'cache-control': 'public, max-age=3600' });
    if (stream) createReadStream(f.file).pipe(res);
    else res.end(f.body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, state, port: server.address().port })));
}

async function quiet(state, ms = 300, max = 10000) {
  const t0 = Date.now();
  for (;;) {
    if (state.inflight === 0 && Date.now() - state.last >= ms) return;
    if (Date.now() - t0 > max) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function kind(engine, path) {
  if (engine === 'zirkel') {
    if (path.startsWith('/static/search/')) return 'runtime';
    if (path.startsWith('/suche/') && path.endsWith('.js')) return 'index';
    return 'page';
  }
  if (path.startsWith('/pagefind/')) {
    return /\.(js|css)$/.test(path) || /\/wasm\.[^/]*\.pagefind$/.test(path) ? 'runtime' : 'index';
  }
  return 'page';
}

function writeTestPages(site) {
  writeFileSync(join(site, 'pagefind-test.html'), `<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pagefind UI (bench-search)</title>
<link rel="icon" href="data:,">
<link href="pagefind/pagefind-ui.css" rel="stylesheet">
<script src="pagefind/pagefind-ui.js"></script>
</head>
<body>
<div id="search"></div>
<script>
window.addEventListener('DOMContentLoaded', function () {
  var p = new URLSearchParams(location.search), opts = { element: '#search' };
  if (p.has('debounce')) opts.debounceTimeoutMs = Number(p.get('debounce'));
  new PagefindUI(opts);
});
</script>
</body>
</html>
`);
  writeFileSync(join(site, 'pagefind-api-test.html'), `<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pagefind API (bench-search)</title>
<link rel="icon" href="data:,">
</head>
<body>
<input id="q" type="search" autocomplete="off">
<p id="status"></p>
<ol id="results"></ol>
<script type="module">
import * as pagefind from './pagefind/pagefind.js';
const input = document.getElementById('q'), list = document.getElementById('results'), status = document.getElementById('status');
let run = 0;
input.addEventListener('input', async () => {
  const mine = ++run;
  const r = await pagefind.search(input.value);
  if (mine !== run || !r) return;
  const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  if (mine !== run) return;
  list.textContent = '';
  for (const d of data) {
    const li = document.createElement('li'), a = document.createElement('a'), p = document.createElement('p');
    a.href = d.url; a.textContent = d.meta.title; p.innerHTML = d.excerpt;
    li.append(a, p); list.append(li);
  }
  status.textContent = r.results.length + ' results';
});
window.pfReady = true;
</script>
</body>
</html>
`);
}

/** In the page: put q into the box, fire input (and submit), wait for the first result. */
function typeAndWait({ input, result, status, none, q, submit }) {
  return new Promise((resolve, reject) => {
    const box = document.querySelector(input);
    const t0 = performance.now();
    const done = () => {
      const found = !!document.querySelector(result);
      const empty = !found && new RegExp(none).test(document.querySelector(status)?.textContent.trim() || '');
      if (!found && !empty) return false;
      const ms = performance.now() - t0;
      obs.disconnect(); clearTimeout(timer);
      resolve({ ms, empty });
      return true;
    };
    const obs = new MutationObserver(done);
    const timer = setTimeout(() => { obs.disconnect(); reject(new Error(`no ${result} after 30 s; status: ${document.querySelector(status)?.textContent}`)); }, 30000);
    obs.observe(document.body, { childList: true, subtree: true, characterData: true });
    box.value = q;
    // submit: the query as if pasted and sent at once, without the input event whose
    // debounced search would supersede (and so delay) the submitted one.
    if (submit) box.form.requestSubmit();
    else box.dispatchEvent(new Event('input', { bubbles: true }));
    done();
  });
}

/**
 * In the page, before typing key by key: window.benchTyped resolves with the time from
 * the last key's input event to the first result of a search for the whole query (not
 * keydown: Playwright types ä, ö, ü and ß without one). zirkel runs one search after
 * another; its engine's search is wrapped here so that each result it hands to the
 * page says which query it is for (the page's URL follows only once a search is done,
 * since 2026-11-26 21:30 UTC). Pagefind's UI names the query in its message (a result
 * element it kept from an earlier search counts as shown: that favours Pagefind).
 */
function watchTyped({ input, result, status, none, q, engine }) {
  const box = document.querySelector(input);
  let lastKey = 0, timer = 0, shownFor = null;
  if (engine === 'zirkel') {
    const E = window.ZirkelEngine.Engine.prototype, search = E.search;
    E.search = function (text, filters, limit, opts) {
      const each = opts && opts.each;
      if (each) opts = Object.assign({}, opts, { each: (h, k) => { shownFor = text; each(h, k); } });
      return search.call(this, text, filters, limit, opts);
    };
  }
  window.benchTyped = new Promise((resolve, reject) => {
    // 60 s after the last key at most, however long the query takes to type.
    const fail = () => { obs.disconnect(); reject(new Error(`no result for the whole query after 60 s; status: ${document.querySelector(status)?.textContent}`)); };
    // On window, capturing: before the page's own handler runs.
    window.addEventListener('input', () => {
      lastKey = performance.now();
      clearTimeout(timer);
      timer = setTimeout(fail, 60000);
    }, true);
    const whole = () => box.value === q && (engine === 'zirkel'
      ? shownFor === q || new URLSearchParams(location.search).get('q') === q
      : (document.querySelector(status)?.textContent || '').includes(q));
    const obs = new MutationObserver((records) => {
      if (!whole()) return;
      const found = engine === 'zirkel'
        ? records.some((r) => [...r.addedNodes].some((n) => n.nodeType === 1 && n.matches(result)))
        : !!document.querySelector(result);
      const empty = !found && new RegExp(none).test(document.querySelector(status)?.textContent.trim() || '');
      if (!found && !empty) return;
      obs.disconnect(); clearTimeout(timer);
      resolve({ ms: performance.now() - lastKey, empty });
    });
    timer = setTimeout(fail, 60000);
    obs.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

async function oneQuery(browser, srv, mode, q, keyDelay, think) {
  const m = MODES[mode];
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    srv.state.log = [];
    await page.goto(`http://127.0.0.1:${srv.port}/${m.page}`, { waitUntil: 'load' });
    if (m.engine === 'zirkel') await page.waitForFunction((s) => document.querySelector(s)?.textContent.trim(), m.status);
    else if (mode === 'pagefind-api') await page.waitForFunction(() => window.pfReady === true);
    else await page.waitForSelector(m.input);
    await quiet(srv.state);
    const before = srv.state.log.length;
    // As a person does: into the box, then typing a moment later (see --think).
    await page.focus(m.input);
    await page.waitForTimeout(think);
    await quiet(srv.state);
    let ms, empty;
    if (m.keys) {
      await page.evaluate(watchTyped, { input: m.input, result: m.result, status: m.status, none: m.none, q, engine: m.engine });
      await page.keyboard.type(q, { delay: keyDelay });
      ({ ms, empty } = await page.evaluate(() => window.benchTyped));
    } else {
      ({ ms, empty } = await page.evaluate(typeAndWait, { input: m.input, result: m.result, status: m.status, none: m.none, q, submit: !!m.submit }));
    }
    // Let the rest of the first page of results load (e.g. Pagefind UI's other fragments).
    await page.waitForTimeout(m.engine === 'zirkel' ? 200 : 400);
    await quiet(srv.state);
    const shown = await page.$$eval(m.result, (els) => els.length);
    const statusText = (await page.$eval(m.status, (e) => e.textContent).catch(() => '')).trim().replace(/\s+/g, ' ');
    const bytes = { runtime: 0, index: 0, page: 0, requests: 0, gzip: 0, afterTyping: 0, files: [] };
    srv.state.log.forEach((r, i) => {
      const k = kind(m.engine, r.path);
      bytes[k] += r.bytes; bytes.gzip += r.gzip; bytes.requests++;
      if (i >= before) bytes.afterTyping += r.bytes;
      bytes.files.push(`${r.status} ${r.path} ${r.bytes}`);
    });
    bytes.total = bytes.runtime + bytes.index + bytes.page;
    if (errors.length) log(`${mode} "${q}": page errors: ${errors.join('; ')}`);
    return { ms, empty, bytes, shown, status: statusText, errors };
  } finally {
    await ctx.close();
  }
}

async function benchBrowser(o) {
  const { chromium } = await import(join(repo, 'node_modules', 'playwright-core', 'index.mjs'));
  writeTestPages(o.site);
  const srv = await serve(o.site, o.stream);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const out = [];
  try {
    // One throw-away round so the first measured one does not pay for Chromium's start.
    const order = o.modes ? ORDER.filter((m) => o.modes.includes(m)) : ORDER;
    for (const mode of new Set(order.map((m) => (MODES[m].engine === 'zirkel' ? 'zirkel' : 'pagefind-ui')))) {
      await oneQuery(browser, srv, mode, 'Landkreis', o.keyDelay, o.think);
    }
    for (const { set, q } of o.queries) {
      const row = { set, q, words: q.trim().split(/\s+/).length, modes: {} };
      for (let i = 1; i <= o.runs; i++) {
        for (const mode of order) {
          const r = await oneQuery(browser, srv, mode, q, o.keyDelay, o.think);
          (row.modes[mode] ||= []).push(r);
        }
        log(`"${q}" round ${i}/${o.runs}: ` + order.map((m) => `${m} ${row.modes[m][i - 1].ms.toFixed(0)} ms`).join(', '));
      }
      for (const mode of order) {
        const rs = row.modes[mode];
        const b = (k) => median(rs.map((r) => r.bytes[k]));
        row.modes[mode] = {
          ms: median(rs.map((r) => r.ms)), msRuns: rs.map((r) => Math.round(r.ms * 10) / 10),
          bytes: { runtime: b('runtime'), index: b('index'), page: b('page'), total: b('total'), gzip: b('gzip'),
            requests: b('requests'), afterTyping: b('afterTyping'),
            totalMin: Math.min(...rs.map((r) => r.bytes.total)), totalMax: Math.max(...rs.map((r) => r.bytes.total)) },
          files: rs[0].bytes.files, shown: rs[0].shown, status: rs[0].status,
          errors: [...new Set(rs.flatMap((r) => r.errors))],
        };
      }
      out.push(row);
    }
  } finally {
    await browser.close();
    srv.server.close();
  }
  return out;
}

// ---------------------------------------------------------------- report

function report(res) {
  const L = [];
  L.push(`Machine: ${res.machine.nproc} cores (${res.machine.cpu}), ${res.machine.memGiB} GiB, Node ${res.machine.node}; `
    + `${res.zirkelVersion}; ${res.pagefindVersion}; ${res.runs} rounds, medians.`, '');
  if (res.warning) L.push(`**Warning:** ${res.warning}`, '');
  if (res.build) {
    const b = res.build, med = (x, k) => median(x.runs.map((r) => r[k])).toFixed(2);
    const fmt = (x) => `${x.wall.toFixed(2)} s | ${x.cpu.toFixed(2)} s | ${med(x, 'user')} s | ${med(x, 'sys')} s | ${Math.round(x.rssMiB)} MiB | `
      + x.runs.map((r) => `${r.wall.toFixed(1)}/${(r.user + r.sys).toFixed(1)}`).join(', ');
    L.push('### (a) Build', '', '| | wall | CPU (user+sys) | user | sys | peak RSS | each round: wall/CPU s |', '|---|---:|---:|---:|---:|---:|---|');
    L.push(`| zirkel build (whole site incl. search index) | ${fmt(b.zirkel)} |`);
    L.push(`| Pagefind 1.6 index (${b.pagefind.pages} pages${res.glob ? `, --glob '${res.glob}'` : ''}) | ${fmt(b.pagefind)} |`, '');
  }
  if (res.size) {
    const s = res.size, row = (name, t) => `| ${name} | ${int(t.files)} | ${int(t.bytes)} (${kib(t.bytes)}) | ${int(t.blocks)} (${kib(t.blocks)}) |`;
    L.push('### (b) Index on disk', '', '| | files | bytes | on disk (blocks) |', '|---|---:|---:|---:|');
    L.push(row('zirkel index data (suche/ without index.html)', s.zirkel.index), row('zirkel runtime (static/search/)', s.zirkel.runtime));
    if (s.pagefind.index) L.push(row('Pagefind index data (index/, fragment/, pf_meta, entry)', s.pagefind.index), row('Pagefind runtime (js, css, wasm)', s.pagefind.runtime));
    L.push('');
  }
  if (res.browser) {
    L.push('### (c) Bytes downloaded for a first query (fresh context, no cache, uncompressed bodies)', '',
      '| query | words | engine / page | runtime | index data | page | total | requests | gzip est. | results shown · status |',
      '|---|---:|---|---:|---:|---:|---:|---:|---:|---|');
    for (const r of res.browser) {
      for (const mode of ['zirkel', 'pagefind-ui', 'pagefind-api']) {
        const m = r.modes[mode], b = m && m.bytes;
        if (!m) continue;
        L.push(`| ${r.q} (${r.set}) | ${r.words} | ${mode} | ${int(b.runtime)} | ${int(b.index)} | ${int(b.page)} | ${int(b.total)} | ${b.requests} | ${int(b.gzip)} | ${m.shown} · ${m.status.slice(0, 40)} |`);
      }
    }
    L.push('', `### (d) Typing to first result in the DOM, cold (first query after a fresh page load), typing ${res.think ?? 0} ms after the box was focused, ms`, '',
      '| query | words | zirkel, typed | zirkel, Enter | Pagefind UI (300 ms debounce) | Pagefind UI, debounce 0 | Pagefind JS API (search + 10× data) |',
      '|---|---:|---:|---:|---:|---:|---:|');
    for (const r of res.browser) {
      const c = (mode) => { const m = r.modes[mode]; if (!m) return '–'; return `${m.ms.toFixed(0)} (${Math.min(...m.msRuns).toFixed(0)}–${Math.max(...m.msRuns).toFixed(0)})`; };
      L.push(`| ${r.q} (${r.set}) | ${r.words} | ${COLUMNS.map(c).join(' | ')} |`);
    }
    L.push('', 'Cells: median (min–max) over the rounds.');
    if (res.browser.some((r) => r.modes['zirkel-keys'] || r.modes['pagefind-keys'])) {
      L.push('', `### (e) Typed key by key, ${res.keyDelay} ms a key: from the last key to the first result of the whole query, ms; index bytes downloaded from page load until the results are shown and the network is quiet`, '',
        '| query | words | zirkel | zirkel, index bytes | Pagefind UI (300 ms debounce) | Pagefind UI, index bytes |', '|---|---:|---:|---:|---:|---:|');
      for (const r of res.browser) {
        const c = (mode) => { const m = r.modes[mode]; return m ? `${m.ms.toFixed(0)} (${Math.min(...m.msRuns).toFixed(0)}–${Math.max(...m.msRuns).toFixed(0)}) | ${int(m.bytes.index)}` : '– | –'; };
        L.push(`| ${r.q} (${r.set}) | ${r.words} | ${c('zirkel-keys')} | ${c('pagefind-keys')} |`);
      }
    }
  }
  return L.join('\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0].replace(/^#!.*\n/, '').replace(/^\/\/ ?/gm, ''));
    return;
  }
  if (o.report) {
    console.log(report(JSON.parse(readFileSync(o.report, 'utf8'))));
    return;
  }
  const res = { site: o.site, root: o.root || null, runs: o.runs, keyDelay: o.keyDelay, think: o.think, stream: !!o.stream, glob: o.glob || null, machine: machine(),
    zirkelVersion: zirkelVersion(o), pagefindVersion: ensurePagefind(o), started: new Date().toISOString() };
  if (!existsSync(join(o.site, 'suche', 'meta.js'))) {
    if (!o.root) throw new Error(`${o.site}/suche/meta.js missing: give --root to build the site`);
    log(`building ${o.root} into ${o.site} (untimed)`);
    const r = spawnSync(o.zirkel, ['--root', o.root, 'build', '--output', o.site], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`zirkel build failed:\n${r.stdout}\n${r.stderr}`);
  }
  if (!o.skipBuild) {
    if (!o.root) throw new Error('--root COLLECTION is needed to time the build (or --skip-build)');
    res.build = benchBuild(o);
  } else if (!existsSync(join(o.site, 'pagefind', 'pagefind.js')) && !(o.modes && o.modes.every((m) => MODES[m].engine === 'zirkel'))) {
    removeTestPages(o.site);
    log('indexing with Pagefind (untimed)');
    timed([o.pagefind, ...pagefindArgs(o)]);
  }
  res.size = benchSize(o);
  if (!o.skipBrowser) res.browser = await benchBrowser(o);
  const after = zirkelVersion(o);
  if (after !== res.zirkelVersion) {
    res.warning = `the zirkel binary changed during the run: ${res.zirkelVersion} -> ${after}`;
    log(res.warning);
  }
  const text = report(res);
  console.log(text);
  if (o.json) writeFileSync(o.json, JSON.stringify(res, null, 2) + '\n');
}

main().catch((e) => { console.error(`bench-search: ${e.stack || e}`); process.exit(1); });
