//! Orchestration of a build: configuration → content → validation → collection →
//! pages and exports → output, written into a temporary folder beside the output and
//! swapped in only when everything succeeded, so a failed or interrupted build leaves
//! the previous site untouched.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::collection::Collection;
use crate::config::Config;
use crate::content;
use crate::diagnostic::{self, Diagnostic};
use crate::districts::Districts;
use crate::export;
use crate::i18n::Catalogue;
use crate::index::{self, IndexError, SearchIndex};
use crate::render::{self, Footer, OutputFile, Renderer, Sink};
use crate::search_export;
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
    /// The theme and its compiled templates, when they load and compile.
    pub compiled: Option<(Theme, Renderer)>,
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
                compiled: None,
                entries: 0,
                diagnostics,
            }
        }
    };
    progress.stage("load", 0);
    let rules = Rules {
        config: &config,
        districts: Districts::official(),
        today,
    };
    // The theme is part of what a build needs: a missing theme or a template that does
    // not compile must fail `check` too, not only the build in the Pages job. It is
    // compiled while the files load: the loading leaves a core idle at its end.
    let (loaded, theme) = rayon::join(
        || {
            content::load(root, config.max_entry_bytes, |d| {
                validate::validate_doc(d, &rules)
            })
        },
        || compile_theme(root, &config),
    );
    let (results, mut diagnostics) = loaded;
    let compiled = match theme {
        Ok(c) => Some(c),
        Err(mut d) => {
            diagnostics.append(&mut d);
            None
        }
    };
    let mut v = validate::combine(results.iter());
    // The results share the entries: let go of them, so the entries are not copied
    // below.
    drop(results);
    let history = crate::history::History::read(root);
    for e in &mut v.entries {
        // The entries are not shared yet: this changes them in place.
        Arc::make_mut(e).last_changed = history.last_changed(&e.path);
    }
    let (collection, diagnostics, entries) = conclude(config, v, diagnostics, |c, e, p| {
        Collection::new(c, e, p, Districts::official())
    });
    Checked {
        collection,
        compiled,
        entries,
        diagnostics,
    }
}

/// Loads the configured theme and compiles its templates.
pub(crate) fn compile_theme(
    root: &Path,
    config: &Config,
) -> Result<(Theme, Renderer), Vec<Diagnostic>> {
    let theme = Theme::load(root, &config.theme)?;
    let renderer = Renderer::new(&theme, config, Catalogue::for_language(&config.language))
        .map_err(|d| vec![d])?;
    Ok((theme, renderer))
}

/// The last step of checking, after validation: the warning for an empty collection,
/// diagnostics in order, and the collection when none of them is an error. Returns
/// the collection, the diagnostics and the number of valid entries.
pub(crate) fn conclude(
    config: Config,
    mut v: validate::Validated,
    mut diagnostics: Vec<Diagnostic>,
    collect: impl FnOnce(Config, Vec<Arc<validate::Entry>>, Vec<validate::Page>) -> Collection,
) -> (Option<Collection>, Vec<Diagnostic>, usize) {
    diagnostics.append(&mut v.diagnostics);
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
        .then(|| collect(config, v.entries, v.pages));
    (collection, diagnostics, entries)
}

/// A collection checked and ready to render: everything a build needs before the
/// first file is written.
struct Prepared {
    collection: Collection,
    theme: Theme,
    renderer: Renderer,
    cat: &'static Catalogue,
    warnings: Vec<Diagnostic>,
}

/// Checks the collection and compiles the theme; errors mean nothing may be written.
fn prepare(opts: &BuildOptions, progress: &dyn Progress) -> Result<Prepared, Vec<Diagnostic>> {
    check_output_location(&opts.root, &opts.output)?;
    let checked = check(&opts.root, opts.today, progress);
    let diagnostics = checked.diagnostics;
    // `check` loaded the theme and compiled its templates; a build reuses them.
    let (Some(collection), Some((theme, mut renderer))) = (checked.collection, checked.compiled)
    else {
        return Err(diagnostics);
    };
    let cat = Catalogue::for_language(&collection.config.language);
    renderer.set_footer(&footer(&collection));
    Ok(Prepared {
        collection,
        theme,
        renderer,
        cat,
        warnings: diagnostics.into_iter().filter(|d| !d.is_error()).collect(),
    })
}

