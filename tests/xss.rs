//! XSS: script tags, event handlers, `javascript:` URLs, iframes and SVG handlers in
//! the Markdown body and in every front-matter string never reach the output as
//! active content.

mod common;

use common::*;

const PAYLOADS: &[&str] = &[
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">klick</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg onload=alert(1)></svg>",
    "\"><script>alert(2)</script>",
    "' onmouseover='alert(3)",
];

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn hostile_entry(p: &str) -> String {
    let q = yaml_string(p);
    format!(
        "---\ntitle: {q}\ndistrict: \"03153\"\nfield: wohnen\noutcome: gelungen\nsummary: {q}\n\
         actors: [{q}]\ntags: [{q}]\nresources: {q}\nfunding: [{q}]\n\
         contact:\n  role: {q}\n  organisation: {q}\n  name: {q}\n  phone: {q}\n\
         sources:\n  - title: {q}\n---\n## Ausgangslage\n\n{p}\n\n[Link](javascript:alert(1))\n\n\
         <div onclick=\"alert(1)\">x</div>\n\n<a href=\"jAvAsCrIpT:alert(1)\">y</a>\n\n<object data=\"x\"></object>\n"
    )
}

#[test]
fn hostile_input_never_becomes_active_content() {
    let f = Fixture::new("basic");
    for (i, p) in PAYLOADS.iter().enumerate() {
        f.write(&format!("content/praxis/boese-{i}.md"), hostile_entry(p));
    }
    // Without raw HTML the sanitizer is skipped; link targets are still filtered.
    f.write(
        "content/praxis/nur-links.md",
        format!("{ENTRY_HEAD}---\n## Ergebnis {{tabindex=0 autofocus onfocus=alert(4)}}\n\n[a](javascript:alert(1)) <javascript:alert(2)> ![b](data:text/html,x) [c](&#106;avascript:alert(3))\n"),
    );
    f.built();
    let mut pages = 0;
    for page in files(&f.out()).iter().filter(|p| p.ends_with(".html")) {
        pages += 1;
        let doc = f.page(page);
        assert!(
            doc.select(&sel("iframe, object, embed, svg"))
                .next()
                .is_none(),
            "{page}: active element"
        );
        // The only scripts are the site's own files: no inline code, nothing from elsewhere.
        for script in doc.select(&sel("script")) {
            let src = script.value().attr("src").unwrap_or("");
            let text = script.text().collect::<String>();
            // Data blocks are never executed; they must not end their element early.
            if script.value().attr("type") == Some("application/json") {
                assert!(!text.contains('<'), "{page}: markup in a data block");
                continue;
            }
            assert!(text.trim().is_empty(), "{page}: inline script");
            let own = src.trim_start_matches("../");
            assert!(
                own == "static/submit.js"
                    || own == "daten/formular.js"
                    || own.starts_with("static/search/"),
                "{page}: script {src}"
            );
        }
        for el in doc.select(&sel("*")) {
            for (name, value) in el.value().attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{page}: event handler {name}={value}"
                );
                let v = value.trim().to_ascii_lowercase();
                assert!(!v.starts_with("javascript:"), "{page}: {name}={value}");
            }
        }
    }
    assert!(pages > 20);
    // The text itself is kept, escaped: readers see what was written.
    let doc = f.page("praxis/boese-0.html");
    assert_eq!(texts(&doc, "h1"), ["<script>alert('x')</script>"]);
    // A formula in a title never becomes live in a spreadsheet.
    f.write(
        "content/praxis/formel.md",
        format!("{ENTRY_HEAD}---\n").replace(
            "title: T",
            "title: \"=HYPERLINK(\\\"https://evil.example\\\")\"",
        ),
    );
    f.built();
    let csv = f.read("praxis.csv");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    // Feeds and data exports escape too.
    let atom = f.read("atom.xml");
    assert!(!atom.contains("<script>"));
    assert!(atom.contains("&lt;script&gt;"));
}

/// The search runtime shows hostile titles and summaries as text: its snippets carry
/// no markup but the `<mark>` it adds itself.
#[test]
fn search_results_never_carry_markup_from_entries() {
    let f = Fixture::new("basic");
    for (i, p) in PAYLOADS.iter().enumerate() {
        f.write(&format!("content/praxis/boese-{i}.md"), hostile_entry(p));
    }
    f.built();
    let out = node(&[
        "tools/site-search.mjs",
        f.out().to_str().unwrap(),
        "alert",
        "--limit",
        "50",
    ]);
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let hits = r["results"].as_array().unwrap();
    let with_word = PAYLOADS.iter().filter(|p| p.contains("alert")).count();
    assert!(hits.len() >= with_word, "the hostile entries are found");
    for h in hits {
        let snippet = h["snippet"].as_str().unwrap();
        let bare = snippet.replace("<mark>", "").replace("</mark>", "");
        assert!(
            !bare.contains('<') && !bare.contains('>'),
            "markup in snippet: {snippet}"
        );
    }
}
