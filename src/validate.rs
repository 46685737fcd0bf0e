//! Validation: turns raw documents into typed entries and pages, checking every key
//! against DESIGN.md's content model and the collection's vocabularies. Reports all
//! problems of all files; a document with errors is left out of the collection.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, Term};
use crate::content::{DocKind, RawDoc};
use crate::diagnostic::{closest, Diagnostic};
use crate::districts::{Districts, Resolved};
use crate::schema::{MapReader, Spanned};
use crate::yaml::Pos;

pub const ENTRY_KEYS: &[&str] = &[
    "title",
    "district",
    "field",
    "outcome",
    "summary",
    "status",
    "started",
    "target_groups",
    "actors",
    "tags",
    "resources",
    "funding",
    "reach",
    "participation",
    "evidence",
    "transferability",
    "adopted_by",
    "review",
    "contact",
    "sources",
    "last_reviewed",
    "example",
    "draft",
];
const CONTACT_KEYS: &[&str] = &["role", "organisation", "name", "email", "phone"];
const SOURCE_KEYS: &[&str] = &["title", "url"];
const PAGE_KEYS: &[&str] = &["title"];

pub const STATUS: &[&str] = &[
    "geplant",
    "laufend",
    "abgeschlossen",
    "verstetigt",
    "eingestellt",
];
pub const PARTICIPATION: &[&str] = &[
    "keine",
    "informiert",
    "konsultiert",
    "mitentscheidend",
    "selbstorganisiert",
];
pub const EVIDENCE: &[&str] = &[
    "keine",
    "monitoring",
    "interne-auswertung",
    "externe-evaluation",
];
pub const REVIEW: &[&str] = &["eingereicht", "geprueft", "peer-geprueft"];
pub const SECTIONS: &[&str] = &[
    "Ausgangslage",
    "Vorgehen",
    "Ergebnis",
    "Stolpersteine",
    "Übertragbarkeit",
];

/// A calendar date, or a year-month or a year where the content model allows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    /// 0 when only the year is known.
    pub month: u8,
    /// 0 when only year and month are known.
    pub day: u8,
}

impl Date {
    /// `2016`, `2016-02` or `2016-02-29`, as written.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (0, _) => format!("{:04}", self.year),
            (m, 0) => format!("{:04}-{m:02}", self.year),
            (m, d) => format!("{:04}-{m:02}-{d:02}", self.year),
        }
    }

    /// German display: `2016`, `02/2016`, `29.02.2016`.
    pub fn german(&self) -> String {
        match (self.month, self.day) {
            (0, _) => format!("{}", self.year),
            (m, 0) => format!("{m:02}/{}", self.year),
            (m, d) => format!("{d:02}.{m:02}.{}", self.year),
        }
    }

    /// Months since year 0, for comparing review periods.
    pub fn months(&self) -> i64 {
        self.year as i64 * 12 + self.month.max(1) as i64
    }
}

/// Dates appear in data exports as written: `2016`, `2016-02`, `2017-05-12`.
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `need_day` demands the full date.
pub fn parse_date(s: &str, need_day: bool) -> Option<Date> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u16>().ok())
            .flatten()
    };
    let year = num(parts.first()?, 4).filter(|y| (1900..=2100).contains(y))?;
    let month = match parts.get(1) {
        Some(p) => num(p, 2).filter(|m| (1..=12).contains(m))? as u8,
        None => 0,
    };
    let day = match parts.get(2) {
        Some(p) => num(p, 2).filter(|d| *d >= 1 && *d <= days_in_month(year, month) as u16)? as u8,
        None => 0,
    };
    if parts.len() > 3 || (need_day && day == 0) || (!need_day && day != 0) {
        return None;
    }
    Some(Date { year, month, day })
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Contact {
    pub role: Option<String>,
    pub organisation: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Source {
    pub title: String,
    pub url: Option<String>,
}

/// A validated practice entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Entry {
    pub slug: String,
    /// Path relative to the collection root.
    pub path: PathBuf,
    pub title: String,
    /// AGS keys, in the order written.
    pub districts: Vec<String>,
    pub field: String,
    pub outcome: String,
    pub summary: String,
    pub status: Option<String>,
    pub started: Option<Date>,
    pub target_groups: Vec<String>,
    pub actors: Vec<String>,
    pub tags: Vec<String>,
    pub resources: Option<String>,
    pub funding: Vec<String>,
    pub reach: Option<u64>,
    pub participation: Option<String>,
    pub evidence: Option<String>,
    pub transferability: Option<String>,
    pub adopted_by: Vec<String>,
    pub review: Option<String>,
    pub contact: Option<Contact>,
    pub sources: Vec<Source>,
    pub last_reviewed: Option<Date>,
    pub example: bool,
    pub draft: bool,
    /// Date of the last commit that changed the file, when in a git repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_changed: Option<Date>,
    #[serde(skip)]
    pub body: String,
    #[serde(skip)]
    pub body_line: usize,
}

