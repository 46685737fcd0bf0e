//! New files from templates: an entry for `zirkel new` (every key, the allowed values
//! as comments, the recommended sections) and a whole collection for `zirkel init`
//! (configuration, an example entry, an about page, CI templates).

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{slugify, CONTENT_DIR};
use crate::districts::District;
use crate::i18n::Catalogue;
use crate::validate::{Date, EVIDENCE, PARTICIPATION, REVIEW, SECTIONS, STATUS};

/// The folder new entries go to, below `content/`.
pub const ENTRIES_DIR: &str = "praxis";

/// What a new entry starts with.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub title: String,
    pub districts: Vec<&'a District>,
    pub field: String,
    pub outcome: String,
    pub summary: String,
    pub today: Date,
    pub example: bool,
}

/// A YAML double-quoted string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `key: value` padded so the comments line up.
fn line(out: &mut String, key_value: &str, comment: &str) {
    if comment.is_empty() {
        out.push_str(key_value);
    } else {
        out.push_str(&format!("{key_value:<33} # {comment}"));
    }
    out.push('\n');
}

/// The Markdown file of a new entry.
pub fn entry_file(e: &NewEntry<'_>, cfg: &Config, cat: &Catalogue) -> String {
    let c = |k: &str| cat.get(&format!("scaffold.{k}")).to_string();
    let slugs = |t: &[crate::config::Term]| {
        t.iter()
            .map(|t| t.slug.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let district = match e.districts.as_slice() {
        [] => "[]".to_string(),
        [one] => quote(&one.ags),
        many => format!(
            "[{}]",
            many.iter()
                .map(|d| quote(&d.ags))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let names = e
        .districts
        .iter()
        .map(|d| d.display_name())
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = String::from("---\n");
    line(&mut out, &format!("title: {}", quote(&e.title)), "");
    line(
        &mut out,
        &format!("district: {district}"),
        &format!("{names} – {}", c("district")),
    );
    line(
        &mut out,
        &format!("field: {}", e.field),
        &slugs(&cfg.fields),
    );
    line(
        &mut out,
        &format!("outcome: {}", e.outcome),
        &slugs(&cfg.outcomes),
    );
    line(
        &mut out,
        &format!("summary: {}", quote(&e.summary)),
        &c("summary"),
    );
    line(&mut out, "status:", &STATUS.join(" | "));
    line(&mut out, "started:", &c("started"));
    line(&mut out, "target_groups: []", &slugs(&cfg.target_groups));
    line(&mut out, "actors: []", &c("actors"));
    line(&mut out, "tags: []", &c("tags"));
    line(&mut out, "resources:", &c("resources"));
    line(&mut out, "funding: []", &c("funding"));
    line(&mut out, "reach:", &c("reach"));
    line(&mut out, "participation:", &PARTICIPATION.join(" | "));
    line(&mut out, "evidence:", &EVIDENCE.join(" | "));
    line(&mut out, "transferability:", &slugs(&cfg.transferability));
    line(&mut out, "adopted_by: []", &c("adopted_by"));
    line(&mut out, "review: eingereicht", &REVIEW.join(" | "));
    line(&mut out, "contact:", &c("contact"));
    line(&mut out, "  role:", &c("contact_role"));
    line(&mut out, "  organisation:", "");
    line(&mut out, "  email:", &c("contact_email"));
    line(&mut out, "sources: []", &c("sources"));
    line(
        &mut out,
        &format!("last_reviewed: {}", e.today.iso()),
        &c("last_reviewed"),
    );
    line(&mut out, &format!("example: {}", e.example), &c("example"));
    line(&mut out, "draft: false", &c("draft"));
    out.push_str("---\n");
    for s in SECTIONS {
        out.push_str(&format!(
            "## {s}\n\n{}\n\n",
            c(&format!("section_{}", slugify(s)))
        ));
    }
    out
}

/// Where a new entry with `slug` in `field` is written, relative to the root.
pub fn entry_path(field: &str, slug: &str) -> PathBuf {
    Path::new(CONTENT_DIR)
        .join(ENTRIES_DIR)
        .join(field)
        .join(format!("{slug}.md"))
}

/// The files of a new collection, relative to its root.
pub fn collection_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("zirkel.yaml", include_str!("../scaffold/zirkel.yaml")),
        (
            "content/seiten/ueber.md",
            include_str!("../scaffold/ueber.md"),
        ),
        (".gitlab-ci.yml", include_str!("../scaffold/gitlab-ci.yml")),
        (
            ".github/workflows/zirkel.yml",
            include_str!("../scaffold/github-workflow.yml"),
        ),
        (".gitignore", include_str!("../scaffold/gitignore")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_quotes_backslashes_and_newlines() {
        assert_eq!(quote("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c d\"");
    }

    #[test]
    fn new_entry_is_valid_front_matter_with_every_key() {
        let cfg = Config::parse(include_str!("../scaffold/zirkel.yaml")).unwrap();
        let d = crate::districts::Districts::official();
        let e = NewEntry {
            title: "Sprachcafé \"im\" Dorf".into(),
            districts: vec![d.by_ags("03153").unwrap(), d.by_ags("15085").unwrap()],
            field: "sprache-bildung".into(),
            outcome: "gelungen".into(),
            summary: "Ein Café: mit Doppelpunkt.".into(),
            today: Date {
                year: 2026,
                month: 11,
                day: 25,
            },
            example: false,
        };
        let text = entry_file(&e, &cfg, Catalogue::german());
        let doc =
            crate::content::parse_doc(Path::new("content/praxis/x/sprachcafe.md"), &text).unwrap();
        let rules = crate::validate::Rules {
            config: &cfg,
            districts: d,
            today: None,
        };
        let v = crate::validate::validate(vec![doc], &rules);
        assert!(
            v.diagnostics.is_empty(),
            "{:?}",
            v.diagnostics
                .iter()
                .map(|d| d.message_de())
                .collect::<Vec<_>>()
        );
        let entry = &v.entries[0];
        assert_eq!(entry.title, "Sprachcafé \"im\" Dorf");
        assert_eq!(entry.districts, ["03153", "15085"]);
        for key in crate::validate::ENTRY_KEYS {
            assert!(text.contains(&format!("\n{key}:")), "template lacks {key}");
        }
    }
}
