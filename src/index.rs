//! The tantivy index of record: its schema, building it from a collection into the
//! cache folder, and answering queries (`zirkel search`). The static export
//! (`search_export`) reads its scores from the same index.
//!
//! Query semantics, shared with the site's runtime: every word must match (in any text
//! field), by its own term or its other number's where the stemmer splits singular and
//! plural (`analyze::forms`); the last word also matches every term it is a prefix of
//! (the most frequent [`PREFIX_TERMS`]); a word's score is the sum of tantivy's BM25
//! scores of its terms over the boosted fields; a document's score is the sum over words. tantivy decides
//! what matches; the order comes from the per-term scores as the static index stores
//! them (six significant digits), added in the runtime's order, so both rankings are
//! the same numbers. Ties are broken by document number: by first district (key),
//! then newest first.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{DocSetCollector, FacetCollector};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, TermInfo};
use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions, Value, STORED,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::InvertedIndexReader;
use tantivy::{
    DocAddress, DocSet, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term,
    TERMINATED,
};

use crate::analyze::{self, GermanTokenizer, Spellings};
use crate::collection::Collection;
use crate::districts::Districts;
use crate::markdown;
use crate::thesaurus::{self, Thesaurus};

/// The cache folder in the collection root, and the index inside it.
pub const CACHE_DIR: &str = ".zirkel-cache";
pub const INDEX_DIR: &str = "search-index";

/// The text fields and their boosts: a word in the title weighs three times a word in
/// the body.
pub const TEXT_FIELDS: [(&str, f32); 7] = [
    ("title", 3.0),
    ("summary", 2.0),
    ("tags", 1.5),
    ("body", 1.0),
    ("actors", 1.0),
    ("place", 1.0),
    ("topic", 1.0),
];

/// The facets, as named in queries, JSON and the static index. The first six are the
/// site's filters, whose counts a search reports; status and year are indexed for
/// other uses.
pub const FACETS: [&str; 8] = [
    "field",
    "district",
    "land",
    "outcome",
    "target_group",
    "participation",
    "status",
    "year",
];
pub const COUNTED_FACETS: &[&str] = FACETS.split_at(6).0;

/// The last word expands to at most this many terms it is a prefix of.
pub const PREFIX_TERMS: usize = 10;
/// The last word is a prefix only from this many (folded) characters on.
pub const PREFIX_MIN_CHARS: usize = 3;
/// A query compound's head of this many characters or more also stands for the terms
/// it begins (`Therapieplatz·mangel` finds "Therapieplätze … Mangelware").
pub const HEAD_PREFIX_MIN: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("{0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    OpenDirectory(#[from] tantivy::directory::error::OpenDirectoryError),
}

/// A file in the index folder naming the zirkel version that wrote it.
const STAMP: &str = "zirkel-version";
const FORMAT: &str = concat!(
    "zirkel ",
    env!("CARGO_PKG_VERSION"),
    "; analyzer 5 (compound parts, body paragraphs, spellings)\n"
);

/// Where a collection keeps its index.
pub fn index_dir(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join(INDEX_DIR)
}

/// What the index holds of one entry, in the words the analyzer sees.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub n: u64,
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub tags: String,
    pub actors: String,
    pub place: String,
    pub topic: String,
    pub district_label: String,
    pub field: String,
    pub outcome: String,
    /// (facet, value) pairs.
    pub facets: Vec<(&'static str, String)>,
}

/// The searchable documents of a collection, numbered by first district, then in the
/// collection's order (newest first): in the static index a district's entries are
/// then one run of numbers.
pub fn documents(c: &Collection, districts: &Districts) -> Vec<SearchDoc> {
    let mut docs = unnumbered(c, districts);
    docs.sort_by(|a, b| {
        let first = |d: &SearchDoc| {
            d.facets
                .iter()
                .find(|(f, _)| *f == "district")
                .map(|(_, v)| v.clone())
        };
        first(a).cmp(&first(b)).then(a.n.cmp(&b.n))
    });
    for (n, d) in docs.iter_mut().enumerate() {
        d.n = n as u64;
    }
    docs
}

fn unnumbered(c: &Collection, districts: &Districts) -> Vec<SearchDoc> {
    use rayon::prelude::*;
    let label = crate::config::label_of;
    // On all cores: the index waits for the documents.
    c.entries
        .par_iter()
        .enumerate()
        .map(|(n, e)| {
            let ds: Vec<_> = e
                .districts
                .iter()
                .filter_map(|a| districts.by_ags(a))
                .collect();
            let mut facets = vec![("field", e.field.clone()), ("outcome", e.outcome.clone())];
            let mut lands: Vec<&str> = ds.iter().map(|d| d.land_code()).collect();
            lands.sort_unstable();
            lands.dedup();
            facets.extend(ds.iter().map(|d| ("district", d.ags.clone())));
            facets.extend(lands.iter().map(|l| ("land", (*l).to_string())));
            facets.extend(e.target_groups.iter().map(|g| ("target_group", g.clone())));
            facets.extend(e.participation.iter().map(|p| ("participation", p.clone())));
            facets.extend(e.status.iter().map(|s| ("status", s.clone())));
            facets.extend(e.started.iter().map(|d| ("year", d.year.to_string())));
            let mut tags = e.tags.join(" · ");
            for g in &e.target_groups {
                tags.push_str(" · ");
                tags.push_str(&label(&c.config.target_groups, g));
            }
            let place: Vec<String> = ds
                .iter()
                .map(|d| format!("{} {}", d.display_name(), d.land_name()))
                .collect();
            let district_label: Vec<String> = ds.iter().map(|d| d.display_name()).collect();
            SearchDoc {
                n: n as u64,
                slug: e.slug.clone(),
                url: crate::render::entry_url(&e.slug),
                title: e.title.clone(),
                summary: e.summary.clone(),
                body: markdown::to_text(&e.body),
                tags,
                actors: e.actors.join(" · "),
                place: place.join(" · "),
                topic: format!(
                    "{} {}",
                    label(&c.config.fields, &e.field),
                    label(&c.config.outcomes, &e.outcome)
                ),
                district_label: district_label.join(", "),
                field: e.field.clone(),
                outcome: e.outcome.clone(),
                facets,
            }
        })
        .collect()
}

/// Field handles of the schema.
#[derive(Clone, Copy)]
struct Fields {
    n: Field,
    slug: Field,
    url: Field,
    district_label: Field,
    field: Field,
    outcome: Field,
    facet: Field,
    text: [Field; 7],
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyze::TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    // Only title and summary are kept: results show them, snippets come from the
    // summary as on the site, and the bodies would double the index's size.
    let stored = indexed.clone().set_stored();
    // The body keeps positions: which paragraph a word is in (analyze::BLOCK_SHIFT)
    // tells whether the parts of a query compound stand close together.
    let positioned = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyze::TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Indexed too: a query compound's matches are a set of these numbers.
    let n = b.add_u64_field(
        "n",
        NumericOptions::default()
            .set_fast()
            .set_stored()
            .set_indexed(),
    );
    let slug = b.add_text_field("slug", STORED);
    let url = b.add_text_field("url", STORED);
    let district_label = b.add_text_field("district_label", STORED);
    let field = b.add_text_field("field", STORED);
    let outcome = b.add_text_field("outcome", STORED);
    let facet = b.add_facet_field("facet", FacetOptions::default());
    let text = TEXT_FIELDS.map(|(name, _)| {
        let opts = match name {
            "title" | "summary" => stored.clone(),
            "body" => positioned.clone(),
            _ => indexed.clone(),
        };
        b.add_text_field(name, opts)
    });
    let fields = Fields {
        n,
        slug,
        url,
        district_label,
        field,
        outcome,
        facet,
        text,
    };
    (b.build(), fields)
}

