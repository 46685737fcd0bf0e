//! The validated collection and its relations: listings by field, district, Land,
//! outcome, target group and tag; related entries; adoption records; peer districts.
//! Everything is computed once from inverted indexes, never by comparing all pairs.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::slugify;
use crate::districts::{District, Districts};
use crate::validate::{Entry, Page};

/// How many related entries and peer districts a page shows.
pub const RELATED: usize = 5;
pub const PEERS: usize = 5;
/// A tag shared by very many entries says little about relatedness; looking at its
/// newest entries only keeps related-entry work linear.
const TAG_BUCKET_SCAN: usize = 200;

/// The entries (or other values) an index holds for `key`; none when it has no list.
pub fn listed<'a, K, Q, T>(index: &'a BTreeMap<K, Vec<T>>, key: &Q) -> &'a [T]
where
    K: Ord + std::borrow::Borrow<Q>,
    Q: Ord + ?Sized,
{
    index.get(key).map_or(&[], Vec::as_slice)
}

/// A tag with the slug of its page.
#[derive(Debug, Clone)]
pub struct Tag {
    pub slug: String,
    pub label: String,
    pub entries: Vec<usize>,
}

/// The published collection: entries newest first, with indexes into that order.
#[derive(Clone)]
pub struct Collection {
    pub config: Config,
    pub entries: Vec<Arc<Entry>>,
    pub pages: Vec<Page>,
    pub by_field: BTreeMap<String, Vec<usize>>,
    pub by_outcome: BTreeMap<String, Vec<usize>>,
    pub by_target_group: BTreeMap<String, Vec<usize>>,
    pub by_district: BTreeMap<String, Vec<usize>>,
    pub by_land: BTreeMap<String, Vec<usize>>,
    /// Tag slug → tag; tags whose text differs only in case share a page.
    pub tags: BTreeMap<String, Tag>,
    /// AGS → entries that district adopted from others.
    pub adopted_by_district: BTreeMap<String, Vec<usize>>,
    /// Per entry (same index as `entries`): indexes of related entries.
    pub related: Vec<Vec<usize>>,
    /// AGS → the most similar districts (population, density) that have entries.
    pub peers: BTreeMap<String, Vec<String>>,
    by_slug: HashMap<String, usize>,
    /// Each entry's tags as slugs (same index as `entries`).
    tag_slugs: Vec<Vec<String>>,
}

/// An entry's tags as slugs, made once for the tag index and for related entries.
fn slugs_of(e: &Entry) -> Vec<String> {
    e.tags.iter().map(|t| slugify(t)).collect()
}

/// Tag slug → tag with its entries; the label is the first spelling met.
fn tag_index(entries: &[Arc<Entry>], tag_slugs: &[Vec<String>]) -> BTreeMap<String, Tag> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        for (t, slug) in e.tags.iter().zip(&tag_slugs[i]) {
            if slug.is_empty() {
                continue;
            }
            match tags.get_mut(slug) {
                Some(tag) => {
                    if tag.entries.last() != Some(&i) {
                        tag.entries.push(i);
                    }
                }
                None => {
                    tags.insert(
                        slug.clone(),
                        Tag {
                            slug: slug.clone(),
                            label: t.clone(),
                            entries: vec![i],
                        },
                    );
                }
            }
        }
    }
    tags
}

/// Adds entry `i` to the list of `key`, allocating the key only the first time.
fn add(index: &mut BTreeMap<String, Vec<usize>>, key: &str, i: usize) {
    match index.get_mut(key) {
        Some(list) => list.push(i),
        None => {
            index.insert(key.to_string(), vec![i]);
        }
    }
}

/// Newest first: by start date, undated last, then by title and slug for stability.
fn order(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    b.started
        .cmp(&a.started)
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.slug.cmp(&b.slug))
}

