// Unit tests of the search engine (themes/default/static/search/engine.js) in Node,
// with index files served from memory instead of a built site.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';

import { ROOT } from './helpers.mjs';

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
  assert.throws(() => Z.bits('').gamma(), /cut short/);
  // A whole stream decodes: `k` is 100100, gamma 1 and code 0 (document 0), gamma 010
  // and code 0 (document 2), both with the palette's one score.
  files['p/6162'] = [[['ab', 2, [2, [1], 'C', 'k']]], {}];
  const e2 = new Z.Engine((name) => Promise.resolve(files[name]), () => Promise.resolve());
  const p = await e2.postings('ab');
  assert.deepEqual(Array.from(p.docs), [0, 2]);
  assert.ok(p.scores[0] > 0 && p.scores[0] === p.scores[1], String(p.scores));
});