fn fields_of(schema: &Schema) -> Result<Fields, IndexError> {
    let (expected, fields) = self::schema();
    if *schema != expected {
        return Err(IndexError::Tantivy(tantivy::TantivyError::SchemaError(
            "schema differs from this zirkel version".into(),
        )));
    }
    Ok(fields)
}

/// A facet value as a tantivy facet path.
pub fn facet_path(facet: &str, value: &str) -> Facet {
    Facet::from_path([facet, value])
}

/// A document as tantivy indexes it: its fields read in place from the collection's
/// documents. Building tantivy's own documents copied every text once more, about
/// 80 MB for 10,000 entries.
struct IndexDoc {
    docs: Arc<[SearchDoc]>,
    i: usize,
    fields: Fields,
    facets: Vec<Facet>,
}

impl IndexDoc {
    fn new(docs: Arc<[SearchDoc]>, i: usize, fields: Fields) -> IndexDoc {
        let facets = docs[i]
            .facets
            .iter()
            .map(|(f, v)| facet_path(f, v))
            .collect();
        IndexDoc {
            docs,
            i,
            fields,
            facets,
        }
    }
}

/// A value of an `IndexDoc`: always a leaf.
#[derive(Clone, Debug)]
enum IndexValue<'a> {
    Str(&'a str),
    U64(u64),
    Facet(&'a str),
}

impl<'a> tantivy::schema::document::Value<'a> for IndexValue<'a> {
    type ArrayIter = std::iter::Empty<IndexValue<'a>>;
    type ObjectIter = std::iter::Empty<(&'a str, IndexValue<'a>)>;

    fn as_value(&self) -> tantivy::schema::document::ReferenceValue<'a, Self> {
        use tantivy::schema::document::{ReferenceValue, ReferenceValueLeaf};
        ReferenceValue::Leaf(match *self {
            IndexValue::Str(s) => ReferenceValueLeaf::Str(s),
            IndexValue::U64(n) => ReferenceValueLeaf::U64(n),
            IndexValue::Facet(f) => ReferenceValueLeaf::Facet(f),
        })
    }
}

impl tantivy::schema::document::Document for IndexDoc {
    type Value<'a> = IndexValue<'a>;
    type FieldsValuesIter<'a> = std::vec::IntoIter<(Field, IndexValue<'a>)>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        let (d, f) = (&self.docs[self.i], &self.fields);
        let mut out = vec![
            (f.n, IndexValue::U64(d.n)),
            (f.slug, IndexValue::Str(&d.slug)),
            (f.url, IndexValue::Str(&d.url)),
            (f.district_label, IndexValue::Str(&d.district_label)),
            (f.field, IndexValue::Str(&d.field)),
            (f.outcome, IndexValue::Str(&d.outcome)),
        ];
        out.extend(
            self.facets
                .iter()
                .map(|facet| (f.facet, IndexValue::Facet(facet.encoded_str()))),
        );
        let texts = [
            &d.title, &d.summary, &d.tags, &d.body, &d.actors, &d.place, &d.topic,
        ];
        out.extend(
            f.text
                .iter()
                .zip(texts)
                .map(|(field, text)| (*field, IndexValue::Str(text))),
        );
        out.into_iter()
    }
}

/// An open index, ready to search.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// What query words expand to; empty unless set with `with_thesaurus`.
    thesaurus: Thesaurus,
    /// How the collection writes each term; read from the index folder when a
    /// correction first needs it.
    spellings: std::sync::OnceLock<Spellings>,
    dir: Option<PathBuf>,
}

/// The file in the index folder with the collection's spellings (`Spellings::to_text`).
const SPELLINGS: &str = "spellings.tsv";

impl SearchIndex {
    /// Indexes `docs` into a new index in `dir` (which must not exist yet).
    pub fn create(dir: &Path, docs: &Arc<[SearchDoc]>) -> Result<SearchIndex, IndexError> {
        std::fs::create_dir_all(dir)?;
        let (schema, _) = schema();
        let index = Self::fill(Index::create_in_dir(dir, schema)?, docs, usize::MAX)?;
        std::fs::write(dir.join(SPELLINGS), index.spellings().to_text())?;
        std::fs::write(dir.join(STAMP), FORMAT)?;
        Ok(index)
    }

    /// Indexes `docs` in memory only: for the preview server and for builds whose
    /// cache folder cannot be written.
    pub fn create_in_ram(docs: &Arc<[SearchDoc]>) -> Result<SearchIndex, IndexError> {
        let (schema, _) = schema();
        Self::fill(Index::create_in_ram(schema), docs, usize::MAX)
    }

    /// `create_in_ram` with a commit after every `every` documents: each commit
    /// closes segments, as a large collection's index has several.
    #[cfg(test)]
    pub(crate) fn create_in_ram_committing(
        docs: &Arc<[SearchDoc]>,
        every: usize,
    ) -> Result<SearchIndex, IndexError> {
        let (schema, _) = schema();
        Self::fill(Index::create_in_ram(schema), docs, every)
    }

    fn fill(
        index: Index,
        docs: &Arc<[SearchDoc]>,
        commit_every: usize,
    ) -> Result<SearchIndex, IndexError> {
        let (_, fields) = schema();
        let texts = docs
            .iter()
            .flat_map(|d| [&d.title, &d.summary, &d.tags, &d.body, &d.actors, &d.topic])
            .map(String::as_str);
        let (splitter, spellings) =
            analyze::Splitter::with_spellings(texts, docs.iter().map(|d| d.place.as_str()));
        index.tokenizers().register(
            analyze::TOKENIZER,
            TextAnalyzer::from(GermanTokenizer::with_splitter(Arc::new(splitter))),
        );
        // Two indexing threads, each with its segment: rendering ends before the
        // index, and the index is what the export waits for.
        let mut writer = index.writer_with_num_threads::<IndexDoc>(2, 128_000_000)?;
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for i in 0..docs.len() {
            writer.add_document(IndexDoc::new(docs.clone(), i, fields))?;
            if (i + 1) % commit_every == 0 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        let index = Self::from_index(index, None)?;
        index.spellings.get_or_init(|| spellings);
        Ok(index)
    }

    /// Opens the index in `dir`; an index another zirkel version wrote (whose
    /// analyzer may differ) is refused, so `zirkel search` rebuilds it.
    pub fn open(dir: &Path) -> Result<SearchIndex, IndexError> {
        if std::fs::read_to_string(dir.join(STAMP)).ok().as_deref() != Some(FORMAT) {
            return Err(IndexError::Tantivy(tantivy::TantivyError::SchemaError(
                "index written by another zirkel version".into(),
            )));
        }
        let index = Index::open_in_dir(dir)?;
        register(&index);
        Self::from_index(index, Some(dir.to_path_buf()))
    }

    fn from_index(index: Index, dir: Option<PathBuf>) -> Result<SearchIndex, IndexError> {
        let fields = fields_of(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            reader,
            fields,
            thesaurus: Thesaurus::default(),
            spellings: std::sync::OnceLock::new(),
            dir,
        })
    }

    /// How the collection writes each term (`analyze::Spellings`). An index folder
    /// without the file (removed by hand) gives the terms themselves.
    pub fn spellings(&self) -> &Spellings {
        self.spellings.get_or_init(|| {
            self.dir
                .as_ref()
                .and_then(|d| std::fs::read_to_string(d.join(SPELLINGS)).ok())
                .map(|t| Spellings::parse(&t))
                .unwrap_or_default()
        })
    }

