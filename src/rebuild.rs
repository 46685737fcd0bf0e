//! Incremental rebuilds for `zirkel serve`. The preview remembers what it read,
//! validated and rendered; after a change to `content/` it reads only the changed
//! files, renders only the pages whose inputs changed (see `render::Memo`) and writes
//! only files whose bytes changed. A change to the configuration or the theme, or
//! lost watch events, start from scratch.
//!
//! The files made from the whole collection (feeds, data exports, sitemap, search
//! index) follow in a background thread at low priority, after the browser has been
//! told to reload: the page being written comes first. Once that thread is done, the
//! output equals a full build of the same files byte for byte.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::collection::Collection;
use crate::config::Config;
use crate::content;
use crate::diagnostic::Diagnostic;
use crate::districts::Districts;
use crate::history::History;
use crate::render::{self, Incremental, Memo, MemorySink, OutputFile, Renderer, Sink};
use crate::site::{self, BuildOptions, MARKER};
use crate::theme::Theme;
use crate::validate::{self, Date, Doc, DocResult, Rules};
use crate::watch::Change;

/// What one rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    pub entries: usize,
    /// Pages rendered now (the others were unchanged).
    pub rendered: usize,
    /// Warnings (a rebuild with errors returns them instead).
    pub diagnostics: Vec<Diagnostic>,
    pub elapsed: Duration,
}

/// What the background part of a rebuild reports when it is done; a part overtaken
/// by a newer rebuild reports nothing.
#[derive(Debug)]
pub enum Followup {
    Done { changed: usize, elapsed: Duration },
    Failed(Vec<Diagnostic>),
}

/// Receives the background part's report.
pub type Report = Arc<dyn Fn(Followup) + Send + Sync>;

/// The configuration and the compiled theme (or why it does not compile).
struct Setup {
    config: Config,
    theme: Result<(Theme, Renderer), Vec<Diagnostic>>,
    today: Option<Date>,
}

/// One file of `content/` as last read: a hash of its text and what validating it
/// on its own gave.
struct Source {
    text: u64,
    result: Result<DocResult, Diagnostic>,
}

/// Fingerprints of the files written, so only changed bytes reach the disk.
#[derive(Debug, Default)]
struct Written {
    files: HashMap<String, u64>,
}

impl Written {
    /// Writes the files whose bytes differ from what was written before (each through
    /// a temporary file and a rename, so a browser never reads half a page); returns
    /// how many were written.
    /// The rebuild writes with the shared I/O threads; the background part with its
    /// own low-priority ones (`own_threads`), so it never queues ahead of a rebuild.
    fn write(
        &mut self,
        out: &Path,
        files: &[OutputFile],
        own_threads: bool,
    ) -> Result<usize, Vec<Diagnostic>> {
        let fresh: Vec<(&OutputFile, u64)> = files
            .iter()
            .map(|f| (f, render::bytes_key(&f.bytes)))
            .filter(|(f, fp)| self.files.get(&f.path) != Some(fp))
            .collect();
        let write_all = || {
            fresh
                .par_iter()
                .map(|(f, _)| {
                    let part = format!("{}.zirkel-part", f.path);
                    site::write_file(out, &part, &f.bytes)?;
                    std::fs::rename(out.join(&part), out.join(&f.path))
                })
                .collect::<Vec<std::io::Result<()>>>()
        };
        let results = if own_threads {
            write_all()
        } else {
            site::io_pool().install(write_all)
        };
        if let Some(Err(e)) = results.into_iter().find(Result::is_err) {
            // What is on disk is now unknown: the next rebuild compares everything again.
            self.files.clear();
            return Err(vec![site::write_error(out, &e.to_string())]);
        }
        for (f, fp) in &fresh {
            self.files.insert(f.path.clone(), *fp);
        }
        Ok(fresh.len())
    }

    /// Deletes the files written before that are not in `keep`.
    fn prune(&mut self, out: &Path, keep: &HashSet<String>) {
        self.files.retain(|path, _| {
            let stays = keep.contains(path);
            if !stays {
                // A file that is already gone is what we wanted.
                let _gone = std::fs::remove_file(out.join(path));
            }
            stays
        });
    }

