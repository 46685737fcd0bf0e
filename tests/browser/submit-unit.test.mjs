// Unit tests of the submit form's rules (themes/default/static/submit.js) in Node,
// with the data a real build writes (daten/formular.js), and a comparison with
// `zirkel check` itself: what the form accepts, zirkel accepts, with the same messages.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ROOT, build, checkJson, copyCollection, loadFormData, loadSubmit, removeDir } from './helpers.mjs';

const Z = loadSubmit();
let dir;
let data;
let index;

before(() => {
  dir = copyCollection('zirkel-submit-unit-');
  data = loadFormData(build(dir));
  index = Z.districtIndex(data.districts);
});
after(() => removeDir(dir));

/** Values of a complete, valid form; `over` replaces some. */
function form(over = {}) {
  return {
    title: 'Sprachcafé im Dorfgemeinschaftshaus',
    district: 'Goslar',
    district2: '',
    field: 'sprache-bildung',
    outcome: 'gelungen',
    summary: 'Ehrenamtliche laden jede Woche zum Sprechen ein.',
    status: '',
    started: '',
    target_groups: [],
    actors: '',
    tags: '',
    resources: '',
    funding: '',
    reach: '',
    participation: '',
    evidence: '',
    transferability: '',
    adopted_by: '',
    contact_role: '',
    contact_organisation: '',
    contact_email: '',
    source_title: '',
    source_url: '',
    last_reviewed: '',
    body: data.sections.map((s) => `## ${s}\n\nText.\n`).join('\n'),
    ...over,
  };
}

describe('form data from the build', () => {
  test('has the vocabularies, all 401 districts and the messages of zirkel check', () => {
    assert.equal(data.districts.length, 401);
    assert.ok(data.fields.some((f) => f.slug === 'sprache-bildung'));
    assert.deepEqual(data.outcomes.map((o) => o.slug), ['gelungen', 'gemischt', 'gescheitert']);
    for (const code of ['Z0201', 'Z0204', 'Z0205', 'Z0206', 'Z0207', 'Z0208', 'Z0209', 'Z0210', 'Z0211']) {
      assert.ok(data.messages[code].message, code);
    }
    assert.deepEqual(data.sections, ['Ausgangslage', 'Vorgehen', 'Ergebnis', 'Stolpersteine', 'Übertragbarkeit']);
  });
});

describe('slugify', () => {
  test('works like zirkel', () => {
    assert.equal(Z.slugify('Wohnungswahl statt Zuweisung'), 'wohnungswahl-statt-zuweisung');
    assert.equal(Z.slugify('Übergänge für Großfamilien!'), 'uebergaenge-fuer-grossfamilien');
    assert.equal(Z.slugify('Sprachcafé im Dorfgemeinschaftshaus'), 'sprachcafe-im-dorfgemeinschaftshaus');
    assert.equal(Z.slugify('  Ä -- ß  '), 'ae-ss');
    assert.equal(Z.slugify('Crème brûlée à la Ñandú, façade'), 'creme-brulee-a-la-nandu-facade');
    assert.equal(Z.slugify('ÀÁÂÃÅ ÈÉÊË ÌÍÎÏ ÒÓÔÕ ÙÚÛ Ç Ñ'), 'aaaaa-eeee-iiii-oooo-uuu-c-n');
    assert.equal(Z.slugify('Œuvre ø Ù 2016/17 😀 Ende'), 'uvre-u-2016-17-ende');
    assert.equal(Z.slugify('—!?'), '');
    assert.equal(Z.fileName('—!?', 'eintrag'), 'eintrag.md');
    assert.equal(Z.fileName('Ä', 'eintrag'), 'ae.md');
  });
});

