// Unit tests of the search engine (themes/default/static/search/engine.js) in Node,
// with index files served from memory or from a built site, as the test needs.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { build, copyCollection, removeDir, ROOT } from './helpers.mjs';

const Z = createRequire(import.meta.url)(join(ROOT, 'themes', 'default', 'static', 'search', 'engine.js'));
const A = createRequire(import.meta.url)(join(ROOT, 'themes', 'default', 'static', 'search', 'analyzer.js'));

// The shipped collection, built once for the tests that read a real index.
let dir, site;
before(() => {
  dir = copyCollection('zirkel-engine-');
  site = build(dir);
});
after(() => removeDir(dir));

/** The data of one of the built site's index files (`suche/<name>.js`). */
function read(name) {
  const t = readFileSync(join(site, 'suche', `${name}.js`), 'utf8');
  return JSON.parse(t.slice(t.indexOf(',') + 1, t.lastIndexOf(')')));
}

test('an index file that failed to load is loaded again by the next request, not remembered as failed', async () => {
  let calls = 0;
  const engine = new Z.Engine((name) => {
    calls++;
    return calls === 1 ? Promise.reject(new Error('offline')) : Promise.resolve({ name });
  }, () => Promise.resolve());
  await assert.rejects(engine.get('meta'), /offline/);
  assert.deepEqual(await engine.get('meta'), { name: 'meta' });
  // Once loaded, it is kept.
  assert.deepEqual(await engine.get('meta'), { name: 'meta' });
  assert.equal(calls, 2);
});

test('postings cut short fail with an error instead of reading past their end for ever', async () => {
  // Term `ab` (dictionary part 6162) with five postings and no bits to decode them.
  const files = { meta: { parts: 'ab' }, 'p/6162': [[['ab', 5, [5, [1], 'A', '']]], {}] };
  const engine = new Z.Engine((name) => Promise.resolve(files[name]), () => Promise.resolve());
  await assert.rejects(engine.postings('ab'), /cut short/);
  // The bit reader of compound parts' block lists (correct.js) too.
  createRequire(import.meta.url)(join(ROOT, 'themes', 'default', 'static', 'search', 'correct.js'));
  assert.throws(() => Z.bits('').gamma(), /cut short/);
  // A whole stream decodes: `k` is 100100, gamma 1 and code 0 (document 0), gamma 010
  // and code 0 (document 2), both with the palette's one score.
  files['p/6162'] = [[['ab', 2, [2, [1], 'C', 'k']]], {}];
  const e2 = new Z.Engine((name) => Promise.resolve(files[name]), () => Promise.resolve());
  const p = await e2.postings('ab');
  assert.deepEqual(Array.from(p.docs), [0, 2]);
  assert.ok(p.scores[0] > 0 && p.scores[0] === p.scores[1], String(p.scores));
});

test('the warm-up before typing searches made-up data in every document and loads no file', async () => {
  const meta = read('meta');
  assert.ok(meta.docs > 10, String(meta.docs));
  // Its engine is its own: the meta handed in is all it reads.
  const r = await Z.warm(meta);
  assert.equal(r.total, meta.docs);
  assert.equal(r.results.length, 10);
  for (const docs of [0, 1, 2, 3, 4]) {
    const small = await Z.warm({ ...meta, docs });
    assert.equal(small.total, docs);
    assert.equal(small.results.length, docs);
  }
});

/** Waits until the engine has asked for at least `n` rows, at most 5 s, then a little
 * longer, so that a request it should not have made yet would show. */
