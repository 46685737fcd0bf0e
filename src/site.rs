//! Orchestration of a build: configuration → content → validation → collection →
//! pages and exports → output, written into a temporary folder beside the output and
//! swapped in only when everything succeeded, so a failed or interrupted build leaves
//! the previous site untouched.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::collection::Collection;
use crate::config::Config;
use crate::content;
use crate::diagnostic::{self, Diagnostic};
use crate::districts::Districts;
use crate::export;
use crate::i18n::Catalogue;
use crate::render::{self, Footer, OutputFile, Renderer};
use crate::theme::Theme;
use crate::validate::{self, Date, Rules};
use crate::yaml::Pos;

/// A file in every output folder zirkel writes: only a folder carrying it may be
/// replaced, so `--output ~/Dokumente` can never wipe someone's documents.
pub const MARKER: &str = ".zirkel-output";

/// Reports progress of long stages; the binary shows a bar, tests show nothing.
pub trait Progress: Sync {
    fn stage(&self, _name: &str, _total: u64) {}
    fn inc(&self, _n: u64) {}
}

/// Progress that shows nothing.
pub struct Silent;
impl Progress for Silent {}

/// What a build needs to know.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    /// Date for "review overdue" warnings; `None` skips them.
    pub today: Option<Date>,
}

/// The outcome of validating a collection: what would be published and every problem.
pub struct Checked {
    pub collection: Option<Collection>,
    pub entries: usize,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub entries: usize,
    pub pages: usize,
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// Everything a build would check, writing nothing.
pub fn check(root: &Path, today: Option<Date>, progress: &dyn Progress) -> Checked {
    let config = match Config::from_root(root) {
        Ok(c) => c,
        Err(diagnostics) => {
            return Checked {
                collection: None,
                entries: 0,
                diagnostics,
            }
        }
    };
    progress.stage("load", 0);
    let loaded = content::load(root);
    let mut diagnostics = loaded.diagnostics;
    let districts = Districts::official();
    let rules = Rules {
        config: &config,
        districts,
        today,
    };
    let v = validate::validate(loaded.docs, &rules);
    diagnostics.extend(v.diagnostics);
    if v.entries.is_empty() && !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.push(Diagnostic::warning(
            "Z0303",
            content::CONTENT_DIR,
            Pos::default(),
        ));
    }
    diagnostic::sort(&mut diagnostics);
    let entries = v.entries.len();
    let collection = (!diagnostics.iter().any(Diagnostic::is_error))
        .then(|| Collection::new(config, v.entries, v.pages, districts));
    Checked {
        collection,
        entries,
        diagnostics,
    }
}

/// Validates, renders and writes the site. On any error nothing is written and all
/// diagnostics are returned.
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    check_output_location(&opts.root, &opts.output)?;
    let checked = check(&opts.root, opts.today, progress);
    let mut diagnostics = checked.diagnostics;
    let Some(collection) = checked.collection else {
        return Err(diagnostics);
    };
    let cat = Catalogue::german();
    let districts = Districts::official();
    let theme = Theme::load(&opts.root, &collection.config.theme).map_err(|mut d| {
        d.extend(diagnostics.clone());
        d
    })?;
    let footer = footer(&collection);
    let renderer = Renderer::new(&theme, &collection.config, &footer, cat).map_err(|d| vec![d])?;
    progress.stage("render", 0);
    let mut files = render::render_site(&collection, &renderer, districts, cat)?;
    let pages = files.len();
    let html: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let sitemap = export::sitemap(&collection, &html);
    files.push(sitemap);
    files.extend(export::feeds(&collection, districts, cat));
    files.push(export::json(&collection, districts));
    files.push(
        export::csv(&collection, districts)
            .map_err(|e| vec![write_error(&opts.output, &e.to_string())])?,
    );
    for (name, bytes) in &theme.assets {
        files.push(OutputFile {
            path: format!("static/{name}"),
            bytes: bytes.clone(),
        });
    }
    progress.stage("write", files.len() as u64);
    write_atomically(&opts.output, &files, progress)?;
    diagnostics.retain(|d| !d.is_error());
    Ok(BuildReport {
        entries: collection.entries.len(),
        pages,
        files: files.len(),
        diagnostics,
        elapsed: started.elapsed(),
    })
}

