//! The catalogue of every text a user reads, one YAML file per language.
//!
//! Diagnostics carry a code and named arguments; they are turned into words here,
//! at the edge, so an English UI is a translation of `i18n/de.yaml`, not a rewrite.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::yaml::{self, Kind, Node};

const GERMAN: &str = include_str!("../i18n/de.yaml");
const ENGLISH: &str = include_str!("../i18n/en.yaml");

/// Languages with a catalogue, for the UI and for messages.
pub const LANGUAGES: &[&str] = &["de", "en"];

/// A flattened catalogue: `diagnostics.Z0201.message` → text.
#[derive(Debug, Clone)]
pub struct Catalogue {
    strings: HashMap<String, String>,
    /// The `site` section as a nested tree for templates.
    site: serde_json::Value,
}

static DE: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue::parse(GERMAN).expect("built-in German catalogue is valid YAML"));
static EN: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue::parse(ENGLISH).expect("built-in English catalogue is valid YAML"));

impl Catalogue {
    /// The built-in German catalogue.
    pub fn german() -> &'static Catalogue {
        &DE
    }

    /// The built-in catalogue for a language code (`de`, `en`); German otherwise.
    pub fn for_language(code: &str) -> &'static Catalogue {
        match code {
            "en" => &EN,
            _ => &DE,
        }
    }

    /// The language for messages: `de` unless the environment asks for English
    /// (`LC_ALL`, `LC_MESSAGES` or `LANG` starting with `en`).
    pub fn language_from_env() -> &'static str {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if !v.is_empty() {
                    return if v.starts_with("en") { "en" } else { "de" };
                }
            }
        }
        "de"
    }

    /// Reads a catalogue from YAML text: nested maps of strings.
    pub fn parse(src: &str) -> Result<Catalogue, yaml::YamlError> {
        let mut strings = HashMap::new();
        let mut site = serde_json::Value::Null;
        if let Some(root) = yaml::parse(src, 0)? {
            flatten("", &root, &mut strings);
            if let Kind::Map(pairs) = &root.kind {
                if let Some((_, n)) = pairs.iter().find(|(k, _)| k.name == "site") {
                    site = to_json(n);
                }
            }
        }
        Ok(Catalogue { strings, site })
    }

    /// The text for `key`, or the key itself so a missing translation is visible
    /// rather than silent.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.strings.contains_key(key)
    }

    /// The text for `key` with `{name}` placeholders filled from `args`.
    pub fn format(&self, key: &str, args: &[(&str, String)]) -> String {
        fill(self.get(key), args)
    }

    /// The strings of the site, for templates.
    pub fn site_strings(&self) -> &serde_json::Value {
        &self.site
    }
}

/// Replaces `{name}` with the matching argument; unknown placeholders stay as they are.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn flatten(prefix: &str, node: &Node, out: &mut HashMap<String, String>) {
    match &node.kind {
        Kind::Scalar { text, .. } => {
            out.insert(prefix.to_string(), text.clone());
        }
        Kind::Map(pairs) => {
            for (k, v) in pairs {
                let key = if prefix.is_empty() {
                    k.name.clone()
                } else {
                    format!("{prefix}.{}", k.name)
                };
                flatten(&key, v, out);
            }
        }
        Kind::Seq(_) => {}
    }
}

fn to_json(node: &Node) -> serde_json::Value {
    match &node.kind {
        Kind::Scalar { text, .. } => serde_json::Value::String(text.clone()),
        Kind::Seq(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Kind::Map(pairs) => serde_json::Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_placeholders_and_keeps_unknown_ones() {
        let s = fill("a {x} b {y}", &[("x", "1".into())]);
        assert_eq!(s, "a 1 b {y}");
    }

    #[test]
    fn english_catalogue_has_the_same_keys_and_placeholders_as_german() {
        let (de, en) = (Catalogue::for_language("de"), Catalogue::for_language("en"));
        let placeholders = |s: &str| {
            let mut p: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|x| x.split_once('}'))
                .map(|(n, _)| n.to_string())
                .collect();
            p.sort();
            p
        };
        let mut keys: Vec<&String> = de.strings.keys().collect();
        keys.sort();
        for k in keys {
            assert!(en.has(k), "English lacks {k}");
            assert_eq!(
                placeholders(de.get(k)),
                placeholders(en.get(k)),
                "placeholders of {k}"
            );
        }
        assert_eq!(de.strings.len(), en.strings.len());
    }

    #[test]
    fn german_catalogue_has_a_message_for_every_diagnostic_code() {
        let de = Catalogue::german();
        for code in crate::diagnostic::ALL_CODES {
            assert!(
                de.has(&format!("diagnostics.{code}.message")),
                "missing German message for {code}"
            );
        }
    }
}