impl Collection {
    /// Builds the collection from validated entries; drafts are left out.
    pub fn new(
        config: Config,
        mut entries: Vec<Arc<Entry>>,
        mut pages: Vec<Page>,
        districts: &Districts,
    ) -> Collection {
        entries.retain(|e| !e.draft);
        entries.sort_by(|a, b| order(a, b));
        pages.sort_by(|a, b| a.slug.cmp(&b.slug));
        let mut c = Collection {
            config,
            entries,
            pages,
            by_field: BTreeMap::new(),
            by_outcome: BTreeMap::new(),
            by_target_group: BTreeMap::new(),
            by_district: BTreeMap::new(),
            by_land: BTreeMap::new(),
            tags: BTreeMap::new(),
            adopted_by_district: BTreeMap::new(),
            related: Vec::new(),
            peers: BTreeMap::new(),
            by_slug: HashMap::new(),
            tag_slugs: Vec::new(),
        };
        let tag_slugs = c
            .entries
            .par_iter()
            .map(|e| slugs_of(e))
            .collect::<Vec<_>>();
        for (i, e) in c.entries.iter().enumerate() {
            c.by_slug.insert(e.slug.clone(), i);
            add(&mut c.by_field, &e.field, i);
            add(&mut c.by_outcome, &e.outcome, i);
            for g in &e.target_groups {
                add(&mut c.by_target_group, g, i);
            }
            let mut lands: Vec<&str> = Vec::new();
            for ags in &e.districts {
                add(&mut c.by_district, ags, i);
                if !lands.contains(&&ags[..2]) {
                    lands.push(&ags[..2]);
                    add(&mut c.by_land, &ags[..2], i);
                }
            }
            for ags in &e.adopted_by {
                add(&mut c.adopted_by_district, ags, i);
            }
        }
        c.tags = tag_index(&c.entries, &tag_slugs);
        c.related = related(&c, &tag_slugs);
        c.peers = peers(&c, districts);
        c.tag_slugs = tag_slugs;
        c
    }

