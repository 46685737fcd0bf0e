//! German text analysis for search: the one definition of how text becomes index
//! terms. tantivy indexes with it, `zirkel search` queries with it, and the site's
//! runtime (`static/search/analyzer.js`) mirrors it step for step — a test holds the
//! two together on every token of the collections.
//!
//! Steps: split into runs of letters and digits, lower-case, fold umlauts, ß, accents
//! and the typed forms ae/oe/ue to one spelling, drop absurdly long tokens, stem with
//! Snowball German.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};

/// Folded tokens longer than this (in characters) are no words anyone searches for.
pub const MAX_TOKEN_CHARS: usize = 48;

/// The name the analyzer is registered under in the tantivy index.
pub const TOKENIZER: &str = "zirkel_de";

/// One token of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The index term: folded and stemmed.
    pub term: String,
    /// Byte offsets of the token in the analysed text.
    pub start: usize,
    pub end: usize,
    /// Position among all tokens, counting dropped ones, so phrases stay phrases.
    pub position: usize,
}

/// The raw tokens of a text: byte ranges of maximal runs of letters and digits.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    each_word(text, |s, e| out.push((s, e)));
    out
}

/// Calls `f` with the byte range of every raw token, without collecting them.
fn each_word(text: &str, mut f: impl FnMut(usize, usize)) {
    let mut at = 0;
    while let Some((s, e)) = next_word(text, at) {
        f(s, e);
        at = e;
    }
}

/// The byte range of the first raw token at or after byte `from` (a character
/// boundary). ASCII is tested byte by byte: the build scans some 80 MB this way.
fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let is_word = |at: usize| -> (bool, usize) {
        let c = text[at..].chars().next().unwrap_or(' ');
        (c.is_alphanumeric(), c.len_utf8())
    };
    let mut i = from;
    // Tight loops over runs of ASCII separators and ASCII word bytes; a character
    // is decoded only where a byte is not ASCII.
    let start = loop {
        while i < n && bytes[i] < 0x80 && !bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= n {
            return None;
        }
        if bytes[i] < 0x80 {
            break i;
        }
        match is_word(i) {
            (true, _) => break i,
            (false, len) => i += len,
        }
    };
    loop {
        while i < n && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= n || bytes[i] < 0x80 {
            return Some((start, i));
        }
        match is_word(i) {
            (true, len) => i += len,
            (false, _) => return Some((start, i)),
        }
    }
}

