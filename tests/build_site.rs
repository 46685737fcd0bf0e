//! `zirkel build` on fixture collections: every page type exists and shows what
//! DESIGN.md says it shows; every internal link resolves, also under a sub-path.

mod common;

use common::*;

#[test]
fn every_page_type_is_written() {
    let f = Fixture::new("basic");
    let report = f.built();
    assert_eq!(report.entries, 3, "the draft is not published");
    let all = files(&f.out());
    for expected in [
        "index.html",
        "404.html",
        "felder.html",
        "kreise.html",
        "matrix.html",
        "schlagworte.html",
        "praxis/wohnungswahl.html",
        "praxis/mietpaten.html",
        "praxis/jobmesse.html",
        "feld/wohnen.html",
        "feld/arbeit.html",
        "feld/leer.html",
        "feld/wohnen.xml",
        "ergebnis/gelungen.html",
        "ergebnis/gescheitert.html",
        "zielgruppe/familien.html",
        "schlagwort/wohnraum.html",
        "kreis/03153.html",
        "kreis/15085.html",
        "kreis/09473.html",
        "land/03.html",
        "land/15.html",
        "seiten/impressum.html",
        "atom.xml",
        "praxis.json",
        "praxis.csv",
        "sitemap.xml",
        "static/style.css",
    ] {
        assert!(
            all.contains(&expected.to_string()),
            "missing {expected}; have {all:?}"
        );
    }
    assert!(
        !all.iter().any(|p| p.contains("entwurf")),
        "drafts are not published"
    );
}

