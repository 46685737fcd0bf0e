//! The one diagnostic type: where (file, line, column), what (code, message) and
//! what to do (help). The library produces them; the binary renders them.

use std::path::{Path, PathBuf};

use crate::i18n::Catalogue;
use crate::yaml::Pos;

/// Every diagnostic code zirkel emits; `DIAGNOSTICS.md` explains each one.
pub const ALL_CODES: &[&str] = &[
    "Z0001", "Z0002", "Z0003", "Z0004", "Z0005", "Z0101", "Z0102", "Z0103", "Z0104", "Z0105",
    "Z0106", "Z0107", "Z0108", "Z0109", "Z0110", "Z0111", "Z0201", "Z0202", "Z0203", "Z0204",
    "Z0205", "Z0206", "Z0207", "Z0208", "Z0209", "Z0210", "Z0211", "Z0212", "Z0213", "Z0214",
    "Z0215", "Z0301", "Z0302", "Z0303", "Z0401", "Z0402", "Z0403", "Z0404", "Z0405", "Z0406",
    "Z0407", "Z0408", "Z0409", "Z0410", "Z0411", "Z0412",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in a file. `line`/`col` are 1-based; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    /// Path relative to the collection root, as the user sees it.
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    /// Named arguments for the catalogue's message and help templates.
    pub args: Vec<(&'static str, Arg)>,
}

/// An argument of a message: plain text (a value from the file) or a phrase of the
/// catalogue, put into words only when the diagnostic is shown, in the reader's
/// language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Phrase {
        key: &'static str,
        args: Vec<(&'static str, String)>,
    },
}

impl Arg {
    fn render(&self, cat: &Catalogue) -> String {
        match self {
            Arg::Text(t) => t.clone(),
            Arg::Phrase { key, args } => cat.format(key, args),
        }
    }
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<PathBuf>, pos: Pos) -> Self {
        Self::new(Severity::Error, code, file.into(), pos)
    }

    pub fn warning(code: &'static str, file: impl Into<PathBuf>, pos: Pos) -> Self {
        Self::new(Severity::Warning, code, file.into(), pos)
    }

    fn new(severity: Severity, code: &'static str, file: PathBuf, pos: Pos) -> Self {
        debug_assert!(ALL_CODES.contains(&code), "undeclared code {code}");
        Diagnostic {
            severity,
            code,
            file,
            line: pos.line,
            col: pos.col,
            args: Vec::new(),
        }
    }

    /// Adds a named argument for the message templates.
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    /// Adds an argument that is itself a catalogue phrase (`words.did_you_mean`…).
    pub fn phrase(
        mut self,
        name: &'static str,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    ) -> Self {
        self.args.push((name, Arg::Phrase { key, args }));
        self
    }

    /// The text of a plain argument, for tests and tools.
    pub fn arg_text(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, a)| match a {
                Arg::Text(t) => Some(t.as_str()),
                Arg::Phrase { .. } => None,
            })
    }

    fn rendered_args(&self, cat: &Catalogue) -> Vec<(&'static str, String)> {
        self.args.iter().map(|(n, a)| (*n, a.render(cat))).collect()
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn message(&self, cat: &Catalogue) -> String {
        cat.format(
            &format!("diagnostics.{}.message", self.code),
            &self.rendered_args(cat),
        )
    }

    /// The help line, if the catalogue has one for this code and it is not empty.
    pub fn help(&self, cat: &Catalogue) -> Option<String> {
        let key = format!("diagnostics.{}.help", self.code);
        if !cat.has(&key) {
            return None;
        }
        let text = cat.format(&key, &self.rendered_args(cat));
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    /// Message in the default (German) catalogue, handy in tests and logs.
    pub fn message_de(&self) -> String {
        self.message(Catalogue::german())
    }

    /// Help in the default (German) catalogue, handy in tests and logs.
    pub fn help_de(&self) -> Option<String> {
        self.help(Catalogue::german())
    }

    pub fn file_is(&self, p: impl AsRef<Path>) -> bool {
        self.file == p.as_ref()
    }
}

/// Sorts diagnostics by file, then position, errors before warnings at the same place,
/// so output is stable whatever order parallel loading produced them in.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.col, a.severity, a.code)
            .cmp(&(&b.file, b.line, b.col, b.severity, b.code))
    });
}

/// Did-you-mean: the closest candidate within a small edit distance, if any.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (lower.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_a_typo_and_ignores_unrelated_words() {
        let c = ["title", "district", "field", "outcome"];
        assert_eq!(closest("distrct", c), Some("district"));
        assert_eq!(closest("Titel", c), Some("title"));
        assert_eq!(closest("banana", c), None);
    }

    #[test]
    fn message_fills_arguments_from_the_catalogue() {
        let d =
            Diagnostic::error("Z0201", "content/a.md", Pos { line: 1, col: 1 }).arg("key", "title");
        assert_eq!(d.message_de(), "Pflichtangabe »title« fehlt");
        assert!(d.help_de().unwrap().contains("title: …"));
    }
}