/// Renders every page and export of a prepared collection into `sink`; returns the
/// number of pages. Fails (with everything already put into `sink` to be discarded)
/// on template or export errors.
fn emit(
    p: &Prepared,
    sink: &dyn Sink,
    output: &Path,
    index_dir: Option<&Path>,
    progress: &dyn Progress,
) -> Result<usize, Vec<Diagnostic>> {
    let districts = Districts::official();
    let (c, cat) = (&p.collection, p.cat);
    progress.stage("render", 0);
    // Pages, data exports and the search index are independent: produce them side by
    // side.
    // The search index is the longest chain of work: it starts first, on this core.
    // The data exports go before the pages on the other: queued behind the index they
    // waited for a free core until the pages were done, and then ran alone.
    let (search, (data, rendered)) = rayon::join(
        || search_output(c, districts, index_dir, &|| false),
        || {
            rayon::join(
                || data_files(c, districts, output),
                || render::render_site(c, &p.renderer, districts, cat, sink, None),
            )
        },
    );
    let paths = rendered?.paths;
    for f in data?.into_iter().chain(search?.into_iter().flatten()) {
        sink.put(&f.path, f.bytes);
    }
    let html: Vec<&str> = paths.iter().map(String::as_str).collect();
    let sitemap = export::sitemap(c, &html);
    sink.put(&sitemap.path, sitemap.bytes);
    for (name, bytes) in &p.theme.assets {
        sink.put(&format!("static/{name}"), bytes.clone());
    }
    sink.put(MARKER, b"zirkel\n".to_vec());
    Ok(paths.len())
}

/// Validates, renders and writes the site. On any error nothing is written and all
/// diagnostics are returned.
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let prepared = prepare(opts, progress)?;
    let mut warnings = prepared.warnings.clone();
    let staging = Staging::create(&opts.output)?;
    // The index for `zirkel search` is a cache: when its folder cannot be written
    // (a read-only checkout), the site is built all the same, search included.
    let cache = index::index_dir(&opts.root);
    let index_staging = match Staging::create(&cache) {
        Ok(s) => Some(s),
        Err(d) => {
            warnings.extend(d.iter().map(|d| cache_warning(&cache, &d.message_de())));
            None
        }
    };
    let abandon_index = |s: Option<Staging>| s.into_iter().for_each(Staging::abandon);
    let sink = DirSink::new(staging.dir.clone(), progress);
    let index_dir = index_staging.as_ref().map(|s| s.dir.as_path());
    let pages = match emit(&prepared, &sink, &opts.output, index_dir, progress) {
        Ok(n) => n,
        Err(d) => {
            sink.finish().ok();
            staging.abandon();
            abandon_index(index_staging);
            return Err(d);
        }
    };
    let files = match sink.finish() {
        Ok(n) => n,
        Err(e) => {
            staging.abandon();
            abandon_index(index_staging);
            return Err(vec![write_error(&opts.output, &e)]);
        }
    };
    if let Err(d) = staging.commit() {
        abandon_index(index_staging);
        return Err(d);
    }
    // The site is out; the index of `zirkel search` follows it. Failing here leaves
    // the new site in place and only the cache behind.
    if let Some(s) = index_staging {
        if let Err(d) = s.commit() {
            warnings.extend(d.iter().map(|d| cache_warning(&cache, &d.message_de())));
        }
    }
    Ok(BuildReport {
        entries: prepared.collection.entries.len(),
        pages,
        files,
        diagnostics: warnings,
        elapsed: started.elapsed(),
    })
}

fn cache_warning(dir: &Path, reason: &str) -> Diagnostic {
    Diagnostic::warning("Z0409", dir, Pos::default()).arg("reason", reason)
}

/// Builds the tantivy index into `dir` (in memory without one) and exports the
/// site's static index from it.
fn search_files(
    c: &Collection,
    districts: &Districts,
    dir: Option<&Path>,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Vec<OutputFile>>, IndexError> {
    let docs: std::sync::Arc<[index::SearchDoc]> = index::documents(c, districts).into();
    if stop() {
        return Ok(None);
    }
    let idx = match dir {
        Some(dir) => SearchIndex::create(dir, &docs)?,
        None => SearchIndex::create_in_ram(&docs)?,
    };
    if stop() {
        return Ok(None);
    }
    let mut used = std::collections::BTreeMap::new();
    for ags in c.districts_with_entries() {
        if let Some(d) = districts.by_ags(ags) {
            used.insert(ags.clone(), d.display_name());
        }
    }
    let vocab = search_export::Vocab {
        fields: &c.config.fields,
        outcomes: &c.config.outcomes,
        target_groups: &c.config.target_groups,
        participation: validate::PARTICIPATION,
        districts: used,
        lands: crate::districts::lands(),
    };
    let thesaurus = crate::thesaurus::Thesaurus::for_config(&c.config.search);
    search_export::export(&idx, &docs, &vocab, &thesaurus).map(Some)
}

/// Whether the index in the cache is at least as new as every source file, so
/// `zirkel search` can use it without rebuilding.
pub fn index_is_current(root: &Path) -> bool {
    let Ok(built) = index::index_dir(root)
        .join("meta.json")
        .metadata()
        .and_then(|m| m.modified())
    else {
        return false;
    };
    let sources = std::iter::once(root.join(crate::config::FILE_NAME))
        .chain(
            WalkDir::new(root.join(content::CONTENT_DIR))
                .into_iter()
                .flatten()
                .map(|e| e.into_path()),
        )
        .chain(
            WalkDir::new(root.join("themes"))
                .into_iter()
                .flatten()
                .map(|e| e.into_path()),
        );
    for path in sources {
        if path
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|m| m > built)
        {
            return false;
        }
    }
    true
}

