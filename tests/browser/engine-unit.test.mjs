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
