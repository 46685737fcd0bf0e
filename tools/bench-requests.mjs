#!/usr/bin/env node
// What a round of requests costs in headless Chromium here, whatever is fetched: the
// floor under issue 3's "time to results", which needs dependent rounds of index files.
//
//   node tools/bench-requests.mjs [--runs N]      (default 9)
//
// A loopback server answers every /f/… with a 300-byte script, as an index file of the
// site. In a fresh browser context per measurement (an empty cache, as for a first
// query), a page loads N such files at once, by fetch() and by <script> elements, and
// times from the first request to the last response with performance.now(). Prints the
// median and the range per N and way. CHROMIUM=… as for tools/bench-search.mjs.
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 9;
const { chromium } = await import(join(repo, 'node_modules', 'playwright-core', 'index.mjs'));

const PAGE = `<!DOCTYPE html><meta charset="utf-8"><title>requests</title><script>
function got() {}
window.round = function (n, useScript) {
  var t0 = performance.now(), left = n;
  return new Promise(function (ok) {
    function one() { if (--left === 0) ok(performance.now() - t0); }
    for (var i = 0; i < n; i++) {
      var url = '/f/' + i + '-' + Math.random() + '.js';
      if (useScript) {
        var s = document.createElement('script');
        s.onload = one;
        s.src = url;
        document.head.appendChild(s);
      } else fetch(url).then(function (r) { return r.text(); }).then(one);
    }
  });
};
</script>`;
const server = createServer((req, res) => {
  const body = req.url.startsWith('/f/') ? `got(${JSON.stringify(req.url)},"${'x'.repeat(270)}");` : PAGE;
  res.writeHead(200, { 'content-type': req.url.startsWith('/f/') ? 'text/javascript' : 'text/html', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
console.log(`| files at once | fetch(): median ms (min–max) | <script>: median ms (min–max) |\n|---:|---:|---:|`);
try {
  for (const n of [1, 3, 6, 10]) {
    const t = { fetch: [], script: [] };
    for (let r = 0; r < runs; r++) {
      for (const way of ['fetch', 'script']) {
        const ctx = await browser.newContext();
        const page = await ctx.newPage();
        await page.goto(`http://127.0.0.1:${server.address().port}/`);
        await page.waitForTimeout(200);
        t[way].push(await page.evaluate(([k, s]) => window.round(k, s), [n, way === 'script']));
        await ctx.close();
      }
    }
    const cell = (xs) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
    console.log(`| ${n} | ${cell(t.fetch)} | ${cell(t.script)} |`);
  }
} finally {
  await browser.close();
  server.close();
}