    /// The thesaurus queries expand with (`Thesaurus::for_config`).
    pub fn with_thesaurus(mut self, thesaurus: Thesaurus) -> SearchIndex {
        self.thesaurus = thesaurus;
        self
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The text fields with their boosts, for the export.
    pub fn text_fields(&self) -> impl Iterator<Item = (Field, f32)> + '_ {
        self.fields
            .text
            .iter()
            .zip(TEXT_FIELDS)
            .map(|(f, (_, b))| (*f, b))
    }

    /// Which terms each word of `text` matches. Stop words are left out unless the
    /// query has nothing else.
    pub fn plan(&self, text: &str) -> Result<Vec<WordPlan>, IndexError> {
        let searcher = self.searcher();
        // Words too long to be words are dropped, but still end the query: only a
        // last word that was typed gets the prefix terms.
        // Words joined by hyphens are one word (`Familien-Wohnungen`): its joined form,
        // or all its parts.
        let groups = analyze::word_groups(text);
        let spans: Vec<(usize, usize)> = groups.iter().map(|g| (g.0, g.1)).collect();
        let words: Vec<(&str, Vec<&str>, Option<String>)> = groups
            .into_iter()
            .map(|(s, e, parts)| {
                let folded = analyze::folded(&parts.concat());
                (&text[s..e], parts, folded)
            })
            .collect();
        let only_stop = words
            .iter()
            .filter_map(|(_, _, f)| f.as_deref())
            .all(analyze::is_stop_word);
        // Two neighbouring words (only spaces between) that the collection writes as
        // one (`Sprach Café`, `Sprachcafé`): each also matches the joined word, at
        // the expansions' weight, so an entry writing it gets the weight of both.
        let kept = |f: &Option<String>| {
            f.as_deref()
                .is_some_and(|f| only_stop || !analyze::is_stop_word(f))
        };
        let mut joins: Vec<Option<String>> = vec![None; words.len()];
        for i in 1..words.len() {
            let (a, b) = (&words[i - 1].2, &words[i].2);
            if kept(a) && kept(b) && text[spans[i - 1].1..spans[i].0].trim().is_empty() {
                let joined = analyze::stem(&format!(
                    "{}{}",
                    a.as_deref().unwrap_or_default(),
                    b.as_deref().unwrap_or_default()
                ));
                if self.doc_freq(&searcher, &joined)? > 0 {
                    joins[i - 1] = Some(joined);
                }
            }
        }
        // A thesaurus phrase typed out (`Bundesamt für Migration und Flüchtlinge`):
        // each of its words also matches what the phrase stands for (`BAMF`), at the
        // expansions' weight. The longest phrase from the left, then after it.
        let stems: Vec<(usize, String)> = words
            .iter()
            .enumerate()
            .filter(|(_, w)| kept(&w.2))
            .map(|(i, w)| (i, analyze::stem(w.2.as_deref().unwrap_or_default())))
            .collect();
        let mut phrases: Vec<Vec<Vec<String>>> = vec![Vec::new(); words.len()];
        let mut k = 0;
        while k < stems.len() {
            let rest: Vec<&str> = stems[k..].iter().map(|(_, t)| t.as_str()).collect();
            let mut found = None;
            for m in (2..=rest.len().min(thesaurus::MAX_PHRASE)).rev() {
                let alts = self.matchable(&searcher, self.thesaurus.phrase(&rest[..m]))?;
                if !alts.is_empty() {
                    found = Some((m, alts));
                    break;
                }
            }
            let Some((m, alts)) = found else {
                k += 1;
                continue;
            };
            for (i, _) in &stems[k..k + m] {
                phrases[*i] = alts.clone();
            }
            k += m;
        }
        let mut plans = Vec::new();
        let last = words.len().saturating_sub(1);
        for (i, (raw, parts, folded)) in words.into_iter().enumerate() {
            let Some(folded) = folded else {
                continue;
            };
            if !only_stop && analyze::is_stop_word(&folded) {
                continue;
            }
            let stem = analyze::stem(&folded);
            let chars = folded.chars().count();
            let forms = analyze::forms(&folded);
            let (mut terms, own) = word_terms(
                &folded,
                i == last,
                |t| self.doc_freq(&searcher, t),
                |p| self.prefixed(&searcher, p),
            )?;
            // The thesaurus bridges words the collection hardly uses; a word it uses
            // widely finds its entries itself, and expanding it would cost the site
            // large postings for little.
            let df = self.doc_freq(&searcher, &stem)?;
            let mut synonyms: Vec<Alternative> = Vec::new();
            if parts.len() > 1 {
                let stems = parts
                    .iter()
                    .map(|p| analyze::stem(&analyze::folded(p).unwrap_or_default()));
                synonyms.push(Alternative::new(stems.collect(), How::Parts));
            }
            let neighbours = [
                i.checked_sub(1).and_then(|k| joins[k].clone()),
                joins[i].clone(),
            ];
            synonyms.extend(
                neighbours
                    .into_iter()
                    .flatten()
                    .map(|j| Alternative::new(vec![j], How::Joined)),
            );
            let mut related = std::mem::take(&mut phrases[i]);
            if df < expand_below(searcher.num_docs()) {
                let mut expansions: Vec<Vec<String>> = Vec::new();
                for form in &forms {
                    for alt in self.matchable(&searcher, self.thesaurus.expansions(form))? {
                        if !expansions.contains(&alt) {
                            expansions.push(alt);
                        }
                    }
                }
                related.extend(expansions);
            }
            synonyms.extend(
                related
                    .into_iter()
                    .map(|t| Alternative::new(t, How::Synonym)),
            );
            // A verb also finds its noun in -ung where the stemmer keeps them apart
            // (`gründen`, `Gründung`; `beraten` and `Beratung` share a term already).
            let noun = format!("{stem}ung");
            if stem.chars().count() >= 3
                && !terms.contains(&noun)
                && self.doc_freq(&searcher, &noun)? > 0
            {
                synonyms.push(Alternative::new(vec![noun], How::Derived));
            }
            let (mut corrected, mut guessed, mut apart) = (false, false, false);
            let (mut splits, mut near) = (Vec::new(), Vec::new());
            if df == 0 && terms.len() == 1 && synonyms.is_empty() && chars >= CORRECT_MIN_CHARS {
                // The site's runtime sees the terms of the stem's dictionary part:
                // split and correct with exactly those.
                let key = crate::search_export::part_key(&stem);
                let part: Vec<(String, u64)> = self
                    .prefixed(&searcher, &stem.chars().take(2).collect::<String>())?
                    .into_iter()
                    .filter(|(t, _)| crate::search_export::part_key(t) == key)
                    .collect();
                // A compound the collection never writes: its parts, where they stand
                // close together (`Patenschaftsprogramm`, `Programm für Patenschaften`).
                // The part's spellings, folded once: modifiers as written, and what a
                // correction counts its edits to.
                let spellings = self.spellings();
                let written: Vec<Vec<String>> = part
                    .iter()
                    .map(|(t, _)| {
                        spellings
                            .of(t)
                            .iter()
                            .filter_map(|w| analyze::folded(w))
                            .collect()
                    })
                    .collect();
                let forms = part.iter().zip(&written).flat_map(|((t, _), ws)| {
                    std::iter::once((t.as_str(), t.as_str()))
                        .chain(ws.iter().map(move |f| (t.as_str(), f.as_str())))
                });
                // Each head's terms, looked up once: they decide whether the split is
                // tried and where its head stands.
                let mut tried = Vec::new();
                for (modifier, head) in analyze::query_splits_by(&folded, forms) {
                    let heads = self.head_terms(&searcher, &head)?;
                    if !heads.is_empty() {
                        tried.push((modifier, head, heads));
                    }
                }
                tried.sort_by_key(|(m, _, _)| std::cmp::Reverse(m.chars().count()));
                tried.truncate(analyze::QUERY_SPLITS);
                // A split whose parts never stand together is no reading of the word:
                // without any other, the word is taken for a typo. Parts that stand in
                // the collection, each somewhere, name a topic nobody wrote about.
                apart = !tried.is_empty();
                for (m, h, heads) in tried {
                    let docs = self.close_together(&searcher, &m, &heads)?;
                    if !docs.is_empty() {
                        splits.push((m, h));
                        near.push(docs);
                    }
                }
                apart &= splits.is_empty();
                if splits.is_empty() {
                    let max = if chars >= 8 { 2 } else { 1 };
                    if let Some((t, edits)) = closest(&stem, &folded, &part, &written, max) {
                        guessed = edits >= 2;
                        terms = vec![t];
                        corrected = true;
                    }
                }
            }
            plans.push(WordPlan {
                raw: raw.to_string(),
                own: if corrected { 1 } else { own },
                terms,
                synonyms,
                splits,
                near,
                corrected,
                guessed,
                apart,
            });
        }
        Ok(plans)
    }