/// One spelling for the ways German is typed: `Müller`, `Mueller` and `Muller` all
/// become `muller`; `Straße` becomes `strasse`. Expects lower-case input.
pub fn fold(lower: &str) -> String {
    let mut mapped = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            'ß' => mapped.push_str("ss"),
            'æ' => mapped.push_str("ae"),
            'œ' => mapped.push_str("oe"),
            'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' => mapped.push('a'),
            'ç' => mapped.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' => mapped.push('e'),
            'ì' | 'í' | 'î' | 'ï' => mapped.push('i'),
            'ñ' => mapped.push('n'),
            'ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ø' => mapped.push('o'),
            'ü' | 'ù' | 'ú' | 'û' => mapped.push('u'),
            'ý' | 'ÿ' => mapped.push('y'),
            c => mapped.push(c),
        }
    }
    // The typed forms of umlauts, in one left-to-right pass.
    let b = mapped.as_bytes();
    let mut out = String::with_capacity(mapped.len());
    let mut i = 0;
    while i < b.len() {
        if i + 1 < b.len() && b[i + 1] == b'e' && matches!(b[i], b'a' | b'o' | b'u') {
            out.push(b[i] as char);
            i += 2;
        } else {
            let ch = mapped[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The folded form of a raw word, or `None` when it is too long to be a word.
pub fn folded(raw: &str) -> Option<String> {
    let f = fold(&raw.to_lowercase());
    (f.chars().count() <= MAX_TOKEN_CHARS).then_some(f)
}

/// The stop words (`data/stopwords-de.txt`), folded and sorted: words a query need
/// not match. The static index carries the same list for the site's runtime.
pub fn stop_words() -> &'static std::collections::BTreeSet<String> {
    static STOP: std::sync::OnceLock<std::collections::BTreeSet<String>> =
        std::sync::OnceLock::new();
    STOP.get_or_init(|| {
        include_str!("../data/stopwords-de.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .filter_map(folded)
            .collect()
    })
}

/// Whether a query is written as a question or sentence rather than as keywords: it
/// ends with a question mark or holds a stop word. Only such a query falls back to
/// partial matches (`index.rs`).
pub fn is_sentence(query: &str) -> bool {
    query.trim_end().ends_with('?')
        || words(query)
            .into_iter()
            .any(|(s, e)| folded(&query[s..e]).is_some_and(|f| is_stop_word(&f)))
}

/// Whether a query opens with a word that is not a stop word
/// (`Schwimmkurs für geflüchtete Kinder`, not `Wie finden wir …`): a sentence that
/// opens so names its topic with that word, and if the collection knows nothing of
/// it, partial matches on the other words would answer a topic nobody wrote about
/// (`index.rs`).
pub fn opens_with_topic(query: &str) -> bool {
    word_groups(query)
        .first()
        .and_then(|(_, _, parts)| folded(&parts.concat()))
        .is_some_and(|f| !is_stop_word(&f))
}

/// Whether a query word is written as a German noun: a capital letter, then a small
/// one (`Gastfamilien`, `Kita-Platz`; not `ABH`, not `kita`). A sentence holding such
/// a word the collection does not know names a topic nobody wrote about (`index.rs`).
pub fn written_as_noun(raw: &str) -> bool {
    let mut c = raw.chars();
    matches!((c.next(), c.next()), (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase())
}

/// A query's words as its plan takes them (`index.rs`), words joined by a hyphen
/// being one (`Familien-Wohnungen`): each one's start, end and parts.
pub fn word_groups(query: &str) -> Vec<(usize, usize, Vec<&str>)> {
    let mut groups: Vec<(usize, usize, Vec<&str>)> = Vec::new();
    for (s, e) in words(query) {
        match groups.last_mut() {
            Some(g) if s == g.1 + 1 && &query[g.1..s] == "-" => {
                g.1 = e;
                g.2.push(&query[s..e]);
            }
            _ => groups.push((s, e, vec![&query[s..e]])),
        }
    }
    groups
}

/// Whether a folded query word is a stop word.
pub fn is_stop_word(folded: &str) -> bool {
    stop_words().contains(folded)
}

/// Whether a term is a stop word or a stop word's term (`wied` of `wieder`, `werd` of
/// `werden`): a compound's modifier is a term, not a word as typed.
pub fn is_stop_term(term: &str) -> bool {
    static TERMS: std::sync::OnceLock<std::collections::BTreeSet<String>> =
        std::sync::OnceLock::new();
    TERMS
        .get_or_init(|| {
            let words = stop_words().iter();
            words
                .clone()
                .cloned()
                .chain(words.map(|w| stem(w)))
                .collect()
        })
        .contains(term)
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: std::sync::OnceLock<Stemmer> = std::sync::OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::German))
}

/// The index term of a folded word.
pub fn stem(folded: &str) -> String {
    stemmer().stem(folded).into_owned()
}

/// The terms of a folded query word in either number: its own term first, then the
/// term of its form with or without a final `-e`/`-en` where the German stemmer keeps
/// the two apart (`Kurs` → `kur`, `Kurse` → `kurs`; `Alphakurse`, `Integrationskurs`),
/// and without a plural `-s` the stemmer keeps after a vowel (`Bufdis`, `Kitas`).
/// Only forms whose term begins with the same two characters, so the site's runtime
/// finds them in the same dictionary part.
pub fn forms(folded: &str) -> Vec<String> {
    let own = stem(folded);
    let mut out = vec![own.clone()];
    let mut other = Vec::new();
    if let Some(s) = folded.strip_suffix("en") {
        other.push(s.to_string());
    }
    match folded.strip_suffix('e') {
        Some(s) => other.push(s.to_string()),
        None => other.push(format!("{folded}e")),
    }
    // Not after a diphthong (`Kreis`) or in Latin `-us` (`Status`).
    if let Some(s) = folded.strip_suffix('s') {
        let mut back = s.chars().rev();
        let plural = match (back.next(), back.next()) {
            (Some('a' | 'o' | 'y'), _) => true,
            (Some('i'), Some(c)) => !"aeiouy".contains(c),
            _ => false,
        };
        if plural {
            other.push(s.to_string());
        }
    }
    for form in other {
        let t = stem(&form);
        if !out.contains(&t) && t.chars().take(2).eq(own.chars().take(2)) {
            out.push(t);
        }
    }
    out
}

/// The index term of one raw word, or `None` when it is dropped.
pub fn term(raw: &str) -> Option<String> {
    with_term(raw, |t| t.map(str::to_string))
}

/// Calls `f` with the term of `raw`. A collection repeats a few thousand words
/// millions of times: each is analysed once per thread and then looked up.
fn with_term<R>(raw: &str, f: impl FnOnce(Option<&str>) -> R) -> R {
    thread_local! {
        static SEEN: std::cell::RefCell<HashMap<String, Option<String>, FastHash>> =
            Default::default();
    }
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if let Some(t) = seen.get(raw) {
            return f(t.as_deref());
        }
        if seen.len() > 100_000 {
            seen.clear();
        }
        let t = folded(raw).map(|f| stem(&f));
        let r = f(t.as_deref());
        seen.insert(raw.to_string(), t);
        r
    })
}

