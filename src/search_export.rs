//! The static search index: what the site's search runtime loads instead of running
//! tantivy. Every score in it is computed by tantivy's own BM25 (`Bm25Weight`) from
//! the index of record, so the runtime only has to add numbers.
//!
//! Files under `suche/`, each a script calling `zirkelSuche(name, data)` so they load
//! over `file://` too:
//! - `meta.js`: counts and the vocabularies of field, outcome, participation, target
//!   group;
//! - `p/<hex of the term's first two characters>.js`: the dictionary part of those
//!   terms — `[term, df, postings]`, or `[term, df, file]` when the postings are
//!   large and live in `t/<file>.js` (with `[[n, row], …]`, the rows of the term's
//!   best-scoring documents, `ROWS_CARRIED`: the first result is often among them,
//!   and then needs no request) — the thesaurus expansions of those terms
//!   (`{term: [[term, …], …]}`) and the bundles of words whose own term is there
//!   (`{set_key(terms): n}`);
//! - `d/<n>.js`: document `n`: `[slug, title, summary, district, field index,
//!   outcome index]`, one file each, so the first page of results loads about 3 KB;
//! - `x/<n>.js`: a bundle, the postings files of all the terms one typed word
//!   matches (`bundle_sets`), `[[[file, postings], …], [[n, row], …]]` with the
//!   rows of the word's best documents;
//! - `w/<part key>.js`: how the collection writes the terms of that part
//!   (`{term: "spelling spelling …"}`, the most frequent first), for the notice of
//!   a corrected word;
//! - `f.js`: per-document facet codes, district runs and the district list; the
//!   search page loads it only for the filter counts;
//! - `b/t<file>.js` and `b/p<part key>.js`: where the terms stand, by block
//!   (`encode_blocks`): of the terms with their own postings file, and of the other
//!   terms of a part (`{term: blocks}`); only a query compound's parts load them.
//!
//! Postings (`encode_postings`) are a bit stream in base-64 characters: per document
//! its gap (Elias gamma) and a canonical Huffman code of its score. Documents are
//! numbered by district so districts are runs.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde_json::json;

use crate::analyze::FastHash;
use crate::index::{stored_score, IndexError, SearchDoc, SearchIndex};
use crate::render::OutputFile;
use crate::thesaurus::Thesaurus;

/// Summaries in the document table are cut to about this many characters: the
/// results list shows a snippet, not the whole summary.
const SUMMARY_CHARS: usize = 160;
/// Postings longer than this many characters get their own file.
const INLINE_MAX: usize = 320;
/// Bundles together take at most this share of the bytes of the postings files: each
/// repeats postings that also have their own file.
const BUNDLE_SHARE: f64 = 0.5;
/// Rows carried with each postings file and bundle: of the documents with the
/// highest scores. A one-word query shows the first of them first. Over the query
/// sets on 10,000 entries, the first result's row comes with the postings for 376 of
/// 745 queries, against 175 with one row a file (BENCHMARKS.md).
const ROWS_CARRIED: usize = 5;
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

/// The first two characters of the terms of a part, from its key.
fn part_prefix(key: &str) -> String {
    let bytes: Vec<u8> = (0..key.len() / 2)
        .filter_map(|i| u8::from_str_radix(&key[2 * i..2 * i + 2], 16).ok())
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
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

/// The terms of the index, sorted, each once.
fn term_names(scorers: &[crate::index::FieldScorer]) -> Result<Vec<String>, IndexError> {
    let mut names = std::collections::BTreeSet::new();
    for scorer in scorers {
        let mut stream = scorer.inverted.terms().stream()?;
        while stream.advance() {
            if let Ok(text) = std::str::from_utf8(stream.key()) {
                if !names.contains(text) {
                    names.insert(text.to_string());
                }
            }
        }
    }
    Ok(names.into_iter().collect())
}

/// Appends bits to a string of base-64 characters, six bits a character, most
/// significant bit first.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    /// The bits not yet written, fewer than six, in the low bits.
    acc: u64,
    len: u32,
}

impl Bits {
    /// Appends the low `count` bits of `value`. Whole groups at a time: the export
    /// writes some hundred million bits for 10,000 entries.
    fn push(&mut self, value: u64, count: u32) {
        if count > 32 {
            self.push(value >> 32, count - 32);
            self.push(value & 0xffff_ffff, 32);
            return;
        }
        let value = value & ((1u64 << count) - 1);
        self.acc = self.acc << count | value;
        self.len += count;
        while self.len >= 6 {
            self.len -= 6;
            self.out
                .push(ALPHABET[((self.acc >> self.len) & 63) as usize]);
        }
        self.acc &= (1u64 << self.len) - 1;
    }