describe('districts', () => {
  const found = (v) => {
    const r = Z.resolveDistrict(index, v);
    assert.equal(r.status, 'found', `${v}: ${JSON.stringify(r)}`);
    return r.district.ags;
  };

  test('resolve keys and unambiguous names', () => {
    assert.equal(found('Goslar'), '03153');
    assert.equal(found('  goslar '), '03153');
    assert.equal(found('Landkreis   Goslar'), '03153');
    assert.equal(found('03153'), '03153');
    assert.equal(found('Kiel'), '01002');
    assert.equal(found('Landkreis Coburg'), '09473');
    assert.equal(found('Stadt Coburg'), '09463');
    assert.equal(found('Coburg (Stadt)'), '09463');
    assert.equal(found('Kreisfreie Stadt Coburg'), '09463');
  });

  test('an exact official name wins over short forms', () => {
    assert.equal(found('München'), '09184');
    assert.equal(found('München, Landeshauptstadt'), '09162');
    assert.equal(found('Stadt München'), '09162');
  });

  test('Coburg is ambiguous and lists both keys as zirkel does', () => {
    const r = Z.resolveDistrict(index, 'Coburg');
    assert.equal(r.status, 'ambiguous');
    assert.deepEqual(r.candidates.map((d) => d.ags), ['09463', '09473']);
    const { errors } = Z.check(form({ district: 'Coburg' }), data, index);
    assert.deepEqual(errors.map((e) => [e.field, e.code]), [['district', 'Z0206']]);
    assert.equal(errors[0].message, 'Der Kreisname »Coburg« ist mehrdeutig');
    assert.equal(errors[0].help, 'Geben Sie den Kreisschlüssel an: "09463" (Kreisfreie Stadt Coburg), "09473" (Landkreis Coburg)');
  });

  test('an unknown name suggests the closest', () => {
    const r = Z.resolveDistrict(index, 'Goslr');
    assert.equal(r.status, 'unknown');
    assert.equal(r.suggestion.ags, '03153');
    const { errors } = Z.check(form({ district: 'Goslr' }), data, index);
    assert.equal(errors[0].code, 'Z0205');
    assert.equal(errors[0].message, 'Unbekannter Kreis »Goslr«');
    assert.match(errors[0].help, /^Meinten Sie »Goslar \("03153"\)«\? Angabe als fünfstelliger Kreisschlüssel/);
    assert.deepEqual(Z.resolveDistrict(index, '99999'), { status: 'unknown', suggestion: null });
    assert.equal(Z.resolveDistrict(index, 'Bananenrepublik').suggestion, null);
  });

  test('lists keep commas that belong to an official name', () => {
    assert.deepEqual(Z.splitDistricts(index, 'Kiel, Landeshauptstadt, Goslar; 15085'), ['Kiel, Landeshauptstadt', 'Goslar', '15085']);
    const { entry } = Z.check(form({ adopted_by: 'Kiel, Landeshauptstadt, Goslar; 15085, goslar' }), data, index);
    assert.deepEqual(entry.adopted_by, ['01002', '03153', '15085']);
  });

  test('two districts for a joint project become a list of keys', () => {
    const { entry, errors } = Z.check(form({ district2: 'Salzlandkreis' }), data, index);
    assert.deepEqual(errors, []);
    assert.deepEqual(entry.district, ['03153', '15089']);
    assert.match(Z.toMarkdown(entry), /^district: \["03153", "15089"\]$/m);
  });

  test('did-you-mean distance is Damerau-Levenshtein like strsim', () => {
    assert.equal(Z.damerauLevenshtein('ca', 'abc'), 2);
    assert.equal(Z.damerauLevenshtein('abcdef', 'abcfed'), 2);
    assert.equal(Z.damerauLevenshtein('Goslr', 'Goslar'), 1);
    assert.equal(Z.damerauLevenshtein('', 'abc'), 3);
    assert.equal(Z.closest('distrct', ['title', 'district', 'field']), 'district');
    assert.equal(Z.closest('Titel', ['title', 'district']), 'title');
    assert.equal(Z.closest('banana', ['title', 'district']), null);
  });
});

