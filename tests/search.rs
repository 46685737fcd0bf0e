//! `zirkel search` through the real binary: the documented JSON shape, human output
//! with highlighted snippets, filters, typed umlauts and inflected forms, an index
//! built on demand and rebuilt when files change, and clear errors for bad filters.

mod common;

use common::*;
use serde_json::Value;

fn search_json(f: &Fixture, args: &[&str]) -> Value {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let out = f.cli(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Asserts that `query` finds nothing, not even partial matches.
fn finds_nothing(f: &Fixture, query: &str) {
    let v = search_json(f, &[query]);
    assert_eq!(v["total"], 0, "{query}: {v}");
    assert_eq!(v["partial"], false, "{query}: {v}");
}

/// The basic fixture with `nah`, holding `near` in one paragraph, and `fern`, holding
/// the two texts of `apart` in two paragraphs.
fn near_and_apart(near: &str, apart: (&str, &str)) -> Fixture {
    let f = Fixture::new("basic");
    f.write(
        "content/praxis/wohnen/nah.md",
        entry("Hilfe", near, "Text."),
    )
    .write(
        "content/praxis/wohnen/fern.md",
        entry("Umzug", apart.0, apart.1),
    );
    f
}

/// Asserts that a compound query finds only `slug`, by its parts, in the CLI and in
/// the site's runtime alike, scores included.
fn finds_only_by_parts(f: &Fixture, query: &str, slug: &str) {
    let v = search_json(f, &["--explain", query]);
    assert_eq!(slugs(&v), [slug], "{v}");
    assert_eq!(v["results"][0]["explain"][0]["matches"][0]["how"], "parts");
    f.built();
    let js = site_json(f, query);
    assert_eq!(js["total"], 1, "{js}");
    assert_eq!(js["results"][0]["slug"], slug, "{js}");
    let (cli, site) = (&v["results"][0]["score"], &js["results"][0]["score"]);
    assert!(
        (cli.as_f64().unwrap() - site.as_f64().unwrap()).abs() < 1e-6,
        "{cli} {site}"
    );
}

/// The site's own runtime under Node on the built site (`f.built()` first).
fn site_json(f: &Fixture, query: &str) -> Value {
    let site = f.out();
    serde_json::from_str(&node(&[
        "tools/site-search.mjs",
        site.to_str().unwrap(),
        query,
    ]))
    .unwrap()
}

/// `silent` finds nothing, and `falls_back`, the same sentence with one word written
/// otherwise, gets partial matches: in `zirkel search` and the site's runtime alike.
fn silent_but_falls_back(f: &Fixture, silent: &str, falls_back: &str) {
    finds_nothing(f, silent);
    let v = search_json(f, &[falls_back]);
    assert_eq!(v["partial"], true, "{v}");
    f.built();
    assert_eq!(site_json(f, silent)["total"], 0);
    let js = site_json(f, falls_back);
    assert_eq!(
        (&js["total"], &js["partial"]),
        (&v["total"], &v["partial"]),
        "{js}"
    );
}

fn slugs(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["slug"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn json_output_has_the_documented_shape() {
    let f = Fixture::shipped();
    let v = search_json(&f, &["Sprachkurs"]);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["corrected", "facets", "partial", "results", "total"]);
    assert_eq!(v["partial"], false);
    let hit = v["results"][0].as_object().unwrap();
    let mut fields: Vec<&str> = hit.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["district", "field", "outcome", "score", "slug", "snippet", "title", "url"]
    );
    assert!(v["total"].as_u64().unwrap() >= v["results"].as_array().unwrap().len() as u64);
    let by_field: u64 = v["facets"]["field"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(
        by_field,
        v["total"].as_u64().unwrap(),
        "each match has one field"
    );
    assert!(f.root.join(".zirkel-cache/search-index/meta.json").exists());
}

#[test]
fn inflected_forms_typed_umlauts_and_case_find_the_same_entries() {
    let f = Fixture::shipped();
    let a = slugs(&search_json(&f, &["Ausländerbehörde"]));
    assert!(!a.is_empty());
    assert_eq!(a, slugs(&search_json(&f, &["AUSLAENDERBEHOERDE"])));
    assert_eq!(a, slugs(&search_json(&f, &["auslanderbehorde"])));
    // Inflected forms (not as the last word, which also matches as a prefix).
    let plural = slugs(&search_json(&f, &["Wohnungen", "Geflüchtete"]));
    assert!(!plural.is_empty());
    assert_eq!(plural, slugs(&search_json(&f, &["Wohnung", "Geflüchtete"])));
}

#[test]
fn every_word_must_match_and_the_last_also_as_a_prefix() {
    let f = Fixture::shipped();
    let both = search_json(&f, &["Ehrenamt", "Koordination"]);
    let one = search_json(&f, &["Ehrenamt"]);
    assert!(both["total"].as_u64() < one["total"].as_u64());
    // (A word the thesaurus does not expand: Ehrenamt also finds Freiwillige.)
    let word = search_json(&f, &["Koordination"]);
    let prefix = search_json(&f, &["Koordinat"]);
    assert_eq!(
        prefix["total"], word["total"],
        "a half-typed last word finds what the word finds"
    );
    let none = search_json(&f, &["Ehrenamt", "Quantencomputer"]);
    assert_eq!(none["total"], 0);
    assert_eq!(none["results"], Value::Array(vec![]));
}

#[test]
fn a_plain_question_needs_no_stop_words_and_falls_back_to_the_most_words() {
    let f = Fixture::shipped();
    // Stop words need not match: the same results as the content words alone.
    let plain = search_json(&f, &["Wohnung"]);
    let asked = search_json(&f, &["für die Wohnung?"]);
    assert_eq!(slugs(&asked), slugs(&plain));
    assert_eq!(asked["partial"], false);
    // No entry holds all four content words: entries with the most of them, marked.
    let q = "Wie finden Geflüchtete auf dem Land eine Wohnung?";
    let v = search_json(&f, &[q]);
    assert_eq!(v["partial"], true);
    assert!(v["total"].as_u64().unwrap() > 0);
    let out = f.cli(&["search", q]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Keine Einträge enthalten alle Wörter – Einträge mit den meisten davon:"),
        "{text}"
    );
    // Words of a topic nobody wrote about don't make a partial match with one word.
    finds_nothing(&f, "Sprachkurs Teilchenphysik Quantencomputer");
}

#[test]
fn words_the_collection_lacks_do_not_raise_the_bar_of_a_partial_match() {
    let f = Fixture::shipped();
    // Two of three words occur anywhere: half of those two is enough. (The unknown
    // word is written small: as a noun it would name the topic, see below.)
    let v = search_json(&f, &["Mülltrennung, Heizen und quantencomputer?"]);
    assert_eq!(v["partial"], true, "{v}");
    assert!(slugs(&v).contains(&"einzugsmappe-und-begleitete-wohnungseinweisung".into()));
}

#[test]
fn a_sentence_the_collection_knows_half_the_words_of_or_fewer_gets_no_partial_match() {
    let f = Fixture::shipped();
    // No entry can hold most of the words: the topic is not in the collection.
    finds_nothing(
        &f,
        "Mülltrennung, Heizen, Quantencomputer und Teilchenbeschleuniger?",
    );
}

#[test]
fn words_in_half_the_entries_or_more_do_not_count_towards_a_partial_match() {
    let f = Fixture::shipped();
    // Geflüchtete and Landkreis stand in most entries: of the other two words the
    // collection knows one, which is not most of them.
    finds_nothing(
        &f,
        "Mülltrennung für Geflüchtete im Landkreis und Quantencomputer?",
    );
    // With Heizen it knows two of three: partial matches.
    let v = search_json(
        &f,
        &["Mülltrennung und Heizen für Geflüchtete im Landkreis und quantencomputer?"],
    );
    assert_eq!(v["partial"], true, "{v}");
    assert!(slugs(&v).contains(&"einzugsmappe-und-begleitete-wohnungseinweisung".into()));
}

#[test]
fn where_every_word_stands_in_half_the_entries_all_words_count_for_a_partial_match() {
    let f = Fixture::new("basic");
    f.remove("content/praxis/wohnen/wohnungswahl.md");
    // Two entries: each word stands in one of them, so in half.
    let v = search_json(&f, &["Mietpaten und Jobmesse für Familien?"]);
    assert_eq!(v["partial"], true, "{v}");
    assert_eq!(slugs(&v), ["jobmesse"]);
}

#[test]
fn a_sentence_opening_with_a_topic_the_collection_does_not_know_gets_no_partial_match() {
    let f = Fixture::shipped();
    // The same words, the unknown one last (and not written as a noun), are a
    // question with partial matches.
    let asked = search_json(&f, &["Mülltrennung und Heizen für quantencomputer?"]);
    assert_eq!(asked["partial"], true, "{asked}");
    for q in [
        "Quantencomputer für Mülltrennung und Heizen",
        "quantencomputer für mülltrennung und heizen",
    ] {
        finds_nothing(&f, q);
    }
}

#[test]
fn keywords_naming_a_topic_nobody_wrote_about_get_no_partial_match() {
    let f = Fixture::shipped();
    // As a question the same words get the entries with the most of them, once the
    // unknown word is not written as a noun (which would name the topic, below).
    finds_nothing(&f, "Altersfeststellung unbegleitete Minderjährige");
    let v = search_json(
        &f,
        &["Wie läuft die altersfeststellung unbegleiteter Minderjähriger?"],
    );
    assert_eq!(v["partial"], true, "{v}");
}

#[test]
fn a_sentence_holding_an_unknown_word_written_as_a_noun_finds_nothing() {
    // Blind sets 5-21: absent topics asked as questions (`Gastfamilien`,
    // `Kirchenasyl`, `Führerschein`). The collection knows the sentence's other
    // words, and partial matches on them answered a topic nobody wrote about.
    // Written small, the unknown word is no noun: the sentence falls back as before.
    let f = Fixture::shipped();
    silent_but_falls_back(
        &f,
        "Wie finden wir Gastfamilien für geflüchtete Jugendliche?",
        "Wie finden wir gastfamilien für geflüchtete Jugendliche?",
    );
    // An abbreviation in capitals is no noun either.
    let abbreviation = search_json(&f, &["Wie finden wir GFJ für geflüchtete Jugendliche?"]);
    assert_eq!(abbreviation["partial"], true, "{abbreviation}");
}

#[test]
fn a_word_that_matches_nothing_is_corrected_to_the_nearest_term_and_said_so() {
    let f = Fixture::shipped();
    let right = search_json(&f, &["Einwohnerversammlung"]);
    let typo = search_json(&f, &["Einwohnerversamlung"]);
    assert_eq!(slugs(&typo), slugs(&right));
    assert_eq!(
        typo["corrected"],
        serde_json::json!([{"word": "Einwohnerversamlung", "term": "einwohnerversamml",
            "written": "Einwohnerversammlung"}])
    );
    assert_eq!(right["corrected"], serde_json::json!([]));
    assert_eq!(
        first_line(&f, &["search", "Monitorng"]),
        "Ergebnisse für »Monitoring« – meinten Sie »Monitoring« statt »Monitorng«?"
    );
    // No term within reach: the word stays unmatched, so an absent topic finds nothing.
    let v = search_json(&f, &["Kleiderkammer"]);
    assert_eq!(v["total"], 0);
    assert_eq!(v["corrected"], serde_json::json!([]));
}

#[test]
fn a_correction_names_the_word_as_the_collection_writes_it_not_its_term() {
    // Regression: the notice said »kinderbetreu« and »fluchtling«, the folded stems.
    let f = Fixture::shipped();
    let v = search_json(&f, &["Flüchtlnige Kinderbetreung"]);
    assert_eq!(
        v["corrected"],
        serde_json::json!([
            {"word": "Flüchtlnige", "term": "fluchtling", "written": "Flüchtlinge"},
            {"word": "Kinderbetreung", "term": "kinderbetreu", "written": "Kinderbetreuung"}
        ])
    );
    assert_eq!(
        first_line(&f, &["search", "Kinderbetreung"]),
        "Ergebnisse für »Kinderbetreuung« – meinten Sie »Kinderbetreuung« statt »Kinderbetreung«?"
    );
}

/// The first line `zirkel ARGS` prints.
fn first_line(f: &Fixture, args: &[&str]) -> String {
    let out = f.cli(args);
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().unwrap_or_default().to_string()
}

#[test]
fn the_thesaurus_finds_what_an_abbreviation_means_and_scores_it_below_the_word() {
    let f = Fixture::shipped();
    let word = search_json(&f, &["Ausländerbehörde"]);
    let abbr = search_json(&f, &["ABH"]);
    assert!(word["total"].as_u64().unwrap() > 0);
    let a = slugs(&abbr);
    let w = slugs(&word);
    // ABH also expands to the group's other words; every Ausländerbehörde entry is in.
    assert!(w.iter().all(|s| a.contains(s)), "{w:?} {a:?}");
    // Nobody wrote "ABH": its results score at half of the word's own.
    let score = |v: &Value, slug: &str| {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["slug"] == slug)
            .unwrap()["score"]
            .as_f64()
            .unwrap()
    };
    let both = &w[0];
    assert!(score(&abbr, both) < score(&word, both));
    // The collection's own groups extend the thesaurus; builtin_synonyms: false drops it.
    let cfg = std::fs::read_to_string(f.root.join("zirkel.yaml")).unwrap();
    f.write(
        "zirkel.yaml",
        format!("{cfg}search:\n  builtin_synonyms: false\n  synonyms:\n    - [Zauberwort, Einwohnerversammlung]\n"),
    );
    assert_eq!(
        slugs(&search_json(&f, &["Zauberwort"])),
        slugs(&search_json(&f, &["Einwohnerversammlung"]))
    );
    assert_eq!(search_json(&f, &["ABH"])["total"], 0);
}

#[test]
fn explain_names_for_each_result_the_term_each_word_matched_and_how() {
    let f = Fixture::shipped();
    let v = search_json(&f, &["--explain", "--limit", "1", "ABH Arbeitserlaubnis"]);
    assert_eq!(
        v["results"][0]["explain"],
        serde_json::json!([
            {"word": "ABH", "matches": [{"terms": ["auslanderbehord"], "how": "synonym"}]},
            {"word": "Arbeitserlaubnis", "matches": [{"terms": ["arbeitserlaubnis"], "how": "exact"}]}
        ])
    );
    // Another form of the word, and a longer word the last word begins.
    let v = search_json(&f, &["--explain", "--limit", "1", "Wohnungen Einzugsmap"]);
    assert_eq!(
        v["results"][0]["explain"],
        serde_json::json!([
            {"word": "Wohnungen", "matches": [{"terms": ["wohnung"], "how": "stem"}]},
            {"word": "Einzugsmap", "matches": [{"terms": ["einzugsmapp"], "how": "prefix"}]}
        ])
    );
    let out = f.cli(&["search", "--explain", "--limit", "1", "Monitorng"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Gefunden: »Monitorng« als »monitoring« (Korrektur)"),
        "{text}"
    );
    // Without --explain the JSON shape stays as documented.
    let v = search_json(&f, &["--limit", "1", "Monitorng"]);
    assert!(v["results"][0].get("explain").is_none());
}

#[test]
fn a_hyphenated_word_finds_its_joined_form_and_its_parts() {
    let f = Fixture::shipped();
    // The entry writes "Familienwohnungen"; the query hyphenates it.
    let joined = search_json(&f, &["Familienwohnungen"]);
    let hyphenated = search_json(&f, &["--explain", "Familien-Wohnungen"]);
    let h = slugs(&hyphenated);
    assert!(!slugs(&joined).is_empty());
    assert!(slugs(&joined).iter().all(|s| h.contains(s)), "{h:?}");
    assert_eq!(h[0], slugs(&joined)[0], "the joined form ranks first");
    // Entries with both parts apart match too, ranked after it.
    assert!(hyphenated["total"].as_u64() > joined["total"].as_u64());
    let how: Vec<&str> = hyphenated["results"][1]["explain"][0]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["how"].as_str().unwrap())
        .collect();
    assert_eq!(how, ["parts"]);
}

/// An entry of the basic fixture with the given title and body sections.
fn entry(title: &str, vorgehen: &str, ergebnis: &str) -> String {
    format!(
        "---\ntitle: {title}\ndistrict: Goslar\nfield: wohnen\noutcome: gemischt\n\
         summary: Ein Versuch im Landkreis.\nstarted: 2016\nlast_reviewed: 2017-03-01\n---\n\
         ## Ausgangslage\nText.\n## Vorgehen\n{vorgehen}\n## Ergebnis\n{ergebnis}\n\
         ## Stolpersteine\nText.\n## Übertragbarkeit\nText.\n"
    )
}

/// An entry whose body holds `Programm für Patenschaften` in one paragraph: the
/// parts of the compound `Patenschaftsprogramm` nobody wrote.
fn patenschaften_entry() -> String {
    entry(
        "Begleitung im Alltag",
        "Wir starteten ein Programm für Patenschaften mit zwölf Familien.",
        "Text.",
    )
}

#[test]
fn a_compound_nobody_wrote_finds_its_parts_in_one_paragraph_and_not_far_apart() {
    let f = Fixture::new("basic");
    f.write("content/praxis/wohnen/nah.md", patenschaften_entry())
        .write(
            "content/praxis/wohnen/fern.md",
            entry(
                "Hilfe beim Umzug",
                "Die Patenschaften liefen gut.",
                "Das Programm endete 2018.",
            ),
        );
    let v = search_json(&f, &["--explain", "Patenschaftsprogramm"]);
    assert_eq!(slugs(&v), ["nah"], "{v}");
    let m = &v["results"][0]["explain"][0]["matches"][0];
    assert_eq!(m["how"], "parts");
    assert_eq!(m["terms"], serde_json::json!(["patenschaft", "programm"]));
    // Scored below an entry writing the compound itself would be: half weight.
    let parts = search_json(&f, &["Patenschaften Programm"]);
    let nah = parts["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["slug"] == "nah");
    let whole = nah.unwrap()["score"].as_f64().unwrap();
    let split = v["results"][0]["score"].as_f64().unwrap();
    assert!(
        (split - whole / 2.0).abs() < 1e-3 * whole,
        "{split} vs {whole}"
    );
    // Parts that never stand together find nothing, and are not "corrected" either.
    let none = search_json(&f, &["Umzugsprogramm"]);
    assert_eq!(none["total"], 0, "{none}");
    assert_eq!(none["corrected"], serde_json::json!([]));
}

#[test]
fn a_compounds_parts_may_stand_anywhere_in_title_summary_and_tags_but_not_in_two_paragraphs() {
    // Blind set 14: `Traumaberatung` found nothing though the entry's title says
    // "Erstberatung" and its tags `Trauma`; title, summary and tags are one block.
    let f = Fixture::new("basic");
    f.write(
        "content/praxis/wohnen/kopf.md",
        entry("Beratung für Familien", "Text.", "Text.").replace(
            "summary: Ein Versuch im Landkreis.",
            "summary: Ein Versuch im Landkreis.\ntags: [Trauma]",
        ),
    )
    .write(
        "content/praxis/wohnen/fern.md",
        entry(
            "Hilfe beim Umzug",
            "Das Trauma blieb.",
            "Die Beratung half.",
        ),
    );
    finds_only_by_parts(&f, "Traumaberatung", "kopf");
}

#[test]
fn a_compounds_head_also_stands_for_the_words_it_begins() {
    // Blind sets 2 and 19: `Therapieplatzmangel`. The collection writes `Mangel` only
    // inside `Mangelware`, so the head matched no term and the word found nothing.
    let f = near_and_apart(
        "Therapieplätze blieben Mangelware.",
        ("Die Therapieplätze reichten.", "Mangelware war das Bett."),
    );
    finds_only_by_parts(&f, "Therapieplatzmangel", "nah");
}

#[test]
fn a_compounds_modifier_splits_off_as_the_collection_writes_it() {
    // Blind sets 3, 6, 7, 10, 11, 13: `Vereinsgründungsworkshop`. The term of
    // `Vereinsgründung` is the stem `vereinsgrund`, which left `ungsworkshop` as head.
    let f = near_and_apart(
        "Eine Workshopreihe zur Vereinsgründung.",
        ("Die Vereinsgründung gelang.", "Workshops gab es auch."),
    );
    finds_only_by_parts(&f, "Vereinsgründungsworkshop", "nah");
}

#[test]
fn a_thesaurus_word_whose_group_the_collection_never_uses_still_finds_its_parts() {
    // Regression: `Traumatherapie` became a thesaurus word; its group matched nothing
    // here, and the word was then neither split nor corrected.
    let f = Fixture::new("basic");
    f.write("content/praxis/wohnen/nah.md", patenschaften_entry());
    let cfg = std::fs::read_to_string(f.root.join("zirkel.yaml")).unwrap();
    f.write(
        "zirkel.yaml",
        format!("{cfg}search:\n  synonyms:\n    - [Patenschaftsprogramm, Mentoringprogramm]\n"),
    );
    let v = search_json(&f, &["--explain", "Patenschaftsprogramm"]);
    assert_eq!(slugs(&v), ["nah"], "{v}");
    assert_eq!(v["results"][0]["explain"][0]["matches"][0]["how"], "parts");
}

#[test]
fn a_word_counts_as_known_only_where_it_finds_an_entry_on_its_own() {
    // Regression: a word whose only reading is a thesaurus phrase counted as known
    // when the phrase's words stood in different entries, never together; a sentence
    // opening with it then fell back to partial matches instead of finding nothing.
    let f = Fixture::new("basic");
    f.write(
        "content/praxis/wohnen/treff.md",
        entry(
            "Treffpunkt",
            "Ein Treffpunkt für Familien im Dorf.",
            "Text.",
        ),
    )
    .write(
        "content/praxis/wohnen/scheune.md",
        entry("Scheune", "Die Kulturscheune war voll.", "Text."),
    )
    .write(
        "content/praxis/wohnen/fest.md",
        entry("Fest", "Das Erntefest fiel aus.", "Text."),
    );
    let cfg = std::fs::read_to_string(f.root.join("zirkel.yaml")).unwrap();
    f.write(
        "zirkel.yaml",
        format!("{cfg}search:\n  synonyms:\n    - [Xylofonhaus, Kulturscheune Erntefest]\n"),
    );
    finds_nothing(&f, "Xylofonhaus für Familien im Dorf");
    // The same sentence opening with a word the collection knows falls back.
    let v = search_json(&f, &["Kulturscheune für Familien im Dorf"]);
    assert_eq!(v["partial"], true, "{v}");
    // The site's runtime decides alike.
    f.built();
    for (query, total) in [
        ("Xylofonhaus für Familien im Dorf", 0),
        (
            "Kulturscheune für Familien im Dorf",
            v["total"].as_u64().unwrap(),
        ),
    ] {
        let js = site_json(&f, query);
        assert_eq!(js["total"], total, "{query}: {js}");
    }
}

#[test]
fn a_word_corrected_over_two_edits_does_not_make_a_sentence_known() {
    // Blind set 13: `Gesundheitskarte` is two edits from the term of `Gesundheitsamt`;
    // counted as known, the question fell back to partial matches about something else.
    let f = Fixture::shipped();
    let q = "Wie bekommen Asylbewerber bei uns eine elektronische Gesundheitskarte?";
    finds_nothing(&f, q);
    f.built();
    let js = site_json(&f, q);
    assert_eq!(js["total"], 0, "{js}");
    // A one-edit typo in a question still counts as known: the fallback stays.
    let v = search_json(&f, &["Wie finden Geflüchtete auf dem Land eine Wohnug?"]);
    assert_eq!(v["partial"], true, "{v}");
    assert_eq!(v["corrected"][0]["written"], "Wohnung", "{v}");
}

#[test]
fn a_typo_in_a_word_ending_is_corrected_by_the_word_as_written() {
    // Blind set 14: the stemmer cuts `Zuständigkieten` to `zustandigkiet`, six edits
    // from the term `zustand` of `Zuständigkeiten`; counted to the word as the
    // collection writes it, the swap is one edit.
    let f = Fixture::new("basic");
    f.write(
        "content/praxis/wohnen/klar.md",
        entry(
            "Klare Wege",
            "Eine Übersicht der Zuständigkeiten im Landkreis.",
            "Text.",
        ),
    );
    let v = search_json(&f, &["Zuständigkieten"]);
    assert_eq!(slugs(&v), ["klar"], "{v}");
    assert_eq!(v["corrected"][0]["written"], "Zuständigkeiten", "{v}");
    f.built();
    let js = site_json(&f, "Zuständigkieten");
    assert_eq!(js["results"][0]["slug"], "klar", "{js}");
    assert_eq!(js["corrected"][0]["written"], "Zuständigkeiten", "{js}");
}

#[test]
fn a_sentence_holding_a_compound_whose_parts_never_stand_together_finds_nothing() {
    // Blind sets 7, 8, 10, 15-18: `Sportverein`. The collection writes `Sport` and
    // `Verein`, never together; partial matches on the sentence's other words
    // answered a topic nobody wrote about.
    // The same sentence with a word the collection holds falls back as before.
    silent_but_falls_back(
        &Fixture::shipped(),
        "Wie kommen geflüchtete Jugendliche in den örtlichen Sportverein?",
        "Wie kommen geflüchtete Jugendliche in den örtlichen Verein?",
    );
}

#[test]
fn singular_and_plural_find_each_other_where_the_stemmer_keeps_them_apart() {
    // German Snowball stems `Kurs` to `kur` but `Kurse` to `kurs`.
    let f = Fixture::new("basic");
    f.write(
        "content/praxis/wohnen/einzahl.md",
        entry(
            "Begleitung im Alltag",
            "Ein Integrationskurs am Abend.",
            "Text.",
        ),
    )
    .write(
        "content/praxis/wohnen/mehrzahl.md",
        entry(
            "Hilfe beim Umzug",
            "Zwei Integrationskurse am Morgen.",
            "Text.",
        ),
    );
    // Not the last word, so no prefix match helps.
    for q in ["Integrationskurs Text", "Integrationskurse Text"] {
        let v = search_json(&f, &["--explain", q]);
        let mut found = slugs(&v);
        found.sort();
        assert_eq!(found, ["einzahl", "mehrzahl"], "{q}: {v}");
        for r in v["results"].as_array().unwrap() {
            let how = &r["explain"][0]["matches"][0]["how"];
            assert!(how == "exact" || how == "stem", "{q}: {how}");
        }
    }
}

#[test]
fn a_thesaurus_phrase_typed_out_finds_what_it_stands_for() {
    let f = Fixture::shipped();
    // The entries say "BAMF"; the thesaurus groups it with "Bundesamt für Migration".
    let v = search_json(
        &f,
        &["--explain", "Bundesamt für Migration und Flüchtlinge"],
    );
    assert_eq!(
        slugs(&v)[0],
        "kursplanung-aller-sprachkurstraeger-an-einem-tisch",
        "{v}"
    );
    let m = &v["results"][0]["explain"][0]["matches"][0];
    assert_eq!(
        (m["terms"].clone(), m["how"].clone()),
        (serde_json::json!(["bamf"]), serde_json::json!("synonym"))
    );
    // The same words in another order are no phrase.
    assert_eq!(search_json(&f, &["Migration Bundesamt"])["total"], 0);
}

#[test]
fn a_verb_finds_its_noun_in_ung_where_the_stemmer_keeps_them_apart() {
    let f = Fixture::shipped();
    // "gründen" stems to `grund` (also "Gründe"), "Gründung" to `grundung`.
    let v = search_json(&f, &["--explain", "Verein gründen"]);
    assert_eq!(
        slugs(&v),
        ["gruendung-von-vereinen-gefluechteter-begleiten"],
        "{v}"
    );
    let m = &v["results"][0]["explain"][1]["matches"];
    assert!(
        m.as_array()
            .unwrap()
            .iter()
            .any(|m| m["how"] == "derived" && m["terms"] == serde_json::json!(["grundung"])),
        "{m}"
    );
}

#[test]
fn two_typed_words_the_collection_writes_as_one_find_the_compound() {
    let f = Fixture::shipped();
    // The collection writes "Sprachcafé" and never "Café" alone.
    let v = search_json(&f, &["--explain", "Sprach Café"]);
    assert_eq!(
        slugs(&v)[0],
        "integrationshaus-als-offener-treffpunkt",
        "{v}"
    );
    let how = &v["results"][0]["explain"][1]["matches"][0];
    assert_eq!(how["how"], "joined");
    assert_eq!(how["terms"], serde_json::json!(["sprachcaf"]));
    // Punctuation between the words keeps them apart.
    assert_eq!(search_json(&f, &["Sprach, Café"])["total"], 0);
}

#[test]
fn filters_take_slugs_labels_and_names_and_narrow_the_results() {
    let f = Fixture::shipped();
    let all = search_json(&f, &["Integration", "--limit", "100"]);
    let field = search_json(
        &f,
        &[
            "Integration",
            "--field",
            "Zugang zu Sprache und Bildung",
            "--limit",
            "100",
        ],
    );
    assert!(field["total"].as_u64() < all["total"].as_u64());
    for h in field["results"].as_array().unwrap() {
        assert_eq!(h["field"], "sprache-bildung");
    }
    let (ags, n) = all["facets"]["district"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .max_by_key(|x| x.1)
        .unwrap();
    let district = search_json(&f, &["Integration", "--district", &ags, "--limit", "100"]);
    assert_eq!(district["total"], n);
    let land = search_json(&f, &["Integration", "--land", &ags[..2], "--limit", "100"]);
    assert!(land["total"].as_u64().unwrap() >= n);
}

#[test]
fn human_output_shows_title_district_outcome_score_and_marked_snippet() {
    let f = Fixture::shipped();
    let out = f.cli(&["search", "Sprachkurs", "--limit", "3"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let v = search_json(&f, &["Sprachkurs", "--limit", "3"]);
    let first = &v["results"][0];
    assert!(text.contains("Treffer für »Sprachkurs«"), "{text}");
    assert!(text.contains(first["title"].as_str().unwrap()), "{text}");
    assert!(text.contains(first["district"].as_str().unwrap()), "{text}");
    assert!(
        text.contains(&format!("({:.3})", first["score"].as_f64().unwrap())),
        "{text}"
    );
    // Not a terminal: matching words are marked with »«.
    assert!(text.lines().any(|l| l.contains("»Sprachkurs")), "{text}");
}

#[test]
fn the_index_is_built_on_demand_and_rebuilt_when_an_entry_changes() {
    let f = Fixture::new("basic");
    assert!(!f.root.join(".zirkel-cache").exists());
    let before = search_json(&f, &["Zebrastreifen"]);
    assert_eq!(before["total"], 0);
    // Same second as the index: make the entry clearly newer.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    f.write(
        "content/praxis/zebra.md",
        format!("{ENTRY_HEAD}---\n## Ausgangslage\n\nEin Zebrastreifen vor der Unterkunft.\n"),
    );
    let after = search_json(&f, &["Zebrastreifen"]);
    assert_eq!(slugs(&after), ["zebra"]);
}

#[test]
fn an_unknown_filter_value_is_named_with_a_suggestion_and_exit_code_2() {
    let f = Fixture::shipped();
    let out = f.cli(&["search", "Integration", "--outcome", "gelungn"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("»gelungn«") && err.contains("--outcome"),
        "{err}"
    );
    assert!(err.contains("Meinten Sie »gelungen«"), "{err}");
    let out = f.cli(&["search", "Integration", "--district", "Atlantis"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_broken_collection_is_reported_instead_of_searched() {
    let f = Fixture::new("basic");
    f.write("content/praxis/kaputt.md", "---\ntitle: [\n---\n");
    let out = f.cli(&["search", "Wohnen"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kaputt.md"), "{err}");
}

/// The data of a file of the static index (`zirkelSuche(name, data);`).
fn index_file(f: &Fixture, name: &str) -> Value {
    let text = std::fs::read_to_string(f.out().join(format!("suche/{name}.js"))).unwrap();
    serde_json::from_str(&text[text.find(',').unwrap() + 1..text.rfind(')').unwrap()]).unwrap()
}

/// Runs `body` under Node, with the site's engine as `Z`, `fs`, the built site's
/// folder as `site` and `read(name)` giving the data of one of its index files, and
/// parses what it prints.
fn run_on_index(f: &Fixture, body: &str) -> Value {
    let script = format!(
        "{}{body}",
        r#"
const Z = require('./themes/default/static/search/engine.js'), fs = require('fs'), site = process.argv[1];
const read = (n) => { const t = fs.readFileSync(`${site}/suche/${n}.js`, 'utf8'); return JSON.parse(t.slice(t.indexOf(',') + 1, t.lastIndexOf(')'))); };
"#
    );
    serde_json::from_str(&node(&["-e", &script, f.out().to_str().unwrap()])).unwrap()
}

#[test]
fn a_postings_file_carries_the_rows_of_the_best_documents_of_its_term() {
    // A one-word query mostly shows them first, and a query of several words often
    // finds its first result among them: their rows need no request.
    let f = Fixture::generated(300, 11);
    f.built();
    // Per postings file, the carried documents' scores and the best score of the
    // others, decoded by the site's own runtime.
    let script = r#"
const e = new Z.Engine((n) => Promise.resolve(read(n)), () => Promise.resolve());
(async () => {
  const out = {};
  for (const f of fs.readdirSync(`${site}/suche/p`)) {
    for (const x of read(`p/${f.slice(0, -3)}`)[0]) {
      if (typeof x[2] !== 'number') continue;
      const p = await e.postings(x[0]), docs = read(`t/${x[2]}`)[4].map((r) => r[0]);
      const rest = p.scores.filter((_, i) => !docs.includes(p.docs[i]));
      out[x[2]] = { carried: docs.map((d) => p.scores[p.docs.indexOf(d)]), rest: Math.max(...rest, 0), n: p.docs.length };
    }
  }
  console.log(JSON.stringify(out));
})();
"#;
    let files = run_on_index(&f, script);
    let files = files.as_object().unwrap();
    assert!(
        files.len() > 5,
        "terms with a postings file: {}",
        files.len()
    );
    for (file, v) in files {
        let carried: Vec<f64> = v["carried"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_f64().unwrap())
            .collect();
        // The best documents, best first, as many as the term has up to five.
        assert_eq!(
            carried.len() as u64,
            v["n"].as_u64().unwrap().min(5),
            "t/{file}: {v}"
        );
        assert!(carried.windows(2).all(|w| w[0] >= w[1]), "t/{file}: {v}");
        assert!(
            carried.last().unwrap() >= &v["rest"].as_f64().unwrap(),
            "t/{file}: {v}"
        );
        // Each row is the document's own.
        for r in index_file(&f, &format!("t/{file}"))[4].as_array().unwrap() {
            let doc = r[0].as_u64().unwrap();
            assert_eq!(r[1], index_file(&f, &format!("d/{doc}")), "t/{file}");
        }
    }
}

#[test]
fn a_word_whose_terms_have_several_postings_files_loads_them_as_one_bundle() {
    // Each request costs a browser on a slow PC about 5 ms: a word that matches
    // several terms with their own postings files fetches one bundle instead.
    let f = Fixture::generated(300, 11);
    f.built();
    // Per bundle, a word the collection writes whose terms are the bundle's (last word
    // or not), what a search for it loads, and whether its results are those of the
    // same search with the bundles left out.
    let script = r#"
const engine = (names, bundles) => new Z.Engine((n) => {
  names.push(n);
  const d = read(n);
  if (!bundles && n.startsWith('p/')) d.length = 2;
  return Promise.resolve(d);
}, () => Promise.resolve());
(async () => {
  const out = [];
  for (const f of fs.readdirSync(`${site}/suche/p`)) {
    const part = read(`p/${f.slice(0, -3)}`), written = read(`w/${f.slice(0, -3)}`);
    const bundles = part[2] || {}, found = {};
    if (!Object.keys(bundles).length) continue;
    // The words of the part as the collection writes them, or its terms.
    const typed = part[0].map((x) => x[0]).concat(...Object.values(written).map((w) => w.split(' ')));
    const planner = engine([], true);
    for (const w of typed) {
      for (const q of [w, `${w} ${w}`]) {
        const plans = await planner.plan(q), key = plans[0] && Z.setKey(plans[0].terms);
        if (key in bundles && !found[key]) found[key] = q;
      }
    }
    for (const [key, n] of Object.entries(bundles)) {
      const q = found[key], r = { key, n, found: q || null };
      if (q) {
        const loads = [], plain = [], a = engine(loads, true), b = engine(plain, false);
        await a.meta();
        loads.length = 0;
        const one = await a.search(q, {}, 1, { facets: false });
        r.loads = loads.slice();
        await b.search(q, {}, 1, { facets: false });
        r.plain = plain.slice();
        const all = await a.search(q, {}, 20, { facets: false }), none = await b.search(q, {}, 20, { facets: false });
        r.same = JSON.stringify(all.results) === JSON.stringify(none.results) && all.total === none.total;
        r.first = one.results[0].slug === all.results[0].slug;
        // Typed key by key, the word's beginning has loaded its terms already.
        const again = [], c = engine(again, true);
        for (const p of await c.plan(q)) for (const t of p.terms) await c.postings(t);
        again.length = 0;
        await c.search(q, {}, 1, { facets: false });
        r.again = again.slice();
      }
      out.push(r);
    }
  }
  console.log(JSON.stringify(out));
})();
"#;
    let out = run_on_index(&f, script);
    let bundles = out.as_array().unwrap();
    assert!(bundles.len() >= 3, "bundles: {}", bundles.len());
    let mut one_word = 0;
    for b in bundles {
        // The export and the runtime make a word's terms alike.
        assert!(
            b["found"].is_string(),
            "no typed word has the terms {}",
            b["key"]
        );
        assert_eq!(b["same"], Value::Bool(true), "{b}");
        assert_eq!(b["first"], Value::Bool(true), "{b}");
        let plain = b["plain"].as_array().unwrap();
        let files = plain
            .iter()
            .filter(|n| n.as_str().unwrap().starts_with("t/"))
            .count();
        assert!(files >= 2, "without the bundle: {plain:?}");
        let again = b["again"].as_array().unwrap();
        assert!(
            !again.iter().any(|n| n.as_str().unwrap().starts_with("x/")),
            "terms loaded before, bundle loaded again: {again:?}"
        );
        if b["found"].as_str().unwrap().contains(' ') {
            continue;
        }
        // A one-word query: its dictionary part and the bundle, whose row is the first
        // result's.
        one_word += 1;
        let loads: Vec<&str> = b["loads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(
            loads.iter().filter(|n| n.starts_with("x/")).count(),
            1,
            "{loads:?}"
        );
        assert!(
            loads
                .iter()
                .all(|n| n.starts_with("p/") || n.starts_with("x/")),
            "{loads:?}"
        );
    }
    assert!(one_word >= 3, "one-word bundles: {one_word}");
    // A bundle holds its postings files as they are, without their rows.
    let x = index_file(&f, "x/0");
    for entry in x[0].as_array().unwrap() {
        let mut file = index_file(&f, &format!("t/{}", entry[0]));
        file.as_array_mut().unwrap().truncate(4);
        assert_eq!(entry[1], file);
    }
}
