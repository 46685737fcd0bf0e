// Unit tests of the search's term analysis (themes/default/static/search/analyzer.js)
// in Node: tokenize, fold, the Snowball German stemmer and the whole pipeline must give
// exactly the terms the Rust side puts into the tantivy index.
//
// The stemmer is checked against fixtures/stemmer-de.tsv, a deterministic sample of
// 3000 words of the Snowball German test vocabulary that rust-stemmers 1.2.0 tests
// itself with (all words with ß, the words with é and ç, and words for each rule; see
// the file's header). If the crate's sources are in the local cargo registry, the whole
// vocabulary (35033 words) is checked as well; otherwise that test is skipped.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

import { ROOT } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FILE = join(ROOT, 'themes', 'default', 'static', 'search', 'analyzer.js');
const A = createRequire(import.meta.url)(FILE);

/** word<TAB>stem lines of a fixture, without # comments. */
function pairs(text) {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
}

/** Words whose stem differs from the expected one, as "word: got, want expected". */
function mismatches(list) {
  return list.filter(([w, s]) => A.stem(w) !== s).map(([w, s]) => `${w}: ${A.stem(w)}, want ${s}`);
}

/** rust-stemmers 1.2.0's test data in the local cargo registry, if there. */
function crateTestData() {
  const src = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'registry', 'src');
  if (!existsSync(src)) return null;
  for (const reg of readdirSync(src)) {
    const dir = join(src, reg, 'rust-stemmers-1.2.0', 'test_data');
    if (existsSync(join(dir, 'voc_ger.txt'))) return dir;
  }
  return null;
}

describe('loading', () => {
  test('exports the API under Node', () => {
    for (const f of ['tokenize', 'fold', 'stem', 'term', 'analyze']) assert.equal(typeof A[f], 'function', f);
  });
  test('attaches ZirkelAnalyzer as a browser script', () => {
    const ctx = {};
    ctx.self = ctx;
    vm.createContext(ctx);
    vm.runInContext(readFileSync(FILE, 'utf8'), ctx, { filename: 'analyzer.js' });
    assert.equal(ctx.ZirkelAnalyzer.term('Mueller'), 'mull');
  });
});

describe('tokenize', () => {
  test('runs of letters and digits with UTF-16 offsets', () => {
    const text = 'Müller-Lüdenscheidt, Straße 12 — 𝐀b😀c! 2016/17 Ⅻ ½';
    const tokens = A.tokenize(text);
    assert.deepEqual(tokens.map((t) => t.raw), ['Müller', 'Lüdenscheidt', 'Straße', '12', '𝐀b', 'c', '2016', '17', 'Ⅻ', '½']);
    for (const t of tokens) assert.equal(text.slice(t.start, t.end), t.raw);
    assert.deepEqual(tokens[4], { raw: '𝐀b', start: 33, end: 36 }); // a surrogate pair counts 2
  });
  test('the example of the Rust side (a soft hyphen splits)', () => {
    assert.deepEqual(A.tokenize('Kita-Plätze, 2017: Frauen\u00adcafé?').map((t) => t.raw), ['Kita', 'Plätze', '2017', 'Frauen', 'café']);
  });
  test('nothing in punctuation, emoji and empty text', () => {
    assert.deepEqual(A.tokenize('—!? 😀 …'), []);
    assert.deepEqual(A.tokenize(''), []);
  });
  test('can be called again (no state left in the regex)', () => {
    assert.deepEqual(A.tokenize('ab cd'), A.tokenize('ab cd'));
  });
});

describe('fold', () => {
  test('the examples of the Rust side', () => {
    const cases = { 'müller': 'muller', 'mueller': 'muller', 'straße': 'strasse', 'aee': 'ae', 'quelle': 'qulle', 'café': 'cafe' };
    for (const [w, f] of Object.entries(cases)) assert.equal(A.fold(w), f, w);
  });
  test('every folded letter', () => {
    assert.equal(A.fold('àáâãåā æ ç èéêëē ìíîï ñ òóôõø ùúû ýÿ œ ß äöü'), 'aaaaaa a c eeeee iiii n ooooo uuu yy o ss aou');
    assert.equal(A.fold('oeuvre'), 'ouvre'); // pairs do not overlap
    assert.equal(A.fold('zuerst'), 'zurst');
    assert.equal(A.fold('ueue'), 'uu');
    assert.equal(A.fold('ǎ ő ł'), 'ǎ ő ł'); // not in the table: unchanged
  });
});

