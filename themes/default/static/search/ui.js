/* zirkel search page: reads query and filters from the URL, runs the engine, shows
 * results and facet filters with counts, and keeps the URL in step so searches can
 * be bookmarked and shared. Index files load as <script> elements: that works from
 * a web server and from the file system (file://) alike. */
(function () {
  'use strict';
  var form = document.getElementById('suche');
  if (!form || !window.ZirkelEngine) return;
  var D = form.dataset, base = D.index, root = D.root;
  var input = document.getElementById('q');
  var status = document.getElementById('suchstatus');
  var list = document.getElementById('treffer');
  var more = document.getElementById('mehr');
  var selects = Array.prototype.slice.call(form.querySelectorAll('select[data-facet]'));
  var vocab = JSON.parse(document.getElementById('such-vokabular').textContent || '{}');
  var PARAM = { field: 'feld', land: 'land', district: 'kreis', outcome: 'ergebnis',
    target_group: 'zielgruppe', participation: 'beteiligung' };
  var PAGE = 10;

  // Each index file calls zirkelSuche(name, data) when it has loaded.
  var waiting = {};
  window.zirkelSuche = function (name, data) {
    if (waiting[name]) waiting[name].resolve(data);
  };
  function load(name) {
    return new Promise(function (resolve, reject) {
      waiting[name] = { resolve: resolve };
      var s = document.createElement('script');
      s.src = base + name + '.js';
      s.onerror = function () { reject(new Error(name)); };
      document.head.appendChild(s);
    });
  }
  var engine = new window.ZirkelEngine.Engine(load);

  function say(text) { status.textContent = text; }

  function state() {
    var f = {};
    selects.forEach(function (s) { if (s.value) f[s.dataset.facet] = s.value; });
    return { q: input.value, filters: f };
  }

  function writeUrl(st) {
    var p = new URLSearchParams();
    if (st.q) p.set('q', st.q);
    Object.keys(st.filters).forEach(function (k) { p.set(PARAM[k], st.filters[k]); });
    var qs = p.toString();
    try {
      history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
    } catch (e) { /* some browsers refuse history on file:// */ }
  }

  function readUrl() {
    var p = new URLSearchParams(location.search);
    input.value = p.get('q') || '';
    selects.forEach(function (s) {
      var v = p.get(PARAM[s.dataset.facet]);
      if (v) {
        s.appendChild(new Option(v, v));
        s.value = v;
      }
    });
  }

  function labels(meta, facets) {
    var m = {};
    ['field', 'outcome', 'target_group', 'land'].forEach(function (f) {
      m[f] = {};
      (meta[f] || []).forEach(function (pair) { m[f][pair[0]] = pair[1]; });
    });
    m.district = {};
    facets.districts.forEach(function (pair) { m.district[pair[0]] = pair[1]; });
    m.participation = vocab.participation || {};
    return m;
  }

  function fillFilters(counts, names, chosen) {
    selects.forEach(function (s) {
      var f = s.dataset.facet, c = counts[f] || {};
      var keys = Object.keys(c);
      if (chosen[f] && keys.indexOf(chosen[f]) < 0) keys.push(chosen[f]);
      keys.sort(function (a, b) { return (names[f][a] || a).localeCompare(names[f][b] || b, 'de'); });
      s.length = 1;
      keys.forEach(function (k) {
        s.appendChild(new Option((names[f][k] || k) + ' (' + (c[k] || 0) + ')', k));
      });
      s.value = chosen[f] || '';
    });
  }

  function render(r, meta, shown) {
    var names = labels(meta, { districts: [] });
    list.textContent = '';
    r.results.slice(0, shown).forEach(function (h) {
      var li = document.createElement('li');
      var h2 = document.createElement('h2');
      var a = document.createElement('a');
      a.href = root + h.url;
      a.textContent = h.title;
      h2.appendChild(a);
      var info = document.createElement('p');
      info.className = 'meta';
      info.textContent = [h.district, names.field[h.field] || h.field, names.outcome[h.outcome] || h.outcome].join(' · ');
      var snip = document.createElement('p');
      snip.innerHTML = h.snippet; // escaped by the engine; only <mark> added
      li.appendChild(h2);
      li.appendChild(info);
      li.appendChild(snip);
      list.appendChild(li);
    });
    more.hidden = r.total <= shown;
  }

  var shown = PAGE, run = 0, timer = 0;
  function search(keepShown) {
    var st = state(), mine = ++run;
    if (!keepShown) shown = PAGE;
    writeUrl(st);
    if (!st.q.trim()) {
      list.textContent = '';
      more.hidden = true;
      say(D.empty);
      return Promise.resolve();
    }
    say(D.loading);
    form.dataset.counts = 'pending';
    // Results first; the facet file (the largest) only then, for the filter counts.
    return Promise.all([engine.search(st.q, st.filters, shown, { facets: false }), engine.meta()])
      .then(function (x) {
        if (mine !== run) return;
        var r = x[0], meta = x[1];
        render(r, meta, shown);
        say(r.total === 0 ? D.none : r.total === 1 ? D.countOne : D.count.replace('{n}', r.total.toLocaleString('de-DE')));
        return Promise.all([r.facets || r.countFacets(), engine.facets()]).then(function (y) {
          if (mine !== run) return;
          fillFilters(y[0], labels(meta, y[1]), st.filters);
          form.dataset.counts = 'ready';
        });
      }).then(null, function () { if (mine === run) say(D.failed); });
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); search(); });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  selects.forEach(function (s) { s.addEventListener('change', function () { search(); }); });
  more.addEventListener('click', function () {
    var next = list.children.length;
    shown += PAGE;
    search(true).then(function () {
      var a = list.children[next] && list.children[next].querySelector('a');
      if (a) a.focus();
    });
  });
  readUrl();
  search();
})();