    /// The thesaurus alternatives the collection can match (`Thesaurus::matchable`).
    fn matchable(
        &self,
        searcher: &Searcher,
        alts: &[Vec<String>],
    ) -> Result<Vec<Vec<String>>, IndexError> {
        let mut known = HashSet::new();
        for t in alts.iter().flatten() {
            if self.doc_freq(searcher, t)? > 0 {
                known.insert(t.as_str());
            }
        }
        Ok(Thesaurus::matchable(alts, |t| known.contains(t)))
    }

    /// One term's document frequency summed over the text fields, as the static
    /// index's dictionary counts it.
    fn doc_freq(&self, searcher: &Searcher, term: &str) -> Result<u64, IndexError> {
        let mut df = 0;
        for seg in searcher.segment_readers() {
            for field in self.fields.text {
                let inv = seg.inverted_index(field)?;
                if let Some(info) = inv.get_term_info(&Term::from_field_text(field, term))? {
                    df += u64::from(info.doc_freq);
                }
            }
        }
        Ok(df)
    }

    /// Every term starting with `prefix`, with its document frequency summed over the
    /// text fields.
    fn prefixed(
        &self,
        searcher: &Searcher,
        prefix: &str,
    ) -> Result<Vec<(String, u64)>, IndexError> {
        let mut df: BTreeMap<String, u64> = BTreeMap::new();
        for seg in searcher.segment_readers() {
            for field in self.fields.text {
                let inv = seg.inverted_index(field)?;
                let mut stream = inv.terms().range().ge(prefix.as_bytes()).into_stream()?;
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if !term.starts_with(prefix) {
                        break;
                    }
                    *df.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        Ok(df.into_iter().collect())
    }

    /// Documents that match at least `min_words` of the words (each word: any of its
    /// terms in any text field) and every filter.
    fn query(&self, plans: &[WordPlan], filters: &Filters, min_words: usize) -> BooleanQuery {
        // One term in any text field.
        let term = |t: &str| -> Box<dyn Query> {
            let fields: Vec<(Occur, Box<dyn Query>)> = self
                .text_fields()
                .map(|(field, boost)| {
                    let q = TermQuery::new(
                        Term::from_field_text(field, t),
                        IndexRecordOption::WithFreqs,
                    );
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), boost)) as Box<dyn Query>,
                    )
                })
                .collect();
            Box::new(BooleanQuery::new(fields))
        };
        let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in plans {
            // A word: any of its terms, or all terms of one of its expansions, or the
            // documents holding the parts of one of its splits together.
            let mut subs: Vec<(Occur, Box<dyn Query>)> =
                w.terms.iter().map(|t| (Occur::Should, term(t))).collect();
            for alt in &w.synonyms {
                let all = alt.terms.iter().map(|t| (Occur::Must, term(t))).collect();
                subs.push((Occur::Should, Box::new(BooleanQuery::new(all))));
            }
            for docs in &w.near {
                let numbers = docs
                    .iter()
                    .map(|(n, _)| Term::from_field_u64(self.fields.n, u64::from(*n)));
                subs.push((Occur::Should, Box::new(TermSetQuery::new(numbers))));
            }
            words.push((Occur::Should, Box::new(BooleanQuery::new(subs))));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(BooleanQuery::with_minimum_required_clauses(
                words, min_words,
            )),
        )];
        for (facet, value) in filters.pairs() {
            let q = TermQuery::new(
                Term::from_facet(self.fields.facet, &facet_path(facet, value)),
                IndexRecordOption::Basic,
            );
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(q), 0.0)),
            ));
        }
        BooleanQuery::new(clauses)
    }

    /// Runs a query: the best `limit` results, every facet's counts over all matches,
    /// and the number of matches.
    pub fn search(
        &self,
        text: &str,
        filters: &Filters,
        limit: usize,
    ) -> Result<Results, IndexError> {
        self.search_explained(text, filters, limit, false)
    }

    /// `search`, and with `explain` each result says which typed word matched which
    /// term and how (`Hit::explain`).
    pub fn search_explained(
        &self,
        text: &str,
        filters: &Filters,
        limit: usize,
        explain: bool,
    ) -> Result<Results, IndexError> {
        let plans = self.plan(text)?;
        if plans.is_empty() {
            return Ok(Results::default());
        }
        let searcher = self.searcher();
        // tantivy decides what matches (below); the order comes from the same
        // per-term scores the site adds up (six significant digits), added in the same
        // order (terms within a word, then words), so near-ties fall the same way in
        // both.
        let mut per_word: Vec<HashMap<u32, f64>> = Vec::new();
        // With `explain`: per word, what matched where.
        let mut why: Vec<Vec<(Match, Vec<u32>)>> = Vec::new();
        for w in &plans {
            let mut sums: HashMap<u32, f64> = HashMap::new();
            let mut found_by = Vec::new();
            let folded = analyze::folded(&w.raw).unwrap_or_default();
            for (k, t) in w.terms.iter().enumerate() {
                let scores = self.term_scores(&searcher, t)?;
                for &(n, s) in &scores {
                    *sums.entry(n).or_insert(0.0) += stored_score(s);
                }
                if explain {
                    let how = match (w.corrected, k) {
                        (true, _) => How::Correction,
                        (false, 0) if *t == folded => How::Exact,
                        (false, k) if k < w.own => How::Stem,
                        _ => How::Prefix,
                    };
                    let m = Match {
                        terms: vec![t.clone()],
                        how,
                    };
                    found_by.push((m, scores.iter().map(|p| p.0).collect()));
                }
            }
            // An expansion counts where all its terms are, at a lower weight.
            for alt in &w.synonyms {
                let mut found: HashMap<u32, (usize, f64)> = HashMap::new();
                for t in &alt.terms {
                    for (n, s) in self.term_scores(&searcher, t)? {
                        let e = found.entry(n).or_insert((0, 0.0));
                        e.0 += 1;
                        e.1 += stored_score(s);
                    }
                }
                let mut docs = Vec::new();
                for (n, (k, s)) in found {
                    if k == alt.terms.len() {
                        *sums.entry(n).or_insert(0.0) += thesaurus::WEIGHT * s;
                        docs.push(n);
                    }
                }
                if explain {
                    let m = Match {
                        terms: alt.terms.clone(),
                        how: alt.how,
                    };
                    found_by.push((m, docs));
                }
            }
            // A split counts where its parts stand together, at the expansions' weight.
            for ((m, h), docs) in w.splits.iter().zip(&w.near) {
                for &(n, s) in docs {
                    *sums.entry(n).or_insert(0.0) += thesaurus::WEIGHT * s;
                }
                if explain {
                    let m = Match {
                        terms: vec![m.clone(), h.clone()],
                        how: How::Parts,
                    };
                    found_by.push((m, docs.iter().map(|p| p.0).collect()));
                }
            }
            per_word.push(sums);
            why.push(found_by);
        }
        // Every word must match. When no document holds them all, a question or
        // sentence (`analyze::is_sentence`) of three or more words falls back to the
        // documents holding at least two words and half of those the collection
        // knows, those with the most words first: a plain question still finds
        // something. Keywords (`Altersfeststellung unbegleitete Minderjährige`) name a
        // topic, and a topic nobody wrote about finds nothing; so does a sentence the
        // collection knows half the words of or fewer, not counting words most
        // entries hold (no entry can hold most of the telling words), or whose
        // opening word names a topic the collection does not know (`Schwimmkurs für
        // geflüchtete Kinder`, `analyze::opens_with_topic`), or that holds a compound
        // whose parts stand in the collection but never together (`Sportverein`,
        // `WordPlan::apart`), or a word it does not know written as a noun
        // (`Wie finden wir Gastfamilien für Jugendliche?`).
        let n = plans.len();
        // A word the collection knows finds some entry on its own, and is not a
        // correction over two edits (SEARCH.md, variant X2, shipped after set 13).
        let known: Vec<bool> = per_word
            .iter()
            .zip(&plans)
            .map(|(w, p)| !w.is_empty() && !p.guessed)
            .collect();
        // An unknown word written as a noun (`Gastfamilien`) is the topic too: the
        // sentence's other words would answer a topic nobody wrote about (SEARCH.md
        // step 23, variant FN).
        let topic_known = (known[0] || !analyze::opens_with_topic(text))
            && !plans
                .iter()
                .zip(&known)
                .any(|(p, &k)| p.apart || !k && analyze::written_as_noun(&p.raw));
        // Words in half the entries or more say nothing of a topic (their
        // Robertson–Spärck Jones weight is 0 or less): they count for neither side.
        // Where every word is that common, all of them count.
        let docs = searcher.num_docs() as usize;
        let common = |i: usize| 2 * per_word[i].len() >= docs;
        let all_common = (0..n).all(common);
        let n_topic = (0..n).filter(|&i| all_common || !common(i)).count();
        let known_topic = (0..n)
            .filter(|&i| known[i] && (all_common || !common(i)))
            .count();
        let known = known.iter().filter(|&&k| k).count();
        let least =
            if n >= 3 && 2 * known_topic > n_topic && topic_known && analyze::is_sentence(text) {
                2.max(known.div_ceil(2))
            } else {
                n
            };
        let mut found = None;
        for min_words in [n, least] {
            let query = self.query(&plans, filters, min_words);
            let mut facets = FacetCollector::for_field("facet");
            for f in COUNTED_FACETS {
                facets.add_facet(Facet::from_path([f]));
            }
            let (matches, counts) = searcher.search(&query, &(DocSetCollector, facets))?;
            if !matches.is_empty() || min_words == least {
                found = Some((query, matches, counts, min_words < n));
                break;
            }
        }
        let Some((query, matches, counts, partial)) = found else {
            return Ok(Results::default());
        };
        let mut scored = Vec::with_capacity(matches.len());
        for addr in matches {
            let n = self.number(&searcher, addr)?;
            let score = per_word.iter().fold(0.0, |acc, w| {
                acc + w.get(&(n as u32)).copied().unwrap_or(0.0)
            });
            let words = per_word
                .iter()
                .filter(|w| w.contains_key(&(n as u32)))
                .count();
            scored.push((words, score, n, addr));
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
        let total = scored.len() as u64;
        let mut out = Results {
            total,
            partial: partial && total > 0,
            corrected: plans
                .iter()
                .filter(|w| w.corrected)
                .map(|w| Correction {
                    word: w.raw.clone(),
                    term: w.terms[0].clone(),
                    written: spelled_like(self.spellings().of(&w.terms[0]), &w.raw)
                        .unwrap_or(&w.terms[0])
                        .to_string(),
                })
                .collect(),
            ..Results::default()
        };
        for f in COUNTED_FACETS {
            let m: BTreeMap<String, u64> = counts
                .get(Facet::from_path([f]))
                .filter_map(|(facet, n)| facet.to_path().last().map(|v| (v.to_string(), n)))
                .collect();
            if !m.is_empty() {
                out.facets.insert(f.to_string(), m);
            }
        }
        let mut snippets = SnippetGenerator::create(&searcher, &query, self.fields.text[1])?;
        snippets.set_max_num_chars(200);
        for (_, score, n, addr) in scored.into_iter().take(limit) {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |f: Field| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            // The summary with the matching words marked; unmarked when the match is
            // elsewhere.
            let s = snippets.snippet_from_doc(&doc);
            let snippet = if s.highlighted().is_empty() {
                html_escape(&text(self.fields.text[1]))
            } else {
                s.to_html()
            };
            out.results.push(Hit {
                slug: text(self.fields.slug),
                title: text(self.fields.text[0]),
                url: text(self.fields.url),
                score,
                district: text(self.fields.district_label),
                field: text(self.fields.field),
                outcome: text(self.fields.outcome),
                snippet,
                explain: plans
                    .iter()
                    .zip(&why)
                    .filter(|_| explain)
                    .map(|(w, found_by)| WordMatch {
                        word: w.raw.clone(),
                        matches: found_by
                            .iter()
                            .filter(|(_, docs)| docs.contains(&(n as u32)))
                            .map(|(m, _)| m.clone())
                            .collect(),
                    })
                    .collect(),
            });
        }
        Ok(out)
    }

    /// One scorer per (segment, text field): what tantivy's BM25 needs to score that
    /// field's postings, and each document's number.
    pub fn field_scorers<'s>(
        &self,
        searcher: &'s Searcher,
    ) -> Result<Vec<FieldScorer<'s>>, IndexError> {
        let mut out = Vec::new();
        for seg in searcher.segment_readers() {
            // Looked up once per segment: the postings ask for millions of numbers.
            let column = seg.fast_fields().u64("n")?;
            let numbers: std::sync::Arc<[u32]> = (0..seg.max_doc())
                .map(|d| column.first(d).map_or(0, |n| n as u32))
                .collect();
            for (i, (field, boost)) in self.text_fields().enumerate() {
                out.push(FieldScorer {
                    searcher,
                    inverted: seg.inverted_index(field)?,
                    norms: seg.get_fieldnorms_reader(field)?,
                    numbers: numbers.clone(),
                    field,
                    boost,
                    block: field_block(i),
                });
            }
        }
        Ok(out)
    }

    /// One term's score per document (by number), summed over the boosted text
    /// fields in field order — the same values `search_export` writes.
    pub fn term_scores(
        &self,
        searcher: &Searcher,
        term: &str,
    ) -> Result<Vec<(u32, f32)>, IndexError> {
        self.scan(searcher, term, None)
    }

    /// `term_scores`, and per document (by number) the blocks the term stands in: a
    /// text field other than the body is one block, the body's paragraphs one each
    /// (`analyze::BLOCK_SHIFT`); sorted, each pair once. One pass over the postings.
    pub fn term_places(
        &self,
        searcher: &Searcher,
        term: &str,
    ) -> Result<(Vec<(u32, f32)>, Blocks), IndexError> {
        let mut blocks = Vec::new();
        let scores = self.scan(searcher, term, Some(&mut blocks))?;
        blocks.sort_unstable();
        blocks.dedup();
        Ok((scores, blocks))
    }

    fn scan(
        &self,
        searcher: &Searcher,
        term: &str,
        blocks: Option<&mut Blocks>,
    ) -> Result<Vec<(u32, f32)>, IndexError> {
        read_term(&self.field_scorers(searcher)?, term, blocks).map(|(_, scores)| scores)
    }

    /// The terms a query compound's head stands for: itself where the collection
    /// has it, and from `HEAD_PREFIX_MIN` characters on the `PREFIX_TERMS` most
    /// frequent terms it begins, as the last word's prefix (a compound's parts are
    /// often written only inside other compounds: `Mangel` in `Mangelware`).
    fn head_terms(&self, searcher: &Searcher, head: &str) -> Result<Vec<String>, IndexError> {
        let mut out = Vec::new();
        if self.doc_freq(searcher, head)? > 0 {
            out.push(head.to_string());
        }
        if head.chars().count() >= HEAD_PREFIX_MIN {
            let more = self.prefix_terms(searcher, head, &out)?;
            out.extend(more);
        }
        Ok(out)
    }

    /// The `PREFIX_TERMS` most frequent terms `prefix` begins, then in term order,
    /// leaving out those of `except`: what a prefix stands for.
    fn prefix_terms(
        &self,
        searcher: &Searcher,
        prefix: &str,
        except: &[String],
    ) -> Result<Vec<String>, IndexError> {
        Ok(most_frequent(self.prefixed(searcher, prefix)?, except))
    }

    /// The documents holding the modifier and one of the head's terms
    /// (`head_terms`) in one block, each with the modifier's score plus those of the
    /// head's terms it holds, in document order.
    fn close_together(
        &self,
        searcher: &Searcher,
        modifier: &str,
        heads: &[String],
    ) -> Result<Vec<(u32, f64)>, IndexError> {
        let (a, ba) = self.term_places(searcher, modifier)?;
        let mut b: HashMap<u32, f64> = HashMap::new();
        let mut bb = Vec::new();
        for t in heads {
            let (scores, places) = self.term_places(searcher, t)?;
            for (n, s) in scores {
                *b.entry(n).or_insert(0.0) += stored_score(s);
            }
            bb.extend(places);
        }
        bb.sort_unstable();
        bb.dedup();
        let blocks = |all: &[(u32, u32)], n: u32| -> Vec<u32> {
            let from = all.partition_point(|p| p.0 < n);
            all[from..]
                .iter()
                .take_while(|p| p.0 == n)
                .map(|p| p.1)
                .collect()
        };
        let mut out = Vec::new();
        for (n, sa) in a {
            let Some(&sb) = b.get(&n) else { continue };
            let (x, y) = (blocks(&ba, n), blocks(&bb, n));
            if x.iter().any(|k| y.contains(k)) {
                out.push((n, 0.0 + stored_score(sa) + sb));
            }
        }
        Ok(out)
    }

    fn number(&self, searcher: &Searcher, addr: DocAddress) -> Result<u64, IndexError> {
        let seg = searcher.segment_reader(addr.segment_ord);
        let col = seg.fast_fields().u64("n")?;
        Ok(col.first(addr.doc_id).unwrap_or(u64::MAX))
    }
}

