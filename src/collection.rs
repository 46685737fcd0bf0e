//! The validated collection and its relations: listings by field, district, Land,
//! outcome, target group and tag; related entries; adoption records; peer districts.
//! Everything is computed once from inverted indexes, never by comparing all pairs.

use std::collections::{BTreeMap, HashMap};

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
pub struct Collection {
    pub config: Config,
    pub entries: Vec<Entry>,
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
        mut entries: Vec<Entry>,
        mut pages: Vec<Page>,
        districts: &Districts,
    ) -> Collection {
        entries.retain(|e| !e.draft);
        entries.sort_by(order);
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
        };
        for (i, e) in c.entries.iter().enumerate() {
            c.by_slug.insert(e.slug.clone(), i);
            c.by_field.entry(e.field.clone()).or_default().push(i);
            c.by_outcome.entry(e.outcome.clone()).or_default().push(i);
            for g in &e.target_groups {
                c.by_target_group.entry(g.clone()).or_default().push(i);
            }
            let mut lands: Vec<&str> = Vec::new();
            for ags in &e.districts {
                c.by_district.entry(ags.clone()).or_default().push(i);
                if !lands.contains(&&ags[..2]) {
                    lands.push(&ags[..2]);
                    c.by_land.entry(ags[..2].to_string()).or_default().push(i);
                }
            }
            for ags in &e.adopted_by {
                c.adopted_by_district
                    .entry(ags.clone())
                    .or_default()
                    .push(i);
            }
            for t in &e.tags {
                let slug = slugify(t);
                if slug.is_empty() {
                    continue;
                }
                let tag = c.tags.entry(slug.clone()).or_insert_with(|| Tag {
                    slug,
                    label: t.clone(),
                    entries: Vec::new(),
                });
                if tag.entries.last() != Some(&i) {
                    tag.entries.push(i);
                }
            }
        }
        c.related = related(&c);
        c.peers = peers(&c, districts);
        c
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

fn related(c: &Collection) -> Vec<Vec<usize>> {
    let mut by_field_district: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, e) in c.entries.iter().enumerate() {
        for d in &e.districts {
            by_field_district.entry((&e.field, d)).or_default().push(i);
        }
    }
    c.entries
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
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
                let mut shared: HashMap<usize, usize> = HashMap::new();
                for t in &e.tags {
                    if let Some(tag) = c.tags.get(&slugify(t)) {
                        for &j in tag.entries.iter().take(TAG_BUCKET_SCAN) {
                            *shared.entry(j).or_default() += 1;
                        }
                    }
                }
                let mut ranked: Vec<(usize, usize)> = shared.into_iter().collect();
                ranked.sort_by(|a, b| {
                    b.1.cmp(&a.1)
                        .then_with(|| {
                            (c.entries[b.0].field == e.field)
                                .cmp(&(c.entries[a.0].field == e.field))
                        })
                        .then_with(|| a.0.cmp(&b.0))
                });
                for (j, _) in ranked {
                    push(&mut out, j);
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
        })
        .collect()
}

/// Distance in (log population, log density): districts of similar size and
/// settlement structure face similar questions.
fn distance(a: &District, b: &District) -> f64 {
    let p = (a.population.max(1) as f64).ln() - (b.population.max(1) as f64).ln();
    let d = a.density.max(1.0).ln() - b.density.max(1.0).ln();
    (p * p + d * d).sqrt()
}

fn peers(c: &Collection, districts: &Districts) -> BTreeMap<String, Vec<String>> {
    let with: Vec<&District> = c
        .by_district
        .keys()
        .filter_map(|a| districts.by_ags(a))
        .collect();
    let mut out = BTreeMap::new();
    let mut all: Vec<&String> = c.by_district.keys().collect();
    all.extend(c.adopted_by_district.keys());
    all.sort();
    all.dedup();
    for ags in all {
        let Some(me) = districts.by_ags(ags) else {
            continue;
        };
        let mut near: Vec<(f64, &District)> = with
            .iter()
            .filter(|d| d.ags != me.ags)
            .map(|d| (distance(me, d), *d))
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.ags.cmp(&b.1.ags)));
        out.insert(
            ags.clone(),
            near.into_iter()
                .take(PEERS)
                .map(|(_, d)| d.ags.clone())
                .collect(),
        );
    }
    out
}
