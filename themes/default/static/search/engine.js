/* zirkel search engine: runs a query on the static index the build exports
 * (suche/*.js) and ranks exactly as `zirkel search`: every word must match, the last
 * also as a prefix of the most frequent terms it starts; scores are tantivy's BM25
 * values from the index, summed. No DOM: the page (ui.js) and Node
 * (tools/site-search.mjs) both use it. window.ZirkelEngine, or module.exports. */
(function (root) {
  'use strict';
  var A = root && root.ZirkelAnalyzer;
  if (!A && typeof require === 'function') A = require('./analyzer.js');
  var FACETS = ['field', 'district', 'land', 'outcome', 'target_group', 'participation'];
  var DIGIT = {};
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')
    .forEach(function (c, i) { DIGIT[c] = i; });

  // Base-64 varints, 5 bits a character, bit 6 set: more follows.
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
  // Document numbers from a list of gaps.
  function docs(s) {
    var n = -1;
    return varints(s).map(function (g) { return (n += g + 1); });
  }
  function fixed(s, i, width) {
    for (var v = 0, k = 0; k < width; k++) v = v * 64 + DIGIT[s[i + k]];
    return v;
  }
  // Strings in code-point order, as Rust compares them.
  function cmp(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      if (x[i] !== y[i]) return x[i].codePointAt(0) - y[i].codePointAt(0);
    }
    return x.length - y.length;
  }
  // The dictionary part of a term: hex of the UTF-8 of its first two characters.
  function partKey(term) {
    return Array.from(new TextEncoder().encode(Array.from(term).slice(0, 2).join('')),
      function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }

  /** load(name) -> Promise of the data of suche/<name>.js. */
  function Engine(load) { this.load = load; this.cache = {}; }
  var E = Engine.prototype;

  E.get = function (name) {
    return this.cache[name] || (this.cache[name] = this.load(name));
  };
  E.meta = function () { return this.get('meta'); };
  E.part = function (key) {
    // No part file: no term starts so.
    return this.get('p/' + key).then(null, function () { return []; });
  };

  /** Map document -> score of one term. */
  E.postings = function (term) {
    var self = this;
    return this.part(partKey(term)).then(function (part) {
      var e = part.filter(function (x) { return x[0] === term; })[0];
      if (!e) return new Map();
      return (typeof e[2] === 'number' ? self.get('t/' + e[2]) : Promise.resolve([e[2], e[3]]))
        .then(function (d) {
          var v = varints(d[1]), m = new Map(), doc = -1;
          for (var i = 0; i < v.length; i += 2) m.set(doc += v[i] + 1, d[0][v[i + 1]]);
          return m;
        });
    });
  };

  /** The terms each word of the query matches (index.rs `plan`). */
  E.plan = function (text) {
    var self = this;
    return this.meta().then(function (meta) {
      var words = A.tokenize(text), last = words.length - 1;
      return Promise.all(words.map(function (w, i) {
        var folded = A.fold(w.raw.toLowerCase()), len = Array.from(folded).length;
        if (len > 48) return null;
        var stem = A.stem(folded), plan = { raw: w.raw, terms: [stem] };
        if (i !== last || len < meta.prefixMinChars) return plan;
        return self.part(partKey(folded)).then(function (part) {
          part.filter(function (e) { return e[0] !== stem && e[0].slice(0, folded.length) === folded; })
            .sort(function (a, b) { return b[1] - a[1] || cmp(a[0], b[0]); })
            .slice(0, meta.prefixTerms)
            .forEach(function (e) { plan.terms.push(e[0]); });
          return plan;
        });
      })).then(function (plans) { return plans.filter(Boolean); });
    });
  };

  /** Every document's facet values, decoded once. */
  E.facets = function () {
    var self = this;
    return this.table || (this.table = Promise.all([this.meta(), this.get('f')]).then(function (r) {
      var meta = r[0], f = r[1], no = meta.outcome.length, list = [];
      for (var d = 0; d < meta.docs; d++) {
        var c = fixed(f.codes, d * f.width, f.width), g = fixed(f.groups, d * f.groupWidth, f.groupWidth);
        list.push({
          field: [meta.field[Math.floor(c / no)][0]],
          outcome: [meta.outcome[c % no][0]],
          target_group: meta.target_group.filter(function (t, b) { return Math.floor(g / Math.pow(2, b)) % 2; })
            .map(function (t) { return t[0]; }),
          participation: [], district: [], land: []
        });
      }
      f.participation.forEach(function (s, i) {
        docs(s).forEach(function (d) { list[d].participation.push(meta.participation[i]); });
      });
      var at = 0;
      f.runs.forEach(function (len, di) {
        for (var k = 0; k < len; k++) list[at++].district.push(f.districts[di][0]);
      });
      f.extra.forEach(function (x) { list[x[0]].district.push(f.districts[x[1]][0]); });
      list.forEach(function (doc) {
        doc.district.forEach(function (ags) {
          if (doc.land.indexOf(ags.slice(0, 2)) < 0) doc.land.push(ags.slice(0, 2));
        });
      });
      return { docs: list, districts: f.districts };
    }));
  };

  function count(hits, table) {
    var out = {};
    hits.forEach(function (h) {
      FACETS.forEach(function (f) {
        table[h[1]][f].forEach(function (v) {
          var m = out[f] || (out[f] = {});
          m[v] = (m[v] || 0) + 1;
        });
      });
    });
    return out;
  }

  /** Document rows [slug, title, summary, district, field index, outcome index]. */
  E.rows = function (ns) {
    var self = this;
    return this.meta().then(function (meta) {
      return Promise.all(ns.map(function (n) {
        return self.get('d/' + Math.floor(n / meta.chunk)).then(function (rows) { return rows[n % meta.chunk]; });
      }));
    });
  };

  /** {results, facets, total, plan}. Facet counts need the facet file: with
   * opts.facets === false and no filter they are left out (facets: null) and
   * result.countFacets() loads and counts them later. */
  E.search = function (text, filters, limit, opts) {
    var self = this, active = {};
    Object.keys(filters || {}).forEach(function (k) { if (filters[k]) active[k] = filters[k]; });
    var filtered = Object.keys(active).length > 0, eager = filtered || !opts || opts.facets !== false;
    return this.plan(text).then(function (plans) {
      var scores = Promise.all(plans.map(function (p) {
        return Promise.all(p.terms.map(function (t) { return self.postings(t); })).then(function (maps) {
          var sum = new Map();
          maps.forEach(function (m) { m.forEach(function (s, d) { sum.set(d, (sum.get(d) || 0) + s); }); });
          return sum;
        });
      }));
      return Promise.all([scores, eager && plans.length ? self.facets() : null, self.meta(), plans]);
    }).then(function (r) {
      var words = r[0], table = r[1] && r[1].docs, meta = r[2], plans = r[3], hits = [];
      words.sort(function (a, b) { return a.size - b.size; });
      if (words.length) {
        words[0].forEach(function (s, d) {
          var total = 0;
          for (var i = 0; i < words.length; i++) {
            var w = words[i].get(d);
            if (w === undefined) return;
            total += w;
          }
          for (var f in active) if (table[d][f].indexOf(active[f]) < 0) return;
          hits.push([total, d]);
        });
      }
      hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      var top = hits.slice(0, limit === undefined ? 10 : limit);
      var terms = [].concat.apply([], plans.map(function (p) { return p.terms; }));
      return self.rows(top.map(function (h) { return h[1]; })).then(function (rows) {
        return {
          results: rows.map(function (row, i) {
            return {
              slug: row[0], title: row[1], url: 'praxis/' + row[0] + '.html', score: top[i][0],
              district: row[3], field: meta.field[row[4]][0], outcome: meta.outcome[row[5]][0],
              snippet: highlight(row[2], terms)
            };
          }),
          facets: table ? count(hits, table) : plans.length ? null : {},
          total: hits.length,
          plan: plans,
          countFacets: function () {
            return hits.length ? self.facets().then(function (t) { return count(hits, t.docs); }) : Promise.resolve({});
          }
        };
      });
    });
  };

  function escape(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' }[c];
    });
  }

  /** The text, escaped, with the words whose term the query matched in <mark>. */
  function highlight(text, terms) {
    var out = '', at = 0;
    A.analyze(text).forEach(function (t) {
      if (terms.indexOf(t.term) < 0) return;
      out += escape(text.slice(at, t.start)) + '<mark>' + escape(text.slice(t.start, t.end)) + '</mark>';
      at = t.end;
    });
    return out + escape(text.slice(at));
  }

  var api = { Engine: Engine, varints: varints, partKey: partKey, highlight: highlight, FACETS: FACETS };
  if (root) root.ZirkelEngine = api;
  if (typeof module === 'object' && module.exports) module.exports = api;
})(typeof self !== 'undefined' ? self : this);