/// The `PREFIX_TERMS` most frequent of `found` (term, document frequency), then in
/// term order, leaving out those of `except`: what a prefix stands for.
fn most_frequent(mut found: Vec<(String, u64)>, except: &[String]) -> Vec<String> {
    found.retain(|(t, _)| !except.contains(t));
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found
        .into_iter()
        .take(PREFIX_TERMS)
        .map(|(t, _)| t)
        .collect()
}

/// The terms a folded query word matches by itself, and how many of them are its
/// own: its term; its other number's where the stemmer splits them and the collection
/// has it (`df`); then, for the last word from `PREFIX_MIN_CHARS` characters on, the
/// terms it begins (`prefixed`: each with its document frequency summed over the text
/// fields). The static index bundles the postings of such sets by these same rules
/// (`search_export`), and the site's runtime makes them alike (`engine.js` `plan`).
pub fn word_terms<E>(
    folded: &str,
    last: bool,
    mut df: impl FnMut(&str) -> Result<u64, E>,
    prefixed: impl FnOnce(&str) -> Result<Vec<(String, u64)>, E>,
) -> Result<(Vec<String>, usize), E> {
    let mut forms = analyze::forms(folded).into_iter();
    let mut terms: Vec<String> = forms.next().into_iter().collect();
    for form in forms {
        if df(&form)? > 0 {
            terms.push(form);
        }
    }
    let own = terms.len();
    if last && folded.chars().count() >= PREFIX_MIN_CHARS {
        let more = most_frequent(prefixed(folded)?, &terms);
        terms.extend(more);
    }
    Ok((terms, own))
}