/// A plain page (about, imprint, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub slug: String,
    pub path: PathBuf,
    pub title: String,
    pub body: String,
    pub body_line: usize,
}

/// What validation produced: usable entries and pages, and every diagnostic.
/// Entries are shared (`Arc`) so a preview server can keep them between rebuilds
/// and hand the same ones to the next collection without copying their text.
#[derive(Debug, Default)]
pub struct Validated {
    pub entries: Vec<Arc<Entry>>,
    pub pages: Vec<Page>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What validation needs to know beyond the document itself.
pub struct Rules<'a> {
    pub config: &'a Config,
    pub districts: &'a Districts,
    /// Today's date, for overdue reviews; `None` skips that check.
    pub today: Option<Date>,
}

/// A validated document: an entry or a plain page.
#[derive(Debug, Clone)]
pub enum Doc {
    Entry(Arc<Entry>),
    Page(Page),
}

/// One document validated on its own, before the checks across the collection: what
/// it publishes (nothing when it has errors), its diagnostics, and the links to other
/// documents that the collection-wide check resolves.
#[derive(Debug, Clone)]
pub struct DocResult {
    pub doc: Option<Doc>,
    pub diagnostics: Vec<Diagnostic>,
    /// Internal link targets with line (within the body) and column.
    links: Vec<(String, usize, usize)>,
}

/// Validates all documents in parallel, then checks slugs across the collection.
pub fn validate(docs: Vec<RawDoc>, rules: &Rules<'_>) -> Validated {
    let results: Vec<DocResult> = docs
        .into_par_iter()
        .map(|d| validate_doc(d, rules))
        .collect();
    combine(results.iter())
}

/// The checks across the collection, over documents validated one by one (in the
/// order they were found): unique slugs, links that name existing documents.
pub fn combine<'a>(results: impl Iterator<Item = &'a DocResult>) -> Validated {
    let mut out = Validated::default();
    // Each document's links, in the order of `out.entries` and `out.pages`.
    let (mut entry_links, mut page_links) = (Vec::new(), Vec::new());
    for r in results {
        out.diagnostics.extend(r.diagnostics.iter().cloned());
        match &r.doc {
            Some(Doc::Entry(e)) => {
                out.entries.push(e.clone());
                entry_links.push(&r.links[..]);
            }
            Some(Doc::Page(p)) => {
                out.pages.push(p.clone());
                page_links.push(&r.links[..]);
            }
            None => {}
        }
    }
    let bad = check_unique_slugs(&mut out);
    if !bad.is_empty() {
        let mut keep = out.entries.iter().map(|e| !bad.contains(&e.path));
        entry_links.retain(|_| keep.next().unwrap_or(true));
        let mut keep = out.pages.iter().map(|p| !bad.contains(&p.path));
        page_links.retain(|_| keep.next().unwrap_or(true));
        out.entries.retain(|e| !bad.contains(&e.path));
        out.pages.retain(|p| !bad.contains(&p.path));
    }
    check_links(&mut out, &entry_links, &page_links);
    out
}