/// Checks the collection and (re)builds only its search index, for `zirkel search`.
pub fn build_index(root: &Path) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let checked = check(root, None, &Silent);
    let Some(collection) = checked.collection else {
        return Err(checked.diagnostics);
    };
    let dir = index::index_dir(root);
    let staging = Staging::create(&dir)?;
    let docs: std::sync::Arc<[index::SearchDoc]> =
        index::documents(&collection, Districts::official()).into();
    if let Err(e) = SearchIndex::create(&staging.dir, &docs) {
        let reason = e.to_string();
        staging.abandon();
        return Err(vec![index_error(&dir, &reason)]);
    }
    staging.commit()?;
    Ok(checked.diagnostics)
}

fn index_error(dir: &Path, reason: &str) -> Diagnostic {
    Diagnostic::error("Z0409", dir, Pos::default()).arg("reason", reason)
}

/// Feeds, data exports and the static search index: the files made from the whole
/// collection rather than page by page (the sitemap, which lists the pages, aside).
/// `stop` is asked between stages; `None` when it said stop.
pub(crate) fn collection_files(
    c: &Collection,
    districts: &Districts,
    output: &Path,
    index_dir: Option<&Path>,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Vec<OutputFile>>, Vec<Diagnostic>> {
    // The search index first: it is the longest chain of work in a build, and the
    // other core takes the exports meanwhile.
    let (search, data) = rayon::join(
        || search_output(c, districts, index_dir, stop),
        || data_files(c, districts, output),
    );
    let mut files = data?;
    match search? {
        Some(search) if !stop() => files.extend(search),
        _ => return Ok(None),
    }
    Ok(Some(files))
}

/// The static search index's files, the tantivy index built into `index_dir` on the
/// way; `None` when `stop` said stop.
fn search_output(
    c: &Collection,
    districts: &Districts,
    index_dir: Option<&Path>,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Option<Vec<OutputFile>>, Vec<Diagnostic>> {
    let shown = index_dir.unwrap_or(Path::new(index::CACHE_DIR));
    search_files(c, districts, index_dir, stop)
        .map_err(|e| vec![index_error(shown, &e.to_string())])
}

/// The feeds and data exports as output files.
fn data_files(
    c: &Collection,
    districts: &Districts,
    output: &Path,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let cat = Catalogue::for_language(&c.config.language);
    exports(c, districts, cat).map_err(|e| vec![write_error(output, &e)])
}

/// Feeds and data files: everything but the pages and the sitemap.
fn exports(
    c: &Collection,
    districts: &Districts,
    cat: &Catalogue,
) -> Result<Vec<OutputFile>, String> {
    let mut out = export::feeds(c, districts, cat);
    out.push(export::json(c, districts).map_err(|e| e.to_string())?);
    out.push(export::csv(c, districts).map_err(|e| e.to_string())?);
    out.push(export::form_data(c, districts, cat).map_err(|e| e.to_string())?);
    Ok(out)
}

pub(crate) fn footer(c: &Collection) -> Footer {
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

pub(crate) fn write_error(out: &Path, reason: &str) -> Diagnostic {
    Diagnostic::error("Z0408", out, Pos::default()).arg("reason", reason)
}

/// Z0407 with the reason as a catalogue phrase (`words.output_*`).
fn location_error(
    out: &Path,
    reason: &'static str,
    args: Vec<(&'static str, String)>,
) -> Vec<Diagnostic> {
    vec![Diagnostic::error("Z0407", out, Pos::default())
        .arg("path", out.display().to_string())
        .phrase("reason", reason, args)]
}

/// Refuses outputs that would replace the collection or someone else's folder.
pub(crate) fn check_output_location(root: &Path, out: &Path) -> Result<(), Vec<Diagnostic>> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let root_abs = abs(root);
    let out_abs = abs(out);
    if root_abs.starts_with(&out_abs) {
        return Err(location_error(out, "words.output_contains_root", vec![]));
    }
    for inner in [content::CONTENT_DIR, "themes"] {
        if out_abs.starts_with(root_abs.join(inner)) {
            return Err(location_error(
                out,
                "words.output_inside",
                vec![("folder", inner.to_string())],
            ));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(location_error(out, "words.output_is_file", vec![]));
        }
        let non_empty = std::fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true);
        if non_empty && !out.join(MARKER).exists() {
            return Err(location_error(out, "words.output_foreign", vec![]));
        }
    }
    Ok(())
}

/// A fresh folder beside the output that receives the new site; `commit` swaps it
/// in, `abandon` (or an interrupted process) leaves the previous output untouched.
pub struct Staging {
    pub dir: PathBuf,
    out: PathBuf,
    old: PathBuf,
}

impl Staging {
    pub fn create(out: &Path) -> Result<Staging, Vec<Diagnostic>> {
        // A symlinked output (`site -> /srv/www/praxis`) is staged and swapped beside
        // its target; renaming the link itself would leave the web server's folder
        // behind and delete through the link.
        let resolved;
        let out = if out
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            resolved =
                std::fs::canonicalize(out).map_err(|e| vec![write_error(out, &e.to_string())])?;
            resolved.as_path()
        } else {
            out
        };
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
        let dir = parent.join(format!(".{name}.zirkel-tmp-{pid}"));
        let old = parent.join(format!(".{name}.zirkel-old-{pid}"));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| vec![write_error(out, &e.to_string())])?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| vec![write_error(out, &e.to_string())])?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            old,
        })
    }

    /// Removes the half-written folder; the previous output was never touched.
    pub fn abandon(self) {
        let _cleanup = std::fs::remove_dir_all(&self.dir);
    }

    /// Swaps the new site in place of the old one and removes the old one.
    pub fn commit(self) -> Result<(), Vec<Diagnostic>> {
        let had_old = self.out.exists();
        if had_old {
            if let Err(e) = std::fs::rename(&self.out, &self.old) {
                let reason = e.to_string();
                self.abandon();
                return Err(vec![write_error(Path::new("."), &reason)]);
            }
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            let mut reason = e.to_string();
            if had_old {
                // Put the previous site back where it was; say where it is if that fails.
                if let Err(restore) = std::fs::rename(&self.old, &self.out) {
                    reason = format!("{reason}; {}: {restore}", self.old.display());
                    let out = self.out.clone();
                    let _cleanup = std::fs::remove_dir_all(&self.dir);
                    return Err(vec![write_error(&out, &reason)]);
                }
            }
            let out = self.out.clone();
            self.abandon();
            return Err(vec![write_error(&out, &reason)]);
        }
        if had_old {
            remove_tree_parallel(&self.old);
        }
        Ok(())
    }
}

