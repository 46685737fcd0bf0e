// Unit tests of the search engine (themes/default/static/search/engine.js) in Node,
// with index files served from memory or from a built site, as the test needs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';

import { build, copyCollection, removeDir, ROOT } from './helpers.mjs';

const Z = createRequire(import.meta.url)(join(ROOT, 'themes', 'default', 'static', 'search', 'engine.js'));

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
  const files = { meta: { parts: '6162' }, 'p/6162': [[['ab', 5, [5, [1], 'A', '']]], {}] };
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
  const dir = copyCollection('zirkel-engine-');
  try {
    const site = build(dir);
    const t = readFileSync(join(site, 'suche', 'meta.js'), 'utf8');
    const meta = JSON.parse(t.slice(t.indexOf(',') + 1, t.lastIndexOf(')')));
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
  } finally {
    removeDir(dir);
  }
});

/** Waits until the engine has asked for its rows (at least two), at most 5 s. */
async function asked(held) {
  for (let i = 0; i < 1000 && held.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(held.length >= 2, `rows asked for: ${held.length}`);
  await new Promise((r) => setTimeout(r, 20));
}

test('each result is handed over in rank order as soon as it and those above it have loaded', async () => {
  const dir = copyCollection('zirkel-engine-');
  try {
    const site = build(dir);
    // Index files from the built site; the rows (d/N) wait until released, last first.
    const held = [];
    const read = (name) => {
      const t = readFileSync(join(site, 'suche', `${name}.js`), 'utf8');
      return JSON.parse(t.slice(t.indexOf(',') + 1, t.lastIndexOf(')')));
    };
    const fresh = () => new Z.Engine((name) => name.startsWith('d/')
      ? new Promise((resolve) => held.push(() => resolve(read(name))))
      : Promise.resolve(read(name)), () => Promise.resolve());
    const engine = fresh();
    const seen = [];
    const done = engine.search('Sprachkurs', {}, 10, { facets: false, each: (h, k) => seen.push([k, h.slug]) });
    await asked(held);
    const rows = held.length;
    // The lower rows arrive first: nothing may be shown before the first has.
    for (let i = rows - 1; i > 0; i--) held[i]();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(seen, []);
    held[0]();
    const r = await done;
    assert.equal(r.results.length, rows);
    assert.deepEqual(seen, r.results.map((h, k) => [k, h.slug]));
    // Released in order, the first is handed over before the second has arrived.
    const seen2 = [];
    held.length = 0;
    const again = fresh().search('Wohnung', {}, 10, { facets: false, each: (h) => seen2.push(h.slug) });
    await asked(held);
    held[0]();
    await new Promise((res) => setTimeout(res, 20));
    assert.equal(seen2.length, 1);
    held.slice(1).forEach((f) => f());
    assert.equal((await again).results[0].slug, seen2[0]);
  } finally {
    removeDir(dir);
  }
});

test('a row that fails to load is reported once the results above it are handed over, and none after it', async () => {
  const dir = copyCollection('zirkel-engine-');
  try {
    const site = build(dir);
    const read = (name) => {
      const t = readFileSync(join(site, 'suche', `${name}.js`), 'utf8');
      return JSON.parse(t.slice(t.indexOf(',') + 1, t.lastIndexOf(')')));
    };
    const held = [];
    const engine = new Z.Engine((name) => name.startsWith('d/')
      ? new Promise((resolve, reject) => held.push({ ok: () => resolve(read(name)), fail: () => reject(new Error('offline')) }))
      : Promise.resolve(read(name)), () => Promise.resolve());
    const seen = [];
    let failed = false;
    const done = engine.search('Sprachkurs', {}, 10, { facets: false, each: (h, k) => seen.push(k) })
      .then(() => assert.fail('a failed row must fail the search'), (e) => { failed = e.message; });
    await asked(held);
    assert.ok(held.length >= 3, `rows: ${held.length}`);
    // The third row fails first: nothing is reported while the first two are missing.
    held[2].fail();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(failed, false);
    held[0].ok();
    held[1].ok();
    held.slice(3).forEach((h) => h.ok());
    await done;
    assert.equal(failed, 'offline');
    assert.deepEqual(seen, [0, 1]);
  } finally {
    removeDir(dir);
  }
});
