/* zirkel search: query words that match no term, beside engine.js: compounds split
 * into parts that stand together (index.rs `plan`, `close_together`), else typo
 * correction (index.rs `closest`). The engine loads it for such a word. */
(function (root) {
'use strict';
var Z = root && root.ZirkelEngine, A = root && root.ZirkelAnalyzer;
if (!Z && typeof require === 'function') Z = require('./engine.js');
if (!A && typeof require === 'function') A = require('./analyzer.js');

/** Edits from a to b (a swap of neighbours: one), at most max + 1. */
function distance(a, b, max) {
  a = Array.from(a); b = Array.from(b);
  if (Math.abs(a.length - b.length) > max) return max + 1;
  for (var d = [], i = 0, j; i <= a.length; i++) for (d[i] = [i], j = 1; j <= b.length; j++) {
    d[i][j] = i ? Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] !== b[j - 1]))
      : j;
    if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
  }
  return Math.min(d[a.length][b.length], max + 1);
}

/** The term of a dictionary part nearest to a typed word within max edits, and how
 * many: measured to the term from the word's stem and to each of its spellings
 * (forms, term -> folded spellings) from the folded word, whichever is fewer
 * (index.rs `closest`). The fewest edits, then the most frequent, then the first in
 * the part (term order); never one of the stop words (a Set). */
Z.closest = function (stem, word, part, max, stop, forms) {
  var best;
  part.forEach(function (e) {
    if (stop && stop.has(e[0])) return;
    var d = distance(stem, e[0], max);
    (forms[e[0]] || []).forEach(function (f) { d = Math.min(d, distance(word, f, max)); });
    if (d <= max && (!best || d < best[0] || d === best[0] && e[1] > best[1])) best = [d, e[1], e[0]];
  });
  return best && [best[2], best[0]];
};
/** The plan of a word that matches no term, given its folded form, the dictionary
 * part of its stem and its length: its splits (analyze.rs `query_splits`), each an
 * alternative holding the documents where both parts stand in one block; without
 * any, the nearest term. */
Z.unknown = function (eng, plan, folded, part, n, meta) {
  // The spellings of the part's terms (w/, search_export.rs): modifiers as written,
  // and the notice's word.
  // A part with no terms has no spellings either: nothing to ask for.
  var w = part.length ? eng.get('w/' + Z.key(plan.terms[0])).then(null, function () { return {}; }) : Promise.resolve({});
  return w.then(function (w) {
    return splitOrCorrect(eng, plan, folded, part, n, meta, w);
  });
};
function splitOrCorrect(eng, plan, folded, part, n, meta, w) {
  var pairs = [], len = function (s) { return Array.from(s).length; }, stop = eng.stopWords(meta), forms = {};
  // The stop words and their terms (analyze.rs `is_stop_term`).
  var stopTerms = eng.stopTerms || (eng.stopTerms = new Set(Array.from(stop).concat(Array.from(stop, A.stem))));
  // The part's spellings, folded once: modifiers as written, and what a correction
  // counts its edits to (index.rs `plan`).
  part.forEach(function (e) {
    forms[e[0]] = (w[e[0]] ? w[e[0]].split(' ') : []).map(function (s) { return A.fold(s.toLowerCase()); })
      .filter(function (f) { return len(f) <= 48; });
  });
  part.forEach(function (e) {
    var t = e[0];
    // A stop word or its term is no part.
    if (len(t) < meta.splitMin || stopTerms.has(t)) return;
    // The term, then how the collection writes it (analyze.rs `query_splits_by`).
    [t].concat(forms[t]).forEach(function (form) {
      if (folded.slice(0, form.length) !== form) return;
      var rest = folded.slice(form.length);
      [''].concat(meta.links).forEach(function (l) {
        if (rest.slice(0, l.length) !== l || len(rest) - len(l) < meta.splitMin || stop.has(rest.slice(l.length))) return;
        var h = A.stem(rest.slice(l.length));
        if (!pairs.some(function (p) { return p[0] === t && p[1] === h; })) pairs.push([t, h]);
      });
    });
  });
  return Promise.all(pairs.map(function (p) { return headTerms(eng, p[1], meta); })).then(function (heads) {
    pairs.forEach(function (p, i) { p[2] = heads[i]; });
    var splits = pairs.filter(function (p) { return p[2].length; })
      .sort(function (a, b) { return len(b[0]) - len(a[0]); }).slice(0, meta.splits);
    return Promise.all(splits.map(function (p) { return together(eng, p[0], p[2]); }));
  }).then(function (alts) {
    // Splits whose parts never stand together don't count; without any: a typo.
    plan.syn = alts.filter(function (a) { return a.docs.length; }).map(function (a) { return [a]; });
    // Parts the collection knows but never holds together: a topic nobody wrote about
    // (index.rs `apart`).
    plan.apart = alts.length > 0 && !plan.syn.length;
    if (!plan.syn.length) {
      var c = Z.closest(plan.terms[0], folded, part, n >= 8 ? 2 : 1, stop, forms);
      if (!c) return plan;
      var t = c[0], typed = plan.raw.toLowerCase(), best;
      // Over two edits: no sign the collection knows the word (index.rs `guessed`).
      plan.guessed = c[1] > 1;
      plan.terms = [t], plan.corrected = true;
      // The notice names the word as the collection writes it, in the form nearest to
      // the typed one (index.rs `spelled_like`).
      (w[t] ? w[t].split(' ') : []).forEach(function (s) {
        var d = distance(typed, s.toLowerCase(), 48);
        if (!best || d < best[0]) best = [d, s];
      });
      plan.written = best ? best[1] : t;
    }
    return plan;
  });
}

