//! The site's search runtime, run under Node against a built site, ranks exactly as
//! `zirkel search` ranks with tantivy; and its analyzer produces tantivy's terms.
//! Needs `node` on the PATH (CI installs Node 20).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{node, Fixture};
use serde_json::{json, Value};
use zirkel::index::{self, Filters, SearchIndex};

const TOP: usize = 20;

/// A query with its filters, as keys.
struct Case {
    query: String,
    filters: Filters,
}

fn case(query: &str) -> Case {
    Case {
        query: query.into(),
        filters: Filters::default(),
    }
}

fn with(query: &str, set: impl FnOnce(&mut Filters)) -> Case {
    let mut c = case(query);
    set(&mut c.filters);
    c
}

/// The parity queries: single and several words, inflected forms, umlauts typed as
/// ae/oe/ue or without dots, prefixes, every facet filter, plain questions (stop
/// words, partial matches), typos, thesaurus expansions, hyphenated words, words
/// inside compounds, and queries that find nothing. District and Land filters use the district of a frequent word's best hit,
/// so they filter something in every collection.
fn cases(idx: &SearchIndex) -> Vec<Case> {
    let probe = idx.search("Integration", &Filters::default(), 1).unwrap();
    let first = &probe.facets["district"];
    let ags = first.keys().next().cloned().unwrap_or_default();
    let land = ags[..2].to_string();
    let mut v: Vec<Case> = [
        "Sprachkurs",
        "Sprachkurse",
        "Flüchtlinge",
        "Fluechtlinge",
        "Fluchtlinge",
        "Geflüchtete",
        "Ehrenamt",
        "ehrenamtliche",
        "Ehrenamt Koordination",
        "Jobcenter Ausbildung",
        "Wohnung Familien",
        "Integrationskurs",
        "Integrationsk",
        "Spr",
        "Kita",
        "Landkreis Jobcenter Betriebe",
        "Schule",
        "Schüler",
        "Schueler",
        "Gemeinschaftsunterkunft",
        "Unterkunft",
        "Ausländerbehörde",
        "Auslaenderbehoerde",
        "Patenschaften",
        "Paten",
        "Beratung Frauen",
        "Arbeitsmarkt",
        "Anerkennung",
        "Dolmetscher",
        "Koordinierung Verwaltung Gemeinden",
        "verw",
        "Straße",
        "Strasse",
        "2017",
        "xylophon",
        "Quantencomputer Raumfahrt",
        "Sprachkurs Raumfahrt",
        "!!! ???",
        "die und der",
        // Stop words left out; no entry holds every word, so the most of them.
        "Wie finden Geflüchtete auf dem Land eine Wohnung?",
        "Was tun, wenn Sprachkurse nicht zustande kommen?",
        "Wohnung Sprachkurs Ehrenamt Jobcenter Raumfahrt",
        "Sprachkurs Raumfahrt Quantencomputer",
        "für die Wohnung",
        // Words that match no term: the nearest term of their dictionary part.
        "Sprachkrus",
        "Sprachkrus Frauen",
        "Integartionskurs Maßnahmen",
        "Einwohnerversamlung",
        "Ehrenamt Koordinaton",
        "Flüchtlnge Wohnung",
        "Monitorng",
        "Xylofonorchester",
        // Thesaurus: abbreviations, official and colloquial words, phrases.
        "ABH",
        "ABH Arbeitserlaubnis",
        "EAE",
        "Ausländeramt",
        "Flüchtlinge Wohnung",
        "Schutzsuchende",
        "GU Umzug",
        "Ehrenamtliche Freiwillige",
        // Hyphenated words: the joined form or all parts.
        "Familien-Wohnungen",
        "Einzugs-Mappe Wohnung",
        "Kurs-Planung",
        "Sprach-Kurs",
        "Flüchtlings-Unterkunft",
        // Words found inside compounds the index split.
        "Sprach Kurs",
        "Frauen Sprachkurs",
        "Ausbildungs Messe",
        "Kinder Betreuung",
        // Compounds nobody wrote: parts that stand in one block.
        "Traumatherapie",
        "Mütterkurs",
        "Praktikumsbegleitung",
        "Bürgermeisterinformation",
        "Ehrenamtsschulung Landkreis",
        "Sportverein",
        "Kirchenasyl",
        // A stop word is no part (`ein·bürgern`), nor a head.
        "einbürgern",
        "Wie beraten wir Geflüchtete, die sich einbürgern lassen wollen?",
        "Arbeitohne Wohnung",
        "Wiedereinstieg",
        "Bufdis in der Flüchtlingshilfe",
        "Kitas",
        // Neighbours the collection writes as one word.
        "Sprach Café",
        "Einwohner Versammlung",
        "Familien Wohnungen schaffen",
        // Thesaurus phrases typed out.
        "Bundesamt für Migration und Flüchtlinge",
        "Agentur für Arbeit Praktikum",
        "Migration Bundesamt",
        // Singular and plural the stemmer keeps apart (Kurs → kur, Kurse → kurs).
        "Alphakurse",
        "Integrationskurs Frauen",
        "Sprachkurse Kinderbetreuung",
        "Kurs",
        "Kurse",
        // Verbs and their nouns in -ung.
        "Verein gründen",
        "gründen",
        "planen",
        "gründ",
        // A partial match counts only the words the collection knows.
        "Mülltrennung Heizen Quantencomputer Raumfahrt Teilchenbeschleuniger",
        "Mülltrennung, Heizen, Quantencomputer, Raumfahrt und Teilchenbeschleuniger?",
        "Altersfeststellung unbegleitete Minderjährige",
        "Wie läuft die Altersfeststellung unbegleiteter Minderjähriger?",
        "Sprachkurs Kinderbetreuung Elterncafé ?",
        "Wie erklären wir neuen Mietern Mülltrennung und Heizen?",
        // Only when the collection knows most words, the opening one among them.
        "Mülltrennung, Heizen und Quantencomputer?",
        "Mülltrennung, Heizen, Quantencomputer und Teilchenbeschleuniger?",
        "Quantencomputer für Mülltrennung und Heizen",
        "Mülltrennung und Heizen für Quantencomputer?",
        "quantencomputer für mülltrennung und heizen",
        "Mülltrennung für Geflüchtete im Landkreis und Quantencomputer?",
        "Mülltrennung und Heizen für Geflüchtete im Landkreis und Quantencomputer?",
        "Quantencomputer-Mülltrennung für Heizen und Mietpaten",
        "Mülltrennung-Quantencomputer und Heizen für Mietpaten?",
    ]
    .into_iter()
    .map(case)
    .collect();
    v.extend([
        with("Ehrenamt", |f| {
            f.field = Some("ehrenamt-zivilgesellschaft".into())
        }),
        with("Integration", |f| f.outcome = Some("gescheitert".into())),
        with("Integration", |f| f.land = Some(land.clone())),
        with("Integration", |f| f.district = Some(ags.clone())),
        with("Familien", |f| f.target_group = Some("familien".into())),
        with("Beteiligung", |f| {
            f.participation = Some("konsultiert".into())
        }),
        with("Wohnraum", |f| {
            f.field = Some("unterbringung-wohnen".into());
            f.outcome = Some("gelungen".into());
        }),
        with("Landkreis", |f| {
            f.participation = Some("selbstorganisiert".into())
        }),
    ]);
    v
}