/// Deletes a folder tree with several threads: on network and virtual disks each
/// unlink waits for the disk, so overlapping them is what makes it fast.
fn remove_tree_parallel(dir: &Path) {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    // Never follow a link, not even at the root: only this tree is deleted.
    for e in WalkDir::new(dir)
        .follow_root_links(false)
        .into_iter()
        .flatten()
    {
        if e.file_type().is_dir() {
            dirs.push(e.into_path());
        } else {
            files.push(e.into_path());
        }
    }
    io_pool().install(|| {
        files.par_iter().for_each(|f| {
            let _cleanup = std::fs::remove_file(f);
        })
    });
    // A leftover (e.g. a file opened elsewhere) is removed on the next build.
    let _cleanup = std::fs::remove_dir_all(dir);
}

/// Threads for file I/O. On this project's ext4 disk two writers beat eight (the
/// kernel contends on more); network drives may want more: `ZIRKEL_IO_THREADS`.
pub(crate) fn io_pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(io_threads())
            .thread_name(|i| format!("zirkel-io-{i}"))
            .build()
            .unwrap_or_else(|_| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .build()
                    .expect("one thread")
            })
    })
}

/// Writer threads; `ZIRKEL_IO_THREADS` overrides it for benchmarks on other disks.
fn io_threads() -> usize {
    std::env::var("ZIRKEL_IO_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| (1..=64).contains(n))
        .unwrap_or(IO_THREADS)
}

const IO_THREADS: usize = 2;

/// Files on their way to a writer thread, with their paths: handed over in batches,
/// since one hand-over per file woke a writer (and switched threads) 28,000 times
/// for 10,000 entries.
type Pending = Vec<(String, Vec<u8>)>;

/// Files a batch holds at most, and bytes after which it goes before it is full.
const BATCH_FILES: usize = 16;
const BATCH_BYTES: usize = 256 * 1024;
/// Batches waiting for a writer at most: bounds the memory files wait in.
const BATCHES_QUEUED: usize = 32;

/// Writes files handed to it into a folder on background threads, so rendering
/// never waits for the disk. Parent folders are created on demand.
pub struct DirSink<'p> {
    tx: std::sync::Mutex<Option<std::sync::mpsc::SyncSender<Pending>>>,
    /// The batch being filled, and its bytes.
    batch: std::sync::Mutex<(Pending, usize)>,
    workers: Vec<std::thread::JoinHandle<Result<(), String>>>,
    progress: &'p dyn Progress,
    sent: std::sync::atomic::AtomicUsize,
}

