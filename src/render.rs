//! Rendering: turns the collection into HTML pages with tera templates. Views are
//! built once per entry; pages are rendered in parallel, each thread reusing one
//! template context so shared data (strings, site, footer) is not copied per page.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;
use tera::{Context, Tera};

use crate::collection::{listed, Collection};
use crate::config::{Config, Term};
use crate::diagnostic::Diagnostic;
use crate::districts::{land_name, Districts};
use crate::i18n::Catalogue;
use crate::markdown::{self, Heading};
use crate::theme::Theme;
use crate::validate::{Contact, Entry, Source};
use crate::yaml::Pos;

/// One file of the output, by path relative to the output root (always `/`).
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub fn entry_url(slug: &str) -> String {
    format!("praxis/{slug}.html")
}
pub fn field_url(slug: &str) -> String {
    format!("feld/{slug}.html")
}
pub fn field_feed_url(slug: &str) -> String {
    format!("feld/{slug}.xml")
}
pub fn outcome_url(slug: &str) -> String {
    format!("ergebnis/{slug}.html")
}
pub fn target_group_url(slug: &str) -> String {
    format!("zielgruppe/{slug}.html")
}
pub fn tag_url(slug: &str) -> String {
    format!("schlagwort/{slug}.html")
}
pub fn district_url(ags: &str) -> String {
    format!("kreis/{ags}.html")
}
pub fn land_url(code: &str) -> String {
    format!("land/{code}.html")
}
pub fn page_url(slug: &str) -> String {
    format!("seiten/{slug}.html")
}

/// The submit form and the data it needs (vocabularies, districts, messages).
pub const SUBMIT_URL: &str = "einreichen.html";
/// The search page, beside the static index it loads.
pub const SEARCH_URL: &str = "suche/index.html";
pub const SUBMIT_DATA_URL: &str = "daten/formular.js";

/// The relative prefix from a page at `path` back to the output root.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A whole number with the site language's thousands separator: `137.014` in German.
pub fn format_number(n: u64, cat: &Catalogue) -> String {
    let sep = cat.get("site.format.thousands");
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A date (or year-month, or year) in the site language's form: `12.05.2017`,
/// `02/2016`, `2016` in German.
pub fn format_date(d: crate::validate::Date, cat: &Catalogue) -> String {
    let key = match (d.month, d.day) {
        (0, _) => "site.format.date_year",
        (_, 0) => "site.format.date_month",
        _ => "site.format.date_day",
    };
    cat.format(
        key,
        &[
            ("y", format!("{:04}", d.year)),
            ("m", format!("{:02}", d.month)),
            ("d", format!("{:02}", d.day)),
        ],
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct TermRef {
    pub slug: String,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DistrictRef {
    pub ags: String,
    pub name: String,
    pub url: String,
    pub land: String,
    pub land_url: String,
}

/// What a listing shows of an entry.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub districts: Vec<DistrictRef>,
    pub field: TermRef,
    pub outcome: TermRef,
    pub started: Option<String>,
    pub last_reviewed: Option<String>,
}

/// Everything the entry page's fact box shows, with labels resolved.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView<'a> {
    #[serde(flatten)]
    pub card: &'a Card,
    pub status: Option<String>,
    pub target_groups: Vec<TermRef>,
    pub actors: &'a [String],
    pub tags: Vec<TermRef>,
    pub resources: Option<&'a str>,
    pub funding: &'a [String],
    pub reach: Option<String>,
    pub participation: Option<String>,
    pub evidence: Option<String>,
    pub transferability: Option<String>,
    pub adopted_by: Vec<DistrictRef>,
    pub review: Option<String>,
    pub contact: Option<&'a Contact>,
    pub sources: &'a [Source],
    pub last_reviewed_iso: Option<String>,
    pub last_changed: Option<String>,
    pub last_changed_iso: Option<String>,
    pub example: bool,
}

fn term_ref(terms: &[Term], slug: &str, url: fn(&str) -> String) -> TermRef {
    TermRef {
        slug: slug.to_string(),
        label: crate::config::label_of(terms, slug),
        url: url(slug),
    }
}

pub fn district_ref(districts: &Districts, ags: &str) -> DistrictRef {
    let d = districts.by_ags(ags);
    DistrictRef {
        ags: ags.to_string(),
        name: d
            .map(|d| d.display_name())
            .unwrap_or_else(|| ags.to_string()),
        url: district_url(ags),
        land: land_name(&ags[..2.min(ags.len())])
            .unwrap_or("?")
            .to_string(),
        land_url: land_url(&ags[..2.min(ags.len())]),
    }
}

fn label(cat: &Catalogue, group: &str, value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| cat.get(&format!("site.labels.{group}.{v}")).to_string())
}

/// Fills `{path}`, `{slug}` and `{title}` in a link template from `zirkel.yaml`.
pub fn link(template: &Option<String>, e: &Entry) -> Option<String> {
    template.as_ref().map(|t| {
        t.replace("{path}", &e.path.to_string_lossy().replace('\\', "/"))
            .replace("{slug}", &e.slug)
            .replace("{title}", &percent_encode(&e.title))
    })
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn card(e: &Entry, cfg: &Config, districts: &Districts, cat: &Catalogue) -> Card {
    Card {
        slug: e.slug.clone(),
        url: entry_url(&e.slug),
        title: e.title.clone(),
        summary: e.summary.clone(),
        districts: e
            .districts
            .iter()
            .map(|a| district_ref(districts, a))
            .collect(),
        field: term_ref(&cfg.fields, &e.field, field_url),
        outcome: term_ref(&cfg.outcomes, &e.outcome, outcome_url),
        started: e.started.map(|d| format_date(d, cat)),
        last_reviewed: e.last_reviewed.map(|d| format_date(d, cat)),
    }
}

fn entry_view<'a>(
    e: &'a Entry,
    card: &'a Card,
    cfg: &Config,
    districts: &Districts,
    cat: &Catalogue,
) -> EntryView<'a> {
    EntryView {
        card,
        status: label(cat, "status", &e.status),
        target_groups: e
            .target_groups
            .iter()
            .map(|g| term_ref(&cfg.target_groups, g, target_group_url))
            .collect(),
        actors: &e.actors,
        tags: e
            .tags
            .iter()
            .map(|t| TermRef {
                slug: Collection::tag_slug(t),
                label: t.clone(),
                url: tag_url(&Collection::tag_slug(t)),
            })
            .filter(|t| !t.slug.is_empty())
            .collect(),
        resources: e.resources.as_deref(),
        funding: &e.funding,
        reach: e.reach.map(|n| format_number(n, cat)),
        participation: label(cat, "participation", &e.participation),
        evidence: label(cat, "evidence", &e.evidence),
        transferability: e.transferability.as_ref().map(|t| {
            cfg.transferability
                .iter()
                .find(|x| &x.slug == t)
                .map(|x| x.label.clone())
                .unwrap_or(t.clone())
        }),
        adopted_by: e
            .adopted_by
            .iter()
            .map(|a| district_ref(districts, a))
            .collect(),
        review: label(cat, "review", &e.review),
        contact: e.contact.as_ref(),
        sources: &e.sources,
        last_reviewed_iso: e.last_reviewed.map(|d| d.iso()),
        last_changed: e.last_changed.map(|d| format_date(d, cat)),
        last_changed_iso: e.last_changed.map(|d| d.iso()),
        example: e.example,
    }
}

