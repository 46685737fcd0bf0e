// Browser round trip of the submit form: build the shipped collection with zirkel,
// open einreichen.html from file:// in Chromium, submit once empty (errors), fill
// the form, download the Markdown file into the collection, and check that
// `zirkel check` accepts it and `zirkel build` publishes it.
//
// Env: ZIRKEL_BIN (the zirkel binary), ZIRKEL_ROOT (the repository root with
// zirkel.yaml and content/), CHROMIUM (default /usr/bin/chromium). No browser is
// downloaded; playwright-core only drives the installed one.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { build, copyCollection, removeDir, zirkel } from './helpers.mjs';

const SLUG = 'sprachcafe-im-dorfgemeinschaftshaus';
const REQUIRED = ['#f-title', '#f-district', '#f-field', '#f-outcome-gelungen', '#f-summary'];

let browser;
const dirs = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  if (browser) await browser.close();
  dirs.forEach(removeDir);
});

/** A page on `site/einreichen.html` that records console errors and requests that leave the file system. */
async function openForm(site, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const problems = [];
  const external = [];
  context.on('request', (r) => {
    if (!/^(file|blob|data|about):/.test(r.url())) external.push(r.url());
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(pathToFileURL(join(site, 'einreichen.html')).href);
  return { context, page, problems, external };
}

/** The text of the preview once it contains `needle`. */
async function previewWith(page, needle) {
  await page.waitForFunction((n) => document.getElementById('vorschau').textContent.includes(n), needle, { timeout: 20000 });
  return page.textContent('#vorschau');
}

describe('submit form', () => {
  test('round trip: errors, filling in, download, zirkel check and build', async () => {
    const dir = copyCollection('zirkel-submit-browser-');
    dirs.push(dir);
    const site = build(dir);
    assert.ok(existsSync(join(site, 'daten', 'formular.js')), 'the build writes daten/formular.js');
    const { context, page, problems, external } = await openForm(site);

    // The script ran: the results part is shown, the git host button is not (no links.new).
    assert.equal(await page.isVisible('#ergebnis'), true);
    assert.equal(await page.isVisible('#anlegen'), false);
    assert.equal(await page.locator('#kreise-liste option').count(), 401);

    // Submitting the empty form lists the five required fields and focuses the list.
    await page.click('#herunterladen');
    await page.waitForSelector('#fehlerliste', { state: 'visible' });
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'fehlerliste');
    const links = await page.$$eval('#fehlerliste-eintraege a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    assert.deepEqual(links.map(([href]) => href), REQUIRED);
    for (const [i, key] of ['title', 'district', 'field', 'outcome', 'summary'].entries()) {
      assert.match(links[i][1], new RegExp(`»${key}«`), links[i][1]);
    }
    // Each field says so itself, linked for assistive technology.
    assert.equal(await page.getAttribute('#f-title', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#f-title', 'aria-describedby'), /\bf-title-error\b/);
    assert.equal(await page.isVisible('#f-title-error'), true);
    assert.match(await page.getAttribute('#f-outcome-group', 'aria-describedby'), /\bf-outcome-error\b/);
    // A link in the list moves the focus to its field.
    await page.click('#fehlerliste-eintraege a[href="#f-summary"]');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-summary');

    // Fill in the form.
    await page.fill('#f-title', 'Sprachcafé im Dorfgemeinschaftshaus');
    await page.fill('#f-district', 'Goslar');
    await page.selectOption('#f-field', 'sprache-bildung');
    await page.check('#f-outcome-gelungen');
    await page.fill('#f-summary', 'Ehrenamtliche laden einmal in der Woche zum Deutschsprechen ins Dorfgemeinschaftshaus ein.');
    await page.fill('#f-started', '2016-03');
    await page.check('#f-target_groups-frauen');
    await page.fill('#f-contact_email', 'integration@landkreis-goslar.example');
    await page.fill('#f-source_title', 'Bedarfsanalyse Flüchtlingsintegration in ländlichen Räumen (2017)');
    await page.fill('#f-source_url', 'https://example.org/bedarfsanalyse.pdf');
    const preview = await previewWith(page, 'district: "03153"');
    assert.match(preview, /^title: "Sprachcafé im Dorfgemeinschaftshaus"$/m);
    assert.match(preview, /^started: 2016-03$/m);
    assert.match(preview, /^target_groups: \["frauen"\]$/m);
    assert.match(preview, /^review: eingereicht$/m);
    assert.match(preview, /^## Übertragbarkeit$/m);
    assert.equal(await page.textContent('#dateiname'), `${SLUG}.md`);
    assert.match(await page.textContent('#f-district-found'), /03153/);
    // The fixed errors are gone.
    await page.waitForSelector('#fehlerliste', { state: 'hidden' });
    assert.equal(await page.getAttribute('#f-title', 'aria-invalid'), null);

    // Download into the collection.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#herunterladen')]);
    assert.equal(download.suggestedFilename(), `${SLUG}.md`);
    const file = join(dir, 'content', 'praxis', `${SLUG}.md`);
    await download.saveAs(file);
    await page.waitForFunction((slug) => document.getElementById('meldung').textContent.includes(slug), SLUG);
    assert.equal(readFileSync(file, 'utf8'), await page.textContent('#vorschau'));

    // The same text goes to the clipboard.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.click('#kopieren');
    await page.waitForFunction(() => document.getElementById('meldung').textContent.includes('Zwischenablage'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), readFileSync(file, 'utf8'));

    assert.deepEqual(problems, []);
    assert.deepEqual(external, []);
    await context.close();

    // zirkel agrees and publishes it.
    const checked = zirkel(dir, 'check');
    assert.equal(checked.status, 0, `${checked.stdout}\n${checked.stderr}`);
    const built = zirkel(dir, 'build', '--output', join(dir, 'site'));
    assert.equal(built.status, 0, `${built.stdout}\n${built.stderr}`);
    const pagePath = join(dir, 'site', 'praxis', `${SLUG}.html`);
    assert.ok(existsSync(pagePath), `${pagePath} exists`);
    const html = readFileSync(pagePath, 'utf8');
    assert.match(html, /Sprachcafé im Dorfgemeinschaftshaus/);
    assert.match(html, /Goslar/);
  });

  test('errors of zirkel check are shown at their fields', async () => {
    const dir = copyCollection('zirkel-submit-browser-');
    dirs.push(dir);
    const { context, page, problems, external } = await openForm(build(dir));
    await page.fill('#f-title', 'Test');
    await page.fill('#f-district', 'Coburg');
    await page.fill('#f-district2', 'Goslr');
    await page.selectOption('#f-field', 'sprache-bildung');
    await page.check('#f-outcome-gescheitert');
    await page.fill('#f-summary', 'Kurz.');
    await page.fill('#f-started', '2016-13');
    await page.fill('#f-reach', '1.400');
    await page.fill('#f-contact_email', 'a@b');
    await page.fill('#f-source_url', 'javascript:alert(1)');
    await page.fill('#f-last_reviewed', '2017-02-29');
    await page.click('#kopieren');
    await page.waitForSelector('#fehlerliste', { state: 'visible' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'fehlerliste');
    const hrefs = await page.$$eval('#fehlerliste-eintraege a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, ['#f-district', '#f-district2', '#f-started', '#f-reach', '#f-contact_email',
      '#f-source_title', '#f-source_url', '#f-last_reviewed']);
    assert.match(await page.textContent('#f-district-error'), /"09463" \(Kreisfreie Stadt Coburg\), "09473" \(Landkreis Coburg\)/);
    assert.match(await page.textContent('#f-district2-error'), /Meinten Sie »Goslar \("03153"\)«\?/);
    assert.match(await page.textContent('#f-started-error'), /JJJJ oder JJJJ-MM/);
    assert.match(await page.textContent('#f-reach-error'), /»1\.400« ist keine ganze Zahl/);
    assert.match(await page.textContent('#f-contact_email-error'), /»a@b« ist keine gültige E-Mail-Adresse/);
    assert.match(await page.textContent('#f-source_url-error'), /keine gültige Web-Adresse/);
    assert.match(await page.textContent('#f-last_reviewed-error'), /JJJJ-MM-TT/);
    assert.equal(await page.textContent('#meldung'), '');

    // Correcting one field removes its error and adds none.
    await page.fill('#f-district', '09473');
    await page.fill('#f-title', '');
    await page.waitForSelector('#f-district-error', { state: 'hidden' });
    const left = await page.$$eval('#fehlerliste-eintraege a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(left, ['#f-district2', '#f-started', '#f-reach', '#f-contact_email', '#f-source_title',
      '#f-source_url', '#f-last_reviewed']);
    assert.deepEqual(problems, []);
    assert.deepEqual(external, []);
    await context.close();
  });

  test('with links.new the form opens the git host with the file filled in', async () => {
    const dir = copyCollection('zirkel-submit-browser-');
    dirs.push(dir);
    appendFileSync(join(dir, 'zirkel.yaml'),
      '\nlinks:\n  new: "https://git.example.org/kreise/praxis/-/new/main/content/praxis?file_name={slug}.md&commit_message={title}&content={content}"\n');
    const site = build(dir);
    const context = await browser.newContext();
    const external = [];
    context.on('request', (r) => { if (!/^(file|blob|data|about):/.test(r.url())) external.push(r.url()); });
    // Record instead of opening: nothing may leave this machine.
    await context.addInitScript(() => {
      window.open = (url, target, features) => { window.__opened = { url, target, features }; return null; };
    });
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(site, 'einreichen.html')).href);
    assert.equal(await page.isVisible('#anlegen'), true);
    await page.fill('#f-title', 'Ä & B');
    await page.fill('#f-district', '03153');
    await page.selectOption('#f-field', 'sprache-bildung');
    await page.check('#f-outcome-gemischt');
    await page.fill('#f-summary', 'Kurz.');
    await page.click('#anlegen');
    const opened = await page.evaluate(() => window.__opened);
    const url = new URL(opened.url);
    assert.equal(url.origin + url.pathname, 'https://git.example.org/kreise/praxis/-/new/main/content/praxis');
    assert.equal(url.searchParams.get('file_name'), 'ae-b.md');
    assert.equal(url.searchParams.get('commit_message'), 'Ä & B');
    assert.equal(url.searchParams.get('content'), await page.textContent('#vorschau'));
    assert.equal(opened.target, '_blank');
    assert.deepEqual(external, []);
    await context.close();
  });

  test('a links.new without {content} gets the text by the clipboard, also without the Clipboard API', async () => {
    const dir = copyCollection('zirkel-submit-browser-');
    dirs.push(dir);
    appendFileSync(join(dir, 'zirkel.yaml'), '\nlinks:\n  new: "https://git.example.org/p/-/new/main?file_name={slug}.md"\n');
    const site = build(dir);
    const context = await browser.newContext();
    await context.addInitScript(() => {
      window.open = (url) => { window.__opened = url; return null; };
      // No Clipboard API: the form falls back to a selected text area and execCommand.
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
      const exec = Document.prototype.execCommand;
      Document.prototype.execCommand = function (cmd, ...rest) {
        if (cmd === 'copy') window.__copied = document.getSelection().toString() || document.activeElement.value;
        return exec.call(this, cmd, ...rest);
      };
    });
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(site, 'einreichen.html')).href);
    await page.fill('#f-title', 'Wohnungswahl');
    await page.fill('#f-district', 'Landkreis Coburg');
    await page.selectOption('#f-field', 'unterbringung-wohnen');
    await page.check('#f-outcome-gelungen');
    await page.fill('#f-summary', 'Kurz.');
    await page.click('#anlegen');
    await page.waitForFunction(() => document.getElementById('meldung').textContent.includes('Zwischenablage'));
    assert.equal(await page.evaluate(() => window.__opened), 'https://git.example.org/p/-/new/main?file_name=wohnungswahl.md');
    const copied = await page.evaluate(() => window.__copied);
    assert.equal(copied, await page.textContent('#vorschau'));
    assert.match(copied, /^district: "09473"$/m);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'anlegen');
    await context.close();
  });

  test('without JavaScript the page points to the contribution guide', async () => {
    const dir = copyCollection('zirkel-submit-browser-');
    dirs.push(dir);
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(build(dir), 'einreichen.html')).href);
    assert.equal(await page.isVisible('main a[href="seiten/mitmachen.html"]'), true);
    assert.equal(await page.isVisible('#herunterladen'), false);
    await context.close();
  });
});