fn filters_json(f: &Filters) -> Value {
    let m: BTreeMap<&str, &str> = f.pairs().into_iter().collect();
    json!(m)
}

/// Runs every case through tantivy and through the site's runtime under Node and
/// compares slugs, order, scores (1e-4 relative), totals and facet counts.
fn assert_parity(f: &Fixture) {
    f.built();
    let config = zirkel::config::Config::from_root(&f.root).unwrap();
    let idx = SearchIndex::open(&index::index_dir(&f.root))
        .unwrap()
        .with_thesaurus(zirkel::thesaurus::Thesaurus::for_config(&config.search));
    let cases = cases(&idx);
    let batch: Vec<Value> = cases
        .iter()
        .map(|c| json!({"query": c.query, "filters": filters_json(&c.filters), "limit": TOP}))
        .collect();
    let file = f.root.join("queries.json");
    std::fs::write(&file, serde_json::to_string(&batch).unwrap()).unwrap();
    let site = f.out();
    let out = node(&[
        "tools/site-search.mjs",
        site.to_str().unwrap(),
        "--batch",
        file.to_str().unwrap(),
    ]);
    let runtime: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(runtime.len(), cases.len());
    let mut with_results = 0;
    for (c, js) in cases.iter().zip(&runtime) {
        let rs = idx.search(&c.query, &c.filters, TOP).unwrap();
        let label = format!("query {:?} {:?}", c.query, c.filters.pairs());
        let js_slugs: Vec<&str> = js["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["slug"].as_str().unwrap())
            .collect();
        let rs_slugs: Vec<&str> = rs.results.iter().map(|h| h.slug.as_str()).collect();
        assert_eq!(js_slugs, rs_slugs, "{label}: slugs differ");
        // Both add the same stored per-term scores in the same order: the totals are
        // not just close (the issue asks for 1e-4) but the same numbers, so near-ties
        // fall the same way. (1e-12: serde_json's float parsing may be off by an ulp.)
        for (h, j) in rs.results.iter().zip(js["results"].as_array().unwrap()) {
            let (a, b) = (h.score, j["score"].as_f64().unwrap());
            assert!(
                (a - b).abs() <= 1e-12 * a.abs(),
                "{label}: score of {} is {a} in zirkel search, {b} in the runtime",
                h.slug
            );
        }
        assert_eq!(
            js["total"].as_u64().unwrap(),
            rs.total,
            "{label}: totals differ"
        );
        assert_eq!(
            js["partial"].as_bool(),
            Some(rs.partial),
            "{label}: one calls the results partial, the other not"
        );
        assert_eq!(
            js["corrected"],
            serde_json::to_value(&rs.corrected).unwrap(),
            "{label}: corrections differ"
        );
        assert_eq!(
            js["facets"],
            serde_json::to_value(&rs.facets).unwrap(),
            "{label}: facet counts differ"
        );
        if rs.total > 0 {
            with_results += 1;
        }
    }
    // The set must exercise ranking, not only empty results.
    assert!(
        with_results >= 30,
        "only {with_results} queries found something"
    );
}

#[test]
fn runtime_ranks_like_tantivy_on_the_shipped_collection() {
    assert_parity(&Fixture::shipped());
}

#[test]
fn runtime_ranks_like_tantivy_on_a_generated_2000_entry_collection() {
    assert_parity(&Fixture::generated(2000, 7));
}

/// Every distinct token of both collections' searchable text, analysed by Rust and by
/// the runtime's analyzer, gives the same term; whole texts give the same tokens in
/// the same positions.
#[test]
fn runtime_analyzer_produces_tantivys_terms_for_every_token() {
    let mut tokens: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut texts = Vec::new();
    for f in [Fixture::shipped(), Fixture::generated(300, 11)] {
        let checked = f.check();
        let c = checked.collection.expect("collection validates");
        for d in index::documents(&c, zirkel::districts::Districts::official()) {
            for text in [
                &d.title, &d.summary, &d.body, &d.tags, &d.actors, &d.place, &d.topic,
            ] {
                for (s, e) in zirkel::analyze::words(text) {
                    let raw = &text[s..e];
                    tokens.insert(raw.to_string(), zirkel::analyze::term(raw));
                }
                if texts.len() < 400 {
                    let expected: Vec<Value> = zirkel::analyze::analyze(text)
                        .into_iter()
                        .map(|t| json!([&text[t.start..t.end], t.term, t.position]))
                        .collect();
                    texts.push(json!({"text": text, "tokens": expected}));
                }
            }
        }
    }
    // Words the collections may lack: folding, long tokens, other scripts.
    for raw in [
        "Müßiggang",
        "MUELLER",
        "Straße",
        "Œuvre",
        "naïve",
        "Ελλάδα",
        "١٢٣",
        &"x".repeat(49),
    ] {
        tokens.insert(raw.to_string(), zirkel::analyze::term(raw));
    }
    assert!(tokens.len() > 1000, "only {} distinct tokens", tokens.len());
    let file = std::env::temp_dir().join(format!("zirkel-analyzer-{}.json", std::process::id()));
    std::fs::write(&file, json!({"terms": tokens, "texts": texts}).to_string()).unwrap();
    let out = node(&["tools/analyzer-check.mjs", file.to_str().unwrap()]);
    let _ = std::fs::remove_file(&file);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        report["mismatches"],
        json!([]),
        "runtime terms differ from tantivy's"
    );
    assert_eq!(report["checked"].as_u64().unwrap() as usize, tokens.len());
    assert!(Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tools/analyzer-check.mjs")
        .exists());
}

