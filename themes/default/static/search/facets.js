/* zirkel search: facet filters and counts from suche/f.js, beside engine.js. The page
 * loads it with the facet file, when the filters are first used or set in the URL. */
(function (root) {
'use strict';
var Z = root && root.ZirkelEngine;
if (!Z && typeof require === 'function') Z = require('./engine.js');
var E = Z.Engine.prototype, DIGIT = Z.DIGIT, varints = Z.varints;

/** Every document's facet values as columns, decoded once. */
E.facets = function () {
  return this.table || (this.table = Promise.all([this.meta(), this.get('f')]).then(function (r) {
    var meta = r[0], f = r[1], n = meta.docs, no = meta.outcome.length, at = 0;
    var t = { field: new Uint16Array(n), outcome: new Uint16Array(n), groups: f.groups, gw: f.groupWidth,
      part: new Uint8Array(n), district: new Uint16Array(n), extra: {}, districts: f.districts, meta: meta };
    for (var d = 0, c, k; d < n; d++) {
      for (c = k = 0; k < f.width; k++) c = c * 64 + DIGIT[f.codes[d * f.width + k]];
      t.field[d] = Math.floor(c / no);
      t.outcome[d] = c % no;
    }
    f.participation.forEach(function (s, i) {
      var doc = -1;
      varints(s).forEach(function (g) { t.part[doc += g + 1] = i + 1; });
    });
    f.runs.forEach(function (len, di) { while (len--) t.district[at++] = di + 1; });
    f.extra.forEach(function (x) { (t.extra[x[0]] = t.extra[x[0]] || []).push(x[1] + 1); });
    // Whether document d has every active filter's value.
    t.keeps = function (d, active) {
      var v = values(t, d);
      return Object.keys(active).every(function (f) { return v[f].indexOf(active[f]) >= 0; });
    };
    return t;
  }));
};

// A document's facet values: {field: [key], district: [keys], …}.
function values(t, d) {
  var m = t.meta, v = {};
  v.field = [m.field[t.field[d]][0]];
  v.outcome = [m.outcome[t.outcome[d]][0]];
  // Target groups: six a character, bit b%6 of character b/6.
  v.target_group = m.target_group.filter(function (g, b) { return DIGIT[t.groups[d * t.gw + (b / 6 | 0)]] >> b % 6 & 1; })
    .map(function (g) { return g[0]; });
  v.participation = t.part[d] ? [m.participation[t.part[d] - 1]] : [];
  v.district = [t.district[d]].concat(t.extra[d] || []).filter(Boolean)
    .map(function (i) { return t.districts[i - 1][0]; });
  v.land = Array.from(new Set(v.district.map(function (a) { return a.slice(0, 2); })));
  return v;
}

/** The facet counts of a search's result documents (its `docs`), loading the facet
 * file unless there are none. */
E.counted = function (docs) {
  var self = this;
  return docs.length ? this.facets().then(function (t) { return self.count(docs, t); }) : Promise.resolve({});
};

/** Per facet, how many of `docs` have each value. */
E.count = function (docs, t) {
  var out = {};
  docs.forEach(function (d) {
    var v = values(t, d);
    for (var f in v) v[f].forEach(function (k) { var m = out[f] = out[f] || {}; m[k] = (m[k] || 0) + 1; });
  });
  return out;
};
})(typeof self !== 'undefined' ? self : this);
