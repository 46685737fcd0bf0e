/* zirkel search page: the filter lists with their counts, beside ui.js, which loads it
 * with the facet file. */
(function () {
'use strict';
/** Per facet: value -> label, from the index's vocabularies and the page's. */
function labels(meta, districts) {
  var vocab = JSON.parse(document.getElementById('such-vokabular').textContent || '{}'), m = { district: Object.fromEntries(districts), participation: vocab.participation || {} };
  ['field', 'outcome', 'target_group', 'land'].forEach(function (f) { m[f] = Object.fromEntries(meta[f]); });
  return m;
}

/** Fills the filter lists: the values the results have, with their counts. */
function fill(selects, counts, meta, districts, chosen) {
  var names = labels(meta, districts);
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
