//! The static search index: what the site's search runtime loads instead of running
//! tantivy. Every score in it is computed by tantivy's own BM25 (`Bm25Weight`) from
//! the index of record, so the runtime only has to add numbers.
//!
//! Files under `suche/`, each a script calling `zirkelSuche(name, data)` so they load
//! over `file://` too:
//! - `meta.js`: counts and the vocabularies of field, outcome, participation, target
//!   group;
//! - `p/<hex of the term's first two characters>.js`: the dictionary part of those
//!   terms — `[term, df, palette, postings]`, or `[term, df, file]` when the postings
//!   are large and live in `t/<file>.js` as `[palette, postings]`;
//! - `d/<k>.js`: documents `k·CHUNK … k·CHUNK+CHUNK-1`:
//!   `[slug, title, summary, district, field index, outcome index]`;
//! - `f.js`: per-document facet codes, district runs and the district list.
//!
//! Postings are base-64 varints (5 bits a character): per document the gap to the
//! previous one, then the index of its score in the term's palette (the distinct
//! scores, most frequent first). Documents are numbered by district so districts
//! are runs.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

use crate::index::{stored_score, IndexError, SearchDoc, SearchIndex};
use crate::render::OutputFile;

/// Documents per document chunk: a first page of results loads few small files.
pub const CHUNK: usize = 4;
/// Summaries in the document table are cut to about this many characters: the
/// results list shows a snippet, not the whole summary.
const SUMMARY_CHARS: usize = 160;
/// Postings longer than this many characters get their own file.
const INLINE_MAX: usize = 320;
/// The folder of the static index in the site.
pub const DIR: &str = "suche";

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `v` as a varint of base-64 characters carrying 5 bits each.
fn varint(out: &mut String, mut v: u64) {
    while v >= 32 {
        out.push(ALPHABET[(32 | (v & 31)) as usize] as char);
        v >>= 5;
    }
    out.push(ALPHABET[v as usize] as char);
}

/// `v` in exactly `width` base-64 digits.
fn fixed(out: &mut String, v: u64, width: usize) {
    for i in (0..width).rev() {
        out.push(ALPHABET[((v >> (6 * i)) & 63) as usize] as char);
    }
}

fn width(values: u64) -> usize {
    let mut w = 1;
    while values > 1u64 << (6 * w) {
        w += 1;
    }
    w
}

/// The dictionary part a term belongs to: the hex of its first two characters.
pub fn part_key(term: &str) -> String {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    term[..end].bytes().map(|b| format!("{b:02x}")).collect()
}

/// `text` cut at a word boundary after at most `max` characters, with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let end = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end_matches([',', ';', ':', ' ']))
}

/// Where a slug stands in its vocabulary: the number the static index uses for it.
fn position(terms: &[crate::config::Term], slug: &str) -> Option<usize> {
    terms.iter().position(|t| t.slug == slug)
}

fn script(name: &str, data: &serde_json::Value) -> OutputFile {
    OutputFile {
        path: format!("{DIR}/{name}.js"),
        bytes: format!("zirkelSuche({},{});\n", json!(name), data).into_bytes(),
    }
}

/// One term's scores per field occurrence; `scores()` sums them per document.
#[derive(Default)]
struct TermData {
    df: u64,
    postings: Vec<(u32, f32)>,
}

impl TermData {
    /// Per document, the sum over fields, added in field order as tantivy's boolean
    /// query adds its clauses.
    fn scores(&mut self) -> Vec<(u32, f32)> {
        self.postings.sort_by_key(|p| p.0);
        crate::index::sum_fields(std::mem::take(&mut self.postings))
    }
}

/// Every term of the index with its per-document scores.
fn term_scores(index: &SearchIndex) -> Result<BTreeMap<String, TermData>, IndexError> {
    let searcher = index.searcher();
    let mut terms: BTreeMap<String, TermData> = BTreeMap::new();
    for scorer in index.field_scorers(&searcher)? {
        let mut stream = scorer.inverted.terms().stream()?;
        while stream.advance() {
            let Ok(text) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let info = stream.value();
            let data = terms.entry(text.to_string()).or_default();
            data.df += u64::from(info.doc_freq);
            scorer.push(text, info, &mut data.postings)?;
        }
    }
    Ok(terms)
}

