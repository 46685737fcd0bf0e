// Reusable checks of a built site in Chromium, shared by site.test.mjs for the real
// sites and for the deliberately broken fixture (fixtures/broken/), so every check is
// shown to find the problem it is for.
//
// A check is a function that returns a list of problems (readable strings); an
// empty list means the page passed. The checks that need what happened while the page
// loaded read a *recording* (see openRecorded): console messages, page errors, CSP
// violations, requests, failed requests and error responses.
//
// Which check owns which problem, so that one problem is reported exactly once:
//   consoleProblems   console.error / console.assert, uncaught exceptions, CSP violations
//   foreignRequests   any request to an origin other than the site's own (aborted)
//   missingResources  a request to the site's own origin that failed or got status >= 400
//   horizontalOverflow the page scrolls sideways at the current viewport width
//   axeViolations     axe-core, WCAG 2.0/2.1 A and AA rules
//   invisibleFocus    an element reached by Tab without a visible focus indicator
// Chromium echoes every failed load in the console ("Failed to load resource: …"); those
// echoes are left to the two request checks, which name the URL.
import { createServer } from 'node:http';
import { readFileSync, realpathSync, statSync, createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, relative, resolve, sep, isAbsolute } from 'node:path';

import { chromium } from 'playwright-core';

export const WIDTHS = [360, 768, 1280];
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const require = createRequire(import.meta.url);
let axeSource;

/** Debian's Chromium (or CHROMIUM), driven by playwright-core; nothing is downloaded. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Is `url` the site's own? Over HTTP only `origin`; over file:// file: and the browser's local schemes. */
export function ownUrl(url, origin) {
  if (/^(data|blob|about):/.test(url)) return true;
  if (!origin) return url.startsWith('file:');
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

function emptyRecording() {
  return { requests: [], blocked: [], failed: [], errorResponses: [], console: [], pageErrors: [], csp: [] };
}

/**
 * A browser context and page whose every request, console message, page error and CSP
 * violation is recorded into `session.rec`. Requests to other origins are aborted
 * before they leave the machine (and recorded in rec.blocked).
 * `origin`: the HTTP origin of the site, or undefined for file://.
 */
export async function openRecorded(browser, { origin, width = 1280, height = 800, contextOptions = {} } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, ...contextOptions });
  const session = { context, page: null, origin, rec: emptyRecording() };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (ownUrl(url, origin)) return route.continue();
    session.rec.blocked.push(url);
    return route.abort('blockedbyclient');
  });
  let inflight = 0;
  context.on('request', (r) => { inflight++; session.rec.requests.push(r.url()); });
  context.on('requestfinished', () => { inflight--; });
  context.on('requestfailed', (r) => {
    inflight--;
    session.rec.failed.push({ url: r.url(), error: (r.failure() && r.failure().errorText) || 'failed' });
  });
  context.on('response', (r) => {
    if (r.status() >= 400) session.rec.errorResponses.push({ url: r.url(), status: r.status() });
  });
  // CSP violations reach Node through a binding; neither the binding nor the init
  // script is subject to the page's CSP.
  await context.exposeBinding('__zirkelCspViolation', (_source, v) => session.rec.csp.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__zirkelCspViolation({
        directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
      });
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'assert') {
      const loc = m.location() || {};
      session.rec.console.push({ text: m.text(), url: loc.url || '', line: loc.lineNumber });
    }
  });
  page.on('pageerror', (e) => session.rec.pageErrors.push(e.message));
  session.page = page;
  /** Starts a fresh recording and loads `url` (waits for the load event). The previous
   * page's requests finish first: a fetch the page starts after its load event (the
   * search page's index) would otherwise be aborted by leaving, and so recorded. */
  session.visit = async (url) => {
    for (const t0 = Date.now(); inflight > 0 && Date.now() - t0 < 5000;) {
      await new Promise((r) => setTimeout(r, 20));
    }
    inflight = 0; // one request that never ends costs one wait, not one a visit
    session.rec = emptyRecording();
    const response = await page.goto(url, { waitUntil: 'load' });
    return response;
  };
  session.close = () => context.close();
  return session;
}

// ---------------------------------------------------------------- the checks

