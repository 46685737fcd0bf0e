//! `zirkel.yaml`: the collection's title, vocabularies (fields, outcomes, target
//! groups, transferability), links to the git host and review period.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::schema::MapReader;
use crate::yaml::{self, Kind, Pos};

pub const FILE_NAME: &str = "zirkel.yaml";
/// Entries larger than this are refused (a contributor pasting a PDF as text);
/// `max_entry_kb` in `zirkel.yaml` changes it.
pub const MAX_ENTRY_BYTES: u64 = 1024 * 1024;
pub use crate::i18n::LANGUAGES;

/// One value of a vocabulary with its label.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Term {
    pub slug: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// URL templates for the git host; `{path}`, `{slug}`, `{title}` are filled in.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Links {
    pub edit: Option<String>,
    pub history: Option<String>,
    pub new: Option<String>,
    pub issue: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub fields: Vec<Term>,
    pub outcomes: Vec<Term>,
    pub target_groups: Vec<Term>,
    pub transferability: Vec<Term>,
    pub review_after_months: Option<u64>,
    pub links: Links,
    /// Largest entry file accepted, in bytes.
    pub max_entry_bytes: u64,
    pub search: SearchConfig,
}

/// `search:` in `zirkel.yaml`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchConfig {
    /// The collection's synonym groups, added to the built-in thesaurus.
    pub synonyms: Vec<Vec<String>>,
    /// `false`: the collection's groups replace the built-in thesaurus.
    pub builtin_synonyms: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            synonyms: Vec::new(),
            builtin_synonyms: true,
        }
    }
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "fields",
    "outcomes",
    "target_groups",
    "transferability",
    "review_after_months",
    "links",
    "max_entry_kb",
    "search",
];
const SEARCH_KEYS: &[&str] = &["synonyms", "builtin_synonyms"];
const TERM_KEYS: &[&str] = &["slug", "label", "description"];
const LINK_KEYS: &[&str] = &["edit", "history", "new", "issue"];

impl Config {
    /// Reads `zirkel.yaml` from a collection root.
    pub fn from_root(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        let file = PathBuf::from(FILE_NAME);
        let src = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(vec![Diagnostic::error("Z0001", file, Pos::default())
                    .arg("path", path.display().to_string())])
            }
            Err(e) => {
                return Err(vec![
                    Diagnostic::error("Z0002", file, Pos::default()).arg("reason", e.to_string())
                ])
            }
        };
        let Ok(src) = String::from_utf8(src) else {
            return Err(vec![Diagnostic::error("Z0003", file, Pos::default())]);
        };
        Config::parse(&src)
    }

    /// Parses configuration text; all problems are returned together.
    pub fn parse(src: &str) -> Result<Config, Vec<Diagnostic>> {
        let file = Path::new(FILE_NAME);
        let root = match yaml::parse(src, 0) {
            Ok(Some(n)) => n,
            Ok(None) => {
                return Err(vec![Diagnostic::error(
                    "Z0402",
                    file,
                    Pos { line: 1, col: 1 },
                )
                .arg("key", "title")
                .arg("hint", "")])
            }
            Err(e) => return Err(vec![crate::content::yaml_diagnostic(file, &e)]),
        };
        let mut diags = Vec::new();
        let Some(mut r) = MapReader::new(file, &root, "zirkel.yaml", KEYS, "Z0401", &mut diags)
        else {
            return Err(diags);
        };
        let title = r
            .required_str("title", "Z0402")
            .map(|s| s.value)
            .unwrap_or_default();
        let description = r
            .opt_str("description")
            .map(|s| s.value)
            .unwrap_or_default();
        let base_url = r
            .opt_str("base_url")
            .map(|s| s.value.trim_end_matches('/').to_string())
            .unwrap_or_default();
        let language = match r.opt_str("language") {
            Some(l) if !LANGUAGES.contains(&l.value.as_str()) => {
                r.push(
                    Diagnostic::error("Z0405", file, l.pos)
                        .arg("value", &l.value)
                        .arg("allowed", LANGUAGES.join(", ")),
                );
                "de".to_string()
            }
            Some(l) => l.value,
            None => "de".to_string(),
        };
        let theme = r
            .opt_str("theme")
            .map(|s| s.value)
            .unwrap_or_else(|| "default".into());
        let fields = terms(&mut r, "fields", true);
        let outcomes = terms(&mut r, "outcomes", true);
        let target_groups = terms(&mut r, "target_groups", false);
        let transferability = if r.get("transferability").is_some() {
            plain_terms(&mut r, "transferability")
        } else {
            ["hoch", "mittel", "gering"]
                .iter()
                .map(|s| Term {
                    slug: s.to_string(),
                    label: s.to_string(),
                    description: None,
                })
                .collect()
        };
        let review_after_months = r.opt_uint("review_after_months");
        let max_entry_bytes = r
            .opt_uint("max_entry_kb")
            .map_or(MAX_ENTRY_BYTES, |kb| kb.saturating_mul(1024));
        let links = links(&mut r);
        let search = search(&mut r);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        Ok(Config {
            title,
            description,
            base_url,
            language,
            theme,
            fields,
            outcomes,
            target_groups,
            transferability,
            review_after_months,
            links,
            max_entry_bytes,
            search,
        })
    }

    pub fn field(&self, slug: &str) -> Option<&Term> {
        self.fields.iter().find(|t| t.slug == slug)
    }

    pub fn outcome(&self, slug: &str) -> Option<&Term> {
        self.outcomes.iter().find(|t| t.slug == slug)
    }

    pub fn target_group(&self, slug: &str) -> Option<&Term> {
        self.target_groups.iter().find(|t| t.slug == slug)
    }
}