async function asked(held, n) {
  for (let i = 0; i < 1000 && held.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(held.length >= n, `rows asked for: ${held.length}, expected at least ${n}`);
  await new Promise((r) => setTimeout(r, 20));
}

test('the first row is asked for alone, the others once it is handed over; results arrive in rank order', async () => {
  // Index files from the built site; the rows (d/N) wait until released.
  const held = [];
  const fresh = () => new Z.Engine((name) => name.startsWith('d/')
    ? new Promise((resolve) => held.push(() => resolve(read(name))))
    : Promise.resolve(read(name)), () => Promise.resolve());
  const engine = fresh();
  const seen = [];
  const done = engine.search('Sprachkurs', {}, 10, { facets: false, each: (h, k) => seen.push([k, h.slug]) });
  await asked(held, 1);
  // Ten requests at once would slow the first result down.
  assert.equal(held.length, 1, 'only the first row is asked for before it has arrived');
  assert.deepEqual(seen, []);
  held[0]();
  await asked(held, 2);
  assert.equal(seen.length, 1, 'the first result is handed over before the others are asked for');
  const rows = held.length;
  assert.ok(rows > 2, `rows: ${rows}`);
  // The lower rows arrive first: nothing more may be shown before the second has.
  for (let i = rows - 1; i > 1; i--) held[i]();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(seen.length, 1);
  held[1]();
  const r = await done;
  assert.equal(r.results.length, rows);
  assert.deepEqual(seen, r.results.map((h, k) => [k, h.slug]));
  // Without a page to show them in, the results are the same.
  held.length = 0;
  const plain = fresh().search('Sprachkurs', {}, 10, { facets: false });
  await asked(held, 1);
  assert.equal(held.length, 1);
  held[0]();
  await asked(held, rows);
  held.slice(1).forEach((f) => f());
  assert.deepEqual((await plain).results.map((h) => h.slug), r.results.map((h) => h.slug));
});

test('a row that fails to load is reported once the results above it are handed over, and none after it', async () => {
  const held = [];
  const engine = new Z.Engine((name) => name.startsWith('d/')
    ? new Promise((resolve, reject) => held.push({ ok: () => resolve(read(name)), fail: () => reject(new Error('offline')) }))
    : Promise.resolve(read(name)), () => Promise.resolve());
  const seen = [];
  let failed = false;
  const done = engine.search('Sprachkurs', {}, 10, { facets: false, each: (h, k) => seen.push(k) })
    .then(() => assert.fail('a failed row must fail the search'), (e) => { failed = e.message; });
  await asked(held, 1);
  held[0].ok();
  await asked(held, 3);
  // The third row fails first: nothing is reported while the second is missing.
  held[2].fail();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(failed, false);
  held[1].ok();
  held.slice(3).forEach((h) => h.ok());
  await done;
  assert.equal(failed, 'offline');
  assert.deepEqual(seen, [0, 1]);
  // The first row failing fails the search and asks for no other row.
  held.length = 0;
  let first = false;
  const again = engine.search('Wohnung', {}, 10, { facets: false, each: () => assert.fail('nothing to show') })
    .then(() => assert.fail('a failed first row must fail the search'), (e) => { first = e.message; });
  await asked(held, 1);
  held[0].fail();
  await again;
  assert.equal(first, 'offline');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(held.length, 1);
});

test('rows that come with a term\'s postings are used without asking for them', async () => {
  const asked = [];
  const plain = new Z.Engine((name) => { asked.push(name); return Promise.resolve(read(name)); }, () => Promise.resolve());
  const before = await plain.search('Sprachkurs', {}, 10, { facets: false });
  const first = asked.find((n) => n.startsWith('d/'));
  // The shipped collection's postings are all small, in the dictionary: here the
  // word's term gets a file of its own, with the first result's row (marked) among
  // its carried rows, as search_export.rs writes large terms.
  const term = (await plain.plan('Sprachkurs'))[0].terms[0], key = `p/${Z.key(term)}`;
  const inline = read(key)[0].find((e) => e[0] === term)[2];
  const marked = ['aus-der-postingsdatei', 'Aus der Postingsdatei'].concat(read(first).slice(2));
  const files = (name) => {
    if (name === key) {
      const p = read(name);
      p[0] = p[0].map((e) => (e[0] === term ? [e[0], e[1], 0] : e));
      return p;
    }
    return name === 't/0' ? inline.concat([[[Number(first.slice(2)), marked]]]) : read(name);
  };
  asked.length = 0;
  const engine = new Z.Engine((name) => { asked.push(name); return Promise.resolve(files(name)); }, () => Promise.resolve());
  const shown = [];
  const r = await engine.search('Sprachkurs', {}, 10, { facets: false, each: (h) => shown.push(h.slug) });
  assert.ok(asked.includes('t/0'));
  assert.ok(!asked.includes(first), `${first} asked for: ${asked}`);
  assert.equal(r.results[0].slug, 'aus-der-postingsdatei');
  assert.equal(shown[0], 'aus-der-postingsdatei');
  assert.deepEqual(r.results.slice(1).map((h) => h.slug), before.results.slice(1).map((h) => h.slug));
});

test('a palette key gives the double its decimal text parses to, as Rust reads the score', () => {
  // search_export.rs `score_key`: (exponent + 30) * 900000 + mantissa - 100000 + 1, so
  // key - 1 = (e + 35) * 9e5 + m - 1e5 for the value m * 10^e (m of six digits). Every
  // mantissa for the exponents BM25 scores take, a sample of all the others, and the
  // exponents beyond exact powers of ten that take the slow way.
  let checked = 0;
  for (let E = 0; E < 70; E++) {
    const step = E >= 28 && E <= 36 ? 1 : 997;
    for (let m = 0; m < 9e5; m += step) {
      const k = E * 9e5 + m, text = `${m + 1e5}e${E - 35}`;
      if (Z.score(k) !== Number(text)) assert.fail(`${text}: ${Z.score(k)}`);
      checked++;
    }
  }
  assert.ok(checked > 8e6, `${checked}`);
});

test('highlighting marks the words whose term the query matched, stemming only words a term begins', () => {
  // Against marking by the analyzer's terms of every word, on the built shipped
  // collection's summaries and the terms of their own words, of the first two
  // characters, and none.
  const reference = (text, terms) => {
    let out = '', at = 0;
    const esc = (s) => Z.highlight(s, []);
    for (const t of A.analyze(text)) {
      if (!terms.includes(t.term)) continue;
      out += esc(text.slice(at, t.start)) + '<mark>' + esc(text.slice(t.start, t.end)) + '</mark>';
      at = t.end;
    }
    return out + esc(text.slice(at));
  };
  let compared = 0, marked = 0;
  for (const f of readdirSync(join(site, 'suche', 'd'))) {
    const summary = read(`d/${f.slice(0, -3)}`)[2], terms = A.analyze(summary).map((t) => t.term);
    for (const ts of [terms.slice(0, 3), terms.slice(-2), terms.map((t) => t.slice(0, 2)), ['zzz'], []]) {
      const got = Z.highlight(summary, ts);
      assert.equal(got, reference(summary, ts), `${summary} / ${ts}`);
      compared++;
      if (got.includes('<mark>')) marked++;
    }
  }
  assert.ok(compared > 100 && marked > 50, `${compared} compared, ${marked} marked`);
});
