//! Data exports beside the HTML: Atom feeds (all, per field), `praxis.json`,
//! `praxis.csv` and `sitemap.xml`. Dates come from the entries, never from the
//! clock, so the same collection always gives the same bytes.

use crate::collection::{listed, Collection};
use crate::districts::Districts;
use crate::i18n::Catalogue;
use crate::render::{self, OutputFile};
use crate::validate::{Date, Entry};

/// How many entries a feed carries.
const FEED_ENTRIES: usize = 50;

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn rfc3339(d: Option<Date>) -> String {
    match d {
        Some(d) => format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            d.year,
            d.month.max(1),
            d.day.max(1)
        ),
        None => "1970-01-01T00:00:00Z".to_string(),
    }
}

/// The date an entry last changed, as far as its metadata tells.
fn updated(e: &Entry) -> Option<Date> {
    e.last_reviewed.or(e.started)
}

/// An address for `path`: absolute under `base_url` when set, else relative to `from`.
fn address(base_url: &str, from: &str, path: &str) -> String {
    if base_url.is_empty() {
        format!("{}{path}", render::root_of(from))
    } else {
        format!("{base_url}/{path}")
    }
}

fn feed(
    c: &Collection,
    path: &str,
    title: &str,
    ids: &[usize],
    districts: &Districts,
) -> OutputFile {
    let cfg = &c.config;
    let mut ids: Vec<usize> = ids.to_vec();
    ids.sort_by(|&a, &b| {
        updated(&c.entries[b])
            .cmp(&updated(&c.entries[a]))
            .then(a.cmp(&b))
    });
    ids.truncate(FEED_ENTRIES);
    let newest = ids.first().and_then(|&i| updated(&c.entries[i]));
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    x.push_str(&xml_escape(&cfg.language));
    x.push_str("\">\n");
    x.push_str(&format!("<title>{}</title>\n", xml_escape(title)));
    x.push_str(&format!("<id>urn:zirkel:{}</id>\n", xml_escape(path)));
    x.push_str(&format!("<updated>{}</updated>\n", rfc3339(newest)));
    x.push_str(&format!(
        "<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&address(&cfg.base_url, path, path)),
        xml_escape(&address(&cfg.base_url, path, "index.html"))
    ));
    x.push_str(&format!(
        "<author><name>{}</name></author>\n",
        xml_escape(&cfg.title)
    ));
    for i in ids {
        let e = &c.entries[i];
        let names: Vec<String> = e
            .districts
            .iter()
            .map(|a| render::district_ref(districts, a).name)
            .collect();
        x.push_str("<entry>\n");
        x.push_str(&format!("<title>{}</title>\n", xml_escape(&e.title)));
        x.push_str(&format!("<id>urn:zirkel:praxis:{}</id>\n", e.slug));
        x.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&address(&cfg.base_url, path, &render::entry_url(&e.slug)))
        ));
        x.push_str(&format!("<updated>{}</updated>\n", rfc3339(updated(e))));
        x.push_str(&format!(
            "<category term=\"{}\" label=\"{}\"/>\n",
            xml_escape(&e.field),
            xml_escape(
                cfg.field(&e.field)
                    .map_or(e.field.as_str(), |f| f.label.as_str())
            )
        ));
        x.push_str(&format!(
            "<summary>{} ({})</summary>\n",
            xml_escape(&e.summary),
            xml_escape(&names.join(", "))
        ));
        x.push_str("</entry>\n");
    }
    x.push_str("</feed>\n");
    OutputFile {
        path: path.to_string(),
        bytes: x.into_bytes(),
    }
}

/// Atom feeds: all entries, and one per field.
pub fn feeds(c: &Collection, districts: &Districts, cat: &Catalogue) -> Vec<OutputFile> {
    let all: Vec<usize> = (0..c.entries.len()).collect();
    let mut out = vec![feed(c, "atom.xml", &c.config.title, &all, districts)];
    for f in &c.config.fields {
        let ids = listed(&c.by_field, &f.slug);
        let title = format!(
            "{} – {}",
            c.config.title,
            cat.format("site.feed.field", &[("label", f.label.clone())])
        );
        out.push(feed(
            c,
            &render::field_feed_url(&f.slug),
            &title,
            ids,
            districts,
        ));
    }
    out
}