describe('rules', () => {
  test('required keys are reported with Z0201, blank ones with Z0210', () => {
    const empty = Object.fromEntries(Object.entries(form()).map(([k, v]) => [k, Array.isArray(v) ? [] : '']));
    const { errors } = Z.check(empty, data, index);
    assert.deepEqual(errors.map((e) => [e.field, e.code]), [
      ['title', 'Z0201'], ['district', 'Z0201'], ['field', 'Z0201'], ['outcome', 'Z0201'], ['summary', 'Z0201'],
    ]);
    assert.equal(errors[0].message, 'Pflichtangabe »title« fehlt');
    const blank = Z.check(form({ title: '   ' }), data, index).errors;
    assert.deepEqual(blank.map((e) => [e.code, e.message]), [['Z0210', '»title« darf nicht leer sein']]);
  });

  test('dates as parse_date', () => {
    assert.deepEqual(Z.parseDate('2016', false), { year: 2016, month: 0, day: 0 });
    assert.deepEqual(Z.parseDate('2016-02', false), { year: 2016, month: 2, day: 0 });
    assert.deepEqual(Z.parseDate('2016-02-29', true), { year: 2016, month: 2, day: 29 });
    for (const [s, day] of [['2017-02-29', true], ['2016-13', false], ['12.05.2017', true], ['2016-02-01', false],
      ['2016-02', true], ['1899', false], ['2101', false], ['2016-2', false], ['2016-', false], ['2016-00', false],
      ['1900-02-29', true], ['2016-04-31', true], ['2016-01-01-01', true], ['２０１６', false]]) {
      assert.equal(Z.parseDate(s, day), null, s);
    }
    assert.ok(Z.parseDate('2000-02-29', true));
    assert.ok(Z.parseDate('1900', false));
    assert.ok(Z.parseDate('2100-12', false));
    const { errors } = Z.check(form({ started: '03/2016', last_reviewed: '2017-02-29' }), data, index);
    assert.deepEqual(errors.map((e) => [e.field, e.message, e.help]), [
      ['started', '»03/2016« ist kein gültiges Datum für »started« (erwartet: JJJJ oder JJJJ-MM)', 'Beispiel: started: 2016-02'],
      ['last_reviewed', '»2017-02-29« ist kein gültiges Datum für »last_reviewed« (erwartet: JJJJ-MM-TT)', 'Beispiel: last_reviewed: 2017-05-12'],
    ]);
  });

  test('e-mail and web address shapes as zirkel', () => {
    for (const ok of ['integration@landkreis.example', 'a.b+c%d_e-f@x-y.z.de', 'müller@straße.de']) assert.ok(Z.isEmail(ok), ok);
    for (const bad of ['integration@localhost', 'a b@x.de', '@x.de', 'a@b@c.de', 'a@.de', 'a@x..de', 'a@x.de.', 'a!b@x.de', 'a@x_y.de', 'ab']) {
      assert.ok(!Z.isEmail(bad), bad);
    }
    for (const ok of ['https://example.org/a?b=c', 'http://x', 'https://[::1]:8080/p', 'https://bücher.de/ä#x']) assert.ok(Z.isWebUrl(ok), ok);
    for (const bad of ['javascript:alert(1)', 'https://', 'https://x.org/"onmouseover', 'HTTPS://x.org', 'ftp://x.org',
      'https://x.org/a b', 'https://x.org/<', 'https://user@x.org/', 'https:///path', 'https://x.org/\u0007', 'https://x.org/\u00a0']) {
      assert.ok(!Z.isWebUrl(bad), bad);
    }
    const { errors } = Z.check(form({ contact_email: 'a@b', source_url: 'ftp://x', source_title: '' }), data, index);
    assert.deepEqual(errors.map((e) => [e.field, e.code, e.message]), [
      ['contact_email', 'Z0208', '»a@b« ist keine gültige E-Mail-Adresse'],
      ['source_title', 'Z0201', 'Pflichtangabe »title« fehlt'],
      ['source_url', 'Z0209', '»ftp://x« ist keine gültige Web-Adresse'],
    ]);
  });

  test('reach is a whole number ≥ 0 (u64)', () => {
    assert.equal(Z.parseReach('140'), '140');
    assert.equal(Z.parseReach(' +007 '), '7');
    assert.equal(Z.parseReach('0'), '0');
    assert.equal(Z.parseReach('18446744073709551615'), '18446744073709551615');
    for (const bad of ['1.400', '-1', '1e3', '18446744073709551616', '12 Personen', '+', '']) assert.equal(Z.parseReach(bad), null, bad);
    const { errors } = Z.check(form({ reach: '1.400' }), data, index);
    assert.deepEqual(errors.map((e) => [e.code, e.message]), [['Z0211', '»1.400« ist keine ganze Zahl ≥ 0 für »reach«']]);
  });

  test('values outside a vocabulary get Z0204 with did-you-mean', () => {
    const { errors } = Z.check(form({ status: 'abgeschlosen' }), data, index);
    assert.equal(errors[0].code, 'Z0204');
    assert.equal(errors[0].help, 'Meinten Sie »abgeschlossen«? Erlaubt: geplant, laufend, abgeschlossen, verstetigt, eingestellt');
  });
});