/** Console errors, uncaught exceptions and CSP violations. */
export function consoleProblems(rec) {
  const echoed = new Set([...rec.blocked, ...rec.failed.map((f) => f.url), ...rec.errorResponses.map((r) => r.url)]);
  const problems = [];
  for (const m of rec.console) {
    // Chromium's echo of a failed load ("Failed to load resource: …", "Refused to apply
    // style from '…' because its MIME type …"): reported, with its URL, by the request checks.
    if (/^Failed to load resource\b/.test(m.text) && echoed.has(m.url)) continue;
    if (/^Refused to /.test(m.text) && [...echoed].some((u) => m.text.includes(`'${u}'`))) continue;
    // The echo of a CSP violation: reported below from the securitypolicyviolation event.
    if (rec.csp.length > 0 && /Content Security Policy/.test(m.text)) continue;
    problems.push(`console error: ${m.text}${m.url ? ` (${m.url}${m.line != null ? `:${m.line + 1}` : ''})` : ''}`);
  }
  for (const e of rec.pageErrors) problems.push(`page error: ${e}`);
  for (const v of rec.csp) {
    problems.push(`CSP violation: ${v.directive} blocked ${v.blocked || '(inline)'} in ${v.source || '?'}:${v.line}`);
  }
  return problems;
}

/** Requests to any origin other than the site's own (they were aborted). */
export function foreignRequests(rec, origin) {
  const foreign = rec.requests.filter((u) => !ownUrl(u, origin));
  return [...new Set([...foreign, ...rec.blocked])].map((u) => `request to another origin: ${u}`);
}

/** The site's own resources that failed to load or answered with an error status, once per URL. */
export function missingResources(rec, origin) {
  const problems = new Map();
  for (const r of rec.errorResponses) {
    if (ownUrl(r.url, origin) && !problems.has(r.url)) problems.set(r.url, `HTTP ${r.status}: ${r.url}`);
  }
  // A failed load without a response: a missing file under file://, or over HTTP an
  // error answer that Chromium refused before it became a response (wrong MIME type).
  for (const f of rec.failed) {
    if (ownUrl(f.url, origin) && !/^(data|blob|about):/.test(f.url) && !problems.has(f.url)) {
      problems.set(f.url, `failed to load: ${f.url} (${f.error})`);
    }
  }
  return [...problems.values()];
}

/** The page scrolls sideways: documentElement.scrollWidth > innerWidth, with the widest culprits. */
export async function horizontalOverflow(page) {
  const r = await page.evaluate(() => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return null;
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      if (el.classList.length) s += `.${[...el.classList].join('.')}`;
      return s;
    };
    // The box whose overflow clips `el`: walk the containing blocks, not the parents, so
    // that an absolutely positioned element inside a scroll container without a
    // positioned ancestor counts as escaping it (it widens the page).
    const containingBlock = (el) => {
      const pos = getComputedStyle(el).position;
      if (pos === 'fixed') return null;
      let p = el.parentElement;
      if (pos === 'absolute') {
        while (p && p !== document.body && getComputedStyle(p).position === 'static' && getComputedStyle(p).transform === 'none') {
          p = p.parentElement;
        }
      }
      return p;
    };
    const clipped = (el) => {
      for (let p = containingBlock(el); p && p !== document.body && p !== document.documentElement; p = containingBlock(p)) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    const out = new Set();
    for (const el of document.body.querySelectorAll('*')) {
      const right = el.getBoundingClientRect().right + window.scrollX;
      if (right > width + 1 && !clipped(el)) out.add(el);
    }
    // Name the outermost elements that stick out, not all their descendants.
    const culprits = [];
    for (const el of out) {
      let inner = false;
      for (let p = el.parentElement; p; p = p.parentElement) if (out.has(p)) { inner = true; break; }
      if (!inner) culprits.push(`${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right + window.scrollX)} px)`);
    }
    if (culprits.length > 5) culprits.splice(5, culprits.length, `… ${culprits.length - 5} more`);
    return { width, scrollWidth, culprits };
  });
  if (!r) return [];
  return [`horizontal scrolling at ${r.width} px: scrollWidth ${r.scrollWidth} px; sticking out: ${r.culprits.join(', ') || '?'}`];
}

/** axe-core's WCAG 2.0/2.1 A and AA violations, one problem per rule with its targets. */
export async function axeViolations(page, tags = AXE_TAGS) {
  if (!axeSource) axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // page.evaluate is not subject to the page's CSP (script-src 'self'), unlike
  // addScriptTag, which would insert an inline script.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (values) => {
    // preload: false — no XMLHttpRequest for the stylesheets (blocked from file://); only
    // the experimental css-orientation-lock rule, not run with these tags, reads them.
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values }, resultTypes: ['violations'], preload: false,
    });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, tags);
  return violations.map((v) => {
    const shown = v.nodes.slice(0, 8).join(' | ');
    const more = v.nodes.length > 8 ? ` | … ${v.nodes.length - 8} more` : '';
    return `axe ${v.id} (${v.impact}): ${v.help} — ${shown}${more}`;
  });
}