describe('stem', () => {
  const sample = pairs(readFileSync(join(here, 'fixtures', 'stemmer-de.tsv'), 'utf8'));

  test('the sample of the Snowball German vocabulary', () => {
    assert.ok(sample.length >= 2900, `${sample.length} words`);
    assert.ok(sample.filter(([w]) => w.includes('ß')).length >= 500);
    assert.deepEqual(mismatches(sample), []);
  });

  test('a term begins the folded word it stems from, as the highlighting assumes', () => {
    // Folding first: the stemmer only cuts endings and undoes its U and Y.
    const data = crateTestData();
    const words = sample.map(([w]) => w).concat(data ? readFileSync(join(data, 'voc_ger.txt'), 'utf8').split('\n') : [])
      .filter(Boolean);
    const not = words.filter((w) => { const f = A.fold(w.toLowerCase()); return !f.startsWith(A.stem(f)); });
    assert.deepEqual(not, []);
    assert.ok(words.length >= 2900, `${words.length} words`);
  });

  const data = crateTestData();
  test('the whole vocabulary of rust-stemmers 1.2.0', { skip: !data && 'rust-stemmers 1.2.0 not in the cargo registry' }, () => {
    const voc = readFileSync(join(data, 'voc_ger.txt'), 'utf8').split('\n');
    const res = readFileSync(join(data, 'res_ger.txt'), 'utf8').split('\n');
    const all = voc.map((w, i) => [w, res[i]]).filter(([w]) => w);
    assert.equal(all.length, 35033);
    assert.deepEqual(mismatches(all), []);
  });

  test('each rule', () => {
    const cases = {
      kenntnisse: 'kenntnis', // -e, then -niss
      kenntnissen: 'kenntnis',
      hauses: 'haus',
      trugs: 'trug', // -s after an s-ending
      tags: 'tag',
      ehrenamtlichen: 'ehrenamt', // -en, then -lich
      ubertragbarkeit: 'ubertragbar',
      schnellste: 'schnell', // -e, then -st after a st-ending with 3 letters before
      bauerinnen: 'bauerinn',
      ernst: 'ernst', // -st: too few letters before
      freundlichkeit: 'freundlich', // -keit, -lich outside R2
      handlungen: 'handlung',
      bauerin: 'bauerin',
      heraus: 'heraus',
      bauen: 'bau', // u between vowels is a consonant
      bayern: 'bay', // likewise y: baYern, R1 after the Y
      au: 'au', // shorter than 3
    };
    for (const [w, s] of Object.entries(cases)) assert.equal(A.stem(w), s, w);
  });

  test('umlauts and ß unfolded, as the full Snowball algorithm', () => {
    assert.equal(A.stem('häuser'), 'haus');
    assert.equal(A.stem('straße'), 'strass');
    assert.equal(A.stem('größte'), 'grosst');
  });
});

describe('term and analyze', () => {
  test('term is stem(fold(lowercase))', () => {
    assert.equal(A.term('Müller'), 'mull');
    assert.equal(A.term('MUELLER'), A.term('müller'));
    assert.equal(A.term('Straßen'), 'strass');
    assert.equal(A.term('Strassen'), 'strass');
    assert.equal(A.term('Café'), 'caf');
    assert.equal(A.term('Übertragbarkeit'), 'ubertragbar');
    assert.equal(A.term('ΟΔΟΣ'), 'οδος'); // final sigma, as Rust's to_lowercase
    assert.equal(A.term('2016'), '2016');
    // Snowball German keeps these apart (its vocabulary has kurs -> kur, konkurse -> konkurs)
    assert.equal(A.term('Sprachkurs'), 'sprachkur');
    assert.equal(A.term('Sprachkurse'), 'sprachkurs');
    assert.equal(A.term('Flüchtlinge'), A.term('Fluechtlingen'));
    assert.equal(A.term('Geflüchteten'), A.term('Gefluechtete'));
  });

  test('a folded token of more than 48 characters is dropped', () => {
    assert.equal(A.term('a'.repeat(48)), 'a'.repeat(48));
    assert.equal(A.term('b'.repeat(49)), null);
    assert.equal(A.term('ß'.repeat(25)), null); // 50 after folding
    assert.equal(A.term('𝐀'.repeat(48)), '𝐀'.repeat(48)); // code points, not UTF-16 units
  });

  test('positions count dropped tokens too', () => {
    const text = `Die Müller ${'x'.repeat(49)} Straße`;
    assert.deepEqual(A.analyze(text), [
      { term: 'die', raw: 'Die', start: 0, end: 3, position: 0 },
      { term: 'mull', raw: 'Müller', start: 4, end: 10, position: 1 },
      { term: 'strass', raw: 'Straße', start: 61, end: 67, position: 3 },
    ]);
    assert.deepEqual(A.analyze(''), []);
  });
});