/// A per-term score as the static index stores it and both rankings add it up: the
/// f32 from tantivy's BM25, to six significant digits (relative error ≤ 5e-6).
pub fn stored_score(s: f32) -> f64 {
    match six_digits(s) {
        // Both are exact in f64 and the division rounds correctly, so this is the
        // number the decimal text parses to.
        Some((digits, exp)) if exp <= 5 => digits as f64 / POW10[(5 - exp) as usize],
        Some((digits, exp)) => digits as f64 * POW10[(exp - 5) as usize],
        None => format!("{s:.5e}").parse().unwrap_or(f64::from(s)),
    }
}

/// The powers of ten that are exact in f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `s` to six significant digits as `format!("{s:.5e}")` rounds it (on the exact
/// binary value, ties to even), without the text: `(digits, exp)` with `digits` in
/// 100,000..=999,999 and `s ≈ digits × 10^(exp − 5)`. A build rounds millions of
/// scores, and formatting was a fifth of the export. `None` for zero and outside
/// 1e-12..1e12 (BM25 scores stay far inside), where callers format.
pub(crate) fn six_digits(s: f32) -> Option<(u64, i32)> {
    if !(s.is_finite() && (1e-12..1e12).contains(&s)) {
        return None;
    }
    let bits = s.to_bits();
    let (m, e) = match (bits >> 23) & 0xff {
        0 => (bits & 0x7f_ffff, -149),
        b => ((bits & 0x7f_ffff) | 0x80_0000, b as i32 - 150),
    };
    // s = m·2^e exactly. The decimal exponent from log10 may be off by one near a
    // power of ten; the quotient's size corrects it. Within the range the numbers
    // stay under 2^90.
    let mut exp = f64::from(s).log10().floor() as i32;
    loop {
        let scale = 5 - exp;
        let (mut num, mut den) = (u128::from(m), 1u128);
        if e >= 0 {
            num <<= e;
        } else {
            den <<= -e;
        }
        if scale >= 0 {
            num *= 10u128.pow(scale as u32);
        } else {
            den *= 10u128.pow((-scale) as u32);
        }
        let (q, r) = (num / den, num % den);
        if q < 100_000 {
            exp -= 1;
        } else if q >= 1_000_000 {
            exp += 1;
        } else {
            let q = q as u64 + u64::from(2 * r > den || (2 * r == den && q % 2 == 1));
            return Some(if q == 1_000_000 {
                (100_000, exp + 1)
            } else {
                (q, exp)
            });
        }
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

fn register(index: &Index) {
    index.tokenizers().register(
        analyze::TOKENIZER,
        TextAnalyzer::from(GermanTokenizer::default()),
    );
}

/// Scores the postings of one text field of one segment with tantivy's BM25.
pub struct FieldScorer<'s> {
    searcher: &'s Searcher,
    pub inverted: std::sync::Arc<InvertedIndexReader>,
    norms: FieldNormReader,
    numbers: std::sync::Arc<[u32]>,
    pub field: Field,
    boost: f32,
    /// The block every word of this field is in; `None` for the body, whose
    /// paragraphs are blocks `BODY_BLOCKS` on.
    block: Option<u32>,
}

/// (document number, block) pairs: where a term stands (`SearchIndex::term_places`).
pub type Blocks = Vec<(u32, u32)>;

/// The body's first paragraph is this block; the blocks before it are the other
/// text fields (by their place in `TEXT_FIELDS`).
pub const BODY_BLOCKS: u32 = TEXT_FIELDS.len() as u32;

/// The block every word of the `TEXT_FIELDS[i]` stands in; `None` for the body. Title,
/// summary and tags say together what an entry is about, so they are one block: a
/// compound's parts may stand in any of them (`Traumaberatung`: "Erstberatung" in
/// the title, `Trauma` among the tags). Every other field is a block of its own.
fn field_block(i: usize) -> Option<u32> {
    match TEXT_FIELDS[i].0 {
        "body" => None,
        "title" | "summary" | "tags" => Some(0),
        _ => Some(i as u32),
    }
}

impl FieldScorer<'_> {
    /// Appends (document number, boosted BM25 score) for every posting of `term`, and
    /// with `blocks` (document number, block) for every place it stands, in one pass.
    pub fn push(
        &self,
        term: &str,
        info: &TermInfo,
        out: &mut Vec<(u32, f32)>,
        mut blocks: Option<&mut Vec<(u32, u32)>>,
    ) -> Result<(), IndexError> {
        let weight =
            Bm25Weight::for_terms(self.searcher, &[Term::from_field_text(self.field, term)])?
                .boost_by(self.boost);
        let record = match (&blocks, self.block) {
            (Some(_), None) => IndexRecordOption::WithFreqsAndPositions,
            _ => IndexRecordOption::WithFreqs,
        };
        let mut postings = self.inverted.read_postings_from_terminfo(info, record)?;
        let mut positions = Vec::new();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            let n = self.numbers[doc as usize];
            let s = weight.score(self.norms.fieldnorm_id(doc), postings.term_freq());
            out.push((n, s));
            match (blocks.as_deref_mut(), self.block) {
                (None, _) => {}
                (Some(blocks), Some(b)) => blocks.push((n, b)),
                (Some(blocks), None) => {
                    postings.positions(&mut positions);
                    let mut last = None;
                    for p in &positions {
                        let b = BODY_BLOCKS + (p >> analyze::BLOCK_SHIFT);
                        if last != Some(b) {
                            blocks.push((n, b));
                            last = Some(b);
                        }
                    }
                }
            }
            doc = postings.advance();
        }
        Ok(())
    }
}

