//! Typed reading of YAML maps with diagnostics: unknown keys with did-you-mean,
//! duplicate keys, missing and mistyped values. Shared by configuration and content
//! so both report problems the same way.

use std::path::Path;

use crate::diagnostic::{closest, Diagnostic};
use crate::yaml::{Key, Kind, Node, Pos};

/// A text value with the position it was written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

/// Reads one YAML map against a list of allowed keys, collecting diagnostics.
pub struct MapReader<'a> {
    file: &'a Path,
    pairs: &'a [(Key, Node)],
    pub pos: Pos,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl<'a> MapReader<'a> {
    /// Checks the map for duplicate and unknown keys (reported with `unknown_code`)
    /// and returns a reader, or `None` (with a diagnostic) if `node` is not a map.
    pub fn new(
        file: &'a Path,
        node: &'a Node,
        name: &str,
        allowed: &[&str],
        unknown_code: &'static str,
        diags: &'a mut Vec<Diagnostic>,
    ) -> Option<Self> {
        let Kind::Map(pairs) = &node.kind else {
            diags.push(type_error(file, node, name, "words.map"));
            return None;
        };
        for (i, (k, _)) in pairs.iter().enumerate() {
            if pairs[..i].iter().any(|(prev, _)| prev.name == k.name) {
                diags.push(Diagnostic::error("Z0107", file, k.pos).arg("key", &k.name));
            } else if !allowed.contains(&k.name.as_str()) {
                let d = Diagnostic::error(unknown_code, file, k.pos).arg("key", &k.name);
                diags.push(match closest(&k.name, allowed.iter().copied()) {
                    Some(c) => d.phrase(
                        "suggestion",
                        "words.did_you_mean",
                        vec![("candidate", c.to_string())],
                    ),
                    None => d.phrase(
                        "suggestion",
                        "words.allowed_keys",
                        vec![("allowed", allowed.join(", "))],
                    ),
                });
            }
        }
        Some(MapReader {
            file,
            pairs,
            pos: node.pos,
            diags,
        })
    }

    pub fn file(&self) -> &'a Path {
        self.file
    }

    /// A reader of the map under `key` with its own allowed keys (checked as `new`
    /// does); `None` when the key is absent or null, or (reported) not a map.
    pub fn nested(
        &mut self,
        key: &str,
        allowed: &[&str],
        unknown_code: &'static str,
    ) -> Option<MapReader<'_>> {
        let node = self.get(key)?;
        MapReader::new(self.file, node, key, allowed, unknown_code, self.diags)
    }

    /// The value of `key` unless absent or written as null.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.pairs
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }

    /// Where `key` is written, or the map's own position.
    pub fn key_pos(&self, key: &str) -> Pos {
        self.pairs
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.pos)
            .unwrap_or(self.pos)
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A required text; reports Z0201 when missing, Z0210 when empty.
    pub fn required_str(
        &mut self,
        key: &str,
        missing_code: &'static str,
    ) -> Option<Spanned<String>> {
        if self.pairs.iter().all(|(k, _)| k.name != key) {
            let d = Diagnostic::error(missing_code, self.file, self.pos).arg("key", key);
            self.diags.push(d);
            return None;
        }
        let s = self.opt_str(key);
        let mistyped = self
            .get(key)
            .is_some_and(|n| !matches!(n.kind, Kind::Scalar { .. }));
        if s.is_none() && !mistyped {
            let d = Diagnostic::error("Z0210", self.file, self.key_pos(key)).arg("key", key);
            self.diags.push(d);
        }
        s
    }

    /// An optional text; an empty text counts as absent. Numbers and booleans written
    /// without quotes are taken as their text (a title may be `2016`).
    pub fn opt_str(&mut self, key: &str) -> Option<Spanned<String>> {
        let node = self.get(key)?;
        match &node.kind {
            Kind::Scalar { text, .. } => {
                let t = text.trim();
                (!t.is_empty()).then(|| Spanned {
                    value: t.to_string(),
                    pos: node.pos,
                })
            }
            _ => {
                self.diags
                    .push(type_error(self.file, node, key, "words.text"));
                None
            }
        }
    }

    /// A list of texts; a single text is taken as a list of one.
    pub fn str_list(&mut self, key: &str) -> Vec<Spanned<String>> {
        let Some(node) = self.get(key) else {
            return Vec::new();
        };
        let items: Vec<&Node> = match &node.kind {
            Kind::Scalar { .. } => vec![node],
            Kind::Seq(items) => items.iter().collect(),
            Kind::Map(_) => {
                self.diags
                    .push(type_error(self.file, node, key, "words.text_or_list"));
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match &item.kind {
                Kind::Scalar { text, .. } if !item.is_null() && !text.trim().is_empty() => out
                    .push(Spanned {
                        value: text.trim().to_string(),
                        pos: item.pos,
                    }),
                Kind::Scalar { .. } => {}
                _ => self
                    .diags
                    .push(type_error(self.file, item, key, "words.text")),
            }
        }
        out
    }

    /// A list of maps (e.g. `sources`), each handed to `each`.
    pub fn map_list(&mut self, key: &str) -> Vec<&'a Node> {
        let Some(node) = self.get(key) else {
            return Vec::new();
        };
        match &node.kind {
            Kind::Seq(items) => items.iter().collect(),
            Kind::Map(_) => vec![node],
            Kind::Scalar { .. } => {
                self.diags
                    .push(type_error(self.file, node, key, "words.list"));
                Vec::new()
            }
        }
    }

    pub fn opt_bool(&mut self, key: &str) -> Option<bool> {
        let node = self.get(key)?;
        match node.as_scalar() {
            Some("true" | "True" | "TRUE") if !is_quoted(node) => Some(true),
            Some("false" | "False" | "FALSE") if !is_quoted(node) => Some(false),
            _ => {
                self.diags
                    .push(type_error(self.file, node, key, "words.bool"));
                None
            }
        }
    }

    /// A whole number ≥ 0, reported as Z0211 otherwise.
    pub fn opt_uint(&mut self, key: &str) -> Option<u64> {
        let node = self.get(key)?;
        match node.as_scalar() {
            Some(t) if !is_quoted(node) => match t.trim().parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    self.diags.push(
                        Diagnostic::error("Z0211", self.file, node.pos)
                            .arg("key", key)
                            .arg("value", t),
                    );
                    None
                }
            },
            Some(t) => {
                self.diags.push(
                    Diagnostic::error("Z0211", self.file, node.pos)
                        .arg("key", key)
                        .arg("value", t),
                );
                None
            }
            None => {
                self.diags
                    .push(type_error(self.file, node, key, "words.number"));
                None
            }
        }
    }
}

