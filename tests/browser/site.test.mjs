// The built site in a real browser: every page type at phone, tablet and desktop
// width, from file:// and over HTTP under a sub-path, checked for console errors,
// sideways scrolling, requests to other hosts, missing files, WCAG 2.1 A/AA (axe-core),
// keyboard use with visible focus, navigation by clicking and printing. The same check
// functions (site-checks.mjs) run against a deliberately broken mini site
// (fixtures/broken/) first, to show that each of them finds what it is for.
//
// Sites: the fixture collection tests/fixtures/basic and the shipped collection
// (zirkel.yaml + content/ of ZIRKEL_ROOT), each copied to a temporary folder and built
// with `ZIRKEL_BIN build --output DIR`.
//
// Env: ZIRKEL_BIN (the zirkel binary), ZIRKEL_ROOT (the repository root), CHROMIUM
// (default /usr/bin/chromium), KEEP_TMP=1 keeps the temporary folders.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { BIN, ROOT, copyCollection, removeDir, zirkel } from './helpers.mjs';
import {
  CHECKS, WIDTHS, axeViolations, consoleProblems, focusProblems, foreignRequests, horizontalOverflow, launchBrowser,
  missingResources, openRecorded, runChecks, serveDir, tabThrough,
} from './site-checks.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BROKEN = join(here, 'fixtures', 'broken');
const PREFIX = '/org/praxis/';

let browser;
const dirs = [];
const servers = [];

before(async () => { browser = await launchBrowser(); });
after(async () => {
  if (browser) await browser.close();
  for (const s of servers) await s.close();
  dirs.forEach(removeDir);
});

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * Builds `dir` into `dir/site`. The binary may be replaced by a concurrent
 * `cargo build` at any moment: wait for it and retry a few times.
 */