/// The hasher of the maps asked once per token or posting, millions of times a build,
/// with short keys: the default hasher's flood protection is not needed there.
pub(crate) type FastHash = rustc_hash::FxBuildHasher;

/// Every kept token of a text, with its term.
pub fn analyze(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let (mut position, mut prev_end) = (0, 0);
    for (start, end) in words(text) {
        let at = block_position(text, prev_end, start, position);
        position = at + 1;
        prev_end = end;
        if let Some(term) = term(&text[start..end]) {
            out.push(Token {
                term,
                start,
                end,
                position: at,
            });
        }
    }
    out
}

/// A paragraph is a block: a line break between two words starts a new one. The
/// body's plain text (`markdown::to_text`) puts one after every top-level block, so a
/// paragraph, a heading, a whole list or a quote is one block. Positions jump to
/// the next multiple of `2^BLOCK_SHIFT`, so a position's block is
/// `position >> BLOCK_SHIFT` and words of one block stay neighbours. A query compound
/// matches where its parts share a block (`Programm für Patenschaften`), not where
/// they stand in different paragraphs. Clauses (a block ending at punctuation too)
/// were tried first: on three blind query sets they found fewer of the entries meant
/// and kept no more absent topics silent (SEARCH.md, step 10).
pub const BLOCK_SHIFT: u32 = 16;

/// The position of the word at `start`, the previous word having ended at
/// `prev_end` and `position` being the next free one.
fn block_position(text: &str, prev_end: usize, start: usize, position: usize) -> usize {
    if text[prev_end..start].contains('\n') {
        ((position >> BLOCK_SHIFT) + 1) << BLOCK_SHIFT
    } else {
        position
    }
}

/// The shortest modifier and head a query compound splits into, in characters.
pub const QUERY_MIN_PART: usize = 3;
/// A query compound tries at most this many splits.
pub const QUERY_SPLITS: usize = 3;

/// Where a query word may split into two parts: for every term of `terms` (the
/// dictionary part of the word's term, in its order) that begins the folded word,
/// after each linking element, the modifier term and the head's term. Each pair
/// once, in the order found; which heads are terms decides the caller.
pub fn query_splits<'a>(
    folded: &str,
    terms: impl Iterator<Item = &'a str>,
) -> Vec<(String, String)> {
    query_splits_by(folded, terms.map(|t| (t, t)))
}

/// `query_splits` with each term's forms: the term itself and how the collection
/// writes it, folded. A stem can be shorter than the modifier as written
/// (`vereinsgrund` of `Vereinsgründung·s·workshop`); its written form finds the
/// split. Each (term, form) pair in order: the term, then its spellings.
pub fn query_splits_by<'a>(
    folded: &str,
    forms: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (t, form) in forms {
        let Some(rest) = folded.strip_prefix(form) else {
            continue;
        };
        // A stop word is no part (the index splits into written words that are no
        // stop words): `ein·bürgern` is a verb's prefix and `Bürger`, and `ein`
        // stands everywhere; so does `wied` of `Wied·er·einstieg`.
        if t.chars().count() < QUERY_MIN_PART || is_stop_term(t) {
            continue;
        }
        // No linking element, or one of the compounds' (`Ehrenamt·s·schulung`;
        // `Mütt·er·kurs`, the modifier being the term `mutt` of `Mütter`).
        for link in std::iter::once("").chain(LINKS) {
            let Some(head) = rest.strip_prefix(link) else {
                continue;
            };
            if head.chars().count() >= QUERY_MIN_PART && !is_stop_word(head) {
                let pair = (t.to_string(), stem(head));
                if !out.contains(&pair) {
                    out.push(pair);
                }
            }
        }
    }
    out
}

/// German compounds split into words the collection itself uses, for the index: an
/// entry writing `Sprachkurs` is then also found by `Sprach Kurs`, `Frauensprachkurs`
/// by `Frauen`. Keyed by the compound's term; the values are its parts' terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Splitter {
    /// Asked once per token of the collection.
    parts: HashMap<String, Vec<String>, FastHash>,
}

/// Linking elements between the parts of a German compound (`Ausbildung·s·messe`,
/// `Frau·en·kurs`); a dropped final `e` (`Sprach(e)·kurs`) is tried as well.
pub const LINKS: [&str; 6] = ["s", "es", "n", "en", "er", "e"];
/// Parts shorter than this are not split off: too many short words hide in others.
const MIN_PART: usize = 4;
/// Words shorter than this are not split.
const MIN_COMPOUND: usize = 8;