/// Links to the plain pages the footer always offers, when the collection has them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Footer {
    pub ueber: Option<String>,
    pub mitmachen: Option<String>,
    pub impressum: Option<String>,
    pub datenschutz: Option<String>,
    pub barrierefreiheit: Option<String>,
}

/// The template engine with the theme loaded and the context shared by all pages.
pub struct Renderer {
    tera: Tera,
    base: Context,
}

/// `{{ t.listing.count | fill(n=5) }}`: fills `{n}` in a catalogue string with any
/// value, so translators keep whole sentences with their placeholders.
fn fill_filter(
    value: &Value,
    args: &std::collections::HashMap<String, Value>,
) -> tera::Result<Value> {
    let template = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("fill: expected a string"))?;
    let owned: Vec<(&str, String)> = args
        .iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.as_str(), text)
        })
        .collect();
    Ok(Value::String(crate::i18n::fill(template, &owned)))
}

/// The text of a tera error with its causes, for a diagnostic.
fn tera_reason(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

impl Renderer {
    /// Compiles the theme's templates; the footer's links follow with `set_footer`
    /// once the collection's plain pages are known.
    pub fn new(theme: &Theme, cfg: &Config, cat: &Catalogue) -> Result<Renderer, Diagnostic> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.register_filter("fill", fill_filter);
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        )
        .map_err(|e| {
            Diagnostic::error("Z0406", "themes", Pos::default())
                .arg("template", "")
                .arg("reason", tera_reason(&e))
        })?;
        let mut base = Context::new();
        base.insert(
            "site",
            &serde_json::json!({
                "title": cfg.title,
                "description": cfg.description,
                "language": cfg.language,
                "base_url": cfg.base_url,
            }),
        );
        base.insert("t", cat.site_strings());
        base.insert("footer", &Footer::default());
        Ok(Renderer { tera, base })
    }

    /// The links every page's footer shows.
    pub fn set_footer(&mut self, footer: &Footer) {
        self.base.insert("footer", footer);
    }

    /// Renders one entry card (template `card.html`) for a page whose way back to the
    /// site root is `root`, in a context that already holds the shared data.
    fn card(&self, ctx: &mut Context, card: &Value, root: &str) -> Result<String, Diagnostic> {
        ctx.insert("e", card);
        ctx.insert("root", root);
        self.tera.render("card.html", ctx).map_err(|e| {
            Diagnostic::error("Z0406", "themes/card.html", Pos::default())
                .arg("template", "card.html")
                .arg("reason", tera_reason(&e))
        })
    }

    /// Renders one page, moving its data into the thread's context (no copy).
    fn render(&self, ctx: &mut Context, job: Job) -> Result<OutputFile, Diagnostic> {
        let page = serde_json::json!({"root": root_of(&job.path), "current": job.current, "page": job.page});
        match Context::from_value(page) {
            Ok(page_ctx) => ctx.extend(page_ctx),
            Err(e) => {
                return Err(Diagnostic::error(
                    "Z0406",
                    format!("themes/{}", job.template),
                    Pos::default(),
                )
                .arg("template", job.template)
                .arg("reason", tera_reason(&e)))
            }
        }
        // Rendering into a buffer sized for a typical page avoids regrowing the
        // output and the UTF-8 re-check of `Tera::render`.
        let mut bytes = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(job.template, ctx, &mut bytes)
            .map_err(|e| {
                Diagnostic::error("Z0406", format!("themes/{}", job.template), Pos::default())
                    .arg("template", job.template)
                    .arg("reason", tera_reason(&e))
            })?;
        Ok(OutputFile {
            path: job.path,
            bytes,
        })
    }
}

