// The search page in headless Chromium, from file:// and over HTTP under a sub-path:
// typing a query shows the result `zirkel search` ranks first, the count is announced
// in a live region, a facet filter changes counts and results, query and filters are
// in the URL (and a bookmarked URL restores them), the header's search box leads
// there, keyboard only works, and the page passes the site checks (console, CSP,
// foreign requests, overflow, axe WCAG 2.1 AA).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { build, copyCollection, removeDir, zirkel } from './helpers.mjs';
import { launchBrowser, openRecorded, runChecks, serveDir } from './site-checks.mjs';

const PREFIX = '/org/praxis/';
let browser, dir, site, server;

before(async () => {
  browser = await launchBrowser();
  dir = copyCollection('zirkel-search-');
  site = build(dir);
  server = await serveDir(site, PREFIX);
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  removeDir(dir);
});

/** What `zirkel search --json` finds, for the expected results. */
function cli(...args) {
  const r = zirkel(dir, 'search', '--json', '--limit', '20', ...args);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const status = (page) => page.locator('#suchstatus').textContent();
const titles = (page) => page.locator('#treffer li h2 a').allTextContents();

/** Waits until the status line shows a new count and, when a filter is set (the facet
 * file then loads with the results), the filters their counts. */
async function waitForCount(page, previous) {
  await page.waitForFunction((prev) => {
    const t = document.getElementById('suchstatus').textContent;
    return /Treffer|Keine/.test(t) && t !== prev;
  }, previous);
  const said = await status(page);
  const filtered = await page.evaluate(() => [...document.querySelectorAll('#suche select')].some((s) => s.value));
  if (!/^Keine/.test(said) && filtered) {
    await page.waitForFunction(() => document.getElementById('suche').dataset.counts === 'ready');
  }
  return said;
}

for (const transport of ['file', 'http']) {
  describe(`search page over ${transport === 'file' ? 'file://' : `HTTP under ${PREFIX}`}`, () => {
    const url = (path) => (transport === 'http' ? `${server.base}${path}` : pathToFileURL(join(site, path)).href);
    const origin = () => (transport === 'http' ? server.origin : undefined);

    test('typing shows the first result of zirkel search, a facet filter narrows it, the URL keeps both', async () => {
      const expected = cli('Sprachkurs');
      assert.ok(expected.total > 1, 'the query finds several entries');
      const session = await openRecorded(browser, { origin: origin(), width: 1280 });
      const { page } = session;
      try {
        await session.visit(url('suche/index.html'));
        // Before typing, the index's meta file only: the warm-up after it searches
        // made-up data in memory (engine.js `warm`), given time to run here.
        await page.waitForTimeout(300);
        const index = session.rec.requests.filter((u) => /\/suche\/(?!index\.html)/.test(u));
        assert.deepEqual(index.map((u) => u.replace(/.*\/suche\//, '')), ['meta.js']);
        await page.locator('#q').focus();
        await page.keyboard.type('Sprachkurs');
        // Each keystroke searches; wait for the answer to the whole word.
        await page.waitForFunction((want) => document.getElementById('suchstatus').textContent === want,
          `${expected.total} Treffer`);
        assert.equal((await titles(page))[0], expected.results[0].title);
        // The facet module and file load when the filters are first used, not with the results.
        // Index files load as scripts over file:// and are fetched over HTTP: the
        // session records both kinds of request.
        const facetFile = async () => ['suche/f.js', 'search/facets.js']
          .map((f) => session.rec.requests.some((u) => u.endsWith(f))).join();
        assert.equal(await facetFile(), 'false,false', 'the facet module and file wait for the filters');
        await page.locator('#filter-field').focus();
        await page.waitForFunction(() => document.getElementById('suche').dataset.counts === 'ready');
        assert.equal(await facetFile(), 'true,true');
        assert.match(page.url(), /[?&]q=Sprachkurs(&|$)/);
        const mark = await page.locator('#treffer mark').count();
        assert.ok(mark > 0, 'matching words are highlighted');
        // The first result links to its entry.
        const href = await page.locator('#treffer li h2 a').first().getAttribute('href');
        assert.equal(href, `../${expected.results[0].url}`);

        // A field filter: counts in the options, fewer results, the filter in the URL.
        const field = Object.entries(expected.facets.field).sort((a, b) => a[1] - b[1])[0];
        const option = page.locator(`#filter-field option[value="${field[0]}"]`);
        assert.match(await option.textContent(), new RegExp(`\\(${field[1]}\\)$`));
        const before = await status(page);
        await page.locator('#filter-field').selectOption(field[0]);
        const narrowed = cli('Sprachkurs', '--field', field[0]);
        const now = await waitForCount(page, before);
        assert.equal(now, narrowed.total === 1 ? '1 Treffer' : `${narrowed.total} Treffer`);
        assert.deepEqual(await titles(page), narrowed.results.slice(0, 10).map((r) => r.title));
        assert.match(page.url(), new RegExp(`[?&]feld=${field[0]}(&|$)`));
        // Other facets now count only the narrowed results.
        const outcomes = await page.locator('#filter-outcome option').allTextContents();
        const sum = outcomes.slice(1).reduce((n, t) => n + Number(/\((\d+)\)$/.exec(t)[1]), 0);
        assert.equal(sum, narrowed.total);

        // The URL restores query and filter on a fresh load (bookmark, shared link).
        const bookmarked = page.url();
        await session.visit(bookmarked);
        await waitForCount(page, '');
        assert.equal(await page.locator('#q').inputValue(), 'Sprachkurs');
        assert.equal(await page.locator('#filter-field').inputValue(), field[0]);
        assert.deepEqual(await titles(page), narrowed.results.slice(0, 10).map((r) => r.title));

        const problems = await runChecks(session);
        assert.deepEqual(Object.values(problems).flat(), []);
      } finally {
        await session.close();
      }
    });

    test('the header search box leads to the search page with results; no result is said so', async () => {
      const session = await openRecorded(browser, { origin: origin(), width: 360 });
      const { page } = session;
      try {
        await session.visit(url('index.html'));
        await page.locator('#kopfsuche').fill('Ehrenamt');
        await page.keyboard.press('Enter');
        await page.waitForURL(/suche\/index\.html\?q=Ehrenamt/);
        const expected = cli('Ehrenamt');
        assert.equal(await waitForCount(page, ''), `${expected.total} Treffer`);
        assert.equal((await titles(page))[0], expected.results[0].title);
        // Umlauts typed as ae/oe/ue find the same entries.
        assert.deepEqual(cli('Auslaenderbehoerde').results.map((r) => r.slug), cli('Ausländerbehörde').results.map((r) => r.slug));
        const before = await status(page);
        await page.locator('#q').fill('Quantencomputer');
        assert.match(await waitForCount(page, before), /^Keine Einträge/);
        assert.equal(await page.locator('#treffer li').count(), 0);
        // A plain question no entry answers with every word: the entries with the
        // most of them, under a notice, in zirkel search's order.
        const question = 'Wie finden Geflüchtete auf dem Land eine Wohnung?';
        const partial = cli(question);
        assert.equal(partial.partial, true);
        await page.locator('#q').fill(question);
        assert.equal(await waitForCount(page, 'Keine Einträge enthalten alle Wörter. Versuchen Sie weniger oder andere Wörter.'),
          `Keine Einträge enthalten alle Wörter – Einträge mit den meisten davon: ${partial.total === 1 ? '1 Treffer' : `${partial.total} Treffer`}`);
        assert.deepEqual(await titles(page), partial.results.slice(0, 10).map((r) => r.title));
        // A word that matches nothing: the nearest term, and the page says so with the
        // word as the collection writes it (loaded from w/), not the term.
        const fixed = cli('Monitorng');
        assert.deepEqual(fixed.corrected, [{ word: 'Monitorng', term: 'monitoring', written: 'Monitoring' }]);
        const shown = await status(page);
        await page.locator('#q').fill('Monitorng');
        assert.equal(await waitForCount(page, shown),
          `Ergebnisse für »Monitoring« – meinten Sie »Monitoring« statt »Monitorng«? ${fixed.total === 1 ? '1 Treffer' : `${fixed.total} Treffer`}`);
        assert.deepEqual(await titles(page), fixed.results.slice(0, 10).map((r) => r.title));
        // A compound nobody wrote finds its parts where they stand together: the
        // runtime loads their block lists (b/) too.
        const split = cli('Traumatherapie');
        assert.equal(split.total, 1);
        const was = await status(page);
        await page.locator('#q').fill('Traumatherapie');
        assert.equal(await waitForCount(page, was), '1 Treffer');
        assert.deepEqual(await titles(page), split.results.map((r) => r.title));
        const problems = await runChecks(session, ['console', 'requests', 'missing', 'overflow', 'axe']);
        assert.deepEqual(Object.values(problems).flat(), []);
      } finally {
        await session.close();
      }
    });
  });
}

test('the result count is announced politely and "more" extends the list', async () => {
  const session = await openRecorded(browser, { origin: server.origin });
  const { page } = session;
  try {
    const expected = cli('Integration');
    assert.ok(expected.total > 10, 'enough results for a second page');
    await session.visit(`${server.base}suche/index.html?q=Integration`);
    await waitForCount(page, '');
    const live = page.locator('#suchstatus');
    assert.equal(await live.getAttribute('role'), 'status');
    assert.equal(await live.getAttribute('aria-live'), 'polite');
    assert.equal(await page.locator('#treffer li').count(), 10);
    await page.locator('#mehr').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#treffer li').length > 10);
    const all = await titles(page);
    assert.deepEqual(all, expected.results.slice(0, all.length).map((r) => r.title));
    // Focus moves to the first new result, so keyboard users continue where they were
    // (once the whole list is shown, which may be after the eleventh has appeared).
    await page.waitForFunction(() => document.activeElement.closest('#treffer'));
    assert.equal(await page.evaluate(() => document.activeElement.textContent), all[10]);
  } finally {
    await session.close();
  }
});