    /// Elias gamma code of `v` ≥ 1: as many zeros as `v` has bits after its first,
    /// then `v`. A gap of one document costs one bit.
    fn gamma(&mut self, v: u64) {
        let bits = 64 - v.leading_zeros();
        // `v` written `2 * bits - 1` wide is the zeros and `v` in one push.
        self.push(v, 2 * bits - 1);
    }

    fn finish(mut self) -> String {
        if self.len > 0 {
            let pad = 6 - self.len;
            self.push(0, pad);
        }
        String::from_utf8(self.out).expect("base-64 characters are ASCII")
    }
}

/// The blocks of a term's postings, in their order: per document the number of
/// blocks, the first block plus one, then the gaps, all Elias gamma. Only a query
/// compound's parts load them, to see whether they stand in one block.
fn encode_blocks(mut blocks: Vec<(u32, u32)>) -> String {
    // Stable: the pairs come as sorted runs, one per (segment, field), and the
    // stable sort merges runs.
    blocks.sort();
    blocks.dedup();
    let mut bits = Bits::default();
    for run in blocks.chunk_by(|a, b| a.0 == b.0) {
        bits.gamma(run.len() as u64);
        let mut last = None;
        for &(_, b) in run {
            bits.gamma(match last {
                None => u64::from(b) + 1,
                Some(l) => u64::from(b - l),
            });
            last = Some(b);
        }
    }
    bits.finish()
}

/// The longest score code: the runtime decodes by a table of 2^length entries and
/// reads at most 24 bits at a time (`engine.js` `decode`).
const MAX_CODE_BITS: u32 = 16;

/// Huffman code lengths for the given symbol frequencies (all > 0), none over
/// [`MAX_CODE_BITS`] unless the symbols need more: where a skewed distribution would
/// make longer codes, the frequencies are halved (rounding up) until it does not.
/// Real score distributions stay far below (13 bits at most for 10,000 entries), so
/// their codes are plain Huffman codes.
fn huffman_lengths(freqs: &[u64]) -> Vec<u32> {
    // The fewest bits that tell the symbols apart: ceil(log2(symbols)).
    let floor = freqs.len().next_power_of_two().trailing_zeros();
    let limit = MAX_CODE_BITS.max(floor);
    let mut freqs = freqs.to_vec();
    loop {
        let lengths = unlimited_huffman_lengths(&freqs);
        if lengths.iter().all(|&l| l <= limit) {
            return lengths;
        }
        freqs.iter_mut().for_each(|f| *f = f.div_ceil(2));
    }
}

/// Huffman code lengths without a limit. One symbol alone gets length 1, so every
/// document still takes a bit.
fn unlimited_huffman_lengths(freqs: &[u64]) -> Vec<u32> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    if freqs.len() == 1 {
        return vec![1];
    }
    // Nodes: leaves first, then inner nodes; parent links give each leaf's depth.
    let mut parent = vec![usize::MAX; freqs.len()];
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = freqs
        .iter()
        .enumerate()
        .map(|(i, f)| Reverse((*f, i)))
        .collect();
    while heap.len() > 1 {
        let (Some(Reverse((fa, a))), Some(Reverse((fb, b)))) = (heap.pop(), heap.pop()) else {
            break;
        };
        let node = parent.len();
        parent.push(usize::MAX);
        parent[a] = node;
        parent[b] = node;
        heap.push(Reverse((fa + fb, node)));
    }
    // Inner nodes are created after their children, so depths fill from the root.
    let mut depth = vec![0u32; parent.len()];
    for node in (0..parent.len()).rev() {
        if parent[node] != usize::MAX {
            depth[node] = depth[parent[node]] + 1;
        }
    }
    depth.truncate(freqs.len());
    depth
}