/// The label of `slug` in a vocabulary, or the slug itself when it has none.
pub fn label_of(terms: &[Term], slug: &str) -> String {
    terms
        .iter()
        .find(|t| t.slug == slug)
        .map_or_else(|| slug.to_string(), |t| t.label.clone())
}

/// A vocabulary written as a list of `{slug, label, description}`.
fn terms(r: &mut MapReader<'_>, key: &str, required: bool) -> Vec<Term> {
    let file = r.file();
    if r.get(key).is_none() {
        if required {
            let d = Diagnostic::error("Z0402", file, r.pos)
                .arg("key", key)
                .arg("hint", "");
            r.push(d);
        }
        return Vec::new();
    }
    let items = r.map_list(key);
    let mut out: Vec<Term> = Vec::new();
    for item in items {
        let Some(mut t) = MapReader::new(file, item, key, TERM_KEYS, "Z0401", r.diags) else {
            continue;
        };
        let slug = t.required_str("slug", "Z0402");
        let label = t.required_str("label", "Z0402");
        let description = t.opt_str("description").map(|s| s.value);
        if let (Some(slug), Some(label)) = (slug, label) {
            // Slugs name files and anchors of the site (`feld/<slug>.html`).
            if !crate::content::is_valid_slug(&slug.value) {
                let d = Diagnostic::error("Z0410", file, slug.pos)
                    .arg("slug", &slug.value)
                    .arg("key", key)
                    .arg("suggestion", crate::content::slugify(&slug.value));
                r.push(d);
                continue;
            }
            if out.iter().any(|o| o.slug == slug.value) {
                r.push(
                    Diagnostic::error("Z0403", file, slug.pos)
                        .arg("slug", &slug.value)
                        .arg("key", key),
                );
                continue;
            }
            out.push(Term {
                slug: slug.value,
                label: label.value,
                description,
            });
        }
    }
    if out.is_empty() && required && !r.diags.iter().any(Diagnostic::is_error) {
        let d = Diagnostic::error("Z0402", file, r.key_pos(key))
            .arg("key", key)
            .arg("hint", "");
        r.push(d);
    }
    out
}

/// A vocabulary written as a plain list (`[hoch, mittel, gering]`) or as terms.
fn plain_terms(r: &mut MapReader<'_>, key: &str) -> Vec<Term> {
    let node = r.get(key).expect("checked by caller");
    if let Kind::Seq(items) = &node.kind {
        if items.iter().all(|i| i.as_scalar().is_some()) {
            let mut out = Vec::new();
            for s in r.str_list(key) {
                if !crate::content::is_valid_slug(&s.value) {
                    let d = Diagnostic::error("Z0410", r.file(), s.pos)
                        .arg("slug", &s.value)
                        .arg("key", key)
                        .arg("suggestion", crate::content::slugify(&s.value));
                    r.push(d);
                    continue;
                }
                out.push(Term {
                    slug: s.value.clone(),
                    label: s.value,
                    description: None,
                });
            }
            return out;
        }
    }
    terms(r, key, false)
}

fn search(r: &mut MapReader<'_>) -> SearchConfig {
    let file = r.file();
    let Some(mut s) = r.nested("search", SEARCH_KEYS, "Z0401") else {
        return SearchConfig::default();
    };
    let builtin_synonyms = s.opt_bool("builtin_synonyms").unwrap_or(true);
    let synonyms = match s.get("synonyms") {
        Some(list) => synonym_groups(file, list, s.diags),
        None => Vec::new(),
    };
    SearchConfig {
        synonyms,
        builtin_synonyms,
    }
}

