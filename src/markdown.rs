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
        .add_tag_attributes("input", ["type", "checked", "disabled"])
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

/// Renders Markdown to sanitized HTML and returns the headings with their ids.
pub fn to_html(md: &str) -> (String, Vec<Heading>) {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event<'_>> = Parser::new_ext(md, opts).collect();
    let mut headings = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
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
            let mut n = 1;
            while !used.insert(anchor.clone()) {
                n += 1;
                anchor = format!("{base}-{n}");
            }
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(anchor.clone().into());
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
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_ids_from_their_text() {
        let (html, h) = to_html("## Übertragbarkeit\n\n## Übertragbarkeit\n");
        assert_eq!(h[0].id, "uebertragbarkeit");
        assert_eq!(h[1].id, "uebertragbarkeit-2");
        assert!(html.contains("id=\"uebertragbarkeit-2\""));
    }

    #[test]
    fn gfm_extensions_render() {
        let (html, _) = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~alt~~\n\n- [x] erledigt\n\nText[^1]\n\n[^1]: Fußnote\n");
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>alt</del>"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn dangerous_link_schemes_are_dropped_without_raw_html() {
        let (html, _) = to_html("[a](javascript:alert(1)) [b]( JaVaScRiPt:x) ![c](data:text/html,x) [d](vbscript:x) [ok](https://x.org) [rel](../a.html#b) [m](mailto:a@b.org)");
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