/**
 * Presses Tab through a freshly loaded page until the focus leaves the page or comes
 * back round, and describes every focused element: how it is named, whether its focus
 * indicator is visible (outline or box-shadow) and whether it is on screen.
 */
export async function tabThrough(page, max = 400) {
  await page.evaluate(() => { window.__zirkelSeen = new Set(); });
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const s = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return { done: 'left the page' };
      if (window.__zirkelSeen.has(el)) return { done: 'wrapped' };
      window.__zirkelSeen.add(el);
      const cs = getComputedStyle(el);
      const transparent = (c) => c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !transparent(cs.outlineColor);
      const shadow = cs.boxShadow !== 'none' && cs.boxShadow !== '';
      const r = el.getBoundingClientRect();
      const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
        && r.top < window.innerHeight && r.left < window.innerWidth;
      let name = el.tagName.toLowerCase();
      if (el.id) name += `#${el.id}`;
      else if (el.classList.length) name += `.${[...el.classList].join('.')}`;
      const href = el.getAttribute('href');
      if (href) name += `[href="${href}"]`;
      return {
        name,
        id: el.id,
        tag: el.tagName.toLowerCase(),
        href: el.href || null,
        text: (el.textContent || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 60),
        inNav: !!el.closest('.site-header nav'),
        inMain: !!el.closest('main'),
        focusVisible: el.matches(':focus-visible'),
        visible: outline || shadow,
        style: `outline: ${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}; box-shadow: ${cs.boxShadow}`,
        onScreen,
      };
    });
    if (s.done) break;
    stops.push(s);
  }
  return stops;
}

/** The stops of tabThrough whose focus is not visible (no outline, no box-shadow) or off screen. */
export function focusProblems(stops) {
  const problems = [];
  for (const s of stops) {
    if (!s.visible) problems.push(`focus not visible on ${s.name} «${s.text}» (${s.style})`);
    else if (!s.onScreen) problems.push(`focused element off screen: ${s.name} «${s.text}»`);
  }
  return problems;
}

/** Elements reached by Tab on a freshly loaded page whose focus is not visible or off screen. */
export async function invisibleFocus(page, max = 400) {
  return focusProblems(await tabThrough(page, max));
}

/** Every check by name, over a session whose page has just been visited. The focus check goes last (it presses keys). */
export const CHECKS = {
  console: async (s) => consoleProblems(s.rec),
  requests: async (s) => foreignRequests(s.rec, s.origin),
  missing: async (s) => missingResources(s.rec, s.origin),
  overflow: async (s) => horizontalOverflow(s.page),
  axe: async (s) => axeViolations(s.page),
  focus: async (s) => invisibleFocus(s.page),
};

/** Runs the named checks in order and returns {name: problems}. */
export async function runChecks(session, names = Object.keys(CHECKS)) {
  const out = {};
  for (const n of names) out[n] = await CHECKS[n](session);
  return out;
}

// ---------------------------------------------------------------- a static server

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
};

/**
 * Serves the files of `dir` (and nothing outside it, symlinks included) under the
 * sub-path `prefix` on 127.0.0.1 at a free port. Resolves to {origin, base, log, close}:
 * `base` is the site's address, `log` every request with its status.
 */
export function serveDir(dir, prefix = '/org/praxis/') {
  const root = realpathSync(dir);
  const log = [];
  const server = createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      log.push({ method: req.method, url: req.url, status });
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method Not Allowed', { allow: 'GET, HEAD' });
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(400, 'Bad Request');
    }
    if (pathname === prefix.replace(/\/$/, '')) return send(301, '', { location: prefix });
    if (!pathname.startsWith(prefix) || pathname.includes('\0')) return send(404, 'Not Found');
    let file = resolve(root, `.${sep}${pathname.slice(prefix.length)}`);
    const inside = (p) => {
      const rel = relative(root, p);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    };
    try {
      if (!inside(file)) return send(404, 'Not Found');
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      file = realpathSync(file);
      if (!inside(file) || !statSync(file).isFile()) return send(404, 'Not Found');
    } catch {
      return send(404, 'Not Found');
    }
    log.push({ method: req.method, url: req.url, status: 200 });
    res.writeHead(200, {
      'content-type': TYPES[extname(file).toLowerCase()] || 'application/octet-stream',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      ok({ origin, base: `${origin}${prefix}`, log, close: () => new Promise((done) => server.close(done)) });
    });
  });
}