/// Synonym groups written as a list of lists (`- [ABH, Ausländerbehörde]`): each group
/// needs two members or more (Z0411), each member a searchable word (Z0412).
pub fn synonym_groups(
    file: &Path,
    node: &yaml::Node,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<String>> {
    let Kind::Seq(groups) = &node.kind else {
        diags.push(crate::schema::type_error(
            file,
            node,
            "synonyms",
            "words.list",
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for group in groups {
        let members: Vec<&yaml::Node> = match &group.kind {
            Kind::Seq(items) => items.iter().collect(),
            _ => Vec::new(),
        };
        let texts: Vec<(String, Pos)> = members
            .iter()
            .filter_map(|m| m.as_scalar().map(|t| (t.trim().to_string(), m.pos)))
            .filter(|(t, _)| !t.is_empty())
            .collect();
        if texts.len() < 2 || texts.len() != members.len() {
            diags.push(Diagnostic::error("Z0411", file, group.pos));
            continue;
        }
        let mut ok = true;
        for (text, pos) in &texts {
            if crate::thesaurus::member_terms(text).is_empty() {
                diags.push(Diagnostic::error("Z0412", file, *pos).arg("member", text));
                ok = false;
            }
        }
        if ok {
            out.push(texts.into_iter().map(|(t, _)| t).collect());
        }
    }
    out
}

/// Synonym groups from a YAML text of their own (the built-in thesaurus).
pub fn synonym_source(file: &Path, src: &str, diags: &mut Vec<Diagnostic>) -> Vec<Vec<String>> {
    match yaml::parse(src, 0) {
        Ok(Some(node)) => synonym_groups(file, &node, diags),
        Ok(None) => Vec::new(),
        Err(e) => {
            diags.push(crate::content::yaml_diagnostic(file, &e));
            Vec::new()
        }
    }
}

fn links(r: &mut MapReader<'_>) -> Links {
    let Some(mut l) = r.nested("links", LINK_KEYS, "Z0401") else {
        return Links::default();
    };
    Links {
        edit: l.opt_str("edit").map(|s| s.value),
        history: l.opt_str("history").map(|s| s.value),
        new: l.opt_str("new").map(|s| s.value),
        issue: l.opt_str("issue").map(|s| s.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: T\nfields:\n  - slug: a\n    label: A\noutcomes:\n  - slug: gelungen\n    label: gelungen\n";

    #[test]
    fn minimal_config_gets_defaults() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.language, "de");
        assert_eq!(c.theme, "default");
        assert_eq!(c.transferability.len(), 3);
        assert!(c.target_groups.is_empty());
    }

    #[test]
    fn unknown_key_in_config_is_an_error_with_did_you_mean() {
        let e = Config::parse(&format!("{MINIMAL}titel: x\n")).unwrap_err();
        assert_eq!((e[0].code, e[0].line), ("Z0401", 8));
        assert!(e[0].help_de().unwrap().contains("title"));
    }

    #[test]
    fn missing_fields_and_outcomes_are_both_reported() {
        let e = Config::parse("title: T\n").unwrap_err();
        let keys: Vec<_> = e.iter().map(|d| d.arg_text("key").unwrap()).collect();
        assert_eq!(keys, ["fields", "outcomes"]);
    }

    #[test]
    fn duplicate_field_slug_is_reported_where_it_is_written() {
        let src = "title: T\nfields:\n  - slug: a\n    label: A\n  - slug: a\n    label: B\noutcomes:\n  - slug: g\n    label: g\n";
        let e = Config::parse(src).unwrap_err();
        assert_eq!((e[0].code, e[0].line, e[0].col), ("Z0403", 5, 11));
    }

    #[test]
    fn vocabulary_slugs_must_be_slugs_because_they_name_files() {
        // Regression (review): `slug: "../../x"` wrote pages outside the output.
        let src = "title: T\nfields:\n  - slug: \"../../x\"\n    label: A\noutcomes:\n  - slug: gut\n    label: g\n";
        let e = Config::parse(src).unwrap_err();
        assert_eq!((e[0].code, e[0].line), ("Z0410", 3));
        let e = Config::parse(&format!(
            "{MINIMAL}transferability: [hoch, \"sehr gering\"]\n"
        ))
        .unwrap_err();
        assert_eq!(e[0].code, "Z0410");
    }

    #[test]
    fn synonym_groups_extend_the_thesaurus_and_bad_ones_are_reported_where_written() {
        let c = Config::parse(&format!(
            "{MINIMAL}search:\n  synonyms:\n    - [ABH, Ausländerbehörde]\n    - [Kita, Kindergarten, \"Kindertagesstätte\"]\n"
        ))
        .unwrap();
        assert_eq!(c.search.synonyms.len(), 2);
        assert!(c.search.builtin_synonyms);
        let src = format!(
            "{MINIMAL}search:\n  builtin_synonyms: false\n  synonyms:\n    - [ABH]\n    - Kita\n    - [Kita, \"für die\"]\n"
        );
        let e = Config::parse(&src).unwrap_err();
        let got: Vec<_> = e.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(got, [("Z0411", 11), ("Z0411", 12), ("Z0412", 13)]);
        let e = Config::parse(&format!("{MINIMAL}search:\n  synonym: []\n")).unwrap_err();
        assert_eq!((e[0].code, e[0].line), ("Z0401", 9));
        assert!(e[0].help_de().unwrap().contains("synonyms"));
    }

    #[test]
    fn unsupported_language_is_refused() {
        let e = Config::parse(&format!("{MINIMAL}language: fr\n")).unwrap_err();
        assert_eq!(e[0].code, "Z0405");
    }
}