    /// Fingerprints of every file already in `out`: the first rebuild of a session
    /// does not know what an earlier build left there.
    fn scan(out: &Path) -> Written {
        let mut files = HashMap::new();
        for e in WalkDir::new(out)
            .follow_root_links(false)
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() {
                if let Ok(rel) = e.path().strip_prefix(out) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    let fp = std::fs::read(e.path())
                        .map(|b| render::bytes_key(&b))
                        .unwrap_or(0);
                    files.insert(rel, fp);
                }
            }
        }
        Written { files }
    }
}

/// A preview's memory between rebuilds.
pub struct Preview {
    opts: BuildOptions,
    setup: Option<Setup>,
    sources: Sources,
    memo: Memo,
    /// The last collection built, to reuse when a change leaves its relations alone.
    collection: Option<Arc<Collection>>,
    /// Pages, theme assets and the marker: written by the rebuild itself.
    pages: Option<Written>,
    /// Files made from the whole collection: written by the background part.
    derived: Arc<Mutex<Written>>,
    /// Counts rebuilds; a background part whose number is no longer current writes
    /// nothing.
    generation: Arc<AtomicU64>,
    report: Report,
    worker: Worker,
}

impl Preview {
    pub fn new(opts: BuildOptions, report: Report) -> Preview {
        Preview {
            opts,
            setup: None,
            sources: Sources::default(),
            memo: Memo::default(),
            collection: None,
            pages: None,
            derived: Arc::default(),
            generation: Arc::default(),
            worker: Worker::start(report.clone()),
            report,
        }
    }

    /// The date for "review overdue" warnings; a new day validates everything again.
    pub fn set_today(&mut self, today: Option<Date>) {
        self.opts.today = today;
    }

    /// Rebuilds after `changes` (all of them since the last rebuild; empty for the
    /// first). Validation or template errors write nothing and are returned.
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Rebuilt, Vec<Diagnostic>> {
        let started = Instant::now();
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let from_scratch = self
            .setup
            .as_ref()
            .is_none_or(|s| s.today != self.opts.today)
            || changes.iter().any(|c| !matches!(c, Change::Content(_)));
        if from_scratch {
            self.setup = None;
            self.sources = Sources::default();
            self.memo = Memo::default();
            self.collection = None;
        }
        let (root, out) = (self.opts.root.clone(), self.opts.output.clone());
        site::check_output_location(&root, &out)?;
        if !out.join(MARKER).exists() {
            // The output was deleted (or never written): every page is written anew.
            self.memo = Memo::default();
            self.pages = None;
        }
        let setup = match &mut self.setup {
            Some(setup) => setup,
            None => {
                let config = Config::from_root(&root)?;
                let theme = site::compile_theme(&root, &config);
                self.setup.insert(Setup {
                    config,
                    theme,
                    today: self.opts.today,
                })
            }
        };
        let districts = Districts::official();

        let rules = Rules {
            config: &setup.config,
            districts,
            today: setup.today,
        };
        let mut diagnostics = self.sources.update(&root, changes, &rules);
        if let Err(d) = &setup.theme {
            diagnostics.extend(d.iter().cloned());
        }
        let validated = validate::combine(self.sources.results());
        let previous = self.collection.take();
        let (collection, diagnostics, entries) = site::conclude(
            setup.config.clone(),
            validated,
            diagnostics,
            |config, e, mut p| {
                p.sort_by(|a, b| a.slug.cmp(&b.slug));
                previous
                    .as_ref()
                    .filter(|c| c.pages == p)
                    .and_then(|c| c.with_changed(&e))
                    .unwrap_or_else(|| Collection::new(config, e, p, districts))
            },
        );
        // Freeing tens of thousands of small allocations takes milliseconds: the
        // background part does it, after the reload.
        self.worker.discard(previous);
        let (Some(collection), Ok((theme, renderer))) = (collection, setup.theme.as_mut()) else {
            return Err(diagnostics);
        };

        // Pages: only those whose inputs changed.
        let fingerprints = self.sources.fingerprints(&collection);
        renderer.set_footer(&site::footer(&collection));
        let cat = crate::i18n::Catalogue::for_language(&collection.config.language);
        let sink = MemorySink::default();
        let rendered = render::render_site(
            &collection,
            renderer,
            districts,
            cat,
            &sink,
            Some(Incremental {
                memo: &mut self.memo,
                fingerprints: &fingerprints,
            }),
        )?;
        for (name, bytes) in &theme.assets {
            sink.put(&format!("static/{name}"), bytes.clone());
        }
        sink.put(MARKER, b"zirkel\n".to_vec());
        let files = sink
            .0
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut keep: HashSet<String> = rendered.paths.iter().cloned().collect();
        keep.extend(files.iter().map(|f| f.path.clone()));
        std::fs::create_dir_all(&out).map_err(|e| vec![site::write_error(&out, &e.to_string())])?;

        let collection = Arc::new(collection);
        self.collection = Some(collection.clone());
        let job = Derived {
            collection: collection.clone(),
            html: rendered.paths,
            out: out.clone(),
            generation,
            current: self.generation.clone(),
            written: self.derived.clone(),
            started,
        };
        match &mut self.pages {
            Some(pages) => {
                pages.write(&out, &files, false)?;
                pages.prune(&out, &keep);
                self.worker.submit(job);
            }
            None => {
                // The first rebuild does everything now. It compares with what an
                // earlier build left in the output: files it would write the same
                // stay untouched, files no build makes any more go.
                let scan = Written::scan(&out);
                let (pages, leftovers): (HashMap<_, _>, HashMap<_, _>) =
                    scan.files.into_iter().partition(|(p, _)| keep.contains(p));
                let mut pages = Written { files: pages };
                pages.write(&out, &files, false)?;
                *self.derived.lock().unwrap_or_else(|p| p.into_inner()) =
                    Written { files: leftovers };
                report_followup(&self.report, job.run());
                self.pages = Some(pages);
            }
        }
        Ok(Rebuilt {
            entries,
            rendered: rendered.rendered,
            diagnostics,
            elapsed: started.elapsed(),
        })
    }
}