/// Where rendered files go: the output writer in a build, a `Vec` in tests.
pub trait Sink: Sync {
    /// Stores one file; `path` is relative to the output root with `/` separators.
    fn put(&self, path: &str, bytes: Vec<u8>);
}

/// A sink that keeps files in memory.
#[derive(Default)]
pub struct MemorySink(pub std::sync::Mutex<Vec<OutputFile>>);

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>) {
        if let Ok(mut v) = self.0.lock() {
            v.push(OutputFile {
                path: path.to_string(),
                bytes,
            });
        }
    }
}

/// Every page of the site, named by what it shows; its data is built only when the
/// page is rendered, so the whole site never sits in memory at once.
#[derive(Debug, Clone)]
enum PageJob<'a> {
    Entry(usize),
    Home,
    Fields,
    Field(&'a Term),
    Outcome(&'a Term),
    TargetGroup(&'a Term),
    Tag(&'a crate::collection::Tag),
    Tags,
    Land(&'a str),
    District(&'a str),
    Districts,
    Matrix,
    Page(usize),
    NotFound,
    Submit,
    Search,
}

/// A rendered page's template, path, nav item and data.
struct Job {
    template: &'static str,
    path: String,
    current: &'static str,
    page: Value,
}

fn job(template: &'static str, path: String, current: &'static str, page: Value) -> Job {
    let mut page = page;
    if let Value::Object(m) = &mut page {
        m.insert("path".into(), Value::String(path.clone()));
    }
    Job {
        template,
        path,
        current,
        page,
    }
}

/// Data shared by many pages, computed once per build.
struct Shared<'a> {
    c: &'a Collection,
    districts: &'a Districts,
    cat: &'a Catalogue,
    /// Each entry's card (same index as the collection's entries).
    cards: Vec<Arc<CardData>>,
    fields: Value,
    outcomes: Value,
    groups: Value,
    adopters: BTreeMap<&'a str, Vec<usize>>,
    renderer: &'a Renderer,
    /// A key over the vocabularies with their counts (`fields`, `outcomes`, `groups`).
    summary: u64,
    /// The ten entries reviewed most recently.
    reviewed: Vec<usize>,
}

/// An entry's card in the three forms pages use: data, template value, and HTML for
/// pages one folder below the root. Built once per version of an entry.
pub struct CardData {
    card: Card,
    value: Value,
    html: String,
    /// A key over the card's data: pages that show only an entry's card need not be
    /// rendered again when the rest of the entry (its text, say) changed.
    key: u64,
}

/// What rendering remembers for the next, incremental rendering of the same site:
/// each entry's card by the entry's fingerprint, and for every page a key over what
/// it shows. A page whose key is unchanged is not rendered again.
#[derive(Default)]
pub struct Memo {
    cards: HashMap<u64, Arc<CardData>>,
    keys: HashMap<String, u64>,
    /// Inputs of every page: the footer and which slugs are plain pages (links in
    /// bodies resolve by slug). When they change, nothing is reused.
    global: u64,
}

/// Renders only what changed since the memo's last rendering: `fingerprints` holds,
/// for each entry of the collection (same order), a hash over everything it is made
/// of (file text, path, last-change date).
pub struct Incremental<'m> {
    pub memo: &'m mut Memo,
    pub fingerprints: &'m [u64],
}

/// What `render_site` did.
#[derive(Debug)]
pub struct RenderedSite {
    /// Every page of the site, rendered now or kept from before.
    pub paths: Vec<String>,
    /// How many pages were rendered now.
    pub rendered: usize,
}

/// A key over `parts`: a splitmix64 chain, fast enough for every page of a large
/// site on each keystroke-save; a collision between two versions of one page is as
/// unlikely as one of two random 64-bit numbers.
fn hash_of(parts: impl IntoIterator<Item = u64>, tag: &str) -> u64 {
    parts.into_iter().fold(text_key(tag), mix)
}

fn mix(h: u64, x: u64) -> u64 {
    let mut z = (h ^ x)
        .wrapping_add(0x9E37_79B9_7F4A_7C15)
        .wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn text_key(text: &str) -> u64 {
    bytes_key(text.as_bytes())
}

/// A hash of some bytes (a file's text, a rendered file) for change detection.
pub(crate) fn bytes_key(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

impl Shared<'_> {
    /// The cards of `ids` as HTML for a page `depth` folders below the root; every
    /// page but the home page sits one folder deep and reuses the prepared cards.
    fn cards_html(&self, ids: &[usize], depth: usize) -> Result<Value, Diagnostic> {
        let mut ctx = (depth != 1).then(|| self.renderer.base.clone());
        let mut out = Vec::with_capacity(ids.len());
        for &i in ids {
            let html = match &mut ctx {
                None => self.cards[i].html.clone(),
                Some(ctx) => self
                    .renderer
                    .card(ctx, &self.cards[i].value, &"../".repeat(depth))?,
            };
            out.push(Value::String(html));
        }
        Ok(Value::Array(out))
    }

    /// Names of task-list checkboxes in the site's language.
    fn task_labels(&self) -> [&str; 2] {
        [
            self.cat.get("site.entry.task_done"),
            self.cat.get("site.entry.task_open"),
        ]
    }

    /// The address of an entry or plain page by slug, from a page one folder deep.
    fn doc_url(&self, slug: &str) -> Option<String> {
        if self.c.entry_index(slug).is_some() {
            Some(format!("../{}", entry_url(slug)))
        } else if self.c.pages.iter().any(|p| p.slug == slug) {
            Some(format!("../{}", page_url(slug)))
        } else {
            None
        }
    }

    fn pick(&self, ids: &[usize]) -> Value {
        Value::Array(ids.iter().map(|&i| self.cards[i].value.clone()).collect())
    }

    fn outcome_counts(&self, ids: &[usize]) -> Vec<usize> {
        self.c
            .config
            .outcomes
            .iter()
            .map(|o| {
                ids.iter()
                    .filter(|&&i| self.c.entries[i].outcome == o.slug)
                    .count()
            })
            .collect()
    }

    fn listing(
        &self,
        kind: &str,
        title: &str,
        intro: Option<&str>,
        feed: Option<String>,
        ids: &[usize],
        path: String,
    ) -> Result<Job, Diagnostic> {
        Ok(job(
            "listing.html",
            path,
            "",
            serde_json::json!({"kind": self.cat.get(&format!("site.listing.kind_{kind}")), "title": title,
                "intro": intro, "feed": feed, "cards": self.cards_html(ids, 1)?}),
        ))
    }

    /// The listing of one vocabulary term (a field, an outcome, a target group).
    fn term_listing(
        &self,
        kind: &str,
        term: &Term,
        index: &BTreeMap<String, Vec<usize>>,
        url: fn(&str) -> String,
        feed: Option<String>,
    ) -> Result<Job, Diagnostic> {
        let ids = listed(index, term.slug.as_str());
        self.listing(
            kind,
            &term.label,
            term.description.as_deref(),
            feed,
            ids,
            url(&term.slug),
        )
    }

    /// The ten entries reviewed most recently (the home page shows them).
    fn reviewed(c: &Collection) -> Vec<usize> {
        let mut reviewed: Vec<usize> = (0..c.entries.len())
            .filter(|&i| c.entries[i].last_reviewed.is_some())
            .collect();
        reviewed.sort_by(|&a, &b| {
            c.entries[b]
                .last_reviewed
                .cmp(&c.entries[a].last_reviewed)
                .then(a.cmp(&b))
        });
        reviewed.truncate(10);
        reviewed
    }

    /// The path of a page and a key over everything it shows: the entries it shows
    /// (by their fingerprints), the counts it shows, its own text. The configuration
    /// and theme are not in the key: a change to them starts with an empty memo.
    fn keyed(&self, page: &PageJob<'_>, fps: &[u64]) -> (String, u64) {
        let c = self.c;
        // Most pages show entries as cards only: keyed by the cards.
        let of = |ids: &[usize]| ids.iter().map(|&i| self.cards[i].key).collect::<Vec<u64>>();
        let (path, parts, tag): (String, Vec<u64>, &str) = match page {
            PageJob::Entry(i) => {
                let mut parts = vec![fps[*i]];
                parts.extend(of(&c.related[*i]));
                (entry_url(&c.entries[*i].slug), parts, "entry")
            }
            PageJob::Field(t) => (
                field_url(&t.slug),
                of(listed(&c.by_field, t.slug.as_str())),
                "field",
            ),
            PageJob::Outcome(t) => (
                outcome_url(&t.slug),
                of(listed(&c.by_outcome, t.slug.as_str())),
                "outcome",
            ),
            PageJob::TargetGroup(t) => (
                target_group_url(&t.slug),
                of(listed(&c.by_target_group, t.slug.as_str())),
                "target_group",
            ),
            // The tag's label is the first spelling among its entries.
            PageJob::Tag(t) => {
                let mut parts = of(&t.entries);
                parts.push(text_key(&t.label));
                (tag_url(&t.slug), parts, "tag")
            }
            PageJob::Land(code) => (land_url(code), of(listed(&c.by_land, *code)), "land"),
            PageJob::District(ags) => {
                // A profile shows more than cards (who adopted what): whole entries.
                let whole = |ids: &[usize]| ids.iter().map(|&i| fps[i]).collect::<Vec<u64>>();
                let mut parts = whole(listed(&c.by_district, *ags));
                parts.push(u64::MAX);
                parts.extend(whole(listed(&c.adopted_by_district, *ags)));
                // Peers are shown with their number of entries.
                for p in listed(&c.peers, *ags) {
                    parts.push(u64::MAX - 1);
                    parts.push(hash_of(
                        [listed(&c.by_district, p.as_str()).len() as u64],
                        p,
                    ));
                }
                (district_url(ags), parts, "district")
            }
            PageJob::Home => {
                let mut parts = vec![
                    self.summary,
                    c.entries.len() as u64,
                    c.by_district.len() as u64,
                ];
                parts.extend(of(&self.reviewed));
                parts.push(u64::MAX);
                parts.extend(of(&(0..c.entries.len().min(10)).collect::<Vec<_>>()));
                ("index.html".into(), parts, "home")
            }
            PageJob::Fields => ("felder.html".into(), vec![self.summary], "fields"),
            PageJob::Submit => (SUBMIT_URL.into(), vec![self.summary], "submit"),
            PageJob::Search => (SEARCH_URL.into(), vec![], "search"),
            PageJob::NotFound => ("404.html".into(), vec![], "404"),
            PageJob::Tags => (
                "schlagworte.html".into(),
                c.tags
                    .values()
                    .flat_map(|t| {
                        [
                            text_key(&t.slug),
                            text_key(&t.label),
                            t.entries.len() as u64,
                        ]
                    })
                    .collect(),
                "tags",
            ),
            PageJob::Districts => (
                "kreise.html".into(),
                profile_ids(c)
                    .into_iter()
                    .flat_map(|ags| [text_key(ags), listed(&c.by_district, ags).len() as u64])
                    .chain(c.by_land.values().map(|ids| ids.len() as u64))
                    .collect(),
                "districts",
            ),
            PageJob::Matrix => (
                "matrix.html".into(),
                c.by_district
                    .iter()
                    .flat_map(|(ags, ids)| {
                        std::iter::once(text_key(ags))
                            .chain(ids.iter().map(|&i| text_key(&c.entries[i].field)))
                    })
                    .collect(),
                "matrix",
            ),
            PageJob::Page(i) => {
                let p = &c.pages[*i];
                (
                    page_url(&p.slug),
                    vec![text_key(&p.slug), text_key(&p.title), text_key(&p.body)],
                    "page",
                )
            }
        };
        (path, hash_of(parts, tag))
    }

    fn build(&self, page: &PageJob<'_>) -> Result<Job, Diagnostic> {
        let c = self.c;
        let cfg = &c.config;
        Ok(match page {
            PageJob::Entry(i) => {
                let e = &c.entries[*i];
                let (body, toc): (String, Vec<Heading>) =
                    markdown::to_html(&e.body, &|s| self.doc_url(s), self.task_labels());
                let view = entry_view(e, &self.cards[*i].card, cfg, self.districts, self.cat);
                job(
                    "entry.html",
                    entry_url(&e.slug),
                    "",
                    serde_json::json!({
                        "entry": view,
                        "body": body,
                        "toc": toc,
                        "cards": self.cards_html(&c.related[*i], 1)?,
                        "edit_url": link(&cfg.links.edit, e),
                        "history_url": link(&cfg.links.history, e),
                        "issue_url": link(&cfg.links.issue, e),
                        "description": e.summary,
                    }),
                )
            }
            PageJob::Home => {
                let newest: Vec<usize> = (0..c.entries.len().min(10)).collect();
                job(
                    "index.html",
                    "index.html".into(),
                    "home",
                    serde_json::json!({
                        "total": c.entries.len().to_string(),
                        "district_count": c.by_district.len().to_string(),
                        "fields": self.fields, "outcomes": self.outcomes,
                        "cards": self.cards_html(&newest, 0)?, "reviewed": self.pick(&self.reviewed),
                        "description": cfg.description,
                    }),
                )
            }
            PageJob::Fields => job(
                "fields.html",
                "felder.html".into(),
                "fields",
                serde_json::json!({"fields": self.fields, "outcomes": self.outcomes, "target_groups": self.groups}),
            ),
            PageJob::Field(f) => self.term_listing(
                "field",
                f,
                &c.by_field,
                field_url,
                Some(field_feed_url(&f.slug)),
            )?,
            PageJob::Outcome(o) => {
                self.term_listing("outcome", o, &c.by_outcome, outcome_url, None)?
            }
            PageJob::TargetGroup(g) => self.term_listing(
                "target_group",
                g,
                &c.by_target_group,
                target_group_url,
                None,
            )?,
            PageJob::Tag(tag) => self.listing(
                "tag",
                &tag.label,
                None,
                None,
                &tag.entries,
                tag_url(&tag.slug),
            )?,
            PageJob::Land(code) => {
                let name = land_name(code).unwrap_or(code);
                let intro = self
                    .cat
                    .format("site.listing.land_intro", &[("land", name.to_string())]);
                let ids = listed(&c.by_land, *code);
                self.listing("land", name, Some(&intro), None, ids, land_url(code))?
            }
            PageJob::Tags => {
                let tags: Vec<Value> = c
                    .tags
                    .values()
                    .map(|t| serde_json::json!({"label": t.label, "url": tag_url(&t.slug), "count": t.entries.len()}))
                    .collect();
                job(
                    "tags.html",
                    "schlagworte.html".into(),
                    "tags",
                    serde_json::json!({"tags": tags}),
                )
            }
            PageJob::District(ags) => self.district(ags),
            PageJob::Districts => self.district_overview(),
            PageJob::Matrix => matrix_job(c, self.districts),
            PageJob::Page(i) => {
                let p = &c.pages[*i];
                let (body, _) =
                    markdown::to_html(&p.body, &|s| self.doc_url(s), self.task_labels());
                job(
                    "page.html",
                    page_url(&p.slug),
                    if p.slug == "ueber" { "page-ueber" } else { "" },
                    serde_json::json!({"title": p.title, "body": body}),
                )
            }
            PageJob::NotFound => job("404.html", "404.html".into(), "", serde_json::json!({})),
            PageJob::Search => job(
                "search.html",
                SEARCH_URL.into(),
                "search",
                serde_json::json!({
                    // JSON inside <script>: `<` escaped, so no label can end the element.
                    "vocab_json": serde_json::json!({
                        "participation": crate::validate::PARTICIPATION.iter()
                            .map(|v| (v.to_string(), self.cat.get(&format!("site.labels.participation.{v}")).to_string()))
                            .collect::<BTreeMap<_, _>>(),
                    }).to_string().replace('<', "\\u003c"),
                }),
            ),
            PageJob::Submit => job(
                "submit.html",
                SUBMIT_URL.into(),
                "submit",
                serde_json::json!({
                    "fields": self.fields, "outcomes": self.outcomes, "target_groups": self.groups,
                    "transferability": cfg.transferability,
                    "status": crate::validate::STATUS, "participation": crate::validate::PARTICIPATION,
                    "evidence": crate::validate::EVIDENCE, "review": crate::validate::REVIEW,
                    "sections": crate::validate::SECTIONS,
                }),
            ),
        })
    }

    fn district_overview(&self) -> Job {
        let c = self.c;
        let mut lands: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
        for ags in profile_ids(c) {
            let r = district_ref(self.districts, ags);
            lands.entry(&ags[..2]).or_default().push(serde_json::json!({
                "name": r.name, "url": r.url, "count": c.by_district.get(ags).map_or(0, Vec::len)}));
        }
        let land_list: Vec<Value> = lands
            .into_iter()
            .map(|(code, mut ds)| {
                ds.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
                serde_json::json!({"code": code, "name": land_name(code).unwrap_or(code), "url": land_url(code),
                    "count": c.by_land.get(code).map_or(0, Vec::len), "districts": ds})
            })
            .collect();
        job(
            "districts.html",
            "kreise.html".into(),
            "districts",
            serde_json::json!({"lands": land_list}),
        )
    }

    fn district(&self, ags: &str) -> Job {
        let (c, districts) = (self.c, self.districts);
        let d = districts.by_ags(ags);
        let r = district_ref(districts, ags);
        let own: &[usize] = listed(&c.by_district, ags);
        let by_field: Vec<Value> = c
            .config
            .fields
            .iter()
            .filter_map(|f| {
                let ids: Vec<usize> = own.iter().copied().filter(|&i| c.entries[i].field == f.slug).collect();
                (!ids.is_empty()).then(|| {
                    serde_json::json!({"slug": f.slug, "label": f.label, "by_outcome": self.outcome_counts(&ids),
                        "entries": self.pick(&ids)})
                })
            })
            .collect();
        let adopted = self.pick(listed(&c.adopted_by_district, ags));
        let adopters: Vec<Value> = listed(&self.adopters, ags)
            .iter()
            .map(|&i| {
                serde_json::json!({"entry": &self.cards[i].value,
                    "by": c.entries[i].adopted_by.iter().map(|a| district_ref(districts, a)).collect::<Vec<_>>()})
            })
            .collect();
        let peers: Vec<Value> = listed(&c.peers, ags)
            .iter()
            .filter_map(|p| districts.by_ags(p))
            .map(|p| {
                let pr = district_ref(districts, &p.ags);
                serde_json::json!({"name": pr.name, "url": pr.url, "land": pr.land,
                    "population": format_number(p.population, self.cat), "density": format_number(p.density.round() as u64, self.cat),
                    "entries": c.by_district.get(&p.ags).map_or(0, Vec::len)})
            })
            .collect();
        job(
            "district.html",
            district_url(ags),
            "districts",
            serde_json::json!({
                "district": {"ags": ags, "name": r.name, "land": r.land, "land_url": r.land_url,
                    "population": d.map(|d| format_number(d.population, self.cat)),
                    "density": d.map(|d| format_number(d.density.round() as u64, self.cat))},
                "outcomes": self.outcomes, "by_field": by_field, "adopted": adopted, "adopters": adopters,
                "peers": peers,
            }),
        )
    }
}

/// Districts with a profile page: those with entries and those that adopted practice.
fn profile_ids(c: &Collection) -> Vec<&str> {
    let mut ids: Vec<&str> = c
        .by_district
        .keys()
        .chain(c.adopted_by_district.keys())
        .map(String::as_str)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Renders every page of the site into `sink` and returns the paths of all pages;
/// all template errors are returned together (one per template). With `incremental`,
/// only pages whose inputs changed since the memo's last rendering are rendered and
/// put into `sink` (the others are where the previous rendering put them); the memo
/// is updated only when rendering succeeds.
pub fn render_site(
    c: &Collection,
    renderer: &Renderer,
    districts: &Districts,
    cat: &Catalogue,
    sink: &dyn Sink,
    incremental: Option<Incremental<'_>>,
) -> Result<RenderedSite, Vec<Diagnostic>> {
    let cfg = &c.config;
    let (mut memo, fingerprints) = match incremental {
        Some(i) if i.fingerprints.len() == c.entries.len() => (Some(i.memo), i.fingerprints),
        _ => (None, &[][..]),
    };
    let global = hash_of(
        c.pages.iter().map(|p| hash_of([], &p.slug)).chain([hash_of(
            [],
            &serde_json::to_string(&footer_of(renderer)).unwrap_or_default(),
        )]),
        "global",
    );
    if let Some(m) = memo.as_deref_mut() {
        if m.global != global {
            *m = Memo {
                global,
                ..Memo::default()
            };
        }
    }
    let cards: Vec<Result<Arc<CardData>, Diagnostic>> = c
        .entries
        .par_iter()
        .enumerate()
        .with_min_len(64)
        .map_init(
            || renderer.base.clone(),
            |ctx, (i, e)| {
                if let Some(d) = memo.as_ref().and_then(|m| m.cards.get(&fingerprints[i])) {
                    return Ok(d.clone());
                }
                let card = card(e, cfg, districts, cat);
                let value = serde_json::to_value(&card).unwrap_or(Value::Null);
                let html = renderer.card(ctx, &value, "../")?;
                // The key only serves the preview's memo: a build has none.
                let key = if memo.is_some() {
                    text_key(&value.to_string())
                } else {
                    0
                };
                Ok(Arc::new(CardData {
                    card,
                    value,
                    html,
                    key,
                }))
            },
        )
        .collect();
    let cards: Vec<Arc<CardData>> = cards
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(|d| vec![d])?;
    let count = |m: &BTreeMap<String, Vec<usize>>, slug: &str| m.get(slug).map_or(0, Vec::len);
    let mut shared = Shared {
        c,
        districts,
        cat,
        cards,
        fields: Value::Null,
        outcomes: Value::Null,
        groups: Value::Null,
        adopters: adopters_by_district(c),
        renderer,
        summary: 0,
        reviewed: Shared::reviewed(c),
    };
    shared.fields = Value::Array(
        cfg.fields
            .iter()
            .map(|f| {
                let ids = listed(&c.by_field, &f.slug);
                serde_json::json!({
                    "slug": f.slug, "label": f.label, "description": f.description,
                    "url": field_url(&f.slug), "feed": field_feed_url(&f.slug),
                    "count": ids.len(), "by_outcome": shared.outcome_counts(ids),
                })
            })
            .collect(),
    );
    shared.outcomes = Value::Array(
        cfg.outcomes
            .iter()
            .map(|o| {
                serde_json::json!({"slug": o.slug, "label": o.label, "url": outcome_url(&o.slug),
                "count": count(&c.by_outcome, &o.slug)})
            })
            .collect(),
    );
    shared.groups = Value::Array(
        cfg.target_groups
            .iter()
            .map(|g| serde_json::json!({"slug": g.slug, "label": g.label, "url": target_group_url(&g.slug),
                "count": count(&c.by_target_group, &g.slug)}))
            .collect(),
    );

    shared.summary = text_key(
        &serde_json::to_string(&[&shared.fields, &shared.outcomes, &shared.groups])
            .unwrap_or_default(),
    );

    // The listings first: a few of them hold thousands of cards, and at the end of the
    // list they shared one core's last share of the work while the other idled.
    let mut pages: Vec<PageJob<'_>> = vec![
        PageJob::Home,
        PageJob::Fields,
        PageJob::Tags,
        PageJob::Districts,
        PageJob::Matrix,
        PageJob::NotFound,
        PageJob::Submit,
        PageJob::Search,
    ];
    pages.extend(cfg.fields.iter().map(PageJob::Field));
    pages.extend(cfg.outcomes.iter().map(PageJob::Outcome));
    pages.extend(cfg.target_groups.iter().map(PageJob::TargetGroup));
    pages.extend(c.tags.values().map(PageJob::Tag));
    pages.extend(c.by_land.keys().map(|k| PageJob::Land(k.as_str())));
    pages.extend(profile_ids(c).into_iter().map(PageJob::District));
    pages.extend((0..c.pages.len()).map(PageJob::Page));
    pages.extend((0..c.entries.len()).map(PageJob::Entry));

    // Which pages to render: all, or those whose key is new or changed.
    let keys: Vec<(String, u64)> = match &memo {
        Some(_) => pages
            .par_iter()
            .with_min_len(256)
            .map(|p| shared.keyed(p, fingerprints))
            .collect(),
        None => Vec::new(),
    };
    let kept: Vec<bool> = match &memo {
        Some(m) => keys
            .iter()
            .map(|(path, key)| m.keys.get(path) == Some(key))
            .collect(),
        None => vec![false; pages.len()],
    };
    let todo: Vec<&PageJob<'_>> = pages
        .iter()
        .zip(&kept)
        .filter(|(_, k)| !**k)
        .map(|(p, _)| p)
        .collect();

    let results: Vec<Result<String, Diagnostic>> = todo
        .par_iter()
        // Each split clones the shared context once; keep splits few.
        .with_min_len(64)
        .map_init(
            || renderer.base.clone(),
            |ctx, p| {
                let j = shared.build(p)?;
                let html = renderer.render(ctx, j)?;
                sink.put(&html.path, html.bytes);
                Ok(html.path)
            },
        )
        .collect();
    let rendered = results.len();
    let mut paths = Vec::with_capacity(pages.len());
    let mut errors: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok(p) => paths.push(p),
            Err(d) => {
                if !errors.iter().any(|x| x.file == d.file) {
                    errors.push(d);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    paths.extend(
        keys.iter()
            .zip(&kept)
            .filter(|(_, k)| **k)
            .map(|((path, _), _)| path.clone()),
    );
    if let Some(m) = memo {
        m.keys = keys.into_iter().collect();
        m.cards = fingerprints
            .iter()
            .zip(&shared.cards)
            .map(|(fp, d)| (*fp, d.clone()))
            .collect();
    }
    Ok(RenderedSite { paths, rendered })
}

/// The footer in the renderer's shared context (part of every page).
fn footer_of(renderer: &Renderer) -> Value {
    renderer.base.get("footer").cloned().unwrap_or(Value::Null)
}

/// AGS → (entry of that district, districts that adopted it).
fn adopters_by_district(c: &Collection) -> BTreeMap<&str, Vec<usize>> {
    let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in c.entries.iter().enumerate() {
        if e.adopted_by.is_empty() {
            continue;
        }
        for d in &e.districts {
            out.entry(d.as_str()).or_default().push(i);
        }
    }
    out
}

fn matrix_job(c: &Collection, districts: &Districts) -> Job {
    let fields: Vec<Value> = c
        .config
        .fields
        .iter()
        .map(|f| serde_json::json!({"slug": f.slug, "label": f.label, "url": field_url(&f.slug)}))
        .collect();
    let mut rows: Vec<(String, Value)> = c
        .by_district
        .iter()
        .map(|(ags, ids)| {
            let r = district_ref(districts, ags);
            let cells: Vec<Value> = c
                .config
                .fields
                .iter()
                .map(|f| {
                    let n = ids.iter().filter(|&&i| c.entries[i].field == f.slug).count();
                    serde_json::json!({"field": f.slug, "count": n, "label": f.label})
                })
                .collect();
            (r.name.clone(), serde_json::json!({"name": r.name, "url": r.url, "cells": cells, "total": ids.len()}))
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    job(
        "matrix.html",
        "matrix.html".into(),
        "matrix",
        serde_json::json!({"fields": fields, "rows": rows.into_iter().map(|(_, v)| v).collect::<Vec<_>>()}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_prefix_matches_page_depth() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("praxis/a.html"), "../");
    }

    #[test]
    fn numbers_use_german_grouping() {
        let (de, en) = (Catalogue::for_language("de"), Catalogue::for_language("en"));
        assert_eq!(format_number(137014, de), "137.014");
        assert_eq!(format_number(1234567, de), "1.234.567");
        assert_eq!(format_number(140, de), "140");
        assert_eq!(format_number(1234567, en), "1,234,567");
        let day = crate::validate::parse_date("2017-05-12", true).unwrap();
        let month = crate::validate::parse_date("2016-02", false).unwrap();
        assert_eq!(
            (format_date(day, de), format_date(month, de)),
            ("12.05.2017".into(), "02/2016".into())
        );
        assert_eq!(
            (format_date(day, en), format_date(month, en)),
            ("2017-05-12".into(), "2016-02".into())
        );
    }
}