#[derive(serde::Serialize)]
struct JsonEntry<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    url: String,
    district_names: Vec<String>,
    lands: Vec<String>,
}

/// The entries of `praxis.json`, each made and written in turn: the whole file as one
/// `serde_json::Value` held some 60 MB for 10,000 entries. Each entry goes through a
/// `Value` of its own, so its keys stay in the sorted order the file always had.
struct JsonEntries<'a> {
    c: &'a Collection,
    districts: &'a Districts,
}

impl serde::Serialize for JsonEntries<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(Some(self.c.entries.len()))?;
        for e in &self.c.entries {
            let refs = || {
                e.districts
                    .iter()
                    .map(|a| render::district_ref(self.districts, a))
            };
            let entry = JsonEntry {
                entry: e,
                url: render::entry_url(&e.slug),
                district_names: refs().map(|r| r.name).collect(),
                lands: refs().map(|r| r.land).collect(),
            };
            seq.serialize_element(&serde_json::to_value(&entry).map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

/// `praxis.json`: every published entry's metadata.
pub fn json(c: &Collection, districts: &Districts) -> Result<OutputFile, serde_json::Error> {
    // Fields in key order, as the file always had them.
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        entries: JsonEntries<'a>,
        title: &'a str,
    }
    let doc = Doc {
        entries: JsonEntries { c, districts },
        title: &c.config.title,
    };
    // Sized for a typical entry (about 1.1 KB): no regrowing through the megabytes.
    let mut bytes = Vec::with_capacity(1024 + c.entries.len() * 1200);
    serde_json::to_writer(&mut bytes, &doc)?;
    Ok(OutputFile {
        path: "praxis.json".into(),
        bytes,
    })
}

/// A cell a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, tab or
/// carriage return is a formula to Excel and LibreOffice, so it gets a leading `'`.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// `praxis.csv`: one row per entry, lists joined with `; `.
pub fn csv(c: &Collection, districts: &Districts) -> Result<OutputFile, csv::Error> {
    // Sized for a typical row (about 600 bytes): no regrowing through the megabytes.
    let mut w = csv::Writer::from_writer(Vec::with_capacity(1024 + c.entries.len() * 640));
    let header = [
        "slug",
        "url",
        "title",
        "district",
        "district_name",
        "land",
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
        "contact_role",
        "contact_organisation",
        "contact_email",
        "sources",
        "last_reviewed",
        "example",
    ];
    w.write_record(header)?;
    for e in &c.entries {
        let refs: Vec<_> = e
            .districts
            .iter()
            .map(|a| render::district_ref(districts, a))
            .collect();
        let contact = e.contact.as_ref();
        let row = vec![
            e.slug.clone(),
            render::entry_url(&e.slug),
            e.title.clone(),
            e.districts.join("; "),
            refs.iter()
                .map(|r| r.name.clone())
                .collect::<Vec<_>>()
                .join("; "),
            refs.iter()
                .map(|r| r.land.clone())
                .collect::<Vec<_>>()
                .join("; "),
            e.field.clone(),
            e.outcome.clone(),
            e.summary.clone(),
            e.status.clone().unwrap_or_default(),
            e.started.map(|d| d.iso()).unwrap_or_default(),
            e.target_groups.join("; "),
            e.actors.join("; "),
            e.tags.join("; "),
            e.resources.clone().unwrap_or_default(),
            e.funding.join("; "),
            e.reach.map(|r| r.to_string()).unwrap_or_default(),
            e.participation.clone().unwrap_or_default(),
            e.evidence.clone().unwrap_or_default(),
            e.transferability.clone().unwrap_or_default(),
            e.adopted_by.join("; "),
            e.review.clone().unwrap_or_default(),
            contact.and_then(|c| c.role.clone()).unwrap_or_default(),
            contact
                .and_then(|c| c.organisation.clone())
                .unwrap_or_default(),
            contact.and_then(|c| c.email.clone()).unwrap_or_default(),
            e.sources
                .iter()
                .map(|s| s.title.clone())
                .collect::<Vec<_>>()
                .join("; "),
            e.last_reviewed.map(|d| d.iso()).unwrap_or_default(),
            e.example.to_string(),
        ];
        w.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(OutputFile {
        path: "praxis.csv".into(),
        bytes,
    })
}

/// `sitemap.xml` over every HTML page but the 404 page. Locations are absolute when
/// `base_url` is set and relative to the sitemap otherwise.
pub fn sitemap(c: &Collection, html_paths: &[&str]) -> OutputFile {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut paths: Vec<&&str> = html_paths.iter().filter(|p| **p != "404.html").collect();
    paths.sort();
    for p in paths {
        x.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            xml_escape(&address(&c.config.base_url, "sitemap.xml", p))
        ));
    }
    x.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: x.into_bytes(),
    }
}