/// The background part of a rebuild: the files made from the whole collection.
struct Derived {
    collection: Arc<Collection>,
    html: Vec<String>,
    out: PathBuf,
    generation: u64,
    current: Arc<AtomicU64>,
    written: Arc<Mutex<Written>>,
    started: Instant,
}

impl Derived {
    fn overtaken(&self) -> bool {
        self.current.load(Ordering::SeqCst) != self.generation
    }

    /// Makes and writes the files; `None` when a newer rebuild overtook this one.
    fn run(self) -> Option<Followup> {
        let c = &*self.collection;
        let files = site::collection_files(c, Districts::official(), &self.out, None, &|| {
            self.overtaken()
        });
        let mut files = match files {
            Ok(Some(f)) => f,
            Ok(None) => return None,
            Err(d) => return Some(Followup::Failed(d)),
        };
        let html: Vec<&str> = self.html.iter().map(String::as_str).collect();
        files.push(crate::export::sitemap(c, &html));
        let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
        // Checked again under the lock: a newer part may have written meanwhile.
        if self.overtaken() {
            return None;
        }
        let changed = match written.write(&self.out, &files, true) {
            Ok(n) => n,
            Err(d) => return Some(Followup::Failed(d)),
        };
        let keep: HashSet<String> = files.into_iter().map(|f| f.path).collect();
        written.prune(&self.out, &keep);
        Some(Followup::Done {
            changed,
            elapsed: self.started.elapsed(),
        })
    }
}

fn report_followup(report: &Report, f: Option<Followup>) {
    if let Some(f) = f {
        report(f);
    }
}

/// The files of `content/` as last read, and the problems of the last walk of it
/// (unreadable folders, symlink loops).
#[derive(Default)]
struct Sources {
    files: BTreeMap<PathBuf, Source>,
    walk_diagnostics: Vec<Diagnostic>,
}

