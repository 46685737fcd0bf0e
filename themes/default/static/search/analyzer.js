/* zirkel search: analyze.rs in JS, so query terms are the indexed terms.
 * window.ZirkelAnalyzer, or module.exports in Node. */
(function (root) {
'use strict';

// Rust's char::is_alphanumeric
var WORD = /[\p{Alphabetic}\p{N}]+/gu;
// Longer folded tokens are dropped.
var MAX_CHARS = 48;

/** Word tokens with UTF-16 offsets into text, for highlighting. */
function tokenize(text) {
  var out = [], m;
  WORD.lastIndex = 0;
  while ((m = WORD.exec(String(text)))) out.push({ raw: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

// Letters with diacritics to base letters.
var FOLD = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe' };
[['a', 'äàáâãåā'], ['c', 'ç'], ['e', 'èéêëē'], ['i', 'ìíîï'], ['n', 'ñ'],
  ['o', 'öòóôõø'], ['u', 'üùúû'], ['y', 'ýÿ']].forEach(function (p) {
  for (var i = 0; i < p[1].length; i++) FOLD[p[1][i]] = p[0];
});

/** Folds a lowercased token, then ae/oe/ue -> a/o/u left to right ("aee" -> "ae"). */
function fold(word) {
  var s = Array.from(word, function (c) { return FOLD[c] || c; }).join(''), out = '';
  for (var i = 0; i < s.length; i++) {
    out += s[i];
    if (s[i + 1] === 'e' && (s[i] === 'a' || s[i] === 'o' || s[i] === 'u')) i++;
  }
  return out;
}

// Snowball German as rust-stemmers 1.2.0, on code points (Rust: bytes; same result).
function isV(c) { return 'aeiouyäöü'.indexOf(c) >= 0; }
var S_ENDING = 'bdfghklmnrt', ST_ENDING = 'bdfghklmnt';

/** Snowball German stem of a lowercase word. */
function stem(word) {
  // prelude: ß -> ss; u, y between vowels are consonants (U, Y)
  var w = Array.from(String(word).replace(/ß/g, 'ss')), n = w.length;
  for (var i = 0; i + 2 < n; i++) {
    if (isV(w[i]) && /[uy]/.test(w[i + 1]) && isV(w[i + 2])) w[i + 1] = w[i + 1].toUpperCase();
  }
  // R1: after the first non-vowel after a vowel, at least 3 in; R2 likewise after R1.
  var p1 = n, p2 = n, c = n < 3 ? -1 : past(0);
  if (c >= 0) {
    p1 = Math.max(c, 3);
    if ((c = past(c)) >= 0) p2 = c;
  }
  // gopast vowel, gopast non-vowel
  function past(i) {
    while (i < n && !isV(w[i])) i++;
    for (i++; i < n; i++) if (!isV(w[i])) return i + 1;
    return -1;
  }
  function ends(s) { return w.slice(-s.length).join('') === s; }
  // among: the longest suffix listed, [length, action]
  function among(acts) {
    var best = '';
    for (var s in acts) if (ends(s) && s.length > best.length) best = s;
    return best ? [best.length, acts[best]] : [0, 0];
  }
  function R(p, len) { return p <= w.length - len; }
  function del(len) { w.length -= len; }
  // The character before a suffix.
  function before(len) { return w[w.length - len - 1]; }

  // step 1
  var m = among({ e: 2, em: 1, en: 2, ern: 1, er: 1, s: 3, es: 2 }), len = m[0];
  if (len && R(p1, len)) {
    if (m[1] === 1) del(len);
    else if (m[1] === 2) { del(len); if (ends('niss')) del(1); }
    else if (S_ENDING.indexOf(before(1)) >= 0) del(1);
  }
  // step 2
  m = among({ en: 1, er: 1, st: 2, est: 1 }); len = m[0];
  if (len && R(p1, len)) {
    if (m[1] === 1) del(len);
    // 3 letters before it
    else if (ST_ENDING.indexOf(before(2)) >= 0 && w.length >= 6) del(2);
  }
  // step 3
  m = among({ end: 1, ung: 1, ig: 2, ik: 2, isch: 2, lich: 3, heit: 3, keit: 4 }); len = m[0];
  if (len && R(p2, len)) {
    if (m[1] === 2) { if (before(len) !== 'e') del(len); }
    else if (m[1] === 1) { del(len); if (ends('ig') && before(2) !== 'e' && R(p2, 2)) del(2); }
    else if (m[1] === 3) { del(len); if ((ends('er') || ends('en')) && R(p1, 2)) del(2); }
    else { del(len); m = among({ ig: 1, lich: 1 }); if (m[0] && R(p2, m[0])) del(m[0]); }
  }
  // postlude: U, Y, umlauts to plain letters
  return w.join('').replace(/[UYäöü]/g, function (c) { return 'uyaou'['UYäöü'.indexOf(c)]; });
}

/** The index term of one raw token, or null if it is not indexed. */
function term(raw) {
  var f = fold(String(raw).toLowerCase());
  return Array.from(f).length > MAX_CHARS ? null : stem(f);
}

/** Terms of a text; position counts every token, dropped ones too, and jumps to the
 * next multiple of 2^16 where a paragraph ends (analyze.rs `block_position`). */
function analyze(text) {
  var out = [], at = 0, end = 0;
  tokenize(text).forEach(function (t) {
    if (text.slice(end, t.start).indexOf('\n') >= 0) at = (Math.floor(at / 65536) + 1) * 65536;
    var tm = term(t.raw);
    if (tm !== null) out.push({ term: tm, raw: t.raw, start: t.start, end: t.end, position: at });
    at++;
    end = t.end;
  });
  return out;
}

var api = { tokenize: tokenize, fold: fold, stem: stem, term: term, analyze: analyze };
if (root) root.ZirkelAnalyzer = api;
if (typeof module === 'object' && module.exports) module.exports = api;
})(typeof self !== 'undefined' ? self : this);
