// Search quality on the judged query set (tests/fixtures/search-judgements.tsv): the
// nDCG@10 and MRR of `zirkel search` and of the site's runtime, per kind of query, may
// not fall below the figures recorded in SEARCH.md, and every query about a topic the
// collection lacks must find nothing. Raise the floors when the search gets better.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cliRanking, KINDS, readJudgements, siteRanking, summarize } from '../../tools/search-eval.mjs';
import { BIN, ROOT, build, copyCollection, removeDir } from './helpers.mjs';

// Recorded in SEARCH.md (2026-11-26, step 10: stop words, partial matches, typo
// correction, thesaurus and its phrases, hyphenated words, compounds split in the
// index and in the query with parts in one paragraph, neighbours written as one word,
// singular and plural, thesaurus of 488 groups), rounded down: [nDCG@10, MRR] per kind.
// Questions and all lowered with variant X2 (a correction over two edits is no known
// word, SEARCH.md): one judged question, 0.672 / 0.792 → 0.641 / 0.771, all 0.804 /
// 0.852 → 0.798 / 0.848, shipped by the rule fixed before blind set 11, on set 13.
// Corrections measured to the word as written too (SEARCH.md step 16, shipped by the
// rule fixed before blind set 15): typo 0.867 → 0.982, variant 0.915 → 0.938, all
// 0.798 → 0.814; one judged question finds fewer entries, questions 0.641 → 0.599.
// A sentence holding a compound whose parts never stand together has no partial
// matches (step 19, shipped by the rule fixed before blind set 18): one judged synonym
// query, `Asylbewerber ohne Bleiberecht Deutschkurs`, finds nothing now; synonym
// 0.588 / 0.625 → 0.526 / 0.563, all 0.814 / 0.881 → 0.803 / 0.870.
// A sentence holding a word the collection does not know, written as a noun, has no
// partial matches (step 23, variant FN, shipped by the rule fixed before blind set 22):
// one judged question, `Wie können wir Betriebe bei der Einstellung von Flüchtlingen
// unterstützen?`, finds nothing now; question 0.599 / 0.771 → 0.548 / 0.708, all
// 0.803 / 0.870 → 0.794 / 0.859.
const FLOORS = {
  author: [0.962, 1.000],
  compound: [0.855, 0.928],
  synonym: [0.525, 0.562],
  question: [0.547, 0.707],
  typo: [0.981, 1.000],
  variant: [0.937, 1.000],
  all: [0.793, 0.858],
};

const judged = readJudgements(join(ROOT, 'tests', 'fixtures', 'search-judgements.tsv'));
let dir, site;
before(() => {
  dir = copyCollection('zirkel-quality-');
  site = build(dir);
});
after(() => removeDir(dir));

test('the judged set has every kind of query the search issue names', () => {
  for (const kind of KINDS) {
    const n = judged.filter((q) => q.kind === kind).length;
    assert.ok(n >= (kind === 'absent' ? 6 : 8), `${kind}: ${n} queries`);
  }
  assert.ok(judged.length >= 60);
});

for (const engine of ['zirkel search', 'site runtime']) {
  test(`${engine} keeps its nDCG@10 and MRR per kind and finds nothing for absent topics`, async () => {
    const ranked = engine === 'zirkel search' ? cliRanking(BIN, dir, judged) : await siteRanking(site, judged);
    const got = summarize(judged, ranked);
    const below = [];
    for (const [kind, [ndcg, mrr]] of Object.entries(FLOORS)) {
      if (got[kind].ndcg < ndcg - 1e-9) below.push(`${kind} nDCG@10 ${got[kind].ndcg.toFixed(3)} < ${ndcg}`);
      if (got[kind].mrr < mrr - 1e-9) below.push(`${kind} MRR ${got[kind].mrr.toFixed(3)} < ${mrr}`);
    }
    const found = judged.map((q, i) => [q, ranked[i]]).filter(([q, r]) => q.kind === 'absent' && r.length)
      .map(([q, r]) => `"${q.query}" found ${r.slice(0, 3).join(', ')}`);
    assert.deepEqual([...below, ...found], []);
  });
}