impl Sources {
    /// Reads what `changes` name (all files when nothing was read yet) and sets every
    /// entry's last-change date from git; returns the problems of files that could
    /// not be read and of the walk.
    fn update(&mut self, root: &Path, changes: &[Change], rules: &Rules<'_>) -> Vec<Diagnostic> {
        let changed: Vec<&Path> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Content(p) => Some(p.as_path()),
                _ => None,
            })
            .collect();
        let effects: Vec<(&Path, Effect)> = changed
            .iter()
            .map(|c| (*c, effect(root, c, &self.files)))
            .collect();
        // A save of single files (the usual case) needs no walk of `content/`.
        let walk = self.files.is_empty() || effects.iter().any(|(_, e)| *e == Effect::Walk);
        let todo: Vec<PathBuf> = if walk {
            let (paths, diagnostics) = content::discover(root);
            self.walk_diagnostics = diagnostics;
            let present: HashSet<&PathBuf> = paths.iter().collect();
            self.files.retain(|p, _| present.contains(p));
            paths
                .iter()
                .filter(|p| {
                    !self.files.contains_key(*p) || changed.iter().any(|c| p.starts_with(c))
                })
                .cloned()
                .collect()
        } else {
            let mut todo = Vec::new();
            for (path, e) in effects {
                match e {
                    Effect::Read => todo.push(path.to_path_buf()),
                    Effect::Forget => {
                        self.files.remove(path);
                    }
                    Effect::Nothing | Effect::Walk => {}
                }
            }
            todo
        };
        let max = rules.config.max_entry_bytes;
        let (loaded, history) = rayon::join(
            || {
                todo.par_iter()
                    .map(|p| (p.clone(), read_source(root, p, max, rules)))
                    .collect::<Vec<_>>()
            },
            || History::read(root),
        );
        self.files.extend(loaded);
        let mut diagnostics = self.walk_diagnostics.clone();
        for s in self.files.values_mut() {
            match &mut s.result {
                Ok(DocResult {
                    doc: Some(Doc::Entry(e)),
                    ..
                }) => {
                    let last = history.last_changed(&e.path);
                    if e.last_changed != last {
                        Arc::make_mut(e).last_changed = last;
                    }
                }
                Ok(_) => {}
                Err(d) => diagnostics.push(d.clone()),
            }
        }
        diagnostics
    }

    /// The documents that could be read, validated one by one, in path order.
    fn results(&self) -> impl Iterator<Item = &DocResult> {
        self.files.values().filter_map(|s| s.result.as_ref().ok())
    }

    /// For each entry of `collection`: a hash over everything it is made of (the
    /// file's text, its path, its last-change date).
    fn fingerprints(&self, collection: &Collection) -> Vec<u64> {
        // The collection holds the very entries read here: found by address.
        let texts: HashMap<*const validate::Entry, u64> = self
            .files
            .values()
            .filter_map(|s| match &s.result {
                Ok(DocResult {
                    doc: Some(Doc::Entry(e)),
                    ..
                }) => Some((Arc::as_ptr(e), s.text)),
                _ => None,
            })
            .collect();
        collection
            .entries
            .iter()
            .map(|e| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                texts.get(&Arc::as_ptr(e)).hash(&mut h);
                e.path.hash(&mut h);
                e.last_changed.hash(&mut h);
                h.finish()
            })
            .collect()
    }
}

/// What a change to a path under `content/` means for the list of documents.
#[derive(Debug, PartialEq)]
enum Effect {
    /// A document was written: read it.
    Read,
    /// A document is gone.
    Forget,
    /// Not a document (an editor's temporary file, an image): nothing to do.
    Nothing,
    /// A folder: walk `content/` again.
    Walk,
}

fn effect(root: &Path, rel: &Path, sources: &BTreeMap<PathBuf, Source>) -> Effect {
    let full = root.join(rel);
    if full.is_dir() {
        return Effect::Walk;
    }
    if full.is_file() {
        let document = rel.extension().is_some_and(|x| x == "md")
            && rel
                .components()
                .all(|c| !content::is_ignored(&c.as_os_str().to_string_lossy()));
        return if document {
            Effect::Read
        } else {
            Effect::Nothing
        };
    }
    if sources.contains_key(rel) {
        return Effect::Forget;
    }
    // Gone and not a document: a folder if documents were below it.
    let below = sources
        .range(rel.to_path_buf()..)
        .next()
        .is_some_and(|(p, _)| p.starts_with(rel));
    if below {
        Effect::Walk
    } else {
        Effect::Nothing
    }
}