/// A stored score (six significant digits) as an integer that orders like the
/// score: exponent and mantissa. 0 stands for a zero score. The runtime turns it
/// back into the same decimal text, so both sides parse the same number.
fn score_key(v: f64) -> u64 {
    let text = format!("{v:.5e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let m: u64 = mantissa.replace('.', "").parse().unwrap_or(0);
    let e: i64 = exp.parse().unwrap_or(0);
    if m < 100_000 {
        return 0;
    }
    ((e + 30).max(0) as u64) * 900_000 + (m - 100_000) + 1
}

/// `score_key(stored_score(s))` without the decimal text in between.
fn stored_key(s: f32) -> u64 {
    match crate::index::six_digits(s) {
        Some((digits, exp)) => ((exp + 30).max(0) as u64) * 900_000 + (digits - 100_000) + 1,
        None => score_key(stored_score(s)),
    }
}

/// Postings in document order as `[n, counts, palette, bits]`:
/// - the distinct (rounded) scores get a canonical Huffman code by how often they
///   occur; `counts[l-1]` is how many codes have `l` bits;
/// - `palette`: the scores in code order (by code length, then by value) as
///   zigzag varints of the difference of their `score_key`s;
/// - `bits`: per document the gap to the previous one plus one, Elias gamma coded,
///   then its score's code.
///
/// Dense terms cost about a bit for the document and the entropy of their scores.
fn encode_postings(scores: &[(u32, f32)]) -> serde_json::Value {
    // Distinct scores by their bits, each rounded once: rounding goes through
    // decimal formatting, too slow to repeat for millions of postings. Each posting
    // is looked up once, by hash: a search per posting took a tenth of the export.
    let mut slot_of: HashMap<u32, u32, FastHash> = HashMap::default();
    let mut bits: Vec<u32> = Vec::new();
    let slots: Vec<u32> = scores
        .iter()
        .map(|p| {
            let b = p.1.to_bits();
            *slot_of.entry(b).or_insert_with(|| {
                bits.push(b);
                bits.len() as u32 - 1
            })
        })
        .collect();
    let keys: Vec<u64> = bits
        .iter()
        .map(|b| stored_key(f32::from_bits(*b)))
        .collect();
    // Frequency per distinct key.
    let mut per_slot = vec![0u64; bits.len()];
    for &i in &slots {
        per_slot[i as usize] += 1;
    }
    let mut freq: BTreeMap<u64, u64> = BTreeMap::new();
    for (k, n) in keys.iter().zip(per_slot) {
        *freq.entry(*k).or_default() += n;
    }
    let symbols: Vec<(u64, u64)> = freq.into_iter().collect();
    let lengths = huffman_lengths(&symbols.iter().map(|s| s.1).collect::<Vec<_>>());
    // Canonical order: by code length, then by key (symbols are in key order).
    let mut order: Vec<usize> = (0..symbols.len()).collect();
    order.sort_by_key(|&i| (lengths[i], symbols[i].0));
    let max = lengths.iter().copied().max().unwrap_or(1);
    let mut counts = vec![0u64; max as usize];
    for &l in &lengths {
        counts[l as usize - 1] += 1;
    }
    let mut code_of: HashMap<u64, (u64, u32)> = HashMap::with_capacity(order.len());
    let mut palette = String::new();
    let (mut code, mut len, mut prev) = (0u64, 1u32, 0i64);
    for &i in &order {
        while len < lengths[i] {
            code <<= 1;
            len += 1;
        }
        code_of.insert(symbols[i].0, (code, len));
        code += 1;
        let key = symbols[i].0 as i64;
        let delta = key - prev;
        varint(&mut palette, ((delta << 1) ^ (delta >> 63)) as u64);
        prev = key;
    }
    // Each distinct score's code, by its slot.
    let codes: Vec<(u64, u32)> = keys.iter().map(|k| code_of[k]).collect();
    let mut out = Bits::default();
    let mut next = 0u64;
    for (&(n, _), &i) in scores.iter().zip(&slots) {
        let n = u64::from(n);
        out.gamma(n - next + 1);
        let (c, l) = codes[i as usize];
        out.push(c, l);
        next = n + 1;
    }
    json!([scores.len(), counts, palette, out.finish()])
}

/// A term's postings, encoded, with what the export still needs of them.
struct Encoded {
    postings: serde_json::Value,
    /// Characters of `postings` as JSON: above `INLINE_MAX` they get their own file.
    size: usize,
    places: String,
    /// For a postings file, the documents with the highest scores (`top_docs`).
    top: Vec<u32>,
    scores: Vec<(u32, f32)>,
}

/// A term with its own postings file: its number, the postings without the row and
/// their size.
struct Own {
    file: usize,
    postings: serde_json::Value,
    size: usize,
}

/// The sets of terms that typed words match (`index::word_terms`) where two or more of
/// them have their own postings file, with those files' size: what a bundle saves is
/// requests, about 5 ms each for a browser on a slow office PC (BENCHMARKS.md). The
/// typed words are the collection's spellings of its terms (or the terms themselves),
/// as the last word of a query and as another; only sets whose own term's dictionary
/// part exists (`has_part`), for the runtime finds the bundle there. Most frequent own
/// term first, so a byte budget keeps the bundles of the words most searched for.
fn bundle_sets(
    terms: &BTreeMap<String, u64>,
    spellings: &crate::analyze::Spellings,
    own: &HashMap<&str, Own, FastHash>,
    has_part: impl Fn(&str) -> bool + Sync,
) -> Vec<(Vec<String>, usize)> {
    let df = |t: &str| Ok::<u64, std::convert::Infallible>(terms.get(t).copied().unwrap_or(0));
    let prefixed = |p: &str| {
        Ok(terms
            .range(p.to_string()..)
            .take_while(|(t, _)| t.starts_with(p))
            .map(|(t, df)| (t.clone(), *df))
            .collect())
    };
    // A set's frequency and size depend on the set alone, so the words are looked at
    // on all cores and the sets merged after, in any order.
    let all: Vec<&String> = terms.keys().collect();
    let found: Vec<(Vec<String>, (u64, usize))> = all
        .par_iter()
        .flat_map_iter(|term| {
            let written = spellings.of(term);
            let typed = if written.is_empty() {
                std::slice::from_ref(*term)
            } else {
                written
            };
            let mut out = Vec::new();
            for word in typed {
                let Some(folded) = crate::analyze::folded(word) else {
                    continue;
                };
                if crate::analyze::is_stop_word(&folded) {
                    continue;
                }
                for last in [false, true] {
                    let Ok((set, _)) = crate::index::word_terms(&folded, last, df, prefixed);
                    let sizes: Vec<usize> = set
                        .iter()
                        .filter_map(|t| own.get(t.as_str()))
                        .map(|o| o.size)
                        .collect();
                    if sizes.len() < 2 || !has_part(&set[0]) {
                        continue;
                    }
                    let first = df(&set[0]).unwrap_or(0);
                    out.push((set, (first, sizes.iter().sum())));
                }
            }
            out
        })
        .collect();
    let sets: BTreeMap<Vec<String>, (u64, usize)> = found.into_iter().collect();
    let mut sets: Vec<(Vec<String>, (u64, usize))> = sets.into_iter().collect();
    // Stable: of equally frequent own terms, the sets in term order.
    sets.sort_by_key(|s| std::cmp::Reverse(s.1 .0));
    sets.into_iter().map(|(s, (_, size))| (s, size)).collect()
}

/// The documents with the highest sums of the given terms' scores, added per document
/// in the terms' order as the runtime adds them: a one-word query shows them first.
fn word_top<'a>(lists: impl Iterator<Item = &'a Vec<(u32, f32)>>) -> Vec<u32> {
    let mut sum: HashMap<u32, f64, FastHash> = HashMap::default();
    // Rounding goes through decimal text: once per distinct score.
    let mut stored: HashMap<u32, f64, FastHash> = HashMap::default();
    for list in lists {
        for &(n, s) in list {
            let v = *stored.entry(s.to_bits()).or_insert_with(|| stored_score(s));
            *sum.entry(n).or_insert(0.0) += v;
        }
    }
    top_docs(sum.into_iter())
}

