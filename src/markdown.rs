//! Markdown to safe HTML: pulldown-cmark with tables, footnotes, strikethrough and
//! task lists, ids on headings for anchors, then ammonia so no contributor's markup
//! can run script in a reader's browser.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::content::slugify;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
        .add_generic_attributes(["class"])
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("input", "type") if value != "checkbox" => None,
            _ => Some(value.into()),
        });
    for tag in ["h1", "h2", "h3", "h4", "h5", "h6", "div", "sup", "li", "a"] {
        b.add_tag_attributes(tag, ["id"]);
    }
    b
});

/// A heading of the body, for a table of contents.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
}

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Deepest nesting of raw HTML elements a body may have. Real entries stay in single
/// digits; the HTML parser behind the sanitizer slows down quadratically with depth.
pub const MAX_HTML_DEPTH: usize = 100;

/// The deepest nesting of HTML elements written in `md` (a linear scan of the tags;
/// void elements and `/>` do not nest). Returns the depth and the 1-based line where
/// it was first exceeded, if it was.
pub fn html_depth(md: &str, limit: usize) -> (usize, Option<usize>) {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let bytes = md.as_bytes();
    let (mut depth, mut deepest, mut exceeded) = (0usize, 0usize, None);
    // Only tags matter: jump from `<` to `<`, and count lines only for the report.
    for i in memchr::memchr_iter(b'<', bytes) {
        let closing = bytes.get(i + 1) == Some(&b'/');
        let start = i + 1 + usize::from(closing);
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |p| start + p);
        if end > start && bytes[start].is_ascii_alphabetic() {
            let name = &md[start..end];
            // Look a bounded way ahead for the tag's end, so a text full of
            // unclosed `<div` stays linear.
            let window = &bytes[end..(end + 1024).min(bytes.len())];
            let self_closing = window
                .iter()
                .position(|&b| b == b'>')
                .is_some_and(|p| p > 0 && window[p - 1] == b'/');
            if closing {
                depth = depth.saturating_sub(1);
            } else if !VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) && !self_closing {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                }
                if depth > limit && exceeded.is_none() {
                    exceeded = Some(1 + memchr::memchr_iter(b'\n', &bytes[..i]).count());
                }
            }
        }
    }
    (deepest, exceeded)
}

/// A link between documents of the collection: `other-entry.md`, `../x/other.md#part`
/// or a bare slug `other-entry`. Returns the slug and the fragment.
pub fn internal_target(dest: &str) -> Option<(&str, Option<&str>)> {
    if dest.is_empty()
        || dest.starts_with('#')
        || dest.starts_with('/')
        || dest.contains("://")
        || dest.contains(':')
    {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let last = path.rsplit('/').next().unwrap_or(path);
    if let Some(stem) = last.strip_suffix(".md") {
        return Some((stem, fragment));
    }
    (!path.contains('/') && !path.contains('.') && crate::content::is_valid_slug(path))
        .then_some((path, fragment))
}

/// Links between documents with the line they are written on (1-based within `md`).
pub fn internal_links(md: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    // Every kind of link has a `]` (inline, reference, definition, wiki link), and
    // most bodies have none: those need no parse.
    if memchr::memchr(b']', md.as_bytes()).is_none() {
        return out;
    }
    // Lines and columns are counted from the previous link on, so many links on one
    // line stay linear too (`col` is the characters before `counted_to` on its line).
    let (mut counted_to, mut line, mut col) = (0usize, 1usize, 0usize);
    for (ev, range) in Parser::new_ext(md, OPTIONS).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. }) = ev {
            if internal_target(&dest_url).is_some() && range.start >= counted_to {
                let gap = &md[counted_to..range.start];
                match gap.rfind('\n') {
                    Some(at) => {
                        line += gap.bytes().filter(|b| *b == b'\n').count();
                        col = gap[at + 1..].chars().count();
                    }
                    None => col += gap.chars().count(),
                }
                counted_to = range.start;
                out.push((dest_url.to_string(), line, col + 1));
            }
        }
    }
    out
}

/// Accessible names of task-list checkboxes (done, open) in German; the site passes
/// the ones of its language.
pub const TASK_LABELS: [&str; 2] = ["erledigt", "offen"];