async function buildSite(dir) {
  const out = join(dir, 'site');
  let last;
  for (let attempt = 0; attempt < 30; attempt++) {
    if (!existsSync(BIN)) { await sleep(2000); continue; }
    try {
      const r = zirkel(dir, 'build', '--output', out);
      if (r.status === 0) return out;
      last = new Error(`zirkel build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
      if (r.status !== null) throw last;
    } catch (e) {
      if (!/ENOENT|ETXTBSY|EACCES/.test(String(e.code || e.message))) throw e;
      last = e;
    }
    await sleep(2000);
  }
  throw last || new Error(`${BIN} did not appear`);
}

/** The richest (largest) page in each folder of a page type, and the single pages. */
function pageTypes(site, extra = []) {
  const largest = (folder) => {
    const files = readdirSync(join(site, folder)).filter((f) => f.endsWith('.html'));
    assert.ok(files.length > 0, `${folder}/ has pages`);
    files.sort((a, b) => statSync(join(site, folder, b)).size - statSync(join(site, folder, a)).size || a.localeCompare(b));
    return `${folder}/${files[0]}`;
  };
  return [
    'index.html', largest('praxis'), largest('feld'), largest('ergebnis'), largest('zielgruppe'),
    largest('schlagwort'), largest('land'), largest('kreis'), 'kreise.html', 'felder.html', 'schlagworte.html',
    'matrix.html', largest('seiten'), '404.html', 'einreichen.html', 'suche/index.html', ...extra,
  ];
}

/** Both sites, built once; `http` is a server for the site under /org/praxis/. */
const SITES = [
  {
    name: 'fixture tests/fixtures/basic',
    copy() {
      const dir = mkdtempSync(join(tmpdir(), 'zirkel-site-basic-'));
      cpSync(join(ROOT, 'tests', 'fixtures', 'basic'), dir, { recursive: true });
      return dir;
    },
    extra: ['feld/leer.html'], // a listing without entries
  },
  { name: 'shipped collection', copy: () => copyCollection('zirkel-site-shipped-'), extra: [] },
];

async function prepare(s) {
  if (s.site) return;
  const dir = s.copy();
  dirs.push(dir);
  s.site = await buildSite(dir);
  s.pages = pageTypes(s.site, s.extra);
  s.http = await serveDir(s.site, PREFIX);
  servers.push(s.http);
}

const fileUrl = (site, path) => pathToFileURL(join(site, path)).href;

/** Problems as "page @ width: problem" lines, so a failure lists all of them readably. */
function lines(label, problems) {
  return problems.map((p) => `${label}: ${p}`);
}

/** The computed background colour of the site header (transparent when the stylesheet did not load). */
const headerBackground = (page) => page.$eval('.site-header', (el) => getComputedStyle(el).backgroundColor);
const TRANSPARENT = 'rgba(0, 0, 0, 0)';

// ------------------------------------------------------------------ 6. the checks themselves

describe('each check finds exactly its problem in fixtures/broken/', () => {
  // Page → the one check that must report, and what it must say. index.html has no problem.
  const EXPECTED = {
    'index.html': null,
    'ohne-alt.html': ['axe', /^axe image-alt \(critical\): .* — img$/],
    'fremd.html': ['requests', /^request to another origin: http:\/\/203\.0\.113\.1\/x\.png$/],
    'konsole.html': ['console', /^console error: kaputt: absichtlicher Fehler aus konsole\.js \(.*konsole\.js:1\)$/],
    'inline.html': ['console', /^CSP violation: script-src-elem blocked inline in \S+:\d+$/],
    'breit.html': ['overflow', /^horizontal scrolling at 360 px: scrollWidth \d+ px; sticking out: div\.breit /],
    'fehlt.html': ['missing', /^(failed to load|HTTP 404): (file|http):\S*\/gibt-es-nicht\.css\b/],
    'fokus.html': ['focus', /^focus not visible on a\.kein-fokus\[href="index\.html"\] «ein Link ohne sichtbaren Fokus»/],
  };

  test('the fixture has the pages this test expects', () => {
    const pages = readdirSync(BROKEN).filter((f) => f.endsWith('.html')).sort();
    assert.deepEqual(pages, Object.keys(EXPECTED).sort());
  });

  for (const transport of ['file', 'http']) {
    test(`over ${transport === 'file' ? 'file://' : `HTTP under ${PREFIX}`}`, async () => {
      let server;
      if (transport === 'http') {
        server = await serveDir(BROKEN, PREFIX);
        servers.push(server);
      }
      const session = await openRecorded(browser, { origin: server && server.origin, width: 360 });
      try {
        for (const [file, expected] of Object.entries(EXPECTED)) {
          await session.visit(server ? `${server.base}${file}` : fileUrl(BROKEN, file));
          const found = await runChecks(session);
          const want = Object.fromEntries(Object.keys(CHECKS).map((name) => [name, 0]));
          if (expected) want[expected[0]] = 1;
          const counts = Object.fromEntries(Object.entries(found).map(([name, list]) => [name, list.length]));
          assert.deepEqual(counts, want, `${file}: ${JSON.stringify(found, null, 1)}`);
          if (expected) assert.match(found[expected[0]][0], expected[1], file);
        }
        if (server) {
          // The missing file was asked for and answered 404; nothing else was.
          assert.deepEqual(server.log.filter((r) => r.status !== 200).map((r) => [r.url, r.status]),
            [[`${PREFIX}gibt-es-nicht.css`, 404]]);
          // The other host was never reached: the request was aborted in the browser.
          assert.ok(server.log.every((r) => r.url.startsWith(PREFIX)), JSON.stringify(server.log));
        }
      } finally {
        await session.close();
      }
    });
  }

  test('the request checks follow the transport: file: is foreign over HTTP, another port is foreign too', () => {
    const rec = {
      requests: ['http://127.0.0.1:1/a.css', 'file:///etc/passwd', 'data:,x', 'http://127.0.0.1:8080/org/praxis/x.css'],
      blocked: [], failed: [{ url: 'http://127.0.0.1:8080/org/praxis/y.js', error: 'net::ERR_ABORTED' }],
      errorResponses: [{ url: 'http://127.0.0.1:8080/org/praxis/z.css', status: 404 }], console: [], pageErrors: [], csp: [],
    };
    assert.deepEqual(foreignRequests(rec, 'http://127.0.0.1:8080'), [
      'request to another origin: http://127.0.0.1:1/a.css', 'request to another origin: file:///etc/passwd',
    ]);
    assert.deepEqual(foreignRequests(rec, undefined), [
      'request to another origin: http://127.0.0.1:1/a.css', 'request to another origin: http://127.0.0.1:8080/org/praxis/x.css',
    ]);
    assert.deepEqual(missingResources(rec, 'http://127.0.0.1:8080'), [
      'HTTP 404: http://127.0.0.1:8080/org/praxis/z.css', 'failed to load: http://127.0.0.1:8080/org/praxis/y.js (net::ERR_ABORTED)',
    ]);
    // Over file:// the HTTP URLs are foreign, so the same failures are not "missing".
    assert.deepEqual(missingResources(rec, undefined), []);
    assert.deepEqual(consoleProblems(rec), []);
  });

  test('the test server serves only files inside its folder, with their content types', async () => {
    const server = await serveDir(BROKEN, PREFIX);
    servers.push(server);
    const get = (path) => new Promise((ok, fail) => {
      const req = request(`${server.origin}${path}`, (res) => {
        res.resume();
        res.on('end', () => ok({ status: res.statusCode, type: res.headers['content-type'], location: res.headers.location }));
      });
      req.on('error', fail);
      req.end();
    });
    assert.deepEqual(await get(`${PREFIX}stil.css`), { status: 200, type: 'text/css; charset=utf-8', location: undefined });
    assert.equal((await get(`${PREFIX}index.html`)).type, 'text/html; charset=utf-8');
    assert.equal((await get(`${PREFIX}konsole.js`)).type, 'text/javascript; charset=utf-8');
    assert.equal((await get(`${PREFIX}bild.svg`)).type, 'image/svg+xml');
    assert.equal((await get(PREFIX)).type, 'text/html; charset=utf-8');
    assert.equal((await get('/org/praxis')).location, PREFIX);
    for (const outside of ['/index.html', '/org/index.html', `${PREFIX}%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
      `${PREFIX}..%2f..%2f..%2f..%2fetc%2fpasswd`, `${PREFIX}%2fetc%2fpasswd`, `${PREFIX}gibt-es-nicht.css`, `${PREFIX}a%00.html`]) {
      assert.equal((await get(outside)).status, 404, outside);
    }
  });
});