impl Splitter {
    /// From the texts of a collection: the words (folded) it writes on their own are
    /// the parts compounds may split into; words of `names` (districts, places) are
    /// never split.
    pub fn from_texts<'a>(
        texts: impl Iterator<Item = &'a str> + Send,
        names: impl Iterator<Item = &'a str>,
    ) -> Splitter {
        Self::with_spellings(texts, names).0
    }

    /// `from_texts`, and from the same pass how the collection writes each term.
    pub fn with_spellings<'a>(
        texts: impl Iterator<Item = &'a str> + Send,
        names: impl Iterator<Item = &'a str>,
    ) -> (Splitter, Spellings) {
        use rayon::iter::{ParallelBridge, ParallelIterator};
        // Collected as written first: a collection repeats a few thousand spellings
        // millions of times, and folding each once is what costs. Counted on all
        // cores: the index waits for this pass.
        type Counts<'t> = HashMap<&'t str, u32, FastHash>;
        let raw: Counts = texts
            .par_bridge()
            .fold(Counts::default, |mut raw, text| {
                each_word(text, |s, e| {
                    *raw.entry(&text[s..e]).or_insert(0) += 1;
                });
                raw
            })
            .reduce(Counts::default, |a, b| {
                let (mut into, from) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                for (w, n) in from {
                    *into.entry(w).or_insert(0) += n;
                }
                into
            });
        // Each spelling folded once: for the splitter's vocabulary (in order, so that of
        // two spellings with one term the same one wins every build) and, stemmed, for
        // the spellings of its term.
        let mut written = std::collections::BTreeSet::new();
        let mut by_term: HashMap<String, Vec<(u32, &str)>> = HashMap::new();
        for (word, n) in raw {
            let Some(f) = folded(word) else { continue };
            by_term.entry(stem(&f)).or_default().push((n, word));
            written.insert(f);
        }
        let spellings = Spellings::from_groups(by_term);
        let keep: std::collections::HashSet<String> = names
            .flat_map(|n| {
                words(n)
                    .into_iter()
                    .filter_map(|(s, e)| folded(&n[s..e]))
                    .collect::<Vec<_>>()
            })
            .collect();
        let vocabulary: std::collections::HashSet<&str> = written
            .iter()
            .filter(|w| w.chars().count() >= MIN_PART && !is_stop_word(w))
            .map(String::as_str)
            .collect();
        let mut parts: HashMap<String, Vec<String>, FastHash> = HashMap::default();
        for word in &written {
            if keep.contains(word) {
                continue;
            }
            if let Some(split) = split(word, &vocabulary, 3) {
                // A part that is itself a compound gives its parts too
                // (`Frauen·sprachkurs`, `Sprach·kurs`).
                let mut all: Vec<String> = Vec::new();
                let mut todo: Vec<String> = split.into_iter().rev().collect();
                while let Some(p) = todo.pop() {
                    let term = stem(&p);
                    if !all.contains(&term) {
                        all.push(term);
                        if let Some(sub) = self::split(&p, &vocabulary, 3) {
                            todo.extend(sub.into_iter().rev());
                        }
                    }
                }
                let own = stem(word);
                all.retain(|t| *t != own);
                if !all.is_empty() {
                    parts.insert(own, all);
                }
            }
        }
        (Splitter { parts }, spellings)
    }

    /// The parts' terms of a compound's term; empty when it is no compound.
    pub fn parts(&self, term: &str) -> &[String] {
        self.parts.get(term).map_or(&[], Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.parts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// How the collection writes each term: its spellings, the most frequent first
/// (then the shorter, then the first in order), at most `SPELLINGS_KEPT`. A
/// correction names one of them (`Flüchtlinge`), not the term it searches for
/// (`fluchtling`), which people would not recognise.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spellings(HashMap<String, Vec<String>>);

/// Spellings kept per term: the typed word's own form is nearly always among them.
pub const SPELLINGS_KEPT: usize = 6;

impl Spellings {
    /// From each term's spellings and how often each occurs.
    fn from_groups(by_term: HashMap<String, Vec<(u32, &str)>>) -> Spellings {
        let mut out = HashMap::with_capacity(by_term.len());
        for (t, mut ws) in by_term {
            ws.sort_by(|a, b| {
                b.0.cmp(&a.0)
                    .then(a.1.chars().count().cmp(&b.1.chars().count()))
                    .then(a.1.cmp(b.1))
            });
            ws.truncate(SPELLINGS_KEPT);
            // A term written only as itself needs no entry (`of` falls back to it).
            if !(ws.len() == 1 && ws[0].1 == t) {
                out.insert(t, ws.into_iter().map(|(_, w)| w.to_string()).collect());
            }
        }
        Spellings(out)
    }

    /// The spellings of `term`, the most frequent first; empty for a term the
    /// collection writes only as itself or holds only as a compound's part.
    pub fn of(&self, term: &str) -> &[String] {
        self.0.get(term).map_or(&[], Vec::as_slice)
    }

    /// `term<TAB>spelling<TAB>…` lines, sorted, as `parse` reads them.
    pub fn to_text(&self) -> String {
        let mut lines: Vec<String> = self
            .0
            .iter()
            .map(|(t, ws)| format!("{t}\t{}\n", ws.join("\t")))
            .collect();
        lines.sort();
        lines.concat()
    }

    /// Reads what `to_text` wrote; lines without a tab are skipped.
    pub fn parse(text: &str) -> Spellings {
        Spellings(
            text.lines()
                .filter_map(|l| l.split_once('\t'))
                .map(|(t, ws)| (t.to_string(), ws.split('\t').map(str::to_string).collect()))
                .collect(),
        )
    }

    /// Every term with spellings, and those.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0.iter().map(|(t, ws)| (t.as_str(), ws.as_slice()))
    }
}

/// `word` as parts from `vocabulary` (at most `depth` of them), the first part as long
/// as possible; `None` when it does not split.
fn split(
    word: &str,
    vocabulary: &std::collections::HashSet<&str>,
    depth: usize,
) -> Option<Vec<String>> {
    let chars: Vec<char> = word.chars().collect();
    if depth < 2 || chars.len() < MIN_COMPOUND {
        return None;
    }
    for i in (MIN_PART..=chars.len() - MIN_PART).rev() {
        let head: String = chars[..i].iter().collect();
        let tail: String = chars[i..].iter().collect();
        let rest = if vocabulary.contains(tail.as_str()) {
            vec![tail]
        } else if let Some(more) = split(&tail, vocabulary, depth - 1) {
            more
        } else {
            continue;
        };
        let first = if vocabulary.contains(head.as_str()) {
            Some(head.clone())
        } else if vocabulary.contains(format!("{head}e").as_str()) {
            Some(format!("{head}e"))
        } else {
            LINKS
                .iter()
                .filter_map(|l| head.strip_suffix(l))
                .find(|h| h.chars().count() >= MIN_PART && vocabulary.contains(h))
                .map(str::to_string)
        };
        if let Some(first) = first {
            let mut out = vec![first];
            out.extend(rest);
            return Some(out);
        }
    }
    None
}

/// The analyzer as a tantivy tokenizer, so the index, its snippets and the static
/// export all see the same terms. With a `Splitter`, a compound's token is followed by
/// its parts' terms at the same place.
#[derive(Clone, Default)]
pub struct GermanTokenizer {
    splitter: Option<std::sync::Arc<Splitter>>,
    /// Each word as written, analysed once: its term and its parts' terms, or `None`
    /// for a stop word. One lookup a token: a build indexes millions of them.
    seen: HashMap<String, Option<Analysed>, FastHash>,
}

#[derive(Clone)]
struct Analysed {
    term: String,
    /// Shared with the token stream that gives them out: no copy per occurrence.
    parts: Option<std::sync::Arc<[String]>>,
}

impl GermanTokenizer {
    /// The tokenizer of an index whose compounds split as `splitter` says.
    pub fn with_splitter(splitter: std::sync::Arc<Splitter>) -> GermanTokenizer {
        GermanTokenizer {
            splitter: Some(splitter),
            seen: HashMap::default(),
        }
    }
}

/// The tokens of one text, analysed as tantivy asks for them.
pub struct Tokens<'a> {
    text: &'a str,
    /// Where the next word is looked for.
    at: usize,
    next_position: usize,
    prev_end: usize,
    token: TantivyToken,
    splitter: Option<&'a Splitter>,
    seen: &'a mut HashMap<String, Option<Analysed>, FastHash>,
    /// The parts of the last compound, and how many of them are given out.
    pending: Option<(std::sync::Arc<[String]>, usize)>,
}