impl<'p> DirSink<'p> {
    pub fn new(dir: PathBuf, progress: &'p dyn Progress) -> DirSink<'p> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Pending>(BATCHES_QUEUED);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        let workers = (0..io_threads())
            .map(|_| {
                let rx = rx.clone();
                let dir = dir.clone();
                std::thread::spawn(move || -> Result<(), String> {
                    let mut first_error: Option<String> = None;
                    loop {
                        let next = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => break,
                        };
                        let Ok(batch) = next else { break };
                        for (path, bytes) in batch {
                            if first_error.is_none() {
                                if let Err(e) = write_file(&dir, &path, &bytes) {
                                    first_error = Some(format!("{path}: {e}"));
                                }
                            }
                        }
                    }
                    first_error.map_or(Ok(()), Err)
                })
            })
            .collect();
        DirSink {
            tx: std::sync::Mutex::new(Some(tx)),
            batch: std::sync::Mutex::new((Vec::new(), 0)),
            workers,
            progress,
            sent: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Hands a batch to the writers; counts its files as sent.
    fn send(&self, batch: Pending) {
        if batch.is_empty() {
            return;
        }
        let n = batch.len();
        let tx = self.tx.lock().ok().and_then(|t| t.clone());
        if let Some(tx) = tx {
            // A send fails only when all writers stopped; `finish` reports why.
            if tx.send(batch).is_ok() {
                self.sent.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                self.progress.inc(n as u64);
            }
        }
    }

    /// Waits for every file to be written; the number of files or the first I/O error.
    pub fn finish(self) -> Result<usize, String> {
        let last = std::mem::take(
            &mut self
                .batch
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0,
        );
        self.send(last);
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        let mut result = Ok(self.sent.load(std::sync::atomic::Ordering::Relaxed));
        for w in self.workers {
            match w.join() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => result = Err(e),
                Err(_) => result = Err("writer thread failed".into()),
            }
        }
        result
    }
}

impl render::Sink for DirSink<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) {
        let full = {
            // The batch stays whole whatever a panicking holder did: a push is atomic.
            let mut b = self
                .batch
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            b.1 += bytes.len();
            b.0.push((path.to_string(), bytes));
            if b.0.len() >= BATCH_FILES || b.1 >= BATCH_BYTES {
                b.1 = 0;
                std::mem::take(&mut b.0)
            } else {
                Vec::new()
            }
        };
        // Sent outside the batch's lock: a full queue blocks only this thread.
        self.send(full);
    }
}

/// Writes one file below the staging folder `root`, creating its folders; fails if
/// the staging folder itself is gone rather than quietly making a partial new one.
pub(crate) fn write_file(root: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    if rel.split('/').any(|p| p == ".." || p.is_empty()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("invalid output path {rel}"),
        ));
    }
    let path = root.join(rel);
    match std::fs::write(&path, bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && root.is_dir() => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, bytes)
        }
        other => other,
    }
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
        // An old site is only removed once a new one stands in its place: if the swap
        // failed halfway, the old copy is the user's last good site.
        let output_exists = parent.join(name).exists();
        let pid = n
            .strip_prefix(&tmp)
            .or_else(|| n.strip_prefix(&old).filter(|_| output_exists));
        if pid.is_some_and(|pid| !is_running(pid)) {
            remove_tree_parallel(&e.path());
        }
    }
}

/// Whether the process that named a staging folder still runs (then the folder is
/// another build's work in progress, e.g. `zirkel serve` beside `zirkel build`).
/// Without `/proc` we cannot tell and leave the folder alone.
fn is_running(pid: &str) -> bool {
    let proc_fs = Path::new("/proc/self").exists();
    pid.parse::<u32>()
        .is_ok_and(|p| !proc_fs || Path::new("/proc").join(p.to_string()).exists())
}