/// One term in the (segment, field) pairs of `scorers`: its document frequency, and its
/// score per document (by number), summed over the fields in field order. With
/// `blocks`, appends (document, block) for every place it stands, unsorted. What
/// `zirkel search` adds up and `search_export` writes.
pub fn read_term(
    scorers: &[FieldScorer],
    term: &str,
    mut blocks: Option<&mut Blocks>,
) -> Result<(u64, Vec<(u32, f32)>), IndexError> {
    let (mut df, mut out) = (0, Vec::new());
    for scorer in scorers {
        let t = Term::from_field_text(scorer.field, term);
        if let Some(info) = scorer.inverted.get_term_info(&t)? {
            df += u64::from(info.doc_freq);
            scorer.push(term, &info, &mut out, blocks.as_deref_mut())?;
        }
    }
    out.sort_by_key(|p| p.0);
    Ok((df, sum_fields(out)))
}

/// Per document, the sum of its field scores, added in field order as tantivy's
/// boolean query adds its clauses. Expects the pairs sorted stably by document.
fn sum_fields(sorted: Vec<(u32, f32)>) -> Vec<(u32, f32)> {
    let mut out: Vec<(u32, f32)> = Vec::with_capacity(sorted.len());
    for (n, s) in sorted {
        match out.last_mut() {
            Some(last) if last.0 == n => last.1 += s,
            _ => out.push((n, s)),
        }
    }
    out
}

/// The terms one word of a query matches: its own term first, then (for the last
/// word) the terms it is a prefix of; or, for a word that matches no term, the
/// closest term instead (`corrected`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordPlan {
    pub raw: String,
    pub terms: Vec<String>,
    /// How many of `terms` are the word's own (its term, its other number's); the
    /// rest are the last word's prefixed terms.
    #[serde(skip)]
    pub own: usize,
    /// Alternatives to the word's own terms, each a list of terms that must all
    /// match, scored at `thesaurus::WEIGHT`, in this order: a hyphenated word's parts,
    /// the word joined with a neighbour, a typed-out thesaurus phrase and the
    /// thesaurus expansions of its terms in either number (only those the collection
    /// can match), its noun in -ung.
    pub synonyms: Vec<Alternative>,
    /// For a word that matches no term, the (modifier, head) terms it splits into:
    /// they count, at `thesaurus::WEIGHT`, where both stand in one block of an entry
    /// (`analyze::query_splits`).
    pub splits: Vec<(String, String)>,
    /// Per split, the documents where its parts stand together, with their scores.
    #[serde(skip)]
    pub near: Vec<Vec<(u32, f64)>>,
    pub corrected: bool,
    /// Corrected over two edits: a guess that far says nothing of whether the
    /// collection knows the word (`Gesundheitskarte` taken for `Gesundheitsamt`).
    pub guessed: bool,
    /// A compound whose parts the collection knows but never holds in one block: it
    /// names a topic nobody wrote about, so a sentence holding it falls back to no
    /// partial matches (SEARCH.md step 19).
    pub apart: bool,
}

/// One alternative of a query word: terms that must all match, and where they came
/// from (for `--explain`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    pub terms: Vec<String>,
    pub how: How,
}

impl Alternative {
    fn new(terms: Vec<String>, how: How) -> Alternative {
        Alternative { terms, how }
    }
}

/// A word expands to its thesaurus groups when its own term's document frequency
/// (summed over the text fields, as in the dictionary) is below this: under 5 % of
/// the entries, and always under 10. The 5 % keep large sites' downloads small; in a
/// small collection a word in one entry's title, summary and body already counts 3.
pub fn expand_below(docs: u64) -> u64 {
    (docs / 20).max(10)
}

/// Words shorter than this (folded) are not corrected: too many terms are near them.
pub const CORRECT_MIN_CHARS: usize = 4;

/// Edit distance where swapping two neighbouring letters counts one (optimal string
/// alignment), on characters; `max + 1` as soon as it must exceed `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let w = b.len() + 1;
    let mut d: Vec<usize> = (0..(a.len() + 1) * w)
        .map(|k| if k < w { k } else { 0 })
        .collect();
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()].min(max + 1)
}

/// The term nearest to a typed word within `max` edits, and how many: measured to
/// the term from the word's stem and to each of the term's spellings from the word
/// (`written`, folded, beside `terms`), whichever is fewer, so that a typo in an
/// ending the stemmer cuts differently still counts one edit (`Zuständigkieten` is
/// one from `Zuständigkeiten`, though its stem is far from `zustand`). The fewest
/// edits win, then the most frequent term, then the first in term order (`terms` is
/// in term order, with document frequencies). Never a stop word: `Mietern` is no
/// typo of `mit`.
pub fn closest(
    stem: &str,
    word: &str,
    terms: &[(String, u64)],
    written: &[Vec<String>],
    max: usize,
) -> Option<(String, usize)> {
    let mut best: Option<(usize, u64, &str)> = None;
    for ((t, df), ws) in terms.iter().zip(written) {
        if analyze::is_stop_word(t) {
            continue;
        }
        let d = ws.iter().fold(edit_distance(stem, t, max), |d, s| {
            d.min(edit_distance(word, s, max))
        });
        if d <= max && best.is_none_or(|b| d < b.0 || d == b.0 && *df > b.1) {
            best = Some((d, *df, t));
        }
    }
    best.map(|b| (b.2.to_string(), b.0))
}