/// The `ROWS_CARRIED` documents with the highest scores, best first; of equal scores
/// the first document, as the runtime ranks.
fn top_docs(scores: impl Iterator<Item = (u32, f64)>) -> Vec<u32> {
    let mut all: Vec<(u32, f64)> = scores.collect();
    let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if all.len() > ROWS_CARRIED {
        all.select_nth_unstable_by(ROWS_CARRIED - 1, order);
        all.truncate(ROWS_CARRIED);
    }
    all.sort_by(order);
    all.into_iter().map(|p| p.0).collect()
}

/// `[[n, row], …]` of the given documents.
fn carried(docs: &[u32], rows: &HashMap<u64, serde_json::Value, FastHash>) -> serde_json::Value {
    docs.iter()
        .filter_map(|&n| Some(json!([n, rows.get(&u64::from(n))?])))
        .collect()
}

/// How a dictionary part names the bundle of a set of terms: a 32-bit FNV-1a hash
/// of the terms joined by spaces (UTF-16 units, as JavaScript strings hold them), in
/// base 36; the runtime hashes a word's terms alike (`engine.js` `setKey`). A
/// collision costs nothing but requests: the runtime takes from a bundle only the
/// files the word's terms name.
fn set_key(terms: &[String]) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for u in terms.join(" ").encode_utf16() {
        h = (h ^ u32::from(u)).wrapping_mul(16_777_619);
    }
    let mut digits = Vec::new();
    loop {
        digits.push(char::from_digit(h % 36, 36).unwrap_or('0'));
        h /= 36;
        if h == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}