/// Links to other documents (`other.md`, a bare slug) must name an entry or page
/// of the collection; drafts count, so a link to work in progress is not an error.
fn check_links(
    v: &mut Validated,
    entry_links: &[&[(String, usize, usize)]],
    page_links: &[&[(String, usize, usize)]],
) {
    // Drafts are not published: a link to one would be dead on the site.
    let slugs: std::collections::HashSet<&str> = v
        .entries
        .iter()
        .filter(|e| !e.draft)
        .map(|e| e.slug.as_str())
        .chain(v.pages.iter().map(|p| p.slug.as_str()))
        .collect();
    let docs = v
        .entries
        .iter()
        .map(|e| (&e.path, e.body_line))
        .zip(entry_links)
        .chain(
            v.pages
                .iter()
                .map(|p| (&p.path, p.body_line))
                .zip(page_links),
        );
    let mut broken: Vec<Diagnostic> = Vec::new();
    for ((path, body_line), links) in docs {
        for (dest, line, col) in links.iter() {
            let Some((slug, _)) = crate::markdown::internal_target(dest) else {
                continue;
            };
            if slugs.contains(slug) {
                continue;
            }
            let d = Diagnostic::error(
                "Z0214",
                path,
                Pos {
                    line: body_line + line - 1,
                    col: *col,
                },
            )
            .arg("target", dest);
            broken.push(match closest(slug, slugs.iter().copied()) {
                Some(c) => d.phrase(
                    "suggestion",
                    "words.did_you_mean",
                    vec![("candidate", c.to_string())],
                ),
                None => d.arg("suggestion", ""),
            });
        }
    }
    v.diagnostics.extend(broken);
}

/// Validates one document on its own (see `combine` for the rest).
pub fn validate_doc(mut doc: RawDoc, rules: &Rules<'_>) -> DocResult {
    let mut diags = Vec::new();
    let entry = match doc.kind {
        DocKind::Entry => validate_entry(&doc, rules, &mut diags),
        DocKind::Page => None,
    };
    let page = match doc.kind {
        DocKind::Entry => None,
        DocKind::Page => validate_page(&doc, &mut diags),
    };
    if diags.iter().any(Diagnostic::is_error) {
        return DocResult {
            doc: None,
            diagnostics: diags,
            links: Vec::new(),
        };
    }
    let links = crate::markdown::internal_links(&doc.body);
    // The body moves into the document instead of being copied: a collection's
    // bodies are most of its text.
    let body = std::mem::take(&mut doc.body);
    let doc = match (entry, page) {
        (Some(e), _) => Some(Doc::Entry(Arc::new(Entry { body, ..e }))),
        (None, Some(p)) => Some(Doc::Page(Page { body, ..p })),
        (None, None) => None,
    };
    DocResult {
        doc,
        diagnostics: diags,
        links,
    }
}

/// Z0215: raw HTML nested deeper than any real entry needs.
fn check_html_depth(r: &mut MapReader<'_>, doc: &RawDoc) {
    let (depth, at) = crate::markdown::html_depth(&doc.body, crate::markdown::MAX_HTML_DEPTH);
    if let Some(line) = at {
        let d = Diagnostic::error(
            "Z0215",
            &doc.path,
            Pos {
                line: doc.body_line + line - 1,
                col: 1,
            },
        )
        .arg("depth", depth.to_string())
        .arg("max", crate::markdown::MAX_HTML_DEPTH.to_string());
        r.push(d);
    }
}

fn validate_page(doc: &RawDoc, diags: &mut Vec<Diagnostic>) -> Option<Page> {
    let mut r = MapReader::new(&doc.path, &doc.front, "front", PAGE_KEYS, "Z0213", diags)?;
    check_html_depth(&mut r, doc);
    let title = r.required_str("title", "Z0201")?;
    Some(Page {
        slug: doc.slug.clone(),
        path: doc.path.clone(),
        title: title.value,
        // `validate_doc` moves the body in.
        body: String::new(),
        body_line: doc.body_line,
    })
}