impl Tokenizer for GermanTokenizer {
    type TokenStream<'a> = Tokens<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        if self.seen.len() > 200_000 {
            self.seen.clear();
        }
        Tokens {
            text,
            at: 0,
            next_position: 0,
            prev_end: 0,
            token: TantivyToken::default(),
            splitter: self.splitter.as_deref(),
            seen: &mut self.seen,
            pending: None,
        }
    }
}

impl TokenStream for Tokens<'_> {
    fn advance(&mut self) -> bool {
        if let Some((parts, given)) = &mut self.pending {
            if let Some(part) = parts.get(*given) {
                // Same place as the compound: its offsets and position stay.
                *given += 1;
                self.token.text.clear();
                self.token.text.push_str(part);
                return true;
            }
            self.pending = None;
        }
        while let Some((start, end)) = next_word(self.text, self.at) {
            self.at = end;
            let position = block_position(self.text, self.prev_end, start, self.next_position);
            self.next_position = position + 1;
            self.prev_end = end;
            let raw = &self.text[start..end];
            let seen = &mut *self.seen;
            let analysed = if let Some(a) = seen.get(raw) {
                a
            } else {
                let splitter = self.splitter;
                let a = folded(raw).map(|f| {
                    let term = stem(&f);
                    let parts = splitter
                        .map(|sp| sp.parts(&term))
                        .filter(|p| !p.is_empty())
                        .map(std::sync::Arc::from);
                    Analysed { term, parts }
                });
                seen.entry(raw.to_string()).or_insert(a)
            };
            let Some(a) = analysed else {
                continue;
            };
            let token = &mut self.token;
            token.text.clear();
            token.text.push_str(&a.term);
            token.offset_from = start;
            token.offset_to = end;
            token.position = position;
            token.position_length = 1;
            self.pending = a.parts.clone().map(|p| (p, 0));
            return true;
        }
        false
    }
    fn token(&self) -> &TantivyToken {
        &self.token
    }
    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_maximal_runs_of_letters_and_digits_in_any_script() {
        // The definition, char by char, against the byte-wise scan.
        fn reference(text: &str) -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            let mut start = None;
            for (i, c) in text.char_indices() {
                match (c.is_alphanumeric(), start) {
                    (true, None) => start = Some(i),
                    (false, Some(s)) => {
                        out.push((s, i));
                        start = None;
                    }
                    _ => {}
                }
            }
            if let Some(s) = start {
                out.push((s, text.len()));
            }
            out
        }
        let pool: Vec<char> = "aZ09 ,.-\n\tÄöüßé€„“…–😀\u{301}ıİΩж٣".chars().collect();
        let mut x = 7u64;
        let mut texts: Vec<String> = vec![String::new(), "ß".into(), "Flüchtlinge, 2017!".into()];
        for len in 0..400 {
            let t: String = (0..len % 23)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    pool[(x >> 33) as usize % pool.len()]
                })
                .collect();
            texts.push(t);
        }
        for t in &texts {
            assert_eq!(words(t), reference(t), "{t:?}");
        }
    }

    #[test]
    fn umlauts_typed_forms_and_dotless_vowels_fold_to_one_spelling() {
        for w in ["Müller", "Mueller", "Muller", "MÜLLER"] {
            assert_eq!(folded(w).unwrap(), "muller", "{w}");
        }
        assert_eq!(folded("Straße").unwrap(), "strasse");
        assert_eq!(folded("Café").unwrap(), "cafe");
        assert_eq!(fold("aee"), "ae");
    }

    #[test]
    fn stop_words_are_folded_and_content_words_are_not_stop_words() {
        for w in ["für", "über", "daß", "können", "Wie", "warum"] {
            assert!(is_stop_word(&folded(w).unwrap()), "{w}");
        }
        for w in ["Wohnung", "Land", "Weg", "Sprachkurs", "Flüchtlinge"] {
            assert!(!is_stop_word(&folded(w).unwrap()), "{w}");
        }
        assert!(stop_words().len() > 200);
    }

    #[test]
    fn a_term_is_written_as_the_collection_writes_it_most_often() {
        let text = "Flüchtlinge, Flüchtlinge und ein Flüchtling. Fluechtlinge. \
            Kinderbetreuung. Monitoring, monitoring und";
        let (_, sp) = Splitter::with_spellings([text].into_iter(), std::iter::empty());
        let t = |w: &str| term(w).unwrap();
        assert_eq!(
            sp.of(&t("Flüchtling")),
            ["Flüchtlinge", "Flüchtling", "Fluechtlinge"]
        );
        assert_eq!(sp.of(&t("Kinderbetreuung")), ["Kinderbetreuung"]);
        // A tie goes to the first in order: capitals sort first.
        assert_eq!(sp.of(&t("monitoring")), ["Monitoring", "monitoring"]);
        // A term written only as itself, or nowhere (a compound's part): none.
        assert!(sp.of("und").is_empty());
        assert!(sp.of("kurs").is_empty());
        assert_eq!(Spellings::parse(&sp.to_text()), sp);
    }

    #[test]
    fn compounds_split_into_words_the_collection_uses_and_names_stay_whole() {
        let text = "Sprache lernen im Kurs. Der Kurs für Frauen. Die Sprache, die Frauen \
            sprechen. Ausbildung und Messe; Ausbildung, Messe. Rotenburg, Burg und Rote. \
            Rote Burg. Ein Sprachkurs, ein Frauensprachkurs, die Ausbildungsmesse in Rotenburg.";
        let t = |w: &str| term(w).unwrap();
        let sp = Splitter::from_texts(
            [text].into_iter(),
            ["Landkreis Rotenburg (Wümme)"].into_iter(),
        );
        assert_eq!(sp.parts(&t("sprachkurs")), [t("sprache"), t("kurs")]);
        // A part that is a compound itself gives its parts as well.
        assert_eq!(
            sp.parts(&t("frauensprachkurs")),
            [t("frauen"), t("sprachkurs"), t("sprache"), t("kurs")]
        );
        assert_eq!(
            sp.parts(&t("ausbildungsmesse")),
            [t("ausbildung"), t("messe")]
        );
        assert!(
            sp.parts(&t("rotenburg")).is_empty(),
            "district names stay whole"
        );
        assert!(sp.parts(&t("sprache")).is_empty());
        // The tokenizer gives the parts after the compound, at its place.
        let mut tok = GermanTokenizer::with_splitter(std::sync::Arc::new(sp));
        let mut stream = tok.token_stream("Sprachkurs heute");
        let mut got = Vec::new();
        while stream.advance() {
            let t = stream.token();
            got.push((t.text.clone(), t.position));
        }
        assert_eq!(
            got,
            [
                (t("sprachkurs"), 0),
                (t("sprache"), 0),
                (t("kurs"), 0),
                (t("heute"), 1)
            ]
        );
    }

    #[test]
    fn inflected_forms_share_a_term() {
        assert_eq!(term("Beratungen"), term("Beratung"));
        assert_eq!(term("Flüchtlinge"), term("Fluechtlingen"));
        assert_eq!(term("Geflüchteten"), term("Gefluechtete"));
    }

    #[test]
    fn tokens_split_on_everything_but_letters_and_digits() {
        let text = "Kita-Plätze, 2017: Frauen\u{AD}café?";
        let got: Vec<&str> = words(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(got, ["Kita", "Plätze", "2017", "Frauen", "café"]);
    }

    #[test]
    fn the_tantivy_tokenizer_yields_what_analyze_returns() {
        let text = "Integrationskurse für Geflüchtete, 2017 – Müller & Söhne";
        let mut tok = GermanTokenizer::default();
        let mut stream = tok.token_stream(text);
        let mut got = Vec::new();
        while stream.advance() {
            let t = stream.token();
            got.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        let want: Vec<_> = analyze(text)
            .into_iter()
            .map(|t| (t.term, t.start, t.end, t.position))
            .collect();
        assert_eq!(got, want);
        assert_eq!(got.len(), 6);
    }

    #[test]
    fn a_line_break_starts_a_new_block_of_positions_and_punctuation_does_not() {
        let toks = analyze("Programm für\nPatenschaften hier, dort (da)\nEnde");
        let blocks: Vec<usize> = toks.iter().map(|t| t.position >> BLOCK_SHIFT).collect();
        assert_eq!(blocks, [0, 0, 1, 1, 1, 1, 2]);
        assert_eq!(toks[3].position - toks[2].position, 1);
        let mut tok = GermanTokenizer::default();
        let mut stream = tok.token_stream("eins zwei\n\ndrei");
        let mut got = Vec::new();
        while stream.advance() {
            got.push(stream.token().position);
        }
        assert_eq!(got, [0, 1, 1 << BLOCK_SHIFT]);
    }

    #[test]
    fn query_compounds_split_after_a_term_that_begins_them_with_or_without_a_link() {
        let part = ["ehr", "ehrenamt", "ehrenamtlich", "mutt", "mutter"];
        let got = query_splits("ehrenamtsschulung", part.iter().copied());
        assert!(
            got.contains(&("ehrenamt".into(), "schulung".into())),
            "{got:?}"
        );
        // `ehr` + `enamtsschulung`: a split the caller drops, its head being no term.
        assert_eq!(got[0].0, "ehr");
        // Mütter·kurs over the term `mutt` (link `er`) and over `mutter`: one head.
        let got = query_splits("mutterkurs", part.iter().copied());
        assert_eq!(
            got,
            [
                ("mutt".to_string(), "erkur".to_string()),
                ("mutt".to_string(), "kur".to_string()),
                ("mutt".to_string(), "rkur".to_string()),
                ("mutter".to_string(), "kur".to_string())
            ]
        );
        // Parts shorter than three letters are not split off.
        assert!(query_splits("mutterab", ["mutter"].into_iter()).is_empty());
    }

    #[test]
    fn a_modifier_as_written_splits_where_its_stem_is_shorter() {
        // The term of `Vereinsgründung` is `vereinsgrund`: after it, only the bogus
        // head `ungsworkshop`; after its written form, `workshop`.
        let word = "vereinsgrundungsworkshop";
        let by_term = query_splits(word, ["vereinsgrund"].into_iter());
        assert!(by_term.iter().all(|(_, h)| h != "workshop"), "{by_term:?}");
        let forms = [
            ("vereinsgrund", "vereinsgrund"),
            ("vereinsgrund", "vereinsgrundung"),
        ];
        let got = query_splits_by(word, forms.into_iter());
        assert!(
            got.contains(&("vereinsgrund".into(), "workshop".into())),
            "{got:?}"
        );
    }

    #[test]
    fn a_stop_word_is_no_part_of_a_query_compound() {
        // `ein·bürgern`: `ein` stands in nearly every entry, so it would always stand
        // "close to" `Bürger`; the head `ohne` of `arbeit·ohne` likewise.
        let got = query_splits("einburgern", ["ein", "einbau"].into_iter());
        assert!(got.is_empty(), "{got:?}");
        // Nor a stop word's term: `wied` of `wieder`.
        assert!(query_splits("wiedereinstieg", ["wied"].into_iter()).is_empty());
        assert!(query_splits("arbeitohne", ["arbeit"].into_iter()).is_empty());
        assert_eq!(
            query_splits("arbeitskreis", ["arbeit"].into_iter())[1],
            ("arbeit".to_string(), "kreis".to_string())
        );
    }

    #[test]
    fn dropped_tokens_keep_their_position() {
        let long = "x".repeat(MAX_TOKEN_CHARS + 1);
        let toks = analyze(&format!("eins {long} drei"));
        assert_eq!(toks.len(), 2);
        assert_eq!(toks[1].position, 2);
    }

    #[test]
    fn a_word_also_has_the_term_of_its_other_number_where_the_stemmer_splits_them() {
        assert_eq!(forms("kurs"), ["kur", "kurs"]);
        assert_eq!(forms("alphakurse"), ["alphakurs", "alphakur"]);
        assert_eq!(
            forms("integrationskursen"),
            ["integrationskurs", "integrationskur"]
        );
        // Most words have one term in both numbers.
        assert_eq!(forms("landkreis"), ["landkreis"]);
        assert_eq!(forms("frauen"), ["frau"]);
        assert_eq!(forms("familien"), ["famili"]);
        assert_eq!(forms("betriebe"), ["betrieb"]);
        // A plural `-s` after a vowel, which the stemmer keeps; not in `Kreis`.
        assert_eq!(forms("bufdis"), ["bufdis", "bufdi"]);
        assert_eq!(forms("kitas"), ["kitas", "kita"]);
        assert_eq!(forms("landkreis"), ["landkreis"]);
        assert_eq!(forms("status"), ["status"]);
    }

    #[test]
    fn a_word_written_with_a_capital_then_a_small_letter_is_written_as_a_noun() {
        for w in ["Gastfamilien", "Kita-Platz", "Ärztin", "Üb"] {
            assert!(written_as_noun(w), "{w}");
        }
        for w in ["ABH", "kita", "eAT", "K", "", "2Kinder"] {
            assert!(!written_as_noun(w), "{w}");
        }
    }

    #[test]
    fn a_question_or_a_sentence_with_stop_words_is_a_sentence_and_keywords_are_not() {
        assert!(is_sentence("Wie finden wir Wohnungen?"));
        assert!(is_sentence("Anschlussunterbringung in kleinen Dörfern"));
        assert!(is_sentence("Sprachkurs Kinderbetreuung ?"));
        assert!(opens_with_topic("Schwimmkurs für geflüchtete Kinder"));
        assert!(opens_with_topic("schwimmkurs für kinder?"));
        assert!(!opens_with_topic("Wie finden wir Wohnungen?"));
        assert!(!opens_with_topic("  für Kinder"));
        assert!(!opens_with_topic(""));
        // A hyphenated first word is one word, as in the query plan.
        assert!(opens_with_topic("Ein-Euro-Jobs für Geflüchtete"));
        assert!(!opens_with_topic(&format!(
            "{}-{} für Kinder",
            "a".repeat(30),
            "b".repeat(30)
        )));
        assert!(!is_sentence(
            "Altersfeststellung unbegleitete Minderjährige"
        ));
        assert!(!is_sentence("Mülltrennung Heizen"));
    }
}
