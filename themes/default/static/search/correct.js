/* zirkel search: typo correction, beside engine.js (index.rs `closest`). The engine
 * loads it when a query word matches no term. */
(function (root) {
'use strict';
var Z = root && root.ZirkelEngine;
if (!Z && typeof require === 'function') Z = require('./engine.js');

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

/** The term of a dictionary part nearest to stem within max edits: the fewest
 * edits, then the most frequent, then the first in the part (term order). */
Z.closest = function (stem, part, max) {
  var best;
  part.forEach(function (e) {
    var d = distance(stem, e[0], max);
    if (d <= max && (!best || d < best[0] || d === best[0] && e[1] > best[1])) best = [d, e[1], e[0]];
  });
  return best && best[2];
};
/** "Ergebnisse für »{query}« – meinten Sie {words}?" from the page's texts t
 * (corrected, instead), as cmd/search.rs `corrected_notice`. */
Z.notice = function (q, corrected, t) {
  var words = corrected.map(function (c) {
    q = q.replace(c.word, c.term);
    return t.instead.replace('{term}', c.term).replace('{word}', c.word);
  });
  // A function, so a $ in what was typed stays as typed.
  return t.corrected.replace('{words}', words.join(', ')).replace('{query}', function () { return q; });
};
})(typeof self !== 'undefined' ? self : this);
