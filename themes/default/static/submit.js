/* zirkel submit form: checks the form's input with the rules of `zirkel check`,
 * writes the entry as a Markdown file with YAML front matter and offers it for
 * download, for the clipboard or as a new file on the git host.
 *
 * Plain ES2017, no dependencies, nothing is sent anywhere. The data (vocabularies,
 * the 401 Kreise, the messages of `zirkel check`) comes from daten/formular.js as
 * window.ZIRKEL_FORM. The pure functions are exported for Node's tests. */
(function (root) {
  'use strict';

  // ---------------------------------------------------------------- text helpers

  /** Replaces {name} with args[name]; unknown placeholders stay (like zirkel's fill). */
  function fill(template, args) {
    return String(template == null ? '' : template).replace(/\{([^{}]*)\}/g, function (m, name) {
      return Object.prototype.hasOwnProperty.call(args || {}, name) ? String(args[name]) : m;
    });
  }

  /** The code points of a string (surrogate pairs kept together). */
  function chars(s) {
    return Array.from(String(s));
  }

  /** Length in UTF-8 bytes, as Rust's str::len. */
  function utf8Length(s) {
    var n = 0;
    chars(s).forEach(function (c) {
      var cp = c.codePointAt(0);
      n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    });
    return n;
  }

  /** Rust's char::is_whitespace (the Unicode White_Space property). */
  var WHITE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
  var WHITE_SPACE_RUN = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
  var CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

  /** Rust's str::trim. */
  function trim(s) {
    return String(s == null ? '' : s)
      .replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/, '')
      .replace(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/, '');
  }

  /** Rust's char::is_alphanumeric where the engine knows Unicode properties. */
  var ALNUM = (function () {
    try {
      return new RegExp('^[\\p{Alphabetic}\\p{Nd}\\p{Nl}\\p{No}]$', 'u');
    } catch (e) {
      return null;
    }
  })();
  function isAlphanumeric(c) {
    if (ALNUM) return ALNUM.test(c);
    return /^[0-9]$/.test(c) || c.toLowerCase() !== c.toUpperCase();
  }

  // ------------------------------------------------------------------- slugs

  /** The file name for a title, exactly as zirkel's content::slugify. */
  function slugify(s) {
    var out = '';
    chars(s).forEach(function (ch) {
      chars(ch.toLowerCase()).forEach(function (c) {
        var map = SLUG_MAP[c];
        if (map !== undefined) {
          out += map;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
          out += c;
        } else if (out !== '' && out[out.length - 1] !== '-') {
          out += '-';
        }
      });
    });
    return out.replace(/-+$/, '');
  }
  var SLUG_MAP = {
    'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'ß': 'ss',
    'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'å': 'a',
    'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
    'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i',
    'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o',
    'ù': 'u', 'ú': 'u', 'û': 'u',
    'ç': 'c', 'ñ': 'n'
  };

  // ------------------------------------------------------------ did-you-mean

  /** Unrestricted Damerau-Levenshtein distance over code points (strsim's). */
  function damerauLevenshtein(a, b) {
    var s = chars(a), t = chars(b);
    var n = s.length, m = t.length;
    if (n === 0) return m;
    if (m === 0) return n;
    var width = m + 2, max = n + m;
    var d = new Array((n + 2) * width).fill(0);
    var at = function (i, j) { return i * width + j; };
    d[0] = max;
    for (var i = 0; i <= n; i++) { d[at(i + 1, 0)] = max; d[at(i + 1, 1)] = i; }
    for (var j = 0; j <= m; j++) { d[at(0, j + 1)] = max; d[at(1, j + 1)] = j; }
    var last = new Map();
    for (i = 1; i <= n; i++) {
      var db = 0;
      for (j = 1; j <= m; j++) {
        var k = last.get(t[j - 1]) || 0;
        var ins = d[at(i, j + 1)] + 1;
        var del = d[at(i + 1, j)] + 1;
        var trans = d[at(k, db)] + (i - k - 1) + 1 + (j - db - 1);
        var sub = d[at(i, j)] + 1;
        if (s[i - 1] === t[j - 1]) { db = j; sub -= 1; }
        d[at(i + 1, j + 1)] = Math.min(sub, ins, del, trans);
      }
      last.set(s[i - 1], i);
    }
    return d[at(n + 1, m + 1)];
  }

  /** zirkel's diagnostic::closest: the nearest candidate within a small distance. */
  function closest(word, candidates) {
    var lower = String(word).toLowerCase();
    var len = chars(lower).length;
    var limit = Math.min(3, Math.max(1, Math.floor(len / 3)));
    var best = null, bestKey = null;
    candidates.forEach(function (c) {
      var other = String(c).toLowerCase();
      // The distance is at least the difference in length: skip the far ones.
      if (Math.abs(chars(other).length - len) > limit) return;
      var dist = damerauLevenshtein(lower, other);
      if (dist > limit) return;
      var key = [dist, utf8Length(c)];
      if (best === null || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
        best = c;
        bestKey = key;
      }
    });
    return best;
  }

  // --------------------------------------------------------------- districts

  /** Whitespace collapsed and lower case, as zirkel's districts::normalize. */
  function normalize(s) {
    // Like zirkel: lower case, and ä/ö/ü/ß folded to ae/oe/ue/ss.
    return trim(s).split(WHITE_SPACE_RUN).filter(Boolean).join(' ').toLowerCase()
      .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss');
  }

  /** The kind of a Kreis as far as the form data tells it (`display` encodes it). */
  function kindOf(d) {
    if (d.display === d.short + ' (Stadt)') {
      return String(d.ags).slice(0, 2) === '08' ? 'Stadtkreis' : 'Kreisfreie Stadt';
    }
    if (d.display === 'Landkreis ' + d.short) return 'Landkreis';
    if (d.display === 'Kreis ' + d.short) return 'Kreis';
    return null;
  }

  /** Lookup tables for the district list of ZIRKEL_FORM.districts. */
  function districtIndex(list) {
    var byAgs = new Map();
    var byName = new Map();
    list.forEach(function (d, i) {
      byAgs.set(d.ags, i);
      var kind = kindOf(d);
      var names = [d.name, d.short, d.display];
      if (kind) names.push(kind + ' ' + d.short);
      // Kind unknown (`Rhein-Sieg-Kreis`, `Region Hannover`): zirkel knows it from
      // the official list and accepts `<kind> <name>`; the form accepts each kind
      // such a Kreis can have.
      else names.push('Landkreis ' + d.short, 'Kreis ' + d.short, 'Regionalverband ' + d.short);
      if (kind === 'Kreisfreie Stadt' || kind === 'Stadtkreis') names.push('Stadt ' + d.short);
      var seen = new Set();
      names.forEach(function (n) {
        var key = normalize(n);
        if (!key || seen.has(key)) return;
        seen.add(key);
        if (!byName.has(key)) byName.set(key, []);
        byName.get(key).push(i);
      });
    });
    return { list: list, byAgs: byAgs, byName: byName };
  }

  /**
   * Resolves a key (`03153`) or a name (`Goslar`, `Landkreis Coburg`) like
   * `zirkel check`: {status: 'found', district} | {status: 'ambiguous', candidates}
   * | {status: 'unknown', suggestion}.
   */
  function resolveDistrict(index, value) {
    var v = trim(value);
    if (/^[0-9]{5}$/.test(v)) {
      return index.byAgs.has(v)
        ? { status: 'found', district: index.list[index.byAgs.get(v)] }
        : { status: 'unknown', suggestion: null };
    }
    var key = normalize(v);
    var ids = index.byName.get(key);
    if (ids && ids.length === 1) return { status: 'found', district: index.list[ids[0]] };
    if (ids) {
      var exact = ids.filter(function (i) { return normalize(index.list[i].name) === key; });
      if (exact.length === 1) return { status: 'found', district: index.list[exact[0]] };
      return { status: 'ambiguous', candidates: ids.map(function (i) { return index.list[i]; }) };
    }
    var name = closest(v, index.list.map(function (d) { return d.short; }));
    var suggestion = null;
    if (name !== null) {
      suggestion = index.list.find(function (d) { return d.short === name; }) || null;
    }
    return { status: 'unknown', suggestion: suggestion };
  }

  /** How a candidate is named in Z0206, as zirkel does: `"09473" (Landkreis Coburg)`. */
  function candidateText(d) {
    var kind = kindOf(d);
    return '"' + d.ags + '" (' + (kind ? kind + ' ' + d.name : d.display) + ')';
  }

  /**
   * Splits a list of districts at commas and semicolons; a comma that belongs to an
   * official name (`Kiel, Landeshauptstadt`) is kept.
   */
  function splitDistricts(index, text) {
    var out = [];
    String(text || '').split(/[;\n]/).forEach(function (part) {
      var pieces = part.split(',');
      for (var i = 0; i < pieces.length; i++) {
        var piece = pieces[i];
        if (i + 1 < pieces.length) {
          var joined = piece + ',' + pieces[i + 1];
          var r = resolveDistrict(index, joined);
          if (r.status === 'found' && normalize(r.district.name) === normalize(joined)) {
            piece = joined;
            i++;
          }
        }
        piece = trim(piece);
        if (piece) out.push(piece);
      }
    });
    return out;
  }

  /** A comma-separated list: trimmed, without empty items and repeats. */
  function splitList(text) {
    var out = [];
    String(text || '').split(/[,\n]/).forEach(function (p) {
      var v = oneLine(p);
      if (v && out.indexOf(v) < 0) out.push(v);
    });
    return out;
  }

  // ------------------------------------------------------------------- rules

  function daysInMonth(y, m) {
    if ([1, 3, 5, 7, 8, 10, 12].indexOf(m) >= 0) return 31;
    if ([4, 6, 9, 11].indexOf(m) >= 0) return 30;
    return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  }

  /** zirkel's validate::parse_date: `YYYY`, `YYYY-MM` or (needDay) `YYYY-MM-DD`. */
  function parseDate(s, needDay) {
    var parts = trim(s).split('-');
    var num = function (p, len) { return p !== undefined && p.length === len && /^[0-9]+$/.test(p) ? parseInt(p, 10) : null; };
    var year = num(parts[0], 4);
    if (year === null || year < 1900 || year > 2100) return null;
    var month = 0, day = 0;
    if (parts.length > 1) {
      month = num(parts[1], 2);
      if (month === null || month < 1 || month > 12) return null;
    }
    if (parts.length > 2) {
      day = num(parts[2], 2);
      if (day === null || day < 1 || day > daysInMonth(year, month)) return null;
    }
    if (parts.length > 3 || (needDay && day === 0) || (!needDay && day !== 0)) return null;
    return { year: year, month: month, day: day };
  }

  /** zirkel's validate::is_email. */
  function isEmail(s) {
    s = String(s);
    var at = s.indexOf('@');
    if (at < 0) return false;
    var local = s.slice(0, at), domain = s.slice(at + 1);
    var okLocal = chars(local).every(function (c) { return isAlphanumeric(c) || '._%+-'.indexOf(c) >= 0; });
    var labels = domain.split('.');
    return local !== '' && domain.indexOf('@') < 0 && okLocal && labels.length >= 2 &&
      labels.every(function (p) {
        return p !== '' && chars(p).every(function (c) { return isAlphanumeric(c) || c === '-'; });
      });
  }

  /** zirkel's validate::is_web_url: http(s), a host, no spaces, quotes or <>. */
  function isWebUrl(s) {
    s = String(s);
    var rest = s.indexOf('https://') === 0 ? s.slice(8) : s.indexOf('http://') === 0 ? s.slice(7) : null;
    if (rest === null) return false;
    var host = rest.split(/[/?#]/)[0];
    return host !== '' &&
      chars(host).every(function (c) { return isAlphanumeric(c) || '.-:[]'.indexOf(c) >= 0; }) &&
      !chars(s).some(function (c) { return WHITE_SPACE.test(c) || c === '"' || c === '<' || c === '>' || CONTROL.test(c); });
  }

  var U64_MAX = '18446744073709551615';

  /** A whole number ≥ 0 as zirkel reads `reach` (u64), or null. Returns its digits. */
  function parseReach(s) {
    var m = /^\+?([0-9]+)$/.exec(trim(s));
    if (!m) return null;
    var digits = m[1].replace(/^0+(?=[0-9])/, '');
    if (digits.length > U64_MAX.length || (digits.length === U64_MAX.length && digits > U64_MAX)) return null;
    return digits;
  }

  /** A single-line text: line breaks become spaces, ends trimmed. */
  function oneLine(s) {
    return trim(String(s == null ? '' : s).replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, ' '));
  }

  function slugsOf(terms) {
    return (terms || []).map(function (t) { return t.slug; });
  }

  /**
   * Checks the form's values with the rules of `zirkel check`. `values` holds the
   * raw texts of the form (see readForm); returns {entry, errors}, where entry is
   * what toMarkdown writes and errors are [{field, code, message, help}].
   */
  function check(values, data, index) {
    index = index || districtIndex(data.districts || []);
    var msgs = data.messages || {};
    var errors = [];
    var err = function (field, code, args) {
      var m = msgs[code] || { message: code, help: '' };
      errors.push({
        field: field,
        code: code,
        message: fill(m.message, args),
        help: trim(fill(m.help || '', args))
      });
    };
    var didYouMean = function (candidate) {
      return candidate === null ? '' : fill(data.did_you_mean || '', { candidate: candidate });
    };
    var required = function (field, key, raw) {
      var v = oneLine(raw);
      if (v === '') err(field, String(raw || '') === '' ? 'Z0201' : 'Z0210', { key: key });
      return v;
    };
    var vocab = function (field, key, raw, terms) {
      var v = oneLine(raw);
      if (v === '') return '';
      var allowed = slugsOf(terms);
      if (allowed.indexOf(v) < 0) {
        err(field, 'Z0204', { key: key, value: v, allowed: allowed.join(', '), suggestion: didYouMean(closest(v, allowed)) });
      }
      return v;
    };
    var districtsOf = function (field, key, list, out) {
      list.forEach(function (v) {
        var r = resolveDistrict(index, v);
        if (r.status === 'found') {
          if (out.indexOf(r.district.ags) < 0) out.push(r.district.ags);
        } else if (r.status === 'ambiguous') {
          err(field, 'Z0206', { value: v, candidates: r.candidates.map(candidateText).join(', ') });
          out.push(v);
        } else {
          var s = r.suggestion;
          err(field, 'Z0205', { value: v, suggestion: s ? didYouMean(s.short + ' ("' + s.ags + '")') : '' });
          out.push(v);
        }
      });
      return out;
    };
    var date = function (field, key, raw, needDay) {
      var v = oneLine(raw);
      if (v === '') return { text: '', ok: true };
      if (parseDate(v, needDay)) return { text: v, ok: true };
      err(field, 'Z0207', {
        key: key,
        value: v,
        format: needDay ? data.format_day : data.format_month,
        example: key + ': ' + (needDay ? '2017-05-12' : '2016-02')
      });
      return { text: v, ok: false };
    };

    var e = {};
    e.title = required('title', 'title', values.title);
    var d1 = oneLine(values.district), d2 = oneLine(values.district2);
    if (d1 === '' && d2 === '') {
      err('district', String(values.district || '') === '' ? 'Z0201' : 'Z0210', { key: 'district' });
    }
    e.district = [];
    if (d1 !== '') districtsOf('district', 'district', [d1], e.district);
    if (d2 !== '') districtsOf('district2', 'district', [d2], e.district);
    e.field = required('field', 'field', values.field);
    if (e.field) vocab('field', 'field', e.field, data.fields);
    e.outcome = required('outcome', 'outcome', values.outcome);
    if (e.outcome) vocab('outcome', 'outcome', e.outcome, data.outcomes);
    e.summary = required('summary', 'summary', values.summary);
    e.status = vocab('status', 'status', values.status, data.status);
    e.started = date('started', 'started', values.started, false);
    e.target_groups = [];
    (values.target_groups || []).forEach(function (g) {
      var v = vocab('target_groups', 'target_groups', g, data.target_groups);
      if (v && e.target_groups.indexOf(v) < 0) e.target_groups.push(v);
    });
    e.actors = splitList(values.actors);
    e.tags = splitList(values.tags);
    e.resources = oneLine(values.resources);
    e.funding = splitList(values.funding);
    var reach = oneLine(values.reach);
    e.reach = { text: reach, ok: true };
    if (reach !== '') {
      var digits = parseReach(reach);
      if (digits === null) {
        err('reach', 'Z0211', { key: 'reach', value: reach });
        e.reach.ok = false;
      } else {
        e.reach.text = digits;
      }
    }
    e.participation = vocab('participation', 'participation', values.participation, data.participation);
    e.evidence = vocab('evidence', 'evidence', values.evidence, data.evidence);
    e.transferability = vocab('transferability', 'transferability', values.transferability, data.transferability);
    e.adopted_by = districtsOf('adopted_by', 'adopted_by', splitDistricts(index, values.adopted_by), []);
    e.review = 'eingereicht';
    e.contact = {
      role: oneLine(values.contact_role),
      organisation: oneLine(values.contact_organisation),
      email: oneLine(values.contact_email)
    };
    if (e.contact.email && !isEmail(e.contact.email)) err('contact_email', 'Z0208', { value: e.contact.email });
    e.source = { title: oneLine(values.source_title), url: oneLine(values.source_url) };
    if (e.source.url && !e.source.title) err('source_title', 'Z0201', { key: 'title' });
    if (e.source.url && !isWebUrl(e.source.url)) err('source_url', 'Z0209', { value: e.source.url });
    e.last_reviewed = date('last_reviewed', 'last_reviewed', values.last_reviewed, true);
    e.body = String(values.body == null ? '' : values.body);
    return { entry: e, errors: errors };
  }

  /** The recommended sections (## headings, outside code fences) a body lacks. */
  function missingSections(body, sections) {
    var present = [];
    var fence = null;
    String(body || '').split('\n').forEach(function (line) {
      var t = line.replace(/^\s+/, '');
      if (fence) {
        if (t.indexOf(fence) === 0) fence = null;
        return;
      }
      if (t.indexOf('```') === 0) fence = '```';
      else if (t.indexOf('~~~') === 0) fence = '~~~';
      else if (line.indexOf('## ') === 0) present.push(trim(trim(line.slice(3)).replace(/#+$/, '')).toLowerCase());
    });
    return (sections || []).filter(function (s) { return present.indexOf(s.toLowerCase()) < 0; });
  }

  // ---------------------------------------------------------------- Markdown

  /** A YAML double-quoted string: \ and " escaped, control characters as \uXXXX. */
  function yamlString(s) {
    var out = '"';
    chars(s).forEach(function (c) {
      var cp = c.codePointAt(0);
      if (c === '\\') out += '\\\\';
      else if (c === '"') out += '\\"';
      else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0xfeff || cp === 0x2028 || cp === 0x2029 ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
        out += cp >= 0xd800 && cp <= 0xdfff ? '\\uFFFD' : '\\u' + ('0000' + cp.toString(16).toUpperCase()).slice(-4);
      } else out += c;
    });
    return out + '"';
  }

  function yamlList(items) {
    return '[' + items.map(yamlString).join(', ') + ']';
  }

  /** The entry as a Markdown file: front matter in DESIGN.md's order, then the body. */
  function toMarkdown(e) {
    var lines = ['---'];
    var str = function (key, v) { if (v) lines.push(key + ': ' + yamlString(oneLine(v))); };
    var list = function (key, v) { if (v && v.length) lines.push(key + ': ' + yamlList(v)); };
    var plain = function (key, v) { if (v && v.text) lines.push(key + ': ' + (v.ok ? v.text : yamlString(v.text))); };
    str('title', e.title);
    if (e.district && e.district.length === 1) lines.push('district: ' + yamlString(e.district[0]));
    else list('district', e.district);
    str('field', e.field);
    str('outcome', e.outcome);
    str('summary', e.summary);
    str('status', e.status);
    plain('started', e.started);
    list('target_groups', e.target_groups);
    list('actors', e.actors);
    list('tags', e.tags);
    str('resources', e.resources);
    list('funding', e.funding);
    plain('reach', e.reach);
    str('participation', e.participation);
    str('evidence', e.evidence);
    str('transferability', e.transferability);
    list('adopted_by', e.adopted_by);
    lines.push('review: ' + (e.review || 'eingereicht'));
    var c = e.contact || {};
    if (c.role || c.organisation || c.email) {
      lines.push('contact:');
      if (c.role) lines.push('  role: ' + yamlString(c.role));
      if (c.organisation) lines.push('  organisation: ' + yamlString(c.organisation));
      if (c.email) lines.push('  email: ' + yamlString(c.email));
    }
    var s = e.source || {};
    if (s.title || s.url) {
      lines.push('sources:');
      if (s.title) {
        lines.push('  - title: ' + yamlString(s.title));
        if (s.url) lines.push('    url: ' + yamlString(s.url));
      } else {
        lines.push('  - url: ' + yamlString(s.url));
      }
    }
    plain('last_reviewed', e.last_reviewed);
    lines.push('example: false');
    lines.push('---');
    var body = String(e.body || '').replace(/\r\n?/g, '\n').replace(/\s+$/, '');
    return lines.join('\n') + '\n' + (body ? body + '\n' : '');
  }

  /** The file name for an entry: its title's slug, or a fallback. */
  function fileName(title, fallback) {
    return (slugify(title || '') || fallback || 'eintrag') + '.md';
  }

  /** Fills the git host's `links.new` template: {slug}, {title}, {content}. */
  function newFileUrl(template, slug, title, content) {
    return String(template).replace(/\{(slug|title|content)\}/g, function (m, name) {
      var v = name === 'slug' ? slug : name === 'title' ? title : content;
      return encodeURIComponent(v);
    });
  }

  // -------------------------------------------------------------- the page

  function init(doc, win, data) {
    var form = doc.getElementById('einreichen');
    if (!form) return;
    if (!data || !data.districts) {
      var missing = doc.getElementById('formular-fehlt');
      if (missing) missing.hidden = false;
      return;
    }
    var S = data.strings || {};
    var label = function (name) { return (S.label && S.label[name]) || name; };
    var R = S.result || {};
    var index = districtIndex(data.districts);
    var $ = function (id) { return doc.getElementById(id); };
    var summary = $('fehlerliste');
    var summaryList = $('fehlerliste-eintraege');
    var status = $('meldung');
    var preview = $('vorschau');
    var fileLabel = $('dateiname');
    var shown = null; // fields with errors on show since the last attempt

    // The suggestions for the district inputs.
    var datalist = $('kreise-liste');
    if (datalist) {
      var frag = doc.createDocumentFragment();
      data.districts.forEach(function (d) {
        var o = doc.createElement('option');
        o.value = d.display;
        o.label = d.ags + ', ' + d.land;
        frag.appendChild(o);
      });
      datalist.appendChild(frag);
    }

    var readForm = function () {
      var v = {};
      ['title', 'district', 'district2', 'field', 'summary', 'status', 'started', 'actors', 'tags',
        'resources', 'funding', 'reach', 'participation', 'evidence', 'transferability', 'adopted_by',
        'contact_role', 'contact_organisation', 'contact_email', 'source_title', 'source_url',
        'last_reviewed', 'body'].forEach(function (name) {
        var el = form.elements.namedItem(name);
        v[name] = el && 'value' in el ? el.value : '';
      });
      var outcome = form.querySelector('input[name="outcome"]:checked');
      v.outcome = outcome ? outcome.value : '';
      v.target_groups = Array.prototype.map.call(
        form.querySelectorAll('input[name="target_groups"]:checked'),
        function (el) { return el.value; });
      return v;
    };

    /** The control an error of `field` points to (the first one of a group). */
    var controlOf = function (field) {
      return $('f-' + field) || form.querySelector('[name="' + field + '"]');
    };
    var controlsOf = function (field) {
      var one = $('f-' + field);
      return one ? [one] : Array.prototype.slice.call(form.querySelectorAll('[name="' + field + '"]'));
    };
    var groupOf = function (field) { return $('f-' + field + '-group'); };

    var describe = function (el, id, on) {
      var ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(function (x) { return x && x !== id; });
      if (on) ids.unshift(id);
      if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
      else el.removeAttribute('aria-describedby');
    };

    var errorText = function (er) {
      // The help of a missing key talks about the front matter, not the form.
      if (er.code === 'Z0201' || er.code === 'Z0210' || !er.help) return er.message;
      return er.message + (/[.!?]$/.test(er.message) ? ' ' : '. ') + er.help;
    };

    var byField = function (errors) {
      var m = new Map();
      errors.forEach(function (er) {
        if (!m.has(er.field)) m.set(er.field, []);
        m.get(er.field).push(er);
      });
      return m;
    };

    var setFieldError = function (field, list) {
      var box = $('f-' + field + '-error');
      var group = groupOf(field);
      controlsOf(field).forEach(function (el) {
        if (list) el.setAttribute('aria-invalid', 'true');
        else el.removeAttribute('aria-invalid');
        if (box && !group) describe(el, box.id, !!list);
      });
      if (group && box) describe(group, box.id, !!list);
      if (!box) return;
      box.textContent = '';
      box.hidden = !list;
      if (list) {
        var strong = doc.createElement('strong');
        strong.textContent = (S.error_prefix || '') + ' ';
        box.appendChild(strong);
        box.appendChild(doc.createTextNode(list.map(errorText).join(' ')));
      }
    };

    var errorKey = function (er) { return er.field + '\n' + er.message; };

    var setFieldErrors = function (m) {
      form.querySelectorAll('.field-error').forEach(function (box) {
        var field = box.id.replace(/^f-/, '').replace(/-error$/, '');
        var list = m.get(field) || null;
        var text = list ? list.map(errorText).join(' ') : '';
        if (box.getAttribute('data-shown') === text) return;
        box.setAttribute('data-shown', text);
        setFieldError(field, list);
      });
    };

    /** After an attempt: the whole list of errors, in the alert region. */
    var renderErrors = function (errors) {
      var m = byField(errors);
      setFieldErrors(m);
      summaryList.textContent = '';
      errors.forEach(function (er) {
        var li = doc.createElement('li');
        li.setAttribute('data-key', errorKey(er));
        var a = doc.createElement('a');
        var target = controlOf(er.field);
        a.href = '#' + (target ? target.id : 'einreichen');
        a.textContent = fill(S.error_item || '{label}: {message}', { label: label(er.field), message: er.message });
        a.addEventListener('click', function (ev) {
          if (!target) return;
          ev.preventDefault();
          target.focus();
          if (target.scrollIntoView) target.scrollIntoView({ block: 'center' });
        });
        li.appendChild(a);
        summaryList.appendChild(li);
      });
      summary.hidden = errors.length === 0;
      shown = errors.length ? new Set(m.keys()) : null;
    };

    /** While correcting: errors that were fixed disappear, none are added, and the
     * alert region only loses items, so screen readers are not talked at. */
    var pruneErrors = function (errors) {
      var still = errors.filter(function (er) { return shown.has(er.field); });
      var m = byField(still);
      setFieldErrors(m);
      var keys = new Set(still.map(errorKey));
      Array.prototype.slice.call(summaryList.children).forEach(function (li) {
        if (!keys.has(li.getAttribute('data-key'))) li.remove();
      });
      shown = new Set(m.keys());
      if (!summaryList.children.length) {
        summary.hidden = true;
        shown = null;
      }
    };

    var showResolved = function (field) {
      var out = $('f-' + field + '-found');
      var el = $('f-' + field);
      if (!out || !el) return;
      var items = field === 'adopted_by' ? splitDistricts(index, el.value) : (trim(el.value) ? [el.value] : []);
      var found = [];
      items.forEach(function (v) {
        var r = resolveDistrict(index, v);
        if (r.status === 'found') {
          found.push(fill(S.district_found || '{name} ({ags})', { name: r.district.display, ags: r.district.ags, land: r.district.land }));
        }
      });
      var text = found.join(' ');
      if (out.textContent !== text) out.textContent = text;
    };

    var current = function () {
      var result = check(readForm(), data, index);
      var name = fileName(result.entry.title, S.slug_fallback);
      return { result: result, name: name, text: toMarkdown(result.entry) };
    };

    var update = function () {
      var c = current();
      if (preview.textContent !== c.text) preview.textContent = c.text;
      if (fileLabel.textContent !== c.name) fileLabel.textContent = c.name;
      var missing = missingSections(c.result.entry.body, data.sections);
      var note = $('f-body-sections');
      var text = missing.length ? fill(S.sections_missing || '', { sections: missing.join(', ') }) : '';
      if (note && note.textContent !== text) note.textContent = text;
      ['district', 'district2', 'adopted_by'].forEach(showResolved);
      if (shown) pruneErrors(c.result.errors);
      return c;
    };

    var pending = null;
    var schedule = function () {
      if (pending) win.clearTimeout(pending);
      pending = win.setTimeout(function () { pending = null; update(); }, 150);
    };

    var say = function (text) {
      status.textContent = '';
      // A fresh text node, so the same message is announced again.
      win.setTimeout(function () { status.textContent = text; }, 50);
    };

    /** Checks the form; on errors shows them, moves focus to the list and returns null. */
    var attempt = function () {
      if (pending) { win.clearTimeout(pending); pending = null; }
      shown = null;
      var c = update();
      renderErrors(c.result.errors);
      if (c.result.errors.length) {
        status.textContent = '';
        summary.focus();
        return null;
      }
      return c;
    };

    var download = function (name, text) {
      var blob = new win.Blob([text], { type: 'text/markdown;charset=utf-8' });
      var url = win.URL.createObjectURL(blob);
      var a = doc.createElement('a');
      a.href = url;
      a.download = name;
      a.hidden = true;
      doc.body.appendChild(a);
      a.click();
      a.remove();
      win.setTimeout(function () { win.URL.revokeObjectURL(url); }, 60000);
    };

    var copyFallback = function (text) {
      var ta = doc.createElement('textarea');
      ta.value = text;
      ta.setAttribute('readonly', '');
      ta.setAttribute('aria-hidden', 'true');
      ta.tabIndex = -1;
      ta.className = 'visually-hidden';
      var active = doc.activeElement;
      doc.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
      ta.remove();
      if (active && active.focus) active.focus();
      return ok;
    };

    var copy = function (text) {
      var clip = win.navigator && win.navigator.clipboard;
      if (clip && clip.writeText) {
        return clip.writeText(text).then(function () { return true; }, function () { return copyFallback(text); });
      }
      return Promise.resolve(copyFallback(text));
    };

    form.addEventListener('input', schedule);
    form.addEventListener('change', schedule);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var c = attempt();
      if (!c) return;
      download(c.name, c.text);
      say(fill(R.downloaded || '', { file: c.name }));
    });
    $('kopieren').addEventListener('click', function () {
      var c = attempt();
      if (!c) return;
      copy(c.text).then(function (ok) {
        say(ok ? fill(R.copied || '', { file: c.name }) : R.copy_failed || '');
      });
    });
    var template = data.links && data.links.new;
    if (template) {
      $('anlegen-punkt').hidden = false;
      $('anlegen').addEventListener('click', function () {
        var c = attempt();
        if (!c) return;
        var slug = c.name.replace(/\.md$/, '');
        var url = newFileUrl(template, slug, c.result.entry.title, c.text);
        win.open(url, '_blank', 'noopener,noreferrer');
        if (String(template).indexOf('{content}') >= 0) {
          say(R.opened || '');
        } else {
          copy(c.text).then(function (ok) { say(ok ? R.opened_paste || '' : R.opened || ''); });
        }
      });
    }

    $('ergebnis').hidden = false;
    update();
  }

  var api = {
    fill: fill,
    slugify: slugify,
    damerauLevenshtein: damerauLevenshtein,
    closest: closest,
    normalize: normalize,
    districtIndex: districtIndex,
    resolveDistrict: resolveDistrict,
    candidateText: candidateText,
    splitDistricts: splitDistricts,
    splitList: splitList,
    parseDate: parseDate,
    isEmail: isEmail,
    isWebUrl: isWebUrl,
    parseReach: parseReach,
    check: check,
    missingSections: missingSections,
    yamlString: yamlString,
    toMarkdown: toMarkdown,
    fileName: fileName,
    newFileUrl: newFileUrl,
    init: init
  };

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  }
  if (root && root.document) {
    init(root.document, root, root.ZIRKEL_FORM);
  }
})(typeof window !== 'undefined' ? window : null);
