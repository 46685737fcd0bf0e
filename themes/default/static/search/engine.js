/* zirkel search engine: runs a query against the static index the build exports
 * (suche/*.js) and ranks exactly as `zirkel search` does: every word must match,
 * the last word also as a prefix of the most frequent terms it starts; scores are
 * tantivy's BM25 values from the index, summed. No DOM here: the page (ui.js) and
 * Node (tools/site-search.mjs) both use it.
 * window.ZirkelEngine, or module.exports in Node. */
(function (root) {
  'use strict';
  var A = root && root.ZirkelAnalyzer;
  if (!A && typeof require === 'function') A = require('./analyzer.js');

  var DIGITS = {};
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')
    .forEach(function (c, i) { DIGITS[c] = i; });

  /** Base-64 varints, 5 bits a character (high bit: more follows). */
  function varints(s) {
    var out = [], v = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGITS[s[i]];
      v += (d & 31) * Math.pow(2, shift);
      if (d & 32) shift += 5;
      else { out.push(v); v = 0; shift = 0; }
    }
    return out;
  }

  /** A fixed-width base-64 number at position i. */
  function fixed(s, i, width) {
    var v = 0;
    for (var k = 0; k < width; k++) v = v * 64 + DIGITS[s[i + k]];
    return v;
  }

  /** Code-point order, as Rust compares strings. */
  function cmp(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      if (x[i] !== y[i]) return x[i].codePointAt(0) - y[i].codePointAt(0);
    }
    return x.length - y.length;
  }

  /** The dictionary part of a term: hex of the UTF-8 of its first two characters. */
  function partKey(term) {
    var head = Array.from(term).slice(0, 2).join('');
    return Array.from(new TextEncoder().encode(head), function (b) {
      return (b < 16 ? '0' : '') + b.toString(16);
    }).join('');
  }

  /** load(name) -> Promise of the data of suche/<name>.js. */
  function Engine(load) {
    this.load = load;
    this.cache = {};
  }

  Engine.prototype.get = function (name) {
    if (!this.cache[name]) this.cache[name] = this.load(name);
    return this.cache[name];
  };

  Engine.prototype.meta = function () { return this.get('meta'); };

  /** The dictionary entry of a term, or null. */
  Engine.prototype.entry = function (term) {
    return this.get('p/' + partKey(term)).then(function (part) {
      for (var i = 0; i < part.length; i++) if (part[i][0] === term) return part[i];
      return null;
    }, function () { return null; }); // no part file: no term with that start
  };

  /** Map document -> score of one term. */
  Engine.prototype.postings = function (term) {
    var self = this;
    return this.entry(term).then(function (e) {
      if (!e) return new Map();
      var data = typeof e[2] === 'number' ? self.get('t/' + e[2]) : Promise.resolve([e[2], e[3]]);
      return data.then(function (d) {
        var palette = d[0], v = varints(d[1]), m = new Map(), doc = 0;
        for (var i = 0; i < v.length; i += 2) {
          doc += v[i];
          m.set(doc, palette[v[i + 1]]);
          doc += 1;
        }
        return m;
      });
    });
  };

  /** Which terms each word of the query matches (as index.rs `plan`). */
  Engine.prototype.plan = function (text) {
    var self = this;
    return this.meta().then(function (meta) {
      var words = A.tokenize(text), last = words.length - 1;
      return Promise.all(words.map(function (w, i) {
        var folded = A.fold(w.raw.toLowerCase());
        if (Array.from(folded).length > 48) return null;
        var stem = A.stem(folded), plan = { raw: w.raw, terms: [stem] };
        if (i !== last || Array.from(folded).length < meta.prefixMinChars) return plan;
        return self.get('p/' + partKey(folded)).then(function (part) {
          var found = part.filter(function (e) {
            return e[0] !== stem && e[0].slice(0, folded.length) === folded;
          });
          found.sort(function (a, b) { return b[1] - a[1] || cmp(a[0], b[0]); });
          found.slice(0, meta.prefixTerms).forEach(function (e) { plan.terms.push(e[0]); });
          return plan;
        }, function () { return plan; });
      })).then(function (plans) { return plans.filter(Boolean); });
    });
  };

  /** Facet values of every document, decoded once. */
  Engine.prototype.facets = function () {
    var self = this;
    if (!this.facetTable) {
      this.facetTable = Promise.all([this.meta(), this.get('f')]).then(function (r) {
        var meta = r[0], f = r[1], n = meta.docs, docs = new Array(n);
        var no = meta.outcome.length, np = meta.participation.length + 1;
        for (var d = 0; d < n; d++) {
          var c = fixed(f.codes, d * f.width, f.width);
          var g = fixed(f.groups, d * f.groupWidth, f.groupWidth), groups = [];
          for (var b = 0; b < meta.target_group.length; b++) {
            if (Math.floor(g / Math.pow(2, b)) % 2) groups.push(meta.target_group[b][0]);
          }
          var p = c % np;
          docs[d] = {
            field: meta.field[Math.floor(c / np / no)][0],
            outcome: meta.outcome[Math.floor(c / np) % no][0],
            participation: p ? meta.participation[p - 1] : null,
            target_group: groups,
            district: []
          };
        }
        var at = 0;
        f.runs.forEach(function (len, di) {
          for (var k = 0; k < len; k++) docs[at + k].district.push(f.districts[di][0]);
          at += len;
        });
        f.extra.forEach(function (x) { docs[x[0]].district.push(f.districts[x[1]][0]); });
        docs.forEach(function (doc) {
          doc.land = [];
          doc.district.forEach(function (ags) {
            var l = ags.slice(0, 2);
            if (doc.land.indexOf(l) < 0) doc.land.push(l);
          });
        });
        return { docs: docs, districts: f.districts };
      });
    }
    return this.facetTable;
  };

  var FACETS = ['field', 'district', 'land', 'outcome', 'target_group', 'participation'];

  function values(doc, facet) {
    var v = doc[facet];
    return v === null ? [] : Array.isArray(v) ? v : [v];
  }

  /** Document rows [slug, title, summary, district, field index, outcome index]. */
  Engine.prototype.docs = function (ns) {
    var self = this;
    return this.meta().then(function (meta) {
      return Promise.all(ns.map(function (n) {
        return self.get('d/' + Math.floor(n / meta.chunk)).then(function (rows) {
          return rows[n % meta.chunk];
        });
      }));
    });
  };

  /** Runs a query: {results, facets, total, plan}; filters as in `zirkel search`. */
  Engine.prototype.search = function (text, filters, limit) {
    var self = this;
    filters = filters || {};
    return this.plan(text).then(function (plans) {
      if (!plans.length) return { results: [], facets: {}, total: 0, plan: plans };
      var wordScores = Promise.all(plans.map(function (p) {
        return Promise.all(p.terms.map(function (t) { return self.postings(t); }))
          .then(function (maps) {
            var sum = new Map();
            maps.forEach(function (m) {
              m.forEach(function (s, d) { sum.set(d, (sum.get(d) || 0) + s); });
            });
            return sum;
          });
      }));
      return Promise.all([wordScores, self.facets(), self.meta()]).then(function (r) {
        var words = r[0], table = r[1].docs, meta = r[2];
        words.sort(function (a, b) { return a.size - b.size; });
        var hits = [];
        words[0].forEach(function (s, d) {
          var total = 0;
          for (var i = 0; i < words.length; i++) {
            var w = words[i].get(d);
            if (w === undefined) return;
            total += w;
          }
          for (var f in filters) {
            if (filters[f] && values(table[d], f).indexOf(filters[f]) < 0) return;
          }
          hits.push([total, d]);
        });
        hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
        var facets = {};
        hits.forEach(function (h) {
          FACETS.forEach(function (f) {
            values(table[h[1]], f).forEach(function (v) {
              facets[f] = facets[f] || {};
              facets[f][v] = (facets[f][v] || 0) + 1;
            });
          });
        });
        var top = hits.slice(0, limit === undefined ? 10 : limit);
        var terms = [];
        plans.forEach(function (p) { terms = terms.concat(p.terms); });
        return self.docs(top.map(function (h) { return h[1]; })).then(function (rows) {
          return {
            results: rows.map(function (row, i) {
              return {
                slug: row[0],
                title: row[1],
                url: 'praxis/' + row[0] + '.html',
                score: top[i][0],
                district: row[3],
                field: meta.field[row[4]][0],
                outcome: meta.outcome[row[5]][0],
                snippet: highlight(row[2], terms)
              };
            }),
            facets: facets,
            total: hits.length,
            plan: plans
          };
        });
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
