//! `zirkel search`: queries the tantivy index from the terminal, ranked exactly as
//! the site's search ranks. Builds the index first when it is missing or older than
//! the collection's files.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::cli::print_human;
use crate::config::{Config, Term};
use crate::diagnostic::closest;
use crate::districts::{self, Districts, Resolved};
use crate::i18n::Catalogue;
use crate::index::{self, Filters, Results, SearchIndex};
use crate::site;
use crate::validate::PARTICIPATION;

/// Filters as typed on the command line, before they are checked.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct RawFilters {
    /// Nur dieses Handlungsfeld (Kurzname oder Bezeichnung).
    #[arg(long)]
    pub field: Option<String>,
    /// Nur dieser Kreis (AGS-Schlüssel oder eindeutiger Name).
    #[arg(long)]
    pub district: Option<String>,
    /// Nur dieses Land (Name oder zweistelliger Schlüssel).
    #[arg(long)]
    pub land: Option<String>,
    /// Nur dieses Ergebnis (gelungen, gemischt, …).
    #[arg(long)]
    pub outcome: Option<String>,
    /// Nur diese Zielgruppe (Kurzname oder Bezeichnung).
    #[arg(long)]
    pub target_group: Option<String>,
    /// Nur diese Beteiligung Geflüchteter (keine, informiert, konsultiert, …).
    #[arg(long)]
    pub participation: Option<String>,
}

/// What `zirkel search` was asked.
#[derive(Debug, Clone)]
pub struct SearchArgs {
    pub query: String,
    pub filters: RawFilters,
    pub limit: usize,
    pub json: bool,
    pub explain: bool,
}

/// A filter value that names nothing: which option, what was typed, a suggestion.
#[derive(Debug, PartialEq)]
pub struct BadFilter {
    pub option: &'static str,
    pub value: String,
    pub suggestion: Option<String>,
}

fn vocab_value(option: &'static str, value: &str, terms: &[Term]) -> Result<String, BadFilter> {
    let v = value.trim();
    if let Some(t) = terms
        .iter()
        .find(|t| t.slug == v || t.label.to_lowercase() == v.to_lowercase())
    {
        return Ok(t.slug.clone());
    }
    Err(BadFilter {
        option,
        value: v.to_string(),
        suggestion: closest(v, terms.iter().map(|t| t.slug.as_str())).map(str::to_string),
    })
}