/// Z0204 for a value outside a vocabulary, with did-you-mean and the allowed values.
fn vocab_error(file: &Path, key: &str, v: &Spanned<String>, allowed: &[&str]) -> Diagnostic {
    let d = Diagnostic::error("Z0204", file, v.pos)
        .arg("key", key)
        .arg("value", &v.value)
        .arg("allowed", allowed.join(", "));
    match closest(&v.value, allowed.iter().copied()) {
        Some(c) => d.phrase(
            "suggestion",
            "words.did_you_mean",
            vec![("candidate", c.to_string())],
        ),
        None => d.arg("suggestion", ""),
    }
}

fn one_of(r: &mut MapReader<'_>, key: &str, allowed: &[&str], required: bool) -> Option<String> {
    let v = if required {
        r.required_str(key, "Z0201")
    } else {
        r.opt_str(key)
    }?;
    if allowed.contains(&v.value.as_str()) {
        Some(v.value)
    } else {
        let d = vocab_error(r.file(), key, &v, allowed);
        r.push(d);
        None
    }
}

fn slugs(terms: &[Term]) -> Vec<&str> {
    terms.iter().map(|t| t.slug.as_str()).collect()
}

fn districts_of(r: &mut MapReader<'_>, key: &str, districts: &Districts) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in r.str_list(key) {
        match districts.resolve(&v.value) {
            Resolved::Found(d) => {
                if out.contains(&d.ags) {
                    let dd = Diagnostic::error("Z0212", r.file(), v.pos)
                        .arg("key", key)
                        .arg("value", &v.value);
                    r.push(dd);
                } else {
                    out.push(d.ags.clone());
                }
            }
            Resolved::Ambiguous(cands) => {
                let list = cands
                    .iter()
                    .map(|d| format!("\"{}\" ({} {})", d.ags, d.kind, d.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                let d = Diagnostic::error("Z0206", r.file(), v.pos)
                    .arg("value", &v.value)
                    .arg("candidates", list);
                r.push(d);
            }
            Resolved::Unknown { suggestion } => {
                let d = Diagnostic::error("Z0205", r.file(), v.pos).arg("value", &v.value);
                let d = match suggestion {
                    Some(s) => d.phrase(
                        "suggestion",
                        "words.did_you_mean",
                        vec![("candidate", format!("{} (\"{}\")", s.short_name, s.ags))],
                    ),
                    None => d.arg("suggestion", ""),
                };
                r.push(d);
            }
        }
    }
    out
}

fn date(r: &mut MapReader<'_>, key: &str, need_day: bool) -> Option<Date> {
    let v = r.opt_str(key)?;
    match parse_date(&v.value, need_day) {
        Some(d) => Some(d),
        None => {
            let (format, example) = if need_day {
                ("words.format_day", "2017-05-12")
            } else {
                ("words.format_month", "2016-02")
            };
            let d = Diagnostic::error("Z0207", r.file(), v.pos)
                .arg("key", key)
                .arg("value", &v.value)
                .phrase("format", format, vec![])
                .arg("example", format!("{key}: {example}"));
            r.push(d);
            None
        }
    }
}

/// A plausible e-mail address: one `@`, a local part, a domain with a dot, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let ok_chars = |p: &str| {
        p.chars()
            .all(|c| c.is_alphanumeric() || "._%+-".contains(c))
    };
    !local.is_empty()
        && !domain.contains('@')
        && ok_chars(local)
        && domain.split('.').count() >= 2
        && domain
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

/// An absolute http(s) URL with a host and no whitespace or quotes.
pub fn is_web_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_alphanumeric() || ".-:[]".contains(c))
                && !s.chars().any(|c| {
                    c.is_whitespace() || c == '"' || c == '<' || c == '>' || c.is_control()
                })
        }
        None => false,
    }
}

