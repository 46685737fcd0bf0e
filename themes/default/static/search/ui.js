/* zirkel search page: form and URL in step, results, filter counts. Index files are
 * fetched over http(s) and load as <script>s over file://. */
(function () {
'use strict';
var form = document.getElementById('suche');
if (!form || !window.ZirkelEngine) return;
var D = form.dataset, $ = function (id) { return document.getElementById(id); };
var input = $('q'), list = $('treffer'), more = $('mehr');
var selects = [].slice.call(form.querySelectorAll('select[data-facet]'));
var waiting = {}, base = document.currentScript.src.replace(/[^/]*$/, ''), modules = {};
window.zirkelSuche = function (name, data) { if (waiting[name]) waiting[name](data); };
function script(src, resolve, reject) {
  var s = document.head.appendChild(document.createElement('script'));
  s.onload = resolve;
  s.onerror = reject;
  s.src = src;
}
// The runtime's further files (facets, filters, correct), each once when needed.
function module(name) {
  return modules[name] || (modules[name] = new Promise(function (resolve, reject) {
    script(base + name + '.js', resolve, reject);
  }));
}
// Over http(s) an index file is fetched and its data parsed as JSON, quicker than a
// script element each; file:// allows only scripts.
var web = /^https?:$/.test(location.protocol);
var engine = new window.ZirkelEngine.Engine(function (name) {
  if (web) {
    return fetch(D.index + name + '.js').then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (t) { return JSON.parse(t.slice(t.indexOf(',') + 1, t.lastIndexOf(')'))); });
  }
  return new Promise(function (resolve, reject) {
    waiting[name] = resolve;
    script(D.index + name + '.js', null, reject);
  });
}, module);
// The facet module and file: when the filters are first used or set.
function table() {
  return module('facets').then(function () { return engine.facets(); });
}
function el(tag, parent, text) {
  var e = parent.appendChild(document.createElement(tag));
  if (text !== undefined) e.textContent = text;
  return e;
}


var shown = 10, run = 0, labels = {};
/** Searches for what the form holds; resolves once the results are shown. */
function search(keep) {
  var filters = {}, q = input.value, mine = ++run, p = new URLSearchParams(q ? { q: q } : {});
  selects.forEach(function (s) { if (s.value) { filters[s.dataset.facet] = s.value; p.set(s.name, s.value); } });
  if (!keep) shown = 10;
  // The URL follows with the status, once the results are shown: replaceState costs
  // the page's main thread several ms, which typing to the first result would wait
  // for (BENCHMARKS.md).
  function say(text) {
    // Some browsers refuse history on file://.
    try {
      history.replaceState(null, '', location.pathname + (p.toString() ? '?' + p : ''));
    } catch (e) {}
    $('suchstatus').textContent = text;
  }
  if (!q.trim()) {
    list.textContent = '';
    more.hidden = true;
    return Promise.resolve(say(D.empty));
  }
  form.dataset.counts = 'pending';
  // A field's or outcome's label; the lookups are built once, the meta never changes.
  var meta, label = function (f, k) { return (labels[f] = labels[f] || Object.fromEntries(meta[f]))[k]; }, at = 0;
  // Each result is shown as soon as it and those above it have loaded.
  function show(h) {
    if (mine !== run) return;
    if (!at++) { list.textContent = ''; more.hidden = true; }
    var li = el('li', list), a = el('a', el('h2', li), h.title);
    a.href = D.root + h.url;
    el('p', li, [h.district, label('field', h.field), label('outcome', h.outcome)].join(' · ')).className = 'meta';
    // Escaped by the engine; only <mark> added.
    el('p', li).innerHTML = h.snippet;
  }
  return Promise.all([engine.meta(), Object.keys(filters).length ? table() : null]).then(function (x) {
    meta = x[0];
    return engine.search(q, filters, shown, { facets: false, each: show });
  }).then(function (r) {
    if (mine !== run) return;
    if (!at) list.textContent = '';
    more.hidden = r.total <= shown;
    say(r.total ? (r.corrected[0] ? window.ZirkelEngine.notice(q, r.corrected, D) + ' ' : '')
      + (r.partial ? D.partial + ' ' : '') + (r.total === 1 ? D.countOne
      : D.count.replace('{n}', String(r.total).replace(/\B(?=(\d{3})+$)/g, '.'))) : D.none);
    last = function () {
      Promise.all([table(), module('filters')]).then(function (t) { return Promise.all([r.facets || engine.counted(r.docs), t[0]]); }).then(function (y) {
        if (mine !== run) return;
        window.ZirkelFilters.fill(selects, y[0], meta, y[1].districts, filters);
        form.dataset.counts = 'ready';
      }, function () { form.dataset.counts = 'failed'; });
    };
    if (r.facets || wanted) last();
  }).then(null, function () { if (mine === run) say(D.failed); });
}
// The counts need the facet file, the largest: it loads when the filters are first used.
var last = null, wanted = false;
['pointerover', 'focusin'].forEach(function (e) {
  form.querySelector('fieldset').addEventListener(e, function () {
    if (!wanted && last) last();
    wanted = true;
  });
});

// Keystrokes during a search: one more search after it.
var busy = null, again = false;
function typed() {
  if (busy) { again = true; return; }
  busy = search().then(function () {
    busy = null;
    if (again) { again = false; typed(); }
  });
}
form.addEventListener('submit', function (e) { e.preventDefault(); search(); });
input.addEventListener('input', typed);
selects.forEach(function (s) { s.addEventListener('change', function () { search(); }); });
more.addEventListener('click', function () {
  var next = list.children.length;
  shown += 10;
  search(true).then(function () {
    var a = list.querySelectorAll('a')[next];
    if (a) a.focus();
  });
});
var p = new URLSearchParams(location.search);
input.value = p.get('q') || '';
selects.forEach(function (s) {
  var v = p.get(s.name);
  if (v) { s.appendChild(new Option(v, v)); s.value = v; }
});
// Before typing: the meta file, and unless a query is already there, a search on
// made-up data that gets the engine's code compiled.
engine.meta().then(function (m) { if (!input.value) window.ZirkelEngine.warm(m); }, function () { $('suchstatus').textContent = D.failed; });
search();
})();