describe('Markdown', () => {
  test('YAML strings are double-quoted with \\ and " escaped and line breaks removed', () => {
    assert.equal(Z.yamlString('Sag "Hallo" \\ Welt'), '"Sag \\"Hallo\\" \\\\ Welt"');
    assert.equal(Z.yamlString('a\tb\u0000c\u2028'), '"a\\u0009b\\u0000c\\u2028"');
    const { entry } = Z.check(form({ title: 'Eins\nZwei: "drei" # vier', summary: 'a\r\nb' }), data, index);
    const md = Z.toMarkdown(entry);
    assert.match(md, /^title: "Eins Zwei: \\"drei\\" # vier"$/m);
    assert.match(md, /^summary: "a b"$/m);
  });

  test('front matter in DESIGN.md order, empty optional keys left out', () => {
    const { entry, errors } = Z.check(form({
      status: 'laufend', started: '2016-03', target_groups: ['frauen', 'familien'], actors: 'Landkreis, Ehrenamt, Landkreis',
      tags: 'Sprache', resources: '0,5 Stelle', funding: 'Kreishaushalt, Land', reach: '40', participation: 'konsultiert',
      evidence: 'monitoring', transferability: 'hoch', adopted_by: '15085', contact_role: 'Integration',
      contact_organisation: 'Landkreis Goslar', contact_email: 'integration@example.org', source_title: 'Bericht',
      source_url: 'https://example.org/b.pdf', last_reviewed: '2017-05-12',
    }), data, index);
    assert.deepEqual(errors, []);
    const md = Z.toMarkdown(entry);
    const front = md.split('\n---\n')[0].split('\n').slice(1);
    assert.deepEqual(front, [
      'title: "Sprachcafé im Dorfgemeinschaftshaus"',
      'district: "03153"',
      'field: "sprache-bildung"',
      'outcome: "gelungen"',
      'summary: "Ehrenamtliche laden jede Woche zum Sprechen ein."',
      'status: "laufend"',
      'started: 2016-03',
      'target_groups: ["frauen", "familien"]',
      'actors: ["Landkreis", "Ehrenamt"]',
      'tags: ["Sprache"]',
      'resources: "0,5 Stelle"',
      'funding: ["Kreishaushalt", "Land"]',
      'reach: 40',
      'participation: "konsultiert"',
      'evidence: "monitoring"',
      'transferability: "hoch"',
      'adopted_by: ["15085"]',
      'review: eingereicht',
      'contact:',
      '  role: "Integration"',
      '  organisation: "Landkreis Goslar"',
      '  email: "integration@example.org"',
      'sources:',
      '  - title: "Bericht"',
      '    url: "https://example.org/b.pdf"',
      'last_reviewed: 2017-05-12',
      'example: false',
    ]);
    assert.ok(md.startsWith('---\n'));
    assert.ok(md.endsWith('Text.\n'));

    const minimal = Z.toMarkdown(Z.check(form({ body: '' }), data, index).entry);
    assert.equal(minimal, [
      '---', 'title: "Sprachcafé im Dorfgemeinschaftshaus"', 'district: "03153"', 'field: "sprache-bildung"',
      'outcome: "gelungen"', 'summary: "Ehrenamtliche laden jede Woche zum Sprechen ein."', 'review: eingereicht',
      'example: false', '---', '',
    ].join('\n'));
  });

  test('recommended sections are found like zirkel does', () => {
    assert.deepEqual(Z.missingSections('## Ausgangslage\n```\n## Vorgehen\n```\n## ergebnis ##\n', data.sections),
      ['Vorgehen', 'Stolpersteine', 'Übertragbarkeit']);
  });

  test('the git host link gets slug, title and content percent-encoded', () => {
    const url = Z.newFileUrl('https://git.example.org/p/-/new/main/content/praxis?file_name={slug}.md&title={title}&content={content}&x={path}',
      'a-b', 'Ä & B', '---\nx: "y"\n');
    assert.equal(url, 'https://git.example.org/p/-/new/main/content/praxis?file_name=a-b.md&title=%C3%84%20%26%20B&content=---%0Ax%3A%20%22y%22%0A&x={path}');
  });
});