/// Checks typed filters against the collection's vocabularies and the official
/// list of Kreise; names become keys.
pub fn resolve_filters(raw: &RawFilters, config: &Config) -> Result<Filters, BadFilter> {
    let mut f = Filters::default();
    if let Some(v) = &raw.field {
        f.field = Some(vocab_value("--field", v, &config.fields)?);
    }
    if let Some(v) = &raw.outcome {
        f.outcome = Some(vocab_value("--outcome", v, &config.outcomes)?);
    }
    if let Some(v) = &raw.target_group {
        f.target_group = Some(vocab_value("--target-group", v, &config.target_groups)?);
    }
    if let Some(v) = &raw.participation {
        let v = v.trim();
        if !PARTICIPATION.contains(&v) {
            return Err(BadFilter {
                option: "--participation",
                value: v.to_string(),
                suggestion: closest(v, PARTICIPATION.iter().copied()).map(str::to_string),
            });
        }
        f.participation = Some(v.to_string());
    }
    if let Some(v) = &raw.district {
        f.district = Some(match Districts::official().resolve(v) {
            Resolved::Found(d) => d.ags.clone(),
            Resolved::Ambiguous(ds) => {
                return Err(BadFilter {
                    option: "--district",
                    value: v.clone(),
                    suggestion: Some(
                        ds.iter()
                            .map(|d| format!("{} ({})", d.ags, d.display_name()))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                })
            }
            Resolved::Unknown { suggestion } => {
                return Err(BadFilter {
                    option: "--district",
                    value: v.clone(),
                    suggestion: suggestion.map(|d| d.display_name()),
                })
            }
        });
    }
    if let Some(v) = &raw.land {
        let v = v.trim();
        let lands = districts::lands();
        let found = lands
            .iter()
            .find(|(code, name)| *code == v || name.to_lowercase() == v.to_lowercase());
        f.land = Some(match found {
            Some((code, _)) => (*code).to_string(),
            None => {
                return Err(BadFilter {
                    option: "--land",
                    value: v.to_string(),
                    suggestion: closest(v, lands.iter().map(|(_, n)| *n)).map(str::to_string),
                })
            }
        });
    }
    Ok(f)
}

/// Exit codes: 0 searched (with or without results), 2 when the collection or a
/// filter is unusable.
pub fn run(root: &Path, args: SearchArgs, cat: &Catalogue) -> i32 {
    let config = match Config::from_root(root) {
        Ok(c) => c,
        Err(d) => {
            print_human(root, &d, cat);
            return 2;
        }
    };
    let filters = match resolve_filters(&args.filters, &config) {
        Ok(f) => f,
        Err(bad) => {
            let mut msg = cat.format(
                "search.bad_filter",
                &[("option", bad.option.to_string()), ("value", bad.value)],
            );
            if let Some(s) = bad.suggestion {
                msg.push(' ');
                msg.push_str(&cat.format("words.did_you_mean", &[("candidate", s)]));
            }
            eprintln!("{}", msg.trim_end());
            return 2;
        }
    };
    let dir = index::index_dir(root);
    // A missing or outdated index, or one an older zirkel wrote, is rebuilt first.
    let usable = site::index_is_current(root) && SearchIndex::open(&dir).is_ok();
    if !usable {
        if !args.json {
            eprintln!("{}", cat.get("search.indexing"));
        }
        if let Err(d) = site::build_index(root) {
            print_human(root, &d, cat);
            return 2;
        }
    }
    let thesaurus = crate::thesaurus::Thesaurus::for_config(&config.search);
    let results = match SearchIndex::open(&dir).and_then(|idx| {
        idx.with_thesaurus(thesaurus).search_explained(
            &args.query,
            &filters,
            args.limit,
            args.explain,
        )
    }) {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "{}",
                cat.format("search.failed", &[("reason", e.to_string())])
            );
            return 2;
        }
    };
    let text = if args.json {
        match serde_json::to_string_pretty(&results) {
            Ok(s) => s + "\n",
            Err(e) => {
                eprintln!(
                    "{}",
                    cat.format("search.failed", &[("reason", e.to_string())])
                );
                return 2;
            }
        }
    } else {
        human(
            &results,
            &args.query,
            &config,
            cat,
            std::io::stdout().is_terminal(),
        )
    };
    // A reader that stops early (`zirkel search … | head`) is no error.
    let _closed_early = std::io::stdout().lock().write_all(text.as_bytes());
    0
}

/// "Results for »sprachkurs Frauen« – did you mean »sprachkurs« instead of
/// »Sprachkrus«?": the query with each corrected word replaced by its term.
pub fn corrected_notice(r: &Results, query: &str, cat: &Catalogue) -> String {
    let mut fixed = query.to_string();
    let mut words = Vec::new();
    for c in &r.corrected {
        fixed = fixed.replacen(&c.word, &c.written, 1);
        words.push(cat.format(
            "search.instead",
            &[("term", c.written.clone()), ("word", c.word.clone())],
        ));
    }
    cat.format(
        "search.corrected",
        &[("query", fixed), ("words", words.join(", "))],
    )
}

/// "Gefunden: »ABH« als »auslanderbehord« (Synonym); »Wohnung« als »wohnung« (exakt)".
/// A partial match holds some words not at all: those say so.
fn explained(h: &crate::index::Hit, cat: &Catalogue) -> String {
    let words: Vec<String> = h
        .explain
        .iter()
        .map(|w| {
            if w.matches.is_empty() {
                return cat.format("search.explain_missing", &[("word", w.word.clone())]);
            }
            let matches: Vec<String> = w
                .matches
                .iter()
                .map(|m| {
                    let how = serde_json::to_value(m.how)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default();
                    cat.format(
                        "search.explain_match",
                        &[
                            ("terms", m.terms.join(" ")),
                            ("how", cat.get(&format!("search.how.{how}")).to_string()),
                        ],
                    )
                })
                .collect();
            cat.format(
                "search.explain_word",
                &[("word", w.word.clone()), ("matches", matches.join(", "))],
            )
        })
        .collect();
    cat.format("search.explain", &[("words", words.join("; "))])
}