/** The blocks of term's postings, undecoded (search_export.rs `encode_blocks`). */
function blocks(eng, term) {
  var key = Z.key(term);
  return eng.part(key).then(function (part) {
    var e = part.filter(function (x) { return x[0] === term; })[0];
    return typeof e[2] === 'number' ? eng.get('b/t' + e[2])
      : eng.get('b/p' + key).then(function (m) { return m[term]; });
  });
}
/** A reader of a bit stream in base-64 characters (search_export.rs `Bits`): one
 * bit, or an Elias gamma code. Here, not in engine.js: only the block lists of
 * compound parts use it. */
Z.bits = function (s) {
  var pos = 0, u = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) u[i] = Z.CODE[s.charCodeAt(i)];
  function bit() {
    if (pos >= u.length * 6) throw new Error('zirkel: bit stream cut short');
    return u[pos / 6 | 0] >> 5 - pos++ % 6 & 1;
  }
  return { bit: bit, gamma: function () {
    for (var z = 0; !bit();) z++;
    for (var g = 1; z--;) g = g * 2 + bit();
    return g;
  } };
};
/** Per posting (n of them), the blocks it stands in. */
function decode(s, n) {
  var gamma = Z.bits(s).gamma, out = [];
  while (n--) {
    for (var c = gamma(), b = gamma() - 1, l = [b]; --c;) l.push(b += gamma());
    out.push(l);
  }
  return out;
}

/** The terms a compound's head stands for: itself where the collection has it, and
 * from meta.headPrefixMin characters on the most frequent terms it begins (index.rs
 * `head_terms`). */
function headTerms(eng, h, meta) {
  return eng.part(Z.key(h)).then(function (part) {
    var out = part.some(function (e) { return e[0] === h; }) ? [h] : [];
    return Array.from(h).length < meta.headPrefixMin ? out : out.concat(Z.prefixed(part, h, out, meta));
  });
}
/** The documents holding the modifier m and one of the head's terms hs in one block,
 * scored as index.rs `close_together`. */
function together(eng, m, hs) {
  var heads = hs.map(function (h) { return Promise.all([eng.postings(h), blocks(eng, h)]); });
  return Promise.all([eng.postings(m), blocks(eng, m)].concat(heads)).then(function (r) {
    var a = r[0], x = decode(r[1], a.docs.length), sum = new Map(), at = new Map(), docs = [], scores = [];
    r.slice(2).forEach(function (hb) {
      var b = hb[0], y = decode(hb[1], b.docs.length);
      // Per document the head terms' scores, summed in their order as index.rs adds
      // them, and their blocks gathered in place.
      for (var j = 0, d, k; j < b.docs.length; j++) {
        d = b.docs[j];
        if (!(k = at.get(d))) at.set(d, k = []), sum.set(d, 0);
        sum.set(d, sum.get(d) + b.scores[j]);
        k.push.apply(k, y[j]);
      }
    });
    for (var i = 0, d; i < a.docs.length; i++) {
      d = a.docs[i];
      if (sum.has(d) && x[i].some(function (k) { return at.get(d).indexOf(k) >= 0; })) {
        docs.push(d);
        scores.push(0 + a.scores[i] + sum.get(d));
      }
    }
    return { docs: Int32Array.from(docs), scores: Float64Array.from(scores) };
  });
}

/** "Ergebnisse für »{query}« – meinten Sie {words}?" from the page's texts t
 * (corrected, instead), as cmd/search.rs `corrected_notice`. */
Z.notice = function (q, corrected, t) {
  var words = corrected.map(function (c) {
    q = q.replace(c.word, c.written);
    return t.instead.replace('{term}', c.written).replace('{word}', c.word);
  });
  // A function, so a $ in what was typed stays as typed.
  return t.corrected.replace('{words}', words.join(', ')).replace('{query}', function () { return q; });
};
})(typeof self !== 'undefined' ? self : this);