// ------------------------------------------------------------ against zirkel

/** Writes files into a copy of the collection's config; returns the folder. */
function collectionWith(files) {
  const d = join(dir, `diff-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(d, 'content', 'praxis'), { recursive: true });
  writeFileSync(join(d, 'zirkel.yaml'), readFileSync(join(dir, 'zirkel.yaml')));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, 'content', 'praxis', name), text);
  return d;
}

/** Errors of `zirkel check` by file name: [[code, message, help]]. */
function zirkelErrors(d) {
  const { report } = checkJson(d);
  const out = {};
  for (const x of report.diagnostics) {
    if (x.severity !== 'error') continue;
    const name = x.file.split('/').pop();
    (out[name] ||= []).push([x.code, x.message, x.help || '']);
  }
  return out;
}

describe('the same verdicts as zirkel check', () => {
  test('every way of naming each of the 401 districts resolves to the same Kreis', () => {
    // The official kinds, to name every Kreis the ways zirkel knows.
    const kinds = new Map(readFileSync(join(ROOT, 'data', 'kreise-2018.csv'), 'utf8').trim().split('\n').slice(1)
      .map((line) => line.split(';')).map(([ags, kind]) => [ags, kind]));
    const variants = [];
    data.districts.forEach((d, i) => {
      // The form accepts more than zirkel, never less: the names its suggestions
      // show (`Coburg (Stadt)`), and both kinds where the form data does not tell
      // the kind (`Kreis Region Hannover`). It writes the key, so zirkel agrees.
      const extra = new Set(d.display === d.short
        ? [`Landkreis ${d.short}`, `Kreis ${d.short}`, `Regionalverband ${d.short}`] : [d.display]);
      for (const n of extra) assert.equal(Z.resolveDistrict(index, n).district?.ags, d.ags, n);
      const kind = kinds.get(d.ags);
      const names = new Set([d.name, d.short, d.display, `${kind} ${d.short}`, d.name.toUpperCase(),
        ` ${d.short.replace(/ /g, '   ')} `, d.ags]);
      if (kind === 'Kreisfreie Stadt' || kind === 'Stadtkreis') names.add(`Stadt ${d.short}`);
      if (i % 8 === 0) {
        // Wrong kinds and typos, for a sample: each unknown name costs zirkel a search.
        for (const k of ['Landkreis', 'Kreis', 'Stadt', 'Kreisfreie Stadt', 'Stadtkreis']) names.add(`${k} ${d.short}`);
        names.add(d.short.slice(0, -1));
        names.add(d.short.slice(1));
      }
      for (const n of names) if (n.trim() && !extra.has(n)) variants.push(n);
    });
    const files = {};
    const expected = {};
    variants.forEach((v, i) => {
      const name = `v${i}.md`;
      files[name] = `---\ntitle: "v"\ndistrict: ${Z.yamlString(v)}\nfield: "sprache-bildung"\noutcome: "gelungen"\nsummary: "s"\n---\n`;
      const { entry, errors } = Z.check(form({ district: v }), data, index);
      expected[name] = { value: v, district: entry.district, errors: errors.map((e) => [e.code, e.message, e.help]) };
    });
    const d = collectionWith(files);
    const got = zirkelErrors(d);
    let compared = 0;
    for (const [name, exp] of Object.entries(expected)) {
      assert.deepEqual(got[name] || [], exp.errors, `${JSON.stringify(exp.value)}`);
      if (got[name]) rmSync(join(d, 'content', 'praxis', name));
      compared++;
    }
    const json = JSON.parse(readFileSync(join(build(d), 'praxis.json'), 'utf8'));
    const byFile = Object.fromEntries(json.entries.map((e) => [e.path.split('/').pop(), e.districts]));
    for (const [name, exp] of Object.entries(expected)) {
      if (!exp.errors.length) assert.deepEqual(byFile[name], exp.district, JSON.stringify(exp.value));
    }
    assert.ok(compared > 2000, `${compared} variants`);
  });

  test('what the form writes, zirkel reads back unchanged, or rejects with the same message', () => {
    const cases = [
      {},
      { title: 'Backslash \\ und "Zitat": # kein Kommentar', summary: 'Zeile 1\nZeile 2 – mit »Anführung«' },
      { title: '2016', summary: 'true', actors: 'null, ~, yes, "a", b\\c', tags: '[x], {y}', funding: '- z, 0,5' },
      { started: '2016', last_reviewed: '2000-02-29', reach: '+007' },
      { started: '2016-13' }, { started: '16' }, { last_reviewed: '2017-02-29' }, { last_reviewed: '2017-05' },
      { reach: '1.400' }, { reach: '-3' }, { reach: '18446744073709551616' }, { reach: '18446744073709551615' },
      { contact_email: 'a@b' }, { contact_email: 'müller@straße.de', contact_role: 'Büro: "A"' }, { contact_email: 'x y@z.de' },
      { source_title: 'Bericht', source_url: 'https://example.org/a?b=c&d=e#f' }, { source_title: 'Bericht', source_url: 'javascript:alert(1)' },
      { source_title: 'B', source_url: 'https://x.org/"x' }, { source_url: 'https://example.org' },
      { district: 'Coburg' }, { district: 'Goslr' }, { district: '99999' }, { district: 'Goslar', district2: 'Hof' },
      { adopted_by: 'Kiel, Landeshauptstadt; Bamberg, Goslr' }, { status: 'abgeschlosen' }, { target_groups: ['frauen', 'umf'] },
      { title: '' }, { district: '' }, { field: '' }, { outcome: '' }, { summary: '' },
      { title: 'Tab\tund\u0007Steuerzeichen\u2028Ende', resources: 'Å\u0085B' },
    ];
    const files = {};
    const expected = {};
    cases.forEach((over, i) => {
      const name = `c${i}.md`;
      const { entry, errors } = Z.check(form(over), data, index);
      files[name] = Z.toMarkdown(entry);
      expected[name] = { over, entry, errors: errors.map((e) => [e.code, e.message, e.help]) };
    });
    const d = collectionWith(files);
    const got = zirkelErrors(d);
    for (const [name, exp] of Object.entries(expected)) {
      assert.deepEqual(got[name] || [], exp.errors, `${JSON.stringify(exp.over)}\n${files[name]}`);
      if (got[name]) rmSync(join(d, 'content', 'praxis', name));
    }
    const json = JSON.parse(readFileSync(join(build(d), 'praxis.json'), 'utf8'));
    const byFile = Object.fromEntries(json.entries.map((e) => [e.path.split('/').pop(), e]));
    for (const [name, exp] of Object.entries(expected)) {
      if (exp.errors.length) continue;
      const z = byFile[name];
      const e = exp.entry;
      assert.ok(z, `${name} was built`);
      const opt = (v) => (v === '' ? null : v);
      assert.deepEqual(
        {
          title: z.title, districts: z.districts, field: z.field, outcome: z.outcome, summary: z.summary, status: z.status,
          started: z.started, target_groups: z.target_groups, actors: z.actors, tags: z.tags, resources: z.resources,
          funding: z.funding, reach: z.reach, participation: z.participation, evidence: z.evidence,
          transferability: z.transferability, adopted_by: z.adopted_by, review: z.review, last_reviewed: z.last_reviewed,
          example: z.example, contact: z.contact && [z.contact.role, z.contact.organisation, z.contact.email],
          sources: z.sources,
        },
        {
          title: e.title, districts: e.district, field: e.field, outcome: e.outcome, summary: e.summary, status: opt(e.status),
          started: opt(e.started.text), target_groups: e.target_groups, actors: e.actors, tags: e.tags, resources: opt(e.resources),
          funding: e.funding, reach: e.reach.text === '' ? null : Number(e.reach.text), participation: opt(e.participation),
          evidence: opt(e.evidence), transferability: opt(e.transferability), adopted_by: e.adopted_by, review: 'eingereicht',
          last_reviewed: opt(e.last_reviewed.text), example: false,
          contact: e.contact.role || e.contact.organisation || e.contact.email
            ? [opt(e.contact.role), opt(e.contact.organisation), opt(e.contact.email)] : null,
          sources: e.source.title ? [{ title: e.source.title, url: opt(e.source.url) }] : [],
        },
        `${name}: ${JSON.stringify(exp.over)}`,
      );
    }
  });
});
