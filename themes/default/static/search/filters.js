/* zirkel search page: the filter lists with their counts, beside ui.js, which loads it
 * with the facet file. */
(function () {
'use strict';
/** Fills the filter lists: the values the results have, with their counts. */
function fill(selects, counts, names, chosen) {
  selects.forEach(function (s) {
    var f = s.dataset.facet, c = counts[f] || {}, keys = Object.keys(c);
    if (chosen[f] && !c[chosen[f]]) keys.push(chosen[f]);
    var text = function (k) { return (names[f][k] || k) + ' (' + (c[k] || 0) + ')'; };
    if (s === document.activeElement && s.length > 1) { // in use: only the counts change
      [].forEach.call(s.options, function (o) { if (o.value) o.text = text(o.value); });
      return;
    }
    keys.sort(function (a, b) { return (names[f][a] || a).localeCompare(names[f][b] || b, 'de'); });
    s.length = 1;
    keys.forEach(function (k) { s.appendChild(new Option(text(k), k)); });
    s.value = chosen[f] || '';
  });
}

window.ZirkelFilters = { fill: fill };
})();