/// The results as people read them; matching words in bold on a terminal, in »«
/// otherwise.
pub fn human(r: &Results, query: &str, config: &Config, cat: &Catalogue, tty: bool) -> String {
    let label = crate::config::label_of;
    let mut out = String::new();
    if r.total == 0 {
        out.push_str(&cat.format("search.none", &[("query", query.to_string())]));
        out.push('\n');
        return out;
    }
    if !r.corrected.is_empty() {
        out.push_str(&corrected_notice(r, query, cat));
        out.push('\n');
    }
    if r.partial {
        out.push_str(&cat.format("search.partial", &[]));
        out.push('\n');
    }
    out.push_str(&cat.format(
        "search.total",
        &[
            ("total", r.total.to_string()),
            ("shown", r.results.len().to_string()),
            ("query", query.to_string()),
        ],
    ));
    out.push_str("\n\n");
    let (on, off) = if tty {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("»", "«")
    };
    for (i, h) in r.results.iter().enumerate() {
        out.push_str(&format!(
            "{:>3}. {on}{}{off}  ({:.3})\n",
            i + 1,
            h.title,
            h.score
        ));
        out.push_str(&format!(
            "     {} · {} · {}\n",
            h.district,
            label(&config.fields, &h.field),
            label(&config.outcomes, &h.outcome)
        ));
        let snippet = unescape(&h.snippet.replace("<b>", on).replace("</b>", off));
        if !snippet.trim().is_empty() {
            out.push_str(&format!(
                "     {}\n",
                snippet.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
        if !h.explain.is_empty() {
            out.push_str(&format!("     {}\n", explained(h, cat)));
        }
        out.push_str(&format!("     {}\n\n", h.url));
    }
    out
}

fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "title: T\nfields:\n  - slug: sprache-bildung\n    label: Sprache und Bildung\noutcomes:\n  - slug: gelungen\n    label: gelungen\n",
        )
        .unwrap()
    }

    #[test]
    fn filters_accept_slugs_labels_and_names_and_become_keys() {
        let raw = RawFilters {
            field: Some("Sprache und Bildung".into()),
            district: Some("Steinfurt".into()),
            land: Some("Bayern".into()),
            participation: Some("konsultiert".into()),
            ..RawFilters::default()
        };
        let f = resolve_filters(&raw, &config()).unwrap();
        assert_eq!(f.field.as_deref(), Some("sprache-bildung"));
        assert_eq!(f.district.as_deref(), Some("05566"));
        assert_eq!(f.land.as_deref(), Some("09"));
    }

    #[test]
    fn explain_says_a_word_a_partial_match_lacks_instead_of_an_empty_list() {
        // Regression: a partial match printed "»Gesundheitskarte« als ;".
        use crate::index::{Hit, How, Match, WordMatch};
        let hit = Hit {
            slug: "s".into(),
            title: "T".into(),
            url: "praxis/s.html".into(),
            score: 1.0,
            district: "Landkreis Harz".into(),
            field: "f".into(),
            outcome: "o".into(),
            snippet: String::new(),
            explain: vec![
                WordMatch {
                    word: "Gesundheitskarte".into(),
                    matches: vec![],
                },
                WordMatch {
                    word: "Landkreis".into(),
                    matches: vec![Match {
                        terms: vec!["landkreis".into()],
                        how: How::Exact,
                    }],
                },
            ],
        };
        let line = explained(&hit, Catalogue::german());
        assert_eq!(
            line,
            "Gefunden: »Gesundheitskarte« nicht in diesem Eintrag; »Landkreis« als »landkreis« (exakt)"
        );
    }

    #[test]
    fn an_unknown_filter_value_names_the_option_and_suggests() {
        let raw = RawFilters {
            field: Some("sprache-bildng".into()),
            ..RawFilters::default()
        };
        let bad = resolve_filters(&raw, &config()).unwrap_err();
        assert_eq!(bad.option, "--field");
        assert_eq!(bad.suggestion.as_deref(), Some("sprache-bildung"));
        let raw = RawFilters {
            land: Some("Bayrn".into()),
            ..RawFilters::default()
        };
        assert_eq!(
            resolve_filters(&raw, &config())
                .unwrap_err()
                .suggestion
                .as_deref(),
            Some("Bayern")
        );
    }
}