/// Regression: target groups were a 32-bit mask in the runtime (group 35 matched
/// group 3) and a 64-bit one in the export (65 groups panicked); field indexes were
/// bytes (field 299 was lost). Large vocabularies filter and count alike on both sides.
#[test]
fn large_vocabularies_filter_and_count_alike() {
    let f = Fixture::new("basic");
    let mut cfg = String::from("title: Viele\nfields:\n");
    for i in 0..300 {
        cfg.push_str(&format!("  - slug: f{i}\n    label: Feld {i}\n"));
    }
    cfg.push_str("outcomes:\n  - slug: gelungen\n    label: gelungen\ntarget_groups:\n");
    for i in 0..70 {
        cfg.push_str(&format!("  - slug: g{i}\n    label: Gruppe {i}\n"));
    }
    f.write("zirkel.yaml", cfg);
    std::fs::remove_dir_all(f.root.join("content")).unwrap();
    for (slug, field, groups) in [
        ("a", "f299", "[g35]"),
        ("b", "f43", "[g3]"),
        ("c", "f43", "[g69, g3]"),
    ] {
        f.write(
            &format!("content/praxis/{slug}.md"),
            format!("---\ntitle: Sprachcafé {slug}\ndistrict: \"03153\"\nfield: {field}\noutcome: gelungen\nsummary: Ein Sprachcafé.\ntarget_groups: {groups}\n---\nText.\n"),
        );
    }
    f.built();
    let config = zirkel::config::Config::from_root(&f.root).unwrap();
    let idx = SearchIndex::open(&index::index_dir(&f.root))
        .unwrap()
        .with_thesaurus(zirkel::thesaurus::Thesaurus::for_config(&config.search));
    let cases = [
        ("target_group", "g35", vec!["a"]),
        ("target_group", "g3", vec!["b", "c"]),
        ("target_group", "g69", vec!["c"]),
        ("field", "f299", vec!["a"]),
        ("field", "f43", vec!["b", "c"]),
    ];
    let batch: Vec<Value> = cases
        .iter()
        .map(|(k, v, _)| json!({"query": "Sprachcafe", "filters": {*k: v}, "limit": 10}))
        .collect();
    let file = f.root.join("queries.json");
    std::fs::write(&file, serde_json::to_string(&batch).unwrap()).unwrap();
    let out = node(&[
        "tools/site-search.mjs",
        f.out().to_str().unwrap(),
        "--batch",
        file.to_str().unwrap(),
    ]);
    let runtime: Vec<Value> = serde_json::from_str(&out).unwrap();
    for ((k, v, want), js) in cases.iter().zip(&runtime) {
        let mut filters = Filters::default();
        match *k {
            "field" => filters.field = Some(v.to_string()),
            _ => filters.target_group = Some(v.to_string()),
        }
        let rs = idx.search("Sprachcafe", &filters, 10).unwrap();
        let mut rs_slugs: Vec<&str> = rs.results.iter().map(|h| h.slug.as_str()).collect();
        rs_slugs.sort_unstable();
        let mut js_slugs: Vec<&str> = js["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["slug"].as_str().unwrap())
            .collect();
        js_slugs.sort_unstable();
        assert_eq!(rs_slugs, *want, "zirkel search, {k}={v}");
        assert_eq!(js_slugs, *want, "runtime, {k}={v}");
        assert_eq!(
            js["facets"],
            serde_json::to_value(&rs.facets).unwrap(),
            "counts, {k}={v}"
        );
    }
}
