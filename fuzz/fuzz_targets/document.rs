//! Fuzz target: raw file bytes through everything a build does with one document –
//! UTF-8 check, front-matter split, YAML, validation against a configuration and
//! the district list, Markdown to sanitized HTML – and the configuration parser.
//! Any panic is a bug; every crash found becomes a regression test in tests/.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zirkel::config::Config;

static CONFIG: LazyLock<Config> =
    LazyLock::new(|| Config::parse(include_str!("../../tests/fixtures/basic/zirkel.yaml")).expect("fixture config"));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rules = zirkel::validate::Rules {
        config: &CONFIG,
        districts: zirkel::districts::Districts::official(),
        today: zirkel::validate::parse_date("2020-01-01", true),
    };
    for rel in ["content/praxis/x.md", "content/seiten/x.md"] {
        if let Ok(doc) = zirkel::content::parse_doc(Path::new(rel), text) {
            let (html, _) = zirkel::markdown::to_html(
                &doc.body,
                &|s| Some(format!("../praxis/{s}.html")),
                zirkel::markdown::TASK_LABELS,
            );
            assert!(!html.contains("<script"), "script survived sanitizing");
            let v = zirkel::validate::validate(vec![doc], &rules);
            for d in &v.diagnostics {
                let _ = d.message_de();
            }
        }
    }
    let _ = Config::parse(text);
});
