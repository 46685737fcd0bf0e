/* zirkel search engine: the static index (suche/*.js), ranked as `zirkel search`
 * (index.rs). No DOM: for ui.js and Node. */
(function (root) {
'use strict';
var A = root && root.ZirkelAnalyzer;
if (!A && typeof require === 'function') A = require('./analyzer.js');
var DIGIT = {}, CODE = new Uint8Array(128);
var ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
ALPHA.split('')
  .forEach(function (c, i) { DIGIT[c] = CODE[c.charCodeAt(0)] = i; });

// Varints: 5 bits a character; bit 6 set: more follows.
function varints(s) {
  var out = [], v = 0, mul = 1;
  for (var i = 0; i < s.length; i++) {
    var d = DIGIT[s[i]];
    v += (d & 31) * mul;
    if (d & 32) mul *= 32;
    else { out.push(v); v = 0; mul = 1; }
  }
  return out;
}
// A term's dictionary part: the hex of the UTF-8 of its first two characters.
function partKey(term) {
  return Array.from(new TextEncoder().encode(lead(term)),
    function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
}

/** A term's first two characters: its dictionary part's name in meta.parts. */
function lead(term) { return Array.from(term).slice(0, 2).join(''); }

/** load(name) -> Promise of the data of suche/<name>.js; module(name) -> Promise
 * once static/search/<name>.js (facets, correct) has run. */
function Engine(load, module) { this.load = load; this.module = module; this.cache = {}; this.got = {}; }
var E = Engine.prototype;
// A file that failed to load (a network drive gone for a moment) is tried again by
// the next search, not remembered as failed.
E.get = function (name) {
  var cache = this.cache;
  return cache[name] || (cache[name] = this.load(name).then(null, function (e) {
    delete cache[name];
    throw e;
  }));
};
E.meta = function () { return this.get('meta'); };
/** The stop words of the loaded meta, as a Set made once. */
E.stopWords = function (meta) { return this.stop || (this.stop = new Set(meta.stop.split(' '))); };
// A dictionary part's terms (p/), with k 1 its thesaurus expansions, with k 2 its
// bundles (x/, below): one file.
E.part = function (key, k) {
  var self = this;
  return this.meta().then(function (meta) {
    // meta.parts: the parts' first two characters, half the bytes of their keys.
    self.parts = self.parts || new Set(meta.parts.split(' ').map(partKey));
    return self.parts.has(key) ? self.get('p/' + key).then(function (p) { return p[k || 0] || {}; }) : k ? {} : [];
  });
};

/** Loads bundle n (x/n): the postings files of all the terms one typed word matches and
 * the row of the word's best document, in one request instead of one a file
 * (search_export.rs `bundle_sets`); they are then where E.postings looks. */
E.bundle = function (n) {
  var cache = this.cache;
  return this.get('x/' + n).then(function (b) {
    b[0].forEach(function (f) { cache['t/' + f[0]] = cache['t/' + f[0]] || Promise.resolve(f[1]); });
    carry(cache, b[1]);
  });
};

/** Keeps rows that came with postings ([[n, row], …]) where E.get finds them. */
function carry(cache, rows) {
  (rows || []).forEach(function (r) { cache['d/' + r[0]] = cache['d/' + r[0]] || Promise.resolve(r[1]); });
}

/** The name of the bundle of a word's terms in its dictionary part (search_export.rs
 * `set_key`): FNV-1a of the terms joined by spaces, base 36. */
function setKey(terms) {
  for (var s = terms.join(' '), h = 0x811c9dc5, i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

// Powers of ten that doubles hold exactly.
var TEN = [];
for (var p = 0, t = 1; p <= 22; p++, t *= 10) TEN.push(t);

/** The score of a palette key (search_export.rs `score_key`): a six-digit mantissa m
 * times 10^e, the same double as Rust parses from its decimal text. m and 10^|e| are
 * exact, and a division or product of exact doubles is rounded as the decimal is;
 * four thousand scores a file made into text and parsed took milliseconds. */
function score(k) {
  var m = k % 9e5 + 1e5, e = Math.floor(k / 9e5) - 35;
  return e < 0 && e >= -22 ? m / TEN[-e] : e >= 0 && e <= 22 ? m * TEN[e] : +(m + 'e' + e);
}

/** A postings file decoded into d.docs and d.scores. One function for all files, not
 * a closure per file, so that the code the warm-up got compiled is the code the
 * first query runs (BENCHMARKS.md). */
function decode(d) {
  var n = d[0], c = d[1], s = d[3], pal = [], key = 0;
  varints(d[2]).forEach(function (z) {
    key += z % 2 ? -(z + 1) / 2 : z / 2;
    pal.push(key && score(key - 1));
  });
  // A few steps a posting, not one a bit: the next 24 to 29 bits in b, a gap's
  // leading zeros counted at once, a score's code looked up by the next m bits (m:
  // the longest code, 16 bits at most for up to 65,536 distinct scores:
  // search_export.rs `MAX_CODE_BITS`) in T, which holds symbol * 32 + code length.
  var docs = new Int32Array(n), scores = new Float64Array(n), m = c.length, T = new Int32Array(1 << m);
  var at = 0, b = 0, have = 0, doc = -1, code = 0, sym = 0, i, k, z;
  for (i = 1; i <= m; i++, code *= 2) for (k = 0; k < c[i - 1]; k++) T.fill(sym++ * 32 + i, code << m - i, ++code << m - i);
  // Four zero characters: the window reads up to 24 bits past the last code.
  s += 'AAAA';
  for (i = 0; i < n; i++) {
    for (; have < 24; have += 6) b = b * 64 + CODE[s.charCodeAt(at++)];
    have -= z = Math.clz32(b) + have - 32;
    for (; have < 24; have += 6) b = b * 64 + CODE[s.charCodeAt(at++)];
    docs[i] = doc += b >> (have -= z + 1);
    b &= (1 << have) - 1;
    for (; have < 24; have += 6) b = b * 64 + CODE[s.charCodeAt(at++)];
    k = T[b >> have - m];
    scores[i] = pal[k >> 5];
    b &= (1 << (have -= k & 31)) - 1;
  }
  // A damaged file would otherwise read past its end.
  if (at * 6 - have > s.length * 6 - 24) throw new Error('zirkel: postings cut short');
  return (d.docs = docs, d.scores = scores, d);
}

/** A term's postings: {docs, scores} in document order (search_export.rs
 * `encode_postings`: gamma-coded gaps, Huffman-coded scores). */
E.postings = function (term) {
  var self = this;
  return this.part(partKey(term)).then(function (part) {
    var e = part.filter(function (x) { return x[0] === term; })[0];
    return !e ? [0, [], '', ''] : typeof e[2] === 'number' ? self.get('t/' + e[2]) : e[2];
  }).then(function (d) {
    // The rows of the term's best documents come with its postings: the first result
    // is often among them, and needs no other request (search_export.rs).
    if (!d.docs) carry(self.cache, d[4]), decode(d);
    self.got[term] = 1;
    return d;
  });
};

/** The meta.prefixTerms most frequent terms of a dictionary part that pre begins,
 * leaving out those of except (index.rs `prefix_terms`). */
function prefixed(part, pre, except, meta) {
  return part.filter(function (e) { return except.indexOf(e[0]) < 0 && e[0].slice(0, pre.length) === pre; })
    // Ties keep the part's order, Rust's string order (sort is stable).
    .sort(function (a, b) { return b[1] - a[1]; })
    .slice(0, meta.prefixTerms)
    .map(function (e) { return e[0]; });
}

/** Adds each term's scores into sum and counts the terms in seen, per document. Its
 * loop variables are its own: shared with closures they would be slower. */
function add(terms, sum, seen) {
  terms.forEach(function (p) {
    for (var i = 0, ds = p.docs, sc = p.scores; i < ds.length; i++) { sum[ds[i]] += sc[i]; seen[ds[i]]++; }
  });
}

/** A question or sentence rather than keywords: a final question mark or a stop word
 * (analyze.rs `is_sentence`). */
function sentence(text, stop) {
  return /\?\s*$/.test(text) || A.tokenize(text).some(function (t) {
    return stop.has(A.fold(t.raw.toLowerCase()));
  });
}

/** A folded word's terms in either number, its own first (analyze.rs `forms`). */
function forms(folded) {
  var own = A.stem(folded), out = [own], first = lead(own);
  var other = folded.slice(-2) === 'en' ? [folded.slice(0, -2)] : [];
  other.push(folded.slice(-1) === 'e' ? folded.slice(0, -1) : folded + 'e');
  if (/([aoy]|[^aeiouy]i)s$/.test(folded)) other.push(folded.slice(0, -1));
  other.forEach(function (f) {
    var t = A.stem(f);
    if (out.indexOf(t) < 0 && lead(t) === first) out.push(t);
  });
  return out;
}

/** The terms each word matches (index.rs `plan`). */
E.plan = function (text) {
  var self = this;
  return this.meta().then(function (meta) {
    var words = [], stop = self.stopWords(meta);
    // Words joined by hyphens are one word: its joined form, or all its parts.
    A.tokenize(text).forEach(function (t) {
      var w = words[words.length - 1];
      if (w && t.start === w.end + 1 && text[w.end] === '-') w.parts.push(t.raw), w.end = t.end;
      else words.push(t), t.parts = [t.raw];
    });
    var last = words.length - 1;
    words.forEach(function (w) {
      w.raw = text.slice(w.start, w.end);
      w.f = A.fold(w.parts.join('').toLowerCase());
      w.n = Array.from(w.f).length;
      w.j = [];
    });
    // Stop words are left out unless the query has nothing else.
    var only = words.every(function (w) { return w.n > 48 || stop.has(w.f); });
    function out(w) { return w.n > 48 || !only && stop.has(w.f); }
    // Neighbours written as one word (index.rs `plan`).
    words.forEach(function (w, i) {
      var v = words[i + 1], j;
      if (v && !out(w) && !out(v) && !text.slice(w.end, v.start).trim()) w.j.push(j = [A.stem(w.f + v.f)]), v.j.push(j);
    });
    return Promise.all(words.map(function (w, i) {
      var folded = w.f;
      if (out(w)) return null;
      var stem = A.stem(folded), plan = { raw: w.raw, terms: [stem], opens: !i && !stop.has(folded) }, pre = i === last && w.n >= meta.prefixMinChars;
      var own = forms(folded);
      var pk = partKey(stem);
      return Promise.all([self.part(pk), pre && self.part(partKey(folded)), self.part(pk, 1), self.part(pk, 2)].concat(w.j.map(function (j) {
        return self.part(partKey(j[0])).then(function (p) { return p.some(function (e) { return e[0] === j[0]; }) && j; });
      }))).then(function (r) {
        // Hyphenated parts, neighbours, a phrase (below), then the thesaurus, which
        // only words the collection hardly uses expand (index.rs `expand_below`).
        var mine = r[0].filter(function (e) { return e[0] === stem; })[0];
        // The other number's term where the stemmer splits them (index.rs `plan`).
        own.slice(1).forEach(function (f) {
          if (r[0].some(function (e) { return e[0] === f; })) plan.terms.push(f);
        });
        plan.syn = (w.parts[1] ? [w.parts.map(function (p) { return A.stem(A.fold(p.toLowerCase())); })] : [])
          .concat(r.slice(4).filter(Boolean));
        plan.th = [];
        if ((mine ? mine[1] : 0) < meta.expandBelow) {
          own.forEach(function (f) {
            (Array.isArray(r[2][f]) ? r[2][f] : []).forEach(function (alt) {
              var k = alt.join(' ');
              if (!plan.th.some(function (x) { return x.join(' ') === k; })) plan.th.push(alt);
            });
          });
        }
        plan.s = r[2];
        plan.x = r[3];
        plan.stem = stem;
        if (pre) plan.terms = plan.terms.concat(prefixed(r[1], folded, plan.terms, meta));
        // A verb's noun in -ung, where the stemmer keeps them apart (index.rs).
        plan.ung = Array.from(stem).length > 2 && plan.terms.indexOf(stem + 'ung') < 0
          && r[0].some(function (e) { return e[0] === stem + 'ung'; }) ? [[stem + 'ung']] : [];
        // No term matches: its split or nearest term (correct.js), unless it expands.
        plan.fix = !(plan.terms.length > 1 || w.n < meta.correctMinChars || mine) && function () {
          return api.unknown(self, plan, folded, r[0], w.n, meta);
        };
        return plan;
      });
    })).then(function (plans) {
      plans = plans.filter(Boolean);
      // A thesaurus phrase typed out: each of its words also matches what it stands
      // for; the longest from the left, then after it (index.rs `plan`).
      for (var k = 0, m, alts; k < plans.length; k += m || 1) {
        m = 0;
        Object.keys(plans[k].s).forEach(function (key) {
          var t = key.split(' ');
          if (t.length > Math.max(m, 1) && t.length <= meta.maxPhrase && t.every(function (x, i) { return plans[k + i] && plans[k + i].stem === x; })) {
            m = t.length, alts = plans[k].s[key];
          }
        });
        for (var i = 0; i < m; i++) plans[k + i].syn = plans[k + i].syn.concat(alts);
      }
      return Promise.all(plans.map(function (p) {
        p.syn = p.syn.concat(p.th, p.ung);
        return p.syn.length || !p.fix ? p : self.module('correct').then(p.fix);
      }));
    });
  });
};

/** {results, facets, total, partial, corrected, docs}; filters, facets: facets.js. opts: facets
 * (false: count them only when asked), each (below). */
E.search = function (text, filters, limit, opts) {
  var self = this, active = {};
  Object.keys(filters || {}).forEach(function (k) { if (filters[k]) active[k] = filters[k]; });
  var filtered = Object.keys(active).length > 0, eager = filtered || !opts || opts.facets !== false;
  return this.plan(text).then(function (plans) {
    var post = function (t) { return t.docs ? t : self.postings(t); };
    var lists = Promise.all(plans.map(function (p) {
      // The word's terms from their bundle where the export made one for them, unless
      // they are all here already (typed key by key, the word's beginning loaded them).
      var x = p.x && p.x[setKey(p.terms)], all = p.terms.every(function (t) { return self.got[t]; });
      var own = x === undefined || all ? Promise.resolve() : self.bundle(x);
      return Promise.all([own.then(function () { return Promise.all(p.terms.map(post)); }),
        Promise.all(p.syn.map(function (a) { return Promise.all(a.map(post)); }))]);
    }));
    return Promise.all([lists, eager && plans.length ? self.facets() : null, self.meta(), plans]);
  }).then(function (r) {
    var lists = r[0], table = r[1], meta = r[2], plans = r[3], n = meta.docs, d;
    var total = new Float64Array(n), cnt = new Uint8Array(n), word = new Float64Array(n);
    var hit = new Uint8Array(n), N = lists.length, cand = [], best = 0, wide = [], knows = [], alt = new Float64Array(n), have = new Uint8Array(n);
    // Per word the sum over its terms, then over the words, as index.rs adds.
    lists.forEach(function (l, j) {
      var d, i = 0;
      word.fill(0);
      hit.fill(0);
      add(l[0], word, hit);
      // An expansion counts where all its terms are, at a lower weight.
      l[1].forEach(function (terms) {
        alt.fill(0);
        have.fill(0);
        add(terms, alt, have);
        for (var d = 0; d < n; d++) if (have[d] === terms.length) { word[d] += meta.weight * alt[d]; hit[d] = 1; }
      });
      for (d = 0; d < n; d++) if (hit[d]) { cnt[d]++; total[d] += word[d]; i++; }
      // A word the collection knows finds some entry on its own, and is no correction
      // over two edits (index.rs).
      wide.push(2 * i >= n);
      knows.push(i > 0 && !plans[j].guessed);
    });
    // All words, else (a question or sentence of 3 or more whose words the collection
    // mostly knows, not counting those in half the documents or more, its opening word
    // among them if that is not a stop word, with no unknown word written as a noun and
    // no compound whose parts never stand together) at least 2 and half the known ones,
    // most first (index.rs).
    var known = knows.filter(Boolean).length, stop = self.stopWords(meta);
    // Where every word is that common, all of them count.
    var every = wide.every(Boolean), topic = knows.filter(function (k, j) { return every || !wide[j]; });
    var told = topic.filter(Boolean).length;
    var least = N >= 3 && 2 * told > topic.length && (knows[0] || !plans[0].opens) &&
      !plans.some(function (p, j) { return p.apart || !knows[j] && /^\p{Uppercase}\p{Lowercase}/u.test(p.raw); }) &&
      sentence(text, stop) ? Math.max(2, Math.ceil(known / 2)) : N;
    for (d = 0; N && d < n; d++) {
      if (cnt[d] < least || filtered && !table.keeps(d, active)) continue;
      cand.push(d);
      if (cnt[d] > best) best = cnt[d];
    }
    // The best `limit` by words, score, then document number, kept in order.
    var k = limit === undefined ? 10 : limit, top = [], docs = [], all = best === N;
    function before(a, b) { return a[0] > b[0] || a[0] === b[0] && a[1] > b[1]; }
    cand.forEach(function (d) {
      if (all && cnt[d] < N) return;
      docs.push(d);
      // Most documents cannot enter a full list: no array made for them, no garbage.
      var c = cnt[d], s = total[d], w = top[k - 1], h, i;
      if (top.length >= k && !(w && (c > w[0] || c === w[0] && s > w[1]))) return;
      h = [c, s, d];
      for (i = top.length; i > 0 && before(h, top[i - 1]); i--);
      top.splice(i, 0, h);
      if (top.length > k) top.pop();
    });
    var terms = [].concat.apply([], plans.map(function (p) { return p.terms.concat.apply(p.terms, p.syn); }));
    // Rows: [slug, title, summary, district, field, outcome], one file each.
    var made = [], result = function (row, k) {
      return made[k] || (made[k] = { slug: row[0], title: row[1], url: 'praxis/' + row[0] + '.html', score: top[k][1],
        district: row[3], field: meta.field[row[4]][0], outcome: meta.outcome[row[5]][0],
        snippet: highlight(row[2], terms) });
    }, each = opts && opts.each || Boolean, first = top[0] && self.get('d/' + top[0][2]);
    // opts.each(result, k): each result in rank order as soon as it and those above it
    // have loaded, so a page can show the first before the tenth has arrived. The first
    // result's row is asked for alone, the others once it is handed over: asked for
    // together, the ten requests delayed the first result by 10-15 ms on a 2-core
    // machine (BENCHMARKS.md). A row that fails to load rejects the promise returned
    // below once those above it are handed over, so nothing arrives after the failure
    // is reported.
    var shown = Promise.resolve(first && first.then(function (r) { each(result(r, 0), 0); }));
    var rows = top.map(function (h, k) { return k ? shown.then(function () { return self.get('d/' + h[2]); }) : first; });
    rows.slice(1).forEach(function (row, k) {
      // Its failure is reported below, in rank order, not as unhandled.
      row.then(null, Boolean);
      shown = shown.then(function () { return row; }).then(function (r) { each(result(r, ++k), k); });
    });
    return shown.then(function () { return Promise.all(rows); }).then(function (x) {
      return {
        results: x.map(result),
        facets: table ? self.count(docs, table) : plans.length ? null : {},
        total: docs.length,
        partial: !all && docs.length > 0,
        corrected: plans.filter(function (p) { return p.corrected; })
          .map(function (p) { return { word: p.raw, term: p.terms[0], written: p.written }; }),
        // For the facet counts when the page asks for them (facets.js `counted`).
        docs: docs
      };
    });
  });
};

/** A search on made-up files in memory, so that the page's first real query runs
 * compiled code: run cold, its decoding and scoring take several times as long, and
 * code compiled for data of another shape is thrown away and compiled again while the
 * query waits (BENCHMARKS.md). Loads nothing. Two words in two dictionary parts, each
 * with a term in every document and rarer ones that its prefix finds, one of them
 * inline; gaps and codes of several lengths; rows carried with the postings and a
 * summary with words to mark, in characters beyond Latin-1 as summaries cut with an
 * ellipsis are: V8 compiles the tokenizer's expression apart for such text, which
 * took the first result 2-7 ms. */
function warm(meta) {
  var WIDE = 2000, n = meta.docs, row = ['warm', 'Wärme', 'Wärme und Kälte: „wärmer“, kälter, wärmen …', 'Kreis', 0, 0], bits = {};
  // m postings; gaps of 1 where m is n. Their bits are made once, the arrays for each
  // search: decoding keeps its result on the array.
  // With wide, the scores are many, as a frequent term's are (thousands, codes up to
  // 12 bits): making the palette and the code table then runs long enough to be
  // compiled too (a cold first real file took 3-7 ms there).
  function postings(m, wide) {
    var id = m + (wide ? 'w' : '');
    if (!bits[id]) {
      for (var raw = '', i = 0, g; i < m; i++) {
        g = (1 + i % 3 * (n / m / 2 | 0)).toString(2);
        raw += g.replace(/./g, '0').slice(1) + g + (wide ? i % 4 ? '0' : (2048 + i * 37 % WIDE).toString(2)
          : ['0', '10', '110', '111'][i % 4]);
      }
      for (bits[id] = '', raw += '00000', i = 0; i + 6 <= raw.length; i += 6) bits[id] += ALPHA[parseInt(raw.slice(i, i + 6), 2)];
    }
    // Palette: a first key about 1.0 (search_export.rs `score_key`), then steps of one.
    return wide ? [m, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, WIDE], 'is-vzB' + Array(WIDE + 1).join('C'), bits[id], [[m, row]]]
      : [m, [1, 1, 2], 'gCDCC', bits[id], [[m, row]]];
  }
  // One warm-up search. The second finds the code compiled with all the type feedback
  // the first gathered: V8 gathers none in a function's first calls, and code compiled
  // without it is thrown away when the query first needs it (BENCHMARKS.md).
  function once() {
    var files = {}, keys = [], at = 0;
    ['Wärme', 'Kälte'].forEach(function (w) {
      var f = A.fold(w.toLowerCase()), s = A.stem(f), k = partKey(s);
      keys.push(lead(s));
      files['p/' + k] = [[[s, n, at], [f + 'n', 9, postings(9)], [f + 'r', 300, at + 1]], {}];
      files['t/' + at++] = postings(n);
      files['t/' + at++] = postings(300, true);
    });
    return new Engine(function (name) {
      return Promise.resolve(name === 'meta' ? Object.assign({}, meta, { parts: keys.join(' ') }) : files[name] || row);
    }).search('Wärme Kälte', {}, 10, { facets: false });
  }
  return once().then(once);
}

function escape(s) {
  return s.replace(/[&<>"']/g, function (c) {
    return '&' + { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#x27' }[c] + ';';
  });
}

/** The text, escaped, with the words whose term the query matched in <mark>. */
function highlight(text, terms) {
  var out = '', at = 0;
  A.tokenize(text).forEach(function (t) {
    // The stemmer only cuts endings, so a word's term begins its folded form: words
    // no term begins need no stemming.
    var f = A.fold(t.raw.toLowerCase());
    if (!terms.some(function (x) { return f.lastIndexOf(x, 0) === 0; }) || terms.indexOf(A.term(t.raw)) < 0) return;
    out += escape(text.slice(at, t.start)) + '<mark>' + escape(text.slice(t.start, t.end)) + '</mark>';
    at = t.end;
  });
  return out + escape(text.slice(at));
}

var api = { Engine: Engine, warm: warm, highlight: highlight, DIGIT: DIGIT, CODE: CODE, varints: varints, key: partKey, setKey: setKey, score: score, prefixed: prefixed };
if (root) root.ZirkelEngine = api;
if (typeof module === 'object' && module.exports) module.exports = api;
})(typeof self !== 'undefined' ? self : this);