fn footer(c: &Collection) -> Footer {
    let has = |slug: &str| {
        c.pages
            .iter()
            .any(|p| p.slug == slug)
            .then(|| render::page_url(slug))
    };
    Footer {
        ueber: has("ueber"),
        mitmachen: has("mitmachen"),
        impressum: has("impressum"),
        datenschutz: has("datenschutz"),
        barrierefreiheit: has("barrierefreiheit"),
    }
}

fn write_error(out: &Path, reason: &str) -> Diagnostic {
    Diagnostic::error("Z0408", out, Pos::default()).arg("reason", reason)
}

fn location_error(out: &Path, reason: &str) -> Vec<Diagnostic> {
    vec![Diagnostic::error("Z0407", out, Pos::default())
        .arg("path", out.display().to_string())
        .arg("reason", reason)]
}

/// Refuses outputs that would replace the collection or someone else's folder.
fn check_output_location(root: &Path, out: &Path) -> Result<(), Vec<Diagnostic>> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let root_abs = abs(root);
    let out_abs = abs(out);
    if root_abs.starts_with(&out_abs) {
        return Err(location_error(out, "er enthält die Sammlung selbst"));
    }
    for inner in [content::CONTENT_DIR, "themes"] {
        if out_abs.starts_with(root_abs.join(inner)) {
            return Err(location_error(out, &format!("er liegt in {inner}/")));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(location_error(out, "es ist eine Datei, kein Ordner"));
        }
        let non_empty = std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true);
        if non_empty && !out.join(MARKER).exists() {
            return Err(location_error(
                out,
                "der Ordner ist nicht leer und wurde nicht von zirkel erzeugt; er wird nicht überschrieben",
            ));
        }
    }
    Ok(())
}

/// Writes `files` into a fresh folder beside `out`, then swaps it in.
pub fn write_atomically(
    out: &Path,
    files: &[OutputFile],
    progress: &dyn Progress,
) -> Result<(), Vec<Diagnostic>> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    std::fs::create_dir_all(&parent).map_err(|e| vec![write_error(out, &e.to_string())])?;
    remove_leftovers(&parent, &name);
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.zirkel-tmp-{pid}"));
    let old = parent.join(format!(".{name}.zirkel-old-{pid}"));
    let result = write_tree(&tmp, files, progress);
    if let Err(e) = result {
        // The previous output was never touched; remove the half-written copy.
        let _cleanup = std::fs::remove_dir_all(&tmp);
        return Err(vec![write_error(out, &e.to_string())]);
    }
    let had_old = out.exists();
    if had_old {
        if let Err(e) = std::fs::rename(out, &old) {
            let _cleanup = std::fs::remove_dir_all(&tmp);
            return Err(vec![write_error(out, &e.to_string())]);
        }
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        if had_old {
            // Put the previous site back where it was.
            let _restore = std::fs::rename(&old, out);
        }
        let _cleanup = std::fs::remove_dir_all(&tmp);
        return Err(vec![write_error(out, &e.to_string())]);
    }
    if had_old {
        // The new site is in place; a leftover old copy is removed on the next build.
        let _cleanup = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Removes temporary and old folders an interrupted build left beside the output.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(dir) = std::fs::read_dir(parent) else {
        return;
    };
    let tmp = format!(".{name}.zirkel-tmp-");
    let old = format!(".{name}.zirkel-old-");
    for e in dir.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&tmp) || n.starts_with(&old) {
            let _cleanup = std::fs::remove_dir_all(e.path());
        }
    }
}

fn write_tree(dir: &Path, files: &[OutputFile], progress: &dyn Progress) -> std::io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let folders: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for f in folders {
        std::fs::create_dir_all(dir.join(f))?;
    }
    std::fs::write(dir.join(MARKER), b"zirkel\n")?;
    files.par_iter().try_for_each(|f| {
        std::fs::write(dir.join(&f.path), &f.bytes)?;
        progress.inc(1);
        Ok(())
    })
}
