//! The thesaurus of the field: groups of words and phrases that mean the same to
//! district staff (`ABH` = `Ausländerbehörde`), built in (`data/thesaurus-de.yaml`)
//! and extended or replaced per collection (`search.synonyms` in `zirkel.yaml`).
//!
//! Resolved here to index terms: a term that is a one-word member of a group expands to
//! the group's other members, each a list of terms that must all match (a phrase).
//! Expansions score at `WEIGHT` of their terms' scores, below the typed word. `zirkel
//! search` uses this directly; the static index carries it for the site's runtime.

use std::collections::BTreeMap;
use std::path::Path;

use crate::analyze;
use crate::config::SearchConfig;

/// What an expansion's scores count for against the typed word's own.
pub const WEIGHT: f64 = 0.5;

/// Where the built-in thesaurus comes from, for diagnostics.
pub const BUILTIN_FILE: &str = "data/thesaurus-de.yaml";

/// Phrases of more words than this are not looked for in a query.
pub const MAX_PHRASE: usize = 8;

/// Term → the alternatives it expands to, each a list of terms that must all match.
/// A member of several words is keyed by its terms joined with spaces
/// (`bundesamt migration fluchtling`): typed as a phrase, it expands too.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thesaurus {
    expansions: BTreeMap<String, Vec<Vec<String>>>,
}

/// The index terms of a group member: its words, folded and stemmed, stop words left
/// out (`Bundesamt für Migration` → `bundesamt`, `migration`), each once. Empty when
/// nothing searchable is left.
pub fn member_terms(member: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (s, e) in analyze::words(member) {
        let Some(folded) = analyze::folded(&member[s..e]) else {
            continue;
        };
        if analyze::is_stop_word(&folded) {
            continue;
        }
        let term = analyze::stem(&folded);
        if !out.contains(&term) {
            out.push(term);
        }
    }
    out
}

impl Thesaurus {
    /// From groups of members as written.
    pub fn new(groups: &[Vec<String>]) -> Thesaurus {
        let mut expansions: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
        for group in groups {
            let members: Vec<Vec<String>> = group
                .iter()
                .map(|m| member_terms(m))
                .filter(|t| !t.is_empty())
                .collect();
            // A phrase whose first term has one character would sit in another part
            // of the static index than its first word looks in.
            let keyed = members
                .iter()
                .filter(|m| m.len() == 1 || m[0].chars().count() >= 2);
            for key in keyed {
                let alts = expansions.entry(key.join(" ")).or_default();
                for other in &members {
                    if other != key && !alts.contains(other) {
                        alts.push(other.clone());
                    }
                }
            }
        }
        expansions.retain(|_, alts| !alts.is_empty());
        Thesaurus { expansions }
    }

    /// The built-in groups. The file ships inside the binary and a test keeps it valid.
    /// Parsed once: every build and search asks for it.
    pub fn builtin_groups() -> &'static [Vec<String>] {
        static GROUPS: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
        GROUPS.get_or_init(|| {
            let mut diags = Vec::new();
            crate::config::synonym_source(
                Path::new(BUILTIN_FILE),
                include_str!("../data/thesaurus-de.yaml"),
                &mut diags,
            )
        })
    }

    /// The built-in thesaurus (unless the collection turns it off) and the collection's
    /// own groups.
    pub fn for_config(search: &SearchConfig) -> Thesaurus {
        let mut groups = if search.builtin_synonyms {
            Thesaurus::builtin_groups().to_vec()
        } else {
            Vec::new()
        };
        groups.extend(search.synonyms.iter().cloned());
        Thesaurus::new(&groups)
    }

    /// What `term` expands to; empty for most terms.
    pub fn expansions(&self, term: &str) -> &[Vec<String>] {
        self.expansions.get(term).map_or(&[], Vec::as_slice)
    }

    /// What a phrase member of two words or more (its terms) expands to; the caller
    /// tries the longest first, up to `MAX_PHRASE` terms.
    pub fn phrase(&self, terms: &[&str]) -> &[Vec<String>] {
        if terms.len() < 2 || terms.len() > MAX_PHRASE {
            return &[];
        }
        self.expansions(&terms.join(" "))
    }

    /// The alternatives whose terms all occur in the collection (`known`): only they
    /// can match, so only they count as expansions. A word whose group the collection
    /// never uses is then split or corrected like any unknown word, and the site's
    /// index carries nothing that cannot match.
    pub fn matchable(alts: &[Vec<String>], known: impl Fn(&str) -> bool) -> Vec<Vec<String>> {
        alts.iter()
            .filter(|a| a.iter().all(|t| known(t)))
            .cloned()
            .collect()
    }

    /// Every term with expansions, in term order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<Vec<String>>)> {
        self.expansions.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_thesaurus_is_valid_and_large() {
        let mut diags = Vec::new();
        let groups = crate::config::synonym_source(
            Path::new(BUILTIN_FILE),
            include_str!("../data/thesaurus-de.yaml"),
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert!(groups.len() >= 150, "{} groups", groups.len());
    }

    #[test]
    fn abbreviations_and_words_expand_to_each_other_and_phrases_to_all_their_words() {
        let t = Thesaurus::new(&[vec![
            "ABH".to_string(),
            "Ausländerbehörde".to_string(),
            "Amt für Ausländer".to_string(),
        ]]);
        assert_eq!(
            t.expansions("abh"),
            [
                vec!["auslanderbehord".to_string()],
                vec!["amt".to_string(), "ausland".to_string()]
            ]
        );
        assert_eq!(t.expansions("auslanderbehord")[0], ["abh"]);
        // A phrase is no single word's key, but typed as a phrase it expands.
        assert!(t.expansions("amt").is_empty());
        assert_eq!(t.phrase(&["amt", "ausland"])[0], ["abh"]);
        assert!(t.phrase(&["amt", "ausland", "kurs"]).is_empty());
        assert!(t.phrase(&["amt"]).is_empty());
        assert!(t.phrase(&["ausland", "amt"]).is_empty());
        assert!(t.expansions("sprachkurs").is_empty());
    }

    #[test]
    fn only_alternatives_whose_terms_all_occur_can_match() {
        let alts = vec![
            vec!["auslanderbehord".to_string()],
            vec!["amt".to_string(), "ausland".to_string()],
        ];
        let known = |t: &str| t != "ausland";
        assert_eq!(Thesaurus::matchable(&alts, known), [["auslanderbehord"]]);
        assert!(Thesaurus::matchable(&alts, |_| false).is_empty());
    }

    #[test]
    fn members_with_the_same_term_do_not_expand_to_themselves() {
        let t = Thesaurus::new(&[vec!["Flüchtling".into(), "Flüchtlinge".into()]]);
        assert!(t.expansions("fluchtling").is_empty());
    }

    #[test]
    fn the_builtin_groups_cover_the_field() {
        let t = Thesaurus::for_config(&SearchConfig::default());
        for (word, other) in [
            ("ABH", "auslanderbehord"),
            ("EAE", "erstaufnahmeeinricht"),
            ("Flüchtlinge", "gefluchtet"),
        ] {
            let term = member_terms(word).remove(0);
            assert!(
                t.expansions(&term)
                    .iter()
                    .any(|a| a == &[other.to_string()]),
                "{word}: {:?}",
                t.expansions(&term)
            );
        }
        let off = Thesaurus::for_config(&SearchConfig {
            builtin_synonyms: false,
            synonyms: vec![vec!["Kita".into(), "Kindergarten".into()]],
        });
        assert_eq!(off.iter().count(), 2);
    }
}