/// Postings in document order as `[palette, postings]`: the distinct (rounded)
/// scores, most frequent first, and per document its gap and palette index.
fn encode_postings(scores: &[(u32, f32)]) -> serde_json::Value {
    // Distinct scores by their bits, each rounded once: rounding goes through
    // decimal formatting, too slow to repeat for millions of postings.
    let mut bits: Vec<u32> = scores.iter().map(|p| p.1.to_bits()).collect();
    bits.sort_unstable();
    let mut distinct: Vec<(u32, usize)> = Vec::new();
    for b in bits {
        match distinct.last_mut() {
            Some(last) if last.0 == b => last.1 += 1,
            _ => distinct.push((b, 1)),
        }
    }
    let values: Vec<u64> = distinct
        .iter()
        .map(|(b, _)| stored_score(f32::from_bits(*b)).to_bits())
        .collect();
    let mut palette: Vec<(u64, usize)> = Vec::new();
    let mut by_value: Vec<(u64, usize)> = values
        .iter()
        .zip(&distinct)
        .map(|(v, (_, n))| (*v, *n))
        .collect();
    by_value.sort_unstable_by_key(|p| p.0);
    for (v, n) in by_value {
        match palette.last_mut() {
            Some(last) if last.0 == v => last.1 += n,
            _ => palette.push((v, n)),
        }
    }
    palette.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(f64::from_bits(b.0).total_cmp(&f64::from_bits(a.0)))
    });
    let mut slot_of_value: Vec<(u64, u64)> = palette
        .iter()
        .enumerate()
        .map(|(i, (v, _))| (*v, i as u64))
        .collect();
    slot_of_value.sort_unstable();
    let slot = |v: u64| {
        slot_of_value
            .binary_search_by_key(&v, |p| p.0)
            .map_or(0, |i| slot_of_value[i].1)
    };
    let slots: Vec<u64> = values.iter().map(|v| slot(*v)).collect();
    let mut out = String::new();
    let mut next = 0u64;
    for &(n, s) in scores {
        let n = u64::from(n);
        let i = distinct
            .binary_search_by_key(&s.to_bits(), |p| p.0)
            .unwrap_or(0);
        varint(&mut out, n - next);
        varint(&mut out, slots[i]);
        next = n + 1;
    }
    let palette: Vec<f64> = palette.iter().map(|(b, _)| f64::from_bits(*b)).collect();
    json!([palette, out])
}

/// The vocabularies the runtime shows facets with.
pub struct Vocab<'a> {
    pub fields: &'a [crate::config::Term],
    pub outcomes: &'a [crate::config::Term],
    pub target_groups: &'a [crate::config::Term],
    pub participation: &'a [&'a str],
    /// AGS → display name, for every district that has entries.
    pub districts: BTreeMap<String, String>,
    /// Land code → name.
    pub lands: &'a [(&'a str, &'a str)],
}

/// The files of the static index, from the index of record and its documents
/// (numbered as in the index).
pub fn export(
    index: &SearchIndex,
    docs: &[SearchDoc],
    vocab: &Vocab,
) -> Result<Vec<OutputFile>, IndexError> {
    let mut terms = term_scores(index)?;
    let term_count = terms.len();
    let mut out = Vec::new();
    let mut parts: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    let mut files = 0usize;
    for (term, data) in &mut terms {
        let postings = encode_postings(&data.scores());
        let entry = if postings[1].as_str().map_or(0, str::len) > INLINE_MAX {
            out.push(script(&format!("t/{files}"), &postings));
            files += 1;
            json!([term, data.df, files - 1])
        } else {
            json!([term, data.df, postings[0], postings[1]])
        };
        parts.entry(part_key(term)).or_default().push(entry);
    }
    let keys: Vec<String> = parts.keys().cloned().collect();
    for (key, entries) in parts {
        out.push(script(
            &format!("p/{key}"),
            &serde_json::Value::Array(entries),
        ));
    }
    for (k, chunk) in docs.chunks(CHUNK).enumerate() {
        let rows: Vec<_> = chunk
            .iter()
            .map(|d| {
                json!([
                    d.slug,
                    d.title,
                    shorten(&d.summary, SUMMARY_CHARS),
                    d.district_label,
                    position(vocab.fields, &d.field).unwrap_or(0),
                    position(vocab.outcomes, &d.outcome).unwrap_or(0)
                ])
            })
            .collect();
        out.push(script(&format!("d/{k}"), &json!(rows)));
    }
    out.push(script("f", &facets(docs, vocab)));
    let terms_of = |t: &[crate::config::Term]| -> Vec<_> {
        t.iter().map(|t| json!([t.slug, t.label])).collect()
    };
    out.push(script(
        "meta",
        &json!({
            "version": 1,
            "docs": docs.len(),
            "chunk": CHUNK,
            "prefixTerms": crate::index::PREFIX_TERMS,
            "prefixMinChars": crate::index::PREFIX_MIN_CHARS,
            "terms": term_count,
            // Which dictionary parts exist: the runtime never asks for a missing file.
            "parts": keys.join(" "),
            "field": terms_of(vocab.fields),
            "outcome": terms_of(vocab.outcomes),
            "target_group": terms_of(vocab.target_groups),
            "participation": vocab.participation,
            "land": vocab.lands.iter().map(|(c, n)| json!([c, n])).collect::<Vec<_>>(),
        }),
    ));
    Ok(out)
}