/// Of a term's spellings (the most frequent first), the one nearest to what was
/// typed, case aside: `Einwohnerversamlung` is told `Einwohnerversammlung`, not the
/// collection's more frequent `Einwohnerversammlungen`. Ties go to the more frequent.
pub fn spelled_like<'a>(spellings: &'a [String], typed: &str) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for s in spellings {
        let d = edit_distance(&typed, &s.to_lowercase(), analyze::MAX_TOKEN_CHARS);
        if best.is_none_or(|b| d < b.0) {
            best = Some((d, s));
        }
    }
    best.map(|b| b.1)
}

/// A word of the query that matched nothing, and the term searched instead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correction {
    pub word: String,
    pub term: String,
    /// The term as the collection writes it, in the form nearest to `word`, for
    /// people to read (`spelled_like`).
    pub written: String,
}

/// Facet filters: each set one must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub field: Option<String>,
    pub district: Option<String>,
    pub land: Option<String>,
    pub outcome: Option<String>,
    pub target_group: Option<String>,
    pub participation: Option<String>,
}

impl Filters {
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("field", &self.field),
            ("district", &self.district),
            ("land", &self.land),
            ("outcome", &self.outcome),
            ("target_group", &self.target_group),
            ("participation", &self.participation),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub score: f64,
    pub district: String,
    pub field: String,
    pub outcome: String,
    /// HTML: the text escaped, matching words in `<b>`.
    pub snippet: String,
    /// With `--explain`: per typed word, the terms it matched here and how.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explain: Vec<WordMatch>,
}

/// One typed word of the query and what it matched in one result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordMatch {
    pub word: String,
    pub matches: Vec<Match>,
}

/// Terms a word matched (several for a phrase of the thesaurus), and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub terms: Vec<String>,
    pub how: How,
}

/// How a term came from a typed word.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// The word as typed (folded: case and umlauts don't matter).
    Exact,
    /// The word's stem: another form of it.
    Stem,
    /// A longer word the last word begins.
    Prefix,
    /// All parts of a hyphenated word, written apart or differently joined.
    Parts,
    /// The word written together with the word before or after it.
    Joined,
    /// The noun in -ung of a verb (`gründen`, `Gründung`).
    Derived,
    /// Another member of one of its thesaurus groups.
    Synonym,
    /// The nearest term to a word that matched nothing.
    Correction,
}

/// What a query found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Results {
    pub results: Vec<Hit>,
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    pub total: u64,
    /// No document holds every word: these hold the most of them (see `search`).
    pub partial: bool,
    /// Words that matched no term, each searched as the closest term instead.
    pub corrected: Vec<Correction>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f32 values across the range scores take, every kind of rounding case among
    /// them: random bit patterns, integers ending in a tie digit, powers of ten and
    /// their neighbours.
    fn rounding_samples() -> Vec<f32> {
        let mut out = Vec::new();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..300_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = f32::from_bits((x >> 32) as u32);
            if v.is_finite() && v > 0.0 {
                out.push(v);
            }
        }
        for i in 0..20_000u32 {
            out.push((1_000_000 + i * 10 + 5) as f32);
            out.push((100_000 + i) as f32 + 0.5);
        }
        for p in -13..13 {
            let v = 10f32.powi(p);
            for d in -3i32..=3 {
                out.push(f32::from_bits((v.to_bits() as i32 + d) as u32));
            }
        }
        out.extend([
            0.0,
            1e-12,
            1e12,
            f32::MIN_POSITIVE,
            f32::MAX,
            0.999_999_5,
            9.999_995,
        ]);
        out
    }

    #[test]
    fn six_digit_rounding_equals_the_decimal_text_it_replaces() {
        for v in rounding_samples() {
            let text = format!("{v:.5e}");
            let parsed: f64 = text.parse().unwrap();
            assert_eq!(stored_score(v).to_bits(), parsed.to_bits(), "{v:e} {text}");
            if let Some((digits, exp)) = six_digits(v) {
                let (m, e) = text.split_once('e').unwrap();
                assert_eq!(
                    (digits, exp),
                    (m.replace('.', "").parse().unwrap(), e.parse().unwrap()),
                    "{v:e}"
                );
            }
        }
    }

    #[test]
    fn a_correction_is_spelled_as_near_the_typed_word_as_the_collection_allows() {
        let like = |spellings: &[&str], typed: &str| {
            let ws: Vec<String> = spellings.iter().map(|s| s.to_string()).collect();
            spelled_like(&ws, typed).map(str::to_string)
        };
        assert_eq!(
            like(
                &["Einwohnerversammlungen", "Einwohnerversammlung"],
                "einwohnerversamlung"
            )
            .as_deref(),
            Some("Einwohnerversammlung")
        );
        // Equally near: the more frequent, which comes first.
        assert_eq!(
            like(
                &["Integrationskurse", "Integrationskurs"],
                "Integrationskurss"
            )
            .as_deref(),
            Some("Integrationskurse")
        );
        assert_eq!(spelled_like(&[], "Monitorng"), None);
    }

    #[test]
    fn a_swap_of_neighbours_is_one_edit_and_distances_stop_above_the_limit() {
        assert_eq!(edit_distance("sprachkrus", "sprachkurs", 2), 1);
        assert_eq!(edit_distance("monitorng", "monitoring", 2), 1);
        assert_eq!(edit_distance("kita", "kita", 1), 0);
        assert_eq!(edit_distance("ab", "ba", 1), 1);
        assert_eq!(edit_distance("haus", "maus", 1), 1);
        assert_eq!(edit_distance("ehrenamtlch", "ehrenamt", 2), 3, "limit + 1");
        assert_eq!(edit_distance("über", "uber", 1), 1, "characters, not bytes");
    }

    #[test]
    fn the_closest_term_wins_then_the_most_frequent_then_the_first() {
        let terms: Vec<(String, u64)> = [("kurs", 5), ("kurse", 9), ("kurz", 9), ("kuss", 9)]
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect();
        let near = |w: &str, terms: &[(String, u64)]| {
            closest(w, w, terms, &vec![Vec::new(); terms.len()], 1).map(|c| c.0)
        };
        // "kurd": one edit from kurs (5), kurz (9); two from kurse, kuss.
        assert_eq!(near("kurd", &terms).as_deref(), Some("kurz"));
        assert_eq!(near("kurs", &terms).as_deref(), Some("kurs"));
        assert_eq!(near("xyz", &terms), None);
        let stop = [("mit".to_string(), 30), ("mitt".to_string(), 1)];
        assert_eq!(near("miet", &stop).as_deref(), Some("mitt"));
        // Equal edits: the more frequent (kuss 9 over kurs 5) …
        assert_eq!(near("kuxs", &terms).as_deref(), Some("kuss"));
        // … and with equal frequency too, the first in term order (kurz before kuss).
        assert_eq!(near("kusz", &terms).as_deref(), Some("kurz"));
    }

    #[test]
    fn a_typo_in_an_ending_counts_its_edits_to_the_word_as_written_not_to_the_stem() {
        // The stemmer cuts `zustandigkieten` to `zustandigkiet`, six edits from the
        // term `zustand`; the collection writes `Zuständigkeiten`, one swap away.
        let terms = [("zustand".to_string(), 3), ("zustimm".to_string(), 5)];
        let written = [
            vec!["zustandigkeiten".to_string(), "zustandigkeit".to_string()],
            vec![],
        ];
        assert_eq!(
            closest("zustandigkiet", "zustandigkieten", &terms, &written, 2),
            Some(("zustand".to_string(), 1))
        );
        // Without its spellings the term is out of reach.
        assert_eq!(
            closest(
                "zustandigkiet",
                "zustandigkieten",
                &terms,
                &[vec![], vec![]],
                2
            ),
            None
        );
    }
}