/// Reads, parses and validates one file of `content/`.
fn read_source(root: &Path, rel: &Path, max: u64, rules: &Rules<'_>) -> Source {
    match content::read_text(root, rel, max) {
        Ok(text) => Source {
            text: render::bytes_key(text.as_bytes()),
            result: content::parse_doc(rel, &text).map(|doc| validate::validate_doc(doc, rules)),
        },
        Err(d) => Source {
            text: 0,
            result: Err(d),
        },
    }
}

/// The thread that makes the background parts, one at a time, at low priority: it
/// takes the processor only when no rebuild needs it. A part waiting while another
/// runs is replaced by a newer one; a running part that a newer rebuild overtakes
/// stops at its next stage.
struct Worker {
    slot: Arc<(Mutex<Pending>, Condvar)>,
}

/// What waits for the worker: the newest background part, and old collections to drop.
#[derive(Default)]
struct Pending {
    job: Option<Derived>,
    discarded: Vec<Arc<Collection>>,
}

impl Worker {
    fn start(report: Report) -> Worker {
        let slot: Arc<(Mutex<Pending>, Condvar)> = Arc::default();
        let theirs = slot.clone();
        let spawned = std::thread::Builder::new()
            .name("zirkel-derived".into())
            .spawn(move || {
                lower_priority();
                // Threads started from here inherit the low priority.
                let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().ok();
                let (lock, ready) = &*theirs;
                loop {
                    let (job, discarded) = {
                        let mut next = lock.lock().unwrap_or_else(|p| p.into_inner());
                        loop {
                            match next.job.take() {
                                Some(job) => break (job, std::mem::take(&mut next.discarded)),
                                None => next = ready.wait(next).unwrap_or_else(|p| p.into_inner()),
                            }
                        }
                    };
                    drop(discarded);
                    let done = match &pool {
                        Some(pool) => pool.install(|| job.run()),
                        None => job.run(),
                    };
                    report_followup(&report, done);
                }
            });
        if let Err(e) = spawned {
            // Without the thread the preview still works; only the files made from
            // the whole collection stay as the first rebuild wrote them.
            eprintln!("zirkel: {e}");
        }
        Worker { slot }
    }

    /// Hands `old` to the worker thread to be dropped there.
    fn discard(&self, old: Option<Arc<Collection>>) {
        if let Some(old) = old {
            let (lock, _) = &*self.slot;
            lock.lock()
                .unwrap_or_else(|p| p.into_inner())
                .discarded
                .push(old);
        }
    }

    fn submit(&self, job: Derived) {
        let (lock, ready) = &*self.slot;
        lock.lock().unwrap_or_else(|p| p.into_inner()).job = Some(job);
        ready.notify_one();
    }
}

#[cfg(target_os = "linux")]
fn lower_priority() {
    // SAFETY: setpriority only reads its integer arguments. On Linux the nice value
    // belongs to the calling thread (`who` 0), not the whole process.
    let _ignored = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 19) };
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(paths: &[&str]) -> BTreeMap<PathBuf, Source> {
        paths
            .iter()
            .map(|p| {
                let d = Diagnostic::error("Z0002", *p, crate::yaml::Pos::default());
                (
                    PathBuf::from(p),
                    Source {
                        text: 0,
                        result: Err(d),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_save_needs_no_walk_of_the_content_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/praxis/neu")).unwrap();
        std::fs::write(root.join("content/praxis/a.md"), "x").unwrap();
        std::fs::write(root.join("content/praxis/bild.png"), "x").unwrap();
        std::fs::write(root.join("content/praxis/.a.md.swp"), "x").unwrap();
        let sources = known(&["content/praxis/a.md", "content/alt/b.md"]);
        let e = |p: &str| effect(root, Path::new(p), &sources);
        assert_eq!(e("content/praxis/a.md"), Effect::Read);
        assert_eq!(e("content/praxis/bild.png"), Effect::Nothing);
        assert_eq!(e("content/praxis/.a.md.swp"), Effect::Nothing);
        // sed -i and many editors write a temporary file and rename it over the entry.
        assert_eq!(e("content/praxis/sedX1a2b3"), Effect::Nothing);
        assert_eq!(e("content/alt/b.md"), Effect::Forget);
        assert_eq!(e("content/alt"), Effect::Walk, "a folder of documents went");
        assert_eq!(e("content/praxis/neu"), Effect::Walk, "a folder came");
    }
}