/// Renders Markdown to sanitized HTML and returns the headings with their ids.
/// `resolve` turns a link to another document (see [`internal_target`]) into the
/// address of its page; `task_labels` name the checkboxes of task lists.
pub fn to_html(
    md: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    task_labels: [&str; 2],
) -> (String, Vec<Heading>) {
    let mut events: Vec<Event<'_>> = Parser::new_ext(md, OPTIONS).collect();
    for e in events.iter_mut() {
        if let Event::Start(Tag::Link { dest_url, .. }) = e {
            if let Some((slug, fragment)) = internal_target(dest_url) {
                if let Some(url) = resolve(slug) {
                    *dest_url = match fragment {
                        Some(f) => format!("{url}#{f}").into(),
                        None => url.into(),
                    };
                }
            }
        }
    }
    let mut headings = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    // Next suffix to try per base id: 50,000 equal headings must not mean 50,000²
    // attempts.
    let mut next_suffix: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level as u8;
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = explicit.unwrap_or_else(|| {
                let s = slugify(&text);
                if s.is_empty() {
                    "abschnitt".to_string()
                } else {
                    s
                }
            });
            let mut anchor = base.clone();
            if !used.insert(anchor.clone()) {
                let n = next_suffix.entry(base.clone()).or_insert(1);
                loop {
                    *n += 1;
                    anchor = format!("{base}-{n}");
                    if used.insert(anchor.clone()) {
                        break;
                    }
                }
            }
            if let Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) = &mut events[i]
            {
                *id = Some(anchor.clone().into());
                // `{onfocus=…}` after a heading would reach the page unfiltered on the
                // fast path; only the id is kept.
                classes.clear();
                attrs.clear();
            }
            headings.push(Heading {
                level,
                text: text.trim().to_string(),
                id: anchor,
            });
            i = j;
        }
        i += 1;
    }
    let has_raw_html = events
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    // A checkbox needs an accessible name; pulldown-cmark writes none.
    for e in events.iter_mut() {
        if let Event::TaskListMarker(done) = e {
            let label = escape_attr(task_labels[usize::from(!*done)]);
            let checked = if *done { " checked=\"\"" } else { "" };
            *e = Event::InlineHtml(
                format!("<input disabled=\"\" type=\"checkbox\"{checked} aria-label=\"{label}\">")
                    .into(),
            );
        }
    }
    let mut raw = String::with_capacity(md.len() * 3 / 2);
    if has_raw_html {
        pulldown_cmark::html::push_html(&mut raw, events.into_iter());
        return (SANITIZER.clean(&raw).to_string(), headings);
    }
    // Without raw HTML, pulldown-cmark escapes every text and attribute itself; what
    // is left to make safe are link and image targets with a dangerous scheme.
    // Skipping the second HTML parse of ammonia halves the cost of most bodies.
    for e in events.iter_mut() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = e {
            if !is_safe_url(dest_url) {
                *dest_url = "".into();
            }
        }
    }
    pulldown_cmark::html::push_html(&mut raw, events.into_iter());
    (raw, headings)
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// A link target that cannot run code: relative, a fragment, or an allowed scheme.
fn is_safe_url(url: &str) -> bool {
    let u = url.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
    match u.find(|c: char| [':', '/', '?', '#'].contains(&c)) {
        Some(i) if u.as_bytes()[i] == b':' => {
            let scheme = u[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// Markdown to plain text (for feeds' summaries and data exports).
pub fn to_text(md: &str) -> String {
    // The text is at most about as long as its Markdown: one allocation, trimmed in
    // place, instead of regrowing and a copy (a build makes 60 MB of these).
    let mut out = String::with_capacity(md.len());
    // Blocks (paragraphs, lists, headings, tables, quotes) at the top end with a line
    // break: the index takes words of one block as close together (analyze.rs).
    let mut depth = 0usize;
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                let end = if depth == 0 { '\n' } else { ' ' };
                if out.ends_with(' ') && end == '\n' {
                    out.pop();
                }
                if !out.ends_with([' ', '\n']) {
                    out.push(end);
                }
            }
            Event::SoftBreak | Event::HardBreak if !out.ends_with([' ', '\n']) => out.push(' '),
            _ => {}
        }
    }
    out.truncate(out.trim_end().len());
    let lead = out.len() - out.trim_start().len();
    out.drain(..lead);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_ends_each_top_level_block_with_a_line_break() {
        let text = to_text("## Vorgehen\n\nEin Programm für\nPaten.\n\n- eins\n- zwei\n\nEnde.");
        assert_eq!(text, "Vorgehen\nEin Programm für Paten.\neins zwei\nEnde.");
    }

    #[test]
    fn headings_get_unique_ids_from_their_text() {
        let (html, h) = to_html(
            "## Übertragbarkeit\n\n## Übertragbarkeit\n",
            &|_| None,
            TASK_LABELS,
        );
        assert_eq!(h[0].id, "uebertragbarkeit");
        assert_eq!(h[1].id, "uebertragbarkeit-2");
        assert!(html.contains("id=\"uebertragbarkeit-2\""));
    }

    #[test]
    fn gfm_extensions_render() {
        let (html, _) = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~alt~~\n\n- [x] erledigt\n\nText[^1]\n\n[^1]: Fußnote\n", &|_| None, TASK_LABELS);
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>alt</del>"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(
            html.contains("aria-label=\"erledigt\""),
            "task checkboxes have a name: {html}"
        );
        assert!(html.contains("footnote"));
    }

    #[test]
    fn html_depth_counts_nesting_not_tags() {
        assert_eq!(html_depth("<div><p>a</p><p>b<br></p></div>", 100).0, 2);
        assert_eq!(html_depth("<img src=x/> <br/> a < b", 100).0, 0);
        let deep = format!("x\n{}", "<div>".repeat(150));
        assert_eq!(html_depth(&deep, 100), (150, Some(2)));
        assert_eq!(html_depth("<BR><Img src=x><HR/>", 100).0, 0);
        assert_eq!(html_depth("<DIV>\n<Section><p>a</p>", 100).0, 3);
        assert_eq!(html_depth("a\n\n<div><div>\n<div>", 2), (3, Some(4)));
    }

    #[test]
    fn links_to_other_documents_are_recognised_and_rewritten() {
        assert_eq!(internal_target("andere.md"), Some(("andere", None)));
        assert_eq!(
            internal_target("../wohnen/andere.md#vorgehen"),
            Some(("andere", Some("vorgehen")))
        );
        assert_eq!(internal_target("andere"), Some(("andere", None)));
        assert_eq!(internal_target("https://x.org/a.md"), None);
        assert_eq!(internal_target("bild.png"), None);
        assert_eq!(internal_target("#abschnitt"), None);
        let (html, _) = to_html(
            "[a](andere.md#x) [b](fehlt)",
            &|s| (s == "andere").then(|| "../praxis/andere.html".into()),
            TASK_LABELS,
        );
        assert!(html.contains("href=\"../praxis/andere.html#x\""), "{html}");
        assert!(html.contains("href=\"fehlt\""));
        assert_eq!(
            internal_links("Text\n\n[a](andere.md) und [b](x.md)\n"),
            [("andere.md".into(), 3, 1), ("x.md".into(), 3, 20)]
        );
        // Columns count characters, on from the previous link of the line or after a
        // line break between them.
        assert_eq!(
            internal_links("Ä [a](x.md) ü [b](y.md)\nzz [c](z.md)\n"),
            [
                ("x.md".into(), 1, 3),
                ("y.md".into(), 1, 15),
                ("z.md".into(), 2, 4)
            ]
        );
    }

    #[test]
    fn heading_attributes_never_carry_event_handlers() {
        // Regression (review): without raw HTML the sanitizer is skipped, so heading
        // attributes must be dropped by us.
        let (html, h) = to_html(
            "## Ergebnis {#eigen .klasse tabindex=0 autofocus onfocus=alert(1)}\n",
            &|_| None,
            TASK_LABELS,
        );
        assert!(
            !html.contains("onfocus") && !html.contains("autofocus") && !html.contains("klasse"),
            "{html}"
        );
        assert_eq!(h[0].id, "eigen");
    }

    #[test]
    fn dangerous_link_schemes_are_dropped_without_raw_html() {
        let (html, _) = to_html("[a](javascript:alert(1)) [b]( JaVaScRiPt:x) ![c](data:text/html,x) [d](vbscript:x) [ok](https://x.org) [rel](../a.html#b) [m](mailto:a@b.org)", &|_| None, TASK_LABELS);
        for bad in ["javascript", "JaVaScRiPt", "data:", "vbscript"] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
        for good in ["https://x.org", "../a.html#b", "mailto:a@b.org"] {
            assert!(html.contains(good), "{good} lost: {html}");
        }
    }

    #[test]
    fn script_and_event_handlers_are_removed() {
        let (html, _) = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n<iframe src=\"https://evil\"></iframe>\n\n<svg onload=alert(1)></svg>\n\n<input type=\"text\" onfocus=\"x\">",
            &|_| None,
            TASK_LABELS,
        );
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "<iframe",
            "onload",
            "<svg",
            "type=\"text\"",
            "onfocus",
        ] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
    }
}
