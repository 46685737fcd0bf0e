//! Loading: walks `content/`, reads every Markdown file in parallel, splits the
//! front matter from the body and parses it. Nothing here knows what keys mean;
//! that is `validate`'s job.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::yaml::{self, Node, Pos, YamlError};

pub const CONTENT_DIR: &str = "content";
/// Plain pages (about, imprint, …) live here; everything else is an entry.
pub const PAGES_DIR: &str = "seiten";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Entry,
    Page,
}

/// A Markdown file with its front matter parsed but not yet interpreted.
#[derive(Debug, Clone)]
pub struct RawDoc {
    /// Path relative to the collection root (`content/praxis/a.md`).
    pub path: PathBuf,
    pub slug: String,
    pub kind: DocKind,
    pub front: Node,
    pub body: String,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
}

/// Finds, reads and splits every `.md` file under `root/content` (files larger than
/// `max_bytes` are refused unread), handing each document to `each` as soon as it is
/// read, on the thread that read it: what `each` keeps of it is all that stays, so a
/// build never holds every parsed front matter at once (for 10,000 entries, some
/// 100 MB of fresh memory). The results and the problems of the unreadable files, in
/// the order found.
pub fn load<T: Send>(
    root: &Path,
    max_bytes: u64,
    each: impl Fn(RawDoc) -> T + Sync,
) -> (Vec<T>, Vec<Diagnostic>) {
    let (paths, mut diagnostics) = discover(root);
    let results: Vec<Result<T, Diagnostic>> = paths
        .par_iter()
        .map(|rel| load_file(root, rel, max_bytes).map(&each))
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(d) => docs.push(d),
            Err(d) => diagnostics.push(d),
        }
    }
    (docs, diagnostics)
}

/// Lists the Markdown files under `content/` (relative to root), sorted, skipping
/// hidden files and editors' temporary files; unreadable folders and symlink loops
/// become diagnostics.
pub fn discover(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let dir = root.join(CONTENT_DIR);
    let mut paths = Vec::new();
    let mut diags = Vec::new();
    if !dir.is_dir() {
        return (paths, diags);
    }
    let walker = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_str().unwrap_or("")));
    for item in walker {
        match item {
            Ok(e) => {
                if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") {
                    paths.push(relative(root, e.path()));
                }
            }
            Err(err) => {
                let at = err
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                diags.push(walk_error(at, &err));
            }
        }
    }
    (paths, diags)
}

/// Z0005 for a folder that cannot be walked: a symlink loop, or the system's reason.
fn walk_error(at: PathBuf, err: &walkdir::Error) -> Diagnostic {
    let d = Diagnostic::error("Z0005", at, Pos::default());
    match (err.loop_ancestor(), err.io_error()) {
        (Some(anc), _) => d.phrase(
            "reason",
            "words.symlink_loop",
            vec![("path", anc.display().to_string())],
        ),
        (None, Some(io)) => d.arg("reason", io.to_string()),
        (None, None) => d.arg("reason", err.to_string()),
    }
}

/// Hidden files, editor swap and backup files are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