fn validate_entry(doc: &RawDoc, rules: &Rules<'_>, diags: &mut Vec<Diagnostic>) -> Option<Entry> {
    let cfg = rules.config;
    let file = doc.path.as_path();
    let mut r = MapReader::new(file, &doc.front, "front", ENTRY_KEYS, "Z0202", diags)?;
    let title = r.required_str("title", "Z0201");
    let has_district = r.get("district").is_some();
    if !has_district {
        let d = Diagnostic::error("Z0201", file, r.pos).arg("key", "district");
        r.push(d);
    }
    let errors_before = r.diags.iter().filter(|d| d.is_error()).count();
    let districts = districts_of(&mut r, "district", rules.districts);
    let district_errors = r.diags.iter().filter(|d| d.is_error()).count() > errors_before;
    // `district: ""`, `[]` or `[~]` name no Kreis: an error, never a silently dropped entry.
    if has_district && districts.is_empty() && !district_errors {
        let d = Diagnostic::error("Z0210", file, r.key_pos("district")).arg("key", "district");
        r.push(d);
    }
    let field = one_of(&mut r, "field", &slugs(&cfg.fields), true);
    let outcome = one_of(&mut r, "outcome", &slugs(&cfg.outcomes), true);
    let summary = r.required_str("summary", "Z0201");
    let status = one_of(&mut r, "status", STATUS, false);
    let started = date(&mut r, "started", false);
    let mut target_groups = Vec::new();
    let allowed_groups = slugs(&cfg.target_groups);
    for g in r.str_list("target_groups") {
        if allowed_groups.contains(&g.value.as_str()) {
            target_groups.push(g.value);
        } else {
            let d = vocab_error(file, "target_groups", &g, &allowed_groups);
            r.push(d);
        }
    }
    let actors = values(r.str_list("actors"));
    let tags = values(r.str_list("tags"));
    let resources = r.opt_str("resources").map(|s| s.value);
    let funding = values(r.str_list("funding"));
    let reach = r.opt_uint("reach");
    let participation = one_of(&mut r, "participation", PARTICIPATION, false);
    let evidence = one_of(&mut r, "evidence", EVIDENCE, false);
    let transferability = one_of(
        &mut r,
        "transferability",
        &slugs(&cfg.transferability),
        false,
    );
    let adopted_by = districts_of(&mut r, "adopted_by", rules.districts);
    let review = one_of(&mut r, "review", REVIEW, false);
    let contact = contact(&mut r);
    let sources = sources(&mut r);
    let last_reviewed = date(&mut r, "last_reviewed", true);
    let example = r.opt_bool("example").unwrap_or(false);
    let draft = r.opt_bool("draft").unwrap_or(false);

    if let (Some(months), Some(today), Some(lr)) =
        (cfg.review_after_months, rules.today, last_reviewed)
    {
        if today.months() - lr.months() > months as i64 {
            let d = Diagnostic::warning("Z0302", file, r.key_pos("last_reviewed"))
                .arg("date", lr.iso())
                .arg("months", months.to_string());
            r.push(d);
        }
    }
    check_html_depth(&mut r, doc);
    let present = headings(&doc.body);
    for s in SECTIONS {
        if !present.iter().any(|h| h.eq_ignore_ascii_case(s)) {
            let d = Diagnostic::warning(
                "Z0301",
                file,
                Pos {
                    line: doc.body_line,
                    col: 1,
                },
            )
            .arg("section", *s)
            .arg("sections", SECTIONS.join(", "));
            r.push(d);
        }
    }
    Some(Entry {
        slug: doc.slug.clone(),
        path: doc.path.clone(),
        title: title?.value,
        districts: if districts.is_empty() {
            return None;
        } else {
            districts
        },
        field: field?,
        outcome: outcome?,
        summary: summary?.value,
        status,
        started,
        target_groups,
        actors,
        tags,
        resources,
        funding,
        reach,
        participation,
        evidence,
        transferability,
        adopted_by,
        review,
        contact,
        sources,
        last_reviewed,
        example,
        draft,
        last_changed: None,
        // `validate_doc` moves the body in.
        body: String::new(),
        body_line: doc.body_line,
    })
}

fn values(v: Vec<Spanned<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(v.len());
    for s in v {
        if !out.contains(&s.value) {
            out.push(s.value);
        }
    }
    out
}