/// `daten/formular.js`: what the submit form needs to write and check an entry the
/// way `zirkel check` does – vocabularies, the districts, the rules' messages and
/// the link to a new file on the git host. A script file, so it loads from `file://`.
pub fn form_data(
    c: &Collection,
    districts: &Districts,
    cat: &Catalogue,
) -> Result<OutputFile, serde_json::Error> {
    let cfg = &c.config;
    let label = |group: &str, v: &str| cat.get(&format!("site.labels.{group}.{v}")).to_string();
    let vocab = |group: &str, values: &[&str]| -> Vec<serde_json::Value> {
        values
            .iter()
            .map(|v| serde_json::json!({"slug": v, "label": label(group, v)}))
            .collect()
    };
    let terms = |t: &[crate::config::Term]| -> Vec<serde_json::Value> {
        t.iter()
            .map(|t| serde_json::json!({"slug": t.slug, "label": t.label}))
            .collect()
    };
    let ds: Vec<serde_json::Value> = districts
        .all()
        .iter()
        .map(|d| serde_json::json!({"ags": d.ags, "name": d.name, "short": d.short_name, "display": d.display_name(), "land": d.land_name()}))
        .collect();
    let codes = [
        "Z0201", "Z0204", "Z0205", "Z0206", "Z0207", "Z0208", "Z0209", "Z0210", "Z0211",
    ];
    let messages: serde_json::Map<String, serde_json::Value> = codes
        .iter()
        .map(|code| {
            let m = cat.get(&format!("diagnostics.{code}.message")).to_string();
            let h_key = format!("diagnostics.{code}.help");
            let h = if cat.has(&h_key) {
                cat.get(&h_key).to_string()
            } else {
                String::new()
            };
            (
                code.to_string(),
                serde_json::json!({"message": m, "help": h}),
            )
        })
        .collect();
    let data = serde_json::json!({
        "fields": terms(&cfg.fields),
        "outcomes": terms(&cfg.outcomes),
        "target_groups": terms(&cfg.target_groups),
        "transferability": terms(&cfg.transferability),
        "status": vocab("status", crate::validate::STATUS),
        "participation": vocab("participation", crate::validate::PARTICIPATION),
        "evidence": vocab("evidence", crate::validate::EVIDENCE),
        "review": vocab("review", crate::validate::REVIEW),
        "sections": crate::validate::SECTIONS,
        "districts": ds,
        "messages": messages,
        "did_you_mean": cat.get("words.did_you_mean"),
        "format_month": cat.get("words.format_month"),
        "format_day": cat.get("words.format_day"),
        "strings": cat.site_strings().get("submit"),
        "links": {"new": cfg.links.new},
    });
    let mut js = String::from(
        "// Generated by zirkel build: data for the submit form.\nwindow.ZIRKEL_FORM = ",
    );
    js.push_str(&serde_json::to_string(&data)?);
    js.push_str(";\n");
    Ok(OutputFile {
        path: crate::render::SUBMIT_DATA_URL.into(),
        bytes: js.into_bytes(),
    })
}