// ------------------------------------------------------------------ the real sites

for (const s of SITES) {
  describe(`site of the ${s.name}`, () => {
    before(() => prepare(s));

    // 1. Every page type at three widths, from file:// and over HTTP under a sub-path.
    for (const transport of ['file', 'http']) {
      const how = transport === 'file' ? 'file://' : `HTTP under ${PREFIX}`;
      test(`every page type at ${WIDTHS.join(', ')} px over ${how}: no console or page errors, no sideways scrolling, no foreign requests, no missing files`, async () => {
        const origin = transport === 'http' ? s.http.origin : undefined;
        const url = (p) => (origin ? `${s.http.base}${p}` : fileUrl(s.site, p));
        const problems = [];
        let visited = 0;
        for (const width of WIDTHS) {
          const session = await openRecorded(browser, { origin, width });
          try {
            for (const p of s.pages) {
              const response = await session.visit(url(p));
              if (origin) assert.equal(response.status(), 200, p);
              const found = await runChecks(session, ['console', 'requests', 'missing', 'overflow']);
              problems.push(...lines(`${p} @ ${width}px`, Object.values(found).flat()));
              visited++;
            }
          } finally {
            await session.close();
          }
        }
        assert.equal(visited, s.pages.length * WIDTHS.length);
        assert.deepEqual(problems, []);
        if (origin) {
          const bad = s.http.log.filter((r) => r.status >= 400);
          assert.deepEqual(bad, [], 'the server answered no request with an error');
        }
      });
    }

    // 2. axe-core at 1280 px on every page type, and on the form showing its errors.
    test('axe-core: no WCAG 2.0/2.1 A or AA violations on every page type (1280 px)', async () => {
      const session = await openRecorded(browser, { width: 1280 });
      const problems = [];
      try {
        for (const p of s.pages) {
          await session.visit(fileUrl(s.site, p));
          problems.push(...lines(p, await axeViolations(session.page)));
        }
        // The submit form after an empty submission: error summary and field errors.
        await session.visit(fileUrl(s.site, 'einreichen.html'));
        await session.page.click('#herunterladen');
        await session.page.waitForSelector('#fehlerliste', { state: 'visible' });
        assert.ok(await session.page.isVisible('#f-title-error'), 'the field errors show');
        problems.push(...lines('einreichen.html with errors', await axeViolations(session.page)));
        problems.push(...lines('einreichen.html with errors', consoleProblems(session.rec)));
      } finally {
        await session.close();
      }
      assert.deepEqual(problems, []);
    });

    // 3. Keyboard only.
    test('keyboard: skip link first, Enter moves to main#inhalt, navigation reachable, focus always visible', async () => {
      const session = await openRecorded(browser, { width: 1280 });
      const { page } = session;
      const problems = [];
      try {
        for (const p of s.pages) {
          await session.visit(fileUrl(s.site, p));
          const navLinks = await page.$$eval('.site-header nav a', (as) => as.map((a) => a.href));
          const stops = await tabThrough(page);
          problems.push(...lines(p, focusProblems(stops)));
          assert.ok(stops.length > 0, `${p}: Tab reaches something`);
          assert.equal(stops[0].name, 'a.skip-link[href="#inhalt"]', `${p}: the first Tab focuses the skip link`);
          assert.ok(stops[0].onScreen && stops[0].visible, `${p}: the focused skip link is on screen with a visible focus`);
          const reachedNav = stops.filter((x) => x.inNav).map((x) => x.href);
          assert.deepEqual(reachedNav, navLinks, `${p}: every navigation link is reached by Tab, in order`);
          const firstMain = stops.findIndex((x) => x.inMain);
          const lastNav = stops.findLastIndex((x) => x.inNav);
          if (firstMain >= 0) assert.ok(lastNav < firstMain, `${p}: navigation comes before the content`);

          // Enter on the skip link moves the focus to main, and Tab continues from there.
          await session.visit(fileUrl(s.site, p));
          await page.keyboard.press('Tab');
          await page.keyboard.press('Enter');
          await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'inhalt');
          assert.equal(await page.evaluate(() => document.activeElement.tagName), 'MAIN', p);
          await page.keyboard.press('Tab');
          const next = await page.evaluate(() => {
            const el = document.activeElement;
            return { inHeader: !!el.closest('.site-header'), body: el === document.body, skip: el.classList.contains('skip-link') };
          });
          assert.ok(!next.inHeader && !next.skip, `${p}: after the skip link, Tab continues in the content, not the header`);
        }
      } finally {
        await session.close();
      }
      assert.deepEqual(problems, []);
    });

    test('keyboard: on einreichen.html every field and button is reachable and the buttons work with Enter and Space', async () => {
      const session = await openRecorded(browser, { width: 1280, contextOptions: { acceptDownloads: true } });
      const { page } = session;
      const form = fileUrl(s.site, 'einreichen.html');
      try {
        await session.visit(form);
        await page.waitForSelector('#ergebnis', { state: 'visible' });
        // Every control a keyboard user needs: all visible fields, the first radio of
        // each group (arrow keys move inside the group), the buttons and the preview.
        const expected = await page.evaluate(() => {
          const seen = new Set();
          return [...document.querySelectorAll('#einreichen input, #einreichen select, #einreichen textarea, #einreichen button, #einreichen [tabindex="0"]')]
            .filter((el) => el.getClientRects().length > 0 && el.tabIndex >= 0 && !el.disabled)
            .filter((el) => {
              if (el.type !== 'radio') return true;
              if (seen.has(el.name)) return false;
              seen.add(el.name);
              return true;
            })
            .map((el) => el.id);
        });
        for (const id of ['f-title', 'f-district', 'f-field', 'f-outcome-gelungen', 'f-summary', 'f-body', 'herunterladen', 'kopieren', 'vorschau']) {
          assert.ok(expected.includes(id), `#${id} is a control of the form`);
        }
        const stops = await tabThrough(page);
        const reached = stops.map((x) => x.id);
        assert.deepEqual(expected.filter((id) => !reached.includes(id)), [], 'every control is reached by Tab');
        assert.deepEqual(focusProblems(stops), []);

        /** Presses Tab until #id has the focus. */
        const tabTo = async (id) => {
          for (let i = 0; i < 200; i++) {
            await page.keyboard.press('Tab');
            if (await page.evaluate((x) => document.activeElement.id === x, id)) return;
          }
          assert.fail(`#${id} not reached by Tab`);
        };

        // Enter on "download" with the empty form: the error summary gets the focus, its
        // first link leads (Enter) to the field.
        await session.visit(form);
        await tabTo('herunterladen');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#fehlerliste', { state: 'visible' });
        assert.equal(await page.evaluate(() => document.activeElement.id), 'fehlerliste');
        assert.ok(await page.$eval('#fehlerliste', (el) => getComputedStyle(el).outlineStyle !== 'none'), 'the focused summary shows its focus');
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#f-title');
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.activeElement.id === 'f-title');

        // Space on "copy" with the empty form checks it as well.
        await session.visit(form);
        await tabTo('kopieren');
        await page.keyboard.press('Space');
        await page.waitForSelector('#fehlerliste', { state: 'visible' });
        assert.equal(await page.evaluate(() => document.activeElement.id), 'fehlerliste');

        // Filled in by keyboard alone, Enter on "download" downloads the file.
        await session.visit(form);
        await tabTo('f-title');
        await page.keyboard.type('Tastatur statt Maus');
        await tabTo('f-district');
        await page.keyboard.type('03153');
        await tabTo('f-field');
        await page.keyboard.press('ArrowDown');
        assert.notEqual(await page.$eval('#f-field', (el) => el.value), '', 'ArrowDown chooses a field');
        await tabTo('f-outcome-gelungen');
        await page.keyboard.press('Space');
        assert.ok(await page.isChecked('#f-outcome-gelungen'), 'Space checks the radio button');
        await tabTo('f-summary');
        await page.keyboard.type('Alles mit der Tastatur eingegeben.');
        await tabTo('herunterladen');
        const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
        assert.equal(download.suggestedFilename(), 'tastatur-statt-maus.md');
        assert.deepEqual(consoleProblems(session.rec), []);
      } finally {
        await session.close();
      }
    });

    // 4. file:// and HTTP under a sub-path: navigation by clicking.
    test('from file:// links navigate: home → field listing → entry and back', async () => {
      const session = await openRecorded(browser, { width: 1280 });
      const { page } = session;
      try {
        await session.visit(fileUrl(s.site, 'index.html'));
        assert.notEqual(await headerBackground(page), TRANSPARENT, 'the stylesheet loads');
        const field = page.locator('main table a[href^="feld/"]').first();
        const fieldName = (await field.textContent()).trim();
        await Promise.all([page.waitForURL(/\/feld\/[^/]+\.html$/), field.click()]);
        assert.equal((await page.textContent('h1')).trim(), fieldName);
        assert.notEqual(await headerBackground(page), TRANSPARENT);
        const entry = page.locator('main .cards a[href*="praxis/"]').first();
        const entryTitle = (await entry.textContent()).trim();
        await Promise.all([page.waitForURL(/\/praxis\/[^/]+\.html$/), entry.click()]);
        assert.equal((await page.textContent('h1')).trim(), entryTitle);
        assert.ok(await page.isVisible('.facts'));
        // Back by the breadcrumb link, then by the browser's history.
        await Promise.all([page.waitForURL(/\/feld\/[^/]+\.html$/), page.click('.breadcrumb a')]);
        assert.equal((await page.textContent('h1')).trim(), fieldName);
        await page.goBack();
        assert.match(page.url(), /\/praxis\/[^/]+\.html$/);
        await page.goBack();
        await page.goBack();
        assert.match(page.url(), /\/index\.html$/);
        assert.ok(page.url().startsWith('file:'));
        // A navigation link from an entry leads back to the top level.
        await session.visit(fileUrl(s.site, s.pages[1]));
        await Promise.all([page.waitForURL(/\/kreise\.html$/), page.click('.site-header nav a[href$="kreise.html"]')]);
        assert.notEqual(await headerBackground(page), TRANSPARENT);
        const all = [...consoleProblems(session.rec), ...foreignRequests(session.rec), ...missingResources(session.rec)];
        assert.deepEqual(all, []);
      } finally {
        await session.close();
      }
    });

    test(`over HTTP under ${PREFIX}: navigation by clicking, the stylesheet loads, no 404`, async () => {
      const { origin, base, log } = s.http;
      const from = log.length;
      const session = await openRecorded(browser, { origin, width: 1280 });
      const { page } = session;
      const styled = async (what) => assert.notEqual(await headerBackground(page), TRANSPARENT, `${what}: the stylesheet loads`);
      try {
        // The bare folder address serves index.html, and relative links still work from it.
        const response = await session.visit(base);
        assert.equal(response.status(), 200);
        await styled('home');
        const field = page.locator('main table a[href^="feld/"]').first();
        await Promise.all([page.waitForURL(`${base}feld/**`), field.click()]);
        await styled('field listing');
        await Promise.all([page.waitForURL(`${base}praxis/**`), page.locator('main .cards a').first().click()]);
        await styled('entry');
        await Promise.all([page.waitForURL(`${base}kreis/**`), page.locator('.facts a[href*="kreis/"]').first().click()]);
        await styled('district profile');
        await page.goBack();
        assert.ok(page.url().startsWith(`${base}praxis/`));
        // Every navigation link, from a page one folder down.
        const navHrefs = await page.$$eval('.site-header nav a', (as) => as.map((a) => a.getAttribute('href')));
        for (const href of navHrefs) {
          await page.click(`.site-header nav a[href="${href}"]`);
          await page.waitForLoadState('load');
          assert.ok(page.url().startsWith(base), `${href} stays under ${base}: ${page.url()}`);
          await styled(page.url());
          await page.goto(`${base}${s.pages[1]}`);
        }
        // The stylesheet really came over HTTP, as CSS.
        const css = log.slice(from).filter((r) => r.url.endsWith('/static/style.css'));
        assert.ok(css.length > 0 && css.every((r) => r.url === `${PREFIX}static/style.css` && r.status === 200), JSON.stringify(css));
        const all = [...consoleProblems(session.rec), ...foreignRequests(session.rec, origin), ...missingResources(session.rec, origin)];
        assert.deepEqual(all, []);
        const mine = log.slice(from);
        assert.deepEqual(mine.filter((r) => r.status >= 400 || !r.url.startsWith(PREFIX)), [], 'no 404 and nothing outside the sub-path');
      } finally {
        await session.close();
      }
    });

    // 5. Print.
    test('print: no header, navigation or footer; fact box and address shown; page.pdf works', async () => {
      const session = await openRecorded(browser, { width: 1280 });
      const { page } = session;
      const entry = s.pages[1];
      try {
        await session.visit(fileUrl(s.site, entry));
        assert.equal(await page.isVisible('.print-only'), false, 'the address is for paper only');
        await page.emulateMedia({ media: 'print' });
        const display = (sel) => page.$eval(sel, (el) => getComputedStyle(el).display);
        assert.equal(await display('.site-header'), 'none');
        assert.equal(await page.isVisible('.site-header nav'), false);
        assert.equal(await display('.site-footer'), 'none');
        assert.equal(await page.isVisible('.site-footer'), false);
        assert.equal(await page.isVisible('.skip-link'), false);
        assert.equal(await page.isVisible('.facts'), true);
        assert.equal(await page.isVisible('.print-only'), true);
        assert.match(await page.textContent('.print-only'), new RegExp(entry.replace(/[.]/g, '\\.')));
        assert.equal(await page.isVisible('h1'), true);
        const pdf = await page.pdf({ format: 'A4' });
        assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
        assert.ok(pdf.length > 5000, `a PDF of ${pdf.length} bytes`);
        await page.emulateMedia({ media: 'screen' });
        assert.equal(await page.isVisible('.site-header nav'), true);
        assert.deepEqual(consoleProblems(session.rec), []);
      } finally {
        await session.close();
      }
    });
  });
}