fn contact(r: &mut MapReader<'_>) -> Option<Contact> {
    let file = r.file();
    let mut c = r.nested("contact", CONTACT_KEYS, "Z0202")?;
    let email = c.opt_str("email");
    let email = match email {
        Some(e) if !is_email(&e.value) => {
            let d = Diagnostic::error("Z0208", file, e.pos).arg("value", &e.value);
            c.push(d);
            None
        }
        e => e.map(|e| e.value),
    };
    Some(Contact {
        role: c.opt_str("role").map(|s| s.value),
        organisation: c.opt_str("organisation").map(|s| s.value),
        name: c.opt_str("name").map(|s| s.value),
        email,
        phone: c.opt_str("phone").map(|s| s.value),
    })
}

fn sources(r: &mut MapReader<'_>) -> Vec<Source> {
    let file = r.file();
    let items = r.map_list("sources");
    let mut out = Vec::new();
    for item in items {
        let Some(mut s) = MapReader::new(file, item, "sources", SOURCE_KEYS, "Z0202", r.diags)
        else {
            continue;
        };
        let title = s.required_str("title", "Z0201");
        let url = match s.opt_str("url") {
            Some(u) if !is_web_url(&u.value) => {
                let d = Diagnostic::error("Z0209", file, u.pos).arg("value", &u.value);
                s.push(d);
                None
            }
            u => u.map(|u| u.value),
        };
        if let Some(t) = title {
            out.push(Source {
                title: t.value,
                url,
            });
        }
    }
    out
}

/// Level-2 headings of a Markdown body, outside fenced code.
fn headings(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") {
            fence = Some("```");
        } else if t.starts_with("~~~") {
            fence = Some("~~~");
        } else if let Some(h) = line.strip_prefix("## ") {
            out.push(h.trim().trim_end_matches('#').trim());
        }
    }
    out
}

/// Slugs must be unique across the whole collection – entries and plain pages alike,
/// since links name documents by slug; every duplicate is reported and left out.
fn check_unique_slugs(v: &mut Validated) -> std::collections::HashSet<PathBuf> {
    let mut all: Vec<(&str, &Path)> = v
        .entries
        .iter()
        .map(|e| (e.slug.as_str(), e.path.as_path()))
        .chain(v.pages.iter().map(|p| (p.slug.as_str(), p.path.as_path())))
        .collect();
    all.sort_by(|a, b| a.1.cmp(b.1));
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    let mut dups = Vec::new();
    for (slug, path) in all {
        match seen.get(slug) {
            Some(first) => dups.push(
                Diagnostic::error("Z0109", path, Pos::default())
                    .arg("slug", slug)
                    .arg("other", first.display().to_string()),
            ),
            None => {
                seen.insert(slug, path);
            }
        }
    }
    let bad = dups.iter().map(|d| d.file.clone()).collect();
    v.diagnostics.extend(dups);
    bad
}

/// Today's date from the system clock (UTC).
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    civil_from_days(secs.div_euclid(86_400))
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    Date {
        year: y as u16,
        month: m,
        day: d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_accept_the_documented_forms_only() {
        assert_eq!(parse_date("2016", false).unwrap().iso(), "2016");
        assert_eq!(parse_date("2016-02", false).unwrap().iso(), "2016-02");
        assert_eq!(
            parse_date("2016-02-29", true).unwrap().german(),
            "29.02.2016"
        );
        assert!(parse_date("2017-02-29", true).is_none());
        assert!(parse_date("2016-13", false).is_none());
        assert!(parse_date("12.05.2017", true).is_none());
        assert!(parse_date("2016-02-01", false).is_none());
        assert!(parse_date("2016-02", true).is_none());
    }

    #[test]
    fn email_and_url_shapes() {
        assert!(is_email("integration@landkreis.example"));
        assert!(!is_email("integration@localhost"));
        assert!(!is_email("a b@x.de"));
        assert!(is_web_url("https://example.org/a?b=c"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("https://"));
        assert!(!is_web_url("https://x.org/\"onmouseover"));
    }

    #[test]
    fn civil_calendar_is_correct() {
        assert_eq!(civil_from_days(0).iso(), "1970-01-01");
        assert_eq!(civil_from_days(19_782).iso(), "2024-02-29");
    }

    #[test]
    fn headings_skip_code_fences() {
        let h = headings("## A\n```\n## B\n```\n## C ##\n");
        assert_eq!(h, ["A", "C"]);
    }
}