/// Per-document facet codes: field and outcome as one fixed-width number, target
/// groups as bit masks of six groups a character; participation (often left out) as a document list per
/// value; districts as runs (documents are numbered by their first district) plus
/// the further districts of entries naming several.
fn facets(docs: &[SearchDoc], vocab: &Vocab) -> serde_json::Value {
    let no = vocab.outcomes.len() as u64;
    let w = width(vocab.fields.len() as u64 * no);
    let wg = vocab.target_groups.len().div_ceil(6).max(1);
    let districts: Vec<&String> = vocab.districts.keys().collect();
    let district_idx: HashMap<&str, usize> = districts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.as_str(), i))
        .collect();
    let mut codes = String::new();
    let mut groups = String::new();
    let mut participation = vec![(String::new(), 0u64); vocab.participation.len()];
    let mut runs = vec![0u64; districts.len()];
    let mut extra = Vec::new();
    for d in docs {
        let get = |k: &'static str| {
            d.facets
                .iter()
                .filter(move |(f, _)| *f == k)
                .map(|(_, v)| v.as_str())
        };
        let f = position(vocab.fields, &d.field).unwrap_or(0) as u64;
        let o = position(vocab.outcomes, &d.outcome).unwrap_or(0) as u64;
        fixed(&mut codes, f * no + o, w);
        // Six groups a character, so any number of groups fits.
        let mut mask = vec![0u8; wg];
        for g in get("target_group") {
            if let Some(i) = position(vocab.target_groups, g) {
                mask[i / 6] |= 1 << (i % 6);
            }
        }
        groups.extend(mask.iter().map(|m| ALPHABET[*m as usize] as char));
        for v in get("participation") {
            if let Some(i) = vocab.participation.iter().position(|x| *x == v) {
                let (list, next) = &mut participation[i];
                varint(list, d.n - *next);
                *next = d.n + 1;
            }
        }
        for (i, ags) in get("district").enumerate() {
            let Some(&di) = district_idx.get(ags) else {
                continue;
            };
            if i == 0 {
                runs[di] += 1;
            } else {
                extra.push(json!([d.n, di]));
            }
        }
    }
    json!({
        "width": w,
        "groupWidth": wg,
        "codes": codes,
        "groups": groups,
        "participation": participation.into_iter().map(|(l, _)| l).collect::<Vec<_>>(),
        "districts": districts.iter().map(|a| json!([a, vocab.districts[*a]])).collect::<Vec<_>>(),
        "runs": runs,
        "extra": extra,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_use_five_bits_a_character() {
        let mut s = String::new();
        varint(&mut s, 0);
        varint(&mut s, 31);
        varint(&mut s, 32);
        assert_eq!(s, "Af".to_string() + "gB");
    }

    #[test]
    fn long_summaries_are_cut_at_a_word() {
        assert_eq!(shorten("kurz", 10), "kurz");
        assert_eq!(shorten("eins zwei, drei vier", 12), "eins zwei…");
    }

    #[test]
    fn part_keys_are_the_hex_of_the_first_two_characters() {
        assert_eq!(part_key("sprach"), "7370");
        assert_eq!(part_key("x"), "78");
        assert_eq!(part_key("ça"), "c3a761");
    }
}