/// A document's row in the document table (`d/<n>.js`): `[slug, title, summary,
/// district, field index, outcome index]`.
fn row(d: &SearchDoc, vocab: &Vocab) -> serde_json::Value {
    json!([
        d.slug,
        d.title,
        shorten(&d.summary, SUMMARY_CHARS),
        d.district_label,
        position(vocab.fields, &d.field).unwrap_or(0),
        position(vocab.outcomes, &d.outcome).unwrap_or(0)
    ])
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
    thesaurus: &Thesaurus,
) -> Result<Vec<OutputFile>, IndexError> {
    let searcher = index.searcher();
    let scorers = index.field_scorers(&searcher)?;
    let names = term_names(&scorers)?;
    let term_count = names.len();
    // (file name, data): serialized in parallel at the end.
    let mut out: Vec<(String, serde_json::Value)> = Vec::new();
    let mut parts: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    // The blocks of the terms whose postings are inline, by dictionary part.
    let mut blocks: BTreeMap<String, serde_json::Map<String, serde_json::Value>> = BTreeMap::new();
    let mut files = 0usize;
    let rows: HashMap<u64, serde_json::Value, FastHash> =
        docs.par_iter().map(|d| (d.n, row(d, vocab))).collect();
    // Each term read and encoded on its own, in parallel: most of the export's time,
    // and a term's postings and places are let go as soon as they are encoded (for
    // 10,000 entries they are over 100 MB together).
    let read: Vec<(u64, Encoded)> = names
        .par_iter()
        .map(|name| {
            let mut places = Vec::new();
            let (df, scores) = crate::index::read_term(&scorers, name, Some(&mut places))?;
            let postings = encode_postings(&scores);
            let size = postings.to_string().len();
            // The best documents: their rows go with a postings file.
            let top = if size > INLINE_MAX {
                top_docs(scores.iter().map(|&(n, s)| (n, f64::from(s))))
            } else {
                Vec::new()
            };
            let places = encode_blocks(places);
            Ok((
                df,
                Encoded {
                    postings,
                    size,
                    places,
                    top,
                    scores,
                },
            ))
        })
        .collect::<Result<_, IndexError>>()?;
    let (dfs, encoded): (Vec<u64>, Vec<Encoded>) = read.into_iter().unzip();
    // Each term's document frequency.
    let terms: BTreeMap<String, u64> = names.into_iter().zip(dfs).collect();
    // Terms with their own postings file, and every term's scores for the bundles.
    let mut own: HashMap<&str, Own, FastHash> = HashMap::default();
    let mut scores: HashMap<&str, Vec<(u32, f32)>, FastHash> =
        HashMap::with_capacity_and_hasher(terms.len(), FastHash::default());
    let mut own_bytes = 0;
    for ((term, df), e) in terms.iter().zip(encoded) {
        let key = part_key(term);
        scores.insert(term, e.scores);
        let mut postings = e.postings;
        let entry = if e.size > INLINE_MAX {
            own.insert(
                term,
                Own {
                    file: files,
                    postings: postings.clone(),
                    size: e.size,
                },
            );
            own_bytes += e.size;
            if let Some(file) = postings.as_array_mut() {
                file.push(carried(&e.top, &rows));
            }
            out.push((format!("t/{files}"), postings));
            out.push((format!("b/t{files}"), json!(e.places)));
            files += 1;
            json!([term, df, files - 1])
        } else {
            blocks
                .entry(key.clone())
                .or_default()
                .insert(term.clone(), json!(e.places));
            json!([term, df, postings])
        };
        parts.entry(key).or_default().push(entry);
    }
    // Bundles, each listed in the dictionary part of its word's own term.
    let mut bundled: BTreeMap<String, serde_json::Map<String, serde_json::Value>> = BTreeMap::new();
    let sets = bundle_sets(&terms, index.spellings(), &own, |t| {
        parts.contains_key(&part_key(t))
    });
    let budget = (own_bytes as f64 * BUNDLE_SHARE) as usize;
    let mut spent = 0;
    let within = sets.into_iter().take_while(|s| {
        spent += s.1;
        spent <= budget
    });
    let within: Vec<(Vec<String>, usize)> = within.collect();
    let bundles: Vec<serde_json::Value> = within
        .par_iter()
        .map(|(set, _)| {
            let top = word_top(set.iter().filter_map(|t| scores.get(t.as_str())));
            let files: Vec<_> = set
                .iter()
                .filter_map(|t| own.get(t.as_str()))
                .map(|o| json!([o.file, o.postings]))
                .collect();
            json!([files, carried(&top, &rows)])
        })
        .collect();
    for (n, ((set, _), bundle)) in within.iter().zip(bundles).enumerate() {
        out.push((format!("x/{n}"), bundle));
        bundled
            .entry(part_key(&set[0]))
            .or_default()
            .insert(set_key(set), json!(n));
    }
    drop(scores);
    for (key, map) in blocks {
        out.push((format!("b/p{key}"), serde_json::Value::Object(map)));
    }
    // The thesaurus by dictionary part, in the part's file: the runtime loads the two
    // together, one request a query word instead of two. Only the expansions the
    // collection can match (`Thesaurus::matchable`, as `zirkel search` expands).
    let known: std::collections::HashSet<&str> = terms.keys().map(String::as_str).collect();
    let mut synonyms: BTreeMap<String, serde_json::Map<String, serde_json::Value>> =
        BTreeMap::new();
    for (term, alts) in thesaurus.iter() {
        let alts = Thesaurus::matchable(alts, |t| known.contains(t));
        if !alts.is_empty() {
            synonyms
                .entry(part_key(term))
                .or_default()
                .insert(term.clone(), json!(alts));
        }
    }
    for key in synonyms.keys() {
        parts.entry(key.clone()).or_default();
    }
    // How the collection writes the terms, by part: only a corrected word's page
    // notice loads one. Every part has its file, so the runtime asks for none missing.
    let mut written: BTreeMap<String, serde_json::Map<String, serde_json::Value>> = parts
        .keys()
        .map(|k| (k.clone(), Default::default()))
        .collect();
    for (term, spellings) in index.spellings().iter() {
        if let Some(m) = written.get_mut(&part_key(term)) {
            // Spellings are single words: one string, split at spaces.
            m.insert(term.to_string(), json!(spellings.join(" ")));
        }
    }
    for (key, map) in written {
        out.push((format!("w/{key}"), serde_json::Value::Object(map)));
    }
    // Each part by its terms' first two characters: the runtime makes the keys.
    let prefixes: Vec<String> = parts.keys().map(|k| part_prefix(k)).collect();
    for (key, entries) in parts {
        let expansions = synonyms.remove(&key).unwrap_or_default();
        let data = match bundled.remove(&key) {
            Some(b) => json!([entries, expansions, b]),
            None => json!([entries, expansions]),
        };
        out.push((format!("p/{key}"), data));
    }
    let mut rows = rows;
    for d in docs {
        if let Some(row) = rows.remove(&d.n) {
            out.push((format!("d/{}", d.n), row));
        }
    }
    out.push(("f".into(), facets(docs, vocab)));
    let terms_of = |t: &[crate::config::Term]| -> Vec<_> {
        t.iter().map(|t| json!([t.slug, t.label])).collect()
    };
    out.push((
        "meta".into(),
        json!({
            // 2: the thesaurus inside the dictionary parts (no s/), expandBelow.
            "version": 2,
            "docs": docs.len(),
            "prefixTerms": crate::index::PREFIX_TERMS,
            "prefixMinChars": crate::index::PREFIX_MIN_CHARS,
            "headPrefixMin": crate::index::HEAD_PREFIX_MIN,
            "correctMinChars": crate::index::CORRECT_MIN_CHARS,
            "weight": crate::thesaurus::WEIGHT,
            "expandBelow": crate::index::expand_below(docs.len() as u64),
            // How a query compound splits (analyze::query_splits; no link is tried first).
            "links": crate::analyze::LINKS,
            "splitMin": crate::analyze::QUERY_MIN_PART,
            "splits": crate::analyze::QUERY_SPLITS,
            "maxPhrase": crate::thesaurus::MAX_PHRASE,
            // Folded: query words the runtime leaves out (analyze::stop_words).
            "stop": crate::analyze::stop_words().iter().map(String::as_str).collect::<Vec<_>>().join(" "),
            "terms": term_count,
            // Which dictionary parts exist: the runtime never asks for a missing file.
            "parts": prefixes.join(" "),
            "field": terms_of(vocab.fields),
            "outcome": terms_of(vocab.outcomes),
            "target_group": terms_of(vocab.target_groups),
            "participation": vocab.participation,
            "land": vocab.lands.iter().map(|(c, n)| json!([c, n])).collect::<Vec<_>>(),
        }),
    ));
    Ok(out
        .into_par_iter()
        .map(|(name, data)| script(&name, &data))
        .collect())
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

    /// A collection of `n` entries whose words are common enough that terms get
    /// postings files and bundles.
    fn generated_docs(n: u64) -> std::sync::Arc<[SearchDoc]> {
        let words = [
            "Sprachkurs",
            "Sprachkurse",
            "Landkreis",
            "Landkreise",
            "Ehrenamt",
            "Ehrenamtliche",
            "Koordination",
            "Jobcenter",
            "Ausbildung",
            "Betriebe",
            "Wohnung",
            "Flüchtlinge",
            "Fluechtlinge",
            "Frauensprachkurs",
            "Kinderbetreuung",
        ];
        let pick = |n: u64, k: u64| words[((n * 7 + k * 13) % words.len() as u64) as usize];
        (0..n)
            .map(|n| {
                let body: Vec<&str> = (0..12 + n % 9).map(|k| pick(n, k)).collect();
                SearchDoc {
                    n,
                    slug: format!("e{n}"),
                    url: format!("praxis/e{n}.html"),
                    title: format!("{} im Landkreis {}", pick(n, 1), n % 17),
                    summary: format!("{} und {}", pick(n, 2), pick(n, 3)),
                    body: format!("{}\n\n{}", body[..6].join(" "), body[6..].join(" ")),
                    tags: pick(n, 4).to_string(),
                    actors: "Jobcenter".into(),
                    place: "Landkreis Harburg Niedersachsen".into(),
                    topic: "Sprache Erfolg".into(),
                    district_label: "Landkreis Harburg".into(),
                    field: "sprache".into(),
                    outcome: "erfolg".into(),
                    facets: vec![("district", "03353".into()), ("field", "sprache".into())],
                }
            })
            .collect()
    }

    fn exported(index: &SearchIndex, docs: &[SearchDoc]) -> BTreeMap<String, Vec<u8>> {
        let vocab = Vocab {
            fields: &[],
            outcomes: &[],
            target_groups: &[],
            participation: &[],
            districts: BTreeMap::new(),
            lands: &[],
        };
        export(index, docs, &vocab, &Thesaurus::default())
            .unwrap()
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect()
    }

    #[test]
    fn the_static_index_is_the_same_however_tantivy_splits_the_documents_into_segments() {
        let docs = generated_docs(1_200);
        let whole = SearchIndex::create_in_ram_committing(&docs, usize::MAX).unwrap();
        let split = SearchIndex::create_in_ram_committing(&docs, 250).unwrap();
        assert!(split.searcher().segment_readers().len() >= 5);
        let (a, b) = (exported(&whole, &docs), exported(&split, &docs));
        assert!(
            a.keys().any(|p| p.starts_with("suche/t/")),
            "no postings file"
        );
        assert!(a.keys().any(|p| p.starts_with("suche/x/")), "no bundle");
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (path, bytes) in &a {
            assert!(b[path] == *bytes, "{path} differs");
        }
    }

    #[test]
    fn the_meta_file_names_each_part_by_the_characters_its_key_is_made_of() {
        for term in ["landkreis", "a", "18", "éclair", "ßa"] {
            let first: String = term.chars().take(2).collect();
            assert_eq!(part_prefix(&part_key(term)), first, "{term}");
        }
    }

    #[test]
    fn carried_rows_are_of_the_best_documents_best_first_and_of_equal_scores_the_first() {
        let scores = [
            (3, 1.0),
            (1, 2.0),
            (7, 2.0),
            (2, 0.5),
            (9, 3.0),
            (4, 1.5),
            (8, 0.1),
        ];
        assert_eq!(top_docs(scores.into_iter()), vec![9, 1, 7, 4, 3]);
        assert_eq!(top_docs([(5, 1.0)].into_iter()), vec![5]);
    }

    #[test]
    fn varints_use_five_bits_a_character() {
        let mut s = String::new();
        varint(&mut s, 0);
        varint(&mut s, 31);
        varint(&mut s, 32);
        assert_eq!(s, "Af".to_string() + "gB");
    }

    #[test]
    fn huffman_codes_are_complete_and_shorter_for_frequent_scores() {
        let lengths = huffman_lengths(&[50, 20, 20, 5, 5]);
        let kraft: f64 = lengths.iter().map(|&l| 0.5f64.powi(l as i32)).sum();
        assert_eq!(kraft, 1.0);
        assert!(lengths[0] < lengths[3], "{lengths:?}");
        assert_eq!(
            huffman_lengths(&[7]),
            vec![1],
            "one score still takes a bit"
        );
    }

    #[test]
    fn score_codes_stay_within_the_runtime_table_however_skewed_the_scores() {
        // Fibonacci frequencies give a plain Huffman code one bit longer per symbol.
        let mut fib = vec![1u64, 1];
        while fib.len() < 40 {
            fib.push(fib[fib.len() - 1] + fib[fib.len() - 2]);
        }
        assert!(unlimited_huffman_lengths(&fib)
            .iter()
            .any(|&l| l > MAX_CODE_BITS));
        let lengths = huffman_lengths(&fib);
        assert!(lengths.iter().all(|&l| l <= MAX_CODE_BITS), "{lengths:?}");
        let kraft: f64 = lengths.iter().map(|&l| 0.5f64.powi(l as i32)).sum();
        assert!(kraft <= 1.0, "{kraft}");
        // Frequent scores still get the shorter codes.
        assert!(lengths[39] <= lengths[0], "{lengths:?}");
        // Distributions that need no limit keep their Huffman code.
        assert_eq!(
            huffman_lengths(&[50, 20, 20, 5, 5]),
            unlimited_huffman_lengths(&[50, 20, 20, 5, 5])
        );
    }

    #[test]
    fn bits_pushed_in_groups_equal_bits_pushed_one_at_a_time() {
        let mut reference = String::new();
        let mut bits = Bits::default();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..2_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let count = (i % 65) as u32;
            bits.push(x, count);
            for b in (0..count).rev() {
                reference.push(if (x >> b) & 1 == 1 { '1' } else { '0' });
            }
        }
        while reference.len() % 6 != 0 {
            reference.push('0');
        }
        let expected: String = reference
            .as_bytes()
            .chunks(6)
            .map(|c| {
                let v = c
                    .iter()
                    .fold(0, |acc, b| acc << 1 | usize::from(*b == b'1'));
                ALPHABET[v] as char
            })
            .collect();
        assert_eq!(bits.finish(), expected);
    }

    #[test]
    fn gamma_codes_a_gap_of_one_in_one_bit() {
        let mut bits = Bits::default();
        for v in [1, 1, 2, 5] {
            bits.gamma(v);
        }
        // 1 1 010 00101, padded: 110100 010100
        assert_eq!(bits.finish(), "0U");
        // As many zeros as bits after the first, then the value: for any value.
        let (mut one, mut two) = (Bits::default(), Bits::default());
        for shift in 0..64 {
            let v = (1u64 << shift) | (0x5555_5555_5555_5555 >> (63 - shift));
            one.gamma(v);
            let bits = 64 - v.leading_zeros();
            two.push(0, bits - 1);
            two.push(v, bits);
        }
        assert_eq!(one.finish(), two.finish());
    }

    #[test]
    fn score_keys_from_the_digits_equal_those_from_the_decimal_text() {
        let mut x: u32 = 0x2545_F491;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let v = f32::from_bits(x);
            if v.is_finite() && v >= 0.0 {
                assert_eq!(stored_key(v), score_key(stored_score(v)), "{v:e}");
            }
        }
        for v in [0.0f32, 1e-12, 0.999_999_5, 9.999_995, 12.5, 1e12] {
            assert_eq!(stored_key(v), score_key(stored_score(v)), "{v:e}");
        }
    }

    #[test]
    fn score_keys_order_like_the_scores() {
        let keys: Vec<u64> = [0.0123, 0.5, 0.500001, 1.0, 2.5, 13.0]
            .iter()
            .map(|v| score_key(*v))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert_eq!(score_key(0.0), 0);
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