fn is_quoted(n: &Node) -> bool {
    matches!(n.kind, Kind::Scalar { quoted: true, .. })
}

/// Z0203: `key` has the wrong kind of value.
pub fn type_error(file: &Path, node: &Node, key: &str, expected: &'static str) -> Diagnostic {
    let hint = if matches!(node.kind, Kind::Map(_)) && expected == "words.text" {
        "words.quote_hint"
    } else {
        "words.empty"
    };
    Diagnostic::error("Z0203", file, node.pos)
        .arg("key", key)
        .phrase("expected", expected, vec![])
        .phrase("found", node.kind_name(), vec![])
        .phrase("hint", hint, vec![])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    fn read(src: &str, allowed: &[&str]) -> Vec<Diagnostic> {
        let node = yaml::parse(src, 0).unwrap().unwrap();
        let mut diags = Vec::new();
        let mut r = MapReader::new(
            Path::new("f.md"),
            &node,
            "root",
            allowed,
            "Z0202",
            &mut diags,
        )
        .unwrap();
        r.required_str("title", "Z0201");
        r.opt_uint("reach");
        diags
    }

    #[test]
    fn unknown_key_gets_did_you_mean_with_its_position() {
        let d = read("title: x\ntitel: y\n", &["title"]);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code, d[0].line, d[0].col), ("Z0202", 2, 1));
        assert!(d[0].help_de().unwrap().contains("title"));
    }

    #[test]
    fn duplicate_key_is_an_error_not_a_silent_overwrite() {
        let d = read("title: x\ntitle: y\n", &["title"]);
        assert_eq!(d[0].code, "Z0107");
        assert_eq!(d[0].line, 2);
    }

    #[test]
    fn missing_and_empty_required_keys_are_reported() {
        assert_eq!(read("reach: 1\n", &["title", "reach"])[0].code, "Z0201");
        assert_eq!(read("title: \"\"\n", &["title"])[0].code, "Z0210");
    }

    #[test]
    fn reach_must_be_a_whole_number() {
        let d = read("title: x\nreach: 1.400\n", &["title", "reach"]);
        assert_eq!((d[0].code, d[0].line, d[0].col), ("Z0211", 2, 8));
    }

    #[test]
    fn a_map_where_text_is_expected_suggests_quotes() {
        let d = read("title:\n  a: b\n", &["title"]);
        assert_eq!(d[0].code, "Z0203");
    }
}