#[test]
fn entry_page_shows_fact_box_sources_edit_link_and_example_banner() {
    let f = Fixture::new("basic");
    f.built();
    let doc = f.page("praxis/wohnungswahl.html");
    assert_eq!(texts(&doc, "h1"), ["Wohnungswahl statt Zuweisung"]);
    let facts: Vec<String> = texts(&doc, ".facts dt");
    for label in [
        "Kreis",
        "Handlungsfeld",
        "Ergebnis",
        "Stand",
        "Zeitraum",
        "Zielgruppen",
        "Beteiligte",
        "Ressourcen",
        "Finanzierung",
        "Erreichte Personen",
        "Beteiligung Geflüchteter",
        "Grundlage der Bewertung",
        "Übertragbarkeit",
        "Übernommen von",
        "Prüfstatus",
        "Ansprechpartner",
        "Zuletzt geprüft",
    ] {
        assert!(
            facts.contains(&label.to_string()),
            "fact box lacks {label}: {facts:?}"
        );
    }
    let dd = texts(&doc, ".facts dd").join(" | ");
    assert!(dd.contains("Landkreis Goslar ( Niedersachsen )"), "{dd}");
    assert!(dd.contains("1.400 Personen"), "{dd}");
    assert!(dd.contains("Landkreis Harz"), "adopted by: {dd}");
    assert!(dd.contains("12.05.2017"), "{dd}");
    assert!(dd.contains("unterbringung@example.org"));
    assert_eq!(texts(&doc, "[role=note] strong"), ["Beispiel-Eintrag:"]);
    let sources = texts(&doc, "section[aria-labelledby=h-sources] li");
    assert_eq!(sources, ["Bedarfsanalyse (2017), 4.1.1"]);
    let edit: Vec<_> = doc
        .select(&sel("main .actions a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        edit[0],
        "https://git.example.org/praxis/-/edit/main/content/praxis/wohnen/wohnungswahl.md"
    );
    // Markdown extensions and heading anchors.
    assert_eq!(texts(&doc, ".body table td")[0], "2016");
    assert!(doc.select(&sel(".body del")).next().is_some());
    assert!(doc
        .select(&sel(".body input[type=checkbox][disabled]"))
        .next()
        .is_some());
    assert!(doc.select(&sel(".body h2#ergebnis")).next().is_some());
    assert!(doc
        .select(&sel(".body .footnote-definition"))
        .next()
        .is_some());
}

#[test]
fn related_entries_prefer_same_field_and_district_then_shared_tags() {
    let f = Fixture::new("basic");
    f.built();
    let doc = f.page("praxis/wohnungswahl.html");
    let related = texts(&doc, ".related h3");
    assert_eq!(
        related[0], "Mietpaten aus dem Ehrenamt",
        "same field and district first"
    );
    assert!(
        !related.contains(&"Wohnungswahl statt Zuweisung".to_string()),
        "never itself"
    );
}

#[test]
fn district_profile_shows_entries_adoptions_size_and_peers() {
    let f = Fixture::new("basic");
    f.built();
    let goslar = f.page("kreis/03153.html");
    let text = main_text(&goslar);
    assert!(text.contains("137.014"), "population: {text}");
    assert!(text.contains("Wohnungswahl statt Zuweisung"));
    // Goslar's practice was adopted by Harz: shown on both profiles.
    let adopters = texts(&goslar, "section[aria-labelledby=h-adopters] li");
    assert!(adopters[0].contains("Landkreis Harz"), "{adopters:?}");
    let harz = f.page("kreis/15085.html");
    let adopted = texts(&harz, "section[aria-labelledby=h-adopted] li");
    assert!(
        adopted[0].contains("Wohnungswahl statt Zuweisung") && adopted[0].contains("Goslar"),
        "{adopted:?}"
    );
    // Peers are districts with entries, never the district itself.
    let peers = texts(&goslar, "section[aria-labelledby=h-peers] tbody th");
    assert!(!peers.is_empty());
    assert!(!peers.iter().any(|p| p.contains("Goslar")));
    for p in &peers {
        assert!(
            ["Landkreis Harz", "Landkreis Coburg"].contains(&p.as_str()),
            "{p}"
        );
    }
}

#[test]
fn listings_are_newest_first_and_filtered() {
    let f = Fixture::new("basic");
    f.built();
    let wohnen = f.page("feld/wohnen.html");
    assert_eq!(
        texts(&wohnen, ".cards h3"),
        ["Wohnungswahl statt Zuweisung", "Mietpaten aus dem Ehrenamt"]
    );
    let tag = f.page("schlagwort/wohnraum.html");
    assert_eq!(texts(&tag, ".cards h3").len(), 2);
    let land = f.page("land/15.html");
    assert_eq!(
        texts(&land, ".cards h3"),
        ["Gemeinsame Jobmesse zweier Kreise"]
    );
    let empty = f.page("feld/leer.html");
    assert_eq!(texts(&empty, ".cards h3").len(), 0);
    assert!(main_text(&empty).contains("Keine Einträge."));
}

#[test]
fn home_counts_entries_by_field_and_outcome() {
    let f = Fixture::new("basic");
    f.built();
    let home = f.page("index.html");
    let rows = texts(&home, "table.counts tbody tr");
    // field, gelungen, gemischt, gescheitert, sum
    assert_eq!(rows[0], "Unterbringung und Wohnen 1 1 0 2");
    assert_eq!(rows[1], "Ausbildung und Arbeit 0 0 1 1");
    assert_eq!(
        texts(&home, "section[aria-labelledby=h-new] .cards h3").len(),
        3
    );
}

#[test]
fn matrix_counts_entries_per_district_and_field() {
    let f = Fixture::new("basic");
    f.built();
    let m = f.page("matrix.html");
    let rows = texts(&m, "table.matrix tbody tr");
    assert!(
        rows.contains(&"Landkreis Goslar 2 – 0 – 0 2".to_string()),
        "{rows:?}"
    );
}

#[test]
fn joint_entries_appear_under_each_district() {
    let f = Fixture::new("basic");
    f.built();
    for ags in ["15085", "09473"] {
        let doc = f.page(&format!("kreis/{ags}.html"));
        assert!(
            main_text(&doc).contains("Gemeinsame Jobmesse zweier Kreise"),
            "{ags}"
        );
    }
}

#[test]
fn every_internal_link_resolves() {
    let f = Fixture::new("basic");
    f.built();
    let problems = broken_links(&f.out());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn shipped_collection_builds_without_errors_and_its_links_resolve() {
    let f = Fixture::shipped();
    let report = f.built();
    assert!(report.entries >= 30);
    let problems = broken_links(&f.out());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn output_resolves_when_placed_under_a_sub_path() {
    let f = Fixture::new("basic");
    f.built();
    let sub = f.root.join("www/org/praxis");
    std::fs::create_dir_all(sub.parent().unwrap()).unwrap();
    std::fs::rename(f.out(), &sub).unwrap();
    let problems = broken_links(&sub);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn no_page_loads_anything_from_another_origin() {
    let f = Fixture::new("basic");
    f.built();
    for page in files(&f.out()).iter().filter(|p| p.ends_with(".html")) {
        let doc = f.page(page);
        for el in doc.select(&sel(
            "link[href], script[src], img[src], iframe, object, embed, source[src]",
        )) {
            let v = el.value();
            let target = v.attr("href").or(v.attr("src")).unwrap_or("");
            // data: URLs load nothing; everything else must be a relative path.
            assert!(
                target.starts_with("data:") || !target.contains(':'),
                "{page} loads {target}"
            );
        }
        let csp = doc
            .select(&sel("meta[http-equiv=Content-Security-Policy]"))
            .next();
        assert!(csp
            .unwrap()
            .value()
            .attr("content")
            .unwrap()
            .contains("default-src 'self'"));
    }
}

#[test]
fn pages_are_accessible_landmarks_skip_link_and_headings_in_order() {
    let f = Fixture::shipped();
    f.built();
    for page in files(&f.out()).iter().filter(|p| p.ends_with(".html")) {
        let doc = f.page(page);
        let html = doc.select(&sel("html")).next().unwrap();
        assert_eq!(html.value().attr("lang"), Some("de"), "{page}");
        assert_eq!(doc.select(&sel("main#inhalt")).count(), 1, "{page}");
        assert!(
            doc.select(&sel("header nav[aria-label]")).next().is_some(),
            "{page}"
        );
        assert!(doc.select(&sel("footer")).next().is_some(), "{page}");
        let skip = doc.select(&sel("a.skip-link")).next().expect("skip link");
        assert_eq!(skip.value().attr("href"), Some("#inhalt"));
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{page}: one h1");
        let mut last = 1;
        for h in doc.select(&sel("main h1, main h2, main h3, main h4, main h5, main h6")) {
            let level: u32 = h.value().name()[1..].parse().unwrap();
            assert!(
                level <= last + 1,
                "{page}: heading jumps from h{last} to h{level}"
            );
            last = level;
        }
        for img in doc.select(&sel("img")) {
            assert!(img.value().attr("alt").is_some(), "{page}: img without alt");
        }
    }
}

#[test]
fn footer_links_imprint_privacy_and_accessibility_statement() {
    let f = Fixture::new("basic");
    f.built();
    let doc = f.page("praxis/jobmesse.html");
    let links: Vec<String> = doc
        .select(&sel("footer a"))
        .map(|a| a.text().collect::<String>())
        .collect();
    for l in ["Impressum", "Datenschutz", "Erklärung zur Barrierefreiheit"] {
        assert!(links.contains(&l.to_string()), "{links:?}");
    }
}

#[test]
fn feeds_json_csv_and_sitemap_carry_every_entry() {
    let f = Fixture::new("basic");
    f.built();
    let atom = f.read("atom.xml");
    assert_eq!(atom.matches("<entry>").count(), 3);
    assert!(atom.contains(
        "<link rel=\"alternate\" type=\"text/html\" href=\"praxis/wohnungswahl.html\"/>"
    ));
    let field_feed = f.read("feld/arbeit.xml");
    assert_eq!(field_feed.matches("<entry>").count(), 1);
    assert!(field_feed.contains("href=\"../praxis/jobmesse.html\""));
    let json: serde_json::Value = serde_json::from_str(&f.read("praxis.json")).unwrap();
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    let w = entries
        .iter()
        .find(|e| e["slug"] == "wohnungswahl")
        .unwrap();
    assert_eq!(w["districts"][0], "03153");
    assert_eq!(w["reach"], 1400);
    assert_eq!(w["adopted_by"][0], "15085");
    let csv = f.read("praxis.csv");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(rows.records().count(), 3);
    let sitemap = f.read("sitemap.xml");
    assert!(sitemap.contains("<loc>praxis/mietpaten.html</loc>"));
    assert!(!sitemap.contains("404.html"));
}

#[test]
fn base_url_makes_feed_and_canonical_links_absolute() {
    let f = Fixture::new("basic");
    let cfg = std::fs::read_to_string(f.root.join("zirkel.yaml")).unwrap();
    f.write(
        "zirkel.yaml",
        format!("base_url: \"https://praxis.example.org/kreise/\"\n{cfg}"),
    );
    f.built();
    assert!(f
        .read("atom.xml")
        .contains("href=\"https://praxis.example.org/kreise/praxis/jobmesse.html\""));
    let doc = f.page("praxis/jobmesse.html");
    let canonical = doc.select(&sel("link[rel=canonical]")).next().unwrap();
    assert_eq!(
        canonical.value().attr("href"),
        Some("https://praxis.example.org/kreise/praxis/jobmesse.html")
    );
    assert!(
        broken_links(&f.out()).is_empty(),
        "internal links stay relative"
    );
}

#[test]
fn a_collection_theme_overrides_a_template_file_by_file() {
    let f = Fixture::new("basic");
    f.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Eigene 404</h1>{% endblock main %}",
    );
    f.write("themes/default/static/extra.css", "body{}");
    f.built();
    assert_eq!(texts(&f.page("404.html"), "h1"), ["Eigene 404"]);
    assert!(f.out().join("static/extra.css").is_file());
    // Other templates still come from the built-in theme.
    assert_eq!(texts(&f.page("matrix.html"), "h1").len(), 1);
}

#[test]
fn building_twice_gives_identical_output() {
    let f = Fixture::new("basic");
    f.built();
    let first: Vec<(String, Vec<u8>)> = files(&f.out())
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(f.out().join(&p)).unwrap()))
        .collect();
    f.built();
    let second: Vec<(String, Vec<u8>)> = files(&f.out())
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(f.out().join(&p)).unwrap()))
        .collect();
    assert!(first == second, "builds are reproducible");
}