fn relative(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

/// Reads one file and splits it; any problem is one diagnostic for this file.
pub fn load_file(root: &Path, rel: &Path, max_bytes: u64) -> Result<RawDoc, Diagnostic> {
    parse_doc(rel, &read_text(root, rel, max_bytes)?)
}

/// Reads one file as UTF-8 text, refusing files larger than `max_bytes` unread.
pub fn read_text(root: &Path, rel: &Path, max_bytes: u64) -> Result<String, Diagnostic> {
    let full = root.join(rel);
    let whole = Pos::default();
    let meta = std::fs::metadata(&full)
        .map_err(|e| Diagnostic::error("Z0002", rel, whole).arg("reason", e.to_string()))?;
    if meta.len() > max_bytes {
        return Err(Diagnostic::error("Z0004", rel, whole)
            .arg("size", meta.len().to_string())
            .arg("max", max_bytes.to_string()));
    }
    let bytes = std::fs::read(&full)
        .map_err(|e| Diagnostic::error("Z0002", rel, whole).arg("reason", e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::error("Z0003", rel, Pos { line, col: 1 })
    })
}

/// Splits and parses a document given as text; used by `load_file` and by tests.
pub fn parse_doc(rel: &Path, text: &str) -> Result<RawDoc, Diagnostic> {
    let kind = if rel
        .strip_prefix(CONTENT_DIR)
        .unwrap_or(rel)
        .components()
        .next()
        .is_some_and(|c| c.as_os_str() == PAGES_DIR)
    {
        DocKind::Page
    } else {
        DocKind::Entry
    };
    let slug = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    if !is_valid_slug(&slug) {
        return Err(Diagnostic::error("Z0108", rel, Pos::default())
            .arg("stem", &slug)
            .arg("suggestion", slugify(&slug)));
    }
    let (yaml_src, body, body_line) = split_front_matter(text)
        .map_err(|code| Diagnostic::error(code, rel, Pos { line: 1, col: 1 }))?;
    let front = match yaml::parse(yaml_src, 1) {
        Ok(Some(n)) => n,
        Ok(None) => Node {
            pos: Pos { line: 1, col: 1 },
            kind: yaml::Kind::Map(Vec::new()),
        },
        Err(e) => return Err(yaml_diagnostic(rel, &e)),
    };
    if !matches!(front.kind, yaml::Kind::Map(_)) {
        return Err(Diagnostic::error("Z0106", rel, front.pos).phrase(
            "found",
            front.kind_name(),
            vec![],
        ));
    }
    Ok(RawDoc {
        path: rel.to_path_buf(),
        slug,
        kind,
        front,
        body: body.to_string(),
        body_line,
    })
}

/// Turns a YAML error into a diagnostic for `file`.
pub fn yaml_diagnostic(file: &Path, e: &YamlError) -> Diagnostic {
    match e {
        YamlError::Syntax { pos, message } => {
            Diagnostic::error("Z0103", file, *pos).arg("reason", message)
        }
        YamlError::Alias { pos } => Diagnostic::error("Z0104", file, *pos),
        YamlError::TooDeep { pos } => Diagnostic::error("Z0105", file, *pos),
        YamlError::ComplexKey { pos } => Diagnostic::error("Z0110", file, *pos),
        YamlError::MultipleDocuments { pos } => Diagnostic::error("Z0111", file, *pos),
    }
}

/// Returns (front matter YAML, body, body's first line) or the diagnostic code.
/// The front matter opens with `---` on the first line (after an optional BOM) and
/// closes with `---` or `...` on a line of its own.
pub fn split_front_matter(text: &str) -> Result<(&str, &str, usize), &'static str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err("Z0101");
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        let t = line.trim_end();
        if t == "---" || t == "..." {
            let body_start = offset + line.len();
            return Ok((&text[yaml_start..offset], &text[body_start..], line_no + 1));
        }
        offset += line.len();
    }
    Err("Z0102")
}

/// A slug is lower-case ASCII letters and digits joined by single hyphens.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Makes a slug from a title: umlauts transliterated, lower case, hyphens.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'a'..='z' | '0'..='9' => out.push(c),
            'à' | 'á' | 'â' | 'ã' | 'å' => out.push('a'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ò' | 'ó' | 'ô' | 'õ' => out.push('o'),
            'ù' | 'ú' | 'û' => out.push('u'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            _ => {
                if !out.ends_with('-') && !out.is_empty() {
                    out.push('-');
                }
            }
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_and_body_line_counted() {
        let (y, b, line) = split_front_matter("---\ntitle: x\n---\n## A\n").unwrap();
        assert_eq!(y, "title: x\n");
        assert_eq!(b, "## A\n");
        assert_eq!(line, 4);
    }

    #[test]
    fn missing_opening_or_closing_fence_is_reported() {
        assert_eq!(split_front_matter("title: x\n"), Err("Z0101"));
        assert_eq!(split_front_matter("---\ntitle: x\n"), Err("Z0102"));
        assert_eq!(split_front_matter(""), Err("Z0101"));
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let (y, b, _) = split_front_matter("\u{feff}---\r\ntitle: x\r\n---\r\nText").unwrap();
        assert_eq!(y, "title: x\r\n");
        assert_eq!(b, "Text");
    }

    #[test]
    fn slugify_transliterates_umlauts() {
        assert_eq!(
            slugify("Wohnungswahl statt Zuweisung"),
            "wohnungswahl-statt-zuweisung"
        );
        assert_eq!(
            slugify("Übergänge für Großfamilien!"),
            "uebergaenge-fuer-grossfamilien"
        );
        assert!(is_valid_slug(&slugify("  Ä -- ß  ")));
    }

    #[test]
    fn pages_are_recognised_by_their_folder() {
        let d = parse_doc(
            Path::new("content/seiten/ueber.md"),
            "---\ntitle: Über\n---\n",
        )
        .unwrap();
        assert_eq!(d.kind, DocKind::Page);
        let d = parse_doc(Path::new("content/praxis/a.md"), "---\ntitle: A\n---\n").unwrap();
        assert_eq!(d.kind, DocKind::Entry);
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let e = parse_doc(Path::new("content/a.md"), "---\ntitle: x\ntags: [a\n---\n").unwrap_err();
        assert_eq!(e.code, "Z0103");
        assert!(e.line >= 3, "line {}", e.line);
    }

    #[test]
    fn invalid_file_name_suggests_a_slug() {
        let e = parse_doc(Path::new("content/Mein Eintrag.md"), "---\n---\n").unwrap_err();
        assert_eq!(e.code, "Z0108");
        assert_eq!(e.arg_text("suggestion"), Some("mein-eintrag"));
    }
}