    /// The collection with `entries` swapped in for those of the same slug, when none
    /// of them differs in what the lists and the order are made of (what a preview
    /// server needs after a typical save, without building every index again): when
    /// only their text, summary, contact and the like changed, nothing is computed
    /// again; when tags changed, only the tag lists and related entries. `None` when
    /// the entries are not the same set, or one of them differs in more.
    pub fn with_changed(&self, entries: &[Arc<Entry>]) -> Option<Collection> {
        let live: Vec<&Arc<Entry>> = entries.iter().filter(|e| !e.draft).collect();
        if live.len() != self.entries.len() {
            return None;
        }
        let mut swaps = Vec::new();
        let mut tags_changed = false;
        for e in live {
            let j = self.entry_index(&e.slug)?;
            let old = &self.entries[j];
            if Arc::ptr_eq(old, e) {
                continue;
            }
            let same = old.path == e.path
                && old.title == e.title
                && old.started == e.started
                && old.field == e.field
                && old.outcome == e.outcome
                && old.districts == e.districts
                && old.adopted_by == e.adopted_by
                && old.target_groups == e.target_groups;
            if !same {
                return None;
            }
            tags_changed |= old.tags != e.tags;
            swaps.push((j, e.clone()));
        }
        let mut c = self.clone();
        // Tags of the changed entries before and after: only entries with one of them
        // can have other related entries now.
        let mut touched: Vec<String> = Vec::new();
        for (j, e) in swaps {
            if tags_changed {
                touched.extend(c.tag_slugs[j].iter().cloned());
                c.tag_slugs[j] = slugs_of(&e);
                touched.extend(c.tag_slugs[j].iter().cloned());
            }
            c.entries[j] = e;
        }
        if tags_changed {
            c.tags = tag_index(&c.entries, &c.tag_slugs);
            let mut ids: Vec<usize> = touched
                .iter()
                .flat_map(|t| {
                    let before = self.tags.get(t).map_or(&[][..], |t| &t.entries[..]);
                    let after = c.tags.get(t).map_or(&[][..], |t| &t.entries[..]);
                    before.iter().chain(after).copied()
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            for (i, list) in ids.iter().zip(related_for(&c, &c.tag_slugs, &ids)) {
                c.related[*i] = list;
            }
        }
        Some(c)
    }

    /// The position of an entry by slug.
    pub fn entry_index(&self, slug: &str) -> Option<usize> {
        self.by_slug.get(slug).copied()
    }

    /// Districts that appear in entries (as authors or adopters).
    pub fn districts_with_entries(&self) -> impl Iterator<Item = &String> {
        self.by_district.keys()
    }

    /// The slug of a tag's page.
    pub fn tag_slug(tag: &str) -> String {
        slugify(tag)
    }
}

fn related(c: &Collection, tag_slugs: &[Vec<String>]) -> Vec<Vec<usize>> {
    let all: Vec<usize> = (0..c.entries.len()).collect();
    related_for(c, tag_slugs, &all)
}

/// The related entries of the entries `ids` (in that order).
fn related_for(c: &Collection, tag_slugs: &[Vec<String>], ids: &[usize]) -> Vec<Vec<usize>> {
    let mut by_field_district: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, e) in c.entries.iter().enumerate() {
        for d in &e.districts {
            by_field_district.entry((&e.field, d)).or_default().push(i);
        }
    }
    // Each entry's tag lists, looked up once.
    let tag_lists: Vec<Vec<&[usize]>> = ids
        .par_iter()
        .map(|&i| {
            tag_slugs[i]
                .iter()
                .filter_map(|t| c.tags.get(t))
                .map(|t| &t.entries[..t.entries.len().min(TAG_BUCKET_SCAN)])
                .collect()
        })
        .collect();
    ids.par_iter()
        .enumerate()
        // Shared-tag counts in a dense array per thread (reset after each entry):
        // far cheaper than a hash map per entry.
        .map_init(
            || (vec![0u32; c.entries.len()], Vec::new()),
            |(counts, touched), (k, &i)| {
                let e = &c.entries[i];
                let mut out: Vec<usize> = Vec::with_capacity(RELATED);
                let push = |out: &mut Vec<usize>, j: usize| {
                    if j != i && !out.contains(&j) && out.len() < RELATED {
                        out.push(j);
                    }
                };
                // 1. Same field and district: the closest experience there is.
                for d in &e.districts {
                    for &j in by_field_district
                        .get(&(e.field.as_str(), d.as_str()))
                        .into_iter()
                        .flatten()
                    {
                        push(&mut out, j);
                    }
                }
                // 2. Shared tags, more shared first, same field breaking ties, then newest.
                if out.len() < RELATED {
                    for list in &tag_lists[k] {
                        for &j in *list {
                            if counts[j] == 0 {
                                touched.push(j);
                            }
                            counts[j] += 1;
                        }
                    }
                    let mut ranked: Vec<(usize, u32)> =
                        touched.iter().map(|&j| (j, counts[j])).collect();
                    for &j in touched.iter() {
                        counts[j] = 0;
                    }
                    touched.clear();
                    let order = |a: &(usize, u32), b: &(usize, u32)| {
                        b.1.cmp(&a.1)
                            .then_with(|| {
                                (c.entries[b.0].field == e.field)
                                    .cmp(&(c.entries[a.0].field == e.field))
                            })
                            .then_with(|| a.0.cmp(&b.0))
                    };
                    // Only the best few can be taken (the entry itself and those
                    // already chosen are skipped): select them, then sort only them.
                    let wanted = RELATED + out.len() + 1;
                    if ranked.len() > wanted {
                        ranked.select_nth_unstable_by(wanted - 1, order);
                        ranked.truncate(wanted);
                    }
                    ranked.sort_unstable_by(order);
                    for (j, _) in ranked {
                        push(&mut out, j);
                        if out.len() == RELATED {
                            break;
                        }
                    }
                }
                // 3. Same field, newest first.
                if out.len() < RELATED {
                    for &j in c
                        .by_field
                        .get(&e.field)
                        .into_iter()
                        .flatten()
                        .take(RELATED + 1)
                    {
                        push(&mut out, j);
                    }
                }
                out
            },
        )
        .collect()
}

/// A district's place in (log population, log density): districts close there are of
/// similar size and settlement structure and face similar questions.
fn position(d: &District) -> (f64, f64) {
    ((d.population.max(1) as f64).ln(), d.density.max(1.0).ln())
}

fn peers(c: &Collection, districts: &Districts) -> BTreeMap<String, Vec<String>> {
    let with: Vec<(&District, (f64, f64))> = c
        .by_district
        .keys()
        .filter_map(|a| districts.by_ags(a))
        .map(|d| (d, position(d)))
        .collect();
    let mut all: Vec<&String> = c.by_district.keys().collect();
    all.extend(c.adopted_by_district.keys());
    all.sort();
    all.dedup();
    all.par_iter()
        .filter_map(|ags| {
            let me = districts.by_ags(ags)?;
            let (p, q) = position(me);
            let mut near: Vec<(f64, &District)> = with
                .iter()
                .filter(|(d, _)| d.ags != me.ags)
                .map(|(d, (dp, dq))| {
                    let (x, y) = (p - dp, q - dq);
                    ((x * x + y * y).sqrt(), *d)
                })
                .collect();
            near.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.ags.cmp(&b.1.ags)));
            Some((
                (*ags).clone(),
                near.into_iter()
                    .take(PEERS)
                    .map(|(_, d)| d.ags.clone())
                    .collect(),
            ))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}