#[test]
fn cli_build_prints_a_summary_and_exits_zero() {
    let f = Fixture::new("basic");
    let out = f.cli(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 Einträge"), "{err}");
    assert!(f.out().join("index.html").is_file());
}

#[test]
fn links_between_entries_point_to_their_pages() {
    let f = Fixture::new("basic");
    f.write(
        "content/praxis/wohnen/verweise.md",
        format!("{ENTRY_HEAD}---\n{SECTIONS}\n[Mietpaten](mietpaten.md), [Messe](../arbeit/jobmesse.md#ergebnis), [Impressum](impressum)\n"),
    );
    f.built();
    let doc = f.page("praxis/verweise.html");
    let hrefs: Vec<_> = doc
        .select(&sel(".body a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        hrefs,
        [
            "../praxis/mietpaten.html",
            "../praxis/jobmesse.html#ergebnis",
            "../seiten/impressum.html"
        ]
    );
    assert!(broken_links(&f.out()).is_empty());
}

#[test]
fn an_english_site_speaks_english_with_its_dates_and_numbers() {
    let f = Fixture::new("basic");
    let cfg = std::fs::read_to_string(f.root.join("zirkel.yaml")).unwrap();
    f.write("zirkel.yaml", format!("language: en\n{cfg}"));
    f.built();
    let doc = f.page("praxis/wohnungswahl.html");
    assert_eq!(
        doc.select(&sel("html"))
            .next()
            .unwrap()
            .value()
            .attr("lang"),
        Some("en")
    );
    let dd = texts(&doc, ".facts dd").join(" | ");
    assert!(dd.contains("1,400"), "{dd}");
    assert!(dd.contains("2017-05-12"), "{dd}");
    assert!(
        !texts(&doc, ".facts dt").contains(&"Kreis".to_string()),
        "labels are English"
    );
    assert!(f.read("atom.xml").contains("xml:lang=\"en\""));
}
